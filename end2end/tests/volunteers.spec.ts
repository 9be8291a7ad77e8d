import { test, expect, expectAccessible, waitForHydration } from "./fixtures";
import { devices, type Browser, type Page } from "@playwright/test";

/** A signed-in person in a browser of their own (a phone for residents and volunteers). */
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

/** 赵志远's hours on his community's board, all time. */
async function boardHours(page: Page): Promise<number> {
  await page.goto("/volunteers/board?period=all");
  await waitForHydration(page);
  const row = page.getByTestId("board-row").filter({ hasText: "赵志远" });
  await expect(row).toHaveCount(1);
  return Number.parseFloat((await row.getByTestId("board-hours").textContent()) ?? "0");
}

test("a resident orders a volunteer service, the street Party committee dispatches it to 赵志远, who accepts and completes it, and the board counts his hours", async ({ browser, watch }) => {
  test.setTimeout(180_000);
  const note = `请陪老人下象棋（${Date.now() % 100000}）`;

  // The resident orders from her phone for tomorrow morning.
  const resident = await actor(browser, "13800000001", true);
  await expect(resident).toHaveURL(/\/households\/\d+$/);
  const household = /\/households\/(\d+)$/.exec(resident.url())![1];
  await resident.goto(`/households/${household}/volunteer`);
  await waitForHydration(resident);
  await expectAccessible(resident);
  const form = resident.getByTestId("volunteer-order-form");
  await form.getByLabel("服务类型").selectOption("elder_care");
  await form.getByLabel("需要说明的情况").fill(note);
  await form.getByRole("button", { name: "提交需求" }).click();
  const request = resident.getByTestId("volunteer-requests").getByTestId("volunteer-task").filter({ hasText: note });
  await expect(request).toHaveCount(1);
  await expect(request.getByTestId("task-state")).toContainText("待派单");
  await expect(request).toHaveAttribute("data-state", "ordered");
  const phoneWidth = await resident.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(phoneWidth).toBe(true);

  // 木林 of the street Party working committee picks Wenhui community and sends 赵志远.
  const party = await actor(browser, "13800000005");
  await party.goto("/volunteers");
  await waitForHydration(party);
  await party.locator("#volunteer-community").selectOption({ label: "文汇社区" });
  await party.getByRole("button", { name: "查看" }).click();
  await expect(party).toHaveURL(/\/volunteers\?community=\d+$/);
  await waitForHydration(party);
  const queued = party.getByTestId("queue").getByTestId("volunteer-task").filter({ hasText: note });
  await expect(queued).toHaveCount(1);
  await expect(queued.getByTestId("task-contact")).toContainText("和美华");
  const picker = queued.getByLabel("派给");
  const zhao = await picker.locator("option", { hasText: "赵志远" }).getAttribute("value");
  await picker.selectOption(zhao ?? "");
  await queued.getByRole("button", { name: "派单" }).click();
  const offered = party.getByTestId("dispatched").getByTestId("volunteer-task").filter({ hasText: note });
  await expect(offered).toHaveCount(1);
  await expect(offered.getByTestId("task-volunteer")).toContainText("赵志远");
  await expect(party.getByTestId("pool").getByTestId("volunteer-row").filter({ hasText: "赵志远" })).toBeVisible();
  await expectAccessible(party);

  // 赵志远 finds it on his phone, accepts it, and completes it: hours in
  // quarter hours only.
  const volunteer = await actor(browser, "13800000009", true);
  const before = await boardHours(volunteer);
  await volunteer.goto("/volunteering");
  await waitForHydration(volunteer);
  const mine = volunteer.getByTestId("offered").getByTestId("volunteer-task").filter({ hasText: note });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("task-contact")).toContainText("和美华");
  await mine.getByRole("button", { name: "接单" }).click();
  const accepted = volunteer.getByTestId("my-accepted").getByTestId("volunteer-task").filter({ hasText: note });
  await expect(accepted).toHaveAttribute("data-state", "accepted");
  await expectAccessible(volunteer);
  watch.expectStatus(422);
  await accepted.getByLabel("服务时长（小时）").fill("1.3");
  await accepted.getByRole("button", { name: "完成服务" }).click();
  await expect(accepted.locator(".field-error").filter({ hasText: "0.25 的整数倍" })).toBeVisible();
  await accepted.getByLabel("服务时长（小时）").fill("1.5");
  await accepted.getByLabel("服务情况（可不填）").fill("下了三盘棋，老人很开心。");
  await accepted.getByRole("button", { name: "完成服务" }).click();
  const done = volunteer.getByTestId("my-completed").getByTestId("volunteer-task").filter({ hasText: note });
  await expect(done).toHaveCount(1);
  await expect(done.getByTestId("task-served")).toContainText("1.5 小时");

  // The board counts exactly the hour and a half.
  expect(await boardHours(volunteer)).toBeCloseTo(before + 1.5, 2);
  await expectAccessible(volunteer);

  // The resident sees who came and that it is done.
  await resident.reload();
  await waitForHydration(resident);
  await expect(request).toHaveAttribute("data-state", "completed");
  await expect(request.getByTestId("task-state")).toContainText("已完成");
  await expect(request.getByTestId("task-volunteer")).toContainText("赵志远");

  // A resident of another estate may not open her household's page.
  const neighbour = await actor(browser, "13800000008", true);
  await neighbour.goto(`/households/${household}/volunteer`);
  await expect(neighbour.getByTestId("forbidden")).toBeVisible();
});
