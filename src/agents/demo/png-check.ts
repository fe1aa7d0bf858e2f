// What Proofreader can check in a delivered logo without trusting anyone: that the bytes are a real PNG
// (signature, chunks, CRC-free structural read), the size the service promises (square, big enough), and
// that the picture is not blank (decoded with node:zlib and the PNG row filters: more than one colour,
// and no single colour covering nearly all of it). Each finding is a plain sentence for the report.
import { inflateSync } from "node:zlib";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The smallest side a logo may have to be usable. */
export const MIN_LOGO_SIDE_PX = 64;
/** One colour covering more than this share of the pixels is a blank image. */
const BLANK_SHARE = 0.98;
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngCheck {
  ok: boolean;
  /** One line: what was checked and found (the attestation report). */
  summary: string;
}

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

function chunks(bytes: Uint8Array): { type: string; data: Uint8Array }[] | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { type: string; data: Uint8Array }[] = [];
  let at = 8;
  while (at + 8 <= view.length) {
    const length = view.readUInt32BE(at);
    const type = view.toString("ascii", at + 4, at + 8);
    if (at + 12 + length > view.length) return null;
    out.push({ type, data: view.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === "IEND") return out;
  }
  return null;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The image's pixels as one key per pixel (its raw channel bytes), rows unfiltered; null when not decodable here. */
function pixelKeys(header: Header, compressed: Uint8Array): string[] | null {
  const channels = CHANNELS[header.colorType];
  if (channels === undefined || header.bitDepth !== 8 || header.interlace !== 0) return null;
  const raw = inflateSync(compressed);
  const stride = header.width * channels;
  if (raw.length < (stride + 1) * header.height) return null;
  const prev = new Uint8Array(stride);
  const row = new Uint8Array(stride);
  const keys: string[] = [];
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (row[x - channels] ?? 0) : 0;
      const up = prev[x] ?? 0;
      const upLeft = x >= channels ? (prev[x - channels] ?? 0) : 0;
      const predictor = filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : 0;
      row[x] = (value + predictor) & 0xff;
    }
    for (let x = 0; x < stride; x += channels) keys.push(Buffer.from(row.subarray(x, x + channels)).toString("hex"));
    prev.set(row);
  }
  return keys;
}

export function checkLogoPng(bytes: Uint8Array): PngCheck {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) return { ok: false, summary: "Not a PNG: the file does not start with the PNG signature." };
  const list = chunks(bytes);
  const ihdr = list?.[0];
  if (!list || ihdr?.type !== "IHDR" || ihdr.data.length < 13) return { ok: false, summary: "A broken PNG: its chunks do not read through to IEND from an IHDR." };
  const h = Buffer.from(ihdr.data);
  const header: Header = { width: h.readUInt32BE(0), height: h.readUInt32BE(4), bitDepth: h[8] ?? 0, colorType: h[9] ?? 0, interlace: h[12] ?? 0 };
  const size = `${header.width}×${header.height} PNG`;
  if (header.width !== header.height) return { ok: false, summary: `${size}: the service promises a square logo.` };
  if (header.width < MIN_LOGO_SIDE_PX) return { ok: false, summary: `${size}: smaller than ${MIN_LOGO_SIDE_PX}×${MIN_LOGO_SIDE_PX}, too small for a logo.` };
  const data = Buffer.concat(list.filter((c) => c.type === "IDAT").map((c) => c.data));
  let keys: string[] | null;
  try {
    keys = pixelKeys(header, data);
  } catch {
    return { ok: false, summary: `${size}: its image data does not decompress.` };
  }
  if (keys === null) return { ok: true, summary: `${size}, square as promised (its pixel format is not one I decode, so colours were not checked).` };
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const share = top / keys.length;
  if (counts.size === 1) return { ok: false, summary: `${size}: a single colour — the image is blank.` };
  if (share > BLANK_SHARE) return { ok: false, summary: `${size}: one colour covers ${Math.round(share * 100)} % of it — practically blank.` };
  return { ok: true, summary: `${size}, square as promised, ${counts.size} colours, not blank (the main colour covers ${Math.round(share * 100)} %).` };
}
