import { describe, expect, it } from "vitest";
import { linearPatternCostPer100Chars, linearPatternProblem, linearRegExp } from "../linear-regexp";
import { checkDelivery, parseArtifactContract, InvalidArtifactContractError, type DeliveredArtifact } from "./delivery";
import {
  jsonSchemaProblems,
  MAX_JSON_SCHEMA_BYTES,
  MAX_JSON_SCHEMA_DEPTH,
  MAX_JSON_SCHEMA_EXPANDED_NODES,
  MAX_SCHEMA_CHECK_COST,
  nestingDepth,
  schemaCheckCost,
} from "./json-schema-rules";

const data = (value: unknown): DeliveredArtifact => ({ id: "a_json", kind: "data", mimeType: "application/json", data: value });

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < depth; i++) schema = { type: "object", properties: { x: schema } };
  return schema;
}

/**
 * A time bound in ms. Under mutation testing (STRYKER_MUTATOR_WORKER) the code is instrumented and the
 * machine is loaded, so the bound is ten times looser there; a mutant that removes a cost bound still
 * takes tens of seconds and ends as a timeout, which Stryker counts as detected.
 */
const within = (ms: number) => (process.env.STRYKER_MUTATOR_WORKER ? ms * 10 : ms);

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe("the linear-time pattern engine", () => {
  it("answers catastrophic-backtracking patterns in linear time", () => {
    for (const pattern of ["^(a|a)+$", "^(a+)+$", "^(\\w+\\s?)*$", "(x+x+)+y", "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*$"]) {
      const rx = linearRegExp(pattern, "u");
      const { value, ms } = timed(() => rx.test(`${"a".repeat(5_000)}!`));
      expect(value).toBe(false);
      expect(ms).toBeLessThan(within(500));
    }
  });

  it("keeps ECMAScript meaning for the usual pattern syntax", () => {
    const cases: [string, string, boolean][] = [
      ["^[A-Z]{3}$", "USD", true],
      ["^[A-Z]{3}$", "usd", false],
      ["^\\d{4}-\\d{2}$", "2026-11", true],
      ["^[\\u0041-\\u005A]+$", "ABC", true],
      ["^(?<year>\\d{4})$", "2026", true],
      ["^\\p{Lu}", "Élan", true],
      ["a/b", "xa/by", true],
    ];
    for (const [pattern, input, expected] of cases) {
      expect(linearPatternProblem(pattern)).toBeNull();
      expect(linearRegExp(pattern, "u").test(input)).toBe(expected);
      expect(new RegExp(pattern, "u").test(input)).toBe(expected);
    }
  });

  it.each([
    ["a backreference", "^(a)\\1$", /backreferences/],
    ["a named backreference", "^(?<x>a)\\k<x>$", /backreferences/],
    ["a lookahead", "^(?=a)a$", /lookahead/],
    ["a negative lookbehind", "(?<!a)b", /lookahead/],
    ["an invalid pattern", "([a-", /not a valid regular expression/],
    ["an overlong pattern", "a".repeat(1_001), /longer than 1000/],
  ])("refuses %s", (_, pattern, message) => {
    expect(linearPatternProblem(pattern)).toMatch(message);
  });
});

