import { test, expect, expectAccessible, waitForHydration } from "./fixtures";

const WENHUI = "文汇社区城市服务公司";

test.describe("landing page", () => {
  test("lists the companies by street, Wenhui's among them, from the server-rendered HTML", async ({ page, request }) => {
    // Without running any script: the directory is in the HTML itself.
    const html = await (await request.get("/")).text();
    expect(html).toContain(WENHUI);
    expect(html).toContain('lang="zh-CN"');

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("社区城市服务公司");
    await expect(page.getByTestId("company-count")).toHaveText("21");
    await expect(page.getByTestId("street-group")).toHaveCount(7);
    const xian = page.getByTestId("street-group").filter({ hasText: "西安街道" });
    await expect(xian.getByTestId("company").first()).toContainText(WENHUI);
    await expect(xian.getByTestId("company").first()).toContainText("2020年5月18日");
    await expectAccessible(page);
  });

  test("filters by street and by text after hydration", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    const streets = page.getByRole("group", { name: "按街道筛选" });

    await streets.getByRole("button", { name: /西安街道/ }).click();
    await expect(streets.getByRole("button", { name: /西安街道/ })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("street-group")).toHaveCount(1);
    await expect(page.getByTestId("company")).toHaveCount(3);
    await expect(page.getByText("光义社区城市服务公司")).toHaveCount(0);

    await streets.getByRole("button", { name: /全部街道/ }).click();
    await expect(page.getByTestId("street-group")).toHaveCount(7);

    await page.getByLabel("搜索公司或社区").fill("文汇");
    await expect(page.getByTestId("company")).toHaveCount(1);
    await expect(page.getByTestId("company")).toContainText(WENHUI);
    await page.getByLabel("搜索公司或社区").fill("没有这个");
    await expect(page.getByText("没有符合条件的服务公司。")).toBeVisible();
    await expectAccessible(page);
  });

  test("loads a company's two signboards from the server", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    const wenhui = page.getByTestId("company").filter({ hasText: WENHUI });
    const answer = page.waitForResponse((r) => r.url().includes("/api/directory/get_company_profile"));
    await wenhui.getByRole("button", { name: "两块牌子" }).click();
    expect((await answer).status()).toBe(200);
    const signboards = wenhui.getByTestId("signboards");
    await expect(signboards).toContainText("文汇社区党总支");
    await expect(signboards).toContainText("西安街道 › 文汇社区");
    await expect(wenhui.getByRole("button", { name: "两块牌子" })).toHaveAttribute("aria-expanded", "true");
    await expectAccessible(page);

    await wenhui.getByRole("button", { name: "两块牌子" }).click();
    await expect(signboards).toBeHidden();
  });

  test("switches to English and back, remembering the choice", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    await page.getByTestId("lang-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Community city service companies");
    await expect(page.getByText("Wenhui Community City Services Co.")).toBeVisible();
    await expect(page.getByText("18 May 2020")).toBeVisible();
    await expectAccessible(page);

    // The choice survives a reload, and the English page hydrates too.
    await page.reload();
    await waitForHydration(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByRole("group", { name: "Filter by street" }).getByRole("button", { name: /Xi'an Street/ }).click();
    await expect(page.getByTestId("street-group")).toHaveCount(1);

    await page.getByTestId("lang-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("社区城市服务公司");
  });

  test("fits a phone screen without sideways scrolling @phone", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    await expect(page.getByText(WENHUI)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  });
});

test.describe("errors and health", () => {
  test("an unknown address gets a translated 404 page", async ({ page, context, watch }) => {
    watch.expectStatus(404);
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
    await expectAccessible(page);

    await context.addCookies([{ name: "hongye_lang", value: "en", url: page.url() }]);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });

  test("the browser code comes compressed once and is kept for a year; the page is never stored", async ({ page }) => {
    const site: { url: string; encoding?: string; cache?: string; vary?: string }[] = [];
    page.on("response", async (r) => {
      if (new URL(r.url()).pathname.startsWith("/pkg/")) {
        const h = await r.allHeaders();
        site.push({ url: r.url(), encoding: h["content-encoding"], cache: h["cache-control"], vary: h["vary"] });
      }
    });
    const response = await page.goto("/");
    await waitForHydration(page);
    const headers = (await response?.allHeaders()) ?? {};
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["content-encoding"]).toBe("gzip");
    const kinds = site.map((f) => new URL(f.url).pathname.split(".").pop()).sort();
    expect(kinds).toEqual(expect.arrayContaining(["css", "js", "wasm"]));
    for (const file of site) {
      // hongye.<22-character content hash>.wasm
      expect(new URL(file.url).pathname, file.url).toMatch(/^\/pkg\/hongye\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
      expect(file.encoding, file.url).toBe("br");
      expect(file.cache, file.url).toBe("public, max-age=31536000, immutable");
      expect(file.vary, file.url).toContain("accept-encoding");
    }
    // A second visit: the page comes again, the script and wasm from the
    // browser's cache (as Chromium's own network log tells).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    const fetched: string[] = [];
    const cached = new Set<string>();
    cdp.on("Network.requestServedFromCache", (e) => cached.add(e.requestId));
    cdp.on("Network.responseReceived", (e) => {
      if (!new URL(e.response.url).pathname.startsWith("/pkg/")) return;
      if (!(e.response.fromDiskCache || e.response.fromPrefetchCache || cached.has(e.requestId))) {
        fetched.push(e.response.url);
      }
    });
    await page.goto("/login");
    await waitForHydration(page);
    expect(fetched, "site files downloaded again").toEqual([]);
  });

  test("the health check answers when the database does", async ({ request }) => {
    const response = await request.get("/healthz");
    expect(response.status()).toBe(200);
  });

  test("a cross-site POST is refused and changes nothing", async ({ request }) => {
    for (const path of ["/lang", "/api/directory/list_companies"]) {
      const response = await request.post(path, {
        form: { lang: "en", back: "/" },
        headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
        maxRedirects: 0,
      });
      expect(response.status(), path).toBe(403);
      expect(response.headers()["set-cookie"], path).toBeUndefined();
    }
  });

  test("a server function refuses an unknown company with a typed, translated error", async ({ request }) => {
    const response = await request.post("/api/directory/get_company_profile", {
      form: { id: "999999" },
    });
    expect(response.status()).toBe(404);
    expect(await response.json()).toBe("NotFound");
  });
});
