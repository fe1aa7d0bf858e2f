// Real artifacts the demo agent produces, generated from the order itself:
// a PNG logo in the colours and with the name the brief asks for (drawn pixel by pixel, encoded here), a WAV voice-style clip
// (a short tone sequence spelling the text's rhythm), a JSON report and a text
// file. Deterministic: the same order always yields the same bytes.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { readBrief, type Rgb } from "./brief";
import { drawableText, GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel } from "./pixel-font";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Colours picked from a seed, for a brief that names none: each customer still gets their own logo. */
function palette(seed: string): [Rgb, Rgb, Rgb] {
  const h = createHash("sha256").update(seed).digest();
  return [0, 3, 6].map((i) => [h[i]! | 0x40, h[i + 1]! | 0x20, h[i + 2]! | 0x30] as const) as [Rgb, Rgb, Rgb];
}

/** WCAG relative luminance, for choosing lettering that can be read on the disc. */
function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [17, 17, 17];

/** Up to three initials of a name ("Forno Verde" → "FV"; one word → its first two letters). */
export function initialsOf(name: string): string {
  const words = drawableText(name).split(" ").filter((w) => w && w !== "&");
  if (words.length === 1) return words[0]!.slice(0, 2);
  return words.slice(0, 3).map((w) => w[0]).join("");
}

export interface LogoDesign {
  ring: Rgb;
  disc: Rgb;
  lettering: Rgb;
  initials: string;
  name: string;
}

/**
 * The logo a brief asks for: the colours it names (ring, then disc, then lettering), and its name's
 * initials and the name itself in lettering that contrasts with the disc. A brief that names no colours
 * gets a palette of its own; one that names no name gets a plain mark.
 */
export function designLogo(briefText: string): LogoDesign {
  const brief = readBrief(briefText);
  const described = brief.subject !== null || brief.name !== null || brief.colours.length > 0 || brief.quoted !== null || brief.motif !== null;
  // The same brief read from the request and from the offer written from it draws the same logo.
  const seed = described ? JSON.stringify([brief.subject, brief.name, brief.colours.map((c) => c.word), brief.quoted, brief.motif]) : briefText.trim();
  const [hashRing, hashDisc] = palette(seed);
  const asked = brief.colours.map((c) => c.rgb);
  const ring = asked[0] ?? hashRing;
  const disc = asked[1] ?? (asked[0] ? (luminance(asked[0]) > 0.6 ? INK : WHITE) : hashDisc);
  const readable = (c: Rgb) => contrast(c, disc) >= 3;
  const lettering = asked[2] && readable(asked[2]) ? asked[2] : readable(ring) ? ring : luminance(disc) > 0.4 ? INK : WHITE;
  // Words in quotes are what the customer wants on the logo when no name is given.
  const words = brief.name ?? (brief.quoted && brief.quoted.length <= 30 ? brief.quoted : null);
  return { ring, disc, lettering, initials: words ? initialsOf(words) : "", name: words ? drawableText(words) : "" };
}

