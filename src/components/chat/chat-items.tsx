// The conversation as list items: messages in order, consecutive platform
// notices grouped into one card (they often arrive three or four at once),
// and each offer's card placed after the first message about it. One keyed
// list, so a card moves to its place when its notice arrives instead of being
// re-created (which would lose its state).
import { OfferCard } from "~/components/escrow/offer-card";
import type { OrderPolicy } from "~/components/escrow/order-policy";
import type { ChatMessage, EscrowView } from "~/trpc/types";
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
