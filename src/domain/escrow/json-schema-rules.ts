/**
 * What an owner's JSON Schema (an artifact contract's `json_schema`) may be. The schema is written by
 * one stranger and run against data written by another, inside `complete`; so its cost must be
 * bounded before it is stored: its size, its nesting, its patterns (linear-time engine only), the
 * size it reaches once every `$ref` is followed, and `uniqueItems`, which compares items pairwise.
 * Each problem names where it is, e.g. `json_schema/properties/code/pattern`.
 */
import { linearPatternProblem } from "../linear-regexp";

/** Serialized (UTF-8 JSON) size; a contract's schema is a few hundred bytes in practice. */
export const MAX_JSON_SCHEMA_BYTES = 16_384;
/** JSON nesting (objects and arrays) below the schema's root object. */
export const MAX_JSON_SCHEMA_DEPTH = 32;
/** Subschemas counted after following every `$ref` (a chain of `anyOf` refs doubles at each step). */
export const MAX_JSON_SCHEMA_EXPANDED_NODES = 2_000;
/** `uniqueItems` compares every pair of items, so it needs a `maxItems` of at most this beside it. */
export const MAX_UNIQUE_ITEMS = 1_000;

const SCHEMA_KEYWORDS = [
  "additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else",
  "unevaluatedItems", "unevaluatedProperties", "contentSchema",
] as const;
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"] as const;
const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"] as const;
/** Keywords that move `$ref` resolution away from this document or make it dynamic. */
const REFUSED_KEYWORDS = ["$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"] as const;

type Schema = boolean | Record<string, unknown>;

/** Every problem with `schema` as a JSON Schema for an artifact contract; empty when it may be stored. */
export function jsonSchemaProblems(schema: unknown, at = "json_schema"): string[] {
  if (!isObject(schema)) return [`${at} must be an object`];
  const depth = nestingDepth(schema, MAX_JSON_SCHEMA_DEPTH + 1);
  if (depth > MAX_JSON_SCHEMA_DEPTH) return [`${at} is nested more than ${MAX_JSON_SCHEMA_DEPTH} levels deep`];
  const bytes = new TextEncoder().encode(JSON.stringify(schema)).length;
  if (bytes > MAX_JSON_SCHEMA_BYTES) {
    return [`${at} is ${bytes} bytes; at most ${MAX_JSON_SCHEMA_BYTES} bytes of JSON are allowed`];
  }
  const problems: string[] = [];
  checkNode(schema, schema, at, true, problems);
  if (problems.length > 0) return problems;
  const expanded = expandedSize(schema, schema, new Map(), new Set());
  if (expanded === "cycle") return [`${at} has a recursive $ref (a reference that leads back to itself); recursion is not supported`];
  if (expanded > MAX_JSON_SCHEMA_EXPANDED_NODES) {
    return [`${at} reaches more than ${MAX_JSON_SCHEMA_EXPANDED_NODES} subschemas once its $refs are followed`];
  }
  return [];
}

function checkNode(node: Schema, root: Record<string, unknown>, at: string, isRoot: boolean, problems: string[]): void {
  if (typeof node === "boolean") return;
  for (const keyword of REFUSED_KEYWORDS) {
    if (keyword in node) problems.push(`${at}/${keyword} is not supported`);
  }
  if (!isRoot && "$id" in node) problems.push(`${at}/$id is only allowed at the top of the schema`);
  if (typeof node.pattern === "string") {
    const problem = linearPatternProblem(node.pattern);
    if (problem) problems.push(`${at}/pattern ${JSON.stringify(node.pattern)} ${problem}`);
  }
  if (isObject(node.patternProperties)) {
    for (const key of Object.keys(node.patternProperties)) {
      const problem = linearPatternProblem(key);
      if (problem) problems.push(`${at}/patternProperties/${escapePointer(key)}: the pattern ${JSON.stringify(key)} ${problem}`);
    }
  }
  if (node.$ref !== undefined && (typeof node.$ref !== "string" || resolveLocalRef(root, node.$ref) === undefined)) {
    problems.push(`${at}/$ref must point inside this schema as a JSON pointer such as "#/$defs/name"`);
  }
  if (node.uniqueItems === true) {
    const max = node.maxItems;
    if (typeof max !== "number" || max > MAX_UNIQUE_ITEMS) {
      problems.push(`${at}/uniqueItems needs "maxItems" of at most ${MAX_UNIQUE_ITEMS} in the same schema`);
    }
  }
  for (const [path, child] of subschemas(node)) checkNode(child, root, `${at}/${path}`, false, problems);
}

/** The subschemas directly under `node`, with their paths relative to it. */
function subschemas(node: Record<string, unknown>): [string, Schema][] {
  const found: [string, Schema][] = [];
  const add = (path: string, value: unknown) => {
    if (isSchema(value)) found.push([path, value]);
  };
  for (const keyword of SCHEMA_KEYWORDS) add(keyword, node[keyword]);
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = node[keyword];
    if (Array.isArray(list)) list.forEach((value, i) => add(`${keyword}/${i}`, value));
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = node[keyword];
    if (isObject(map)) for (const [key, value] of Object.entries(map)) add(`${keyword}/${escapePointer(key)}`, value);
  }
  if (Array.isArray(node.items)) node.items.forEach((value, i) => add(`items/${i}`, value));
  else add("items", node.items);
  if (isObject(node.dependencies)) {
    for (const [key, value] of Object.entries(node.dependencies)) add(`dependencies/${escapePointer(key)}`, value);
  }
  return found;
}

/** Subschemas reached from `node`, each `$ref` target counted every time it is referenced. */
function expandedSize(
  node: Schema,
  root: Record<string, unknown>,
  memo: Map<object, number>,
  visiting: Set<object>,
): number | "cycle" {
  if (typeof node === "boolean") return 1;
  const known = memo.get(node);
  if (known !== undefined) return known;
  if (visiting.has(node)) return "cycle";
  visiting.add(node);
  let total = 1;
  const children = subschemas(node).map(([, child]) => child);
  if (typeof node.$ref === "string") {
    const target = resolveLocalRef(root, node.$ref);
    if (target !== undefined) children.push(target);
  }
  for (const child of children) {
    const size = expandedSize(child, root, memo, visiting);
    if (size === "cycle") return "cycle";
    // Past the limit the exact number no longer matters; capping keeps the arithmetic small.
    total = Math.min(total + size, MAX_JSON_SCHEMA_EXPANDED_NODES + 1);
  }
  visiting.delete(node);
  memo.set(node, total);
  return total;
}

/** The subschema a `#`/`#/a/b` reference names in this document, or undefined. */
function resolveLocalRef(root: Record<string, unknown>, ref: string): Schema | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    } catch {
      return undefined;
    }
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(segment)) current = current[Number(segment)];
    else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return isSchema(current) ? current : undefined;
}

/** Nesting depth of a JSON value (0 for a scalar), counted without recursion and stopping at `stopAt`. */
export function nestingDepth(value: unknown, stopAt: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    const level = depth + 1;
    deepest = Math.max(deepest, level);
    if (deepest >= stopAt) return deepest;
    for (const child of Object.values(current)) stack.push([child, level]);
  }
  return deepest;
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

function isSchema(x: unknown): x is Schema {
  return typeof x === "boolean" || isObject(x);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
