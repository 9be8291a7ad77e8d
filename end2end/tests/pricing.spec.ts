import { test, expect, expectAccessible, waitForHydration, chinaDay } from "./fixtures";
import type { Page } from "@playwright/test";

async function signIn(page: Page, login: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
}

/** A date some days ahead, as a date input takes it. */
function daysAhead(n: number) {
  return chinaDay(n);
}

test.describe("prices", () => {
  test("a manager sees every price against the market and changes one; a price above the market needs a reason", async ({ page, watch }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    await page.getByRole("link", { name: "服务项目与价格" }).click();
    await expect(page.getByRole("heading", { name: "服务项目与价格" })).toBeVisible();
    await waitForHydration(page);
    const services = page.getByTestId("service");
    await expect(services.filter({ hasText: "物业管理服务费" })).toContainText("比市场省");
    await expect(services.filter({ hasText: "石材地面养护" })).toContainText("不低于市场均价");
    await expectAccessible(page);

    const card = services.filter({ hasText: "家电清洗" });
    await card.getByText("调整价格").click();
    await card.getByLabel("我们的价格").fill("130");
    await card.getByLabel("市场均价", { exact: true }).fill("120");
    await card.getByLabel("市场均价来源").fill("三家公司报价");
    await card.getByLabel("生效日期").fill(daysAhead(7));
    watch.expectStatus(422);
    await card.getByRole("button", { name: "保存" }).click();
    await expect(card.getByText("价格不低于市场均价，请写明原因。")).toBeVisible();
    await card.getByLabel("原因", { exact: true }).fill("上门需两人作业");
    await card.getByRole("button", { name: "保存" }).click();
    const updated = page.getByTestId("service").filter({ hasText: "家电清洗" });
    await expect(updated).toContainText("起：");
    await expect(updated).toContainText("上门需两人作业");
    // Today's price is still in force, below the market.
    await expect(updated.getByTestId("price").first()).toContainText("比市场省");
  });

  test("a resident sees the estate's prices with the saving on a phone @phone", async ({ page }) => {
    await signIn(page, "13800000001");
    await expect(page).toHaveURL(/\/households\/\d+$/);
    await page.getByRole("link", { name: "服务价格" }).click();
    const list = page.getByTestId("price-list");
    await expect(list).toContainText("玉泉花园");
    const lines = page.getByTestId("price-line");
    await expect(lines.filter({ hasText: "日常家政保洁" })).toContainText("元/小时");
    await expect(lines.filter({ hasText: "日常家政保洁" })).toContainText("比市场省");
    await expect(lines.filter({ hasText: "日常家政保洁" })).toContainText("市场均价");
    await expectAccessible(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
  });
});
