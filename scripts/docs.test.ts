import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { ARCHITECTURE_DOC, withGeneratedLifecycle } from "./docs-generate";

it("docs/ARCHITECTURE.md shows the transition table the code runs (run npm run docs:generate)", () => {
  const doc = readFileSync(ARCHITECTURE_DOC, "utf8");
  expect(doc).toBe(withGeneratedLifecycle(doc));
});
