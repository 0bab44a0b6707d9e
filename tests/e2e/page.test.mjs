// End-to-end test of the page in Debian Chromium driven by playwright-core.
// Run by `make test-e2e` after `make site`. Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vectors } from "./xss-vectors.mjs";
import { serve, launch } from "../common/browser.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const www = join(root, "www");
const artifacts = join(root, "tests/e2e/artifacts");

let server, browser, base;

before(async () => {
  ({ server, base } = await serve(www));
  browser = await launch(root);
  await mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Opens the page at `url` and collects console messages and page errors.
async function open(url, viewport = { width: 1200, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  const loaded = [];
  page.on("response", (r) => loaded.push(`${r.status()} ${new URL(r.url()).pathname}`));
  await page.goto(url);
  await page.waitForSelector("#articles li");
  return { page, messages, loaded };
}

// Deletes the articles the page stored (IndexedDB), so later tests start from the bundled ones.
function forgetStored(page) {
  return page.evaluate(() => new Promise((ok) => {
    const r = indexedDB.deleteDatabase("newslens");
    r.onsuccess = r.onerror = r.onblocked = ok;
  }));
}

// The page's saved index: how many segments, and the added files they hold, in all (0: none
// saved).
function savedSegments(page) {
  return page.evaluate(() => new Promise((ok) => {
    const r = indexedDB.open("newslens-segments", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("segments", { autoIncrement: true });
    r.onsuccess = () => {
      const get = r.result.transaction("segments").objectStore("segments").getAll();
      get.onsuccess = () => {
        ok({ segments: get.result.length, files: get.result.reduce((n, s) => n + (s.files?.length ?? 0), 0) });
        r.result.close();
      };
    };
  }));
}

async function savedIndexFiles(page) {
  return (await savedSegments(page)).files;
}

// Search, open, highlights, entity marks, entity filter: the same on both ways of opening.
async function exercise(page, name) {
  assert.equal(await page.locator("#articles li").count(), 5);
  assert.equal(await page.textContent("#status"), "5 articles ready.");
  assert.equal(await page.textContent("#reader .title"),
    "Rainsy Wants to Defend Kem Sokha’s ‘Mistress’ From Attacks");
  await page.click("#articles li:nth-child(3) button");
  assert.equal(await page.textContent("#reader .publisher"), "Cambodian Journalists Alliance Association");
  await page.click("#articles li:nth-child(2) button");
  assert.equal(await page.textContent("#reader .dateline"), "PHNOM PENH");
  // Entity marks, coloured by label, with the legend.
  const sokha = page.locator('#reader mark[data-label="PERSON"][data-entity="Kem Sokha"]');
  assert.ok(await sokha.count() > 2);
  assert.ok(await page.locator('#reader mark[data-label="ORG"][data-entity="Cambodia National Rescue Party"]').count() > 0);
  assert.ok(await page.locator('#reader mark[data-label="GPE"]').count() > 0);
  assert.ok(await page.locator('#reader mark[data-label="DATE"]').count() > 0);
  assert.equal(await page.locator("#reader .legend .key").count(), 6);
  // Search as you type; the query goes to the URL.
  await page.fill("input[type=search]", "Chandar");
  await page.waitForSelector("[data-result]");
  assert.equal(await page.locator("[data-result]").count(), 1);
  assert.deepEqual(await page.locator("[data-result] mark").allTextContents(), ["Chandaraty"]);
  assert.match(page.url(), /#q=Chandar(&a=\d+)?$/);
  // Arrow down to the hit, Enter opens it with the query highlighted.
  await page.press("input[type=search]", "ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent.startsWith("Rainsy"));
  assert.ok((await page.locator("#reader mark.hit").allTextContents()).includes("Chandaraty"));
  // A click anywhere on a result opens it, and its headline is brought into view.
  await page.click("#articles li:nth-child(2) button");
  await page.click("[data-result] .snippet");
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent.startsWith("Rainsy"));
  const headline = await page.locator("#reader .title").boundingBox();
  const height = await page.evaluate(() => window.innerHeight);
  assert.ok(headline && headline.y >= 0 && headline.y + headline.height <= height, JSON.stringify(headline));
  await page.fill("input[type=search]", "\"rescue party\" -france");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("0 of"));
  await page.fill("input[type=search]", "sokah ");
  await page.waitForFunction(() => document.querySelectorAll("[data-result]").length === 5);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  // Clicking an entity filters the search to it and shows who appears with it.
  await page.click("#articles li:nth-child(5) button");
  await page.locator('#reader mark[data-entity="Sar Kheng"]').first().click();
  assert.equal(await page.inputValue("input[type=search]"), 'person:"Sar Kheng"');
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("1 of"));
  assert.ok((await page.locator("#together .entity-button").count()) > 0);
  // The entity panel lists people, organisations and places with counts.
  assert.ok((await page.locator('#entity-lists .entity-button[data-label="PERSON"]').count()) > 3);
  // "/" focuses the search box.
  await page.click("#reader .title");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
}

test("the served page: prebuilt index, search, entities, empty console", async () => {
  const { page, messages, loaded } = await open(base);
  assert.ok(loaded.includes("200 /index.nlix"), `prebuilt index not loaded: ${loaded}`);
  await exercise(page, "page");
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `the page is ${wide}px wide at phone width`);
  await page.screenshot({ path: join(artifacts, "page-phone.png"), fullPage: true });
  assert.deepEqual(messages, []);
  await page.close();
});

test("a shared search link opens with its results", async () => {
  const { page, messages } = await open(`${base}#q=${encodeURIComponent("Chandar")}`);
  await page.waitForSelector("[data-result]");
  assert.equal(await page.inputValue("input[type=search]"), "Chandar");
  assert.equal(await page.locator("[data-result]").count(), 1);
  assert.deepEqual(messages, []);
  await page.close();
});

test("target/newslens.html works from disk", async () => {
  const { page, messages, loaded } = await open(`file://${join(root, "target/newslens.html")}`);
  assert.deepEqual(loaded.filter((l) => !l.includes("newslens.html")), [], "nothing else is fetched");
  await exercise(page, "file");
  // No worker can start from disk: an added file is read on the main thread instead.
  await page.setInputFiles("#files", [{ name: "disk.txt", mimeType: "text/plain",
    buffer: Buffer.from("Read from disk\n\nThe quokkaphile spoke in Kampot on Monday.\n") }]);
  await page.waitForFunction(() => /^Added 1 file/.test(document.querySelector("#status").textContent));
  // The outcome stays once the results of the query left by `exercise` are redrawn (it used to
  // be replaced by their count at once, and the page never showed it).
  await page.waitForTimeout(300);
  assert.match(await page.textContent("#status"), /^Added 1 file/);
  assert.equal(await page.evaluate(() => document.body.dataset.worker ?? "off"), "off");
  await page.fill("input[type=search]", "quokkaphile");
  await page.waitForSelector("[data-result]");
  assert.match(await page.textContent("#status"), /^1 of 6 articles match/);
  assert.deepEqual(messages, []);
  await page.close();
});

test("added articles: picker, hostile HTML stays text, kept across a reload, removable", async () => {
  const { page, messages } = await open(base);
  await page.evaluate(() => { window.__ran = 0; });
  const hostile = "<html lang=\"km\"><head><title>Hostile</title><script>window.__ran = 1</script>" +
    "<meta name=\"author\" content=\"Jane &lt;img src=x onerror=window.__ran=6&gt; Doe\">" +
    "<meta property=\"article:published_time\" content=\"2019-11-19T10:00:00Z\"></head><body>" +
    "<h1>Alert <img src=x onerror=\"window.__ran = 2\"> headline</h1>" +
    "<p>PHNOM PENH — Click <a href=\"javascript:window.__ran=3\">here</a> " +
    "&lt;script&gt;window.__ran = 4&lt;/script&gt; said Kem Sokha in Phnom Penh.</p>" +
    "<p onmouseover=\"window.__ran = 5\">Second paragraph about zanzibarite.</p></body></html>";
  await page.setInputFiles("#files", [
    { name: "hostile.html", mimeType: "text/html", buffer: Buffer.from(hostile) },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Budget talks\n\nThe finance minister spoke in Kampot on Friday.") },
    { name: "empty.txt", mimeType: "text/plain", buffer: Buffer.from("   ") },
  ]);
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Added 2 file(s)"));
  assert.match(await page.textContent("#status"), /empty\.txt/);
  assert.equal(await page.locator("#articles li").count(), 7);
  await page.fill("input[type=search]", "zanzibarite");
  await page.waitForSelector("[data-result]");
  await page.click("[data-result] button");
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent.includes("headline"));
  const body = await page.textContent("#reader");
  assert.ok(body.includes("<script>window.__ran = 4</script>"), body);
  // The page's metadata is shown, as text.
  assert.equal(await page.textContent("#reader .about"),
    "2019-11-19T10:00:00Z · Jane <img src=x onerror=window.__ran=6> Doe · km");
  assert.equal(await page.locator("#reader img, #reader a, #reader script").count(), 0);
  await page.hover("#reader p:last-of-type");
  assert.equal(await page.evaluate(() => window.__ran), 0, "nothing in the article ran");
  await page.screenshot({ path: join(artifacts, "hostile.png"), fullPage: true });
  // Kept across a reload (IndexedDB; the saved index opened, not the files parsed again), then
  // removed.
  for (let i = 0; i < 50 && (await savedIndexFiles(page)) !== 2; i++) await page.waitForTimeout(100);
  assert.equal(await savedIndexFiles(page), 2);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("#articles li").length === 7);
  assert.equal(await page.locator("#added li:not(.more)").count(), 2);
  // The refused empty.txt was not kept in storage.
  assert.doesNotMatch(await page.textContent("#status"), /Not loaded|empty\.txt/);
  await page.click('#added button[aria-label="Remove notes.txt"]');
  await page.waitForFunction(() => document.querySelectorAll("#articles li").length === 6);
  // Half the saved articles removed: the segments merge into one that holds the other file.
  for (let i = 0; i < 50 && (await savedIndexFiles(page)) !== 1; i++) await page.waitForTimeout(100);
  assert.deepEqual(await savedSegments(page), { segments: 1, files: 1 });
  // Gone from search at once (removed in the module, not by rebuilding the corpus); the other
  // added file still found.
  await page.fill("input[type=search]", "Kampot finance minister");
  await page.waitForFunction(() => /articles match/.test(document.querySelector("#status").textContent));
  assert.equal(await page.locator("[data-result]").filter({ hasText: "Budget talks" }).count(), 0);
  await page.fill("input[type=search]", "zanzibarite");
  await page.waitForSelector("[data-result]");
  assert.match(await page.textContent("#status"), /^1 of 6 articles match/);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("#articles li").length === 6);
  assert.deepEqual(messages, []);
  await page.close();
});

