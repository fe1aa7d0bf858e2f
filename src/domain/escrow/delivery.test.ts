import { describe, expect, it } from "vitest";
import {
  InvalidArtifactContractError,
  artifactContractJson,
  checkDelivery,
  describeContract,
  parseArtifactContract,
  readStoredArtifactContract,
  type ArtifactContract,
  type DeliveredArtifact,
} from "./delivery";
import { MAX_SCHEMA_CHECK_COST, schemaCheckCost } from "./json-schema-rules";

const png: DeliveredArtifact = { id: "a_png", kind: "image", mimeType: "image/png" };
const mp3: DeliveredArtifact = { id: "a_mp3", kind: "audio", mimeType: "audio/mpeg" };
const report = (data: unknown): DeliveredArtifact => ({
  id: "a_json",
  kind: "data",
  mimeType: "application/json",
  data,
});

const reportSchema = {
  type: "object",
  required: ["title", "pages"],
  properties: { title: { type: "string" }, pages: { type: "integer", minimum: 1 } },
};

function failure(result: ReturnType<typeof checkDelivery>) {
  if (result.ok) throw new Error("expected the delivery to be refused");
  return result.rejection;
}

describe("checkDelivery", () => {
  it("refuses when nothing was sent, explaining that words are not artifacts", () => {
    const rejection = failure(checkDelivery([], null));
    expect(rejection.code).toBe("no_artifact_since_last_status_change");
    expect(rejection.message).toMatch(/"attached" is not an artifact|saying the work is attached is not an artifact/);
    expect(rejection.message).toMatch(/upload_artifact/);
    expect(rejection.message).toMatch(/send_message/);
    expect(rejection.message).toMatch(/complete again/);
  });

  it("refuses no artifacts even with a contract", () => {
    expect(failure(checkDelivery([], { kinds: ["image"] })).code).toBe("no_artifact_since_last_status_change");
  });

  it("accepts any artifact without a contract", () => {
    expect(checkDelivery([png, mp3], null)).toEqual({ ok: true, qualifying: ["a_png", "a_mp3"] });
  });

  it("refuses the wrong kind, naming what was expected", () => {
    const rejection = failure(checkDelivery([mp3], { kinds: ["image"] }));
    expect(rejection.code).toBe("artifact_contract_unmet");
    expect(rejection.message).toMatch(/expected kind image/);
    expect(rejection.message).toMatch(/a_mp3 is of kind audio/);
  });

  it("refuses the wrong MIME type", () => {
    const rejection = failure(checkDelivery([png], { kinds: ["image"], mime_types: ["image/svg+xml"] }));
    expect(rejection.code).toBe("artifact_contract_unmet");
    expect(rejection.message).toMatch(/MIME type image\/png, not image\/svg\+xml/);
  });

  it("matches MIME families and ignores parameters and case", () => {
    expect(checkDelivery([png], { mime_types: ["image/*"] }).ok).toBe(true);
    expect(checkDelivery([{ ...png, mimeType: "IMAGE/PNG; charset=binary" }], { mime_types: ["image/png"] }).ok).toBe(
      true,
    );
    expect(checkDelivery([mp3], { mime_types: ["image/*"] }).ok).toBe(false);
  });

  it("validates data artifacts against the JSON Schema", () => {
    const contract: ArtifactContract = { kinds: ["data"], json_schema: reportSchema };
    expect(checkDelivery([report({ title: "Q3", pages: 4 })], contract)).toEqual({ ok: true, qualifying: ["a_json"] });
    const rejection = failure(checkDelivery([report({ title: "Q3", pages: 0 })], contract));
    expect(rejection.code).toBe("artifact_contract_unmet");
    expect(rejection.message).toMatch(/data\/pages must be >= 1/);
    expect(failure(checkDelivery([report({ title: "Q3" })], contract)).message).toMatch(
      /must have required property 'pages'/,
    );
    expect(failure(checkDelivery([report(undefined)], contract)).message).toMatch(/carries no JSON data/);
  });

  it("applies the schema to data artifacts only", () => {
    expect(checkDelivery([png], { json_schema: reportSchema }).ok).toBe(true);
  });

  it("passes when one of several artifacts qualifies, and lists only the qualifying ones", () => {
    const contract: ArtifactContract = { kinds: ["data"], json_schema: reportSchema };
    const result = checkDelivery(
      [png, report({ title: 1 }), { ...report({ title: "ok", pages: 2 }), id: "a_good" }],
      contract,
    );
    expect(result).toEqual({ ok: true, qualifying: ["a_good"] });
  });

  it("tolerates unknown formats and keywords in owners' schemas", () => {
    const contract: ArtifactContract = {
      json_schema: { type: "object", properties: { email: { type: "string", format: "email" } }, "x-ui": 1 },
    };
    expect(checkDelivery([report({ email: "not-checked" })], contract).ok).toBe(true);
  });

  it("reports a schema that does not compile as an unmet contract to raise with the owner", () => {
    const rejection = failure(checkDelivery([report({})], { json_schema: { type: "no-such-type" } }));
    expect(rejection.code).toBe("artifact_contract_unmet");
    expect(rejection.message).toMatch(/notify your owner/);
  });
});