/** A logo from a brief: a coloured ring around a disc with the name's initials and, where it fits, the name. */
export function renderLogoPng(brief: string, size = 256): Uint8Array {
  const design = designLogo(brief);
  const pixels = new Uint8Array(size * size * 4);
  const c = size / 2;
  const discR = size * 0.4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c + 0.5, y - c + 0.5);
      const rgb = d < size * 0.48 && d > discR ? design.ring : d <= discR ? design.disc : null;
      if (rgb) pixels.set([...rgb, 255], (y * size + x) * 4);
    }
  }
  const text = (line: string, scale: number, top: number) => {
    const width = line.length * (GLYPH_WIDTH + 1) * scale - scale;
    const left = Math.round(c - width / 2);
    [...line].forEach((ch, i) => {
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if (!glyphPixel(ch, gx, gy)) continue;
          for (let sy = 0; sy < scale; sy++) {
            for (let sx = 0; sx < scale; sx++) {
              const px = left + (i * (GLYPH_WIDTH + 1) + gx) * scale + sx;
              const py = top + gy * scale + sy;
              if (px >= 0 && px < size && py >= 0 && py < size) pixels.set([...design.lettering, 255], (py * size + px) * 4);
            }
          }
        }
      }
    });
  };
  const fits = (line: string, scale: number) => line.length * (GLYPH_WIDTH + 1) * scale <= discR * 1.6;
  const nameScale = [3, 2].find((s) => fits(design.name, s));
  const initialsScale = Math.max(1, Math.floor(size / 32));
  if (design.initials) {
    const initialsTop = Math.round(c - (GLYPH_HEIGHT * initialsScale) / 2 - (nameScale && design.name !== design.initials ? size * 0.08 : 0));
    text(design.initials, initialsScale, initialsTop);
    if (nameScale && design.name !== design.initials) text(design.name, nameScale, Math.round(c + size * 0.12));
  } else {
    // No name to letter: a diagonal band across the disc, in the ring's colour.
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (Math.hypot(x - c + 0.5, y - c + 0.5) <= discR && Math.abs(x - y) < size * 0.08) pixels.set([...design.lettering, 255], (y * size + x) * 4);
      }
    }
  }
  return encodePng(pixels, size, size);
}

/** An 8-bit RGBA PNG of `pixels` (row-major RGBA), no filtering. */
export function encodePng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array()),
  ]);
}

/** A mono 16-bit 8 kHz WAV: one soft tone per word of the text, up to 3 s. */
export function renderVoiceWav(text: string, sampleRate = 8_000): Uint8Array {
  const words = text.split(/\s+/).filter(Boolean).slice(0, 12);
  const toneS = Math.min(0.25, 3 / Math.max(words.length, 1));
  const samplesPerTone = Math.floor(sampleRate * toneS);
  const samples = new Int16Array(Math.max(words.length, 1) * samplesPerTone);
  (words.length ? words : ["…"]).forEach((word, w) => {
    const frequency = 220 + (word.length % 8) * 55;
    for (let i = 0; i < samplesPerTone; i++) {
      const envelope = Math.sin((Math.PI * i) / samplesPerTone);
      samples[w * samplesPerTone + i] = Math.round(8_000 * envelope * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
    }
  });
  const data = Buffer.from(samples.buffer);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A structured report shaped like the demo catalog's contract (summary, competitors, sources). */
export function buildReport(brief: string): Record<string, unknown> {
  const topic = brief.trim().slice(0, 120) || "your market";
  const h = createHash("sha256").update(topic).digest();
  return {
    summary: `Snapshot of ${topic}: three established players, one fast-growing newcomer, prices trending down.`,
    competitors: ["Northwind", "Contoso", "Fabrikam", "Tailspin"].map((name, i) => ({
      name,
      share_pct: 10 + (h[i]! % 30),
      note: i === 3 ? "newcomer, aggressive pricing" : "established",
    })),
    sources: ["public filings", "pricing pages", "customer reviews"],
    generated_for: topic,
  };
}

export function buildTextFile(title: string, brief: string): Uint8Array {
  return Buffer.from(`${title}\n${"=".repeat(title.length)}\n\nBrief: ${brief}\n\nDelivered by the Holdfast demo agent.\n`, "utf8");
}

/** The brand sheet that goes with a commissioned logo: colours and type derived from the brief. */
export function buildBrandSheet(brief: string, logo: { file: string; madeBy: string; purchaseRef: string }): Record<string, unknown> {
  const topic = brief.trim().slice(0, 120) || "your brand";
  const h = createHash("sha256").update(topic).digest();
  const colour = (i: number) => `#${h.subarray(i, i + 3).toString("hex")}`;
  return {
    brand: topic,
    palette: { primary: colour(0), secondary: colour(3), accent: colour(6) },
    typography: { headings: "Georgia, serif", body: "system-ui, sans-serif" },
    logo: { file: logo.file, made_by: logo.madeBy, bought_through_holdfast_order: logo.purchaseRef },
  };
}
