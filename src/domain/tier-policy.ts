/**
 * How an agent earns its risk tier (SPEC §6.5, issue 17 item 1): by evidence that costs. A tier that
 * counted sales could be bought — 25 one-cent sales from one sock-puppet buyer once made an agent
 * `trusted`. Promotion now needs distinct buyers who are not linked to the owner, each with a sale of at
 * least a minimum ticket, real money released by them, and time for disputes to surface; demotion still
 * reads every sale (a dispute on a one-cent sale is still a dispute). The rules are a table
 * (TIER_RULES), judged in order by judgeTier, which says why at each step; the table is generated into
 * docs/ARCHITECTURE.md (describeTierPolicyMarkdown).
 */
import { convertMinor, type CurrencySettings } from "./currency";
import { RISK_TIERS, SIGNAL_FREEZE_SCORE, type RiskTier } from "./risk";

const DAY_MS = 24 * 3600 * 1000;

/** The smallest sale that counts as evidence, in the limits' currency (minor units); other currencies convert. */
export const DEFAULT_MIN_TICKET_MINOR = 5_00;

/** What promotion to a tier needs. Volumes are minor units of the limits' currency. */
export interface PromotionThreshold {
  buyers: number;
  volumeMinor: number;
  days: number;
  /** Highest dispute rate allowed, in basis points; null = not judged. */
  maxDisputeRateBps: number | null;
  /** Most moderator losses allowed; null = not judged (restriction already caps them). */
  maxAdminLosses: number | null;
}

export const PROMOTION: Readonly<Record<"standard" | "trusted", PromotionThreshold>> = Object.freeze({
  standard: { buyers: 3, volumeMinor: 50_00, days: 7, maxDisputeRateBps: null, maxAdminLosses: null },
  trusted: { buyers: 10, volumeMinor: 1_000_00, days: 30, maxDisputeRateBps: 500, maxAdminLosses: 0 },
});

/**
 * A bad record: this many moderator losses, or, over at least RESTRICT_MIN_SALES sales, a dispute or
 * full-refund rate this high. The rates weigh money: the amounts of disputed (refunded) sales, whoever
 * bought, against what qualifying buyers paid — so cent sales and self-dealing cannot dilute a bad
 * record (only real money from unlinked buyers can), and with no qualifying buyer any dispute is 100%.
 */
export const RESTRICT_ADMIN_LOSSES = 2;
export const RESTRICT_MIN_SALES = 3;
export const RESTRICT_RATE_BPS = 3_000;

/** The evidence a tier is judged on: figures of the agent's record (agent_records, agent_record_buyers). */
export interface TierEvidence {
  /** Every finished, funded sale, whoever bought. */
  sales: number;
  disputed: number;
  refundedInFull: number;
  adminLosses: number;
  /** The amounts of disputed sales, and of sales refunded in full, whoever bought (limits' currency, rounded up). */
  disputedAmountMinor: number;
  refundedAmountMinor: number;
  /** What qualifying buyers paid (limits' currency, rounded down): the rates' denominator. */
  qualifyingAmountMinor: number;
  /** Distinct buyers not linked to the owner with at least one sale at or above the minimum ticket. */
  qualifyingBuyers: number;
  /** What those buyers' sales released to the seller, in the limits' currency (minor units, rounded down). */
  qualifyingVolumeMinor: number;
  /** When the earliest qualifying buyer's qualifying sale finished (never earlier than it was); null: none. */
  firstQualifyingSaleAt: Date | null;
}

export interface TierInput {
  evidence: TierEvidence;
  now: Date;
  /** An open signal at or above SIGNAL_FREEZE_SCORE (risk.ts promotionFrozenBy): the tier may not rise. */
  promotionFrozen: boolean;
  /** The tier the agent held when the freeze began; null when not known, which caps a frozen agent at `new`. */
  tierBeforeFreeze: RiskTier | null;
  /** A moderator's pin: this tier whatever the record. */
  pinned: RiskTier | null;
}

export type TierRuleId = "pinned" | "restricted" | "trusted" | "standard" | "new" | "frozen";

export interface TierStep {
  rule: TierRuleId;
  met: boolean;
  reason: string;
}

export interface TierJudgement {
  tier: RiskTier;
  /** The tier the record alone earns (before a pin or a freeze). */
  earned: RiskTier;
  steps: TierStep[];
}

