import { describe, expect, it } from "vitest";
import { parseCurrencySettings, type CurrencySettings } from "../currency";
import { DEFAULT_TIME_WINDOWS } from "./types";
import {
  defaultReviewPolicy,
  parseReminderOffsets,
  parseReviewTiers,
  reminderTimes,
  reviewWindowFor,
  windowsForCommand,
  type ReviewPolicy,
} from "./review-policy";

const HOUR_S = 3600;

describe("default review policy (SPEC §6.1)", () => {
  const policy = defaultReviewPolicy(48 * HOUR_S);

  it.each([
    [1, 48],
    [50_000, 48],
    [50_001, 72],
    [250_000, 72],
    [250_001, 96],
    [Number.MAX_SAFE_INTEGER, 96],
  ])("amount %i gets %i hours", (amount, hours) => {
    expect(reviewWindowFor(policy, amount)).toBe(hours * HOUR_S);
  });

  it("reminds at 24 h and 4 h left", () => {
    expect(policy.reminderOffsetsS).toEqual([24 * HOUR_S, 4 * HOUR_S]);
  });

  it("scales with a short base window, for demos and tests", () => {
    const short = defaultReviewPolicy(60);
    expect(short.tiers.map((t) => t.windowS)).toEqual([60, 90, 120]);
    expect(short.reminderOffsetsS).toEqual([30, 5]);
  });
});

describe("reminderTimes", () => {
  const policy: ReviewPolicy = { tiers: [{ upToMinor: null, windowS: 100 }], reminderOffsetsS: [86_400, 14_400] };
  const deadline = new Date("2026-01-10T00:00:00Z");

  it("places each reminder its offset before the deadline", () => {
    const now = new Date("2026-01-07T00:00:00Z");
    expect(reminderTimes(policy, deadline, now)).toEqual([
      { offsetS: 86_400, at: new Date("2026-01-09T00:00:00Z") },
      { offsetS: 14_400, at: new Date("2026-01-09T20:00:00Z") },
    ]);
  });

  it("drops reminders whose moment has passed", () => {
    const now = new Date("2026-01-09T12:00:00Z");
    expect(reminderTimes(policy, deadline, now).map((r) => r.offsetS)).toEqual([14_400]);
    expect(reminderTimes(policy, deadline, new Date("2026-01-09T20:00:00Z"))).toEqual([]);
  });
});

describe("parsing the environment's text", () => {
  it("reads tiers", () => {
    expect(parseReviewTiers("50000=172800, 250000=259200,*=345600")).toEqual([
      { upToMinor: 50_000, windowS: 172_800 },
      { upToMinor: 250_000, windowS: 259_200 },
      { upToMinor: null, windowS: 345_600 },
    ]);
    expect(parseReviewTiers("*=60")).toEqual([{ upToMinor: null, windowS: 60 }]);
  });

  it.each([
    ["", "at least one tier"],
    ["50000=172800", "last tier must be *"],
    ["*=60,100=30", "must come last"],
    ["500=60,100=30,*=90", "ascending"],
    ["500=0,*=90", "positive number of seconds"],
    ["abc=1,*=2", "is not"],
  ])("rejects %j", (text, message) => {
    expect(parseReviewTiers(text)).toContain(message);
  });

  it("reads reminder offsets, largest first, without duplicates", () => {
    expect(parseReminderOffsets("14400,86400,14400")).toEqual([86_400, 14_400]);
    expect(parseReminderOffsets("")).toEqual([]);
    expect(parseReminderOffsets("10,-3")).toContain("not a positive");
  });

  it("drops an offset too large to be a number of seconds (400 digits read as Infinity), keeping the rest", () => {
    expect(parseReminderOffsets(`${"9".repeat(400)},60`)).toEqual([60]);
  });

  it("refuses a policy without an open tier when asked for a window", () => {
    expect(() => reviewWindowFor({ tiers: [{ upToMinor: 10, windowS: 5 }], reminderOffsetsS: [] }, 11)).toThrow(
      /no tier/,
    );
  });
});

