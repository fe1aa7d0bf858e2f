import { describe, expect, it } from "vitest";
import { detectArtifactType } from "./detect";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("detectArtifactType on text", () => {
  it.each([
    ['<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
    ['  <?xml version="1.0"?>\n<!-- drawn by hand -->\n<!-- two -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">\n<svg>\n</svg>'],
    ["<!----><SVG width='1'/>"],
  ])("recognises an SVG: %s", async (text) => {
    expect(await detectArtifactType(bytes(text))).toEqual({ ok: true, kind: "image", mimeType: "image/svg+xml" });
  });

  it.each([["<!-- unclosed <svg>"], ["<!-- x --> text <svg>"], ["<svgx>"], ["<div><svg></svg></div>"]])("does not call %s an SVG", async (text) => {
    expect(await detectArtifactType(bytes(text))).toMatchObject({ ok: true, mimeType: "text/plain" });
  });

  it("reads hostile text in linear time (no backtracking over repeated comments)", async () => {
    for (const text of [`${"<!---->".repeat(290)}x`, `${"<!-- -->\n".repeat(200)}<svq`, `<?xml${" ".repeat(2_000)}`]) {
      const start = performance.now();
      const detected = await detectArtifactType(bytes(text));
      expect(performance.now() - start).toBeLessThan(500);
      expect(detected).toMatchObject({ ok: true, kind: "file" });
    }
  });
});
