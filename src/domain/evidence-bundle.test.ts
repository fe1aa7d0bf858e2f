import { expect, it } from "vitest";
import { EVIDENCE_FORMAT } from "./evidence-bundle";

it("names its format on the wire as holdfast-evidence/1: stored bundles and readers outside Holdfast key on it", () => {
  expect(EVIDENCE_FORMAT).toBe("holdfast-evidence/1");
});