describe("jsonSchemaProblems", () => {
  it("accepts an ordinary contract schema", () => {
    expect(
      jsonSchemaProblems({
        $id: "https://example.test/report",
        type: "object",
        required: ["summary"],
        properties: { summary: { type: "string", pattern: "^\\S" }, tags: { type: "array", uniqueItems: true, maxItems: 20 } },
        patternProperties: { "^x-": { type: "string" } },
        $defs: { source: { type: "string", format: "uri" } },
        additionalProperties: { $ref: "#/$defs/source" },
      }),
    ).toEqual([]);
  });

  it("names the path of a pattern the linear engine cannot run, in pattern and patternProperties", () => {
    expect(jsonSchemaProblems({ properties: { code: { type: "string", pattern: "^(a)\\1$" } } })).toEqual([
      expect.stringMatching(/^json_schema\/properties\/code\/pattern "\^\(a\)\\\\1\$" uses syntax .*backreferences/),
    ]);
    expect(jsonSchemaProblems({ items: [{ patternProperties: { "^(?=x)": {} } }] })).toEqual([
      expect.stringMatching(/^json_schema\/items\/0\/patternProperties\/\^\(\?=x\): the pattern .*lookahead/),
    ]);
    expect(jsonSchemaProblems({ anyOf: [{ not: { pattern: "(?<=a)b" } }] })[0]).toMatch(/^json_schema\/anyOf\/0\/not\/pattern/);
  });

  it("does not mistake a property named pattern for the keyword", () => {
    expect(jsonSchemaProblems({ properties: { pattern: { type: "string" } }, const: { pattern: "(a)\\1" } })).toEqual([]);
  });

  it("bounds nesting depth and serialized size", () => {
    expect(jsonSchemaProblems(nested(10))).toEqual([]);
    expect(jsonSchemaProblems(nested(MAX_JSON_SCHEMA_DEPTH))).toEqual([
      expect.stringMatching(`nested more than ${MAX_JSON_SCHEMA_DEPTH} levels`),
    ]);
    expect(jsonSchemaProblems({ description: "x".repeat(MAX_JSON_SCHEMA_BYTES) })).toEqual([
      expect.stringMatching(`at most ${MAX_JSON_SCHEMA_BYTES} bytes`),
    ]);
    // Deep enough to overflow a recursive walk: refused, not thrown.
    expect(jsonSchemaProblems(nested(20_000))).toEqual([expect.stringMatching(/nested more than/)]);
  });

  it("refuses $ref chains that expand exponentially and recursive $refs", () => {
    const defs: Record<string, unknown> = { d0: { type: "string" } };
    for (let i = 1; i <= 30; i++) defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
    expect(jsonSchemaProblems({ $defs: defs, $ref: "#/$defs/d30" })).toEqual([
      expect.stringMatching(`more than ${MAX_JSON_SCHEMA_EXPANDED_NODES} subschemas`),
    ]);
    expect(jsonSchemaProblems({ properties: { child: { $ref: "#" } } })).toEqual([expect.stringMatching(/recursive \$ref/)]);
    expect(jsonSchemaProblems({ anyOf: [{ $ref: "#/anyOf/1" }, { $ref: "#/anyOf/0" }] })).toEqual([expect.stringMatching(/recursive/)]);
  });

  it.each([
    ["a remote $ref", { $ref: "https://example.test/schema.json" }, /\$ref must point inside this schema/],
    ["a $ref to nothing", { $ref: "#/$defs/missing" }, /\$ref must point inside/],
    ["a nested $id", { properties: { a: { $id: "other" } } }, /properties\/a\/\$id is only allowed at the top/],
    ["$dynamicRef", { $dynamicRef: "#x" }, /\$dynamicRef is not supported/],
    ["uniqueItems without maxItems", { uniqueItems: true }, /uniqueItems needs "maxItems" of at most 100 /],
    ["uniqueItems with a large maxItems", { uniqueItems: true, maxItems: 100_000 }, /uniqueItems needs/],
  ])("refuses %s", (_, schema, message) => {
    expect(jsonSchemaProblems(schema)).toEqual([expect.stringMatching(message)]);
  });
});

describe("artifact contracts with hostile schemas", () => {
  it("checks the issue's ReDoS example in linear time at delivery", () => {
    const contract = parseArtifactContract({ kinds: ["data"], json_schema: { properties: { x: { type: "string", pattern: "^(a|a)+$" } } } });
    expect(contract).not.toBeNull();
    const { value, ms } = timed(() => checkDelivery([data({ x: `${"a".repeat(40)}!` })], contract));
    expect(value.ok).toBe(false);
    expect(ms).toBeLessThan(within(500));
    expect(checkDelivery([data({ x: "aaaa" })], contract).ok).toBe(true);
  });

  it("runs patternProperties on the linear engine too", () => {
    const contract = parseArtifactContract({ json_schema: { patternProperties: { "^(a+)+$": { type: "number" } } } });
    const { value, ms } = timed(() => checkDelivery([data({ [`${"a".repeat(40)}!`]: "x", aaa: 1 })], contract));
    expect(value.ok).toBe(true);
    expect(ms).toBeLessThan(within(500));
    expect(checkDelivery([data({ aaa: "not a number" })], contract).ok).toBe(false);
  });

  it("refuses on save what the engine could not bound, naming the path", () => {
    expect(() => parseArtifactContract({ json_schema: { properties: { a: { pattern: "(a)\\1" } } } })).toThrow(
      /json_schema\/properties\/a\/pattern/,
    );
    expect(() => parseArtifactContract({ json_schema: nested(40) })).toThrow(InvalidArtifactContractError);
  });

  it("treats a stored schema that breaks the rules as unusable at delivery (notify the owner), quickly", () => {
    const stored = { kinds: ["data"], mime_types: [], json_schema: { properties: { x: { pattern: "^(a|a)+(?=!)" } } } };
    const { value, ms } = timed(() => checkDelivery([data({ x: `${"a".repeat(40)}!` })], stored));
    expect(value).toMatchObject({ ok: false, rejection: { code: "artifact_contract_unmet" } });
    expect(JSON.stringify(value)).toMatch(/notify your owner/);
    expect(ms).toBeLessThan(within(500));
  });
});

