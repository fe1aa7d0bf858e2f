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
