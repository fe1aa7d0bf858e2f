/**
 * Renders the transition table as Markdown for docs/ARCHITECTURE.md. A script pastes the output in,
 * so the documented lifecycle is always the one the code runs.
 */
import { TRANSITIONS, type TransitionRule } from "./transitions";

const HEADER = ["from", "command", "actors", "to", "deadline entered", "ledger", "event", "note"] as const;

export function describeLifecycleMarkdown(): string {
  const lines = [row(HEADER), row(HEADER.map(() => "---")), ...TRANSITIONS.map((rule) => row(cells(rule)))];
  return `${lines.join("\n")}\n`;
}

function cells(rule: TransitionRule): string[] {
  return [
    code(rule.from),
    code(rule.command) + guardSuffix(rule),
    rule.actors.join(", "),
    code(rule.to),
    deadlineCell(rule),
    rule.ledger === null ? "—" : rule.ledger === "by_outcome" ? "release / refund / split" : rule.ledger,
    code(rule.event) + (rule.via !== undefined ? ` (via ${rule.via})` : ""),
    rule.note,
  ];
}

function deadlineCell(rule: TransitionRule): string {
  if (rule.deadline === null) return "none";
  if (rule.deadline === "keep") return rule.command === "extend_review" ? "kept, pushed later" : "kept";
  return code(rule.deadline);
}

function guardSuffix(rule: TransitionRule): string {
  return rule.guards.length > 0 ? ` [${rule.guards.join(", ")}]` : "";
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A table row; pipes inside cells are escaped so a note cannot break the table. */
function row(values: readonly string[]): string {
  return `| ${values.map((value) => value.replaceAll("|", "\\|")).join(" | ")} |`;
}