describe("parseArtifactContract", () => {
  it("reads null as no contract and copies a valid one", () => {
    expect(parseArtifactContract(null)).toBeNull();
    expect(parseArtifactContract(undefined)).toBeNull();
  });

  it("reads a missing or null kinds or mime_types as no constraint, always giving all three keys (PROTOCOL.md)", () => {
    expect(parseArtifactContract({ kinds: ["image"], mime_types: null })).toEqual({ kinds: ["image"], mime_types: [], json_schema: null });
    expect(parseArtifactContract({ mime_types: ["image/png"] })).toEqual({ kinds: [], mime_types: ["image/png"], json_schema: null });
    expect(parseArtifactContract({ kinds: null, mime_types: ["audio/wav"], json_schema: null })).toEqual({
      kinds: [],
      mime_types: ["audio/wav"],
      json_schema: null,
    });
    const raw = { kinds: ["image"], mime_types: ["image/png", "image/*"], json_schema: null };
    const parsed = parseArtifactContract(raw);
    expect(parsed).toEqual(raw);
    expect(parsed?.kinds).not.toBe(raw.kinds);
  });

  it.each([
    ["a string", "image"],
    ["an array", ["image"]],
    ["an unknown key", { kind: ["image"] }],
    ["an unknown kind", { kinds: ["video"] }],
    ["a non-string kind", { kinds: [1] }],
    ["a malformed MIME type", { mime_types: ["png"] }],
    ["a non-object schema", { json_schema: "yes" }],
    ["a schema that does not compile", { json_schema: { type: 12 } }],
  ])("throws on %s", (_, raw) => {
    expect(() => parseArtifactContract(raw)).toThrow(InvalidArtifactContractError);
  });
});