describe("the work of one check is bounded", () => {
  /** 899 branches that fail on a number and one that passes: every item walks them all. */
  const wideAnyOf = { type: "array", items: { anyOf: [...Array.from({ length: 899 }, () => ({ type: "string" })), { type: "number" }] } };

  it("refuses, at once, data that would cost too much against a wide schema (was 74 s for 250,000 numbers)", () => {
    const contract = parseArtifactContract({ json_schema: wideAnyOf });
    const numbers = Array.from({ length: 250_000 }, () => 0);
    expect(schemaCheckCost(wideAnyOf, numbers)).toBeGreaterThan(MAX_SCHEMA_CHECK_COST);
    const { value, ms } = timed(() => checkDelivery([data(numbers)], contract));
    expect(value).toMatchObject({ ok: false, rejection: { code: "artifact_contract_unmet" } });
    expect(JSON.stringify(value)).toMatch(/too large to check/);
    // Weighing 250,000 items takes about 0.15 s alone: 10 s leaves a loaded machine room and is still far
    // from the 74 s of checking them.
    expect(ms).toBeLessThan(within(10_000));
    // Small data against the same schema is still checked.
    expect(checkDelivery([data([1, 2, 3])], contract).ok).toBe(true);
  });

  it("lets ordinary schemas check large data", () => {
    const flat = { type: "array", items: { type: "number" } };
    const numbers = Array.from({ length: 250_000 }, () => 0);
    expect(schemaCheckCost(flat, numbers)).toBeLessThan(MAX_SCHEMA_CHECK_COST);
    expect(checkDelivery([data(numbers)], parseArtifactContract({ json_schema: flat })).ok).toBe(true);
  });

  it("weighs a pattern by its program: a large one over a long string is refused at once", () => {
    const schema = { type: "string", pattern: "[ab]*a[ab]{900}$" };
    const contract = parseArtifactContract({ json_schema: schema });
    const long = "ab".repeat(500_000);
    expect(schemaCheckCost(schema, long)).toBeGreaterThan(MAX_SCHEMA_CHECK_COST);
    const { value, ms } = timed(() => checkDelivery([data(long)], contract));
    expect(JSON.stringify(value)).toMatch(/too large to check/);
    expect(ms).toBeLessThan(within(1_000));
    expect(checkDelivery([data("ab".repeat(1_000))], contract).ok).toBe(false); // checked: no match
    expect(checkDelivery([data(`${"ab".repeat(1_000)}${"a".repeat(901)}`)], contract).ok).toBe(true);
  });

  it("weighs enum, const and required by what they list", () => {
    const numbers = Array.from({ length: 2_000 }, (_, i) => i);
    const wideEnum = { type: "array", items: { enum: numbers } };
    const manyItems = Array.from({ length: 100_000 }, () => 1_999);
    expect(schemaCheckCost(wideEnum, manyItems)).toBeGreaterThan(MAX_SCHEMA_CHECK_COST);
    expect(schemaCheckCost(wideEnum, [1, 2, 3])).toBeLessThan(MAX_SCHEMA_CHECK_COST);
    expect(schemaCheckCost({ enum: ["a", "b"] }, 7)).toBe(1 + 1 + 1); // the node, two listed values, 9 characters compared
  });

  it("counts $ref targets each time they apply, long strings, and uniqueItems over whole items", () => {
    const viaRef = { $defs: { n: { type: "number" } }, type: "array", items: { allOf: [{ $ref: "#/$defs/n" }, { $ref: "#/$defs/n" }] } };
    expect(schemaCheckCost(viaRef, [1, 2])).toBe(1 + 2 * 5); // root; per item: items, allOf's two branches, two targets
    // uniqueItems one level down compares pairs among that array's items (depth 2), not among the whole document:
    // root 1 + `x` 1 × (key + array) 2 + 4 items × 4/2 pairs each.
    const nestedUnique = { type: "object", properties: { x: { type: "array", uniqueItems: true, maxItems: 4 } } };
    expect(schemaCheckCost(nestedUnique, { x: [1, 2, 3, 4] })).toBe(1 + 2 + 4 * 2);
    // A nested profile adds into the parent's own figures at the shifted depth, never another depth's:
    // pairs of the root's allOf (depth 1, over 7 values at and below) and of b.c (depth 3, over its 3 items),
    // plus the nodes: root 2 (itself and allOf) × 1, b 1 × 2, c 1 × 2.
    const twoDepths = { allOf: [{ uniqueItems: true, maxItems: 4 }], properties: { b: { properties: { c: { uniqueItems: true, maxItems: 6 } } } } };
    expect(schemaCheckCost(twoDepths, { b: { c: [1, 2, 3] } })).toBe(2 * 7 + 3 * 3 + 2 * 1 + 1 * 2 + 1 * 2);
    // A boolean subschema (`true`) is still one check per value it applies to: root 1 + x's key and value 2.
    expect(schemaCheckCost({ properties: { x: true } }, { x: 1 })).toBe(1 + 2);
    expect(schemaCheckCost({ pattern: "a" }, "x".repeat(10_000))).toBe((1 + linearPatternCostPer100Chars("a")) * 101);
    const unique = { type: "array", uniqueItems: true, maxItems: 100 };
    expect(schemaCheckCost(unique, [[1, 2], [3]])).toBe(1 + 50 * 5);
  });
});

