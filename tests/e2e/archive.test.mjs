// A published archive (`newslens publish`) in Chromium, served with 20 ms added to every
// request: the archive page answers every kind of query as the in-memory corpus of the same
// articles does (same names, same order), fetching a small part of the archive.
// Run by `make test-e2e` after `make site` (the release binary publishes).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, launch } from "../common/browser.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bbc = join(root, "../shared/data/bbc");
const out = join(root, "target/e2e-archive");

let server, browser, base;
const requests = [];

// The articles: the BBC set when ../shared is there (2,225), else the bundled ones.
const source = existsSync(bbc) ? bbc : join(root, "www/corpus");

function files(dir, every = false) {
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (every) found.push(p);
      else if (!name.startsWith(".") && !/^(README|LICENSE)/i.test(name) && /\.(txt|html?|jsonl)$/.test(name)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

before(async () => {
  rmSync(out, { recursive: true, force: true });
  // Pairs of adjacent words for words in 300 articles or more (2 for the bundled ones), so
  // phrases of common words are matched by their pairs here too.
  const pairDf = source === bbc ? "300" : "2";
  execFileSync(join(root, "target/release/newslens"), ["publish", source, "--out", out, "--pair-df", pairDf, "--page", join(root, "www")], { stdio: "inherit" });
  ({ server, base } = await serve(out, { delay: 20, requests }));
  browser = await launch(root);
});

after(async () => {
  await browser?.close();
  server?.close();
});

const QUERIES = [
  "government", "economy growth", "mobile phone", "\"prime minister\"", "\"the government\"",
  "\"in the\"", "\"said that the\"", "\"of the party\"",
  "blair -brown", "goverment", "elec", "film*", "film OR music", "title:oil",
  "technology companies", "bank interest rates", "chelsea -arsenal", "sokha", "rainsy party",
  "zzzz unknown", "the", "person:\"Tony Blair\"", "org:labour election", "place:iraq -war",
];

test("a published archive answers every kind of query like the corpus, fetching little", { timeout: 240000 }, async () => {
  const page = await browser.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(base);
  await page.waitForSelector("body[data-ready=yes]");
  const manifestBytes = readFileSync(join(out, "manifest")).length;
  // The in-memory corpus of the same files, in the same order, in the same page.
  const inputs = files(source).map((p) => [relative(source, p), readFileSync(p).toString("base64")]);
  const cold = [];
  const got = await page.evaluate(async ({ inputs, queries }) => {
    const { Corpus } = await import("./pkg/newslens.js");
    const corpus = new Corpus();
    for (const [name, b64] of inputs) {
      corpus.addFile(name, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    }
    const reader = window.newslensArchive;
    const { Archive } = await import("./pkg/newslens.js");
    const { ArchiveReader } = await import("./archive-reader.js");
    const out = [];
    for (const q of queries) {
      // First hits, on a reader that has fetched nothing yet.
      const fresh = await ArchiveReader.open(Archive, ".");
      const f = await fresh.searchFirst(q, { limit: 10 });
      const first = {
        total: f.total, exact: f.exact,
        headsOnly: [...fresh.loading.keys()].some((n) => n.startsWith("h/")) && ![...fresh.loading.keys()].some((n) => n.startsWith("p/")),
        names: f.hits.map((h) => h.name), snippets: f.hits.map((h) => h.snippet.map((s) => s.text).join("")),
      };
      const [bytes, t0] = [reader.bytes, performance.now()];
      const a = await reader.search(q, { limit: 10 });
      const ms = performance.now() - t0;
      const c = corpus.search(q, { limit: 10 });
      out.push({
        q, ms, bytes: reader.bytes - bytes, first,
        archive: { total: a.total, names: a.hits.map((h) => h.name), snippets: a.hits.map((h) => h.snippet.map((s) => s.text).join("")) },
        corpus: { total: c.total, names: c.hits.map((h) => h.name), snippets: c.hits.map((h) => h.snippet.map((s) => s.text).join("")) },
      });
    }
    return out;
  }, { inputs, queries: QUERIES });
  let fromHeads = 0;
  for (const r of got) {
    assert.deepEqual(r.archive, r.corpus, r.q);
    cold.push(r.ms);
    // The first hits are the whole answer's; the total too when said exact.
    assert.deepEqual([r.first.names, r.first.snippets], [r.corpus.names, r.corpus.snippets], `${r.q} (first)`);
    if (r.first.exact) assert.equal(r.first.total, r.corpus.total, `${r.q} (first total)`);
    else assert.ok(r.first.total <= r.corpus.total, `${r.q} (first total)`);
    if (r.first.headsOnly) fromHeads += 1;
  }
  if (source === bbc) assert.ok(fromHeads > 0, "some first hits come from heads, without postings files");
  // The same queries again: everything they need is loaded.
  const warm = await page.evaluate(async (queries) => {
    const reader = window.newslensArchive;
    const times = [];
    for (const q of queries) {
      const [bytes, t0] = [reader.bytes, performance.now()];
      await reader.search(q, { limit: 10 });
      times.push({ ms: performance.now() - t0, bytes: reader.bytes - bytes });
    }
    return times;
  }, QUERIES);
  assert.ok(warm.every((w) => w.bytes === 0), "a repeated query fetches nothing");
  // The page itself: typing shows results and what was fetched.
  await page.fill("#q", "prime minister");
  await page.waitForFunction(() => /articles match/.test(document.getElementById("status").textContent));
  assert.ok(await page.locator("#results li").count() > 0);
  // A hit opens in the reader, its words marked, from the records the results fetched.
  const before = await page.evaluate(() => window.newslensArchive.requests);
  await page.click("#results li:first-child button");
  await page.waitForSelector("#reader:not([hidden]) .title");
  assert.ok(await page.locator("#reader mark").count() > 0);
  assert.equal(await page.evaluate(() => window.newslensArchive.requests), before);
  const total = files(out, true).filter((p) => !p.includes("/pkg/")).reduce((n, p) => n + statSync(p).size, 0);
  const firstBytes = Math.max(...got.map((r) => r.bytes)) + manifestBytes;
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
  console.log(`archive: ${got.length} queries; the most one cold query fetched: ${(firstBytes / 1024).toFixed(0)} KB with the manifest (archive: ${(total / 1024).toFixed(0)} KB); cold p95 ${p95(cold).toFixed(0)} ms, warm p95 ${p95(warm.map((w) => w.ms)).toFixed(1)} ms (20 ms per request)`);
  assert.ok(firstBytes < total / 4, "a query fetches a small part of the archive");
  assert.deepEqual(messages, []);
  await page.close();
});

test("an archive that cannot be fetched or is damaged says so", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}index.html?archive=${encodeURIComponent(`${base}missing/`)}`);
  await page.waitForFunction(() => /could not be opened/.test(document.getElementById("status").textContent));
  await page.close();
});
