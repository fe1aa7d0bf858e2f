/**
 * The delivery precondition (SPEC §3.2): `complete` succeeds only if the platform's own record shows
 * an artifact sent on this escrow since its last status change, and — when the catalog service
 * declares an artifact contract — at least one such artifact satisfies it. The agent's word never
 * counts; only artifacts the platform stored do.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { linearRegExp } from "../linear-regexp";
import { reject, type Rejection } from "./errors";
import { jsonSchemaProblems, MAX_SCHEMA_CHECK_COST, schemaCheckCost } from "./json-schema-rules";
import { ARTIFACT_KINDS, type ArtifactKind } from "./states";

/** An artifact the platform stored and the agent sent on this escrow (the service filters by time). */
export interface DeliveredArtifact {
  id: string;
  kind: ArtifactKind;
  mimeType: string;
  /** The JSON payload of a `data` artifact. */
  data?: unknown;
  /** The content's SHA-256 and size as recorded at upload (content-addressed delivery, issue 18). */
  sha256?: string;
  sizeBytes?: number;
}

/** Service.artifact_contract from PROTOCOL.md; snake_case because it is stored and shown as on the wire. */
export interface ArtifactContract {
  kinds?: string[];
  /** Exact types ("image/png") or a whole family ("image/*"). */
  mime_types?: string[];
  /** Applies to `data` artifacts only. */
  json_schema?: object | null;
}

export type DeliveryCheck = { ok: true; qualifying: string[] } | { ok: false; rejection: Rejection };

export function checkDelivery(
  artifacts: readonly DeliveredArtifact[],
  contract: ArtifactContract | null,
): DeliveryCheck {
  if (artifacts.length === 0) return { ok: false, rejection: noArtifactRejection() };
  if (contract === null) return { ok: true, qualifying: artifacts.map((a) => a.id) };

  const problems: string[] = [];
  const qualifying: string[] = [];
  for (const artifact of artifacts) {
    const problem = contractProblem(artifact, contract);
    if (problem === null) qualifying.push(artifact.id);
    else problems.push(problem);
  }
  if (qualifying.length > 0) return { ok: true, qualifying };
  // Stryker disable next-line StringLiteral: nothing qualified, so every artifact (there is one) left a problem; the fallback never shows
  return { ok: false, rejection: contractUnmetRejection(contract, problems[0] ?? "") };
}

function noArtifactRejection(): Rejection {
  return reject(
    "no_artifact_since_last_status_change",
    "No artifact has been sent on this escrow since it became active. A message saying the work is " +
      "attached is not an artifact: upload the work with upload_artifact, send it with send_message " +
      "including its artifact_ids and this escrow_id, then call complete again.",
  );
}

function contractUnmetRejection(contract: ArtifactContract, firstProblem: string): Rejection {
  return reject(
    "artifact_contract_unmet",
    `None of the artifacts sent since the escrow became active meets this service's artifact contract ` +
      `(expected ${describeContract(contract)}). ${firstProblem} Upload a qualifying artifact, send it ` +
      `with send_message tied to this escrow, then call complete again.`,
  );
}

/** A sentence fragment describing what the contract accepts, e.g. "kind image with MIME type image/png". */
export function describeContract(contract: ArtifactContract): string {
  const parts: string[] = [];
  if (nonEmpty(contract.kinds)) parts.push(`kind ${contract.kinds.join(" or ")}`);
  if (nonEmpty(contract.mime_types)) parts.push(`MIME type ${contract.mime_types.join(" or ")}`);
  if (contract.json_schema) parts.push("data matching the service's JSON Schema");
  return parts.length > 0 ? parts.join(", with ") : "any artifact";
}

/** Why this artifact does not satisfy the contract, as a sentence; null when it does. */
function contractProblem(artifact: DeliveredArtifact, contract: ArtifactContract): string | null {
  const name = `Artifact ${artifact.id}`;
  if (nonEmpty(contract.kinds) && !contract.kinds.includes(artifact.kind)) {
    return `${name} is of kind ${artifact.kind}, not ${contract.kinds.join(" or ")}.`;
  }
  if (nonEmpty(contract.mime_types) && !contract.mime_types.some((m) => mimeMatches(m, artifact.mimeType))) {
    return `${name} has MIME type ${artifact.mimeType}, not ${contract.mime_types.join(" or ")}.`;
  }
  if (artifact.kind === "data" && contract.json_schema) {
    return schemaProblem(name, artifact.data, contract.json_schema);
  }
  return null;
}

