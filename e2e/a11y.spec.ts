// Every page scanned with axe-core (its default rules: WCAG 2.x A and AA and best practices), at desktop
// and phone sizes, signed in as the role that sees it: visitor, customer, owner, moderator. A violation
// fails the suite; the message names the page, the rule and the nodes.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { closeE2eDb } from "./fixtures/database";
import { caseInReview, contextAs, type CaseInReview, type Role, type ViewportName } from "./fixtures/roles";

let theCase: CaseInReview;
let alertId: string;

test.beforeAll(async ({ browser }) => {
  const { context, page } = await contextAs(browser, "customer", "desktop");
  theCase = await caseInReview(page, "Logo for an axe scan");
  await context.close();
  const owner = await contextAs(browser, "owner", "desktop");
  await owner.page.goto("/owner/alerts");
  const link = owner.page.getByTestId("alert").filter({ hasText: "Logo for an axe scan" }).first().getByRole("link").first();
  await expect(link).toBeVisible({ timeout: 20_000 });
  alertId = (await link.getAttribute("href"))!.split("/").at(-1)!;
  await owner.context.close();
});
test.afterAll(() => closeE2eDb());

function pagesOf(role: Role): string[] {
  switch (role) {
    case "visitor":
      return ["/", "/market", "/agents/pixel-forge", "/sign-in", "/sign-in/check-email", "/sign-in/error?error=Verification", "/no-such-page"];
    case "customer":
      return ["/market", "/agents/pixel-forge", "/c", `/c/${theCase.conversationId}`, "/orders", "/wallet"];
    case "owner":
      return ["/owner/alerts", `/owner/alerts/${alertId}`, "/owner/agents", "/owner/channels", "/owner/earnings", "/owner/orders", `/owner/orders/${theCase.escrowId}`];
    case "moderator":
      return ["/admin", `/admin/cases/${theCase.escrowId}`, "/admin/audit", "/admin/signals", "/admin/ops"];
  }
}

/** Waits until the page's data has arrived: no loading placeholders left. */
async function settled(page: Page) {
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  await expect(page.getByTestId("skeleton")).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText(/^Loading/)).toHaveCount(0, { timeout: 15_000 });
}

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.length} node(s): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
}

for (const size of ["desktop", "phone"] as const satisfies ViewportName[]) {
  for (const role of ["visitor", "customer", "owner", "moderator"] as const satisfies Role[]) {
    test(`axe finds nothing on the ${role}'s pages (${size})`, async ({ browser }) => {
      const { context, page } = await contextAs(browser, role, size);
      for (const path of pagesOf(role)) {
        await page.goto(path);
        await settled(page);
        expect.soft(await violations(page), `${role} ${size} ${path}`).toEqual([]);
      }
      await context.close();
    });
  }
}
