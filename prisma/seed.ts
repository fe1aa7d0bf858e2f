// Demo data for the embedded default: a customer with test funds, an owner
// with two agents and their catalogs, a moderator, and a second owner whose
// agent (Brand Studio) buys its logos from Pixel Forge with that owner's
// wallet (agent-to-agent purchases). Safe to run again: each part is created
// only when it is missing, so an older demo database gains the newer parts.
import { pathToFileURL } from "node:url";
import { issueAgentApiKey } from "../src/server/auth/api-keys";
import { createDb } from "../src/server/db/client";
import { inTransaction, type Tx } from "../src/server/db/transaction";
import { addTestFundsInTx } from "../src/server/ledger/wallet";
import { withDatabaseUrl } from "../src/server/db/database-url";
import { applyMigrations } from "../src/server/db/migrate";
import { checkContract } from "../src/server/owner/services";

export const DEMO_ACCOUNTS = {
  customer: { id: "usr_democustomer", email: "customer@demo.holdfast.dev", displayName: "Casey Customer" },
  owner: { id: "usr_demoowner", email: "owner@demo.holdfast.dev", displayName: "Olivia Owner" },
  admin: { id: "usr_demoadmin", email: "admin@demo.holdfast.dev", displayName: "Morgan Moderator" },
  studio: { id: "usr_demostudio", email: "studio@demo.holdfast.dev", displayName: "Sam Studio" },
  proof: { id: "usr_demoproof", email: "proof@demo.holdfast.dev", displayName: "Pat Proof" },
} as const;

export const DEMO_CUSTOMER_FUNDS_MINOR = 500_00;
export const DEMO_AGENT_IDS = ["agt_demopixelforge", "agt_demodatascout", "agt_demobrandstudio", "agt_demoproofreader"] as const;
/** Proofreader checks each Pixel Forge logo for this fee, paid out of the platform's fee on release (issue 18). */
export const DEMO_PROOFREADER_FEE_MINOR = 50;
/** Brand Studio's owner funds its purchases; it may spend this much per 30 days. */
export const DEMO_STUDIO_FUNDS_MINOR = 100_00;
export const DEMO_STUDIO_PURCHASE_LIMIT_MINOR = 100_00;
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

type DemoAgent = {
  id: string;
  handle: string;
  displayName: string;
  description: string;
  services: { id: string; title: string; description: string; priceMinor: number; deliveryInHours: number; artifactContract: object }[];
};

const AGENTS: DemoAgent[] = [
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

/** Pat's agent: the evaluator Pixel Forge's logo service names (src/agents/demo/proofreader.ts). */
const PROOFREADER_AGENT: DemoAgent = {
  id: "agt_demoproofreader",
  handle: "proofreader",
  displayName: "Proofreader",
  description: "An independent checker: opens each delivered logo and says whether it is a real image of the promised size, and not blank.",
  services: [],
};

/** Sam's agent: it sells kits and buys each kit's logo from Pixel Forge (src/agents/demo/main.ts). */
const STUDIO_AGENT: DemoAgent = {
  id: "agt_demobrandstudio",
  handle: "brand-studio",
  displayName: "Brand Studio",
  description: "Brand starter kits: a logo commissioned from Pixel Forge through Holdfast's escrow, and a brand sheet.",
  services: [
    {
      id: "svc_demobrandkit",
      title: "Brand starter kit",
      description: "Your logo (drawn by Pixel Forge, bought and checked by us) and a brand sheet with colours and type.",
      priceMinor: 60_00,
      deliveryInHours: 48,
      artifactContract: { kinds: ["image"], mime_types: ["image/png"], json_schema: null },
    },
  ],
};

async function createAgent(tx: Tx, ownerId: string, agent: DemoAgent, extra: { purchaseLimitMinor?: number } = {}) {
  await tx.agent.create({
    data: {
      id: agent.id,
      ownerId,
      handle: agent.handle,
      displayName: agent.displayName,
      description: agent.description,
      ...(extra.purchaseLimitMinor !== undefined
        ? { purchasingEnabled: true, purchaseLimitMinor: BigInt(extra.purchaseLimitMinor), purchaseLimitCurrency: "USD" }
        : {}),
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
        // The console's own check and shape, so seeded and console-saved contracts look the same.
        artifactContract: checkContract(service.artifactContract) ?? undefined,
      },
    });
  }
}

export async function seedDemoData(databaseUrl: string): Promise<{ created: boolean }> {
  const db = createDb(databaseUrl, { maxConnections: 2 });
  try {
    const has = async (userId: string) => (await db.user.findUnique({ where: { id: userId } })) !== null;
    const created = !(await has(DEMO_ACCOUNTS.customer.id));
    const studioMissing = !(await has(DEMO_ACCOUNTS.studio.id));
    const proofMissing = !(await has(DEMO_ACCOUNTS.proof.id));
    await inTransaction(db, async (tx) => {
      if (created) {
        await tx.user.create({ data: { ...DEMO_ACCOUNTS.customer, role: "customer" } });
        await tx.user.create({ data: { ...DEMO_ACCOUNTS.owner, role: "owner" } });
        await tx.user.create({ data: { ...DEMO_ACCOUNTS.admin, role: "admin" } });
        for (const agent of AGENTS) await createAgent(tx, DEMO_ACCOUNTS.owner.id, agent);
        await addTestFundsInTx(tx, DEMO_ACCOUNTS.customer.id, "USD", DEMO_CUSTOMER_FUNDS_MINOR, "topup:demo-seed");
      }
      if (studioMissing) {
        await tx.user.create({ data: { ...DEMO_ACCOUNTS.studio, role: "owner" } });
        await createAgent(tx, DEMO_ACCOUNTS.studio.id, STUDIO_AGENT, { purchaseLimitMinor: DEMO_STUDIO_PURCHASE_LIMIT_MINOR });
        await addTestFundsInTx(tx, DEMO_ACCOUNTS.studio.id, "USD", DEMO_STUDIO_FUNDS_MINOR, "topup:demo-seed-studio");
      }
      if (proofMissing) {
        await tx.user.create({ data: { ...DEMO_ACCOUNTS.proof, role: "owner" } });
        await createAgent(tx, DEMO_ACCOUNTS.proof.id, PROOFREADER_AGENT);
        await tx.agent.update({
          where: { id: PROOFREADER_AGENT.id },
          data: { evaluatorEnabled: true, evaluatorFeeMinor: BigInt(DEMO_PROOFREADER_FEE_MINOR), evaluatorFeeCurrency: "USD" },
        });
        // Pixel Forge's logo service names Proofreader (another owner's agent) to check its deliveries.
        await tx.service.update({ where: { id: "svc_demologo" }, data: { evaluatorAgentId: PROOFREADER_AGENT.id, evaluatorFeePayer: "platform" } });
      }
    });
    return { created: created || studioMissing || proofMissing };
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
