// The test funding source tops up at most TEST_TOPUP_CAP_MINOR at a time (issue 22 item 5), over HTTP as
// the wallet page sends it: above the cap is a 400 with nothing written; at the cap it is added.
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_TOPUP_CAP_MINOR } from "~/domain/test-funding";
import { openTrpcRoute, SAME_ORIGIN_HEADERS, TRPC_BASE_URL, type TrpcRoute } from "~/test/trpc-route";
import { createUser } from "~/test/users";

let route: TrpcRoute;
beforeAll(async () => {
  route = await openTrpcRoute();
});
afterAll(() => route.close());

async function topUp(token: string, amount: number) {
  const response = await route.POST(
    new Request(`${TRPC_BASE_URL}/api/trpc/wallet.addTestFunds`, {
      method: "POST",
      headers: { ...SAME_ORIGIN_HEADERS, cookie: `next-auth.session-token=${token}` },
      body: JSON.stringify({ json: { amount, currency: "USD" } }),
    }),
  );
  return response.status;
}

it("refuses a top-up above the cap with nothing written, and accepts one at the cap", async () => {
  const user = await createUser(route.tdb.db);
  const token = await route.createSession(user.id);
  const transfers = () => route.tdb.db.ledgerTransfer.count({ where: { toAccount: { userId: user.id } } });
  expect(TEST_TOPUP_CAP_MINOR).toBe(10_000_00);
  for (const amount of [TEST_TOPUP_CAP_MINOR + 1, 1_000_000_00, Number.MAX_SAFE_INTEGER]) expect(await topUp(token, amount)).toBe(400);
  expect(await transfers()).toBe(0);
  expect(await topUp(token, TEST_TOPUP_CAP_MINOR)).toBe(200);
  expect(await transfers()).toBe(1);
});