/** The policy as a table: judged top to bottom; the first of pinned/restricted/trusted/standard/new that applies, then the freeze. */
export const TIER_RULES: readonly { rule: TierRuleId; tier: string; when: string }[] = Object.freeze([
  { rule: "pinned", tier: "the pinned tier", when: "a moderator pinned a tier (with a note in the audit log); nothing below applies" },
  {
    rule: "restricted",
    tier: "restricted",
    when: `≥ ${RESTRICT_ADMIN_LOSSES} moderator losses, or ≥ ${RESTRICT_MIN_SALES} sales with a dispute or full-refund rate ≥ ${RESTRICT_RATE_BPS / 100}% — by money: the disputed (refunded) amounts of every sale, whoever bought, against what qualifying buyers paid`,
  },
  { rule: "trusted", tier: "trusted", when: promotionText(PROMOTION.trusted) },
  { rule: "standard", tier: "standard", when: promotionText(PROMOTION.standard) },
  { rule: "new", tier: "new", when: "otherwise" },
  {
    rule: "frozen",
    tier: "no higher than before",
    when: `an open signal scores ≥ ${SIGNAL_FREEZE_SCORE} — any signal the moderators see, open until a moderator's clearing review covers its score (the rule that holds payouts): the tier does not rise above the one held when the freeze began (\`new\` when that is not known, as on the server); it may still fall to restricted`,
  },
]);

