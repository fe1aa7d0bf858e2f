// The owner console and the moderation queue as people meet them, at desktop and phone sizes (issue 22
// items 8–10): the console's sections have their own addresses behind a one-line section nav; an alert
// shows its order's state now and leads to the order and its chat; on a phone nothing scrolls sideways,
// tables are stacked rows with each value named, the main nav and the demo banner are one line; the
// console does not shift as its sections load. The queue states its SLA and each case's time left and
// lists recent decisions; a decision is confirmed with its amounts first. Screenshots: .data/screenshots.
import { expect, test, type Page } from "@playwright/test";
import { SCREENSHOT_DIR } from "./fixtures/customer";
import { closeE2eDb } from "./fixtures/database";
import { caseInReview, contextAs, VIEWPORTS, type CaseInReview, type ViewportName } from "./fixtures/roles";

// Unique per worker: a failed test restarts the worker, which runs beforeAll again on the same database.
const TITLE = `Shop sign ${Date.now().toString(36)}`;
let theCase: CaseInReview;

test.beforeAll(async ({ browser }) => {
  const { context, page } = await contextAs(browser, "customer", "desktop");
  theCase = await caseInReview(page, TITLE);
  await context.close();
});
test.afterAll(() => closeE2eDb());

/** Sums layout shifts not caused by input (the CLS a person feels) from the first paint on. */
const CLS_OBSERVER = `
  window.__cls = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
`;

async function settled(page: Page) {
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  await expect(page.getByTestId("skeleton")).toHaveCount(0, { timeout: 15_000 });
}

/** Nothing wider than the phone: a mobile browser widens its layout viewport to fit, so compare with the device's width. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const deviceWidth = VIEWPORTS.phone.viewport.width;
  const overflow = await page.evaluate((width) => document.documentElement.scrollWidth - width, deviceWidth);
  expect(overflow, `${what} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
}

/** All of a container's links sit on one line. */
async function expectOneLine(page: Page, selector: string) {
  const tops = await page.locator(selector).evaluateAll((links) => links.map((l) => Math.round(l.getBoundingClientRect().top)));
  expect(tops.length).toBeGreaterThan(0);
  expect(new Set(tops).size, `${selector} wraps: ${tops.join(", ")}`).toBe(1);
}

/** A stacked table on a phone: no visible header row, and every cell names its column before its value. */
async function expectStackedRows(page: Page, tableTestId: string) {
  const table = page.getByTestId(tableTestId);
  await expect(table.locator("thead th").first()).not.toBeInViewport();
  const cells = await table.locator("tbody tr").first().locator("td").evaluateAll((tds) =>
    tds.map((td) => ({ label: td.getAttribute("data-label"), before: getComputedStyle(td, "::before").content, display: getComputedStyle(td).display })),
  );
  expect(cells.length).toBeGreaterThan(1);
  for (const cell of cells) {
    expect(cell.before).toBe(`"${cell.label}"`);
    expect(cell.display).toBe("flex");
  }
}

