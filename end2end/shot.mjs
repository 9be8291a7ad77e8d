import { chromium } from "@playwright/test";
const [,, login, path, out, width] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const page = await browser.newPage({ viewport: { width: Number(width || 1280), height: 900 }, locale: "zh-CN" });
const base = "http://127.0.0.1:3200";
if (login !== "-") {
  await page.goto(base + "/login");
  await page.waitForTimeout(1500);
  await page.getByLabel("手机号或用户名").fill(login);
  await page.getByLabel("密码", { exact: true }).fill("hongye-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForTimeout(1500);
}
await page.goto(base + path);
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
console.log(page.url());
await browser.close();
