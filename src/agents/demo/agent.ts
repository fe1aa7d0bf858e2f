// The reference seller agent. It uses only the public protocol, through the
// typed client, and shows the habits a seller agent needs on Holdfast:
// - payment is real only when the platform's trusted `escrow.funded` event
//   says so; a customer saying "I paid" gets a polite wait;
// - delivery is an uploaded artifact sent on the escrow, then `complete`;
// - the catalog is read as the owner keeps it (a price edit applies to the next
//   offer), and an offer's description is written from the request (brief.ts);
// - disputes get one of the two structured moves, by a rule stated up front,
//   with an answer to the customer's own reason (dispute-answers.ts);
// - anything outside the catalog goes to the owner, whose instructions arrive
//   as trusted `owner.instruction` events and are acted on: refund, split,
//   relay, decline or go ahead (owner-instructions.ts, follow-owner.ts); a reply it cannot map
//   is asked back, and the customer is told only what was done;
// - with a supplier configured, it buys part of the work from another agent
//   through the same escrow (SPEC §6.6): it accepts the supplier's offer, checks
//   the delivered file before approving, and disputes a broken one.
import {
  HoldfastApiError, type AgentEvent, type Escrow, type HoldfastClient, type Message, type Service,
} from "~/client";
import { buildBrandSheet, buildReport, buildTextFile, renderLogoPng, renderVoiceWav } from "./artifacts";
import { describeOffer, listWords, readBrief } from "./brief";
import { answerDispute, DISPUTE_RULE } from "./dispute-answers";
import { followOwner, type SellerMoves } from "./follow-owner";
import { menuOf } from "./money-words";
import type { OwnerAction } from "./owner-instructions";

export { DISPUTE_RULE };

