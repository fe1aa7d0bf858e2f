/**
 * Renders the transition table as Markdown for docs/ARCHITECTURE.md: one row per transition (the offer
 * first), with the side effects each row declares, then what each reminder timer sends, then the rows
 * decide() picks instead of a table row when its input says so. A script pastes the output in, so the
 * documented lifecycle is always the one the code runs.
 */
import { REMINDER_RULES, type SideEffects } from "./side-effects";
import { HELD_AUTO_RELEASE_RULE, OFFER_RULE, TRANSITIONS, type OfferRule, type TransitionRule } from "./transitions";

/**
 * The rows decide() picks instead of the table's row for the same (from, command), each with the command
 * input that picks it (decide.ts): one today, the auto-release held for a moderator while the seller is
 * under review (issue 17 item 4).
 */
export const VARIANT_RULES: readonly { rule: TransitionRule; when: string }[] = [
  { rule: HELD_AUTO_RELEASE_RULE, when: "`agentUnderReview`: the seller has an open risk signal and the customer wrote nothing since the delivery" },
];

const VARIANT_HEADER = ["from", "command", "instead, when", "actors", "to", "deadline entered", "ledger", "event", "side effects", "note"] as const;

const HEADER = ["from", "command", "actors", "to", "deadline entered", "ledger", "event", "side effects", "note"] as const;
const REMINDER_HEADER = ["timer", "applies while", "notices", "alerts", "what it sends"] as const;

export function describeLifecycleMarkdown(): string {
  const lines = [
    row(HEADER),
    row(HEADER.map(() => "---")),
    row(offerCells(OFFER_RULE)),
    ...TRANSITIONS.map((rule) => row(cells(rule))),
  ];
  return `${lines.join("\n")}\n\n${describeRemindersMarkdown()}\n${describeVariantsMarkdown()}`;
}

/** The rows decide() picks instead of a table row (VARIANT_RULES), with the input that picks each. */
export function describeVariantsMarkdown(): string {
  const lines = [
    row(VARIANT_HEADER),
    row(VARIANT_HEADER.map(() => "---")),
    ...VARIANT_RULES.map(({ rule, when }) => {
      const [from = "", command = "", ...rest] = cells(rule);
      return row([from, command, when, ...rest]);
    }),
  ];
  return `${lines.join("\n")}\n`;
}

/** What the timers that are not deadlines send when they fire (a deadline runs its row above). */
export function describeRemindersMarkdown(): string {
  const lines = [
    row(REMINDER_HEADER),
    row(REMINDER_HEADER.map(() => "---")),
    ...Object.entries(REMINDER_RULES).map(([kind, rule]) =>
      row([code(kind), code(rule.whileStatus), list(rule.notices), list(rule.alerts), rule.note]),
    ),
  ];
  return `${lines.join("\n")}\n`;
}

function offerCells(rule: OfferRule): string[] {
  return [
    "—",
    code(rule.command) + ` [${rule.guards.join(", ")}]`,
    actorsCell(rule.actors),
    code(rule.to),
    code(rule.deadline),
    "—",
    code(rule.event),
    sideEffectsCell(rule),
    rule.note,
  ];
}

function cells(rule: TransitionRule): string[] {
  return [
    code(rule.from),
    code(rule.command) + guardSuffix(rule),
    actorsCell(rule.actors),
    code(rule.to),
    deadlineCell(rule),
    rule.ledger === null ? "—" : rule.ledger === "by_outcome" ? "release / refund / split" : rule.ledger,
    code(rule.event) + (rule.via !== undefined ? ` (via ${rule.via})` : ""),
    sideEffectsCell(rule),
    rule.note,
  ];
}

/** "timers: `deadline`, `due_soon`; alerts: `dispute`" — or "—" for a row that causes neither. */
function sideEffectsCell(rule: SideEffects): string {
  const parts = [
    ...(rule.timers.length > 0 ? [`timers: ${list(rule.timers)}`] : []),
    ...(rule.alerts.length > 0 ? [`alerts: ${list(rule.alerts)}`] : []),
  ];
  return parts.length > 0 ? parts.join("; ") : "—";
}

function deadlineCell(rule: TransitionRule): string {
  if (rule.deadline === null) return "none";
  if (rule.deadline === "keep") return rule.command === "extend_review" ? "kept, pushed later" : "kept";
  return code(rule.deadline);
}

/** One cell for the offer row and every transition row: only transitions have two actors, so a single
 * join shared by both is pinned by them (the offer row's own join had an equivalent mutant). */
function actorsCell(actors: readonly string[]): string {
  return actors.join(", ");
}

function guardSuffix(rule: TransitionRule): string {
  return rule.guards.length > 0 ? ` [${rule.guards.join(", ")}]` : "";
}

function list(items: readonly string[]): string {
  return items.length > 0 ? items.map(code).join(", ") : "—";
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A table row; pipes inside cells are escaped so a note cannot break the table. */
function row(values: readonly string[]): string {
  return `| ${values.map(escapePipes).join(" | ")} |`;
}

function escapePipes(value: string): string {
  return value.replaceAll(
    "|",
    // Stryker disable next-line StringLiteral: no cell of today's tables contains a pipe, so an emptied escape changes no generated line.
    "\\|",
  );
}
