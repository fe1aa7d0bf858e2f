// The brief read from a customer's words, the offer written from it (not a copy), the logo drawn in the
// colours and with the name asked for, and dispute answers that address the stated reason.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { designLogo, renderLogoPng } from "./artifacts";
import { describeOffer, NAMED_COLOURS, readBrief } from "./brief";
import { answerDispute, type DeliveryFacts } from "./dispute-answers";

const LOGO = { title: "Logo design", delivery_in_hours: 24, artifact_contract: { kinds: ["image"] } };

describe("readBrief", () => {
  it("reads the subject in the agent's words, a name, colours (words and hex) and quoted text", () => {
    expect(readBrief("Hi! Can you design a logo for my bakery?")).toEqual({ subject: "your bakery", name: null, colours: [], quoted: null, motif: null });
    expect(readBrief("I want a logo with a fox on it, burgundy please")).toMatchObject({ motif: "a fox", colours: [{ word: "burgundy" }] });
    expect(readBrief("a logo saying 'Sunny Side' for my café")).toMatchObject({ quoted: "Sunny Side", subject: "your café" });
    expect(readBrief("I'd like a logo, don't make it ugly")).toMatchObject({ quoted: null }); // apostrophes are not quotes
    expect(readBrief("A logo for my bakery, Crumb & Co, in navy and gold please")).toMatchObject({
      subject: "your bakery",
      name: "Crumb & Co",
      colours: [{ word: "navy", rgb: NAMED_COLOURS.navy }, { word: "gold", rgb: NAMED_COLOURS.gold }],
    });
    expect(readBrief("I'd like a brand starter kit for Forno Verde, a bakery in Lisbon.")).toMatchObject({ name: "Forno Verde", subject: "a bakery in Lisbon" });
    expect(readBrief('logo called "Blue Fox" with #ff8800')).toMatchObject({ name: "Blue Fox", colours: [{ word: "#ff8800", rgb: [255, 136, 0] }] });
    expect(readBrief('a voice clip saying "Welcome to the shop"')).toMatchObject({ quoted: "Welcome to the shop" });
  });
});

describe("describeOffer", () => {
  it("writes what will be made, how it comes and when — never the customer's words copied", () => {
    const request = "Hi!! can you design a logo for my bakery, Crumb & Co? Blue and gold, thanks";
    const description = describeOffer(LOGO, request);
    expect(description).toBe(
      'Logo design for your bakery named "Crumb & Co" in blue and gold. You receive a PNG image within 24 hours of paying; the money stays held until you approve it.',
    );
    expect(description).not.toContain(request);
    expect(describeOffer({ ...LOGO, title: "Voice clip", artifact_contract: { kinds: ["audio"] } }, 'Please read "Hello world"')).toContain(
      'Voice clip, reading "Hello world". You receive an audio file (WAV)',
    );
    expect(describeOffer(LOGO, "another one please")).toBe(
      "Logo design, to the brief you gave in the chat. You receive a PNG image within 24 hours of paying; the money stays held until you approve it.",
    );
  });

  it("reads back to the same brief, so the logo drawn from the offer is the one drawn from the request", () => {
    for (const request of [
      "A logo for my bakery, Crumb & Co, in navy and gold",
      "logo named Tidewater in teal",
      "Can you design a logo for my bike shop?",
      "I'd like a brand starter kit for Forno Verde, a bakery in Lisbon.",
    ]) {
      const description = describeOffer(LOGO, request);
      expect(readBrief(description)).toEqual(readBrief(request));
      expect(Buffer.from(renderLogoPng(description)).equals(Buffer.from(renderLogoPng(request)))).toBe(true);
    }
  });
});

/** Decodes the agent's own PNGs (8-bit RGBA, filter 0 on every row) into pixels. */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Buffer } {
  const bytes = Buffer.from(png);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("ascii", offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

function countColour(png: Uint8Array, rgb: readonly number[]): number {
  const { rgba } = decodePng(png);
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] === rgb[0] && rgba[i + 1] === rgb[1] && rgba[i + 2] === rgb[2] && rgba[i + 3] === 255) n++;
  return n;
}

