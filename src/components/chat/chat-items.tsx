// The conversation as list items: messages in order, consecutive platform
// notices grouped into one card (they often arrive three or four at once),
// and each offer's card placed after the first message about it. One keyed
// list, so a card moves to its place when its notice arrives instead of being
// re-created (which would lose its state).
import { OfferCard } from "~/components/escrow/offer-card";
import type { OrderPolicy } from "~/components/escrow/order-policy";
import type { ChatMessage, EscrowView } from "~/trpc/types";
import { EvaluationNote } from "./evaluation-note";
import { MessageItem, NoticeGroup } from "./message-item";

export interface ChatParties {
  agentName: string;
  /** The owner's own agent when it is the buyer (SPEC §6.6); null when the reader is the buyer. */
  buyerName: string | null;
}

/** Runs of consecutive system messages become one group; everything else stays one message. */
export function groupNotices(messages: readonly ChatMessage[]): ChatMessage[][] {
  const groups: ChatMessage[][] = [];
  for (const message of messages) {
    const last = groups.at(-1);
    if (message.role === "system" && last?.[0]?.role === "system") last.push(message);
    else groups.push([message]);
  }
  return groups;
}

export function chatItems(messages: readonly ChatMessage[], escrows: readonly EscrowView[], parties: ChatParties, policy: OrderPolicy) {
  const byId = new Map(escrows.map((e) => [e.id, e]));
  const placed = new Set<string>();
  const items: React.ReactNode[] = [];
  const card = (escrow: EscrowView) => <OfferCard key={`offer-${escrow.id}`} escrow={escrow} policy={policy} />;
  const deliveries = lastDeliveryMessages(messages, byId);
  for (const group of groupNotices(messages)) {
    const first = group[0]!;
    items.push(
      first.role === "system" ? (
        <NoticeGroup key={first.id} notices={group} parties={parties} />
      ) : (
        <MessageItem
          key={first.id}
          message={first}
          agentName={parties.agentName}
          {...(parties.buyerName ? { customerName: `${parties.buyerName} (your agent)` } : {})}
        />
      ),
    );
    // The evaluator's verdict beside the delivery it checked (issue 18).
    const delivered = deliveries.get(first.id);
    if (delivered) items.push(<EvaluationNote key={`evaluation-${delivered}`} escrowId={delivered} />);
    for (const message of group) {
      const escrow = message.escrow_id ? byId.get(message.escrow_id) : undefined;
      if (escrow && !placed.has(escrow.id)) {
        placed.add(escrow.id);
        items.push(card(escrow));
      }
    }
  }
  // Offers whose notice has not arrived yet (the two polls are separate) go last.
  for (const escrow of [...escrows].reverse()) if (!placed.has(escrow.id)) items.push(card(escrow));
  return items;
}

/** The last agent message carrying files on each escrow that was delivered: message id → escrow id. */
function lastDeliveryMessages(messages: readonly ChatMessage[], escrows: ReadonlyMap<string, EscrowView>): Map<string, string> {
  const lastByEscrow = new Map<string, string>();
  for (const m of messages) {
    const escrow = m.escrow_id ? escrows.get(m.escrow_id) : undefined;
    if (escrow && m.role === "agent" && m.artifacts.length > 0 && !NOT_DELIVERED.has(escrow.status)) lastByEscrow.set(escrow.id, m.id);
  }
  return new Map([...lastByEscrow].map(([escrowId, messageId]) => [messageId, escrowId]));
}

const NOT_DELIVERED: ReadonlySet<string> = new Set(["pending", "active", "cancelled"]);