// Issue 23: rules of the artifact contract that no test pinned (found by mutation testing).
describe("artifact contract rules", () => {
  const deliver = (artifact: DeliveredArtifact, contract: ArtifactContract) => checkDelivery([artifact], contract);

  it("an artifact meets a list of MIME types when it has ANY of them", () => {
    expect(deliver(png, { mime_types: ["image/svg+xml", "image/png"] })).toEqual({ ok: true, qualifying: ["a_png"] });
    expect(deliver(png, { mime_types: ["image/png", "image/svg+xml"] })).toEqual({ ok: true, qualifying: ["a_png"] });
  });

  it("an artifact meets a list of kinds when it is ANY of them", () => {
    expect(deliver(mp3, { kinds: ["image", "audio"] })).toEqual({ ok: true, qualifying: ["a_mp3"] });
  });

  it("type/* accepts that type's subtypes only; an exact type is not a prefix", () => {
    expect(deliver(png, { mime_types: ["image/*"] }).ok).toBe(true);
    expect(deliver(mp3, { mime_types: ["image/*"] }).ok).toBe(false);
    const jsonPatch: DeliveredArtifact = { id: "a_patch", kind: "file", mimeType: "application/json-patch+json" };
    expect(deliver(jsonPatch, { mime_types: ["application/json"] }).ok).toBe(false);
    const imageish: DeliveredArtifact = { id: "a_x", kind: "image", mimeType: "imagex/png" };
    expect(deliver(imageish, { mime_types: ["image/*"] }).ok).toBe(false);
  });

  it("MIME types compare without case and without parameters", () => {
    const svg: DeliveredArtifact = { id: "a_svg", kind: "image", mimeType: "Image/SVG+XML; charset=utf-8" };
    expect(deliver(svg, { mime_types: ["image/svg+xml"] }).ok).toBe(true);
    expect(deliver(png, { mime_types: ["IMAGE/PNG"] }).ok).toBe(true);
  });

  it("lists only the qualifying artifacts and names the first problem when none qualifies", () => {
    expect(checkDelivery([mp3, png], { mime_types: ["image/png"] })).toEqual({ ok: true, qualifying: ["a_png"] });
    const rejection = failure(checkDelivery([mp3, png], { kinds: ["data"] }));
    expect(rejection.code).toBe("artifact_contract_unmet");
    expect(rejection.message).toContain("Artifact a_mp3 is of kind audio, not data.");
    expect(rejection.message).toContain("expected kind data)");
  });

  it("the refusal says what the contract expects", () => {
    const message = failure(deliver(mp3, { kinds: ["image"], mime_types: ["image/png", "image/webp"] })).message;
    expect(message).toContain("expected kind image, with MIME type image/png or image/webp)");
    expect(failure(deliver(mp3, { mime_types: ["image/png"] })).message).toContain(
      "Artifact a_mp3 has MIME type audio/mpeg, not image/png.",
    );
    const schemaMessage = failure(deliver(report({ title: "x" }), { json_schema: reportSchema })).message;
    expect(schemaMessage).toContain("expected data matching the service's JSON Schema)");
    expect(schemaMessage).toContain("Artifact a_json does not match the JSON Schema: the data must have required property 'pages'.");
  });

  it("empty lists are no constraint", () => {
    expect(deliver(mp3, { kinds: [], mime_types: [] })).toEqual({ ok: true, qualifying: ["a_mp3"] });
  });

  it("data without JSON is refused under a schema; a non-data artifact is not checked against it", () => {
    const noData: DeliveredArtifact = { id: "a_json", kind: "data", mimeType: "application/json" };
    expect(failure(deliver(noData, { json_schema: reportSchema })).message).toContain("Artifact a_json carries no JSON data.");
    expect(deliver(png, { json_schema: reportSchema }).ok).toBe(true);
  });

  it("names where in the data a schema failed", () => {
    const message = failure(deliver(report({ title: "x", pages: 0 }), { json_schema: reportSchema })).message;
    expect(message).toContain("data/pages must be >= 1");
  });

  it.each([42, [], "image/png", true, [{ kinds: ["image"] }]])("parseArtifactContract(%j) is refused, not 'no contract'", (x) => {
    expect(() => parseArtifactContract(x)).toThrow(InvalidArtifactContractError);
    expect(() => parseArtifactContract(x)).toThrow("must be an object or null");
  });

  it("null and undefined are no contract; null lists are no constraint", () => {
    expect(parseArtifactContract(null)).toBeNull();
    expect(parseArtifactContract(undefined)).toBeNull();
    expect(parseArtifactContract({ kinds: null, mime_types: null })).toEqual({ kinds: [], mime_types: [], json_schema: null });
  });

  it("a schema may carry keywords Ajv does not know and formats it cannot check (owners write them by hand)", () => {
    const schema = { type: "object", "x-ui-order": ["email"], properties: { email: { type: "string", format: "email" } } };
    expect(parseArtifactContract({ json_schema: schema })?.json_schema).toEqual(schema);
    expect(deliver(report({ email: "not an address" }), { json_schema: schema }).ok).toBe(true);
    expect(deliver(report({ email: 7 }), { json_schema: schema }).ok).toBe(false);
  });
});

