import { describe, expect, it } from "vitest";
import { durationWords } from "./messages";

describe("durationWords", () => {
  it.each([
    [1, "1 second"],
    [90, "90 seconds"],
    [60, "1 minute"],
    [150 * 60, "150 minutes"],
    [3600, "1 hour"],
    [2 * 86_400, "48 hours"],
    [2 * 86_400 + 3600, "49 hours"],
    [3 * 86_400, "3 days"],
    [7 * 86_400, "7 days"],
  ])("%i s is %s", (seconds, words) => {
    expect(durationWords(seconds)).toBe(words);
  });
});
