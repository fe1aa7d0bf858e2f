/**
 * The review window that protects absent customers (SPEC §6.1): the larger the amount, the longer the
 * customer has to look at a delivery before the money is released automatically, and reminders go out
 * before that happens. Pure: the service reads the policy from the environment and asks it two things —
 * how long is the window for this amount, and when do reminders fire for this deadline.
 *
 * Defaults are written relative to one base window (HOLDFAST_REVIEW_WINDOW_S, 48 h), so shortening the
 * base for a demo or a test shortens every tier and every reminder with it:
 *   amount ≤ 50,000 minor units ($500)    → 1 × base   (48 h)
 *   amount ≤ 250,000 minor units ($2,500) → 1.5 × base (72 h)
 *   above                                 → 2 × base   (96 h)
 *   reminders at base / 2 and base / 12 before the deadline (24 h and 4 h left)
 */
import { convertMinor, type CurrencySettings } from "../currency";
import type { EscrowCommand } from "./states";
import type { TimeWindows } from "./types";

export interface ReviewTier {
  /** Inclusive upper bound of the amount in minor units; null = every larger amount. */
  upToMinor: number | null;
  windowS: number;
}

export interface ReviewPolicy {
  /** Ascending by upToMinor; the last tier has upToMinor null. */
  tiers: readonly ReviewTier[];
  /** Seconds before the auto-release deadline at which the customer is reminded, largest first. */
  reminderOffsetsS: readonly number[];
}

export const DEFAULT_TIER_THRESHOLDS_MINOR = [50_000, 250_000] as const;

export function defaultReviewPolicy(baseWindowS: number): ReviewPolicy {
  const [small, medium] = DEFAULT_TIER_THRESHOLDS_MINOR;
  return {
    tiers: [
      { upToMinor: small, windowS: baseWindowS },
      { upToMinor: medium, windowS: Math.round(baseWindowS * 1.5) },
      { upToMinor: null, windowS: baseWindowS * 2 },
    ],
    reminderOffsetsS: normalizeOffsets([Math.round(baseWindowS / 2), Math.round(baseWindowS / 12)]),
  };
}

/** The review window for an escrow of this amount. */
export function reviewWindowFor(policy: ReviewPolicy, amountMinor: number): number {
  for (const tier of policy.tiers) {
    if (tier.upToMinor === null || amountMinor <= tier.upToMinor) return tier.windowS;
  }
  // parsePolicy guarantees a final open tier; a policy built by hand without one is a bug.
  throw new Error("review policy has no tier for every amount (the last tier needs no upper bound)");
}

/**
 * The windows a command is decided with: with a review policy, `complete` gets the review window for
 * the escrow's amount; every other window (and every other command) is the configured one. The tiers
 * are amounts in the limits' currency (`currencies.base`): the amount is converted rounded up (a longer
 * window is the customer's safe side), and one that cannot be converted gets the longest window.
 */
export function windowsForCommand(
  command: EscrowCommand,
  escrow: { amountMinor: number; currency: string },
  windows: TimeWindows,
  policy: ReviewPolicy | null,
  currencies: CurrencySettings,
): TimeWindows {
  if (!policy || command !== "complete") return windows;
  const amount = convertMinor(currencies, escrow.amountMinor, escrow.currency, currencies.base, "up") ?? Number.MAX_SAFE_INTEGER;
  return { ...windows, reviewWindowS: reviewWindowFor(policy, amount) };
}

export interface ReminderTime {
  offsetS: number;
  at: Date;
}

/**
 * The reminders still ahead for a deadline: each offset's moment, if it is after `now`. A reminder
 * whose moment has already passed (a short window, or an extension granted late) is not sent: the
 * customer is reminded only about time they still have.
 */
export function reminderTimes(policy: ReviewPolicy, deadline: Date, now: Date): ReminderTime[] {
  return policy.reminderOffsetsS
    .map((offsetS) => ({ offsetS, at: new Date(deadline.getTime() - offsetS * 1000) }))
    .filter((r) => r.at.getTime() > now.getTime());
}

function normalizeOffsets(offsets: number[]): number[] {
  return [...new Set(offsets.filter((s) => Number.isInteger(s) && s > 0))].sort((a, b) => b - a);
}

/**
 * Tiers from text: `50000=172800,250000=259200,*=345600` — "up to this many minor units = this many
 * seconds", ascending, the last one `*`. Returns an error sentence for anything else.
 */
export function parseReviewTiers(text: string): ReviewTier[] | string {
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return "at least one tier, e.g. 50000=172800,*=259200";
  const tiers: ReviewTier[] = [];
  for (const [index, part] of parts.entries()) {
    const match = /^(\*|\d+)\s*=\s*(\d+)$/.exec(part);
    if (!match) return `"${part}" is not <max amount in minor units>=<seconds> or *=<seconds>`;
    // Stryker disable next-line StringLiteral: both groups of the pattern always capture, so the defaults never apply
    const [, bound = "", seconds = ""] = match;
    const windowS = Number(seconds);
    if (!Number.isSafeInteger(windowS) || windowS <= 0) return `"${part}": the window must be a positive number of seconds`;
    const last = index === parts.length - 1;
    if (bound === "*") {
      if (!last) return `"${part}": the open tier (*) must come last`;
      tiers.push({ upToMinor: null, windowS });
      continue;
    }
    const upToMinor = Number(bound);
    if (!Number.isSafeInteger(upToMinor)) return `"${part}": the amount is too large`;
    const previous = tiers.at(-1);
    if (previous && previous.upToMinor !== null && upToMinor <= previous.upToMinor) {
      return `"${part}": tiers must be in ascending order of amount`;
    }
    tiers.push({ upToMinor, windowS });
  }
  if (tiers.at(-1)?.upToMinor !== null) return "the last tier must be *=<seconds> so every amount has a window";
  return tiers;
}

/** Reminder offsets from text: `86400,14400` (seconds before the deadline). */
export function parseReminderOffsets(text: string): number[] | string {
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  const offsets: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part) || Number(part) <= 0) return `"${part}" is not a positive number of seconds`;
    offsets.push(Number(part));
  }
  return normalizeOffsets(offsets);
}
