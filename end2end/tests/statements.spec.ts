import { test, expect, expectAccessible, waitForHydration, chinaDay, chinaNow } from "./fixtures";
import { devices, type Browser, type Page } from "@playwright/test";

/** A signed-in person in a browser of their own (a phone for residents). */
async function actor(browser: Browser, login: string, phone = false): Promise<Page> {
  const context = await browser.newContext({ ...(phone ? devices["Pixel 7"] : {}), locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** Last month in China: "2026-10". */
function lastMonth(): string {
  const now = chinaNow();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return new Date(first.getTime() - 86_400_000).toISOString().slice(0, 7);
}

test("the manager submits last month's statement for 玉泉花园, the chair queries, the manager answers, the chair signs, and only 玉泉花园's residents see it disclosed", async ({ browser }) => {
  test.setTimeout(180_000);
  const month = lastMonth();

  // The chair finds the accounts from the menu; last month is not submitted.
  const chair = await actor(browser, "13800000003");
  await chair.getByRole("link", { name: "账目", exact: true }).click();
  await expect(chair).toHaveURL(/\/estates\/\d+\/accounts$/);
  const estate = /\/estates\/(\d+)\//.exec(chair.url())![1];
  const row = chair.locator(`[data-testid=month-row][data-month="${month}"]`);
  await expect(row).toContainText("草稿");
  await expect(chair.getByTestId("chart-income")).toBeVisible();
  await expect(chair.getByTestId("quarters")).toBeVisible();
  await expect(chair.getByTestId("expense-form")).toHaveCount(0);
  await expectAccessible(chair);

  // The manager opens it from the estate page and submits it.
  const manager = await actor(browser, "hexiu");
  await manager.goto(`/estates/${estate}`);
  await manager.getByTestId("accounts-link").click();
  await waitForHydration(manager);
  await expect(manager.getByTestId("expense-form")).toBeVisible();
  await manager.locator(`[data-testid=month-row][data-month="${month}"] a`).click();
  await expect(manager).toHaveURL(new RegExp(`/estates/${estate}/accounts/${month}$`));
  await waitForHydration(manager);
  await expect(manager.getByTestId("state")).toContainText("草稿");
  await expect(manager.getByTestId("figures")).toContainText("为居民节省");
  await expectAccessible(manager);
  await manager.getByTestId("submit").click();
  await expect(manager.getByTestId("state")).toContainText("待业委会审核");
  const hash = await manager.getByTestId("hash").textContent();
  expect(hash).toMatch(/^[0-9a-f]{16}$/);

  // The chair asks a question; while it is open there is nothing to sign.
  await chair.goto(`/estates/${estate}/accounts/${month}`);
  await waitForHydration(chair);
  await expect(chair.getByTestId("state")).toContainText("待业委会审核");
  await chair.getByTestId("raise-query").click();
  await expect(chair.locator(".field-error").filter({ hasText: "请填写" })).toBeVisible();
  await chair.getByLabel("质询内容").fill("人员工资为什么按户数分摊？");
  await chair.getByTestId("raise-query").click();
  await expect(chair.getByTestId("state")).toContainText("业委会质询中");
  await expect(chair.getByTestId("thread")).toContainText("人员工资为什么按户数分摊？");
  await expect(chair.getByTestId("sign")).toHaveCount(0);
  await expectAccessible(chair);

  // The manager answers.
  await manager.reload();
  await waitForHydration(manager);
  await expect(manager.getByTestId("state")).toContainText("业委会质询中");
  await manager.getByLabel("答复").fill("工资是三个小区共用的保洁和维修人员，按户数分摊最公平。");
  await manager.getByTestId("answer").click();
  await expect(manager.getByTestId("state")).toContainText("待业委会审核");
  await expect(manager.getByTestId("thread")).toContainText("按户数分摊最公平");

  // The chair signs: signed, frozen and disclosed at once.
  await chair.reload();
  await waitForHydration(chair);
  await chair.getByTestId("sign").click();
  await expect(chair.getByTestId("state")).toContainText("已签字并公示");
  await expect(chair.getByTestId("signed-by")).toContainText("杨春");
  await expect(chair.getByTestId("disclosed-at")).toBeVisible();
  await expect(chair.getByText("内容与校验码一致")).toBeVisible();

  // A resident of 玉泉花园 finds it on the notice board from her home page.
  const resident = await actor(browser, "13800000001", true);
  await resident.getByTestId("notices-link").click();
  await expect(resident).toHaveURL(new RegExp(`/estates/${estate}/notices$`));
  const notice = resident.locator(`[data-testid=notice][data-month="${month}"]`);
  await expect(notice).toBeVisible();
  await expectAccessible(resident);
  await notice.getByRole("link").click();
  await expect(resident.getByTestId("state")).toContainText("已签字并公示");
  await expect(resident.getByTestId("figures")).toContainText("公示事项");
  await expect(resident.getByTestId("thread")).toHaveCount(0);
  await expect(resident.getByTestId("submit")).toHaveCount(0);
  await expectAccessible(resident);

  // A resident of 象山小区 may not see 玉泉花园's notice board or statement.
  const neighbour = await actor(browser, "13800000008", true);
  await neighbour.goto(`/estates/${estate}/notices`);
  await expect(neighbour.getByTestId("forbidden")).toBeVisible();
  await neighbour.goto(`/estates/${estate}/accounts/${month}`);
  await expect(neighbour.getByTestId("forbidden")).toBeVisible();
});

test("the manager records an expense with its receipt photo split over the estates by households, a bad amount is refused in Chinese, and the chair sees the receipt", async ({ browser }) => {
  test.setTimeout(90_000);
  const manager = await actor(browser, "hexiu");
  const chair = await actor(browser, "13800000003");
  await chair.getByRole("link", { name: "账目", exact: true }).click();
  const estate = /\/estates\/(\d+)\//.exec(chair.url())![1];
  await manager.goto(`/estates/${estate}/accounts`);
  await waitForHydration(manager);
  const today = chinaDay();
  const form = manager.getByTestId("expense-form");
  await form.getByLabel("日期").fill(today);
  await form.getByLabel("类别").selectOption("supplies");
  await form.getByLabel("说明").fill("冬季防滑垫");
  await form.getByLabel("金额").fill("12.345");
  // A 1×1 PNG stands in for the photo of the receipt.
  await form.getByLabel("收据照片（可不填）").setInputFiles({
    name: "receipt.png",
    mimeType: "image/png",
    buffer: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"),
  });
  await expect(form.locator("img.receipt-photo")).toBeVisible();
  await form.getByLabel("分摊方式").selectOption("households");
  for (const box of await form.getByRole("checkbox").all()) await box.check();
  await form.getByRole("button", { name: "记录" }).click();
  await expect(form.locator(".field-error").filter({ hasText: "金额" })).toBeVisible();
  await form.getByLabel("金额").fill("600");
  await form.getByRole("button", { name: "记录" }).click();
  // This month's entries now list it, with this estate's share of the whole.
  await manager.locator("#entries-month").selectOption(today.slice(0, 7));
  await expect(manager.getByTestId("expenses")).toContainText("冬季防滑垫");
  await expect(manager.getByTestId("expenses")).toContainText("总额 ¥600.00");
  await expect(manager.getByTestId("expenses")).toContainText("同时分摊给");
  // The chair sees this month's share and the receipt behind it.
  await chair.goto(`/estates/${estate}/accounts`);
  await waitForHydration(chair);
  await chair.locator("#entries-month").selectOption(today.slice(0, 7));
  const row = chair.getByTestId("expenses").getByRole("row").filter({ hasText: "冬季防滑垫" });
  await row.getByRole("button", { name: "查看收据" }).click();
  await expect(row.getByTestId("receipt-photo")).toBeVisible();
  await expectAccessible(chair);
});