function money(minor: number): string {
  // Stryker disable next-line StringLiteral: an empty locale falls back to the process's default, en-US here; the docs test pins the output
  return (minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function promotionText(t: PromotionThreshold): string {
  const parts = [
    `≥ ${t.buyers} distinct buyers not linked to the owner, each with a sale ≥ the minimum ticket (${money(DEFAULT_MIN_TICKET_MINOR)} by default)`,
    `≥ ${money(t.volumeMinor)} released by their sales`,
    `≥ ${t.days} days since the first such sale`,
  ];
  if (t.maxDisputeRateBps !== null) parts.push(`dispute rate (by money) ≤ ${t.maxDisputeRateBps / 100}%`);
  // Stryker disable next-line ConditionalExpression,StringLiteral: only trusted judges moderator losses and it allows none, so the "≤ N" wording shows in no table today
  if (t.maxAdminLosses !== null) parts.push(t.maxAdminLosses === 0 ? "no moderator loss" : `≤ ${t.maxAdminLosses} moderator losses`);
  return parts.join(", ");
}

/** `part` of `whole` in basis points, rounded to the nearest, at most 100%; any part of nothing is 100%. */
export function moneyRateBps(part: number, whole: number): number {
  if (part <= 0) return 0;
  // Stryker disable next-line EqualityOperator: a part of exactly 0 is Infinity basis points, which the cap below makes 10,000 too
  if (whole <= 0) return 10_000;
  return Math.min(10_000, Math.round((part * 10_000) / whole));
}

/** The dispute and full-refund rates the policy judges, in basis points. */
export function tierRates(e: TierEvidence): { disputeRateBps: number; refundRateBps: number } {
  return { disputeRateBps: moneyRateBps(e.disputedAmountMinor, e.qualifyingAmountMinor), refundRateBps: moneyRateBps(e.refundedAmountMinor, e.qualifyingAmountMinor) };
}

/** restricted < new < standard < trusted. */
export function tierRank(tier: RiskTier): number {
  return ["restricted", "new", "standard", "trusted"].indexOf(tier);
}

function promotionSteps(rule: "standard" | "trusted", e: TierEvidence, now: Date): TierStep {
  const t = PROMOTION[rule];
  const days = e.firstQualifyingSaleAt ? Math.floor((now.getTime() - e.firstQualifyingSaleAt.getTime()) / DAY_MS) : 0;
  const disputeRate = tierRates(e).disputeRateBps;
  const missing: string[] = [];
  if (e.qualifyingBuyers < t.buyers) missing.push(`${e.qualifyingBuyers} of ${t.buyers} qualifying buyers`);
  if (e.qualifyingVolumeMinor < t.volumeMinor) missing.push(`${money(e.qualifyingVolumeMinor)} of ${money(t.volumeMinor)} released`);
  if (days < t.days) missing.push(`${days} of ${t.days} days since the first qualifying sale`);
  if (t.maxDisputeRateBps !== null && disputeRate > t.maxDisputeRateBps) missing.push(`dispute rate ${disputeRate / 100}% above ${t.maxDisputeRateBps / 100}%`);
  if (t.maxAdminLosses !== null && e.adminLosses > t.maxAdminLosses) missing.push(`${e.adminLosses} moderator loss(es)`);
  return missing.length === 0
    ? { rule, met: true, reason: `${e.qualifyingBuyers} qualifying buyers, ${money(e.qualifyingVolumeMinor)} released, ${days} days` }
    : { rule, met: false, reason: `not yet: ${missing.join("; ")}` };
}

function earnedTier(e: TierEvidence, now: Date, steps: TierStep[]): RiskTier {
  const { disputeRateBps: disputeRate, refundRateBps: refundRate } = tierRates(e);
  const bad =
    e.adminLosses >= RESTRICT_ADMIN_LOSSES ||
    (e.sales >= RESTRICT_MIN_SALES && (disputeRate >= RESTRICT_RATE_BPS || refundRate >= RESTRICT_RATE_BPS));
  steps.push({
    rule: "restricted",
    met: bad,
    reason: `${e.adminLosses} moderator loss(es); ${e.sales} sale(s); by money: dispute rate ${disputeRate / 100}%, full-refund rate ${refundRate / 100}%`,
  });
  if (bad) return "restricted";
  for (const rule of ["trusted", "standard"] as const) {
    const step = promotionSteps(rule, e, now);
    steps.push(step);
    if (step.met) return rule;
  }
  steps.push({ rule: "new", met: true, reason: "the record has not yet earned a higher tier" });
  return "new";
}

/** The agent's tier, with the reason for each step taken. Pure: the server gathers the inputs. */
export function judgeTier(input: TierInput): TierJudgement {
  const steps: TierStep[] = [];
  const earned = earnedTier(input.evidence, input.now, steps);
  if (input.pinned) {
    steps.unshift({ rule: "pinned", met: true, reason: `a moderator pinned the tier at ${input.pinned}` });
    return { tier: input.pinned, earned, steps };
  }
  let tier = earned;
  if (input.promotionFrozen) {
    const cap = input.tierBeforeFreeze ?? "new";
    const capped = tierRank(earned) > tierRank(cap);
    if (capped) tier = cap;
    steps.push({
      rule: "frozen",
      met: capped,
      reason: capped ? `an open signal freezes promotion: held at ${cap} instead of ${earned}` : `an open signal freezes promotion; ${earned} is not a rise`,
    });
  }
  return { tier, earned, steps };
}

/** One buyer row of the record (agent_record_buyers), amounts in the row's currency. */
export interface RecordBuyer {
  buyerId: string;
  currency: string;
  linked: boolean;
  sales: number;
  amountMinor: number;
  releasedMinor: number;
  largestReleasedMinor: number;
  largestReleasedAt: Date;
}

/** One currency row of the record (agent_records). */
export interface RecordTotals {
  currency: string;
  sales: number;
  disputed: number;
  refundedInFull: number;
  adminLosses: number;
  disputedAmountMinor: number;
  refundedAmountMinor: number;
}

/**
 * The tier's evidence from the record's rows. A buyer qualifies when it is not linked to the owner and
 * one of its sales released at least the minimum ticket, converted into that sale's currency (rounded
 * up, so the bar is never lowered); its released money then counts, converted into the limits' currency
 * (rounded down, so volume is never overstated). A currency that no longer converts counts nothing.
 */
export function tierEvidenceOf(
  totals: readonly RecordTotals[],
  buyers: readonly RecordBuyer[],
  settings: CurrencySettings,
  minTicketMinor: number = DEFAULT_MIN_TICKET_MINOR,
): TierEvidence {
  const sum = (f: (t: RecordTotals) => number) => totals.reduce((s, t) => s + f(t), 0);
  // A bad amount that no longer converts counts as the whole record, so it can only restrict.
  const up = (f: (t: RecordTotals) => number) =>
    totals.reduce((s, t) => s + (f(t) === 0 ? 0 : (convertMinor(settings, f(t), t.currency, settings.base, "up") ?? Number.MAX_SAFE_INTEGER)), 0);
  const qualifying = new Set<string>();
  let volume = 0;
  let paid = 0;
  let first: Date | null = null;
  for (const b of buyers) {
    if (b.linked) continue;
    const ticket = convertMinor(settings, minTicketMinor, settings.base, b.currency, "up");
    if (ticket === null || b.largestReleasedMinor < ticket || b.largestReleasedMinor <= 0) continue;
    const released = convertMinor(settings, b.releasedMinor, b.currency, settings.base, "down");
    const amount = convertMinor(settings, b.amountMinor, b.currency, settings.base, "down");
    if (released === null || amount === null) continue;
    qualifying.add(b.buyerId);
    volume += released;
    paid += amount;
    // Stryker disable next-line EqualityOperator: of two equal times, keeping either gives the same date
    if (!first || b.largestReleasedAt < first) first = b.largestReleasedAt;
  }
  return {
    sales: sum((t) => t.sales),
    disputed: sum((t) => t.disputed),
    refundedInFull: sum((t) => t.refundedInFull),
    adminLosses: sum((t) => t.adminLosses),
    disputedAmountMinor: up((t) => t.disputedAmountMinor),
    refundedAmountMinor: up((t) => t.refundedAmountMinor),
    qualifyingAmountMinor: paid,
    qualifyingBuyers: qualifying.size,
    qualifyingVolumeMinor: volume,
    firstQualifyingSaleAt: first,
  };
}

/** docs/ARCHITECTURE.md's tier policy table (scripts/docs-generate.ts). */
export function describeTierPolicyMarkdown(): string {
  const rows = TIER_RULES.map((r, i) => `| ${i + 1} | \`${r.rule}\` | ${r.tier} | ${r.when} |`);
  return [`| step | rule | tier | when |`, `| --- | --- | --- | --- |`, ...rows, "", `Tiers: ${RISK_TIERS.join(", ")}; ranked restricted < new < standard < trusted.`, ""].join("\n");
}
