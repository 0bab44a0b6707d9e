// The page as a workbench: dates and the timeline, the URL as the view's state, corrections
// to the entities surviving a reload and undone, exports downloaded and read back, an index
// exported and opened again. Served, and (the parts that need no storage) from file://.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve, launch } from "../common/browser.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = join(root, "tests/e2e/artifacts");
let server, browser, base;

before(async () => {
  ({ server, base } = await serve(join(root, "www")));
  browser = await launch(root);
  await mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Articles with known dates: two plain-text files with datelines, a JSON Lines file whose
// records carry `published`, and one undated file. All mention the harbour.
const dated = [
  ["plan.txt", "Harbour plan approved\n\nKAMPOT, June 3, 2017 - Governor Mao Sokhan approved the harbour plan with Apsara Shipping Ltd on Monday.\n"],
  ["works.txt", "Harbour works begin\n\nKAMPOT, Jan. 15, 2018 - Works on the harbour began last month. Governor Sokhan thanked Apsara Shipping Ltd.\n"],
  ["port.jsonl",
    '{"id":"r1","title":"Harbour traffic grows","published":"2019-11-19","text":"Traffic at the harbour grew, Mao Sokhan said."}\n' +
    '{"id":"r2","title":"Harbour fees cut","published":"2019-12-02","text":"The harbour cut its fees for fishing boats."}\n'],
  ["notes.txt", "Harbour notes\n\nNotes on the harbour, undated.\n"],
];

async function open(url, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await ready(page);
  return { page, messages };
}

// The page has started (its status says so, or counts the shared link's matches).
async function ready(page) {
  await page.waitForSelector("#articles li");
  await page.waitForFunction(() => / articles (ready|match)\./.test(document.querySelector("#status").textContent));
}

function forgetStored(page) {
  return page.evaluate(() => Promise.all(["newslens", "newslens-curation"].map((name) =>
    new Promise((ok) => {
      const r = indexedDB.deleteDatabase(name);
      r.onsuccess = r.onerror = r.onblocked = ok;
    }))));
}

async function addDated(page) {
  await page.setInputFiles("#files", dated.map(([name, text]) =>
    ({ name, mimeType: "text/plain", buffer: Buffer.from(text) })));
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Added 4 file(s)"));
}

async function query(page, q) {
  await page.fill("#q", q);
  await page.waitForFunction(() => /articles match/.test(document.querySelector("#status").textContent));
}

const titles = (page) => page.locator("[data-result] .hit-title").allTextContents();
const dates = (page) => page.locator("[data-result] .hit-date").allTextContents();

// Dates, the timeline and its period filter, date filters and order in the query language.
async function exerciseTime(page) {
  await query(page, "harbour sort:date");
  assert.deepEqual(await titles(page), ["Harbour fees cut", "Harbour traffic grows",
    "Harbour works begin", "Harbour plan approved", "Harbour notes"]);
  assert.deepEqual(await dates(page), ["2019-12-02", "2019-11-19", "2018-01-15", "2017-06-03"]);
  await query(page, "harbour after:2018 before:2019-12 sort:oldest");
  assert.deepEqual(await titles(page), ["Harbour works begin", "Harbour traffic grows"]);
  // The timeline of the matches: months from June 2017 to December 2019.
  await query(page, "harbour");
  const bars = page.locator('[data-timeline="articles"] button[data-period]');
  assert.equal(await bars.count(), 31);
  assert.equal(await bars.first().getAttribute("data-period"), "2017-06");
  assert.equal(await page.locator('[data-timeline="articles"] [data-period="2019-11"]').getAttribute("data-count"), "1");
  assert.match(await page.textContent("#timeline"), /1 undated/);
  // A click on a period filters the search to it.
  await page.click('[data-timeline="articles"] [data-period="2019-11"]');
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("1 of"));
  assert.equal(await page.inputValue("#q"), "harbour after:2019-11 before:2019-12");
  assert.deepEqual(await titles(page), ["Harbour traffic grows"]);
}

test("dates, the timeline and date filters; the view in the URL, Back and Forward", async () => {
  const { page, messages } = await open(base);
  await forgetStored(page);
  await page.reload();
  await page.waitForSelector("#articles li");
  await addDated(page);
  await exerciseTime(page);
  // Opening a result: the article and the query in the URL; Back and Forward.
  await query(page, "harbour sort:oldest");
  await page.click('[data-result]:has-text("Harbour plan approved") .snippet');
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour plan approved");
  const first = page.url();
  assert.match(first, /#q=harbour%20sort%3Aoldest&a=\d+$/);
  await page.click('[data-result]:has-text("Harbour fees cut")');
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour fees cut");
  const box = await page.locator("#reader .title").boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 860, JSON.stringify(box));
  // Relative dates resolved against the article's own date.
  await page.click('[data-result]:has-text("Harbour works begin")');
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour works begin");
  assert.match(await page.textContent("#reader"), /last month \(2017-12\)/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour fees cut");
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour plan approved");
  assert.equal(page.url(), first);
  await page.goForward();
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour fees cut");
  // A shared link reopens the same view in a new tab.
  const shared = page.url();
  const other = { page: await page.context().newPage(), messages: [] };
  other.page.on("console", (m) => other.messages.push(`${m.type()}: ${m.text()}`));
  await other.page.goto(shared);
  await ready(other.page);
  await other.page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Harbour fees cut");
  assert.equal(await other.page.inputValue("#q"), "harbour sort:oldest");
  assert.equal(await other.page.locator("[data-result]").count(), 5);
  await page.screenshot({ path: join(artifacts, "workbench.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone the reader stands in for the results, with a way back.
  assert.equal(await page.locator("#hits").isVisible(), false);
  await page.screenshot({ path: join(artifacts, "workbench-phone.png") });
  await page.click("#reader .back");
  assert.equal(await page.locator("#hits").isVisible(), true);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  await forgetStored(page);
  assert.deepEqual([...messages, ...other.messages], []);
  await other.page.close();
  await page.close();
});

// Opens the article with this headline from a search.
async function read(page, title) {
  await query(page, "harbour");
  await page.click(`[data-result]:has-text("${title}")`);
  await page.waitForFunction((t) => document.querySelector("#reader .title")?.textContent === t, title);
}

// The entities marked in the article with this headline: "LABEL name" each.
async function marked(page, title) {
  await read(page, title);
  return page.locator("#reader mark[data-entity]").evaluateAll((ms) =>
    [...new Set(ms.map((m) => `${m.dataset.label} ${m.dataset.entity}`))]);
}

// The selected entity's panel, and a correction made through it.
async function correct(page, [title, entity], action, fill) {
  await read(page, title);
  await page.locator(`#reader mark[data-entity="${entity}"]`).first().click();
  await page.waitForFunction((e) => document.querySelector("#entity-view-h")?.textContent === e, entity);
  await page.locator("#curate summary").click();
  if (fill) await fill();
  const before = Number((await page.textContent("#curation-count")).match(/^\d+/)?.[0] ?? 0);
  await page.click(`[data-action="${action}"]`);
  // Done when the change is counted (and, for a hide, when the page has said so).
  await page.waitForFunction(([n, hide]) =>
    document.querySelector("#curation-count").textContent.startsWith(`${n} correction`) &&
    (!hide || / is hidden\./.test(document.querySelector("#status").textContent)), [before + 1, action === "hide"]);
}


test("corrections to the entities: each applies everywhere, survives a reload and is undone", { timeout: 120000 }, async () => {
  const { page, messages } = await open(base);
  await forgetStored(page);
  await page.reload();
  await page.waitForSelector("#articles li");
  await addDated(page);
  const works = "Harbour works begin";
  const original = await marked(page, works);
  // The machine took "Governor Sokhan" for Mao Sokhan.
  assert.ok(original.includes("PERSON Mao Sokhan"), String(original));
  const apsara = original.find((m) => m.startsWith("ORG Apsara")).slice(4);
  const steps = [
    // ([headline, entity], action, form filling, what must hold after, and after a reload)
    [[works, "Mao Sokhan"], "split", () => page.selectOption("#split-alias", "Sokhan"), async () => {
      assert.ok((await marked(page, works)).includes("PERSON Sokhan"));
      assert.ok(!(await marked(page, works)).includes("PERSON Mao Sokhan"));
    }],
    [[works, "Sokhan"], "merge", () => page.fill("#merge-into", "Mao Sokhan"), async () => {
      assert.ok((await marked(page, works)).includes("PERSON Mao Sokhan"));
      assert.ok(!(await marked(page, works)).includes("PERSON Sokhan"));
    }],
    [["Harbour plan approved", "Mao Sokhan"], "rename", () => page.fill("#rename-to", "Governor Mao Sokhan"), async () => {
      assert.ok((await marked(page, "Harbour plan approved")).includes("PERSON Governor Mao Sokhan"));
      await query(page, 'person:"Governor Mao Sokhan"');
      assert.equal(await page.locator("[data-result]").count(), 3);
    }],
    [["Harbour plan approved", "Governor Mao Sokhan"], "relabel", () => page.selectOption("#relabel-to", "ORG"), async () => {
      assert.ok((await marked(page, "Harbour plan approved")).includes("ORG Governor Mao Sokhan"));
    }],
    [[works, apsara], "hide", null, async () => {
      assert.ok(!(await marked(page, works)).some((m) => m.includes("Apsara")));
      assert.equal(await page.locator(`#entity-lists [data-entity="${apsara}"]`).count(), 0);
    }],
  ];
  for (const [where, action, fill, check] of steps) {
    await correct(page, where, action, fill);
    await check();
    // Kept in IndexedDB, applied on every load.
    await page.reload();
    await ready(page);
    await check();
  }
  assert.match(await page.textContent("#curation-count"), /^5 correction/);
  // The corrections as a file, then undone one by one back to the machine's entities.
  const download = page.waitForEvent("download");
  await page.click('[data-export="curation"]');
  const saved = JSON.parse(await readFile(await (await download).path(), "utf8"));
  assert.deepEqual(saved.changes.map((c) => c.op), ["split", "merge", "rename", "relabel", "hide"]);
  for (let i = 0; i < 5; i++) await page.click('[data-action="undo"]');
  assert.equal(await page.locator('[data-action="undo"]').isDisabled(), true);
  assert.deepEqual(await marked(page, works), original);
  await page.reload();
  await ready(page);
  assert.deepEqual(await marked(page, works), original);
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

// Parses CSV (RFC 4180) into rows.
function csv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = ""; }
    else field += c;
  }
  return rows;
}

async function exported(page, what) {
  const download = page.waitForEvent("download");
  await page.click(`[data-export="${what}"]`);
  const d = await download;
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

test("exports: entities and results as CSV and JSON, the corpus as an index that opens again", async () => {
  const { page, messages } = await open(base);
  await query(page, "sokha");
  const total = Number((await page.textContent("#status")).match(/^(\d+) of/)[1]);
  const entities = csv((await exported(page, "entities-csv")).bytes.toString("utf8"));
  assert.deepEqual(entities[0], ["entity", "label", "aliases", "mentions", "articles", "first", "last"]);
  const sokha = entities.find((r) => r[0] === "Kem Sokha");
  assert.ok(sokha && sokha[1] === "PERSON" && Number(sokha[3]) > 5, JSON.stringify(sokha));
  const json = JSON.parse((await exported(page, "entities-json")).bytes.toString("utf8"));
  assert.equal(json.length, entities.length - 1);
  assert.ok(json.some((e) => e.entity === "Kem Sokha" && e.aliases.length > 1));
  const results = csv((await exported(page, "results-csv")).bytes.toString("utf8"));
  assert.deepEqual(results[0], ["rank", "headline", "file", "date", "score", "snippet"]);
  assert.equal(results.length - 1, total);
  assert.deepEqual(results.slice(1).map((r) => r[1]), await titles(page));
  const index = await exported(page, "index");
  assert.equal(index.name, "newslens.nlix");
  // The index opened from disk gives the same results.
  const before = await titles(page);
  await page.setInputFiles("#open-index", { name: "copy.nlix", mimeType: "application/octet-stream", buffer: index.bytes });
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Opened copy.nlix"));
  await query(page, "sokha");
  assert.deepEqual(await titles(page), before);
  // A damaged index file is refused, and what was loaded stays.
  await page.setInputFiles("#open-index", { name: "bad.nlix", mimeType: "application/octet-stream", buffer: index.bytes.subarray(0, 100) });
  await page.waitForFunction(() => /bad\.nlix: .*still here/.test(document.querySelector("#status").textContent));
  await query(page, "sokha");
  assert.deepEqual(await titles(page), before);
  assert.deepEqual(messages, []);
  await page.close();
});

test("from file://: the timeline, date filters and exports work without a server", async () => {
  const { page, messages } = await open(pathToFileURL(join(root, "target/newslens.html")).href);
  await forgetStored(page);
  await addDated(page);
  await exerciseTime(page);
  const entities = csv((await exported(page, "entities-csv")).bytes.toString("utf8"));
  assert.equal(entities[0][0], "entity");
  await read(page, "Harbour plan approved");
  await page.locator('#reader mark[data-entity="Mao Sokhan"]').first().click();
  await page.waitForFunction(() => document.querySelector("#entity-view-h")?.textContent === "Mao Sokhan");
  assert.ok(await page.locator('[data-timeline="entity"] [data-period]').count() > 0);
  assert.match(page.url(), /e=PERSON%3AMao%20Sokhan/);
  assert.deepEqual(messages, []);
  await page.close();
});

test("who appears with an entity: the bars and the network picture agree, a node selects its entity", async () => {
  const { page, messages } = await open(base);
  await query(page, "sokha");
  await page.click("[data-result] .snippet");
  await page.locator('#reader mark[data-entity="Kem Sokha"]').first().click();
  await page.waitForFunction(() => document.querySelector("#entity-view-h")?.textContent === "Kem Sokha");
  const bars = await page.locator("#together .bars .entity-button").evaluateAll((bs) => bs.map((b) => b.dataset.entity));
  const nodes = await page.locator("#together svg.network .node").evaluateAll((gs) => gs.map((g) => g.dataset.entity));
  assert.ok(bars.length >= 2, `bars: ${bars}`);
  assert.deepEqual(nodes, ["Kem Sokha", ...bars]);
  // Every other node is joined to the centre; lines between others show pairs sharing articles.
  assert.ok(await page.locator("#together svg.network line.spoke").count() === bars.length);
  assert.match(await page.getAttribute("#together svg.network", "aria-label"), /^Kem Sokha and who appears with it: /);
  await page.locator("#entity-view").screenshot({ path: join(artifacts, "workbench-network.png") });
  await page.locator("#together svg.network .node").nth(1).click();
  await page.waitForFunction((e) => document.querySelector("#entity-view-h")?.textContent === e, bars[0]);
  assert.equal(await page.locator("#together svg.network .node.centre").getAttribute("data-entity"), bars[0]);
  assert.deepEqual(messages, []);
  await page.close();
});

test("accessibility: axe finds no serious or critical violation on the main views, light and dark", { timeout: 120000 }, async () => {
  const { createRequire } = await import("node:module");
  const { AxeBuilder } = createRequire(join(root, ".tools/package.json"))("@axe-core/playwright");
  const { page, messages } = await open(base);
  const found = [];
  const check = async (view) => {
    const r = await new AxeBuilder({ page }).analyze();
    for (const v of r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(`${view}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }
  };
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 860 });
    await check(`${scheme} start`);
    await query(page, "sokha");
    await page.click("[data-result] .snippet");
    await check(`${scheme} results and reader`);
    await page.locator('#reader mark[data-entity="Kem Sokha"]').first().click();
    await page.waitForFunction(() => document.querySelector("#entity-view-h")?.textContent === "Kem Sokha");
    await page.locator("#curate summary").click();
    await check(`${scheme} entity view`);
    await page.setViewportSize({ width: 390, height: 844 });
    await check(`${scheme} phone`);
    await page.keyboard.press("Escape");
  }
  await page.screenshot({ path: join(artifacts, "workbench-dark-phone.png") });
  assert.deepEqual(found, []);
  assert.deepEqual(messages, []);
  await page.close();
});
