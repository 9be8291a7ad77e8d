import { test, expect, expectAccessible, waitForHydration } from "./fixtures";
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

test("housekeeping is booked on a phone, scheduled, done, confirmed and rated; a complaint is answered @phone", async ({ page, browser, watch }) => {
  // The resident books for tomorrow from her phone.
  await signIn(page, "13800000007");
  await page.getByRole("link", { name: "预约家政" }).first().click();
  await expect(page).toHaveURL(/\/households\/\d+\/book$/);
  await waitForHydration(page);
  await expectAccessible(page);
  const firstService = page.locator(".choice-card").first();
  await firstService.locator("label").click();
  await expect(page.getByTestId("booking-total")).toContainText("市场");
  const slot = page.getByTestId("slots").locator(".slot-choice label").first();
  await expect(slot).toBeVisible();
  const slotText = (await slot.textContent()) ?? "";
  await slot.click();
  await page.getByLabel("备注").fill("家里有老人，请先打电话");
  await page.getByRole("button", { name: "确认预约" }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?booked=1$/);
  const orderUrl = page.url().replace(/\?booked=1$/, "");
  await expect(page.getByTestId("booking-confirmed")).toBeVisible();
  await expect(page.getByTestId("order")).toContainText("待派单");
  await expect(page.getByTestId("order-when")).toContainText(slotText.split("–")[0]);
  const phoneWidth = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(phoneWidth).toBe(true);

  // The manager schedules it to 李桂.
  const manager = await (browser as Browser).newPage();
  await signIn(manager, "hexiu");
  await manager.getByRole("link", { name: "工单" }).first().click();
  await expect(manager).toHaveURL(/\/companies\/\d+\/orders$/);
  await waitForHydration(manager);
  await manager.getByRole("button", { name: /待派单/ }).click();
  const id = orderUrl.split("/").pop() ?? "";
  await manager.locator(`[data-testid=order-line] a[href='/orders/${id}']`).click();
  await expect(manager).toHaveURL(orderUrl);
  await waitForHydration(manager);
  await expect(manager.getByTestId("order")).toContainText("家里有老人，请先打电话");
  const staffValue = await manager.locator("#schedule-staff option", { hasText: "李桂" }).getAttribute("value");
  await manager.locator("#schedule-staff").selectOption(staffValue ?? "");
  await manager.getByRole("button", { name: "派单" }).click();
  await expect(manager.getByTestId("order")).toContainText("已派单");
  await expect(manager.getByTestId("order-staff")).toContainText("李桂");

  // 李桂 starts and finishes it on his phone.
  const staff = await phonePage(browser as Browser);
  await signIn(staff, "13800000004");
  await staff.goto("/jobs");
  await waitForHydration(staff);
  await staff.getByRole("link", { name: "后一天" }).click();
  await waitForHydration(staff);
  const job = staff.getByTestId("job").filter({ hasText: "家里有老人" });
  await expect(job).toHaveCount(1);
  await job.getByRole("button", { name: "开始服务" }).click();
  await expect(job).toHaveAttribute("data-state", "in_progress");
  await job.getByLabel("使用的材料").fill("清洁剂一瓶，抹布两块");
  await job.getByRole("button", { name: "完成服务" }).click();
  await expect(job).toHaveAttribute("data-state", "done");
  const staffWidth = await staff.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(staffWidth).toBe(true);

  // The resident confirms and rates it.
  await page.goto(orderUrl);
  await waitForHydration(page);
  await expect(page.getByTestId("order")).toContainText("已完成");
  await expect(page.getByTestId("order")).toContainText("清洁剂一瓶");
  await page.locator("label[for=stars-4]").click();
  await page.getByLabel("评价内容（可不填）").fill("很细心，老人很满意");
  await page.getByRole("button", { name: "确认并评价" }).click();
  await expect(page.getByTestId("order")).toContainText("已确认");
  await expect(page.getByTestId("order-rating")).toContainText("★★★★☆");

  // She complains; an empty complaint is refused with a message first.
  watch.expectStatus(422);
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page.getByText("请填写内容。")).toBeVisible();
  await page.getByLabel("对这个订单不满意？写下您的投诉").fill("服务人员迟到了二十分钟");
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page.getByTestId("complaint").filter({ hasText: "迟到了二十分钟" })).toHaveAttribute("data-answered", "false");

  // The manager answers it.
  await manager.getByRole("link", { name: "工单" }).first().click();
  await waitForHydration(manager);
  await manager.getByTestId("open-complaints").click();
  await expect(manager).toHaveURL(/\/complaints$/);
  await waitForHydration(manager);
  const open = manager.locator(".complaint-open").filter({ hasText: "迟到了二十分钟" });
  await open.getByLabel("答复内容").fill("非常抱歉，已提醒服务人员提前出门");
  await open.getByRole("button", { name: "答复" }).click();
  await expect(manager.getByTestId("complaint").filter({ hasText: "迟到了二十分钟" })).toHaveAttribute("data-answered", "true");

  await page.reload();
  await expect(page.getByTestId("complaint-answer")).toContainText("已提醒服务人员");
});

test("a manager books by phone for a resident, and bad slots are refused", async ({ page, watch }) => {
  await signIn(page, "hexiu");
  await page.goto("/estates");
  await page.getByRole("link", { name: "玉泉花园" }).click();
  await waitForHydration(page);
  await page.locator("a[href^='/households/']").first().click();
  await expect(page).toHaveURL(/\/households\/\d+$/);
  await waitForHydration(page);
  await page.getByTestId("book-link").click();
  await waitForHydration(page);
  await expect(page.getByTestId("on-behalf")).toBeVisible();

  // No slot chosen: a clear message, nothing booked.
  watch.expectStatus(422);
  await page.locator(".choice-card label").first().click();
  await page.getByRole("button", { name: "确认预约" }).click();
  await expect(page.getByText("请选择日期和时段。")).toBeVisible();
  await expect(page).toHaveURL(/\/book$/);

  await page.getByTestId("slots").locator(".slot-choice label").first().click();
  await page.getByRole("button", { name: "确认预约" }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?booked=1$/);
  await expect(page.getByTestId("order")).toContainText("电话代客下单");
});

test("the manager adds a weekly cleaning plan and making its orders again adds none", async ({ page }) => {
  await signIn(page, "hexiu");
  await page.getByRole("link", { name: "工单" }).first().click();
  await waitForHydration(page);
  await page.getByRole("link", { name: "保洁计划" }).first().click();
  await expect(page).toHaveURL(/\/plans$/);
  await waitForHydration(page);
  const before = await page.getByTestId("plan").count();
  await page.locator("#plan-estate").selectOption({ label: "文华苑" });
  await page.locator("label[for=plan-day-2]").click();
  await page.getByLabel("开始时间").fill("14:00");
  await page.getByLabel("每次用时（分钟）").fill("60");
  await page.getByRole("button", { name: "新增保洁计划" }).click();
  await expect(page.getByTestId("plan")).toHaveCount(before + 1);
  await page.getByRole("button", { name: "生成今后几周的工单" }).click();
  await expect(page.getByTestId("generated")).toContainText("新生成 0 张工单");
});
