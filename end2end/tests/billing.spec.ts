import { test, expect, expectAccessible, waitForHydration, chinaDay } from "./fixtures";
import { devices, type Browser, type Page } from "@playwright/test";

async function signIn(page: Page, login: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" });
  return context.newPage();
}

/** The month now in China: "2026-11". */
function thisMonth(): string {
  return chinaDay().slice(0, 7);
}

/** "¥1,234.50" → 1234.5 */
function yuan(text: string | null): number {
  return Number((text ?? "").replace(/[^\d.-]/g, ""));
}

test("the manager issues the month's bills, a resident sees hers, the cashier takes part of it in cash and prints the receipt", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const month = thisMonth();

  // The manager previews the month, issues it and watches it finish.
  await signIn(page, "hexiu");
  await page.getByRole("link", { name: "收费" }).first().click();
  await expect(page).toHaveURL(/\/companies\/\d+\/billing$/);
  await waitForHydration(page);
  await expect(page.locator("#field-month")).toHaveValue(month);
  // Before the month is issued the arrears are the few old debtors.
  await page.getByRole("link", { name: "欠费清单" }).click();
  await waitForHydration(page);
  await expect(page.getByTestId("arrears-row").first()).toBeVisible();
  await expectAccessible(page);
  await page.goBack();
  await waitForHydration(page);
  await page.getByTestId("preview-bills").click();
  const preview = page.getByTestId("bill-preview");
  await expect(preview).toContainText("玉泉花园");
  await expect(page.getByTestId("preview-to-issue")).not.toHaveText("待出账 0 户");
  await expectAccessible(page);
  await page.getByTestId("issue-bills").click();
  await expect(page.getByTestId("run-progress")).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(page.getByTestId("run-progress")).toContainText("新出账单");
  // A second preview finds nothing left to issue.
  await page.getByTestId("preview-bills").click();
  await expect(page.getByTestId("preview-to-issue")).toHaveText("待出账 0 户");
  // The ledger balances.
  await page.getByRole("link", { name: "总账试算平衡" }).click();
  await expect(page.getByTestId("trial-balance")).toBeVisible();
  expect(await page.getByTestId("total-debit").textContent()).toBe(await page.getByTestId("total-credit").textContent());

  // The resident sees her bill for the month on her phone.
  const resident = await phonePage(browser);
  await signIn(resident, "13800000001");
  await resident.getByRole("link", { name: "账单" }).first().click();
  await expect(resident).toHaveURL(/\/households\/\d+\/bills$/);
  await waitForHydration(resident);
  const household = resident.url().match(/\/households\/(\d+)\/bills$/)?.[1] ?? "";
  const bill = resident.locator(`[data-testid=bill][data-month='${month}']`);
  await expect(bill).toContainText("物业管理服务费");
  await expect(bill).toContainText("市场价");
  const total = yuan(await bill.getByTestId("bill-total").textContent());
  expect(total).toBeGreaterThan(20);
  await expect(resident.getByTestId("saved")).toContainText("¥");
  await expectAccessible(resident);
  const fits = await resident.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits).toBe(true);

  // The cashier takes 10.00 in cash against this month's bill and prints the receipt.
  const cashier = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await signIn(cashier, "13800000006");
  await cashier.goto(`/households/${household}/bills`);
  await waitForHydration(cashier);
  const outstanding = yuan(await cashier.locator(`[data-testid=bill][data-month='${month}']`).getByTestId("bill-outstanding").textContent());
  const form = cashier.getByTestId("payment-form");
  await form.getByLabel("金额").fill("10.00");
  await form.getByLabel("收款方式").selectOption("cash");
  const billOption = await form.locator("#field-bill option", { hasText: month }).getAttribute("value");
  await form.locator("#field-bill").selectOption(billOption ?? "");
  await form.getByRole("button", { name: "登记收款" }).click();
  await expect(cashier.getByTestId("payment-recorded")).toContainText("收据号");
  await expect(cashier.locator(`[data-testid=bill][data-month='${month}']`).getByTestId("bill-outstanding")).toContainText(
    (outstanding - 10).toFixed(2),
  );
  await cashier.getByRole("link", { name: "打印收据" }).click();
  await expect(cashier).toHaveURL(/\/receipts\/\d+$/);
  await waitForHydration(cashier);
  await expect(cashier.getByTestId("receipt-amount")).toContainText("10.00");
  await expect(cashier.getByTestId("receipt-no")).toHaveText(/^\d{4}-\d{6}$/);
  await expect(cashier.getByTestId("receipt")).toContainText("现金");
  await expectAccessible(cashier);

  // The arrears list shows the rest of it as current.
  await cashier.getByRole("link", { name: "欠费" }).first().click();
  await expect(cashier).toHaveURL(/\/companies\/\d+\/arrears$/);
  await waitForHydration(cashier);
  const row = cashier.locator(`[data-testid=arrears-row][data-household='${household}']`);
  // Fifty at a time, the largest debts first.
  while ((await row.count()) === 0 && (await cashier.getByTestId("arrears-more").count()) > 0) {
    await cashier.getByTestId("arrears-more").click();
  }
  await expect(row.locator("[data-bucket='0']")).toContainText((outstanding - 10).toFixed(2));
  await expect(row.locator("[data-bucket='1']")).toContainText("0.00");
});

test("bad payment input is refused in words and records nothing; the manager climbs the arrears ladder", async ({ page, watch }) => {
  test.setTimeout(90_000);
  await signIn(page, "hexiu");
  await page.getByRole("link", { name: "收费" }).first().click();
  await waitForHydration(page);
  await page.getByRole("link", { name: "欠费清单" }).click();
  await expect(page).toHaveURL(/\/companies\/\d+\/arrears$/);
  await waitForHydration(page);
  // The household owing most: a written reminder first, then the committee.
  const row = page.getByTestId("arrears-row").first();
  const household = (await row.getAttribute("data-household")) ?? "";
  const mine = page.locator(`[data-testid=arrears-row][data-household='${household}']`);
  await mine.getByRole("button", { name: /下一步/ }).click();
  await expect(mine).not.toContainText("下一步：书面催告");
  await expect(mine).toContainText(/书面催告|业委会督促/);

  // On the household's page: too much, and WeChat without its number.
  await page.goto(`/households/${household}/bills`);
  await waitForHydration(page);
  const form = page.getByTestId("payment-form");
  watch.expectStatus(422);
  await form.getByLabel("金额").fill("99999999");
  await form.getByRole("button", { name: "登记收款" }).click();
  await expect(form.locator("#field-amount-error")).toContainText("超过了这户的欠款");
  await form.getByLabel("金额").fill("1.00");
  await form.getByLabel("收款方式").selectOption("wechat");
  await form.getByRole("button", { name: "登记收款" }).click();
  await expect(form.locator("#field-reference-error")).toContainText("交易单号");
  await expect(page.getByTestId("payment-recorded")).toHaveCount(0);
});
