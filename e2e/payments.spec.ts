// Real money in the browser (issue 15), on a server with Stripe keys pointed at the local stand-in:
// the wallet offers card payments instead of test funds; "Pay by card" opens the (stand-in) hosted
// checkout, paying redirects back, the page says the payment is clearing or shows it credited, and the
// balance moves only through the signed webhook the stand-in delivers to the app.
import { expect, test } from "@playwright/test";
import { startFakeStripe, type FakeStripe } from "../src/test/fake-stripe";
import { balance, signInAsDemoCustomer } from "./fixtures/customer";
import { STRIPE_APP_URL, StripeAppServer } from "./fixtures/stripe-server";

const server = new StripeAppServer();
let fake: FakeStripe;

test.use({ baseURL: STRIPE_APP_URL });
test.beforeAll(async () => {
  fake = await startFakeStripe();
  fake.setWebhookEndpoint(`${STRIPE_APP_URL}/api/stripe/webhook`);
  await server.start(fake);
});
test.afterAll(async () => {
  await server.stop();
  await fake.close();
});

function minorFrom(text: string): number {
  const match = /\$([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`no dollar amount in ${text}`);
  return Number(match[1]!.replace(/,/g, "")) * 100 + Number(match[2]);
}

test("a customer adds funds by card through the hosted checkout; the balance moves on Stripe's webhook", async ({ page }) => {
  await signInAsDemoCustomer(page);
  await page.goto("/wallet");
  await expect(page.getByRole("button", { name: "Add test funds" })).toHaveCount(0);
  await expect(balance(page)).toContainText("$");
  const before = minorFrom(await balance(page).innerText());

  await page.getByLabel("Amount (USD)").first().fill("42.50");
  await page.getByRole("button", { name: "Pay by card" }).click();
  await page.waitForURL(new RegExp(`^${fake.url}/checkout/cs_test_`));
  await expect(page.getByRole("heading", { name: "Pay 42.50 USD" })).toBeVisible();
  await page.getByRole("button", { name: "Pay 42.50 USD" }).click();

  await page.waitForURL(/\/wallet\?payment=pay_/);
  await expect(page.getByTestId("card-payments")).toContainText("Added to your wallet");
  await expect(balance(page)).toHaveText(new RegExp(`\\$${((before + 4250) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`));
  expect(fake.deliveries.filter((d) => d.status === 200).map((d) => d.type)).toEqual(["payment_intent.succeeded", "checkout.session.completed"]);
  await expect(page.getByRole("heading", { name: "Return to my card" })).toBeVisible();
});
