// The demo banner with the short windows on (a second server on the same database, see
// fixtures/short-windows-server.ts): the whole list of windows on a desktop, one line on a phone.
import { expect, test } from "@playwright/test";
import { SCREENSHOT_DIR } from "./fixtures/customer";
import { VIEWPORTS } from "./fixtures/roles";
import { SHORT_WINDOWS_URL, ShortWindowsServer } from "./fixtures/short-windows-server";

const server = new ShortWindowsServer({ HOLDFAST_REVIEW_WINDOW_S: "600", HOLDFAST_RESPONSE_WINDOW_S: "600", HOLDFAST_NEGOTIATION_WINDOW_S: "600" });
test.beforeAll(() => server.start());
test.afterAll(() => server.stop());

test("the demo banner lists the short windows on a desktop and is one line on a phone", async ({ browser }) => {
  for (const size of ["desktop", "phone"] as const) {
    const context = await browser.newContext({ ...VIEWPORTS[size], baseURL: SHORT_WINDOWS_URL });
    const page = await context.newPage();
    await page.goto("/");
    const banner = page.getByTestId("demo-banner");
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("Demo: test money only.");
    const text = await banner.innerText();
    const lineHeightPx = await banner.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    const { height } = (await banner.boundingBox())!;
    if (size === "desktop") expect(text).toContain("review 10 minutes, agent's answer to a dispute 10 minutes");
    else {
      expect(text).toContain("Short timers: review 10 minutes.");
      // One line: its height is one line plus its padding (py-1.5, 12 px).
      expect(height, text).toBeLessThan(lineHeightPx + 12 + 2);
    }
    await page.screenshot({ path: `${SCREENSHOT_DIR}/demo-banner-${size}.png` });
    await context.close();
  }
});
