/**
 * What an escrow's current version expects to happen by itself, and when (docs/ARCHITECTURE.md
 * "Timers"). Every transition writes this plan in the same transaction as the state change; a timer
 * fires at most once and only while the escrow is still at the version that planned it.
 *
 *   deadline         the state's deadline command (offer_expired, delivery_timeout, auto_release, …)
 *   review_reminder  `delivered`: reminders to the customer before auto-release (SPEC §6.1)
 *   due_soon         `active`: escrow.due_soon to the agent before the due time (SPEC §6.2)
 *   overdue          `active`: escrow.overdue to the agent at the due time, the owner is alerted
 */
import { reminderTimes, type ReviewPolicy } from "./review-policy";
import { TIMER_KINDS, type TimerKind } from "./side-effects";
import type { DeadlineAction, EscrowStatus } from "./states";

export type { TimerKind } from "./side-effects";

export interface PlannedTimer {
  kind: TimerKind;
  /** The deadline command, for kind = deadline. */
  action: DeadlineAction | null;
  /** Seconds before the deadline, for review reminders; 0 otherwise. */
  offsetS: number;
  fireAt: Date;
}

export interface TimerPlanInput {
  status: EscrowStatus;
  deadline: Date | null;
  deadlineAction: DeadlineAction | null;
  dueAt: Date | null;
}

export interface TimerPlanSettings {
  reviewPolicy: ReviewPolicy | null;
  /** escrow.due_soon this long before the due time. */
  dueSoonLeadS: number;
}

/**
 * The timers of `kinds` (the transition row's `timers`; by default every kind) that this version of the
 * escrow expects. A kind the state does not support plans nothing, so a row declaring a timer its state
 * cannot have is caught by the table's tests, not written.
 */
export function planTimers(
  escrow: TimerPlanInput,
  now: Date,
  settings: TimerPlanSettings,
  kinds: readonly TimerKind[] = TIMER_KINDS,
): PlannedTimer[] {
  return planAllTimers(escrow, now, settings).filter((timer) => kinds.includes(timer.kind));
}

function planAllTimers(escrow: TimerPlanInput, now: Date, settings: TimerPlanSettings): PlannedTimer[] {
  const timers: PlannedTimer[] = [];
  if (escrow.deadline !== null && escrow.deadlineAction !== null) {
    timers.push({ kind: "deadline", action: escrow.deadlineAction, offsetS: 0, fireAt: escrow.deadline });
  }
  // Stryker disable next-line ConditionalExpression: auto_release is the deadline of `delivered` alone (transitions.ts), so the status test and the action test agree on every escrow
  if (escrow.status === "delivered" && escrow.deadlineAction === "auto_release" && escrow.deadline !== null) {
    for (const reminder of reminderTimes(settings.reviewPolicy ?? { tiers: [], reminderOffsetsS: [] }, escrow.deadline, now)) {
      timers.push({ kind: "review_reminder", action: null, offsetS: reminder.offsetS, fireAt: reminder.at });
    }
  }
  if (escrow.status === "active" && escrow.dueAt !== null) {
    timers.push({ kind: "due_soon", action: null, offsetS: 0, fireAt: dueSoonAt(escrow.dueAt, now, settings.dueSoonLeadS) });
    timers.push({ kind: "overdue", action: null, offsetS: 0, fireAt: escrow.dueAt });
  }
  return timers;
}

/**
 * The lead before the due time, but never earlier than halfway from now: a one-hour job with a
 * six-hour lead must not be "due soon" the moment it is paid for.
 */
export function dueSoonAt(dueAt: Date, now: Date, leadS: number): Date {
  const byLead = dueAt.getTime() - leadS * 1000;
  const halfway = now.getTime() + (dueAt.getTime() - now.getTime()) / 2;
  return new Date(Math.round(Math.max(byLead, halfway)));
}
