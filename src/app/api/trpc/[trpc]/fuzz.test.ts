// Hostile-input fuzzing of every tRPC procedure through the route handler, as a browser (or an
// attacker with a browser's cookies) reaches it (issue 16). For each procedure, fast-check builds
// inputs from its own zod field names: real ids and plausible values, hostile strings and numbers,
// numbers beyond bigint in cursors, JSON nested thousands deep, and non-objects; each is sent as
// anonymous, customer, owner or moderator. Invariants: never a 5xx, and an error body never carries
// internal text (Prisma's messages, stacks). Then every mutation is sent 8 times at once with one
// plausible input: races on unique columns are 4xx, never 500. Seeded and bounded.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import type { TestDatabase } from "~/test/db";
import { openTrpcRoute, TRPC_BASE_URL as BASE, type TrpcRoute } from "~/test/trpc-route";
import { createUser } from "~/test/users";

const RUNS_PER_PROCEDURE = 15;
const SEED = 20_261_128;

let tdb: TestDatabase;
let route: TrpcRoute;
const tokens: Record<string, string | null> = { anonymous: null };
const pools: Record<string, string[]> = {};

interface ProcedureInfo {
  path: string;
  type: "query" | "mutation";
  fields: string[];
}

type ZodDefLike = { _zod?: { def: { type: string; shape?: Record<string, unknown>; innerType?: ZodDefLike } } };

function procedures(): ProcedureInfo[] {
  const all = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string; inputs: ZodDefLike[] } }> } })._def.procedures;
  return Object.entries(all).map(([path, p]) => {
    let def = p._def.inputs[0]?._zod?.def;
    while (def && !def.shape && def.innerType) def = def.innerType._zod?.def;
    return { path, type: p._def.type as ProcedureInfo["type"], fields: Object.keys(def?.shape ?? {}) };
  });
}

async function send(proc: ProcedureInfo, inputJson: string, role: string) {
  const token = tokens[role];
  const cookie: Record<string, string> = token ? { cookie: `next-auth.session-token=${token}` } : {};
  const wrapped = `{"json":${inputJson}}`;
  const response =
    proc.type === "query"
      ? await route.GET(new Request(`${BASE}/api/trpc/${proc.path}?input=${encodeURIComponent(wrapped)}`, { headers: cookie }))
      : await route.POST(
          new Request(`${BASE}/api/trpc/${proc.path}`, {
            method: "POST",
            headers: { origin: BASE, "x-holdfast-csrf": "1", "content-type": "application/json", ...cookie },
            body: wrapped,
          }),
        );
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  route = await openTrpcRoute();
  tdb = route.tdb;
  for (const role of ["customer", "owner", "admin"] as const) {
    const user = await createUser(tdb.db, role, `Fuzz ${role}`);
    tokens[role] = await route.createSession(user.id);
  }
  // A few real objects, so some calls reach the database with ids that exist.
  const owner = procedures().find((p) => p.path === "owner.createAgent")!;
  const created = await send(owner, JSON.stringify({ handle: "fuzz-seller", displayName: "Fuzz Seller" }), "owner");
  expect(created.status).toBe(200);
  const agent = await tdb.db.agent.findUniqueOrThrow({ where: { handle: "fuzz-seller" } });
  const spare = await createUser(tdb.db, "customer", "Spare");
  const open = await send(procedures().find((p) => p.path === "chat.open")!, JSON.stringify({ agentHandle: "fuzz-seller" }), "customer");
  expect(open.status).toBe(200);
  const conversation = await tdb.db.conversation.findFirstOrThrow({ where: { agentId: agent.id } });
  pools.id = [agent.id, conversation.id, spare.id, "esc_doesnotexist", "alr_x", "stl_x", "key_x", "svc_x"];
  pools.handle = ["fuzz-seller", "nobody-here"];
});
afterAll(() => route.close());

// ---- arbitraries -----------------------------------------------------------

const NASTY = [
  "", " ", "../../etc/passwd", "a\u0000b", "%00", "<script>alert(1)</script>", "'; DROP TABLE users; --", "\ud800",
  "\u202e\u200b\ufeff", "🙂".repeat(100), "null", "NaN", "-1", "1e400", "__proto__", "constructor", "x".repeat(1_000), "é".repeat(20_000),
];
const HUGE_NUMBER_TEXT = ["9".repeat(30), "9223372036854775808", "9223372036854775807", "-1", "1e400", "0".repeat(40) + "1"];
const hostileString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", maxLength: 100 }));
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 2 ** 53, 2 ** 63, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(JSON.parse('{"__proto__":{"role":"admin"}}') as unknown),
);
/** Nesting far beyond any real input (was a stack overflow: a 500 even unauthenticated). */
const deepJson = fc
  .tuple(fc.constantFrom(65, 1_000, 5_000), fc.constantFrom("[", '{"a":'))
  .map(([levels, open]) => `${open.repeat(levels)}1${(open === "[" ? "]" : "}").repeat(levels)}`);

