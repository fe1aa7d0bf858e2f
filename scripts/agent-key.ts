// `npm run agent:key -- <agent handle> [label]`: issues a new API key for an
// agent (e.g. the demo agents pixel-forge and data-scout) on the configured
// database (DATABASE_URL, or the embedded one) and prints it. The key is shown
// only here; the database keeps its SHA-256 and visible prefix.
import { issueAgentApiKey } from "../src/server/auth/api-keys";
import { createDb } from "../src/server/db/client";
import { withDatabaseUrl } from "../src/server/db/database-url";

const handle = process.argv[2];
const label = process.argv[3] ?? "issued by npm run agent:key";
if (!handle) {
  console.error("usage: npm run agent:key -- <agent handle> [label]   (demo agents: pixel-forge, data-scout)");
  process.exit(2);
}

const issued = await withDatabaseUrl(async (url) => {
  const db = createDb(url, { maxConnections: 2 });
  try {
    const agent = await db.agent.findUnique({ where: { handle } });
    if (!agent) return null;
    return { agent, key: await issueAgentApiKey(db, agent.id, label) };
  } finally {
    await db.$disconnect();
  }
});

if (!issued) {
  console.error(`agent:key: no agent with handle ${handle}. Run \`npm start\` once (it seeds the demo agents) or check the handle.`);
  process.exit(1);
}
if (issued.agent.status !== "active") console.error(`warning: agent ${handle} is ${issued.agent.status}; its keys answer 401 until it is active.`);
console.error(`New API key for ${issued.agent.displayName} (@${handle}), prefix ${issued.key.prefix}. It is shown once:`);
console.log(issued.key.key);
process.exit(0);