describe("the logo", () => {
  it("is drawn in the colours asked for: the ring in the first, the disc in the second", () => {
    const png = renderLogoPng("A logo for my bakery in navy and gold");
    expect(decodePng(png)).toMatchObject({ width: 256, height: 256 });
    expect(countColour(png, NAMED_COLOURS.navy!)).toBeGreaterThan(3_000);
    expect(countColour(png, NAMED_COLOURS.gold!)).toBeGreaterThan(20_000);
    expect(designLogo("in navy and gold")).toMatchObject({ ring: NAMED_COLOURS.navy, disc: NAMED_COLOURS.gold, lettering: NAMED_COLOURS.navy });
  });

  it("carries the name's initials and the name, in lettering that can be read on the disc", () => {
    const design = designLogo('logo named "Forno Verde" in yellow and white');
    expect(design).toMatchObject({ initials: "FV", name: "FORNO VERDE", ring: NAMED_COLOURS.yellow, disc: NAMED_COLOURS.white });
    expect(design.lettering).toEqual([17, 17, 17]); // yellow on white is unreadable: dark ink instead
    const lettered = countColour(renderLogoPng('logo named "Forno Verde" in yellow and white'), [17, 17, 17]);
    expect(lettered).toBeGreaterThan(1_000);
    // Another name, other letters: the lettering differs pixel for pixel.
    expect(Buffer.from(renderLogoPng('logo named "Forno Verde" in yellow')).equals(Buffer.from(renderLogoPng('logo named "Mill Lane" in yellow')))).toBe(false);
  });

  it("letters the quoted words when the brief gives no name", () => {
    expect(designLogo("a logo saying 'Sunny Side' for my café")).toMatchObject({ initials: "SS", name: "SUNNY SIDE" });
    const description = describeOffer(LOGO, "a logo saying 'Sunny Side' for my café, with a fox");
    expect(description).toBe(
      'Logo design for your café showing a fox, with the words "Sunny Side". You receive a PNG image within 24 hours of paying; the money stays held until you approve it.',
    );
    expect(designLogo(description)).toEqual(designLogo("a logo saying 'Sunny Side' for my café, with a fox"));
  });

  it("without colours named, each brief still gets its own palette; without a name, a plain mark", () => {
    expect(Buffer.from(renderLogoPng("for my bakery")).equals(Buffer.from(renderLogoPng("for my garage")))).toBe(false);
    expect(designLogo("for my bakery")).toMatchObject({ initials: "", name: "" });
  });
});

const facts: DeliveryFacts = {
  brief: 'Logo design for your bakery named "Crumb & Co" in navy and gold. You receive a PNG image within 24 hours of paying.',
  files: ["logo.png (image/png, 2345 bytes)"],
  deliveredAt: "2026-01-02T10:00:00.000Z",
  dueAt: "2026-01-03T09:00:00.000Z",
};

describe("answerDispute", () => {
  it("refunds in full at once when the delivery is reported missing, empty or broken", () => {
    for (const reason of ["The file is empty", "nothing was attached", "It won't open", "corrupted PNG", "I never received it: not delivered"]) {
      expect(answerDispute(reason, facts), reason).toEqual({ move: "refund" });
    }
  });

  it.each([
    ["I don't like the colours", "colours", "the colours your brief named (navy and gold)"],
    ["The name is misspelled", "name", 'carries "Crumb & Co"'],
    ["It came late", "late", "before the due time of 2026-01-03 09:00 UTC"],
    ["It is far too small and blurry", "size", "at the size this service delivers"],
    ["This is not what I asked for", "not_as_asked", 'I made it from your brief: Logo design for your bakery named "Crumb & Co" in navy and gold'],
    ["It looks amateurish", "quality", "Taste differs"],
    ["My cat disapproves", "other", "I delivered logo.png"],
  ])("%j is answered on its own terms (%s)", (reason, topic, answer) => {
    const result = answerDispute(reason, facts);
    expect(result).toMatchObject({ move: "defend", topic });
    const explanation = (result as { explanation: string }).explanation;
    expect(explanation).toContain(`You said: "${reason}". `);
    expect(explanation).toContain(answer);
    expect(explanation).toContain("proposed refunding half");
  });

  it("quotes a reason that ends its own sentence without a second full stop", () => {
    expect((answerDispute("Not what I asked for!", facts) as { explanation: string }).explanation).toMatch(/^You said: "Not what I asked for!" I made it/);
  });

  it("says so when the brief named no colours rather than pretending it did", () => {
    const plain = { ...facts, brief: "Logo design for your bike shop. You receive a PNG image." };
    expect((answerDispute("wrong colours", plain) as { explanation: string }).explanation).toContain("Your brief named no colours");
  });
});
