// End-to-end test of the page in Debian Chromium driven by playwright-core.
// Run by `make test-e2e` after `make site`. Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = fileURLToPath(new URL("../..", import.meta.url));
const www = join(root, "www");
const artifacts = join(root, "tests/e2e/artifacts");
const require = createRequire(join(root, ".tools/package.json"));
const { chromium } = require("playwright-core");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".nlix": "application/octet-stream",
};

let server, browser, base;

before(async () => {
  server = http.createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(www, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(www)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  await mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("the page loads the prebuilt index, searches, and keeps the console empty", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  const loaded = [];
  page.on("response", (r) => loaded.push(`${r.status()} ${new URL(r.url()).pathname}`));
  await page.goto(base);
  await page.waitForSelector("#articles li");
  assert.equal(await page.locator("#articles li").count(), 5);
  assert.equal(await page.textContent("#status"), "5 articles ready.");
  assert.ok(loaded.includes("200 /index.nlix"), `prebuilt index not loaded: ${loaded}`);
  assert.equal(await page.textContent("#reader .title"),
    "Rainsy Wants to Defend Kem Sokha’s ‘Mistress’ From Attacks");
  await page.click("#articles li:nth-child(3) button");
  assert.equal(await page.textContent("#reader .publisher"), "Cambodian Journalists Alliance Association");
  await page.click("#articles li:nth-child(2) button");
  assert.equal(await page.textContent("#reader .dateline"), "PHNOM PENH");
  await page.fill("input[type=search]", "Chandar");
  await page.waitForSelector("[data-result]");
  assert.equal(await page.locator("[data-result]").count(), 1);
  assert.deepEqual(await page.locator("[data-result] mark").allTextContents(), ["Chandaraty"]);
  await page.fill("input[type=search]", "\"rescue party\" -france");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("0 of"));
  await page.fill("input[type=search]", "sokah ");
  await page.waitForFunction(() => document.querySelectorAll("[data-result]").length === 5);
  await page.screenshot({ path: join(artifacts, "page.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, "page-phone.png") });
  assert.deepEqual(messages, []);
});
