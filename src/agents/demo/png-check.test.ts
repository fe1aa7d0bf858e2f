import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodePng, renderLogoPng } from "./artifacts";
import { checkLogoPng } from "./png-check";

const solid = (side: number) => encodePng(new Uint8Array(side * side * 4).fill(255), side, side);

describe("Proofreader's PNG check", () => {
  it("passes Pixel Forge's logo: square, many colours, not blank", () => {
    const check = checkLogoPng(renderLogoPng("Acme coffee, green and gold"));
    expect(check).toEqual({ ok: true, summary: expect.stringMatching(/^256×256 PNG, square as promised, \d+ colours, not blank/) as string });
  });
  it("fails a single colour, a non-square, a tiny image and bytes that are not a PNG", () => {
    expect(checkLogoPng(solid(128)).summary).toBe("128×128 PNG: a single colour — the image is blank.");
    expect(checkLogoPng(encodePng(new Uint8Array(200 * 100 * 4).map((_, i) => i % 251), 200, 100)).summary).toContain("square");
    expect(checkLogoPng(solid(16)).summary).toContain("too small");
    expect(checkLogoPng(new TextEncoder().encode("GIF89a…")).ok).toBe(false);
  });
  it("undoes the row filters (a Sub-filtered gradient is many colours)", () => {
    const side = 64;
    const raw = Buffer.alloc((side * 4 + 1) * side);
    for (let y = 0; y < side; y++) {
      raw[y * (side * 4 + 1)] = 1; // Sub: each byte is the difference from the pixel to its left
      for (let x = 0; x < side * 4; x++) raw[y * (side * 4 + 1) + 1 + x] = x < 4 ? 0 : 3;
    }
    const png = Buffer.from(encodePng(new Uint8Array(side * side * 4), side, side));
    const idatAt = png.indexOf("IDAT") - 4;
    const rebuilt = Buffer.concat([png.subarray(0, idatAt), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
    expect(checkLogoPng(rebuilt)).toMatchObject({ ok: true, summary: expect.stringContaining("64 colours") as string });
  });
});

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, "ascii"), data, Buffer.alloc(4)]);
}
