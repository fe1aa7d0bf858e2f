// Operation summaries name the transitions a command makes ("`pending` → `cancelled`"). They read them
// here, from the transition table, instead of restating them by hand: the table is the one source, and
// the summaries (OpenAPI, MCP tool descriptions, docs/PROTOCOL.md's endpoint table) follow it.
import type { Actor, EscrowCommand } from "~/domain/escrow/states";
import { TRANSITIONS } from "~/domain/escrow/transitions";

/** "`pending` → `cancelled`, `active` → `refunded`": every row where `actor` may run `command`. */
export function transitionsText(command: EscrowCommand, actor: Actor): string {
  const rows = TRANSITIONS.filter((rule) => rule.command === command && rule.actors.includes(actor));
  if (rows.length === 0) throw new Error(`the transition table has no ${command} for ${actor}`);
  return rows.map((rule) => `\`${rule.from}\` → \`${rule.to}\``).join(", ");
}
