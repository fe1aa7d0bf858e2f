// Hostile-input fuzzing of every agent API operation over real HTTP (issue 10).
// For each operation, fast-check builds requests from the operation's own zod
// input (its field names): each field is left out, valid-ish (real ids of this
// agent's and another agent's objects, sensible amounts) or hostile (wrong
// types, huge and odd unicode strings, NUL bytes, nulls, nested objects,
// negative/huge/fractional amounts, path traversal, HTML and script), plus
// extra fields and occasionally a body that is not a JSON object at all. Issue 16 added the shapes
// that were still 500s: JSON nested thousands deep, numbers beyond bigint in cursors and limits,
// malformed percent-encoding in path segments, and identical creates racing each other.
// Invariants, checked on every request: never a 5xx; an error has PROTOCOL's
// shape; a 4xx changes no row (dataSnapshot). Afterwards the ledger checks.
// Seeded and bounded, so a run is the same every time.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatabaseLedger } from "../ledger/check";
import { OPERATIONS } from "./operations";
import { call, createWorld, dataSnapshot, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";

const RUNS_PER_OPERATION = 30;
const SEED = 20_260_110;

let h: Harness;
let a: World;
let b: World;
const pools: Record<string, string[]> = {};

/** Escrows of agent A in every state an agent can act in, and its other objects. */
async function buildObjects() {
  const refs: string[] = [];
  const offer = (title: string, amount: number) =>
    a.client.createEscrow({ conversation_id: a.conversationId, title, amount, currency: "USD", service_id: a.serviceId });
  const deliver = async (id: string) => {
    const art = await a.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES });
    await a.client.sendMessage(a.conversationId, { text: "here", artifact_ids: [art.id], escrow_id: id });
    await a.client.complete(id);
  };
  const pending = await offer("Pending", 1_000);
  const active = await offer("Active", 1_100);
  await a.customerApi.escrow.accept({ escrowId: active.id });
  const delivered = await offer("Delivered", 1_200);
  await a.customerApi.escrow.accept({ escrowId: delivered.id });
  await deliver(delivered.id);
  const disputed = await offer("Disputed", 1_300);
  await a.customerApi.escrow.accept({ escrowId: disputed.id });
  await deliver(disputed.id);
  await a.customerApi.escrow.dispute({ escrowId: disputed.id, reason: "broken" });
  const negotiating = await offer("Negotiating", 1_400);
  await a.customerApi.escrow.accept({ escrowId: negotiating.id });
  await deliver(negotiating.id);
  await a.customerApi.escrow.dispute({ escrowId: negotiating.id, reason: "broken" });
  await a.client.defend(negotiating.id, "it works");
  await a.customerApi.escrow.proposeSettlement({ escrowId: negotiating.id, refundAmount: 400 });
  for (const e of [pending, active, delivered, disputed, negotiating]) refs.push(e.id, e.reference_code);
  const settlement = await h.tdb.db.settlement.findFirstOrThrow({ where: { escrowId: negotiating.id, status: "open" } });
  const other = await b.client.createEscrow({ conversation_id: b.conversationId, title: "B", amount: 500, currency: "USD" });
  const artifacts: string[] = [];
  for (let i = 0; i < 4; i++) artifacts.push((await a.client.uploadFile({ name: `spare-${i}.png`, bytes: PNG_BYTES })).id);
  const otherArtifact = (await b.client.uploadFile({ name: "b.png", bytes: PNG_BYTES })).id;

  pools.escrow = [...refs, other.id, other.reference_code];
  pools.conversation = [a.conversationId, b.conversationId];
  pools.settlement = [settlement.id];
  pools.service = [a.serviceId, b.serviceId];
  pools.artifact = [...artifacts, otherArtifact];
}

// ---- arbitraries -----------------------------------------------------------

const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

const NASTY = [
  "", " ", "\t\n", "../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini", "....//....//etc/passwd",
  "a\u0000b", "\u0000", "%00", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">', "'; DROP TABLE escrows; --", "${jndi:ldap://x/a}", "{{7*7}}",
  "\ud800", "\udfff\ud800", "\u202e\u200b\u200d\ufeff", "ЅYЅТЕМ", "🙂".repeat(200), "null", "NaN",
  "-1", "1e400", "__proto__", "constructor", "x".repeat(1_000), "é".repeat(30_000),
];
const nastyStrings = fc.constantFrom(...NASTY);

