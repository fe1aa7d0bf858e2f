/**
 * What an owner's JSON Schema (an artifact contract's `json_schema`) may be. The schema is written by
 * one stranger and run against data written by another, inside `complete`; so its cost must be
 * bounded before it is stored: its size, its nesting, its patterns (linear-time engine only), the
 * size it reaches once every `$ref` is followed, and `uniqueItems`, which compares items pairwise.
 * Each problem names where it is, e.g. `json_schema/properties/code/pattern`. What a schema costs
 * also depends on the data, so each delivery's check is bounded too (`schemaCheckCost`).
 */
import { linearPatternCostPer100Chars, linearPatternProblem } from "../linear-regexp";

/** Serialized (UTF-8 JSON) size; a contract's schema is a few hundred bytes in practice. */
export const MAX_JSON_SCHEMA_BYTES = 16_384;
/** JSON nesting (objects and arrays) below the schema's root object. */
export const MAX_JSON_SCHEMA_DEPTH = 32;
/** Subschemas counted after following every `$ref` (a chain of `anyOf` refs doubles at each step). */
export const MAX_JSON_SCHEMA_EXPANDED_NODES = 2_000;
/** `uniqueItems` compares every pair of items, so it needs a `maxItems` of at most this beside it. */
export const MAX_UNIQUE_ITEMS = 100;
/**
 * The most work one data artifact may cost to check (`schemaCheckCost`): subschemas applied × values
 * they apply to. Measured: 900 failing `anyOf` branches over 250,000 numbers (2.25e8) took 74 s, so this
 * bound keeps a check to a fraction of a second; a 20-subschema report over 10,000 values costs 2e5.
 */
export const MAX_SCHEMA_CHECK_COST = 1_000_000;

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

// ── The work a check costs ───────────────────────────────────────────────────────────────────────

/** Keywords whose subschemas apply to the same value as their parent. */
const SAME_VALUE_KEYWORDS = ["not", "if", "then", "else"] as const;
const SAME_VALUE_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf"] as const;
/** Keywords whose subschemas apply to the values one level down (items, property values, names). */
const CHILD_VALUE_KEYWORDS = ["additionalItems", "additionalProperties", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"] as const;

/**
 * How many subschemas apply at each depth of the data (index 0: the artifact's root value), every
 * `$ref` followed; `subtree[d]` adds work over every value at depth d and below (`uniqueItems`
 * compares whole items). `$defs`/`definitions` count only where referenced.
 */
interface WorkProfile {
  at: number[];
  subtree: number[];
}

/**
 * Upper estimate of the work of checking `data` against `schema` (a schema that passed
 * `jsonSchemaProblems`): Σ over data depths of subschemas applying there × the values there, a string
 * weighing 1 per 100 characters more (patterns and lengths read it whole).
 */
export function schemaCheckCost(schema: Record<string, unknown>, data: unknown): number {
  const profile = workProfile(schema, schema, new Map());
  const weights = dataWeightByDepth(data);
  let cost = 0;
  let atAndBelow = 0; // the data's weight at depth d and deeper, summed from the bottom up
  // Stryker disable next-line ArithmeticOperator: starting past the deepest level only adds levels of weight 0, which cost nothing
  for (let d = weights.length - 1; d >= 0; d--) {
    atAndBelow += weights[d] ?? 0;
    cost += (profile.at[d] ?? 0) * (weights[d] ?? 0) + (profile.subtree[d] ?? 0) * atAndBelow;
  }
  return cost;
}

function workProfile(node: Schema, root: Record<string, unknown>, memo: Map<object, WorkProfile>): WorkProfile {
  if (typeof node === "boolean") return { at: [1], subtree: [] };
  const known = memo.get(node);
  if (known) return known;
  // A pattern costs by the size of its program (a string weighs 1 per 100 characters, see dataWeightByDepth).
  // `enum`, `const` and `required` compare against each listed value or name.
  const listed = (Array.isArray(node.enum) ? node.enum.length : 0) + (Array.isArray(node.required) ? node.required.length : 0);
  const compared = (node.enum !== undefined ? JSON.stringify(node.enum).length : 0) + (node.const !== undefined ? JSON.stringify(node.const).length : 0);
  const ownCost =
    1 +
    (typeof node.pattern === "string" ? linearPatternCostPer100Chars(node.pattern) : 0) +
    Math.ceil(listed / 10) +
    Math.ceil(compared / 100);
  const keyPatternCost = isObject(node.patternProperties)
    ? Object.keys(node.patternProperties).reduce((sum, key) => sum + linearPatternCostPer100Chars(key), 0)
    : 0;
  // patternProperties' key patterns read the keys one level down (0 when there are none).
  const profile: WorkProfile = { at: [ownCost, keyPatternCost], subtree: [] };
  // Cycles were refused by jsonSchemaProblems; mark the node so a stray one cannot loop.
  memo.set(node, profile);
  const addShifted = (child: WorkProfile, shift: number) => {
    child.at.forEach((n, d) => (profile.at[d + shift] = (profile.at[d + shift] ?? 0) + n));
    child.subtree.forEach((n, d) => (profile.subtree[d + shift] = (profile.subtree[d + shift] ?? 0) + n));
  };
  const same: unknown[] = SAME_VALUE_KEYWORDS.map((k) => node[k]);
  for (const k of SAME_VALUE_LIST_KEYWORDS) if (Array.isArray(node[k])) same.push(...(node[k] as unknown[]));
  for (const k of ["dependentSchemas", "dependencies"] as const) {
    if (isObject(node[k])) same.push(...Object.values(node[k]));
  }
  if (typeof node.$ref === "string") same.push(resolveLocalRef(root, node.$ref));
  const child: unknown[] = CHILD_VALUE_KEYWORDS.map((k) => node[k]);
  for (const k of ["properties", "patternProperties"] as const) if (isObject(node[k])) child.push(...Object.values(node[k]));
  if (Array.isArray(node.items)) child.push(...node.items);
  else child.push(node.items);
  if (Array.isArray(node.prefixItems)) child.push(...(node.prefixItems as unknown[]));
  for (const value of same) if (isSchema(value)) addShifted(workProfile(value, root, memo), 0);
  for (const value of child) if (isSchema(value)) addShifted(workProfile(value, root, memo), 1);
  if (node.uniqueItems === true) {
    const pairsPerItem = Math.min(typeof node.maxItems === "number" ? node.maxItems : MAX_UNIQUE_ITEMS, MAX_UNIQUE_ITEMS) / 2;
    profile.subtree[1] = (profile.subtree[1] ?? 0) + pairsPerItem;
  }
  return profile;
}

/** The data's values counted by depth, a string weighing 1 more per 100 characters. */
function dataWeightByDepth(data: unknown): number[] {
  const weights: number[] = [];
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    const extra = typeof value === "string" ? Math.ceil(value.length / 100) : 0;
    weights[depth] = (weights[depth] ?? 0) + 1 + extra;
    if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        // An object's keys are read too (propertyNames, patternProperties, additionalProperties).
        if (!Array.isArray(value)) weights[depth + 1] = (weights[depth + 1] ?? 0) + Math.ceil(key.length / 100);
        stack.push([child, depth + 1]);
      }
    }
  }
  return weights;
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
