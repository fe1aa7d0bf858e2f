// The owner's word, acted on (SPEC §5, issue 22 item 6). An owner.instruction event carries the owner's
// reply to an alert; it is read into one action (owner-instructions.ts: the rule table, then the optional
// model), planned against the order's state as the engine reports it, and carried out through the agent
// API. The customer hears only what was done; what could not be done goes back to the owner as a question.
import { HoldfastApiError, type AgentEvent, type Escrow, type HoldfastClient, type Service } from "~/client";
import { describeOffer, readBrief } from "./brief";
import { answerDispute, type DeliveryFacts } from "./dispute-answers";
import { currencyExponent, formatPrice, menuOf } from "./money-words";
import {
  OWNER_REPLY_HELP, planOwnerAction, readOwnerInstruction, relayedClause, type OrderFacts, type OwnerAction, type OwnerStep,
} from "./owner-instructions";

/** What following the owner needs from the seller agent: its client and its own moves. */
export interface SellerMoves {
  client: HoldfastClient;
  log: (line: string) => void;
  interpretOwner: ((text: string) => Promise<OwnerAction | null>) | undefined;
  catalog(): Promise<Service[]>;
  say(conversationId: string, text: string): Promise<void>;
  deliver(order: Escrow): Promise<void>;
  answerDispute(order: Escrow, reason: string): Promise<void>;
  deliveryFacts(order: Escrow): Promise<DeliveryFacts>;
  /** Buys a supplier offer that waited for the owner; false when there is none. */
  acceptWaitingCommission(order: Escrow): Promise<boolean>;
}

/**
 * The owner's word, acted on: the reply is read into one action (the rule table, then the optional
 * model), planned against the order's state as the engine reports it, and carried out. The customer
 * hears only what was done; what could not be done goes back to the owner as a question.
 */
export async function followOwner(seller: SellerMoves, event: AgentEvent): Promise<void> {
  const text = String((event.data as { text?: unknown }).text ?? "");
  // An alert about one of its own purchases names an escrow it cannot act on as the seller: asked back below.
  const order = event.escrow_id ? await seller.client.getEscrow(event.escrow_id).catch(() => null) : null;
  if (event.escrow_id && !order) {
    await seller.client.notifyOwner({
      reason: "other",
      title: "I could not do that",
      message: `You wrote: "${text.slice(0, 300)}". That alert is about an order I do not sell (one of my purchases), so I cannot act on it from here.`,
      severity: "warning",
    });
    return;
  }
  const conversationId = order?.conversation_id ?? event.conversation_id;
  let action = readOwnerInstruction(text);
  if (action.kind === "unknown" && seller.interpretOwner) action = (await seller.interpretOwner(text)) ?? action;
  const catalog = await seller.catalog();
  const exponentWithoutOrder = currencyExponent(catalog[0]?.currency ?? "USD");
  const steps = planOwnerAction(action, order ? orderFacts(order) : null, { hasConversation: conversationId !== null, exponentWithoutOrder });
  seller.log(`owner said "${text.slice(0, 80)}" → ${action.kind}: ${steps.map((s) => s.do).join(", ")}`);
  for (const step of steps) {
    try {
      await runOwnerStep(seller, step, { text, order, conversationId, catalog });
    } catch (error) {
      if (!(error instanceof HoldfastApiError)) throw error;
      // The order moved on between reading and acting (the customer or a timer was first): ask again.
      await runOwnerStep(
        seller,
        { do: "ask_owner", why: `I could not do it: ${error.message}`, tellCustomer: true },
        { text, order, conversationId, catalog },
      );
      return;
    }
  }
  // "Refund them and tell them we're sorry": the message goes with the action, once the action is done.
  const alsoSay = relayedClause(text, action);
  if (alsoSay && conversationId && !steps.some((s) => s.do === "ask_owner")) await seller.say(conversationId, `My owner also asked me to tell you: ${alsoSay.slice(0, 10_000)}`);
}

