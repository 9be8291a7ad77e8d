import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Problems seen while a test ran: any page error, console error or HTTP error
 *  response fails the test, unless the test said it expects that status. */
type Watch = { expectStatus: (status: number) => void };

export const test = base.extend<{ watch: Watch }>({
  watch: [
    async ({ page }, use) => {
      const problems: string[] = [];
      const expected = new Set<number>();
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() !== "error") return;
        const status = /status of (\d{3})/.exec(m.text());
        if (status && expected.has(Number(status[1]))) return;
        problems.push(`console error: ${m.text()}`);
      });
      page.on("response", (r) => {
        if (r.status() >= 400 && !expected.has(r.status())) {
          problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
        }
      });
      await use({ expectStatus: (status) => expected.add(status) });
      expect(problems, "page errors, console errors or HTTP errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The day, in China, the suite runs on: scripts/e2e-server starts the server
 *  with the same HONGYE_TODAY, so the demo and every date the tests type are
 *  the same whatever the machine's date. */
export const TODAY = process.env.HONGYE_TODAY ?? "2026-11-25";

/** Now, moved by whole days as the server's clock is, as a Date whose UTC
 *  fields read China's wall clock (UTC+8, no daylight saving). */
export function chinaNow(): Date {
  const real = new Date(Date.now() + 8 * 3600_000);
  const [y, m, d] = TODAY.split("-").map(Number);
  const realDay = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate());
  return new Date(real.getTime() + (Date.UTC(y, m - 1, d) - realDay));
}

/** China's date `n` days from today: "2026-11-26". */
export function chinaDay(n = 0): string {
  return new Date(chinaNow().getTime() + n * 86_400_000).toISOString().slice(0, 10);
}

/** Fails on serious or critical accessibility violations (axe-core). */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, "accessibility violations").toEqual([]);
}

/** The app marks <body data-hydrated> once the browser bundle has taken over;
 *  clicks before that would be lost. */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
}