const pick = (pool: () => string[]) => fc.integer({ min: 0, max: 1_000 }).map((i) => pool()[i % pool().length] as string);

function validish(field: string): fc.Arbitrary<unknown> {
  if (/Id$/.test(field)) return pick(() => pools.id ?? []);
  switch (field) {
    case "handle":
    case "agentHandle":
      return pick(() => pools.handle ?? []);
    case "after":
    case "before":
      return fc.oneof(fc.constantFrom(...HUGE_NUMBER_TEXT), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String));
    case "amount":
    case "refundAmount":
    case "price":
    case "limit":
      return fc.integer({ min: 1, max: 5_000 });
    case "deliveryInHours":
      return fc.integer({ min: 1, max: 200 });
    case "currency":
      return fc.constantFrom("USD", "EUR", "usd", "ZZZ");
    case "channel":
      return fc.constantFrom("email", "whatsapp", "telegram", "sms");
    case "address":
      return fc.constantFrom("+1 555 010 2030", "owner@example.com", "not an address");
    case "suspended":
    case "enabled":
    case "active":
      return fc.boolean();
    case "minSeverity":
      return fc.constantFrom("info", "warning", "urgent");
    case "outcome":
      return fc.constantFrom("release", "refund", "split");
    case "url":
      return fc.constantFrom("https://example.com/hook", "http://127.0.0.1:1/x", "javascript:alert(1)");
    case "artifactContract":
      return fc.oneof(fc.constant({ kinds: ["image"] }), fc.jsonValue({ maxDepth: 4 }));
    default:
      return hostileString;
  }
}

function inputArbitrary(proc: ProcedureInfo): fc.Arbitrary<string> {
  const record = fc.record(
    Object.fromEntries(proc.fields.map((f) => [f, fc.oneof({ weight: 3, arbitrary: validish(f) }, { weight: 2, arbitrary: hostileValue })])),
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: record.map((r) => JSON.stringify(r)) },
    { weight: 2, arbitrary: fc.tuple(record, deepJson).map(([r, d]) => JSON.stringify(r).replace(/}$/, `${Object.keys(r).length ? "," : ""}"nested":${d}}`)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? "null") },
  );
}

const INTERNAL_TEXT = /prisma|invalid `|\n\s+at |does not exist|violates|constraint|out of range for type/i;
const short = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);

// ---- the run ---------------------------------------------------------------

describe("fuzzing every tRPC procedure through the route", () => {
  it.each(procedures().map((p) => [p.path, p] as const))("%s: no 5xx, no internal text", async (_path, proc) => {
    const details = await fc.check(
      fc.asyncProperty(inputArbitrary(proc), fc.constantFrom("anonymous", "customer", "owner", "admin"), async (input, role) => {
        const response = await send(proc, input, role);
        const context = `${role} ${proc.path} ${short(input)} → ${response.status} ${short(response.text)}`;
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 400) expect(response.text, context).not.toMatch(INTERNAL_TEXT);
      }),
      { seed: SEED, numRuns: RUNS_PER_PROCEDURE, endOnFailure: true },
    );
    if (details.failed) throw new Error(String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance).slice(0, 2_000));
  });

  it.each(procedures().filter((p) => p.type === "mutation").map((p) => [p.path, p] as const))(
    "%s: 8 identical calls at once — never a 5xx",
    async (_path, proc) => {
      const input = Object.fromEntries(proc.fields.map((f) => [f, fc.sample(validish(f), { seed: SEED, numRuns: 1 })[0]]));
      if ("handle" in input) input.handle = `race-${proc.path.replace(/\W/g, "-").toLowerCase()}`.slice(0, 40);
      const responses = await Promise.all(Array.from({ length: 8 }, () => send(proc, JSON.stringify(input), "owner")));
      for (const r of responses) {
        expect(r.status, `${proc.path} → ${r.status} ${short(r.text)}`).toBeLessThan(500);
        if (r.status >= 400) expect(r.text).not.toMatch(INTERNAL_TEXT);
      }
    },
  );
});