test("hostile files and queries: each added or refused with a reason, and the page keeps working", { timeout: 240000 }, async () => {
  const { page, messages } = await open(base);
  let x = 0x12345678;
  const random = Buffer.alloc(1 << 16, 0).map(() => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 24) & 0xff;
  });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]),
    Buffer.from("Sixteenbit talks in Kampot\n\nKem Sokha spoke on Friday.", "utf16le")]);
  const files = [
    ["random.txt", random],
    ["random.html", random],
    ["zeros.jsonl", Buffer.alloc(4096)],
    ["latin1.txt", Buffer.from("R\xe9union \xe0 Phnom Penh\n\nLe caf\xe9 a ouvert, \xab dit-il \xbb.", "latin1")],
    ["utf16.txt", utf16],
    ["nul.txt", Buffer.from("Nulbyte headline\n\nText\0with\0NUL bytes in it.\n")],
    ["line.txt", Buffer.from("longlineword ".repeat(400_000))], // 5.2 MB, one line
    ["nested.html", Buffer.from("<div>".repeat(100_000) + "<p>Deepnested text</p>" + "</div>".repeat(100_000))],
    ["broken.jsonl", Buffer.from("{not json\n[1, 2]\n")],
    ["empty.txt", Buffer.alloc(0)],
    ["image.png", random],
  ].map(([name, buffer]) => ({ name, mimeType: "application/octet-stream", buffer }));
  await page.setInputFiles("#files", files);
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Added"),
    null, { timeout: 120000 });
  const status = await page.textContent("#status");
  assert.match(status, /^Added 5 file\(s\); 10 articles\. Not added: /, status);
  assert.match(status, /random\.txt: this looks like binary data/, status);
  assert.match(status, /and 3 more/, status);
  // Decoded as the CLI decodes them: Latin-1 and UTF-16 read right, not as U+FFFD.
  for (const [query, title] of [["réunion", "Réunion à Phnom Penh"], ["sixteenbit", "Sixteenbit talks in Kampot"],
    ["nulbyte", "Nulbyte headline"], ["deepnested", "Deepnested text"], ["longlineword", "longlineword"]]) {
    await page.fill("input[type=search]", query);
    await page.waitForFunction((t) => document.querySelector("[data-result] .hit-title")?.textContent.startsWith(t),
      title, { timeout: 30000 });
  }
  await page.click("[data-result] button");
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent.startsWith("longlineword"));
  // Pathological queries: each gives a count, and the page still answers the next one.
  const queries = ['"((((', "OR OR", "person:", "org:\"", "-", "*", "~", ")(", "\u202eSokha",
    "sokha ".repeat(1700), "(".repeat(10000)];
  for (const q of queries) {
    await page.evaluate(() => { document.querySelector("#status").textContent = "waiting"; });
    await page.fill("input[type=search]", q);
    await page.waitForFunction(() => /^\d+ of 10 articles match\.$/.test(document.querySelector("#status").textContent));
  }
  await page.fill("input[type=search]", 'person:"Kem Sokha" sixteenbit');
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("1 of 10"));
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

