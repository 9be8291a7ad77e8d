import { test, expect, expectAccessible, waitForHydration } from "./fixtures";
import type { Page } from "@playwright/test";

const PASSWORD = "hongye-demo";

async function signIn(page: Page, login: string, password = PASSWORD) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

async function signOut(page: Page) {
  await waitForHydration(page);
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/login$/);
}

test.describe("signing in", () => {
  const roles = [
    { login: "13800000001", home: /\/households\/\d+$/, sees: "household", acting: "居民" },
    { login: "hexiu", home: /\/companies\/\d+$/, sees: "workplace", acting: "总经理" },
    { login: "13800000003", home: /\/estates\/\d+$/, sees: "estate", acting: "业委会" },
    { login: "13800000004", home: /\/companies\/\d+$/, sees: "workplace", acting: "员工" },
    { login: "13800000006", home: /\/companies\/\d+$/, sees: "workplace", acting: "收费员" },
    { login: "13800000005", home: /\/party$/, sees: "party-overview", acting: "党组织" },
    { login: "admin", home: /\/admin$/, sees: "org-street", acting: "区管理员" },
  ];
  for (const role of roles) {
    test(`${role.login} lands on the ${role.sees} home page`, async ({ page }) => {
      await signIn(page, role.login);
      await expect(page).toHaveURL(role.home);
      await expect(page.getByTestId(role.sees).first()).toBeVisible();
      await expect(page.getByTestId("acting-as")).toContainText(role.acting);
      await expectAccessible(page);
    });
  }

  test("a wrong password is told in Chinese, keeps what was typed, and sets no session", async ({ page, watch }) => {
    watch.expectStatus(401);
    await signIn(page, "hexiu", "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "手机号/用户名或密码不对。" })).toBeVisible();
    await expect(page.getByLabel("手机号或用户名")).toHaveValue("hexiu");
    await expect(page).toHaveURL(/\/login$/);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "hongye_session")).toBeUndefined();
  });

  test("a malformed login name gets its message on the field", async ({ page, watch }) => {
    watch.expectStatus(422);
    await signIn(page, "12");
    const field = page.getByLabel("手机号或用户名");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("请填写11位手机号，或以字母开头的用户名。")).toBeVisible();
  });

  test("the session cookie is HttpOnly and SameSite=Lax", async ({ page }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    const session = (await page.context().cookies()).find((c) => c.name === "hongye_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
  });

  test("the login page speaks English on request", async ({ page }) => {
    await page.goto("/login");
    await waitForHydration(page);
    await page.getByTestId("lang-switch").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
    await expect(page.getByLabel("Mobile number or username")).toBeVisible();
    await page.context().clearCookies();
  });
});

test.describe("scopes", () => {
  test("a resident opening another household's address gets a translated 403 page", async ({ page, watch }) => {
    await signIn(page, "13800000001");
    await expect(page).toHaveURL(/\/households\/\d+$/);
    const own = Number(new URL(page.url()).pathname.split("/").pop());
    const other = own === 1 ? 2 : 1;
    watch.expectStatus(403);
    const response = await page.goto(`/households/${other}`);
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("无权查看");
    await expect(page.getByTestId("household")).toHaveCount(0);
    await expectAccessible(page);
  });

  test("signing out, then going back, shows the sign-in page", async ({ page }) => {
    await signIn(page, "13800000003");
    await expect(page).toHaveURL(/\/estates\/\d+$/);
    const home = page.url();
    await signOut(page);
    await page.goBack();
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
    expect(home).toContain("/estates/");
  });

  test("a sign-in link cannot send anyone to another site afterwards", async ({ page, baseURL }) => {
    // The browser drops the tab from "/\t/evil.example" and would read
    // "//evil.example", another site.
    for (const next of ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example/"]) {
      await page.context().clearCookies();
      await page.goto(`/login?next=${next}`);
      await waitForHydration(page);
      await page.getByLabel("手机号或用户名").fill("13800000003");
      await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "登录" }).click();
      await expect(page).toHaveURL(/\/estates\/\d+$/);
      expect(new URL(page.url()).origin, next).toBe(new URL(baseURL ?? "").origin);
    }
    // A path on this site is still where signing in returns.
    await page.context().clearCookies();
    await page.goto("/login?next=%2Faccount");
    await waitForHydration(page);
    await page.getByLabel("手机号或用户名").fill("13800000003");
    await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/account$/);
  });

  test("a cross-origin POST is refused, even with a session", async ({ page }) => {
    await signIn(page, "admin");
    await expect(page).toHaveURL(/\/admin$/);
    const status = await page.evaluate(async () => {
      // A same-origin fetch carries Sec-Fetch-Site: same-origin, so forge the
      // cross-site case from outside the page instead (below).
      return (await fetch("/api/accounts/current_session", { method: "POST" })).status;
    });
    expect(status).toBe(200);
    const forged = await page.request.post("/api/org/close_unit", {
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      data: "kind=street&id=1",
    });
    expect(forged.status()).toBe(403);
  });
});

