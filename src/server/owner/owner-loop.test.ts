// The owner loop end to end (SPEC §5, issue 6): the agent API over real HTTP, the inbound webhooks
// over real HTTP, email through a real SMTP server on loopback (smtp-server), and local HTTP servers
// that speak the Telegram Bot API and the WhatsApp Cloud API. Alerts fan out to every channel with
// retries; replies from each channel reach the agent as owner.instruction in the right conversation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClock } from "~/test/engine-fixtures";
import { Mailbox } from "~/test/mailbox";
import { inboundText, signBody, startFakeWhatsApp, type FakeWhatsApp } from "~/test/fake-whatsapp";
import { startFakeTelegram, telegramUpdate, type FakeTelegram } from "~/test/fake-telegram";
import { createUser } from "~/test/users";
import type { Escrow } from "~/client/schemas";
import { callerFor } from "../api/root";
import { inTransaction } from "../db/transaction";
import { createHarness, type OwnerLoopHarness } from "~/test/owner-loop-harness";
import { PNG_BYTES, createWorld, type World } from "~/test/agent-api-harness";
import { channelRegistry } from "../notify/channel";
import { createEmailChannel } from "../notify/email";
import { createTelegramChannel } from "../notify/telegram";
import { createWhatsAppChannel } from "../notify/whatsapp";
import { deliverDueNotifications, retryDelayS } from "../notify/relay";
import { drainDueTimers } from "../jobs/scheduler";
import { timerTestContext } from "~/test/timer-fixtures";
import { saveOwnerChannel, verifyOwnerChannel } from "./channels";
import { createTelegramLinkToken } from "./telegram-link";

const TELEGRAM_SECRET = "tg-secret_0123456789";
const WA_SECRET = "whatsapp-app-secret";
const WA_VERIFY = "verify-me";
const OWNER_PHONE = "15550102030";
const OWNER_CHAT = 777001;

let clock: ReturnType<typeof testClock>;
let h: OwnerLoopHarness;
let telegram: FakeTelegram;
let whatsapp: FakeWhatsApp;
const mailbox = new Mailbox();
const mails = mailbox.received;
let w: World;
let channels: ReturnType<typeof channelRegistry>;
let closeEmail: () => void;

beforeAll(async () => {
  clock = testClock(new Date());
  h = await createHarness(clock, { telegramSecret: TELEGRAM_SECRET, whatsappSecret: WA_SECRET, whatsappVerifyToken: WA_VERIFY });
  telegram = await startFakeTelegram();
  whatsapp = await startFakeWhatsApp();
  await mailbox.listen();
  const email = createEmailChannel({ smtpUrl: mailbox.smtpUrl, from: "Holdfast <no-reply@holdfast.test>" });
  closeEmail = () => email.close();
  channels = channelRegistry([
    email,
    createTelegramChannel({ apiUrl: telegram.url, botToken: telegram.token }),
    createWhatsAppChannel({ apiUrl: whatsapp.url, accessToken: whatsapp.accessToken, phoneNumberId: whatsapp.phoneNumberId }),
  ]);
  w = await createWorld(h.api);
  // The number is proven the real way: the code goes out over WhatsApp and the owner enters it.
  await saveOwnerChannel(h.db, w.owner.id, { channel: "whatsapp", address: `+${OWNER_PHONE}` }, clock.now());
  await relay();
  const code = /code is (\d{6})/.exec(whatsapp.sent.find((m) => m.to === OWNER_PHONE)?.body ?? "")?.[1];
  await verifyOwnerChannel(h.db, w.owner.id, "whatsapp", code ?? "", clock.now());
  whatsapp.sent.length = 0;
}, 60_000);

afterAll(async () => {
  closeEmail();
  await telegram.close();
  await whatsapp.close();
  await mailbox.close();
  await h.close();
});

const relay = () => deliverDueNotifications(h.api.deps.engine, channels);

async function postTelegram(update: unknown, secret: string | null = TELEGRAM_SECRET) {
  return fetch(`${h.inboundUrl}/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(update),
  });
}

async function postWhatsApp(payload: unknown, signature?: string | null) {
  const raw = JSON.stringify(payload);
  const sig = signature === undefined ? signBody(WA_SECRET, raw) : signature;
  return fetch(`${h.inboundUrl}/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(sig !== null ? { "x-hub-signature-256": sig } : {}) },
    body: raw,
  });
}

async function instructions(world: World) {
  const page = await world.client.events({ limit: 200 });
  return page.events.filter((e) => e.type === "owner.instruction");
}

