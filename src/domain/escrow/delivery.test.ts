import { describe, expect, it } from "vitest";
import {
  InvalidArtifactContractError,
  checkDelivery,
  parseArtifactContract,
  type ArtifactContract,
  type DeliveredArtifact,
} from "./delivery";

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