test("160 script-injection vectors in titles, bodies, captions, file names and queries show as text and run nothing", { timeout: 240000 }, async () => {
  const { page, messages } = await open(base);
  const all = vectors();
  assert.ok(all.length >= 100);
  const groups = [];
  for (let i = 0; i < all.length; i += 10) groups.push(all.slice(i, i + 10));
  // Plain text: a vector in the headline and one in each paragraph.
  const files = groups.map((g, k) => ({
    name: `vectors-${k}.txt`,
    mimeType: "text/plain",
    buffer: Buffer.from(`${g[0].text} headline xssgroup${k}\n\n` +
      g.slice(1).map((v) => `Paragraph ${v.n} xssgroup${k} says ${v.text} in Phnom Penh.`).join("\n\n")),
  }));
  // HTML: the encoded spellings decode to text in captions and paragraphs.
  const encoded = all.filter((v) => v.text.includes("&lt;") || v.text.includes("&#60;"));
  files.push({
    name: "captions.html",
    mimeType: "text/html",
    buffer: Buffer.from("<html><body><h1>Captions xsscaptions</h1>" +
      encoded.map((v) => `<figure><img src="p.jpg"><figcaption>Caption ${v.n}: ${v.text} (Photo: AFP)</figcaption></figure><p>Text ${v.n} xsscaptions.</p>`).join("") +
      "</body></html>"),
  });
  // JSON Lines: vectors as titles.
  files.push({
    name: "titles.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(all.slice(0, 20).map((v) =>
      JSON.stringify({ id: `v${v.n}`, title: v.text, text: `Body of xsstitle${v.n}, a story from Kampot.` })).join("\n")),
  });
  // File names: the vectors a file name can hold (no slash).
  const named = all.filter((v) => !v.text.includes("/")).slice(0, 12);
  for (const v of named) {
    files.push({ name: `${v.text}.txt`, mimeType: "text/plain", buffer: Buffer.from(`Named ${v.n}\n\nA story filed as xssname${v.n}.`) });
  }
  await page.setInputFiles("#files", files);
  await page.waitForFunction(() => /^Added \d+ file/.test(document.querySelector("#status").textContent), null, { timeout: 60000 });
  const ran = () => page.evaluate(() => [window.__xss, window.__XSS, window.parent.__xss]);
  const live = "#reader script, #reader img, #reader svg, #reader iframe, #reader a, #reader object, " +
    "#reader embed, #reader video, #reader audio, #reader input, #reader form, #reader details, " +
    "#reader math, #reader template, #reader style, #reader meta, #reader marquee, #reader noscript";
  const openFirst = async (query, title) => {
    await page.fill("input[type=search]", query);
    await page.waitForSelector("[data-result] button");
    await page.click("[data-result] button");
    await page.waitForFunction((t) => document.querySelector("#reader .title")?.textContent.includes(t), title);
    return page.textContent("#reader");
  };
  for (const [k, g] of groups.entries()) {
    const text = await openFirst(`xssgroup${k} `, `xssgroup${k}`);
    for (const v of g) assert.ok(text.includes(v.text), `vector ${v.n} is not shown as text: ${v.text}`);
    assert.equal(await page.locator(live).count(), 0, `group ${k} made elements`);
  }
  const captions = await openFirst("xsscaptions ", "xsscaptions");
  // As HTML decodes them (character references; a tab shows as a space).
  const decode = (t) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)));
  const squash = (t) => t.replace(/\s+/g, " ");
  for (const v of encoded) {
    assert.ok(squash(captions).includes(squash(decode(v.text))), `caption vector ${v.n} is not shown as text`);
  }
  assert.equal(await page.locator(live).count(), 0);
  const listed = await page.textContent("#articles");
  for (const v of all.slice(0, 20)) assert.ok(listed.includes(v.text), `title vector ${v.n} is not listed as text`);
  const addedList = await page.textContent("#added");
  for (const v of named) assert.ok(addedList.includes(`${v.text}.txt`), `file name ${v.n} is not shown as text`);
  // Queries: typed into the search box, shown back as text, running nothing.
  for (const v of all.filter((_, i) => i % 8 === 0)) {
    await page.fill("input[type=search]", v.text);
    await page.waitForFunction(() => /of \d+ articles/.test(document.querySelector("#status").textContent));
  }
  assert.equal(await page.locator("#results script, #results img, #results svg, #results iframe").count(), 0);
  assert.deepEqual(await ran(), [undefined, undefined, undefined]);
  await page.screenshot({ path: join(artifacts, "xss.png"), fullPage: true });
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

