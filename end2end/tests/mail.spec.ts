import { test, expect, expectAccessible, waitForHydration } from "./fixtures";

async function signIn(page: import("@playwright/test").Page, login: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
}

test.describe("mail", () => {
  test("a manager sets an address, sends a test mail, and sees it sent in the outbox", async ({ page, watch }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);

    // Without an address the test mail is refused with a clear message.
    await page.goto("/outbox");
    await waitForHydration(page);
    watch.expectStatus(409);
    await page.getByTestId("send-test-mail").click();
    await expect(page.getByText("请先在“我的账号”里填写电子邮箱。")).toBeVisible();

    await page.goto("/account");
    await waitForHydration(page);
    const prefs = page.getByTestId("mail-preferences");
    await prefs.getByLabel("电子邮箱").fill("hexiu@localhost");
    watch.expectStatus(422);
    await prefs.getByRole("button", { name: "保存设置" }).click();
    await expect(prefs.getByText("电子邮箱格式不对。")).toBeVisible();
    await prefs.getByLabel("电子邮箱").fill("hexiu@wenhui.example.cn");
    await prefs.getByRole("button", { name: "保存设置" }).click();
    await expect(prefs.getByText("已保存。")).toBeVisible();

    await page.goto("/outbox");
    await waitForHydration(page);
    await page.getByTestId("send-test-mail").click();
    await expect(page.getByText("测试邮件已进入发件箱。")).toBeVisible();
    const entry = page.getByTestId("outbox-entry").filter({ hasText: "红业测试邮件" }).first();
    await expect(entry).toContainText("hexiu@wenhui.example.cn");
    // The worker sends within seconds (to .eml files, as no SMTP is configured).
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("outbox-entry").filter({ hasText: "红业测试邮件" }).first()).toContainText("已发送");
    }).toPass({ timeout: 20_000 });
    await expectAccessible(page);
  });

  test("a residents' unsubscribe link asks before it changes anything", async ({ page, watch }) => {
    await page.goto("/mail/unsubscribe/not-a-real-token/reminders");
    await waitForHydration(page);
    await expect(page.getByText("不再接收上门提醒邮件？")).toBeVisible();
    watch.expectStatus(404);
    await page.getByRole("button", { name: "确认退订" }).click();
    await expect(page.getByText("找不到要查看的内容。")).toBeVisible();
    await expectAccessible(page);
  });
});