const hostileString = fc.oneof(nastyStrings, fc.string({ unit: "binary", maxLength: 200 }), anyUtf16);

const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, -0.000001, 1.0000001, 2 ** 53, 2 ** 53 - 1, 2 ** 63, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom({ __proto__: { admin: true } }, JSON.parse('{"__proto__":{"trusted":true}}') as unknown) },
);

const pick = (pool: () => string[]) => fc.integer({ min: 0, max: 1_000 }).map((i) => pool()[i % pool().length] as string);

/** Valid-ish values by field name: real objects and in-range amounts, so commands can succeed too. */
function validish(field: string): fc.Arbitrary<unknown> {
  switch (field) {
    case "escrow":
    case "escrow_id":
      return pick(() => pools.escrow ?? []);
    case "conversation_id":
      return pick(() => pools.conversation ?? []);
    case "settlement_id":
      return pick(() => pools.settlement ?? []);
    case "service_id":
      return pick(() => pools.service ?? []);
    case "artifact_id":
      return pick(() => pools.artifact ?? []);
    case "artifact_ids":
      return fc.array(pick(() => pools.artifact ?? []), { maxLength: 3 });
    case "amount":
    case "refund_amount":
      return fc.integer({ min: 1, max: 3_000 });
    case "currency":
      return fc.constantFrom("USD", "EUR", "JPY", "ZZZ", "XAU", "usd", "US", "USDX");
    case "delivery_in_hours":
      return fc.integer({ min: 1, max: 200 });
    case "action":
      return fc.constantFrom("defend", "agree_refund");
    case "kind":
      return fc.constantFrom("data", "file", "image", "audio");
    case "reason":
      return fc.constantFrom("dispute", "off_catalog", "extension_failure", "large_amount", "other", "changed my mind");
    case "severity":
      return fc.constantFrom("info", "warning", "urgent");
    case "data":
      return fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }));
    case "content_base64":
      return fc.oneof(fc.constant(Buffer.from(PNG_BYTES).toString("base64")), fc.uint8Array({ minLength: 1, maxLength: 200 }).map((u) => Buffer.from(u).toString("base64")));
    case "limit":
      return fc.integer({ min: 1, max: 200 }).map(String);
    case "wait":
      return fc.constant("0");
    case "status":
      return fc.constantFrom("pending", "active", "all", "delivered,disputed", "completed");
    default:
      // Free text: titles, descriptions, messages, names, reasons.
      return hostileString;
  }
}

/** Numbers as text beyond what a bigint column, a double or a page size holds (cursors, limits). */
const HUGE_NUMBER_TEXT = ["9".repeat(30), "9223372036854775808", "9223372036854775807", "-9223372036854775809", "1e400", "0".repeat(40) + "1", "18446744073709551616"];

/** A cursor this API never returned, but shaped like one: a date the database cannot hold, a NUL in the id. */
const FORGED_CURSORS = ["+200000-01-01T00:00:00.000Z|x", "-100000-01-01T00:00:00.000Z|x", "2026-01-01T00:00:00.000Z|a\u0000b", "2026-01-01T00:00:00.000Z|"].map((t) =>
  Buffer.from(t, "utf8").toString("base64url"),
);

/** A query value: never a long wait (`wait` is the only one that sleeps). */
function queryValue(field: string): fc.Arbitrary<string> {
  if (field === "wait") return fc.constantFrom("0", "-1", "31", "abc", "1e400", "NaN", "", " ", "0.0", "Infinity");
  return fc.oneof(validish(field).map(String), nastyStrings, fc.constantFrom(...HUGE_NUMBER_TEXT, ...FORGED_CURSORS));
}

/** JSON text nested far deeper than any request needs (was a stack overflow → 500 on every POST). */
const deepJson = fc
  .tuple(fc.integer({ min: 65, max: 6_000 }), fc.constantFrom("[", '{"a":'), fc.constantFrom("1", '"x"', "null"))
  .map(([levels, open, leaf]) => `${open.repeat(levels)}${leaf}${(open === "[" ? "]" : "}").repeat(levels)}`);