test("a reload during a large import keeps every article it had stored", { timeout: 240000 }, async () => {
  const { page, messages } = await open(base);
  const files = Array.from({ length: 400 }, (_, i) => ({
    name: `import-${i}.txt`,
    mimeType: "text/plain",
    buffer: Buffer.from(`Import story ${i}\n\n` +
      `Paragraph about importword${i} and the provincial council in Siem Reap. `.repeat(40)),
  }));
  await page.setInputFiles("#files", files);
  // Reloaded while the articles are being indexed or recognised (they were stored first). On a
  // fast machine adding all 400 takes under one 30 ms slice, and no "Adding" status is shown.
  await page.waitForFunction(() =>
    /^(Adding \d+ of 400|Finding names)/.test(document.querySelector("#status").textContent));
  await page.reload();
  await page.waitForSelector("#articles li");
  await page.waitForFunction(() => / articles ready\.$/.test(document.querySelector("#status").textContent),
    null, { timeout: 120000 });
  assert.equal(await page.textContent("#status"), "405 articles ready.");
  await page.fill("input[type=search]", "importword399 ");
  await page.waitForSelector("[data-result]");
  assert.match(await page.textContent("[data-result]"), /Import story 399/);
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

test("damaged stored articles give a clear message and the bundled corpus still works", async () => {
  const { page, messages } = await open(base);
  // Records no page wrote: wrong types, binary text, and one good article.
  await page.evaluate(() => new Promise((ok, fail) => {
    const req = indexedDB.open("newslens", 1);
    req.onsuccess = () => {
      const tx = req.result.transaction("files", "readwrite");
      const files = tx.objectStore("files");
      files.add({ name: 42, text: null });
      files.add({ text: "no name" });
      files.add({ name: "binary.txt", text: "\u0000\u0001\u0002\u0003".repeat(500) });
      files.add({ name: "good.txt", text: "A good stored story\n\nIt mentions goodword in Battambang." });
      // Compressed content that is no gzip.
      files.add({ name: "broken.txt", gz: new Uint8Array([31, 139, 8, 0, 1, 2, 3]) });
      tx.oncomplete = () => { req.result.close(); ok(); };
      tx.onerror = () => fail(tx.error);
    };
    req.onerror = () => fail(req.error);
  }));
  await page.reload();
  await page.waitForFunction(() => / articles ready\./.test(document.querySelector("#status").textContent));
  const status = await page.textContent("#status");
  assert.match(status, /^6 articles ready\. Not loaded: 3 stored record\(s\) are damaged; binary\.txt: /, status);
  await page.fill("input[type=search]", "Chandar");
  await page.waitForSelector("[data-result]");
  assert.equal(await page.locator("[data-result]").count(), 1);
  await page.fill("input[type=search]", "goodword ");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("1 of 6"));
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

test("storage that cannot be opened leaves the page working, and says so", async () => {
  const { page, messages } = await open(base);
  // A database of a later version than the page's: opening it fails.
  await page.evaluate(() => new Promise((ok) => {
    const req = indexedDB.open("newslens", 7);
    req.onsuccess = () => { req.result.close(); ok(); };
    req.onerror = ok;
  }));
  await page.reload();
  await page.waitForFunction(() => / articles ready\./.test(document.querySelector("#status").textContent));
  assert.match(await page.textContent("#status"),
    /^5 articles ready\. Your stored articles could not be opened \(.+\); added articles will not be kept\.$/);
  await page.fill("input[type=search]", "Chandar");
  await page.waitForSelector("[data-result]");
  await forgetStored(page);
  // An error the page reported itself (a failed open) is not a console error.
  assert.deepEqual(messages.filter((m) => !m.includes("VersionError")), []);
  await page.close();
});

test("storage running full keeps what was stored before, says so, and loses nothing on screen", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  // The browser refuses the 151st record stored in this page load, as a full disk would.
  await page.addInitScript(() => {
    const add = IDBObjectStore.prototype.add;
    let n = 0;
    IDBObjectStore.prototype.add = function (...args) {
      if (this.name === "files" && ++n > 150) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return add.apply(this, args);
    };
  });
  await page.goto(base);
  await page.waitForSelector("#articles li");
  await page.evaluate(async () => {
    const dt = new DataTransfer();
    for (let i = 0; i < 250; i++) {
      dt.items.add(new File([`Memo ${i}\n\nThe board of Kampot met about item ${i}.`], `m${i}.txt`, { type: "text/plain" }));
    }
    document.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Added"));
  assert.match(await page.textContent("#status"), /^Added 250 file\(s\); 255 articles\. Not kept for your next visit: 150 file\(s\), as this browser's storage for the page is full; those stored before are kept/);
  await page.fill("input[type=search]", "board kampot");
  await page.waitForFunction(() => /^250 of 255 articles match/.test(document.querySelector("#status").textContent));
  assert.match(await page.textContent("#storage-note"), /^Stored in this browser: [\d.]+ [MG]B of the [\d.]+ [MG]B it allows this page\./);
  // After a reload: the 100 stored before the refusal, no more, no fewer.
  await page.reload();
  await page.waitForFunction(() => / of 105 articles match\./.test(document.querySelector("#status").textContent), null, { timeout: 60000 });
  assert.match(await page.textContent("#status"), /^100 of 105 articles match\./);
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

test("a large drop shows progress and keeps the page responsive", async () => {
  const { page, messages } = await open(base);
  // 600 small articles through the drop zone (a DataTransfer built in the page).
  const ticks = await page.evaluate(async () => {
    const dt = new DataTransfer();
    for (let i = 0; i < 600; i++) {
      dt.items.add(new File([`Report ${i}\n\nThe council of Kampot met on Monday about item ${i}.`], `r${i}.txt`, { type: "text/plain" }));
    }
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    document.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((ok) => {
      const check = () => document.querySelector("#status").textContent.startsWith("Added") ? ok() : setTimeout(check, 20);
      check();
    });
    clearInterval(timer);
    return ticks;
  });
  assert.ok(ticks > 3, `the page's timers ran ${ticks} times during the drop`);
  assert.match(await page.textContent("#status"), /Added 600 file\(s\); 6\d\d articles/);
  // The article and file lists are drawn a window at a time: few rows in the document, the
  // whole list's height kept; scrolled to the end, the last rows are there and open.
  await page.waitForFunction(() => document.querySelectorAll("#added li").length > 0);
  for (const [sel, last] of [["#articles", "Report 599"], ["#added", "r599.txt (1)"]]) {
    const rows = await page.locator(`${sel} li`).count();
    assert.ok(rows > 10 && rows < 120, `${sel}: ${rows} rows in the document`);
    const { scroll, row, box } = await page.evaluate((s) => ({
      scroll: document.querySelector(s).parentElement.scrollHeight,
      row: document.querySelector(`${s} li`).offsetHeight,
      box: document.querySelector(s).parentElement.clientHeight,
    }), sel);
    assert.ok(scroll >= row * 600 * 0.95 && box <= 500, `${sel}: scroll height ${scroll} for rows of ${row} px in a box of ${box} px`);
    await page.evaluate((s) => { const l = document.querySelector(s).parentElement; l.scrollTop = l.scrollHeight; }, sel);
    await page.waitForFunction(([s, t]) => document.querySelector(`${s} li:last-child`)?.textContent.startsWith(t), [sel, last]);
  }
  await page.click("#articles li:last-child button");
  await page.waitForFunction(() => document.querySelector("#reader .title")?.textContent === "Report 599");
  await page.locator("nav").screenshot({ path: join(artifacts, "long-list.png") });
  assert.equal(await page.getAttribute("#articles li:last-child", "aria-posinset"), "605");
  // Clean up the stored articles for other runs.
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

const bbc = join(root, "../shared/data/bbc");

test("all 2,225 BBC articles dropped in: progress, and the page never stalls",
  { skip: !existsSync(bbc) && "../shared/data/bbc is absent" }, async () => {
  const { bbcPaths } = await import("../../benches/browser/corpora.mjs");
  const files = bbcPaths(bbc).map((f) => f.path);
  const { page, messages } = await open(base);
  await page.evaluate(() => {
    window.__gaps = [];
    window.__stalls = [];
    window.__long = [];
    window.__progress = 0;
    let last = performance.now();
    let started = false;
    // Measured from the page's own handling on: handing 2,225 files to the input is the test
    // harness's work, not the page's.
    document.querySelector("#files").addEventListener("change", () => {
      started = true;
      last = performance.now();
      window.__since = last;
    }, { capture: true });
    // The browser's own measure of a stall: every task over 50 ms on the main thread.
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: "longtask" });
    setInterval(() => {
      const now = performance.now();
      if (!started) {
        last = now;
        return;
      }
      window.__gaps.push(now - last);
      if (now - last > 45) window.__long.push(`${(now - last).toFixed(0)} ms before "${document.getElementById("status").textContent.slice(0, 60)}"`);
      if (now - last > 200) window.__stalls.push(`${(now - last).toFixed(0)} ms before "${document.getElementById("status").textContent.slice(0, 40)}"`);
      last = now;
      if (!document.getElementById("progress").hidden) window.__progress++;
    }, 20);
  });
  const t = Date.now();
  await page.setInputFiles("#files", files);
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Added")
    && document.querySelectorAll("#entity-lists .entity-button").length > 0, null, { timeout: 300_000 });
  const seconds = (Date.now() - t) / 1000;
  await page.fill("input[type=search]", "blair brown election");
  await page.waitForSelector("[data-result]");
  const { longest, progressTicks, stalls, long, tasks } = await page.evaluate(() => ({
    longest: Math.max(...window.__gaps), progressTicks: window.__progress, stalls: window.__stalls, long: window.__long,
    tasks: window.__tasks.filter((t) => t.start >= window.__since).map((t) => t.ms),
  }));
  for (const s of stalls) console.log(`# stall: ${s}`);
  // The timer fires every 20 ms: a gap over 45 ms is the page busy for 25 ms or more at once.
  for (const s of long) console.log(`# gap: ${s}`);
  console.log(`# ${files.length} BBC files added in ${seconds.toFixed(1)} s; longest gap between 20 ms timer ticks ${longest.toFixed(0)} ms; main-thread tasks over 50 ms (the browser's long tasks): ${tasks.length ? tasks.map((t) => t.toFixed(0)).join(", ") + " ms" : "none"}`);
  // Read, indexed and recognised in the worker.
  assert.equal(await page.evaluate(() => document.body.dataset.worker), "on");
  assert.match(await page.textContent("#status"), / of 2230 articles match/);
  assert.ok(progressTicks > 0, "a progress bar was shown");
  // Recognition, linking and adding run in slices: no piece of work holds the page long.
  assert.ok(longest < 120, `the page stalled for ${longest.toFixed(0)} ms`);
  // The target is no task over 50 ms; a loaded test machine stretches tasks, so the test allows
  // what it allows the gaps.
  assert.ok(tasks.every((ms) => ms < 120), `main-thread tasks of ${tasks.join(", ")} ms`);
  await page.screenshot({ path: join(artifacts, "bbc.png") });
  // Typing with the BBC articles loaded: input to next paint per keystroke.
  const { typingLatency } = await import("../../benches/browser/typing.mjs");
  const typing = await typingLatency(page);
  console.log(`# typing: ${typing.keystrokes} keystrokes (${typing.interactions} over 16 ms): ` +
    `p50 ${typing.p50} ms, p95 ${typing.p95} ms, max ${typing.max} ms`);
  assert.ok(typing.p95 <= 50 && typing.max <= 100, JSON.stringify(typing));
  // The most mentioned person's view: its hundreds of articles drawn a window at a time.
  await page.click('#entity-lists .entity-button[data-label="PERSON"]');
  await page.waitForSelector("#entity-articles li");
  const heading = await page.textContent("#entity-articles h4");
  const many = Number(heading.match(/\((\d+)\)/)[1]);
  const drawn = await page.locator("#entity-articles li").count();
  assert.ok(many > 100 && drawn < many, `${heading}: ${drawn} rows drawn`);
  // A reload opens the saved index instead of redoing the work, and finds the same.
  const results = async (q) => {
    await page.fill("input[type=search]", q);
    await page.waitForFunction((q) => document.querySelector("#status").textContent.includes(" of 2230 articles match") &&
      location.hash.includes(encodeURIComponent(q)), q);
    return page.locator("[data-result] .hit-title").allTextContents();
  };
  const queries = ["blair brown election", "person:\"tony blair\" iraq", "mobil phone"];
  const before = [];
  for (const q of queries) before.push(await results(q));
  const savedFiles = () => savedIndexFiles(page);
  for (let i = 0; i < 100 && (await savedFiles()) !== files.length; i++) await page.waitForTimeout(100);
  assert.equal(await savedFiles(), files.length);
  // The stored files are kept compressed: about half the bytes of the files themselves.
  const stored = await page.evaluate(() => new Promise((ok) => {
    const r = indexedDB.open("newslens");
    r.onsuccess = () => {
      const all = r.result.transaction("files").objectStore("files").getAll();
      all.onsuccess = () => {
        ok({ count: all.result.length, gz: all.result.reduce((n, f) => n + (f.gz?.length ?? 0), 0) });
        r.result.close();
      };
    };
  }));
  const rawBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`# stored files: ${(stored.gz / 1e6).toFixed(2)} MB compressed, of ${(rawBytes / 1e6).toFixed(2)} MB`);
  assert.equal(stored.count, files.length);
  assert.ok(stored.gz > 0 && stored.gz < rawBytes * 0.6, JSON.stringify({ stored, rawBytes }));
  const reload = async () => {
    const t = Date.now();
    await page.goto(base);
    await page.waitForFunction(() => /^2230 articles ready\./.test(document.querySelector("#status").textContent), null, { timeout: 120000 });
    return Date.now() - t;
  };
  const reloadMs = await reload();
  console.log(`# reload with the saved index: ${reloadMs} ms to ready`);
  for (const [i, q] of queries.entries()) assert.deepEqual(await results(q), before[i], q);
  // A file removed: marked removed when its segment is read back (no merge for one file in
  // 2,225), and gone after the reload.
  // The first added file (files[0]; names repeat across the BBC's folders).
  const label = await page.locator("#added button.remove").first().getAttribute("aria-label");
  const named = () => page.locator(`#added button[aria-label="${label}"]`).count();
  const sameName = await named();
  await page.locator("#added button.remove").first().click();
  // Removing waits behind the stored files' pending writes, slower on a loaded machine. The
  // status says "Removed …; 2229 articles." and then, the results redrawn, "… of 2229 articles
  // match."; a timeout says what the page showed instead.
  await page.waitForFunction(() => / 2229 articles[ .]/.test(document.querySelector("#status").textContent), null, { timeout: 120000 })
    .catch(async (e) => {
      throw new Error(`${e.message}\nstatus: ${await page.textContent("#status")}\n` +
        `rows named ${label}: ${await named()} (were ${sameName})\nconsole: ${JSON.stringify(messages)}`);
    });
  await page.waitForTimeout(1500);
  const kept = await savedSegments(page);
  console.log(`# saved as ${kept.segments} segments`);
  assert.ok(kept.segments >= 1 && kept.files === files.length, JSON.stringify(kept));
  await page.goto(base);
  await page.waitForFunction(() => /^2229 articles ready\./.test(document.querySelector("#status").textContent), null, { timeout: 120000 });
  assert.equal(await named(), sameName - 1);
  // Added again, as a segment of its own.
  await page.setInputFiles("#files", [files[0]]);
  await page.waitForFunction(() => /^Added 1 file/.test(document.querySelector("#status").textContent));
  for (let i = 0; i < 50 && (await savedIndexFiles(page)) !== files.length + 1; i++) await page.waitForTimeout(100);
  assert.equal(await savedIndexFiles(page), files.length + 1);
  await page.goto(base);
  await page.waitForFunction(() => /^2230 articles ready\./.test(document.querySelector("#status").textContent), null, { timeout: 120000 });
  for (const [i, q] of queries.entries()) {
    assert.deepEqual((await results(q)).toSorted(), before[i].toSorted(), q);
  }
  // A damaged segment: its files read again from storage, with a message, nothing lost.
  await page.evaluate(() => new Promise((ok) => {
    const r = indexedDB.open("newslens-segments", 1);
    r.onsuccess = () => {
      const tx = r.result.transaction("segments", "readwrite");
      const os = tx.objectStore("segments");
      const cursor = os.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (c) c.update({ ...c.value, bytes: new Uint8Array(1000).fill(7) });
      };
      tx.oncomplete = () => { r.result.close(); ok(); };
    };
  }));
  const t1 = Date.now();
  await page.goto(base);
  await page.waitForFunction(() => /^2230 articles ready\. The saved index could not be opened/.test(document.querySelector("#status").textContent), null, { timeout: 120000 });
  console.log(`# reload rebuilding from the stored files: ${Date.now() - t1} ms to ready`);
  for (const [i, q] of queries.entries()) assert.deepEqual(await results(q), before[i], q);
  await forgetStored(page);
  assert.deepEqual(messages, []);
  await page.close();
});

test("a 100 MB corpus in the module: searched and recognised, then refused past 128 MB with nothing lost",
  { skip: !existsSync(bbc) && "../shared/data/bbc is absent", timeout: 600_000 }, async () => {
  const { bbcFiles, largeCorpus } = await import("../../benches/browser/large.mjs");
  const files = bbcFiles(bbc);
  const context = await browser.newContext();
  const page = await context.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  const r = await largeCorpus(page, { moduleUrl: `${base}pkg/newslens.js`, files });
  const mb = (b) => (b / 1e6).toFixed(1);
  console.log(`# ${r.articles} articles, ${mb(r.textBytes)} MB of text: added in ${r.indexSeconds.toFixed(1)} s, ` +
    `entities in ${r.entitySeconds.toFixed(1)} s, first query ${r.firstQueryMs.toFixed(0)} ms, ` +
    `first search with snippets ${r.firstSearchMs.toFixed(0)} ms`);
  console.log(`# wasm memory grew by ${mb(r.wasmBytes)} MB (${(r.wasmBytes / r.textBytes).toFixed(1)}× the text), ` +
    `JS heap by ${mb(r.heapBytes)} MB; at the limit (${mb(r.limit?.textBytes ?? 0)} MB, i.e. 128 MiB) ${mb(r.wasmBytesAtLimit)} MB`);
  console.log(`# refused: ${r.limit?.message}`);
  assert.deepEqual(r.refused, [], "nothing refused below the limit");
  assert.equal(r.articles, files.length * 20);
  assert.ok(r.textBytes > 100e6, `${r.textBytes} bytes`);
  assert.ok(r.total > 0 && r.total % 20 === 0, `each copy matches alike: ${r.total}`);
  assert.equal(r.snippetsShown, 10);
  assert.ok(r.people.length === 3, `${r.people}`);
  // Bounded: the documented budget is about nine times the text, well inside wasm's 4 GB.
  assert.ok(r.wasmBytesAtLimit < 12 * 128 * 2 ** 20, `wasm memory ${mb(r.wasmBytesAtLimit)} MB`);
  // Past the limit: a clear message, the file refused whole, everything before it kept.
  assert.ok(r.limit, "the module refused a file past the limit");
  assert.match(r.limit.message, /the corpus is full/);
  assert.match(r.limit.message, /limit of 128 MB/);
  assert.ok(r.limit.unchanged, "the refused file added nothing");
  assert.ok(r.limit.textBytes <= 128 * 2 ** 20);
  assert.ok(r.totalAtLimit > r.total, "the copies added before the limit are searchable");
  assert.deepEqual(messages, []);
  await context.close();
});