// The figure an agent reads in "too large to check (about N checks …)", worked out by hand from the rule:
// Σ over data depths of (subschemas applying there × the values' weight there), a string or a key weighing
// 1 more per 100 characters, plus uniqueItems' pairs over every item below.
describe("the work of one check, exactly", () => {
  it("counts each property's subschema against the values and keys one level down", () => {
    const schema = { type: "object", properties: { a: { type: "string" }, b: { type: "number" } } };
    // depth 0: 1 subschema × the object (1); depth 1: 2 subschemas × (keys 1 + 1, "x" 2, 1 → 5)
    expect(schemaCheckCost(schema, { a: "x", b: 1 })).toBe(11);
  });

  it("adds uniqueItems' pairs (maxItems / 2) for every item", () => {
    const schema = { type: "array", uniqueItems: true, maxItems: 10, items: { type: "number" } };
    // depth 0: 1 × 1; depth 1: 1 × 3 items + 5 pairs × 3 items
    expect(schemaCheckCost(schema, [1, 2, 3])).toBe(19);
  });

  it("weighs enum, const and required by tens of names and hundreds of characters", () => {
    expect(schemaCheckCost({ enum: [1, 2, 3], required: ["a"] }, 5)).toBe(3);
    expect(schemaCheckCost({ const: "abc" }, 5)).toBe(2);
    expect(schemaCheckCost({ required: Array.from({ length: 11 }, (_, i) => `k${i}`) }, 5)).toBe(3);
  });

  it("follows a $ref where it applies, and not the $defs it points into", () => {
    const schema = { $defs: { n: { type: "number" } }, properties: { a: { $ref: "#/$defs/n" } } };
    // depth 0: 1 × 1; depth 1: 2 (the property and its target) × (key 1 + value 1)
    expect(schemaCheckCost(schema, { a: 1 })).toBe(5);
  });

  it("counts not/if/then/else and dependentSchemas against the same value, additionalProperties one level down", () => {
    expect(schemaCheckCost({ not: { type: "string" } }, 5)).toBe(2);
    expect(schemaCheckCost({ dependentSchemas: { a: { required: ["b"] } } }, 5)).toBe(3);
    expect(schemaCheckCost({ additionalProperties: { type: "number" } }, { a: 1 })).toBe(3);
  });

  it("uniqueItems below a property counts its pairs at the items' depth", () => {
    const schema = { properties: { list: { type: "array", uniqueItems: true, maxItems: 10, items: {} } } };
    // depth 2: 1 × 2 items + 5 pairs × 2; depth 1: 1 × (key 1 + array 1); depth 0: 1 × 1
    expect(schemaCheckCost(schema, { list: [1, 2] })).toBe(15);
  });

  it("a patternProperties key pattern is read against every key one level down", () => {
    const keyCost = linearPatternCostPer100Chars("^a");
    // depth 1: (the key pattern + the property's subschema) × (key 1 + value 1); depth 0: 1 × 1
    expect(schemaCheckCost({ patternProperties: { "^a": {} } }, { a: 1 })).toBe((keyCost + 1) * 2 + 1);
  });

  it("a long string weighs 1 more per started 100 characters", () => {
    expect(schemaCheckCost({ type: "string" }, "x".repeat(100))).toBe(2);
    expect(schemaCheckCost({ type: "string" }, "x".repeat(101))).toBe(3);
  });
});