async function runOwnerStep(
  seller: SellerMoves,
  step: OwnerStep,
  at: { text: string; order: Escrow | null; conversationId: string | null; catalog: Service[] },
): Promise<void> {
  const { order, conversationId } = at;
  const tell = (message: string) => (conversationId ? seller.say(conversationId, message) : Promise.resolve());
  const money = (amountMinor: number) => formatPrice(amountMinor, order?.currency ?? at.catalog[0]?.currency ?? "USD");
  switch (step.do) {
    case "agree_refund": {
      const refunded = await seller.client.agreeRefund(order!.id);
      return tell(`My owner has reviewed order ${refunded.reference_code} and asked me to refund you in full: ${money(refunded.amount)} is back in your wallet.`);
    }
    case "cancel_refund": {
      const refunded = await seller.client.cancel(order!.id, `Cancelled on the owner's instruction: ${at.text.slice(0, 200)}`);
      return tell(`On my owner's instruction I've cancelled order ${refunded.reference_code} and refunded you in full: ${money(refunded.amount)} is back in your wallet.`);
    }
    case "withdraw_offer":
      await seller.client.cancel(order!.id, "Withdrawn on the owner's instruction: out of scope");
      return tell(`I've withdrawn the offer (ref ${order!.reference_code}); nothing was charged.`);
    case "defend_and_propose":
    case "propose": {
      if (step.do === "defend_and_propose") {
        const answer = answerDispute(order!.dispute_reason ?? "", await seller.deliveryFacts(order!));
        const explanation = answer.move === "defend" ? answer.explanation.replace(/ I'm happy to meet you halfway.*$/, "") : "";
        await seller.client.defend(order!.id, `${explanation} My owner has reviewed your report and proposes a partial refund.`.trim());
      }
      await seller.client.proposeSettlement(order!.id, step.refundMinor);
      return tell(
        `My owner proposes a split on order ${order!.reference_code}: ${money(step.refundMinor)} back to you and ` +
          `${money(order!.amount - step.refundMinor)} to me. Accept it in the order panel, or propose another amount.`,
      );
    }
    case "relay":
      return tell(`My owner asked me to tell you: ${step.message.slice(0, 10_000)}`);
    case "decline":
      return tell(`I checked with my owner: that's outside what I offer, so I can't take it on. ${menuOf(at.catalog)}`);
    case "deliver":
      return (await seller.acceptWaitingCommission(order!)) ? undefined : seller.deliver(order!);
    case "answer_dispute":
      return seller.answerDispute(order!, order!.dispute_reason ?? "");
    case "offer":
      return offerApprovedRequest(seller, conversationId, step.priceMinor, at.catalog);
    case "confirm":
      return tell(
        step.about === "offer_stands"
          ? `My owner has approved this offer (ref ${order!.reference_code}). Accept and pay when you're ready; the money stays held until you approve the delivery.`
          : step.about === "delivery_stands"
            ? `My owner has reviewed the delivery of ${order!.reference_code} and stands by it. You can approve it or report a problem in the order panel.`
            : `My owner has reviewed the dispute on ${order!.reference_code} and stands by my answer.`,
      );
    case "ask_owner":
      await seller.client.notifyOwner({
        reason: "other",
        title: step.why.startsWith("I did not understand") ? "I did not understand your reply" : `I could not do that${order ? ` on ${order.reference_code}` : ""}`,
        message: step.why.startsWith("I did not understand")
          ? `I did not understand "${at.text.slice(0, 300)}" — ${OWNER_REPLY_HELP}`
          : `You wrote: "${at.text.slice(0, 300)}". ${step.why} You can ${OWNER_REPLY_HELP}`,
        severity: "warning",
        ...(order ? { escrow_id: order.id } : {}),
        ...(conversationId ? { conversation_id: conversationId } : {}),
      });
      if (step.tellCustomer) await tell("I'm checking with my owner how to go on; I'll write here as soon as they answer.");
      return;
  }
}

/** "go ahead for $40" on a request outside the catalog: an offer for the customer's last request, at that price. */
async function offerApprovedRequest(seller: SellerMoves, conversationId: string | null, priceMinor: number, catalog: Service[]): Promise<void> {
  if (!conversationId) return;
  const messages = (await seller.client.listMessages(conversationId, { limit: 200 })).data;
  const request = messages.filter((m) => m.role === "customer").at(-1)?.text ?? "";
  const subject = readBrief(request).subject;
  const title = subject ? `Custom request for ${subject}`.slice(0, 120) : "Custom request";
  const offer = await seller.client.createEscrow({
    conversation_id: conversationId,
    title,
    description: describeOffer({ title: "Custom request", delivery_in_hours: 24, artifact_contract: null }, request),
    amount: priceMinor,
    currency: catalog[0]?.currency ?? "USD",
    delivery_in_hours: 24,
  });
  await seller.say(
    conversationId,
    `My owner approved your request: I've sent an offer (ref ${offer.reference_code}) for ${formatPrice(offer.amount, offer.currency)}. ` +
      "Accept and pay, and the platform holds the money until you approve the delivery.",
  );
}

function orderFacts(order: Escrow): OrderFacts {
  return { status: order.status, amountMinor: order.amount, exponent: currencyExponent(order.currency), referenceCode: order.reference_code };
}
