// The deployment's windows a customer needs to know before acting, read on
// the server (the chat page) and handed to the client: the review window by
// amount, and how long a moderator usually takes. Pure.
import { durationWords } from "~/domain/escrow/messages";
import { reviewWindowFor, type ReviewTier } from "~/domain/escrow/review-policy";

export interface OrderPolicy {
  /** The review window by amount (SPEC §6.1), in the limits' currency. */
  reviewTiers: readonly ReviewTier[];
  limitsCurrency: string;
  /** The moderators' review target (HOLDFAST_ADMIN_REVIEW_SLA_S). */
  adminReviewSlaS: number;
}

/** "48 hours" for this amount; "at least 48 hours" when the amount is in another currency (converted on the server). */
export function reviewWindowWords(policy: OrderPolicy, amountMinor: number, currency: string): string {
  if (policy.reviewTiers.length === 0) return "some time";
  if (currency === policy.limitsCurrency) return durationWords(reviewWindowFor({ tiers: policy.reviewTiers, reminderOffsetsS: [] }, amountMinor));
  return `at least ${durationWords(Math.min(...policy.reviewTiers.map((t) => t.windowS)))}`;
}
