import { defineConfig, devices } from "@playwright/test";

// The suite runs in Debian's Chromium (a downloaded browser cannot be fetched
// here) against scripts/e2e-server, which serves the build named by
// HONGYE_PROFILE with a fresh demo database.
const port = Number(process.env.E2E_PORT ?? 3100);
// The day, in China, the server and the tests run on, whatever the machine's
// date (the server's clock is moved by whole days; see tests/fixtures.ts).
process.env.HONGYE_TODAY ??= "2026-11-25";
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    // Recording a trace costs every test time; one is kept when a failed test
    // is retried (`npx playwright test --retries 1`).
    trace: "on-first-retry",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, grepInvert: /@phone/ },
    { name: "phone", use: { ...devices["Pixel 7"], channel: undefined }, grep: /@phone/ },
  ],
  webServer: {
    command: "../scripts/e2e-server",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_PORT: String(port), HONGYE_TODAY: process.env.HONGYE_TODAY },
  },
});
