// The npm package as a user gets it: `npm pack` of target/npm/, installed into a fresh project,
// bundled into a page by esbuild (pinned in .ci/setup), opened in Debian Chromium. The page
// searches the seeds with the full module, hands the index it writes to the search-only module
// and searches that, and the console stays empty. Run by `make test-package` after
// `make package`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { serve, launch } from "../common/browser.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tools = createRequire(join(root, ".tools/package.json"));
const esbuild = tools("esbuild");

let work, site, server, browser, base;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "newslens-package-"));
  // What `npm publish` would ship, installed as a dependency.
  execFileSync("npm", ["pack", join(root, "target/npm"), "--pack-destination", work, "--silent"], { cwd: work });
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  const project = join(work, "project");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "embed", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", join(work, tarball)], { cwd: project });
  writeFileSync(
    join(project, "app.js"),
    `import init, { Corpus } from "newslens";
import initSearch, { Corpus as SearchOnly } from "newslens/search-only";
import wasmUrl from "newslens/newslens_bg.wasm";
import searchWasmUrl from "newslens/search-only/newslens_bg.wasm";

await init({ module_or_path: wasmUrl });
await initSearch({ module_or_path: searchWasmUrl });
const full = Corpus.withSeeds();
const found = full.search("Kem Sokha");
const index = full.toIndex();
const small = SearchOnly.fromIndex(index);
const again = small.search("Kem Sokha");
let refused = null;
try { small.addArticle("a.txt", "Headline\\n\\nBody."); } catch (e) { refused = { name: e.name, kind: e.kind }; }
document.getElementById("out").textContent = JSON.stringify({
  total: found.total,
  first: found.hits[0].title,
  snippet: found.hits[0].snippet.map((s) => s.text).join(""),
  searchOnly: { total: again.total, first: again.hits[0].title },
  refused,
});
`,
  );
  site = join(work, "site");
  await esbuild.build({
    entryPoints: [join(project, "app.js")],
    absWorkingDir: project,
    bundle: true,
    format: "esm",
    outdir: site,
    loader: { ".wasm": "file" },
    logLevel: "warning",
  });
  writeFileSync(join(site, "index.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>embed</title><pre id="out"></pre><script type="module" src="app.js"></script>`);
  ({ server, base } = await serve(site));
  browser = await launch(root);
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("package.json names every entry point and the files that hold them", () => {
  const pkg = JSON.parse(readFileSync(join(root, "target/npm/package.json"), "utf8"));
  assert.equal(pkg.name, "newslens");
  assert.equal(pkg.type, "module");
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
  for (const entry of [".", "./bundler", "./search-only"]) {
    const e = pkg.exports[entry];
    for (const file of [e.default, e.types]) {
      assert.ok(readFileSync(join(root, "target/npm", file)).length > 0, `${entry}: ${file}`);
    }
  }
  assert.ok(pkg.files.includes("LICENSE"));
});

test("a page bundled by esbuild from the package searches the seeds, in both modules", async () => {
  const page = await browser.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(base);
  await page.waitForFunction(() => document.getElementById("out").textContent.length > 0);
  const r = JSON.parse(await page.textContent("#out"));
  assert.ok(r.total >= 3, `hits: ${r.total}`);
  assert.match(r.snippet, /Sokha/);
  assert.deepEqual(r.searchOnly, { total: r.total, first: r.first }, "the search-only module reads the full one's index");
  assert.deepEqual(r.refused, { name: "NewsLensError", kind: "Unsupported" });
  assert.deepEqual(messages, [], "the console stays empty");
  await page.close();
});