function schemaProblem(name: string, data: unknown, schema: object): string | null {
  if (data === undefined) return `${name} carries no JSON data.`;
  const compiled = compileSchema(schema);
  if (!compiled.ok) {
    return `The service's JSON Schema is invalid (${compiled.error}); notify your owner (reason extension_failure).`;
  }
  const cost = schemaCheckCost(schema as Record<string, unknown>, data);
  if (cost > MAX_SCHEMA_CHECK_COST) {
    return (
      `${name} is too large to check against the service's JSON Schema (about ${cost} checks, at most ` +
      `${MAX_SCHEMA_CHECK_COST}): send smaller data, or notify your owner (reason extension_failure) to simplify the schema.`
    );
  }
  if (compiled.validate(data)) return null;
  return `${name} does not match the JSON Schema: ${formatAjvError(compiled.validate.errors?.[0])}.`;
}

function formatAjvError(error: ErrorObject | undefined): string {
  // Stryker disable next-line StringLiteral: a validator that returned false always set at least one error
  if (!error) return "validation failed";
  const where = error.instancePath === "" ? "the data" : `data${error.instancePath}`;
  // Stryker disable next-line StringLiteral: Ajv gives every error of its own keywords a message
  return `${where} ${error.message ?? "is invalid"}`;
}

function mimeMatches(pattern: string, mimeType: string): boolean {
  const wanted = pattern.toLowerCase();
  const lower = mimeType.toLowerCase();
  const parametersAt = lower.indexOf(";");
  const actual = (parametersAt === -1 ? lower : lower.slice(0, parametersAt)).trim();
  if (wanted.endsWith("/*")) return actual.startsWith(wanted.slice(0, -1));
  return wanted === actual;
}

function nonEmpty(list: string[] | undefined): list is string[] {
  return list !== undefined && list.length > 0;
}

// ── JSON Schema compilation, cached ───────────────────────────────────────────────────────────────

type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

/** Compiling is the expensive part; contracts are few and repeat, so cache by the schema's JSON text. */
const compiledSchemas = new Map<string, Compiled>();
const MAX_CACHED_SCHEMAS = 500;

function compileSchema(schema: object): Compiled {
  const cacheKey = JSON.stringify(schema);
  const cached = compiledSchemas.get(cacheKey);
  if (cached) return cached;
  const compiled = compileFresh(schema);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory; a schema compiles to the same validator cached or not
  if (compiledSchemas.size >= MAX_CACHED_SCHEMAS) compiledSchemas.clear();
  compiledSchemas.set(cacheKey, compiled);
  return compiled;
}