/** Raw path segments whose percent-encoding does not decode (a stray %, a cut-off escape, non-UTF-8 bytes). */
const MALFORMED_SEGMENTS = ["%E0%A4%A", "%", "%zz", "%C0%AF", "%ED%A0%80", "a%2", "%FF%FE"];

/** encodeURIComponent, but a lone surrogate becomes bytes that are not UTF-8 (the server must cope). */
function encodePathSegment(value: string): string {
  return [...value].map((ch) => (/[\ud800-\udfff]/.test(ch) ? "%ED%A0%80" : encodeURIComponent(ch))).join("");
}

const short = (text: string | undefined) => (text && text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);

interface FuzzRequest {
  method: "GET" | "POST";
  path: string;
  body?: string;
  headers: Record<string, string>;
}

function requestArbitrary(op: (typeof OPERATIONS)[number]): fc.Arbitrary<FuzzRequest> {
  const fields = Object.keys(op.input.shape);
  const pathParams = [...op.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
  const query = op.query ?? [];
  const bodyFields = fields.filter((f) => !pathParams.includes(f) && !query.includes(f));

  // A path value is encoded, except a malformed raw segment, which goes on the wire as it is.
  const pathValues = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof(
        { weight: 3, arbitrary: validish(p).map((v) => encodePathSegment(String(v))) },
        { weight: 2, arbitrary: hostileString.map(encodePathSegment) },
        { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_SEGMENTS) },
      ),
    ),
  );
  const queryValues = fc.record(Object.fromEntries(query.map((q) => [q, queryValue(q)])), { requiredKeys: [] });
  const bodyRecord = fc.record(
    Object.fromEntries(bodyFields.map((f) => [f, fc.oneof({ weight: 3, arbitrary: validish(f) }, { weight: 2, arbitrary: hostileValue })])),
    { requiredKeys: [] },
  );
  const extras = fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("__proto__", "trusted", "role", "status", "agent_id")), hostileValue, { maxKeys: 3 });
  const body: fc.Arbitrary<string | undefined> =
    op.method === "GET"
      ? fc.constant(undefined)
      : fc.oneof(
          { weight: 8, arbitrary: fc.tuple(bodyRecord, extras).map(([r, x]) => JSON.stringify({ ...x, ...r })) },
          { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? "") },
          { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom("{", '{"a":', "\u0000", "[]]", '{"amount":1e999}')) },
          { weight: 2, arbitrary: fc.tuple(bodyRecord, deepJson).map(([r, d]) => JSON.stringify(r).replace(/}$/, `${Object.keys(r).length ? "," : ""}"nested":${d}}`)) },
        );
  const idempotencyKey = fc.option(fc.constantFrom("fuzz-1", "fuzz-2", "k".repeat(255), "k".repeat(256), " "), { nil: undefined });

  return fc.tuple(pathValues, queryValues, body, idempotencyKey).map(([values, q, json, key]) => {
    let i = 0;
    let path = op.path.replace(/\{[a-z_]+\}/g, () => values[i++] ?? "");
    const search = new URLSearchParams(q as Record<string, string>).toString();
    if (search) path += `?${search}`;
    const headers: Record<string, string> = {};
    if (json !== undefined) headers["content-type"] = "application/json";
    if (key !== undefined && op.method === "POST") headers["idempotency-key"] = key;
    return { method: op.method, path, ...(json !== undefined ? { body: json } : {}), headers };
  });
}

// ---- the run ---------------------------------------------------------------

beforeAll(async () => {
  h = await startHarness();
  a = await createWorld(h);
  b = await createWorld(h);
  await buildObjects();
});
afterAll(() => h.close());

const statuses: Record<string, Record<number, number>> = {};