async function fundedDelivered(world: World): Promise<Escrow> {
  const offer = await world.client.createEscrow({ conversation_id: world.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: world.serviceId });
  await world.customerApi.escrow.accept({ escrowId: offer.id });
  clock.advanceSeconds(2);
  const artifact = await world.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
  await world.client.sendMessage(world.conversationId, { text: "Here is your logo.", artifact_ids: [artifact.id], escrow_id: offer.id });
  clock.advanceSeconds(2);
  return world.client.complete(offer.reference_code);
}

/** Everything an inbound webhook could write, as one comparable string. */
async function inboundSnapshot(): Promise<string> {
  const rows = await h.db.$queryRaw<{ d: string }[]>`
    SELECT concat_ws('|', (SELECT count(*) FROM inbound_webhooks), (SELECT count(*) FROM agent_events), (SELECT count(*) FROM messages),
      (SELECT count(*) FROM notifications), (SELECT count(*) FROM owner_channels), (SELECT count(*) FROM owner_replies),
      (SELECT string_agg(id || status, ',' ORDER BY id) FROM owner_alerts), (SELECT count(*) FROM telegram_link_tokens WHERE used_at IS NOT NULL)) AS d`;
  return rows[0]!.d;
}

describe("the owner loop", () => {
  it("links a Telegram chat by deep link (/start <token>)", async () => {
    const { token } = await inTransaction(h.db, (tx) => createTelegramLinkToken(tx, w.owner.id, clock.now()));
    const res = await postTelegram(telegramUpdate(OWNER_CHAT, `/start ${token}`));
    expect(res.status).toBe(200);
    const channel = await h.db.ownerChannel.findUnique({ where: { ownerId_channel: { ownerId: w.owner.id, channel: "telegram" } } });
    expect(channel).toMatchObject({ address: String(OWNER_CHAT), enabled: true });
    // The token works once.
    await postTelegram(telegramUpdate(OWNER_CHAT + 1, `/start ${token}`));
    expect(await h.db.ownerChannel.count({ where: { channel: "telegram", address: String(OWNER_CHAT + 1) } })).toBe(0);
    await relay();
    expect(telegram.sent.map((m) => [m.chat_id, m.text.split("\n")[0]])).toEqual([
      [String(OWNER_CHAT), "Telegram is linked"],
      [String(OWNER_CHAT + 1), "This link did not work"],
    ]);
    telegram.sent.length = 0;
  });

  it("a routine completion sends nothing", async () => {
    const escrow = await fundedDelivered(w);
    await w.customerApi.escrow.approve({ escrowId: escrow.id });
    expect(await h.db.ownerAlert.count({ where: { ownerId: w.owner.id } })).toBe(0);
    expect(await h.db.notification.count({ where: { userId: w.owner.id, template: "owner_alert" } })).toBe(0);
    await relay();
    expect(mails).toHaveLength(0);
    expect(telegram.sent).toHaveLength(0);
    expect(whatsapp.sent).toHaveLength(0);
  });

  let disputeAlertId = "";
  it("a dispute alerts on all three channels, retrying failed sends with backoff", async () => {
    const escrow = await fundedDelivered(w);
    await w.customerApi.escrow.dispute({ escrowId: escrow.id, reason: "The logo is blank" });
    const alert = await h.db.ownerAlert.findFirstOrThrow({ where: { ownerId: w.owner.id, reason: "dispute" } });
    disputeAlertId = alert.id;
    expect(alert).toMatchObject({ escrowId: escrow.id, conversationId: w.conversationId, severity: "urgent", status: "open" });

    telegram.failNext(1);
    whatsapp.failNext(1);
    expect(await relay()).toEqual({ sent: 1, retrying: 2, failed: 0 });
    clock.advanceSeconds(retryDelayS(1));
    expect(await relay()).toEqual({ sent: 2, retrying: 0, failed: 0 });

    const notes = await h.db.notification.findMany({ where: { alertId: alert.id }, include: { attemptsLog: { orderBy: { attempt: "asc" } } } });
    expect(notes.map((n) => [n.channel, n.status, n.attemptsLog.map((a) => a.ok)]).sort()).toEqual([
      ["email", "sent", [true]],
      ["telegram", "sent", [false, true]],
      ["whatsapp", "sent", [false, true]],
    ]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([w.owner.email]);
    expect(mails[0]!.raw.replace(/=\r?\n/g, "")).toContain(`/owner/alerts/${alert.id}`);
    expect(telegram.sent).toEqual([expect.objectContaining({ chat_id: String(OWNER_CHAT), text: expect.stringContaining("The logo is blank") })]);
    expect(whatsapp.sent).toEqual([expect.objectContaining({ to: OWNER_PHONE, body: expect.stringContaining(escrow.reference_code) })]);
  });

  it("a Telegram reply and a WhatsApp reply each reach the agent as owner.instruction in the right conversation", async () => {
    // A second conversation of the same agent, with an alert the agent raised there (more recent).
    const other = await createUser(h.db, "customer", "Second Customer");
    const otherApi = callerFor(h.api.deps.engine, other);
    const { conversationId: otherConversation } = await otherApi.chat.open({ agentHandle: w.handle });
    clock.advanceSeconds(5);
    const agentAlert = await w.client.notifyOwner({ reason: "other", title: "Customer wants a rush job", message: "Can I promise 2 hours?", severity: "info", conversation_id: otherConversation });
    telegram.sent.length = 0;
    whatsapp.sent.length = 0;
    await relay();
    const waAlertMessage = whatsapp.sent.find((m) => m.body.includes("rush job"))!;

    const tgAlertMessage = await h.db.notificationAttempt.findFirstOrThrow({ where: { ok: true, channel: "telegram", notification: { alertId: disputeAlertId } } });
    const tgRes = await postTelegram(telegramUpdate(OWNER_CHAT, "Refund them in full, please.", Number(tgAlertMessage.providerMessageId)));
    expect(tgRes.status).toBe(200);
    const waRes = await postWhatsApp(inboundText(whatsapp.phoneNumberId, OWNER_PHONE, "Yes, promise 2 hours.", waAlertMessage.id));
    expect(waRes.status).toBe(200);

    const events = await instructions(w);
    expect(events).toEqual([
      expect.objectContaining({ trusted: true, conversation_id: w.conversationId, data: { text: "Refund them in full, please.", alert_id: disputeAlertId } }),
      expect.objectContaining({ trusted: true, conversation_id: otherConversation, data: { text: "Yes, promise 2 hours.", alert_id: agentAlert.id } }),
    ]);
    // Owner-role messages in each conversation, trusted, and never shown to the customer.
    const owned = await h.db.message.findMany({ where: { role: "owner" }, orderBy: { seq: "asc" } });
    expect(owned.map((m) => [m.conversationId, m.text, m.trusted])).toEqual([
      [w.conversationId, "Refund them in full, please.", true],
      [otherConversation, "Yes, promise 2 hours.", true],
    ]);
    const seen = await w.customerApi.chat.messages({ conversationId: w.conversationId });
    expect(JSON.stringify(seen)).not.toContain("Refund them in full");
    const seenOther = await otherApi.chat.messages({ conversationId: otherConversation });
    expect(JSON.stringify(seenOther)).not.toContain("promise 2 hours");
    expect((await h.db.ownerAlert.findUniqueOrThrow({ where: { id: disputeAlertId } })).status).toBe("answered");
    expect(await h.db.ownerReply.findMany({ where: { ownerId: w.owner.id }, orderBy: { createdAt: "asc" }, select: { via: true, routedBy: true } })).toEqual([
      { via: "telegram", routedBy: "reply" },
      { via: "whatsapp", routedBy: "reply" },
    ]);
    // The owner hears where each reply went.
    await relay();
    expect(telegram.sent.at(-1)!.text).toContain(`Sent to @${w.handle}`);
    expect(whatsapp.sent.at(-1)!.body).toContain(`Sent to @${w.handle}`);
  });

  it("without a reply, routes to the most recent open alert within 30 minutes; otherwise says it could not route", async () => {
    clock.advanceSeconds(60);
    const alert = await w.client.notifyOwner({ reason: "other", title: "Question", message: "Which colour?", severity: "info", conversation_id: w.conversationId });
    clock.advanceSeconds(20 * 60);
    await postTelegram(telegramUpdate(OWNER_CHAT, "Blue."));
    const last = (await instructions(w)).at(-1)!;
    expect(last.data).toEqual({ text: "Blue.", alert_id: alert.id });
    expect((await h.db.ownerReply.findFirstOrThrow({ where: { alertId: alert.id } })).routedBy).toBe("recent");

    // Nothing open any more (answered), then a fresh alert that gets too old.
    await w.client.notifyOwner({ reason: "other", title: "Old question", message: "?", severity: "info", conversation_id: w.conversationId });
    clock.advanceSeconds(31 * 60);
    const before = (await instructions(w)).length;
    await postWhatsApp(inboundText(whatsapp.phoneNumberId, OWNER_PHONE, "Hello?"));
    expect(await instructions(w)).toHaveLength(before);
    await relay();
    expect(whatsapp.sent.at(-1)!.body).toContain("could not be routed");
  });

  it("processes a replayed Telegram update and a replayed WhatsApp message once", async () => {
    clock.advanceSeconds(60);
    await w.client.notifyOwner({ reason: "other", title: "Replay", message: "?", severity: "info", conversation_id: w.conversationId });
    const before = (await instructions(w)).length;
    const update = telegramUpdate(OWNER_CHAT, "Go ahead.");
    expect((await postTelegram(update)).status).toBe(200);
    expect((await postTelegram(update)).status).toBe(200);
    expect(await instructions(w)).toHaveLength(before + 1);

    await w.client.notifyOwner({ reason: "other", title: "Replay 2", message: "?", severity: "info", conversation_id: w.conversationId });
    const wa = inboundText(whatsapp.phoneNumberId, OWNER_PHONE, "Fine.");
    const [a, b] = await Promise.all([postWhatsApp(wa), postWhatsApp(wa)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await instructions(w)).toHaveLength(before + 2);
  });

  it("a bad or missing secret token or signature is refused and writes nothing", async () => {
    await w.client.notifyOwner({ reason: "other", title: "Guarded", message: "?", severity: "info", conversation_id: w.conversationId });
    const before = await inboundSnapshot();
    expect((await postTelegram(telegramUpdate(OWNER_CHAT, "forged"), null)).status).toBe(401);
    expect((await postTelegram(telegramUpdate(OWNER_CHAT, "forged"), "wrong-secret")).status).toBe(401);
    expect((await postTelegram(telegramUpdate(OWNER_CHAT, "forged"), `${TELEGRAM_SECRET}x`)).status).toBe(401);
    const payload = inboundText(whatsapp.phoneNumberId, OWNER_PHONE, "forged");
    expect((await postWhatsApp(payload, null)).status).toBe(401);
    expect((await postWhatsApp(payload, signBody("another-secret", JSON.stringify(payload)))).status).toBe(401);
    // Signed over different bytes than were sent (the raw body counts, not the parsed JSON).
    expect((await postWhatsApp(payload, signBody(WA_SECRET, JSON.stringify(payload, null, 2)))).status).toBe(401);
    expect(await inboundSnapshot()).toBe(before);
  });

  it("answers the WhatsApp verification handshake only with the verify token", async () => {
    const ok = await fetch(`${h.inboundUrl}/whatsapp?hub.mode=subscribe&hub.verify_token=${WA_VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const bad = await fetch(`${h.inboundUrl}/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });

  it("alerts on off-catalog offers, offers above the threshold and overdue delivery", async () => {
    await h.db.ownerSettings.create({ data: { ownerId: w.owner.id, largeAmountMinor: 10_000n, largeAmountCurrency: "USD" } });
    const count = (reason: "off_catalog" | "large_amount" | "other") => h.db.ownerAlert.count({ where: { ownerId: w.owner.id, reason } });
    await w.client.createEscrow({ conversation_id: w.conversationId, title: "Small", amount: 5_000, currency: "USD", service_id: w.serviceId });
    expect(await count("large_amount")).toBe(0);
    await w.client.createEscrow({ conversation_id: w.conversationId, title: "Big", amount: 10_001, currency: "USD", service_id: w.serviceId });
    expect(await count("large_amount")).toBe(1);
    const offCatalog = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Custom mascot", amount: 900, currency: "USD" });
    expect(await h.db.ownerAlert.findFirstOrThrow({ where: { reason: "off_catalog", escrowId: offCatalog.id } })).toMatchObject({ title: expect.stringContaining("Off-catalog offer") as string });

    // Overdue: paid, nothing delivered, the due time passes; the timer's overdue notice alerts the owner.
    const late = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Late", amount: 1_000, currency: "USD", service_id: w.serviceId, delivery_in_hours: 1 });
    await w.customerApi.escrow.accept({ escrowId: late.id });
    clock.advanceSeconds(3601);
    await drainDueTimers(timerTestContext(h.db, clock), 2);
    const overdue = await h.db.ownerAlert.findMany({ where: { escrowId: late.id } });
    expect(overdue).toHaveLength(1);
    const fanned = await h.db.notification.findMany({ where: { alertId: overdue[0]!.id } });
    expect(fanned.map((n) => n.channel).sort()).toEqual(["email", "telegram", "whatsapp"]);
  });
});