test.describe("two signboards and switching roles", () => {
  test("the secretary who is also general manager switches to the Party role without signing in again", async ({ page }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    await page.goto("/account");
    await waitForHydration(page);
    const party = page.getByTestId("grant").filter({ hasText: "党组织" });
    await party.getByRole("button", { name: "切换到此身份" }).click();
    await expect(page).toHaveURL(/\/party$/);
    await expect(page.getByTestId("acting-as")).toContainText("党组织");
    await expect(page.getByTestId("overseen-company")).toContainText("文汇社区城市服务公司");
  });

  test("the roster shows each person's posts on both signboards side by side", async ({ page }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    await page.goto("/roster");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("一套人马、两块牌子");
    const secretary = page.getByTestId("roster-line").filter({ hasText: "和秀" });
    await expect(secretary).toContainText("总经理");
    await expect(secretary).toContainText("党总支书记");
    await expect(secretary).toContainText("一人两岗");
    await expectAccessible(page);
  });
});

test.describe("administration", () => {
  test("an account with a one-time password must change it at first sign-in", async ({ page }) => {
    await signIn(page, "admin");
    await expect(page).toHaveURL(/\/admin$/);
    await page.goto("/admin/people");
    await waitForHydration(page);
    const phone = `139${String(Date.now()).slice(-8)}`;
    await page.getByLabel("姓名").fill("新来的保洁员");
    await page.getByLabel("手机号").fill(phone);
    await page.getByRole("button", { name: "新建", exact: true }).click();
    const issued = page.getByTestId("issued-password");
    await expect(issued).toContainText(phone);
    const oneTime = /一次性密码：(\S+)（/.exec((await issued.textContent()) ?? "")?.[1];
    expect(oneTime).toBeTruthy();
    await expect(page.getByTestId("person").filter({ hasText: "新来的保洁员" })).toContainText("待改密码");
    await signOut(page);

    await signIn(page, phone, oneTime!);
    await expect(page).toHaveURL(/\/account\/password$/);
    await expect(page.getByTestId("password-forced")).toBeVisible();
    await waitForHydration(page);
    await page.getByLabel("当前密码").fill(oneTime!);
    await page.getByLabel("新密码", { exact: true }).fill("my own passphrase");
    await page.getByLabel("再输一次新密码").fill("my own passphrase");
    await page.getByRole("button", { name: "修改密码" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText("这个账号还没有任何身份，请联系区管理员。")).toBeVisible();
  });

  test("renaming a unit is logged with before and after, and shown in the audit log", async ({ page }) => {
    await signIn(page, "admin");
    await expect(page).toHaveURL(/\/admin$/);
    await waitForHydration(page);
    const street = page.getByTestId("org-street").filter({ hasText: "金山街道" }).first();
    const unit = street.getByTestId("org-unit").first();
    await unit.locator("summary", { hasText: "改名" }).click();
    await unit.getByLabel("英文名称").fill("Jinshan Subdistrict");
    await unit.getByRole("button", { name: "保存" }).click();
    await page.goto("/audit?entity=street");
    const entry = page.getByTestId("audit-entry").first();
    await expect(entry).toContainText("赵明");
    await expect(entry).toContainText("改名");
    await expect(entry).toContainText("Jinshan Subdistrict");
    await expectAccessible(page);
  });
});

test("a resident reads their household on a phone @phone", async ({ page }) => {
  await signIn(page, "13800000001");
  await expect(page).toHaveURL(/\/households\/\d+$/);
  await expect(page.getByTestId("household")).toContainText("玉泉花园");
  await expect(page.getByTestId("household")).toContainText("文汇社区党总支");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
});