describe("fuzzing the agent API", () => {
  it.each(OPERATIONS.filter((op) => !op.public).map((op) => [op.id, op] as const))(
    "%s: no 5xx, errors in PROTOCOL's shape, a refusal writes nothing",
    async (id, op) => {
      const seen: Record<number, number> = (statuses[id] = {});
      const details = await fc.check(
        fc.asyncProperty(requestArbitrary(op), async (request) => {
          const before = await dataSnapshot(h);
          const response = await call(h, a.key.key, request.method, request.path, {
            ...(request.body !== undefined ? { body: request.body } : {}),
            headers: request.headers,
          });
          seen[response.status] = (seen[response.status] ?? 0) + 1;
          const context = `${request.method} ${short(request.path)} ${short(request.body) ?? ""} → ${response.status} ${short(JSON.stringify(response.body))}`;
          expect(response.status, context).toBeLessThan(500);
          // 414/431: the HTTP server refused an over-long URL before any code of ours ran.
          if (response.status >= 400 && response.status !== 414 && response.status !== 431) {
            const error = (response.body as { error?: { code?: unknown; message?: unknown } }).error;
            expect(typeof error?.code, context).toBe("string");
            expect(typeof error?.message, context).toBe("string");
          }
          if (response.status >= 400) expect(await dataSnapshot(h), `a refusal wrote rows: ${context}`).toBe(before);
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      if (details.failed) throw new Error(`${id}: ${String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance).slice(0, 2_000)}`);
    },
  );

  it.each(OPERATIONS.filter((op) => !op.public).map((op) => [op.id, op] as const))(
    "%s: every classic hostile string in every field, one at a time",
    async (id, op) => {
      const fields = Object.keys(op.input.shape);
      const pathParams = [...op.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
      const query = op.query ?? [];
      // A fixed valid-ish value per field (the first of each generator), so only the swept field is hostile.
      const base = Object.fromEntries(fields.map((f) => [f, fc.sample(validish(f), { seed: SEED, numRuns: 1 })[0]]));
      for (const field of fields) {
        for (const nasty of NASTY) {
          if (field === "wait") continue; // a valid wait sleeps; its hostile values are in the random run
          const input: Record<string, unknown> = { ...base, [field]: nasty };
          let path = op.path.replace(/\{([a-z_]+)\}/g, (_m, name: string) => encodePathSegment(String(input[name] ?? "")));
          const search = new URLSearchParams(Object.fromEntries(query.filter((q) => input[q] !== undefined).map((q) => [q, String(input[q])]))).toString();
          if (search) path += `?${search}`;
          const body = op.method === "POST" ? JSON.stringify(Object.fromEntries(Object.entries(input).filter(([k]) => !pathParams.includes(k) && !query.includes(k)))) : undefined;
          const before = await dataSnapshot(h);
          const response = await call(h, a.key.key, op.method, path, { ...(body !== undefined ? { body, headers: { "content-type": "application/json" } } : {}) });
          const context = `${id} ${field}=${short(JSON.stringify(nasty))} → ${response.status} ${short(JSON.stringify(response.body))}`;
          expect(response.status, context).toBeLessThan(500);
          if (response.status >= 400) expect(await dataSnapshot(h), `a refusal wrote rows: ${context}`).toBe(before);
        }
      }
    },
  );

  it.each(OPERATIONS.filter((op) => op.method === "POST" && !op.public).map((op) => [op.id, op] as const))(
    "%s: 8 identical requests at once (with one Idempotency-Key, and without) — never a 5xx",
    async (id, op) => {
      const pathParams = [...op.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
      const fields = Object.keys(op.input.shape).filter((f) => !pathParams.includes(f) && !(op.query ?? []).includes(f));
      const input = Object.fromEntries([...pathParams, ...fields].map((f) => [f, fc.sample(validish(f), { seed: SEED + 1, numRuns: 1 })[0]]));
      const path = op.path.replace(/\{([a-z_]+)\}/g, (_m, name: string) => encodePathSegment(String(input[name] ?? "")));
      const body = JSON.stringify(Object.fromEntries(fields.map((f) => [f, input[f]])));
      for (const key of [`race-${id}`, undefined]) {
        const responses = await Promise.all(
          Array.from({ length: 8 }, () =>
            call(h, a.key.key, "POST", path, { body, headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) } }),
          ),
        );
        for (const response of responses) {
          expect(response.status, `${id} ${key ?? "no key"} → ${response.status} ${short(JSON.stringify(response.body))}`).toBeLessThan(500);
        }
      }
    },
  );

  it("exercised successes as well as refusals, and the ledger holds afterwards", async () => {
    const all = Object.values(statuses).flatMap((s) => Object.entries(s));
    const total = (pred: (status: number) => boolean) => all.filter(([s]) => pred(Number(s))).reduce((n, [, c]) => n + c, 0);
    expect(total((s) => s < 300)).toBeGreaterThan(20);
    expect(total((s) => s >= 400)).toBeGreaterThan(100);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});