describe("each bound of a schema at its edge", () => {
  it("uniqueItems with maxItems of exactly 100 is accepted; 101 is refused", () => {
    expect(jsonSchemaProblems({ type: "array", uniqueItems: true, maxItems: 100 })).toEqual([]);
    expect(jsonSchemaProblems({ type: "array", uniqueItems: true, maxItems: 101 })).toEqual([
      'json_schema/uniqueItems needs "maxItems" of at most 100 in the same schema',
    ]);
  });

  it("a schema of exactly 16,384 bytes of JSON is accepted; one byte more is refused", () => {
    // {"description":"…"} is 18 characters around the text.
    expect(jsonSchemaProblems({ description: "x".repeat(MAX_JSON_SCHEMA_BYTES - 18) })).toEqual([]);
    expect(jsonSchemaProblems({ description: "x".repeat(MAX_JSON_SCHEMA_BYTES - 17) })).toEqual([
      `json_schema is ${MAX_JSON_SCHEMA_BYTES + 1} bytes; at most ${MAX_JSON_SCHEMA_BYTES} bytes of JSON are allowed`,
    ]);
  });

  it("a schema nested exactly 32 levels deep is accepted; 33 is refused", () => {
    const deep = (levels: number): Record<string, unknown> => {
      let schema: Record<string, unknown> = {};
      // The root object is level 1; each `not` adds one.
      for (let i = 1; i < levels; i++) schema = { not: schema };
      return schema;
    };
    expect(jsonSchemaProblems(deep(MAX_JSON_SCHEMA_DEPTH))).toEqual([]);
    expect(jsonSchemaProblems(deep(MAX_JSON_SCHEMA_DEPTH + 1))).toEqual([
      `json_schema is nested more than ${MAX_JSON_SCHEMA_DEPTH} levels deep`,
    ]);
  });
});

describe("where a $ref may point", () => {
  const refTo = (ref: string) => ({
    $defs: { "a/b": {}, "a~b": {}, n: {} },
    allOf: Array.from({ length: 11 }, () => ({})),
    properties: { x: { $ref: ref } },
  });
  const refused = ['json_schema/properties/x/$ref must point inside this schema as a JSON pointer such as "#/$defs/name"'];

  it("reads ~1 as / and ~0 as ~ in a pointer", () => {
    expect(jsonSchemaProblems(refTo("#/$defs/a~1b"))).toEqual([]);
    expect(jsonSchemaProblems(refTo("#/$defs/a~0b"))).toEqual([]);
  });

  it("indexes a list with a plain decimal number only", () => {
    expect(jsonSchemaProblems(refTo("#/allOf/10"))).toEqual([]);
    expect(jsonSchemaProblems(refTo("#/allOf/01"))).toEqual(refused);
    expect(jsonSchemaProblems(refTo("#/allOf/%201"))).toEqual(refused);
  });

  it("must start with #/ (or be # itself)", () => {
    expect(jsonSchemaProblems(refTo("..$defs/n"))).toEqual(refused);
    expect(jsonSchemaProblems(refTo("#/$defs/n"))).toEqual([]);
  });
});

