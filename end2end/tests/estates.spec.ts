import { test, expect, expectAccessible, waitForHydration } from "./fixtures";
import type { Browser, Page } from "@playwright/test";

async function signIn(page: Page, login: string, password = "hongye-demo") {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** The manager's estate page for 玉泉花园, reached from the company's home. */
async function openYuquan(page: Page) {
  await page.goto("/estates");
  await waitForHydration(page);
  await page.getByRole("link", { name: "玉泉花园" }).click();
  await expect(page).toHaveURL(/\/estates\/\d+$/);
  await waitForHydration(page);
}

async function chooseFile(page: Page, name: string, content: string | Buffer) {
  const buffer = typeof content === "string" ? Buffer.from(content, "utf-8") : content;
  await page.locator("#import-file").setInputFiles({ name, mimeType: "text/csv", buffer });
  await page.getByRole("button", { name: "检查文件" }).click();
}

test.describe("estates", () => {
  test("a manager records an estate, imports buildings and a CSV with two bad rows, fixes it, and the households appear", async ({ page, watch }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    await page.goto("/estates");
    await waitForHydration(page);
    await expect(page.getByTestId("estate-row")).toHaveCount(3);

    // A new estate, taken over today.
    const name = `象山新村${Date.now() % 100000}`;
    const form = page.locator("section", { has: page.getByRole("heading", { name: "登记接管的小区" }) });
    await form.getByLabel("小区名称").fill(name);
    await form.getByLabel("联系电话").fill("12345");
    watch.expectStatus(422);
    await form.getByRole("button", { name: "登记接管的小区" }).click();
    await expect(form.getByText("电话号码格式不对")).toBeVisible();
    await form.getByLabel("联系电话").fill("13900001111");
    await form.getByRole("button", { name: "登记接管的小区" }).click();
    await expect(page).toHaveURL(/\/estates\/\d+$/);
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await waitForHydration(page);

    // Its takeover record.
    await page.getByText("填写接管记录").click();
    await page.getByLabel("接管前状态").selectOption("overlooked");
    await page.getByLabel("接管日期").fill("2026-11-01");
    await page.getByLabel("临时服务协议").fill("临时服务协议 WH-2026-07");
    await page.getByLabel("照明").selectOption("absent");
    await page.getByRole("button", { name: "保存" }).click();
    const takeover = page.getByTestId("takeover");
    await expect(takeover).toContainText("漏管（从未有物业）");
    await expect(takeover).toContainText("WH-2026-07");
    await expect(takeover).toContainText("缺失");

    // Import: buildings first.
    await page.getByRole("link", { name: "批量导入" }).click();
    await expect(page.getByRole("heading", { name: "批量导入" })).toBeVisible();
    await waitForHydration(page);
    await expect(page.getByTestId("template-link")).toHaveAttribute("download", "hongye-households.csv");
    await expectAccessible(page);
    await page.getByLabel("楼栋", { exact: true }).check();
    await chooseFile(page, "buildings.csv", "楼栋,楼栋长,楼栋长电话\n9栋,王五,13900009999\n");
    await page.getByTestId("import-commit").click();
    await expect(page.getByTestId("import-done")).toContainText("已导入 1 行");

    // A households file from Excel in GBK is refused with what to do.
    await page.getByLabel("住户（房屋）").check();
    // "楼栋,单元" in GBK: not UTF-8.
    const gbk = Buffer.from([0xc2, 0xa5, 0xb6, 0xb0, 0x2c, 0xb5, 0xa5, 0xd4, 0xaa, 0x0a, 0x39, 0x0a]);
    await chooseFile(page, "gbk.csv", gbk);
    await expect(page.getByText("文件编码不是UTF-8")).toBeVisible();
    // A 10 MB junk file is refused before it is sent.
    await chooseFile(page, "junk.csv", Buffer.alloc(10 * 1024 * 1024, 0x41));
    await expect(page.getByText("文件太大")).toBeVisible();

    // Two bad rows: a negative area and an unknown building.
    const bad =
      "楼栋,单元,房号,建筑面积(㎡),空置\n" +
      "9栋,1单元,101,89.5,否\n" +
      "9栋,1单元,102,-80,否\n" +
      "8栋,1单元,101,80,否\n" +
      "9栋,1单元,103,75.25,是\n";
    await chooseFile(page, "households.csv", bad);
    await expect(page.getByTestId("import-summary")).toContainText("共 4 行，2 行有问题");
    const badRows = page.getByTestId("bad-row");
    await expect(badRows).toHaveCount(2);
    await expect(badRows.nth(0)).toContainText("面积不对");
    await expect(badRows.nth(1)).toContainText("没有这个楼栋");
    await expect(page.getByTestId("import-commit")).toHaveCount(0);

    // Fixed and imported at once.
    const fixed = bad.replace("9栋,1单元,102,-80,否", "9栋,1单元,102,80,否").replace("8栋,1单元,101", "9栋,1单元,104");
    await chooseFile(page, "households.csv", fixed);
    await expect(page.getByTestId("import-summary")).toContainText("共 4 行，0 行有问题");
    await page.getByTestId("import-commit").click();
    await expect(page.getByTestId("import-done")).toContainText("已导入 4 行");

    await page.getByTestId("import-done").getByRole("link", { name: "返回小区" }).click();
    await expect(page.getByTestId("estate-households")).toHaveText("4");
    const building = page.getByTestId("building").filter({ hasText: "9栋" });
    await expect(building).toContainText("王五");
    await expect(building.getByTestId("room")).toHaveCount(4);
    await expect(building.getByTestId("room").first()).toContainText("89.50㎡");
  });

  test("a resident self-registers from the QR poster and the manager approves", async ({ page, browser }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    await openYuquan(page);
    await page.getByRole("link", { name: "入户登记二维码" }).click();
    await expect(page.getByTestId("poster")).toContainText("扫码登记入户");
    await expect(page.locator(".poster-qr svg")).toHaveCount(1);
    const url = (await page.getByTestId("poster-url").textContent()) ?? "";
    const joinPath = new URL(url).pathname;
    expect(joinPath).toMatch(/^\/join\/[0-9a-f]+$/);

    // The resident, not signed in, on the poster's page.
    const resident = await (browser as Browser).newPage();
    await resident.goto(joinPath);
    await waitForHydration(resident);
    await expect(resident.getByTestId("join")).toContainText("玉泉花园");
    await resident.getByLabel("楼栋").selectOption("3栋");
    await resident.getByLabel("单元和房号").selectOption({ label: "1单元201" });
    await resident.getByLabel("姓名").fill("李新");
    await resident.getByLabel("电话").fill("13955550001");
    await resident.getByLabel("电子邮箱").fill("lixin@example.cn");
    await resident.getByLabel("关系").selectOption("owner");
    await resident.getByLabel("设置登录密码").fill("li-xin-2026!");
    await resident.getByRole("button", { name: "提交申请" }).click();
    await expect(resident.getByTestId("join-done")).toBeVisible();

    // The manager sees it waiting and approves it.
    await openYuquan(page);
    await page.getByTestId("registrations-link").click();
    const request = page.getByTestId("registration").filter({ hasText: "李新" });
    await expect(request).toContainText("3栋1单元201");
    await expect(request).toContainText("待审核");
    await waitForHydration(page);
    await request.getByRole("button", { name: "通过" }).click();
    await expect(request).toContainText("已通过");

    // The answer went to the outbox.
    await page.goto("/outbox");
    await expect(page.getByTestId("outbox-entry").filter({ hasText: "lixin@example.cn" }).first()).toContainText(
      "登记已通过：玉泉花园",
    );

    // The resident signs in with the chosen password and sees their household.
    await resident.context().clearCookies();
    await signIn(resident, "13955550001", "li-xin-2026!");
    await expect(resident).toHaveURL(/\/households\/\d+$/);
    await expect(resident.getByTestId("household")).toContainText("3栋");
    await expect(resident.getByTestId("resident").filter({ hasText: "李新" })).toContainText("业主");
    await resident.close();
  });

  test("a committee chair sees only their estate, with phones masked", async ({ page, watch }) => {
    await signIn(page, "13800000003");
    await expect(page).toHaveURL(/\/estates\/\d+$/);
    const own = Number(new URL(page.url()).pathname.split("/").pop());
    await expect(page.getByRole("heading", { name: "玉泉花园" })).toBeVisible();
    const committee = page.getByTestId("committee");
    await expect(committee.getByTestId("committee-member").filter({ hasText: "杨春" })).toContainText("主任");
    await expect(committee.getByTestId("committee-member").filter({ hasText: "杨春" })).toContainText("党员");
    await expect(page.getByTestId("committee-history")).toBeVisible();
    // No manager's tools.
    await expect(page.getByRole("link", { name: "批量导入" })).toHaveCount(0);
    await expect(page.getByText("登记新一届业委会")).toHaveCount(0);

    await page.goto("/estates");
    await expect(page.getByTestId("estate-row")).toHaveCount(1);
    await expect(page.getByTestId("estate-row")).toContainText("玉泉花园");

    // A household of the estate: residents' phones are masked for the committee.
    await page.goto(`/estates/${own}`);
    await page
      .getByTestId("building")
      .filter({ has: page.getByRole("heading", { name: /^2栋/ }) })
      .getByTestId("room")
      .filter({ hasText: "1单元301" })
      .getByRole("link")
      .click();
    await expect(page).toHaveURL(/\/households\/\d+$/);
    await expect(page.getByTestId("resident").first()).toContainText("****");

    // Another estate is refused.
    watch.expectStatus(403);
    const response = await page.goto(`/estates/${own + 1}`);
    expect(response?.status()).toBe(403);
  });

  test("the QR poster's page works on a phone @phone", async ({ page }) => {
    await signIn(page, "hexiu");
    await expect(page).toHaveURL(/\/companies\/\d+$/);
    await openYuquan(page);
    await page.getByRole("link", { name: "入户登记二维码" }).click();
    const url = (await page.getByTestId("poster-url").textContent()) ?? "";
    await page.context().clearCookies();
    await page.goto(new URL(url).pathname);
    await waitForHydration(page);
    await expect(page.getByTestId("join")).toBeVisible();
    await page.getByLabel("楼栋").selectOption("2栋");
    await expect(page.getByLabel("单元和房号").locator("option", { hasText: "1单元301" })).toHaveCount(1);
    await expectAccessible(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
  });
});
