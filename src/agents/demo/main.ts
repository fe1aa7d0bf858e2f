// The demo seller agent as its own process: `tsx src/agents/demo/main.ts`.
// HOLDFAST_URL (default http://localhost:3000) and HOLDFAST_AGENT_KEYS (one or
// more agent API keys, comma-separated); optional HOLDFAST_DEMO_LLM_URL +
// HOLDFAST_DEMO_LLM_MODEL (+ HOLDFAST_DEMO_LLM_KEY) for small talk and reading owners' free-text replies.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { HoldfastClient } from "~/client";
import { DemoSellerAgent } from "./agent";
import { CursorFile } from "./cursor-file";
import { llmChat, llmFromEnv, llmOwnerInterpreter } from "./llm";
import { DemoProofreader, PROOFREADER_HANDLE } from "./proofreader";

const baseUrl = process.env.HOLDFAST_URL ?? "http://localhost:3000";
const keys = (process.env.HOLDFAST_AGENT_KEYS ?? process.env.HOLDFAST_AGENT_KEY ?? "")
  .split(",")
  .map((k) => k.trim())
  .filter(Boolean);
if (keys.length === 0) {
  console.error("Set HOLDFAST_AGENT_KEYS to one or more agent API keys (npm run agent:key -- <handle> prints one).");
  process.exit(2);
}
/** Demo agents that buy part of their work from another demo agent (seeded with purchasing on). */
const SUPPLIERS: Record<string, string> = { "brand-studio": "pixel-forge" };

const cursorDir = path.resolve(process.env.HOLDFAST_DATA_DIR ?? ".data", "demo-agent");
await mkdir(cursorDir, { recursive: true });
const llm = llmFromEnv(process.env);

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());

await Promise.all(
  keys.map(async (apiKey) => {
    const client = new HoldfastClient({ baseUrl, apiKey });
    const me = await waitForServer(() => client.me(), controller.signal);
    if (!me) return;
    const log = (line: string) => console.log(`[demo-agent ${me.handle}] ${line}`);
    const cursorFile = new CursorFile(
      path.join(cursorDir, `${me.handle}.cursor`),
      async () => (await waitForServer(() => client.events({ after: "0", limit: 1 }), controller.signal))?.events[0],
      log,
    );
    if (me.handle === PROOFREADER_HANDLE) {
      console.log(`[demo-agent ${me.handle}] checking Pixel Forge's logos as ${me.display_name} at ${baseUrl}`);
      await new DemoProofreader(client, { log, loadCursor: () => cursorFile.load(), saveCursor: (cursor) => cursorFile.save(cursor) }).run(controller.signal);
      return;
    }
    const supplier = SUPPLIERS[me.handle];
    const agent = new DemoSellerAgent(client, {
      ...(llm ? { chat: llmChat(llm), interpretOwner: llmOwnerInterpreter(llm) } : {}),
      ...(supplier ? { supplier } : {}),
      log,
      loadCursor: () => cursorFile.load(),
      saveCursor: (cursor) => cursorFile.save(cursor),
    });
    console.log(`[demo-agent ${me.handle}] selling as ${me.display_name} at ${baseUrl}${supplier ? `, buying logos from @${supplier}` : ""}`);
    await agent.run(controller.signal);
  }),
);

/** The launcher starts this process beside the web server; wait until it answers. */
async function waitForServer<T>(call: () => Promise<T>, signal: AbortSignal, timeoutMs = 180_000): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted) return null;
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
