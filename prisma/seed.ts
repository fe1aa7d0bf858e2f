// Demo data for the embedded default: a customer with test funds, an owner
// with two agents and their catalogs, and a moderator. Safe to run again:
// it does nothing when the demo customer already exists.
import { pathToFileURL } from "node:url";
import { issueAgentApiKey } from "../src/server/auth/api-keys";
import { createDb } from "../src/server/db/client";
import { inTransaction } from "../src/server/db/transaction";
import { addTestFundsInTx } from "../src/server/ledger/wallet";
import { withDatabaseUrl } from "../src/server/db/database-url";
import { applyMigrations } from "../src/server/db/migrate";

export const DEMO_ACCOUNTS = {
  customer: { id: "usr_democustomer", email: "customer@demo.holdfast.dev", displayName: "Casey Customer" },
  owner: { id: "usr_demoowner", email: "owner@demo.holdfast.dev", displayName: "Olivia Owner" },
  admin: { id: "usr_demoadmin", email: "admin@demo.holdfast.dev", displayName: "Morgan Moderator" },
} as const;

export const DEMO_CUSTOMER_FUNDS_MINOR = 500_00;
export const DEMO_AGENT_IDS = ["agt_demopixelforge", "agt_demodatascout"] as const;
const DEMO_AGENT_KEY_LABEL = "demo agent (npm start)";

/**
 * Fresh API keys for the demo agents, for the demo agent process `npm start`
 * runs. Keys issued by earlier starts are revoked first, so only the running
 * demo agent holds a working key.
 */
export async function issueDemoAgentKeys(databaseUrl: string): Promise<string[]> {
  const db = createDb(databaseUrl, { maxConnections: 1 });
  try {
    const now = new Date();
    await db.agentApiKey.updateMany({ where: { label: DEMO_AGENT_KEY_LABEL, revokedAt: null }, data: { revokedAt: now } });
    const keys: string[] = [];
    for (const agentId of DEMO_AGENT_IDS) keys.push((await issueAgentApiKey(db, agentId, DEMO_AGENT_KEY_LABEL)).key);
    return keys;
  } finally {
    await db.$disconnect();
  }
}

const AGENTS = [
  {
    id: "agt_demopixelforge",
    handle: "pixel-forge",
    displayName: "Pixel Forge",
    description: "Logos and icons, drawn to your brief and delivered as real image files.",
    services: [
      {
        id: "svc_demologo",
        title: "Logo design",
        description: "A square logo for your brand, delivered as PNG or SVG.",
        priceMinor: 25_00,
        deliveryInHours: 24,
        artifactContract: { kinds: ["image"], mime_types: ["image/png", "image/svg+xml"], json_schema: null },
      },
      {
        id: "svc_demoicons",
        title: "Icon set (5 icons)",
        description: "Five matching icons as image files.",
        priceMinor: 40_00,
        deliveryInHours: 48,
        artifactContract: { kinds: ["image"], mime_types: null, json_schema: null },
      },
    ],
  },
  {
    id: "agt_demodatascout",
    handle: "data-scout",
    displayName: "Data Scout",
    description: "Structured research reports and short voice clips.",
    services: [
      {
        id: "svc_demoreport",
        title: "Market snapshot report",
        description: "A structured JSON report: summary, competitors and sources.",
        priceMinor: 15_00,
        deliveryInHours: 12,
        artifactContract: {
          kinds: ["data"],
          mime_types: ["application/json"],
          json_schema: {
            type: "object",
            required: ["summary", "competitors"],
            properties: {
              summary: { type: "string", minLength: 1 },
              competitors: { type: "array", items: { type: "object", required: ["name"] } },
              sources: { type: "array", items: { type: "string" } },
            },
          },
        },
      },
      {
        id: "svc_demovoice",
        title: "Voice clip",
        description: "A short spoken clip of your text, delivered as audio.",
        priceMinor: 8_00,
        deliveryInHours: 6,
        artifactContract: { kinds: ["audio"], mime_types: null, json_schema: null },
      },
    ],
  },
];

export async function seedDemoData(databaseUrl: string): Promise<{ created: boolean }> {
  const db = createDb(databaseUrl, { maxConnections: 2 });
  try {
    const existing = await db.user.findUnique({ where: { id: DEMO_ACCOUNTS.customer.id } });
    if (existing) return { created: false };
    await inTransaction(db, async (tx) => {
      await tx.user.create({ data: { ...DEMO_ACCOUNTS.customer, role: "customer" } });
      await tx.user.create({ data: { ...DEMO_ACCOUNTS.owner, role: "owner" } });
      await tx.user.create({ data: { ...DEMO_ACCOUNTS.admin, role: "admin" } });
      for (const agent of AGENTS) {
        await tx.agent.create({
          data: {
            id: agent.id,
            ownerId: DEMO_ACCOUNTS.owner.id,
            handle: agent.handle,
            displayName: agent.displayName,
            description: agent.description,
          },
        });
        for (const service of agent.services) {
          await tx.service.create({
            data: {
              id: service.id,
              agentId: agent.id,
              title: service.title,
              description: service.description,
              priceMinor: BigInt(service.priceMinor),
              currency: "USD",
              deliveryInHours: service.deliveryInHours,
              artifactContract: service.artifactContract,
            },
          });
        }
      }
      await addTestFundsInTx(tx, DEMO_ACCOUNTS.customer.id, "USD", DEMO_CUSTOMER_FUNDS_MINOR, "topup:demo-seed");
    });
    return { created: true };
  } finally {
    await db.$disconnect();
  }
}

// `npm run db:seed`
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await withDatabaseUrl(async (url) => {
    await applyMigrations(url);
    const { created } = await seedDemoData(url);
    console.log(created ? "Demo data created." : "Demo data already present; nothing to do.");
  });
}
