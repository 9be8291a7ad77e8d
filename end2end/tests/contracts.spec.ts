import { test, expect, waitForHydration } from "./fixtures";
import type { Browser, Page } from "@playwright/test";

async function signIn(page: Page, login: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
}

test("a contract is drafted, returned with a comment, revised, signed by the chair and put into force", async ({ page, browser, watch }) => {
  await signIn(page, "hexiu");
  await expect(page).toHaveURL(/\/companies\/\d+$/);
  await page.goto("/estates");
  await page.getByRole("link", { name: "玉泉花园" }).click();
  await expect(page).toHaveURL(/\/estates\/\d+$/);
  const estateUrl = page.url();
  await waitForHydration(page);
  await expect(page.getByTestId("contract-summary").filter({ hasText: "生效中" })).toHaveCount(1);

  // Draft: the estate-wide services come in at today's prices.
  await page.getByRole("button", { name: "起草新合同" }).click();
  await expect(page).toHaveURL(/\/contracts\/\d+$/);
  const contractUrl = page.url();
  await waitForHydration(page);
  await expect(page.getByTestId("contract")).toContainText("草稿");
  await expect(page.getByTestId("contract-line").first()).toContainText("比市场省");
  await page.getByLabel("任期开始").fill("2027-01-01");
  await page.getByLabel("任期结束").fill("2027-12-31");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("contract-term")).toContainText("2027年1月1日");
  await page.getByRole("button", { name: "提交业委会审核" }).click();
  await expect(page.getByTestId("contract")).toContainText("业委会审核中");

  // The chair returns it with a comment (a comment is required).
  const chair = await (browser as Browser).newPage();
  await signIn(chair, "13800000003");
  await expect(chair).toHaveURL(/\/estates\/\d+$/);
  await chair.goto(contractUrl);
  await waitForHydration(chair);
  watch.expectStatus(422);
  await chair.getByRole("button", { name: "退回并提出意见" }).click();
  await expect(chair.getByText("请写明意见或原因。")).toBeVisible();
  await chair.getByLabel("意见").first().fill("请增加深度保洁，写明每年次数");
  await chair.getByRole("button", { name: "退回并提出意见" }).click();
  await expect(chair.getByTestId("contract")).toContainText("已退回修改");

  // The manager revises and resubmits.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByTestId("contract-event").filter({ hasText: "请增加深度保洁" })).toHaveCount(1);
  const deep = await page.locator("#line-service option", { hasText: "深度保洁" }).getAttribute("value");
  await page.locator("#line-service").selectOption(deep ?? "");
  await page.getByLabel("合同单价（元）").fill("240");
  await page.getByLabel("计量依据").fill("每年2次");
  await page.getByRole("button", { name: "添加服务项目" }).click();
  await expect(page.getByTestId("contract-line").filter({ hasText: "深度保洁" })).toContainText("每年2次");
  await page.getByRole("button", { name: "提交业委会审核" }).click();
  await expect(page.getByTestId("contract")).toContainText("业委会审核中");

  // The chair signs; the manager puts it into force.
  await chair.reload();
  await waitForHydration(chair);
  await chair.getByRole("button", { name: "业委会主任签字" }).click();
  await expect(chair.getByTestId("contract")).toContainText("业委会已签字");
  await page.reload();
  await waitForHydration(page);
  await page.getByRole("button", { name: "合同生效" }).click();
  await expect(page.getByTestId("contract")).toContainText("生效中");
  const history = page.getByTestId("contract-event");
  await expect(history).toHaveCount(6);
  await expect(history.nth(4)).toContainText("杨春");

  // The committee sees the whole history from its estate's page.
  await chair.goto(estateUrl);
  await expect(chair.getByTestId("contract-summary").filter({ hasText: "生效中" })).toHaveCount(2);
  await chair.close();
});
