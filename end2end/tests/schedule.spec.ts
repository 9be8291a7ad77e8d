import { test, expect, expectAccessible, waitForHydration, chinaNow } from "./fixtures";
import { type Page } from "@playwright/test";

async function signIn(page: Page, login: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Tomorrow in China: "2026-11-28" and "2026年11月28日". */
function tomorrow(): { iso: string; zh: string } {
  const d = new Date(chinaNow().getTime() + 86_400_000);
  const iso = d.toISOString().slice(0, 10);
  return { iso, zh: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日` };
}

test("the manager assigns from the week, is refused an overlap, and accepts part of auto-assign", async ({ page, watch }) => {
  await signIn(page, "hexiu");
  await page.getByRole("link", { name: "排班" }).first().click();
  await expect(page).toHaveURL(/\/companies\/\d+\/schedule$/);
  await waitForHydration(page);
  await expect(page.getByTestId("schedule-grid")).toBeVisible();
  await expect(page.locator("th.today")).toHaveCount(1);

  // The week of tomorrow, with the two orders waiting for 14:00–16:00 at 文华苑.
  const day = tomorrow();
  await page.goto(`${page.url()}?week=${day.iso}`);
  await waitForHydration(page);
  await expectAccessible(page);
  const waiting = page
    .getByTestId("waiting-order")
    .filter({ hasText: day.zh })
    .filter({ hasText: "14:00–16:00" })
    .filter({ hasText: "文华苑" });
  await expect(waiting).toHaveCount(2);
  const first = (await waiting.nth(0).getAttribute("data-order")) ?? "";
  const second = (await waiting.nth(1).getAttribute("data-order")) ?? "";
  const before = Number(await page.getByTestId("waiting-count").textContent());

  // Assign the first to 李桂 by choosing it, then him.
  const liGui = page.getByTestId("staff-row").filter({ hasText: "李桂" });
  await page.locator(`[data-testid=waiting-order][data-order='${first}']`).getByRole("button", { name: "选择派单" }).click();
  await expect(page.getByTestId("picked")).toContainText("14:00–16:00");
  await liGui.getByRole("button", { name: "派给李桂" }).click();
  await expect(page.getByTestId("assign-done")).toBeVisible();
  await expect(liGui.locator(`[data-testid=job-block][data-order='${first}']`)).toContainText("14:00–16:00");
  await expect(page.getByTestId("waiting-count")).toHaveText(String(before - 1));

  // The second overlaps it: dragged onto 李桂's row, it is refused and stays waiting.
  watch.expectStatus(409);
  const source = page.locator(`[data-testid=waiting-order][data-order='${second}']`);
  await expect(source).toHaveAttribute("draggable", "true");
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  await source.dispatchEvent("dragstart", { dataTransfer });
  await liGui.locator("th").dispatchEvent("dragover", { dataTransfer });
  await liGui.locator("th").dispatchEvent("drop", { dataTransfer });
  await expect(page.getByTestId("assign-refused")).toContainText("时间冲突");
  await expect(page.locator(`[data-testid=waiting-order][data-order='${second}']`)).toHaveCount(1);
  await expect(liGui.locator(`[data-testid=job-block][data-order='${second}']`)).toHaveCount(0);

  // Auto-assign proposes someone else for it; accepting assigns what it proposed.
  await page.getByTestId("auto-preview").click();
  const proposals = page.getByTestId("proposal");
  await expect(proposals.first()).toBeVisible();
  const mine = proposals.filter({ hasText: day.zh }).filter({ hasText: "14:00–16:00" });
  await expect(mine).toHaveCount(1);
  await expect(mine).not.toContainText("李桂");
  await expect(mine).not.toContainText("无人可派");
  await expectAccessible(page);
  // Accept only that one: the other proposals are unticked and stay waiting.
  const boxes = proposals.locator("input[type=checkbox]");
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).uncheck();
  await mine.locator("input[type=checkbox]").check();
  await page.getByTestId("auto-accept").click();
  await expect(page.getByTestId("auto-done")).toContainText("已派出 1 单");
  await expect(page.locator(`[data-testid=waiting-order][data-order='${second}']`)).toHaveCount(0);
  await expect(page.locator(`[data-testid=job-block][data-order='${second}']`)).toHaveCount(1);
});

test("the manager describes a staff member, records leave and sets the travel time", async ({ page, watch }) => {
  await signIn(page, "hexiu");
  await page.getByRole("link", { name: "排班" }).first().click();
  await waitForHydration(page);
  await page.getByRole("link", { name: "员工档案" }).click();
  await expect(page).toHaveURL(/\/companies\/\d+\/staff$/);
  await waitForHydration(page);
  await expectAccessible(page);

  // 杨建华 stops working on Sundays and learns repairs.
  const row = page.getByTestId("staff-profile").filter({ hasText: "杨建华" });
  await row.getByRole("button", { name: "编辑" }).click();
  const editor = page.getByTestId("profile-editor");
  await expect(editor).toContainText("杨建华");
  await editor.getByLabel("维修").check();
  await editor.locator("#start-7").fill("");
  await editor.locator("#end-7").fill("");
  await editor.getByRole("button", { name: "保存档案" }).click();
  await expect(page.getByTestId("profile-saved")).toBeVisible();
  await expect(row).toContainText("维修");
  await expect(row).not.toContainText("周日");

  // Leave that ends before it starts is refused; a proper one is recorded.
  watch.expectStatus(422);
  await page.locator("#leave-person").selectOption({ label: "杨建华" });
  await page.locator("#leave-first").fill("2030-01-10");
  await page.locator("#leave-last").fill("2030-01-08");
  await page.getByRole("button", { name: "登记请假" }).click();
  await expect(page.locator("#leave-last-error")).toContainText("结束日期不能早于开始日期");
  await page.locator("#leave-last").fill("2030-01-12");
  await page.getByRole("button", { name: "登记请假" }).click();
  await expect(page.getByTestId("leave-added")).toBeVisible();
  await expect(page.getByTestId("leave").filter({ hasText: "杨建华" }).filter({ hasText: "2030年1月10日" })).toHaveCount(1);

  // A travel time over four hours is refused; 30 minutes is kept.
  await page.locator("#buffer-minutes").fill("300");
  await page.getByRole("button", { name: "保存" }).last().click();
  await expect(page.locator("#buffer-minutes-error")).toContainText("0 到 240");
  await page.locator("#buffer-minutes").fill("30");
  await page.getByRole("button", { name: "保存" }).last().click();
  await expect(page.getByText("至少留 30 分钟路程时间").first()).toBeVisible();
});