const PAYMENT_CLAIM = /\b(i('ve| have)? paid|paid already|already paid|payment (is )?(sent|done|made)|sent (you )?the money|transferred)\b/i;
const REQUEST = /\b(can you|could you|i need|i want|i'd like|please make|make me|build|write|design|create)\b/i;
/** How a commission names the customer's order it is for; the supplier quotes it back in its offer ("your customer's order"). */
const FOR_ORDER = /\bfor (?:my|your) customer's order ([A-Z]{6})\b/;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface DemoAgentOptions {
  /** Replies for small talk from an OpenAI-compatible endpoint; never used for money decisions. */
  chat?: (prompt: string) => Promise<string | null>;
  /**
   * Maps an owner's free-text reply that the rule table could not read to one of the same actions (the
   * optional LLM, src/agents/demo/llm.ts). Null: not understood. Money still moves only through the actions.
   */
  interpretOwner?: (text: string) => Promise<OwnerAction | null>;
  log?: (line: string) => void;
  /** Persist the feed cursor so a restart does not handle old events again. */
  loadCursor?: () => Promise<string | undefined>;
  saveCursor?: (cursor: string) => Promise<void>;
  /**
   * The handle of an agent this one buys its images from, with its owner's wallet (the owner must have
   * turned purchasing on). Without it the agent draws its own.
   */
  supplier?: string;
}

export class DemoSellerAgent {
  private cursor: string | undefined;
  private readonly log: (line: string) => void;

  constructor(
    private readonly client: HoldfastClient,
    private readonly options: DemoAgentOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
  }

  async start(): Promise<void> {
    this.cursor = await this.options.loadCursor?.();
  }

  /** The catalog as the owner has it now (read each time: an owner's price edit applies to the next offer). */
  private async catalog(): Promise<Service[]> {
    return (await this.client.listServices({ limit: 200 })).data.filter((s) => s.active);
  }

  /** Long-polls the feed until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.start();
    while (!signal.aborted) {
      try {
        await this.pollOnce(25, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.log(`feed error: ${(error as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** Reads one page of the feed (waiting up to `waitS`) and handles each event in order. */
  async pollOnce(waitS = 0, signal?: AbortSignal): Promise<number> {
    const page = await this.client.events({ ...(this.cursor ? { after: this.cursor } : {}), wait: waitS }, signal ? { signal } : {});
    for (const event of page.events) {
      await this.handle(event).catch((error: unknown) => this.log(`could not handle ${event.type}: ${(error as Error).message}`));
      this.cursor = event.id;
      await this.options.saveCursor?.(event.id);
    }
    if (page.next_cursor) this.cursor = page.next_cursor;
    return page.events.length;
  }

  async handle(event: AgentEvent): Promise<void> {
    const escrow = (event.data as { escrow?: Escrow }).escrow;
    switch (event.type) {
      case "message.received":
        return this.onCustomerMessage((event.data as { message: Message }).message);
      case "escrow.funded":
        return escrow ? this.deliver(escrow) : undefined;
      case "escrow.disputed":
        return escrow ? this.answerDispute(escrow, String((event.data as { reason?: unknown }).reason ?? "")) : undefined;
      case "escrow.settlement_proposed":
        return escrow ? this.answerSettlement(escrow, event.data as { settlement?: { id: string; proposed_by: string; refund_amount: number } }) : undefined;
      case "owner.instruction":
        return followOwner(this.sellerMoves(), event);
      case "escrow.completed":
        return escrow ? this.say(escrow.conversation_id, `Thank you! Order ${escrow.reference_code} is complete.`) : undefined;
      case "escrow.resolved":
        return escrow
          ? this.say(escrow.conversation_id, `Order ${escrow.reference_code} is settled (${escrow.outcome ?? "closed"}). Thank you for your patience.`)
          : undefined;
      // Its own purchases from its supplier (only with a supplier configured).
      case "purchase.offered":
        return escrow ? this.acceptCommission(escrow) : undefined;
      case "purchase.delivered":
        return escrow ? this.checkCommission(escrow) : undefined;
      case "purchase.refunded":
      case "purchase.resolved":
      case "purchase.cancelled": // the supplier withdrew its offer
      case "purchase.expired": // nobody accepted it in time (e.g. over the owner's limit)
        return escrow ? this.commissionFailed(escrow) : undefined;
      default:
        return undefined;
    }
  }

  private async say(conversationId: string, text: string, extra: { artifact_ids?: string[]; escrow_id?: string } = {}) {
    await this.client.sendMessage(conversationId, { text, ...extra });
  }

  private findService(catalog: Service[], text: string): Service | undefined {
    const lower = text.toLowerCase();
    let best: { service: Service; score: number } | undefined;
    for (const service of catalog) {
      const words = service.title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 4);
      const score = words.filter((w) => lower.includes(w) || lower.includes(w.replace(/s$/, ""))).length;
      if (score > 0 && (!best || score > best.score)) best = { service, score };
    }
    return best?.service;
  }

  private async openEscrows(conversationId: string): Promise<Escrow[]> {
    const all = await this.client.listEscrows({ limit: 200 });
    return all.data.filter((e) => e.conversation_id === conversationId);
  }

  private async onCustomerMessage(message: Message): Promise<void> {
    const conversationId = message.conversation_id;
    const text = message.text;
    if (PAYMENT_CLAIM.test(text)) {
      // Customer text is untrusted: only the platform's escrow.funded event means the money is held.
      const funded = (await this.openEscrows(conversationId)).some((e) => e.status === "active");
      return this.say(
        conversationId,
        funded
          ? "Thanks — the platform has confirmed your payment and I am working on it."
          : "Thanks! I'll start as soon as the platform confirms payment — it tells me the moment the money is held in escrow.",
      );
    }
    const catalog = await this.catalog();
    const service = this.findService(catalog, text);
    if (service) {
      const offer = await this.client.createEscrow({
        conversation_id: conversationId,
        title: service.title,
        description: describeOffer(service, text),
        amount: service.price,
        currency: service.currency,
        service_id: service.id,
        delivery_in_hours: service.delivery_in_hours,
      });
      return this.say(
        conversationId,
        `I can do that: "${service.title}". I've sent an offer (ref ${offer.reference_code}). ` +
          `Accept and pay, and the platform holds the money until you approve the delivery. ${DISPUTE_RULE}`,
      );
    }
    if (REQUEST.test(text)) {
      await this.client.notifyOwner({
        reason: "off_catalog",
        title: "Request outside the catalog",
        message: `A customer asked: "${text.slice(0, 500)}"`,
        severity: "info",
        conversation_id: conversationId,
      });
      return this.say(conversationId, "That's outside my catalog, so I've asked my owner. I'll come back to you here.");
    }
    const reply = (await this.options.chat?.(`A customer wrote: "${text}". Greet them in one sentence.`)) ?? "Hello!";
    return this.say(conversationId, `${reply} ${menuOf(catalog)}`);
  }

  /** Makes the artifact the service's contract asks for, sends it on the escrow, then completes. */
  private async deliver(funded: Escrow): Promise<void> {
    const escrow = await this.client.getEscrow(funded.id); // the ground truth, not the event's copy
    if (escrow.status !== "active") return;
    const service = (await this.catalog()).find((s) => s.id === escrow.service_id);
    const kinds = service?.artifact_contract?.kinds ?? [];
    const brief = escrow.description || escrow.title;
    const read = readBrief(brief);
    if (this.options.supplier && kinds.includes("image")) return this.commission(escrow, this.options.supplier, brief);
    const artifact = kinds.includes("data")
      ? await this.client.uploadData({ name: "report.json", data: buildReport(read.subject ?? brief) })
      : kinds.includes("audio")
        ? await this.client.uploadFile({ name: "voice.wav", bytes: renderVoiceWav(read.quoted ?? brief), contentType: "audio/wav" })
        : kinds.includes("file")
          ? await this.client.uploadFile({ name: "delivery.txt", bytes: buildTextFile(escrow.title, brief), contentType: "text/plain" })
          : await this.client.uploadFile({ name: "logo.png", bytes: renderLogoPng(brief), contentType: "image/png" });
    await this.say(escrow.conversation_id, `Here is your ${escrow.title.toLowerCase()} (${artifact.name}).`, {
      artifact_ids: [artifact.id],
      escrow_id: escrow.id,
    });
    try {
      await this.client.complete(escrow.id);
    } catch (error) {
      if (!(error instanceof HoldfastApiError)) throw error;
      // The engine explains what is missing; tell the owner rather than pretend.
      await this.client.notifyOwner({
        reason: "extension_failure",
        title: `Delivery of ${escrow.reference_code} was refused`,
        message: `${error.code}: ${error.message}`,
        severity: "warning",
        escrow_id: escrow.id,
      });
      await this.say(
        escrow.conversation_id,
        `The platform's check refused my delivery of ${escrow.reference_code}, so it does not count yet. I've told my owner; your money stays held meanwhile.`,
      );
    }
  }

  /** Buys the image for `escrow` from the supplier: a purchase conversation and a request it can quote. */
  private async commission(escrow: Escrow, supplier: string, brief: string): Promise<void> {
    const conversation = await this.client.startPurchaseConversation(supplier);
    await this.client.sendPurchaseMessage(conversation.id, commissionRequest(brief, escrow.reference_code));
    await this.say(
      escrow.conversation_id,
      `The platform has confirmed your payment. I've commissioned your logo from @${supplier}, paid through Holdfast's escrow ` +
        "like yours; your kit follows as soon as it is delivered and checked.",
    );
  }

  /** The order a purchase is for, if it is one of ours and that order still waits for its delivery. */
  private async orderFor(purchase: Escrow): Promise<Escrow | null> {
    const ref = FOR_ORDER.exec(purchase.description)?.[1];
    if (!ref) return null;
    const order = await this.client.getEscrow(ref).catch(() => null);
    return order?.status === "active" ? order : null;
  }

  /** Another purchase for the same order that was accepted (paid for) and not refunded. */
  private async commissionedAlready(order: Escrow, purchase: Escrow): Promise<boolean> {
    const purchases = (await this.client.listPurchases({ status: "all", limit: 200 })).data;
    return purchases.some(
      (p) =>
        p.id !== purchase.id &&
        FOR_ORDER.exec(p.description)?.[1] === order.reference_code &&
        !["pending", "cancelled", "refunded"].includes(p.status),
    );
  }

  private async acceptCommission(purchase: Escrow): Promise<void> {
    if (!this.options.supplier) return;
    const order = await this.orderFor(purchase);
    // The offer's text is the supplier's, so untrusted: one paid commission per order, whatever it says.
    if (!order || (await this.commissionedAlready(order, purchase))) {
      await this.client.declinePurchase(purchase.id);
      return;
    }
    try {
      await this.client.acceptPurchase(purchase.id);
    } catch (error) {
      if (!(error instanceof HoldfastApiError)) throw error;
      // Over the owner's spending limit, or purchasing turned off: the owner decides, not the agent.
      await this.client.notifyOwner({
        reason: "other",
        title: `Could not buy the logo for ${order.reference_code}`,
        message: `${error.code}: ${error.message}`,
        severity: "warning",
        escrow_id: order.id,
      });
      await this.say(order.conversation_id, "My supplier's offer needs my owner's approval; I've asked them and will update you here.");
    }
  }

  /** Approves the supplier's delivery only if it is a real PNG, then delivers the kit on the customer's order. */
  private async checkCommission(purchase: Escrow): Promise<void> {
    const order = await this.orderFor(purchase);
    if (!order) return;
    const files = (await this.client.listPurchaseMessages(purchase.conversation_id, { limit: 200 })).data
      .filter((m) => m.role === "agent" && m.escrow_id === purchase.id)
      .flatMap((m) => m.artifacts)
      .filter((a) => a.kind === "image");
    const file = files.at(-1);
    const bytes = file ? await this.client.downloadArtifact(file) : null;
    if (!bytes || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
      await this.client.disputePurchase(purchase.id, "The delivered file is corrupt: it is not a PNG image.");
      return;
    }
    await this.client.approvePurchase(purchase.id);
    const supplier = this.options.supplier ?? "my supplier";
    const logo = await this.client.uploadFile({ name: "logo.png", bytes, contentType: "image/png" });
    const sheet = await this.client.uploadData({
      name: "brand-sheet.json",
      data: buildBrandSheet(order.description || order.title, { file: "logo.png", madeBy: `@${supplier}`, purchaseRef: purchase.reference_code }),
    });
    await this.say(order.conversation_id, `Here is your ${order.title.toLowerCase()}: the logo by @${supplier} and your brand sheet.`, {
      artifact_ids: [logo.id, sheet.id],
      escrow_id: order.id,
    });
    await this.client.complete(order.id);
  }

  /** The supplier refunded or the purchase ended without a delivery: the owner and the customer hear of it. */
  private async commissionFailed(purchase: Escrow): Promise<void> {
    const order = await this.orderFor(purchase);
    // Another offer for the order may end (withdrawn, expired) while its paid commission goes on.
    if (!order || (await this.commissionedAlready(order, purchase))) return;
    await this.client.notifyOwner({
      reason: "other",
      title: `The logo for ${order.reference_code} was not delivered`,
      message: `Purchase ${purchase.reference_code} ended ${purchase.status}; the customer's order is still open.`,
      severity: "warning",
      escrow_id: order.id,
    });
    await this.say(order.conversation_id, "My supplier could not deliver. I've told my owner, who will sort it out; your money stays held meanwhile.");
  }

  private async answerDispute(escrow: Escrow, reason: string): Promise<void> {
    const answer = answerDispute(reason, await this.deliveryFacts(escrow));
    if (answer.move === "refund") {
      await this.client.agreeRefund(escrow.id);
      return this.say(escrow.conversation_id, `I'm sorry — you said "${reason.trim().slice(0, 200)}", so I've refunded you in full.`);
    }
    await this.client.defend(escrow.id, answer.explanation);
    await this.client.proposeSettlement(escrow.id, Math.floor(escrow.amount / 2));
  }

  /** What the engine recorded of this order's delivery: the files sent on it and when. */
  private async deliveryFacts(escrow: Escrow) {
    const sent = (await this.client.listMessages(escrow.conversation_id, { limit: 200 })).data.filter(
      (m) => m.role === "agent" && m.escrow_id === escrow.id && m.artifacts.length > 0,
    );
    return {
      brief: escrow.description || escrow.title,
      files: sent.flatMap((m) => m.artifacts).map((a) => `${a.name} (${a.mime_type}, ${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…)`),
      deliveredAt: sent.at(-1)?.created_at ?? null,
      dueAt: escrow.due_at,
    };
  }

  /** What following the owner needs of this agent (follow-owner.ts). */
  private sellerMoves(): SellerMoves {
    return {
      client: this.client,
      log: this.log,
      interpretOwner: this.options.interpretOwner,
      catalog: () => this.catalog(),
      say: (conversationId, text) => this.say(conversationId, text),
      deliver: (order) => this.deliver(order),
      answerDispute: (order, reason) => this.answerDispute(order, reason),
      deliveryFacts: (order) => this.deliveryFacts(order),
      acceptWaitingCommission: (order) => this.acceptWaitingCommission(order),
    };
  }

  private async answerSettlement(escrow: Escrow, data: { settlement?: { id: string; proposed_by: string; refund_amount: number } }) {
    const settlement = data.settlement;
    if (!settlement || settlement.proposed_by !== "customer") return;
    if (settlement.refund_amount <= Math.floor(escrow.amount / 2)) {
      await this.client.acceptSettlement(escrow.id, settlement.id);
      return;
    }
    await this.client.proposeSettlement(escrow.id, Math.floor(escrow.amount / 2));
    await this.say(escrow.conversation_id, "I can refund half; a moderator can decide if that is not fair.");
  }

  /** "go ahead" on an order whose supplier offer waited for the owner: buy it now (the owner may have raised the limit). */
  private async acceptWaitingCommission(order: Escrow): Promise<boolean> {
    if (!this.options.supplier) return false;
    const waiting = (await this.client.listPurchases({ status: "pending", limit: 200 })).data.find(
      (p) => FOR_ORDER.exec(p.description)?.[1] === order.reference_code,
    );
    if (!waiting) return false;
    await this.acceptCommission(waiting);
    return true;
  }
}

/** The request a commission sends the supplier: the brief's name and colours, and the order it is for. */
export function commissionRequest(brief: string, orderRef: string): string {
  const read = readBrief(brief);
  const named = read.name ? ` named "${read.name}"` : "";
  const colours = read.colours.length ? ` in ${listWords(read.colours.map((c) => c.word))}` : "";
  return `Hello! Can you design a logo${named}${colours}? It is for my customer's order ${orderRef}.`;
}