describe("the path a problem names", () => {
  it("names items, and escapes ~ and / in a key as a JSON pointer does", () => {
    expect(jsonSchemaProblems({ items: { pattern: "(a)\\1" } })[0]).toMatch(/^json_schema\/items\/pattern "\(a\)\\\\1" uses syntax/);
    expect(jsonSchemaProblems({ patternProperties: { "~/(a)\\1": {} } })[0]).toMatch(
      /^json_schema\/patternProperties\/~0~1\(a\)\\1: the pattern /,
    );
  });
});

// Issue 23, fourth pass: the survivors and uncovered mutants left after the third pass's tests.
describe("the expanded size at its edge, and the draft-07 dependencies keyword", () => {
  it("a schema reaching exactly 2,000 subschemas is accepted; 2,001 is refused", () => {
    // The root plus one `true` per anyOf branch.
    const reaching = (nodes: number) => ({ anyOf: Array.from({ length: nodes - 1 }, () => true) });
    expect(jsonSchemaProblems(reaching(MAX_JSON_SCHEMA_EXPANDED_NODES))).toEqual([]);
    expect(jsonSchemaProblems(reaching(MAX_JSON_SCHEMA_EXPANDED_NODES + 1))).toEqual([
      "json_schema reaches more than 2000 subschemas once its $refs are followed",
    ]);
  });

  it("checks a schema under dependencies, naming its escaped key; a list of property names is no schema", () => {
    expect(jsonSchemaProblems({ dependencies: { "a/b": { $anchor: "x" }, c: ["d"] } })).toEqual(["json_schema/dependencies/a~1b/$anchor is not supported"]);
    expect(jsonSchemaProblems({ dependencies: { c: ["d"] } })).toEqual([]);
  });

  it("counts a dependencies schema against the same value as its parent", () => {
    // The root (1) and the dependency's schema (1) both apply to the root object; the key "a" weighs 1.
    expect(schemaCheckCost({ dependencies: { a: { minProperties: 1 } } }, { a: 1 })).toBe(2 * 1 + 0 * 2);
    expect(schemaCheckCost({ dependencies: { a: ["b"] } }, { a: 1 })).toBe(1);
  });
});

describe("what is a schema", () => {
  it.each([
    ["a list", []],
    ["null", null],
    ["a string", "{}"],
    ["a boolean at the top", true],
  ])("refuses %s as the whole schema", (_, schema) => {
    expect(jsonSchemaProblems(schema)).toEqual(["json_schema must be an object"]);
    expect(jsonSchemaProblems(schema, "contract")).toEqual(["contract must be an object"]);
  });

  it("reads true and false as subschemas, and a list or null where a schema belongs as none", () => {
    expect(jsonSchemaProblems({ not: false, items: [true, { $anchor: "x" }] })).toEqual(["json_schema/items/1/$anchor is not supported"]);
    expect(jsonSchemaProblems({ not: [{ $anchor: "x" }], properties: { a: null } })).toEqual([]);
    expect(jsonSchemaProblems({ properties: [{ $anchor: "x" }] })).toEqual([]);
  });

  it("a $ref must end at a schema, not at a list or a value", () => {
    const refused = ['json_schema/$ref must point inside this schema as a JSON pointer such as "#/$defs/name"'];
    expect(jsonSchemaProblems({ required: ["a"], $ref: "#/required" })).toEqual(refused);
    expect(jsonSchemaProblems({ title: "t", $ref: "#/title" })).toEqual(refused);
    expect(jsonSchemaProblems({ $defs: { off: false }, $ref: "#/$defs/off" })).toEqual([]);
  });
});

describe("nestingDepth", () => {
  it("counts objects and arrays, and stops counting at the bound it is given", () => {
    expect(nestingDepth("x", 10)).toBe(0);
    expect(nestingDepth(null, 10)).toBe(0);
    expect(nestingDepth({ a: [1, { b: {} }] }, 10)).toBe(4);
    expect(nestingDepth({ a: [1, { b: {} }] }, 2)).toBe(2);
    expect(nestingDepth({ a: [1, { b: {} }] }, 4)).toBe(4);
  });
});
