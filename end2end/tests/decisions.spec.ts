import { test, expect, expectAccessible, waitForHydration, chinaDay } from "./fixtures";
import { devices, type Browser, type Page } from "@playwright/test";

/** A signed-in person in a browser of their own (a phone for residents). */
async function actor(browser: Browser, login: string, phone = false): Promise<Page> {
  const context = await browser.newContext({ ...(phone ? devices["Pixel 7"] : {}), locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, login);
  return page;
}

async function signIn(page: Page, login: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Today in China: "2026-11-27". */
function today(): string {
  return chinaDay();
}

test("the street Party officer takes a decision for 玉泉花园 through the six steps, a members' meeting short of its quorum is refused, and only 玉泉花园's residents see the disclosure", async ({ page, browser, watch }) => {
  test.setTimeout(180_000);
  // The refused members' meeting answers 422; nothing else may fail.
  watch.expectStatus(422);
  const day = today();
  const title = `玉泉花园2栋电梯更换 ${Date.now()}`;
  const resolution = "经居民代表会议表决通过：更换2栋电梯，费用从专项维修资金列支，公开招标选择施工单位。";

  // 木林 drills into 玉泉花园 from the Party overview.
  await signIn(page, "13800000005");
  await expect(page).toHaveURL(/\/party$/);
  await waitForHydration(page);
  // The street's dashboard: Wenhui among its companies, every figure shown,
  // trends drawn, the period in the address.
  await expect(page.getByTestId("overseen-company").filter({ hasText: "文汇社区城市服务公司" })).toBeVisible();
  for (const kpi of ["households", "orders", "completion", "response", "rating", "complaints", "collection", "arrears", "saving", "above-market", "statements"]) {
    await expect(page.getByTestId(`kpi-${kpi}`)).toBeVisible();
  }
  await expect(page.getByTestId("chart-orders")).toBeVisible();
  await expectAccessible(page);
  // Narrowed to two months, then to 玉泉花园.
  const filters = page.getByTestId("oversight-filters");
  await filters.getByLabel("起始月份").fill("2026-09");
  await filters.getByLabel("截止月份").fill("2026-10");
  await filters.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/from=2026-09&to=2026-10/);
  await expect(page.getByTestId("oversight-period")).toContainText("2026-09 至 2026-10");
  await page.getByTestId("estate-link").filter({ hasText: "玉泉花园" }).first().click();
  await expect(page).toHaveURL(/\/party\/estates\/\d+\?from=2026-09&to=2026-10$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("玉泉花园");
  await expect(page.getByTestId("oversight-month")).toHaveCount(2);
  await expect(page.getByTestId("kpi-households")).not.toContainText("—");
  const estate = /\/party\/estates\/(\d+)/.exec(page.url())![1];

  // He records the branch's proposal for 玉泉花园.
  await page.goto("/decisions");
  await waitForHydration(page);
  await expectAccessible(page);
  const propose = page.getByTestId("propose-form");
  await propose.getByLabel("事项类别").selectOption("major_repair");
  await propose.getByLabel("事项名称").fill(title);
  await propose.getByLabel("事项内容").fill("2栋电梯已使用16年，今年多次困人，拟更换。");
  await propose.getByRole("checkbox", { name: "玉泉花园" }).check();
  await propose.getByLabel("会议日期").fill(day);
  await propose.getByLabel("提议内容").fill("党支部提议更换2栋电梯，费用从专项维修资金列支。");
  await propose.getByTestId("propose").click();
  await expect(page).toHaveURL(/\/decisions\/\d+$/);
  await waitForHydration(page);
  const state = page.getByTestId("decision-state");
  const step = (code: string) => page.locator(`[data-testid=decision-step][data-step=${code}]`);
  await expect(state).toContainText("已提议");
  await expect(page.getByTestId("decision-estates")).toContainText("玉泉花园");
  await expect(step("propose")).toHaveAttribute("data-done", "true");
  await expect(step("deliberate")).toHaveAttribute("data-done", "false");

  const form = page.getByTestId("step-form");
  const heading = page.locator("#next-step-title");

  // 2. The two committees deliberate.
  await expect(heading).toContainText("第 2 步");
  await form.getByLabel("会议日期").fill(day);
  await form.getByLabel("商议意见").fill("两委联席会议同意提交党员大会审议。");
  await form.getByTestId("record-step").click();
  await expect(state).toContainText("两委已商议");

  // 3. The Party members' meeting: five of nine is short of two thirds.
  await expect(heading).toContainText("第 3 步");
  await expect(form.getByTestId("quorum-rule")).toContainText("三分之二");
  await form.getByLabel("会议日期").fill(day);
  await form.getByLabel("应到人数").fill("9");
  await form.getByLabel("出席人数").fill("5");
  await form.getByLabel("同意票数").fill("5");
  await form.getByLabel("审议意见").fill("党员大会审议同意更换方案。");
  await form.getByTestId("record-step").click();
  await expect(form.getByTestId("attended-error")).toContainText("出席 5 人，不足应到 9 人的三分之二（需 6 人）");
  await expect(step("members_review")).toHaveAttribute("data-done", "false");
  await expect(state).toContainText("两委已商议");
  // Seven came after all; six agreed.
  await form.getByLabel("出席人数").fill("7");
  await form.getByLabel("同意票数").fill("6");
  await expect(form.getByTestId("quorum-check")).toContainText("通过");
  await form.getByTestId("record-step").click();
  await expect(state).toContainText("党员大会已审议");
  await expect(step("members_review")).toHaveAttribute("data-done", "true");
  await expect(step("members_review")).toContainText("应到 9 人，出席 7 人，同意 6 票：通过");

  // 4. The residents' representatives resolve.
  await expect(heading).toContainText("第 4 步");
  await form.getByLabel("会议日期").fill(day);
  await form.getByLabel("应到人数").fill("30");
  await form.getByLabel("出席人数").fill("24");
  await form.getByLabel("同意票数").fill("20");
  await form.getByLabel("决议内容").fill("居民代表会议表决通过更换2栋电梯。");
  await form.getByTestId("record-step").click();
  await expect(state).toContainText("已决议，待公开");

  // 5. The resolution is disclosed.
  await expect(heading).toContainText("第 5 步");
  await form.getByLabel("公开日期").fill(day);
  await form.getByLabel("公开的决议内容").fill(resolution);
  await form.getByTestId("record-step").click();
  await expect(state).toContainText("决议已公开");

  // 6. The implementation is disclosed.
  await expect(heading).toContainText("第 6 步");
  await form.getByLabel("公开日期").fill(day);
  await form.getByLabel("公开的实施结果").fill("2栋新电梯已安装完毕，验收合格并投入使用。");
  await form.getByTestId("record-step").click();
  await expect(state).toContainText("实施结果已公开");
  await expect(page.locator("[data-testid=decision-step][data-done=true]")).toHaveCount(6);
  await expect(form).toHaveCount(0);
  await expectAccessible(page);

  // A resident of 玉泉花园 reads the resolution and its implementation on
  // the estate's notice board.
  const resident = await actor(browser, "13800000001", true);
  await resident.goto(`/estates/${estate}/notices`);
  const notice = resident.getByTestId("decision-notice").filter({ hasText: title });
  await expect(notice).toBeVisible();
  await expect(notice.getByTestId("decision-resolution")).toHaveText(resolution);
  await expect(notice.getByTestId("decision-implementation")).toContainText("验收合格");
  await expect(notice).toContainText("应到 30 人，出席 24 人，同意 20 票");
  await expectAccessible(resident);

  // A resident of 象山小区 does not see it on hers.
  const neighbour = await actor(browser, "13800000008", true);
  await neighbour.getByTestId("notices-link").click();
  await expect(neighbour).toHaveURL(/\/estates\/\d+\/notices$/);
  await expect(neighbour.getByTestId("decision-notices")).toBeVisible();
  await expect(neighbour.getByTestId("decision-notice").filter({ hasText: title })).toHaveCount(0);
});