// Issue 23: parsing rules no test pinned (found by mutation testing).
describe("parsing the review policy from the environment", () => {
  it.each([
    ["100=10,100=20,*=30", "ascending"],
    ["200=10,100=20,*=30", "ascending"],
    ["x100=10,*=30", "is not <max amount"],
    ["100=10x,*=30", "is not <max amount"],
    ["100=10,*=30,", null],
    ["*=10,100=20", "must come last"],
    ["100=10", "the last tier must be *"],
    ["", "at least one tier"],
    [" , ", "at least one tier"],
    ["100=0,*=30", "positive number of seconds"],
    ["*=0", "positive number of seconds"],
    ["99999999999999999999=10,*=5", "too large"],
  ])("tiers %j → %s", (text, error) => {
    const parsed = parseReviewTiers(text);
    if (error === null) expect(parsed).toEqual([{ upToMinor: 100, windowS: 10 }, { upToMinor: null, windowS: 30 }]);
    else expect(typeof parsed === "string" ? parsed : "parsed").toContain(error);
  });

  it("reads tiers with spaces around the parts", () => {
    expect(parseReviewTiers(" 50000 = 172800 , * = 345600 ")).toEqual([
      { upToMinor: 50_000, windowS: 172_800 },
      { upToMinor: null, windowS: 345_600 },
    ]);
  });

  it.each(["0", "86400,0", "-5", "1.5", "x"])("reminder offsets %j are refused", (text) => {
    expect(parseReminderOffsets(text)).toMatch(/is not a positive number of seconds/);
  });

  it("reminder offsets are deduplicated, largest first", () => {
    expect(parseReminderOffsets("14400, 86400,86400")).toEqual([86_400, 14_400]);
    expect(parseReminderOffsets("")).toEqual([]);
  });

  it("a hand-built policy without an open tier is a bug, not a window", () => {
    expect(() => reviewWindowFor({ tiers: [{ upToMinor: 10, windowS: 5 }], reminderOffsetsS: [] }, 11)).toThrow(
      /no tier for every amount/,
    );
  });

  it("a reminder exactly now is not sent; one a millisecond ahead is", () => {
    const policy: ReviewPolicy = { tiers: [{ upToMinor: null, windowS: 100 }], reminderOffsetsS: [60] };
    const deadline = new Date("2026-01-10T00:01:00Z");
    expect(reminderTimes(policy, deadline, new Date("2026-01-10T00:00:00Z"))).toEqual([]);
    expect(reminderTimes(policy, deadline, new Date("2026-01-09T23:59:59.999Z"))).toEqual([
      { offsetS: 60, at: new Date("2026-01-10T00:00:00Z") },
    ]);
  });

  it("the default policy rounds 1.5 × and base / 12 to whole seconds", () => {
    const odd = defaultReviewPolicy(25);
    expect(odd.tiers.map((t) => t.windowS)).toEqual([25, 38, 50]);
    expect(odd.reminderOffsetsS).toEqual([13, 2]);
    expect(odd.tiers.map((t) => t.upToMinor)).toEqual([50_000, 250_000, null]);
  });
});

describe("a very short base window", () => {
  it("drops a reminder that would round to 0 s before the deadline", () => {
    expect(defaultReviewPolicy(5).reminderOffsetsS).toEqual([3]);
  });
});

describe("windowsForCommand (the review window by amount, SPEC §6.1)", () => {
  const base = 48 * 3600;
  const policy = defaultReviewPolicy(base);
  const currencies = parseCurrencySettings({ currencies: "USD,EUR", rates: "EUR=1.08" }) as CurrencySettings;

  it("gives complete the tier's window for the amount, in the limits' currency", () => {
    expect(windowsForCommand("complete", { amountMinor: 50_000, currency: "USD" }, DEFAULT_TIME_WINDOWS, policy, currencies).reviewWindowS).toBe(base);
    expect(windowsForCommand("complete", { amountMinor: 50_001, currency: "USD" }, DEFAULT_TIME_WINDOWS, policy, currencies).reviewWindowS).toBe(base * 1.5);
    // 47,000 EUR cents ≈ 50,760 USD cents: the middle tier, after conversion rounded up.
    expect(windowsForCommand("complete", { amountMinor: 47_000, currency: "EUR" }, DEFAULT_TIME_WINDOWS, policy, currencies).reviewWindowS).toBe(base * 1.5);
  });

  it("gives an amount that cannot be converted (a currency no longer configured) the longest window", () => {
    expect(windowsForCommand("complete", { amountMinor: 1, currency: "GBP" }, DEFAULT_TIME_WINDOWS, policy, currencies).reviewWindowS).toBe(base * 2);
  });

  it("leaves every other command, and a deployment without a policy, on the configured windows", () => {
    const big = { amountMinor: 10_000_000, currency: "USD" };
    expect(windowsForCommand("dispute", big, DEFAULT_TIME_WINDOWS, policy, currencies)).toBe(DEFAULT_TIME_WINDOWS);
    expect(windowsForCommand("complete", big, DEFAULT_TIME_WINDOWS, null, currencies)).toBe(DEFAULT_TIME_WINDOWS);
  });
});