function compileFresh(schema: object): Compiled {
  // The bounds are checked here too, not only on save, so a schema stored before they existed still
  // cannot run unbounded at delivery.
  const problems = jsonSchemaProblems(schema);
  if (problems.length > 0) return { ok: false, error: problems.join("; ") };
  // One Ajv instance per schema, so two owners' schemas that reuse the same `$id` cannot collide.
  // `strict: false` tolerates keywords Ajv does not know (owners write schemas by hand);
  // `validateFormats: false` because ajv-formats is not a dependency and an unknown format would
  // otherwise fail compilation (and no format's own regular expression ever runs).
  // `code.regExp`: `pattern` and `patternProperties` run on the linear-time engine, never on
  // JavaScript's backtracking one (ReDoS). `$data` stays off, so a pattern never comes from the data.
  const ajv = new Ajv({
    strict: false,
    // Stryker disable next-line BooleanLiteral: with strict off and no formats registered, Ajv ignores an unknown format either way (it only logs)
    validateFormats: false,
    // Stryker disable next-line BooleanLiteral: errors[0] is the same first failure either way; allErrors only keeps checking after it
    allErrors: false,
    $data: false,
    code: { regExp: linearRegExp },
  });
  try {
    return { ok: true, validate: ajv.compile(schema) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

// ── Parsing a stored contract ─────────────────────────────────────────────────────────────────────

export class InvalidArtifactContractError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid artifact contract: ${problems.join("; ")}`);
    this.name = "InvalidArtifactContractError";
    this.problems = problems;
  }
}

/**
 * The one shape of a contract everywhere it is stored or shown (PROTOCOL.md "Service"): all three keys,
 * lists never null (an empty list means no constraint), `json_schema` an object or null.
 */
export interface ArtifactContractJson {
  kinds: ArtifactKind[];
  mime_types: string[];
  json_schema: Record<string, unknown> | null;
}

/**
 * Reads an artifact contract from untrusted JSON (an owner's form, the seed) for saving: the shape, and
 * the JSON Schema's bounds and patterns (json-schema-rules.ts), and that it compiles.
 * null/undefined → null (no contract). A malformed contract throws InvalidArtifactContractError rather
 * than returning null, because "no contract" would silently accept any delivery.
 */
export function parseArtifactContract(x: unknown): ArtifactContractJson | null {
  return readContract(x, { checkSchema: true });
}

/**
 * Reads a contract that was stored: the same shape, but the JSON Schema is judged when a delivery is
 * checked (an unusable schema then answers "notify your owner"), so a contract stored under older
 * rules does not break `complete` or the catalog.
 */
export function readStoredArtifactContract(x: unknown): ArtifactContractJson | null {
  return readContract(x, { checkSchema: false });
}

/**
 * The protocol's `artifact_contract` for a stored value, whatever older code stored (missing keys,
 * null lists): the only serializer of contracts to agents, the market and the console. It never
 * throws; what cannot be read as a list or a schema shows as no constraint. Null or undefined (no
 * contract) reads as null.
 */
export function artifactContractJson(stored: unknown): ArtifactContractJson | null {
  try {
    return readStoredArtifactContract(stored);
  } catch {
    const x = isPlainObject(stored) ? stored : {};
    return {
      kinds: isStringArray(x.kinds) ? x.kinds.filter(isArtifactKind) : [],
      mime_types: isStringArray(x.mime_types) ? [...x.mime_types] : [],
      json_schema: isPlainObject(x.json_schema) ? x.json_schema : null,
    };
  }
}

function readContract(x: unknown, options: { checkSchema: boolean }): ArtifactContractJson | null {
  if (x === null || x === undefined) return null;
  if (!isPlainObject(x)) throw new InvalidArtifactContractError(["must be an object or null"]);
  // A null list means "no constraint", as older stored catalogs say it.
  const given: Record<string, unknown> = Object.fromEntries(
    Object.entries(x).filter(([key, value]) => !(value === null && (key === "kinds" || key === "mime_types"))),
  );
  const problems = artifactContractProblems(given, options);
  if (problems.length > 0) throw new InvalidArtifactContractError(problems);
  return {
    kinds: given.kinds === undefined ? [] : [...(given.kinds as ArtifactKind[])],
    mime_types: given.mime_types === undefined ? [] : [...(given.mime_types as string[])],
    json_schema: (given.json_schema ?? null) as Record<string, unknown> | null,
  };
}

function isArtifactKind(x: string): x is ArtifactKind {
  return (ARTIFACT_KINDS as readonly string[]).includes(x);
}

function artifactContractProblems(x: Record<string, unknown>, options: { checkSchema: boolean }): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(x)) {
    if (key !== "kinds" && key !== "mime_types" && key !== "json_schema") problems.push(`unknown key "${key}"`);
  }
  if (x.kinds !== undefined) {
    if (!isStringArray(x.kinds)) problems.push("kinds must be an array of strings");
    else {
      const unknown = x.kinds.filter((k) => !(ARTIFACT_KINDS as readonly string[]).includes(k));
      if (unknown.length > 0)
        problems.push(`kinds must be among ${ARTIFACT_KINDS.join(", ")}; got ${unknown.join(", ")}`);
    }
  }
  if (x.mime_types !== undefined) {
    if (!isStringArray(x.mime_types) || x.mime_types.some((m) => !/^[\w.+-]+\/(\*|[\w.+-]+)$/.test(m))) {
      problems.push('mime_types must be an array of MIME types such as "image/png" or "image/*"');
    }
  }
  if (x.json_schema !== undefined && x.json_schema !== null) {
    if (!isPlainObject(x.json_schema)) problems.push("json_schema must be an object or null");
    else if (options.checkSchema) {
      const schemaProblems = jsonSchemaProblems(x.json_schema);
      if (schemaProblems.length > 0) problems.push(...schemaProblems);
      else {
        const compiled = compileSchema(x.json_schema);
        if (!compiled.ok) problems.push(`json_schema does not compile: ${compiled.error}`);
      }
    }
  }
  return problems;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  // Stryker disable next-line ConditionalExpression: every caller has already handled null (a null contract or json_schema)
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((item) => typeof item === "string");
}
