// The design notes' loop from the owner's phone: a dispute alert goes out over WhatsApp (a local server
// speaking the Cloud API), the owner answers it there with "approve the refund", the signed webhook
// routes the reply to the reference agent, and the agent's next message to the customer is the refund.
// An unmapped reply comes back to the phone as a question, and answering that question acts.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorld, realClock } from "~/test/agent-api-harness";
import { inboundText, signBody, startFakeWhatsApp, type FakeWhatsApp } from "~/test/fake-whatsapp";
import { createHarness, type OwnerLoopHarness } from "~/test/owner-loop-harness";
import { channelRegistry } from "~/server/notify/channel";
import { deliverDueNotifications } from "~/server/notify/relay";
import { createWhatsAppChannel } from "~/server/notify/whatsapp";
import { saveOwnerChannel, verifyOwnerChannel } from "~/server/owner/channels";
import { DemoSellerAgent } from "./agent";

const WA_SECRET = "whatsapp-app-secret";
const OWNER_PHONE = "15550109999";

let h: OwnerLoopHarness;
let whatsapp: FakeWhatsApp;
let channels: ReturnType<typeof channelRegistry>;
beforeAll(async () => {
  h = await createHarness(realClock, { telegramSecret: "tg-secret_0123456789", whatsappSecret: WA_SECRET, whatsappVerifyToken: "verify-me" });
  whatsapp = await startFakeWhatsApp();
  channels = channelRegistry([createWhatsAppChannel({ apiUrl: whatsapp.url, accessToken: whatsapp.accessToken, phoneNumberId: whatsapp.phoneNumberId })]);
}, 60_000);
afterAll(async () => {
  await whatsapp.close();
  await h.close();
});

const relay = () => deliverDueNotifications(h.api.deps.engine, channels);

async function ownerTexts(text: string, inReplyTo: string) {
  const raw = JSON.stringify(inboundText(whatsapp.phoneNumberId, OWNER_PHONE, text, inReplyTo));
  const response = await fetch(`${h.inboundUrl}/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signBody(WA_SECRET, raw) },
    body: raw,
  });
  expect(response.status).toBe(200);
}

it("an owner answers a dispute alert on WhatsApp; the customer sees the refund, and a question asked back is answered the same way", async () => {
  const world = await createWorld(h.api);
  const now = new Date();
  await saveOwnerChannel(h.db, world.owner.id, { channel: "whatsapp", address: `+${OWNER_PHONE}` }, now);
  await relay();
  const code = /code is (\d{6})/.exec(whatsapp.sent.find((m) => m.to === OWNER_PHONE)?.body ?? "")?.[1];
  await verifyOwnerChannel(h.db, world.owner.id, "whatsapp", code ?? "", new Date());

  const agent = new DemoSellerAgent(world.client);
  const drain = async () => {
    while ((await agent.pollOnce(0)) > 0) {
      // every event now in the feed
    }
  };
  await world.customerApi.chat.send({ conversationId: world.conversationId, text: "A logo for my bakery please" });
  await drain();
  const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
  await world.customerApi.escrow.accept({ escrowId: offer!.id });
  await drain();
  await world.customerApi.escrow.dispute({ escrowId: offer!.id, reason: "Not what I had in mind" });
  await drain();
  await relay();
  const disputeMessage = whatsapp.sent.filter((m) => m.to === OWNER_PHONE).at(-1)!;
  expect(disputeMessage.body).toContain(offer!.reference_code);

  // Unclear: the agent asks back, on the phone; the customer is told the owner is consulted.
  await ownerTexts("hmm", disputeMessage.id);
  await drain();
  await relay();
  const question = whatsapp.sent.filter((m) => m.to === OWNER_PHONE && m.body.includes("I did not understand")).at(-1)!;
  expect(question.body).toContain('I did not understand "hmm" — reply with one of: "refund"');
  const lines = async () => (await world.customerApi.chat.messages({ conversationId: world.conversationId })).messages.filter((m) => m.role === "agent").map((m) => m.text);
  expect((await lines()).at(-1)).toBe("I'm checking with my owner how to go on; I'll write here as soon as they answer.");

  // The owner answers the question on the phone: the refund is done and said.
  await ownerTexts("approve the refund", question.id);
  await drain();
  expect(await world.customerApi.escrow.byId({ escrowId: offer!.id })).toMatchObject({ status: "refunded" });
  expect((await lines()).at(-1)).toBe(`My owner has reviewed order ${offer!.reference_code} and asked me to refund you in full: $25.00 is back in your wallet.`);
});
