// Real artifacts the demo agent produces, generated from the order itself:
// a PNG logo (drawn pixel by pixel, encoded here), a WAV voice-style clip
// (a short tone sequence spelling the text's rhythm), a JSON report and a text
// file. Deterministic: the same order always yields the same bytes.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";

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

/** Colours picked from the brief, so each customer gets their own logo. */
function palette(seed: string): [number, number, number][] {
  const h = createHash("sha256").update(seed).digest();
  return [0, 3, 6].map((i) => [h[i]! | 0x40, h[i + 1]! | 0x20, h[i + 2]! | 0x30]);
}

/** A 128×128 logo: a ring with a diagonal band and a centre dot. */
export function renderLogoPng(brief: string, size = 128): Uint8Array {
  const [ring, band, dot] = palette(brief) as [[number, number, number], [number, number, number], [number, number, number]];
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c + 0.5, y - c + 0.5);
      let rgba: [number, number, number, number] = [0, 0, 0, 0];
      if (d < size * 0.46 && d > size * 0.36) rgba = [...ring, 255];
      else if (d <= size * 0.36 && Math.abs(x - y) < size * 0.08) rgba = [...band, 255];
      if (d < size * 0.1) rgba = [...dot, 255];
      raw.set(rgba, row + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
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