for (const size of ["desktop", "phone"] as const satisfies ViewportName[]) {
  test(`owner console: sections, an alert's order and chat, phone layout, no layout shift (${size})`, async ({ browser }) => {
    const { context, page } = await contextAs(browser, "owner", size);
    await context.addInitScript(CLS_OBSERVER);
    await page.goto("/owner");
    await expect(page).toHaveURL(/\/owner\/alerts$/);
    const sections = page.getByRole("navigation", { name: "Owner console" });
    for (const [label, path, heading] of [
      ["Agents", "/owner/agents", "Agents"],
      ["Channels", "/owner/channels", "Notification channels"],
      ["Earnings", "/owner/earnings", "Earnings"],
      ["Orders", "/owner/orders", "Your agents' orders"],
      ["Alerts", "/owner/alerts", "Alerts"],
    ] as const) {
      await sections.getByRole("link", { name: label }).click();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(sections.getByRole("link", { name: label })).toHaveAttribute("aria-current", "page");
      await settled(page);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/owner-${label.toLowerCase()}-${size}.png`, fullPage: true });
      if (size === "phone") await expectNoSidewaysScroll(page, path);
      // Straight to the address, fresh: the page must not jump as its data arrives.
      await page.goto(path);
      await settled(page);
      await page.waitForTimeout(500);
      const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
      expect(cls, `CLS of ${path}`).toBeLessThan(0.1);
    }
    if (size === "phone") {
      await expectOneLine(page, 'nav[aria-label="Owner console"] a');
      await expectOneLine(page, 'nav[aria-label="Main"] a');
      const banner = page.getByTestId("demo-banner");
      if (await banner.count()) {
        const box = (await banner.boundingBox())!;
        expect(box.height, "the demo banner is one line").toBeLessThan(30);
      }
    }

    // The dispute alert names its order and the order's state now, and leads to the order and its chat.
    const alert = page.getByTestId("alert").filter({ hasText: TITLE }).first();
    await expect(alert).toBeVisible({ timeout: 20_000 });
    await expect(alert.getByTestId("alert-order")).toContainText(theCase.referenceCode);
    await expect(alert.getByTestId("alert-order-state")).toHaveText("Waiting for a moderator");
    await alert.getByRole("link", { name: "Read the chat" }).click();
    await expect(page).toHaveURL(new RegExp(`/owner/orders/${theCase.escrowId}#chat$`));
    await expect(page.getByTestId("owner-order-state")).toContainText("Waiting for a moderator");
    const chat = page.getByRole("list", { name: "Chat" });
    await expect(chat).toContainText(`I need: ${TITLE}.`);
    await expect(chat.getByRole("img", { name: /^Image in the conversation/ }).last()).toBeVisible();
    await expect(page.getByTestId("owner-order-dispute")).toContainText("The colours are not the ones I asked for.");
    await expect(page.getByTestId("owner-order-dispute")).toContainText("The colours match the brief you sent.");
    await expect(page.locator("body")).not.toContainText("admin_review");
    if (size === "phone") await expectNoSidewaysScroll(page, "the order page");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/owner-order-${size}.png`, fullPage: true });

    // The orders list: the order is there in words, a table on a desktop and stacked rows on a phone.
    await page.goto("/owner/orders");
    const row = page.getByTestId("owner-order-row").filter({ hasText: TITLE });
    await expect(row).toContainText("Waiting for a moderator");
    await expect(row).toContainText("$25.00");
    if (size === "phone") await expectStackedRows(page, "owner-orders");
    else await expect(page.getByTestId("owner-orders").locator("thead th").first()).toBeVisible();
    await row.getByRole("link", { name: TITLE }).click();
    await expect(page).toHaveURL(new RegExp(`/owner/orders/${theCase.escrowId}$`));

    // Earnings: one dt/dd group per figure.
    await page.goto("/owner/earnings");
    const earnings = page.getByTestId("earnings");
    await expect(earnings.locator(":scope > div > dt")).toHaveCount(await earnings.locator(":scope > div").count());
    await context.close();
  });

  test(`moderation queue: SLA and time left, recent decisions, the decision confirmed with its amounts (${size})`, async ({ browser }) => {
    const { context, page } = await contextAs(browser, "moderator", size);
    await page.goto("/admin");
    await expect(page.getByTestId("queue-summary")).toContainText("decide each within 24 hours (the SLA)");
    const row = page.getByTestId("queue-case").filter({ hasText: TITLE });
    await expect(row.getByTestId("time-left")).toContainText(/(23|24) h( \d+ min)? left/);
    await expect(row).toContainText("Escalated by the agent");
    await expect(page.getByRole("heading", { name: "Recently decided" })).toBeVisible();
    if (size === "phone") {
      await expectNoSidewaysScroll(page, "/admin");
      await expectOneLine(page, 'nav[aria-label="Main"] a');
      await expectStackedRows(page, "review-queue");
    }
    await page.screenshot({ path: `${SCREENSHOT_DIR}/moderation-queue-${size}.png`, fullPage: true });

    await row.getByRole("link", { name: TITLE }).click();
    await expect(page.getByTestId("case-status")).toHaveText("Waiting for a moderator");
    await expect(page.getByTestId("case-timeline")).toContainText("Negotiating a settlement → Waiting for a moderator · the agent asked a moderator to decide");
    if (size === "phone") await expectNoSidewaysScroll(page, "the case page");
    await page.getByLabel(/Refund: \$25\.00 back to/).check();
    await page.getByLabel("Note to both parties (required)").fill("Checking the confirmation only.");
    await page.getByRole("button", { name: "Record decision…" }).click();
    await expect(page.getByTestId("confirm-decision-money")).toHaveText("Refund all $25.00 to Casey Customer; Pixel Forge gets nothing.");
    await expect(page.getByText("This is final: the money moves at once")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Confirm the decision" })).toBeFocused();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/moderation-confirm-${size}.png`, fullPage: true });
    // Going back records nothing.
    await page.getByRole("button", { name: "Change it" }).click();
    await expect(page.getByLabel("Note to both parties (required)")).toHaveValue("Checking the confirmation only.");
    await page.reload();
    await expect(page.getByTestId("case-status")).toHaveText("Waiting for a moderator");
    await context.close();
  });
}
