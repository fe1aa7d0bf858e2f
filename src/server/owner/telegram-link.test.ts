// Linking a Telegram chat over the real webhook handler (real HTTP) with a local Telegram Bot API
// server (issue 16 item 7): a chat linked to one owner cannot be taken by another owner's link — the
// chat is told why and nothing changes — and link tokens work once, for 15 minutes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClock } from "~/test/engine-fixtures";
import { startFakeTelegram, telegramUpdate, type FakeTelegram } from "~/test/fake-telegram";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import { inTransaction } from "../db/transaction";
import { channelRegistry } from "../notify/channel";
import { deliverDueNotifications } from "../notify/relay";
import { createTelegramChannel } from "../notify/telegram";
import { createTelegramLinkToken, TELEGRAM_LINK_TTL_S } from "./telegram-link";
import { createHarness, type OwnerLoopHarness } from "~/test/owner-loop-harness";

const TELEGRAM_SECRET = "tg-secret_link_tests";
let clock: ReturnType<typeof testClock>;
let h: OwnerLoopHarness;
let telegram: FakeTelegram;

beforeAll(async () => {
  clock = testClock(new Date());
  h = await createHarness(clock, { telegramSecret: TELEGRAM_SECRET, whatsappSecret: "wa-secret", whatsappVerifyToken: "wa-verify" });
  telegram = await startFakeTelegram();
}, 60_000);
afterAll(async () => {
  await telegram.close();
  await h.close();
});

async function start(chatId: number, text: string) {
  const res = await fetch(`${h.inboundUrl}/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET },
    body: JSON.stringify(telegramUpdate(chatId, text)),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { outcome: string }).outcome;
}

async function repliesTo(chatId: number): Promise<string[]> {
  await deliverDueNotifications(h.api.deps.engine, channelRegistry([createTelegramChannel({ apiUrl: telegram.url, botToken: telegram.token })]));
  const lines = telegram.sent.filter((m) => m.chat_id === String(chatId)).map((m) => m.text.split("\n")[0]!);
  telegram.sent.length = 0;
  return lines;
}

const token = async (ownerId: string) => (await inTransaction(h.db, (tx) => createTelegramLinkToken(tx, ownerId, clock.now()))).token;
const telegramOf = (ownerId: string) => h.db.ownerChannel.findUnique({ where: { ownerId_channel: { ownerId, channel: "telegram" } } });

describe("linking a Telegram chat", () => {
  it("refuses another owner's link in a chat that is linked already, and changes nothing", async () => {
    const a = await createUser(h.db, "owner", "Owner A");
    const b = await createUser(h.db, "owner", "Owner B");
    const chat = 880_001;
    expect(await start(chat, `/start ${await token(a.id)}`)).toBe("linked");
    expect(await repliesTo(chat)).toEqual(["Telegram is linked"]);

    const tokenB = await token(b.id);
    const before = await h.db.ownerChannel.findMany({ orderBy: { id: "asc" } });
    expect(await start(chat, `/start ${tokenB}`)).toBe("link_refused");
    expect(await repliesTo(chat)).toEqual(["This chat is linked to another Holdfast account"]);
    expect(await h.db.ownerChannel.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await telegramOf(a.id)).toMatchObject({ address: String(chat), enabled: true });
    expect(await telegramOf(b.id)).toBeNull();
    // The refused token was not spent: B can still link B's own chat with it.
    expect(await start(880_002, `/start ${tokenB}`)).toBe("linked");
    expect(await telegramOf(b.id)).toMatchObject({ address: "880002" });
    expect(await telegramOf(a.id)).toMatchObject({ address: String(chat) });

    // The same owner may re-link the chat; once A removes it, B's fresh link works there.
    expect(await start(chat, `/start ${await token(a.id)}`)).toBe("linked");
    await callerFor(h.api.deps.engine, a).owner.removeChannel({ channel: "telegram" });
    expect(await start(chat, `/start ${await token(b.id)}`)).toBe("linked");
    expect(await telegramOf(b.id)).toMatchObject({ address: String(chat) });
    telegram.sent.length = 0;
  });

  it("refuses a token used twice or expired", async () => {
    const a = await createUser(h.db, "owner", "Owner C");
    const once = await token(a.id);
    expect(await start(880_010, `/start ${once}`)).toBe("linked");
    expect(await start(880_011, `/start ${once}`)).toBe("link_failed");
    expect(await repliesTo(880_011)).toEqual(["This link did not work"]);
    expect(await telegramOf(a.id)).toMatchObject({ address: "880010" });

    const late = await token(a.id);
    clock.advanceSeconds(TELEGRAM_LINK_TTL_S + 1);
    expect(await start(880_012, `/start ${late}`)).toBe("link_failed");
    expect(await telegramOf(a.id)).toMatchObject({ address: "880010" });
    expect(await start(880_012, "/start not-a-token")).toBe("link_failed");
    expect(await start(880_012, "/start")).toBe("link_failed");
    expect(await h.db.ownerChannel.count({ where: { channel: "telegram", address: "880012" } })).toBe(0);
  });
});
