// Verified channels over the owner console's tRPC procedures, with email through a real SMTP server on
// loopback and WhatsApp through a local Cloud API server (issue 16 item 8): a typed-in address gets a
// code and nothing else until the owner enters it; wrong codes are refused and limited; test sends and
// code sends are rate-limited per owner and per address; a second owner typing the same address gets
// no hint that it is anyone else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mailbox } from "~/test/mailbox";
import { startFakeWhatsApp, type FakeWhatsApp } from "~/test/fake-whatsapp";
import { createUser } from "~/test/users";
import { createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { callerFor } from "../api/root";
import { channelRegistry } from "../notify/channel";
import { createEmailChannel } from "../notify/email";
import { deliverDueNotifications } from "../notify/relay";
import { createWhatsAppChannel } from "../notify/whatsapp";
import { testClock } from "~/test/engine-fixtures";
import { CHANNEL_CODE_LIMITS, CHANNEL_CODE_MAX_ATTEMPTS, CHANNEL_TEST_LIMITS } from "./channels";

let h: Harness;
let whatsapp: FakeWhatsApp;
const mailbox = new Mailbox();
let closeEmail: () => void;
let channels: ReturnType<typeof channelRegistry>;

// A clock that stands still: the rate limits count in fixed windows of it (rate-limit.ts), and on the real
// clock a burst below that crossed a window's end got the next window's allowance too.
const clock = testClock(new Date());

beforeAll(async () => {
  h = await startHarness({}, clock);
  whatsapp = await startFakeWhatsApp();
  await mailbox.listen();
  const email = createEmailChannel({ smtpUrl: mailbox.smtpUrl, from: "Holdfast <no-reply@holdfast.test>" });
  closeEmail = () => email.close();
  channels = channelRegistry([
    email,
    createWhatsAppChannel({ apiUrl: whatsapp.url, accessToken: whatsapp.accessToken, phoneNumberId: whatsapp.phoneNumberId }),
  ]);
}, 60_000);
afterAll(async () => {
  closeEmail();
  await whatsapp.close();
  await mailbox.close();
  await h.close();
});

const relay = () => deliverDueNotifications(h.deps.engine, channels);
let phoneCounter = 15550170000;
const freshPhone = () => String(phoneCounter++);
const waTo = (phone: string) => whatsapp.sent.filter((m) => m.to === phone);
const mailTo = (address: string) => mailbox.received.filter((m) => m.to.includes(address));
const codeIn = (text: string | undefined) => /code is (\d{6})/.exec((text ?? "").replace(/=\r?\n/g, ""))?.[1];

async function alertChannels(w: World): Promise<Record<string, string>> {
  const alert = await w.client.notifyOwner({ reason: "other", title: "Discount?", message: "May I give 10% off?", severity: "urgent" });
  const rows = await h.tdb.db.notification.findMany({ where: { alertId: alert.id } });
  return Object.fromEntries(rows.map((r) => [r.channel, r.address]));
}

describe("verified channels", () => {
  it("sends a typed-in address only its code until the owner enters it", async () => {
    const w = await createWorld(h);
    const owner = callerFor(h.deps.engine, w.owner);
    const phone = freshPhone();
    const alt = `alerts-${phone}@example.test`;

    expect(await owner.owner.saveChannel({ channel: "whatsapp", address: `+${phone}` })).toMatchObject({ codeSent: true });
    expect(await owner.owner.saveChannel({ channel: "email", address: alt })).toMatchObject({ codeSent: true });
    // Unverified: alerts go to the account address only; the typed ones get nothing, tests are refused.
    expect(await alertChannels(w)).toEqual({ email: w.owner.email });
    await expect(owner.owner.sendTest({ channel: "whatsapp" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("verify") });
    const view = await owner.owner.channels();
    expect(view.channels.find((c) => c.channel === "whatsapp")).toMatchObject({ verified: false, pendingAddress: phone });
    expect(view.channels.find((c) => c.channel === "email")).toMatchObject({ address: w.owner.email, pendingAddress: alt });
    // The code itself is stored only hashed.
    const row = await h.tdb.db.ownerChannel.findUniqueOrThrow({ where: { ownerId_channel: { ownerId: w.owner.id, channel: "whatsapp" } } });

    await relay();
    expect(waTo(phone)).toHaveLength(1);
    expect(mailTo(alt)).toHaveLength(1);
    const waCode = codeIn(waTo(phone)[0]?.body);
    const mailCode = codeIn(mailTo(alt)[0]?.raw);
    expect(waCode).toMatch(/^\d{6}$/);
    expect(mailCode).toMatch(/^\d{6}$/);
    expect(row.verifyCodeHash).not.toContain(waCode);
    expect(JSON.stringify(view)).not.toContain(waCode);

    await owner.owner.verifyChannel({ channel: "whatsapp", code: waCode! });
    await owner.owner.verifyChannel({ channel: "email", code: mailCode! });
    expect(await alertChannels(w)).toEqual({ email: alt, whatsapp: phone });
    // A used code does not work twice.
    await expect(owner.owner.verifyChannel({ channel: "whatsapp", code: waCode! })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Changing the number starts over: the new one is unverified and the old one stops.
    await owner.owner.saveChannel({ channel: "whatsapp", address: `+${freshPhone()}` });
    expect(await alertChannels(w)).toEqual({ email: alt });
  });

  it("refuses wrong codes and locks after a few, with nothing verified", async () => {
    const w = await createWorld(h);
    const owner = callerFor(h.deps.engine, w.owner);
    const phone = freshPhone();
    await owner.owner.saveChannel({ channel: "whatsapp", address: phone });
    await relay();
    const code = codeIn(waTo(phone)[0]?.body)!;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < CHANNEL_CODE_MAX_ATTEMPTS; i++) {
      await expect(owner.owner.verifyChannel({ channel: "whatsapp", code: wrong })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("not the code") });
    }
    await expect(owner.owner.verifyChannel({ channel: "whatsapp", code })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("too many") });
    await expect(owner.owner.verifyChannel({ channel: "whatsapp", code: "abc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await alertChannels(w)).toEqual({ email: w.owner.email });
    // A fresh code (saving again) works.
    await owner.owner.saveChannel({ channel: "whatsapp", address: phone });
    await relay();
    await owner.owner.verifyChannel({ channel: "whatsapp", code: codeIn(waTo(phone)[1]?.body)! });
    expect(await alertChannels(w)).toMatchObject({ whatsapp: phone });
  });

  it("rate-limits test sends: 20 quick sendTest calls send only a few", async () => {
    const w = await createWorld(h);
    const owner = callerFor(h.deps.engine, w.owner);
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await owner.owner.sendTest({ channel: "email" }).then(() => "ok", (e: { code?: string }) => e.code));
    const allowed = Math.min(CHANNEL_TEST_LIMITS.perOwner.limit, CHANNEL_TEST_LIMITS.perAddress.limit);
    expect(results.filter((r) => r === "ok")).toHaveLength(allowed);
    expect(results.filter((r) => r === "TOO_MANY_REQUESTS")).toHaveLength(20 - allowed);
    await relay();
    expect(mailTo(w.owner.email!).filter((m) => m.raw.includes("Holdfast test message"))).toHaveLength(allowed);
  });

  it("rate-limits codes to one address, whoever asks, and a second owner learns nothing", async () => {
    const phone = freshPhone();
    const owners = await Promise.all([1, 2, 3, 4, 5].map((i) => createUser(h.tdb.db, "owner", `Owner ${i}`)));
    const outcomes = [];
    for (const o of owners) {
      outcomes.push(await callerFor(h.deps.engine, o).owner.saveChannel({ channel: "whatsapp", address: phone }).then((r) => r, (e: { code?: string; message?: string }) => e));
    }
    // The first few owners each get the same answer (no "already used by another account"); then the address is protected.
    expect(outcomes.slice(0, CHANNEL_CODE_LIMITS.perAddress.limit)).toEqual(Array(CHANNEL_CODE_LIMITS.perAddress.limit).fill({ ok: true, codeSent: true }));
    for (const o of outcomes.slice(CHANNEL_CODE_LIMITS.perAddress.limit)) expect(o).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await relay();
    expect(waTo(phone)).toHaveLength(CHANNEL_CODE_LIMITS.perAddress.limit);

  });

  it("counts spellings of one inbox as one address (sub-address tags), whoever asks", async () => {
    const owners = await Promise.all([1, 2, 3, 4, 5].map((i) => createUser(h.tdb.db, "owner", `Tagger ${i}`)));
    const outcomes = [];
    for (const [i, o] of owners.entries()) {
      outcomes.push(await callerFor(h.deps.engine, o).owner.saveChannel({ channel: "email", address: `inbox+${i}@stranger.test` }).then((r) => r, (e: { code?: string }) => e));
    }
    for (const o of outcomes.slice(CHANNEL_CODE_LIMITS.perAddress.limit)) expect(o).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await relay();
    expect(mailbox.received.filter((m) => m.to.some((to) => /^inbox\+\d@stranger\.test$/.test(to)))).toHaveLength(CHANNEL_CODE_LIMITS.perAddress.limit);
  });

  it("lets a second owner type an address another owner verified, with the same answer as any address", async () => {
    const phone = freshPhone();
    const a = callerFor(h.deps.engine, await createUser(h.tdb.db, "owner", "Owner A"));
    await a.owner.saveChannel({ channel: "whatsapp", address: phone });
    await relay();
    await a.owner.verifyChannel({ channel: "whatsapp", code: codeIn(waTo(phone)[0]?.body)! });

    const b = callerFor(h.deps.engine, await createUser(h.tdb.db, "owner", "Owner B"));
    const taken = await b.owner.saveChannel({ channel: "whatsapp", address: phone });
    const fresh = await callerFor(h.deps.engine, await createUser(h.tdb.db, "owner", "Owner C")).owner.saveChannel({ channel: "whatsapp", address: freshPhone() });
    expect(taken).toEqual(fresh);
    expect((await b.owner.channels()).channels.find((c) => c.channel === "whatsapp")).toMatchObject({ verified: false, pendingAddress: phone });
    // Only someone holding the phone gets B's code; entering it tells them to unlink it from A first.
    await relay();
    const codeForB = codeIn(waTo(phone)[1]?.body)!;
    await expect(b.owner.verifyChannel({ channel: "whatsapp", code: codeForB })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("linked to another Holdfast account"),
    });
    // A keeps the number; B's alerts do not go there.
    expect(await h.tdb.db.ownerChannel.count({ where: { channel: "whatsapp", address: phone, verifiedAt: { not: null } } })).toBe(1);
  });

  it("answers 20 concurrent saves of one address with no server error", async () => {
    const phone = freshPhone();
    const owner = callerFor(h.deps.engine, await createUser(h.tdb.db, "owner", "Racer"));
    const others = await Promise.all(Array.from({ length: 10 }, (_, i) => createUser(h.tdb.db, "owner", `Racer ${i}`)));
    const calls = [
      ...Array.from({ length: 10 }, () => owner.owner.saveChannel({ channel: "whatsapp", address: phone })),
      ...others.map((o) => callerFor(h.deps.engine, o).owner.saveChannel({ channel: "whatsapp", address: phone })),
      ...Array.from({ length: 5 }, () => owner.owner.saveChannel({ channel: "email", minSeverity: "warning" })),
    ];
    const outcomes = await Promise.all(calls.map((p) => p.then(() => "ok", (e: { code?: string }) => e.code ?? "?")));
    expect(outcomes.every((o) => o === "ok" || o === "TOO_MANY_REQUESTS")).toBe(true);
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThanOrEqual(5);
  });

  it("lets two accounts that both prove one mailbox use it", async () => {
    const shared = `shared-${freshPhone()}@example.test`;
    const a = await createUser(h.tdb.db, "owner", "Mailbox A");
    const callerA = callerFor(h.deps.engine, a);
    await callerA.owner.saveChannel({ channel: "email", address: shared });
    await relay();
    await callerA.owner.verifyChannel({ channel: "email", code: codeIn(mailTo(shared)[0]?.raw)! });
    // B's own sign-in address is that mailbox: choosing it needs no code and breaks nothing.
    const b = await createUser(h.tdb.db, "owner", "Mailbox B");
    await h.tdb.db.user.update({ where: { id: b.id }, data: { email: shared } });
    expect(await callerFor(h.deps.engine, b).owner.saveChannel({ channel: "email", address: shared.toUpperCase() })).toEqual({ ok: true, codeSent: false });
    expect(await h.tdb.db.ownerChannel.count({ where: { channel: "email", address: shared, verifiedAt: { not: null } } })).toBe(2);
  });
});