// Issue 23: what the catalog, the market and the console show of a stored contract, and what an agent
// reads when a delivery is refused (found by mutation testing: none of this had a domain test).
describe("a stored contract as agents and owners see it (artifactContractJson)", () => {
  it("no stored contract is null, not an empty contract", () => {
    expect(artifactContractJson(null)).toBeNull();
    expect(artifactContractJson(undefined)).toBeNull();
  });

  it("a valid stored contract is shown with all three keys, its lists copied", () => {
    const stored = { kinds: ["image"], mime_types: ["image/*"] };
    const shown = artifactContractJson(stored);
    expect(shown).toEqual({ kinds: ["image"], mime_types: ["image/*"], json_schema: null });
    expect(shown?.kinds).not.toBe(stored.kinds);
    expect(shown?.mime_types).not.toBe(stored.mime_types);
  });

  it("a stored schema is shown even when today's rules would refuse it on save", () => {
    const oldSchema = { type: "string", pattern: "(?<=a)b" };
    expect(() => parseArtifactContract({ json_schema: oldSchema })).toThrow(InvalidArtifactContractError);
    expect(readStoredArtifactContract({ json_schema: oldSchema })).toEqual({ kinds: [], mime_types: [], json_schema: oldSchema });
    expect(artifactContractJson({ json_schema: oldSchema })).toEqual({ kinds: [], mime_types: [], json_schema: oldSchema });
  });

  it("what older code stored is shown as far as it can be read, never throwing", () => {
    expect(artifactContractJson({ kinds: ["image", "video"], mime_types: ["image/png"], extra: 1 })).toEqual({
      kinds: ["image"],
      mime_types: ["image/png"],
      json_schema: null,
    });
    expect(artifactContractJson({ kinds: "image", mime_types: [7], json_schema: ["x"], extra: 1 })).toEqual({
      kinds: [],
      mime_types: [],
      json_schema: null,
    });
    const schema = { type: "object" };
    expect(artifactContractJson({ mime_types: ["png"], json_schema: schema })).toEqual({
      kinds: [],
      mime_types: ["png"],
      json_schema: schema,
    });
    expect(artifactContractJson(42)).toEqual({ kinds: [], mime_types: [], json_schema: null });
    expect(artifactContractJson(["image"])).toEqual({ kinds: [], mime_types: [], json_schema: null });
  });

  it("a stored contract of the wrong shape is still refused when read for use", () => {
    expect(() => readStoredArtifactContract({ kinds: ["video"] })).toThrow(InvalidArtifactContractError);
    expect(() => readStoredArtifactContract(42)).toThrow("must be an object or null");
  });
});

describe("the sentence describing a contract", () => {
  it("names each constraint, or says any artifact", () => {
    expect(describeContract({})).toBe("any artifact");
    expect(describeContract({ kinds: [], mime_types: [], json_schema: null })).toBe("any artifact");
    expect(describeContract({ kinds: ["image", "file"] })).toBe("kind image or file");
    expect(describeContract({ mime_types: ["image/png"] })).toBe("MIME type image/png");
    expect(describeContract({ kinds: ["data"], mime_types: ["application/json"], json_schema: { type: "object" } })).toBe(
      "kind data, with MIME type application/json, with data matching the service's JSON Schema",
    );
  });
});

describe("refusals an agent reads on an unmet contract", () => {
  it("the whole sentence: what was expected, the first problem, what to do", () => {
    expect(failure(checkDelivery([mp3], { kinds: ["image"] }))).toEqual({
      code: "artifact_contract_unmet",
      message:
        "None of the artifacts sent since the escrow became active meets this service's artifact contract " +
        "(expected kind image). Artifact a_mp3 is of kind audio, not image. Upload a qualifying artifact, send it " +
        "with send_message tied to this escrow, then call complete again.",
    });
    expect(failure(checkDelivery([], null))).toEqual({
      code: "no_artifact_since_last_status_change",
      message:
        "No artifact has been sent on this escrow since it became active. A message saying the work is " +
        "attached is not an artifact: upload the work with upload_artifact, send it with send_message " +
        "including its artifact_ids and this escrow_id, then call complete again.",
    });
  });

  it("a schema failing at the root names 'the data'", () => {
    const message = failure(checkDelivery([report("text")], { json_schema: { type: "object" } })).message;
    expect(message).toContain("Artifact a_json does not match the JSON Schema: the data must be object.");
  });

  it("a stored schema that no longer compiles tells the agent to notify its owner, with the reason code", () => {
    const message = failure(checkDelivery([report({})], { json_schema: { type: "no-such-type" } })).message;
    expect(message).toMatch(/The service's JSON Schema is invalid \(.+\); notify your owner \(reason extension_failure\)\./);
  });

  it("data too large to check names its cost and the bound", () => {
    const wide = { type: "array", items: { anyOf: [...Array.from({ length: 99 }, () => ({ type: "string" })), { type: "number" }] } };
    const numbers = Array.from({ length: 20_000 }, () => 0);
    const message = failure(checkDelivery([report(numbers)], { json_schema: wide })).message;
    expect(message).toMatch(
      /Artifact a_json is too large to check against the service's JSON Schema \(about \d+ checks, at most 1000000\): send smaller data, or notify your owner \(reason extension_failure\) to simplify the schema\./,
    );
  });

  it("a schema that does not compile is refused on save with the compiler's reason", () => {
    try {
      parseArtifactContract({ json_schema: { type: 12 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArtifactContractError);
      const invalid = error as InvalidArtifactContractError;
      expect(invalid.name).toBe("InvalidArtifactContractError");
      expect(invalid.problems).toHaveLength(1);
      expect(invalid.problems[0]).toMatch(/^json_schema does not compile: ./);
      expect(invalid.message).toBe(`Invalid artifact contract: ${invalid.problems[0]}`);
    }
  });

  it("every problem of a contract is listed on save", () => {
    try {
      parseArtifactContract({ kinds: ["image", "video", "sound"], mime_types: ["png"], json_schema: 1, colour: "red" });
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidArtifactContractError).problems).toEqual([
        'unknown key "colour"',
        "kinds must be among file, image, audio, data; got video, sound",
        'mime_types must be an array of MIME types such as "image/png" or "image/*"',
        "json_schema must be an object or null",
      ]);
    }
  });
});

describe("MIME types a contract may name", () => {
  it.each(["image/png", "image/*", "application/vnd.api+json", "audio/x-wav", "text/plain.v1"])("%j is accepted", (type) => {
    expect(parseArtifactContract({ mime_types: [type] })?.mime_types).toEqual([type]);
  });

  it.each(["png", "image/", "/png", "*/png", "image/*x", "image/png/x", " image/png", "image/png ", "image/png;q=1", "x image/png"])(
    "%j is refused",
    (type) => {
      expect(() => parseArtifactContract({ mime_types: ["image/png", type] })).toThrow(/mime_types must be an array of MIME types/);
    },
  );
});

// Survivors of the mutation run of 2026-11-28 (docs/MUTATION.md), each pinned by what an agent or owner reads.
describe("what an agent reads when none of several allowed kinds or types was sent", () => {
  it("names every allowed kind, joined with 'or'", () => {
    const rejection = failure(checkDelivery([mp3], { kinds: ["image", "file"] }));
    expect(rejection.message).toContain("Artifact a_mp3 is of kind audio, not image or file.");
  });

  it("names every allowed MIME type, joined with 'or'", () => {
    const rejection = failure(checkDelivery([mp3], { mime_types: ["image/png", "image/jpeg"] }));
    expect(rejection.message).toContain("Artifact a_mp3 has MIME type audio/mpeg, not image/png or image/jpeg.");
  });

  it("a stored MIME type with a space before its parameters still matches its bare type", () => {
    const spaced: DeliveredArtifact = { id: "a_txt", kind: "file", mimeType: "Text/Plain ; charset=utf-8" };
    expect(checkDelivery([spaced], { mime_types: ["text/plain"] })).toEqual({ ok: true, qualifying: ["a_txt"] });
  });
});

describe("the bound on the work of checking one data artifact", () => {
  // 999 `allOf` branches and the root: 1,000 subschemas over a value weighing 1 + ⌈length / 100⌉.
  const wide = { allOf: Array.from({ length: 999 }, () => ({})) };
  const text = (length: number): DeliveredArtifact => ({ id: "a_text", kind: "data", mimeType: "application/json", data: "x".repeat(length) });

  it("data costing exactly the bound is checked", () => {
    expect(schemaCheckCost(wide, "x".repeat(99_900))).toBe(MAX_SCHEMA_CHECK_COST);
    expect(checkDelivery([text(99_900)], { json_schema: wide })).toEqual({ ok: true, qualifying: ["a_text"] });
  });

  it("data costing one step more is refused as too large", () => {
    const rejection = failure(checkDelivery([text(99_901)], { json_schema: wide }));
    expect(rejection.message).toContain("Artifact a_text is too large to check against the service's JSON Schema (about 1001000 checks, at most 1000000)");
  });
});

describe("a stored schema that today's rules refuse", () => {
  it("is never compiled at delivery: the agent reads every problem, joined with '; '", () => {
    const contract = readStoredArtifactContract({ json_schema: { $anchor: "a", $dynamicRef: "#x" } });
    const rejection = failure(checkDelivery([report({ title: "t", pages: 1 })], contract));
    expect(rejection.message).toContain(
      "The service's JSON Schema is invalid (json_schema/$anchor is not supported; json_schema/$dynamicRef is not supported); " +
        "notify your owner (reason extension_failure).",
    );
  });
});

describe("saving a contract: the exact problems", () => {
  it("a schema breaking today's rules gives that rule's problem, not a compiler error", () => {
    try {
      parseArtifactContract({ json_schema: { $anchor: "a" } });
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidArtifactContractError).problems).toEqual(["json_schema/$anchor is not supported"]);
    }
  });

  it("the error's message lists every problem joined with '; '", () => {
    expect(() => parseArtifactContract({ kinds: "image", mime_types: "image/png" })).toThrow(
      'Invalid artifact contract: kinds must be an array of strings; mime_types must be an array of MIME types such as "image/png" or "image/*"',
    );
  });

  it("a list of kinds with a non-string in it is not a list of strings", () => {
    try {
      parseArtifactContract({ kinds: ["image", 3] });
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidArtifactContractError).problems).toEqual(["kinds must be an array of strings"]);
    }
  });

  it("a null value is no constraint for kinds and mime_types only: an unknown key is refused even when null", () => {
    expect(() => parseArtifactContract({ kinds: null, colour: null })).toThrow('Invalid artifact contract: unknown key "colour"');
  });

  it("a schema cannot take a bound from the data ($data stays off)", () => {
    const fromData = {
      properties: { max: { type: "number" }, value: { type: "number", maximum: { $data: "1/max" } } },
    };
    expect(() => parseArtifactContract({ json_schema: fromData })).toThrow(
      "Invalid artifact contract: json_schema does not compile: schema is invalid: data/properties/value/maximum must be number",
    );
  });
});
