#!/usr/bin/env node
// The browser benchmark: NewsLens (the release wasm in www/pkg) against MiniSearch, FlexSearch,
// lunr and Orama, in headless Debian Chromium driven by playwright-core, on the same articles
// and queries. Writes target/bench/browser.json. Run by `make bench` (which builds the page and
// installs the pinned peers first); needs ../shared.
//
//   node benches/browser/run.mjs [--corpora seeds,bbc,scale] [--engines NewsLens,MiniSearch,...]
//                                [--no-large]  (skips the 100 MB corpus in the module)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as corpora from './corpora.mjs';
import { bbcFiles, largeCorpus } from './large.mjs';
import { ensurePeers } from './peers.mjs';
import { typingLatency } from './typing.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const shared = path.resolve(repo, '../shared');
const outDir = path.join(repo, 'target/bench');
const require = createRequire(path.join(repo, '.tools/package.json'));

ensurePeers();
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1].split(',') : dflt;
};
const ENGINES = opt('engines', ['NewsLens', 'MiniSearch', 'FlexSearch', 'lunr', 'Orama']);
const CORPORA = opt('corpora', ['seeds', 'bbc', 'scale']);

if (!fs.existsSync(path.join(shared, 'data'))) {
  console.log(`browser benchmark skipped: ${shared}/data is absent`);
  process.exit(0);
}
const log = (...a) => console.error('bench:', ...a);

const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

// NewsLens's index file in its two parts: the index, and the articles' texts, which from
// format version 5 are one section at its end (its length follows the article count).
function indexParts(file) {
  if (file.readUInt32LE(4) < 5) return null;
  const payload = file.subarray(16);
  let at = 0;
  const leb = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = payload[at++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  leb();
  const text = leb();
  const index = Buffer.concat([file.subarray(0, 16), payload.subarray(0, payload.length - text)]);
  return { index, text: payload.subarray(payload.length - text) };
}

// The corpora and their queries, served to the page as JSON.
const data = new Map();
const docsOf = {
  seeds: () => corpora.seeds(repo),
  bbc: () => corpora.bbc(shared),
  scale: () => corpora.scale(shared),
};
const corpusInfo = {};
for (const c of CORPORA) {
  const docs = docsOf[c]();
  const queries = corpora.queries(docs.length >= 100 ? docs : [...docs, ...docs, ...docs]);
  corpusInfo[c] = {
    articles: docs.length,
    bytes: docs.reduce((n, d) => n + Buffer.byteLength(d.raw), 0),
    gzipBytes: gzip(Buffer.from(docs.map((d) => d.raw).join(''))),
    queries: queries.length,
  };
  data.set(`${c}.json`, Buffer.from(JSON.stringify({ docs, queries })));
}
const cran = corpora.cranfield(shared);
data.set('cranfield.json', Buffer.from(JSON.stringify({ docs: cran.docs, queries: cran.queries })));

// A static server for the repository (the page, the wasm, the peers) with cross-origin isolation,
// which gives the page a timer precise to microseconds; /save and /saved hold serialised indexes.
const saved = new Map();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.nlix': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const headers = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-store',
  };
  if (req.method === 'POST' && url.pathname.startsWith('/save/')) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      saved.set(url.pathname.slice(6), Buffer.concat(chunks));
      res.writeHead(204, headers).end();
    });
    return;
  }
  let body = null;
  let type = 'application/octet-stream';
  if (url.pathname.startsWith('/data/')) {
    body = data.get(url.pathname.slice(6));
    type = 'application/json';
  } else if (url.pathname.startsWith('/saved/')) {
    body = saved.get(url.pathname.slice(7));
  } else {
    const asked = decodeURIComponent(url.pathname);
    const file = path.join(repo, path.normalize(asked.endsWith('/') ? `${asked}index.html` : asked));
    if (file.startsWith(repo) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      body = fs.readFileSync(file);
      type = types[path.extname(file)] || type;
    }
  }
  if (!body) {
    res.writeHead(404, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
const version = browser.version();

async function newPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const results = { corpora: corpusInfo, engines: {}, cranfield: {}, load: {}, code: {} };

for (const c of CORPORA) {
  const { page, errors } = await newPage();
  await page.goto(`${base}/benches/browser/bench.html`);
  await page.waitForFunction(() => typeof window.benchCorpus === 'function');
  log(`${c}: ${corpusInfo[c].articles} articles, ${(corpusInfo[c].bytes / 1e6).toFixed(2)} MB`);
  for (const name of ENGINES) {
    // One engine per call, all in this page session, one after the other.
    const r = (await page.evaluate(([c, n]) => window.benchCorpus(c, [n]), [c, name]))[name];
    const key = `${name}-${c}`;
    const summary = (lat) => {
      if (!lat) return null;
      const ms = lat.map((x) => x.ms);
      const byKind = {};
      for (const kind of [...new Set(lat.map((x) => x.kind))]) {
        const k = lat.filter((x) => x.kind === kind).map((x) => x.ms);
        byKind[kind] = { p50: pct(k, 50), p95: pct(k, 95) };
      }
      return { p50: pct(ms, 50), p95: pct(ms, 95), byKind };
    };
    // The figure compared is the engine's answer as ids (NewsLens: rank()); NewsLens's search()
    // with snippets is kept beside it.
    const ids = summary(r.latencyIds || r.latency);
    const parts = name === 'NewsLens' ? indexParts(saved.get(key)) : null;
    const full = summary(r.latency);
    results.engines[key] = {
      engine: name,
      corpus: c,
      indexMs: r.indexMs,
      indexMsSearchOnly: r.indexMsSearchOnly,
      heapBytes: r.heapBytes,
      wasmBytes: r.wasmBytes,
      memoryBytes: r.heapBytes + r.wasmBytes,
      indexBytes: r.indexBytes,
      indexGzipBytes: gzip(saved.get(key)),
      ...(parts && {
        indexWithoutTextBytes: parts.index.length,
        indexWithoutTextGzipBytes: gzip(parts.index),
        textSectionBytes: parts.text.length,
        textSectionGzipBytes: gzip(parts.text),
      }),
      queryP50Ms: ids.p50,
      queryP95Ms: ids.p95,
      byKind: ids.byKind,
      withSnippets: r.latencyIds ? full : undefined,
      sample: r.sample,
    };
    log(`${c}: ${name}: index ${r.indexMs.toFixed(0)} ms, p50 ${(ids.p50 * 1000).toFixed(1)} µs`);
  }
  if (errors.length) throw new Error(`console errors on ${c}: ${errors.join('; ')}`);
  await page.close();

  // Load to first results: a fresh page per engine fetches its code and saved index.
  const firstQuery = JSON.parse(data.get(`${c}.json`)).queries[0].q;
  for (const name of ENGINES) {
    const { page, errors: errs } = await newPage();
    const url = `${base}/benches/browser/load.html?engine=${name}&key=${name}-${c}&q=${encodeURIComponent(firstQuery)}`;
    await page.goto(url);
    const first = await page.waitForFunction(() => window.firstResults, null, { timeout: 120000 });
    results.load[`${name}-${c}`] = (await first.jsonValue()).ms;
    if (errs.length) throw new Error(`console errors loading ${name}: ${errs.join('; ')}`);
    await page.close();
  }
}

// Ranking quality on Cranfield, every engine in one page session.
{
  const { page, errors } = await newPage();
  await page.goto(`${base}/benches/browser/bench.html`);
  await page.waitForFunction(() => typeof window.benchCranfield === 'function');
  const runs = await page.evaluate((n) => window.benchCranfield(n), ENGINES);
  for (const name of ENGINES) {
    let sum = 0;
    cran.queries.forEach((_, i) => {
      const judged = cran.qrels.get(i + 1) || new Map();
      sum += corpora.ndcg10(runs[name][i], judged);
    });
    results.cranfield[name] = sum / cran.qrels.size;
    log(`cranfield: ${name} nDCG@10 ${results.cranfield[name].toFixed(3)}`);
  }
  if (errors.length) throw new Error(`console errors on Cranfield: ${errors.join('; ')}`);
  await page.close();
}

// A 100 MB corpus in the module (the BBC articles twenty times), then past its 128 MB limit:
// time, wasm memory and the refusal. NewsLens only: the peers have no corpus limit to reach.
if (!args.includes('--no-large') && ENGINES.includes('NewsLens')) {
  const { page, errors } = await newPage();
  const files = bbcFiles(path.join(shared, 'data/bbc'));
  results.large = await largeCorpus(page, { moduleUrl: `${base}/www/pkg/newslens.js`, files });
  const r = results.large;
  log(`large: ${r.articles} articles, ${(r.textBytes / 1e6).toFixed(1)} MB, added in ${r.indexSeconds.toFixed(1)} s, ` +
    `entities ${r.entitySeconds.toFixed(1)} s, wasm memory +${(r.wasmBytes / 1e6).toFixed(0)} MB`);
  if (errors.length) throw new Error(`console errors on the large corpus: ${errors.join('; ')}`);
  await page.close();
}

// The page itself with the BBC articles added through its file picker: time to add them, the
// longest the main thread stalled meanwhile, the time a reload takes to be ready again, and
// typing latency (input to next paint per keystroke).
if (!args.includes('--no-page') && ENGINES.includes('NewsLens')) {
  const { page, errors } = await newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(`${base}/www/index.html`);
  await page.waitForSelector('#articles li');
  await page.evaluate(() => {
    window.__gaps = [];
    let last = null;
    document.querySelector('#files').addEventListener('change', () => { last = performance.now(); window.__since = last; }, { capture: true });
    // The browser's own measure of a stall: each main-thread task over 50 ms.
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask' });
    setInterval(() => {
      const now = performance.now();
      if (last !== null) window.__gaps.push(now - last);
      if (last !== null) last = now;
    }, 10);
  });
  const paths = corpora.bbcPaths(path.join(shared, 'data/bbc')).map((f) => f.path);
  let t = Date.now();
  await page.setInputFiles('#files', paths);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Added')
    && document.querySelectorAll('#entity-lists .entity-button').length > 0, null, { timeout: 600_000 });
  const addSeconds = (Date.now() - t) / 1000;
  const gaps = await page.evaluate(() => window.__gaps);
  const longTasks = await page.evaluate(() => window.__tasks.filter((t) => t.start >= window.__since).map((t) => t.ms));
  const typing = await typingLatency(page);
  t = Date.now();
  await page.reload();
  await page.waitForFunction(() => /^\d+ articles ready\./.test(document.querySelector('#status').textContent),
    null, { timeout: 600_000 });
  const reloadSeconds = (Date.now() - t) / 1000;
  await page.evaluate(() => Promise.all(['newslens', 'newslens-segments'].map((name) => new Promise((ok) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = r.onerror = r.onblocked = ok;
  }))));
  const longestTaskMs = Math.max(0, ...longTasks);
  results.page = { files: paths.length, addSeconds, longestStallMs: Math.max(...gaps), longTasks, longestTaskMs, reloadSeconds, typing };
  log(`page: ${paths.length} BBC files added in ${addSeconds.toFixed(1)} s (longest gap ${Math.max(...gaps).toFixed(0)} ms, ${longTasks.length} tasks over 50 ms), ` +
    `reload ${reloadSeconds.toFixed(1)} s, typing p95 ${typing.p95} ms, max ${typing.max} ms`);
  if (errors.length) throw new Error(`console errors on the page: ${errors.join('; ')}`);
  await page.close();
}

await browser.close();
server.close();

// Code shipped, gzip -9: what a page loads to search (and, for NewsLens, to recognise entities).
const mod = (p) => path.join(here, 'node_modules', p);
const files = (dir) =>
  fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => f.endsWith('.js'));
const codeOf = {
  NewsLens: [path.join(repo, 'www/pkg/newslens.js'), path.join(repo, 'www/pkg/newslens_bg.wasm')],
  MiniSearch: [mod('minisearch/dist/es/index.js')],
  FlexSearch: [mod('flexsearch/dist/flexsearch.bundle.module.min.mjs')],
  lunr: [mod('lunr/lunr.min.js')],
  Orama: files(mod('@orama/orama/dist/browser')),
};
for (const name of ENGINES) {
  const bufs = codeOf[name].map((f) => fs.readFileSync(f));
  results.code[name] = {
    bytes: bufs.reduce((n, b) => n + b.length, 0),
    gzipBytes: bufs.reduce((n, b) => n + gzip(b), 0),
  };
}
const coreWasm = path.join(repo, 'target/bench/core/newslens_bg.wasm');
if (fs.existsSync(coreWasm)) {
  results.code.NewsLensCore = {
    bytes: fs.statSync(coreWasm).size + fs.statSync(codeOf.NewsLens[0]).size,
    gzipBytes: gzip(fs.readFileSync(coreWasm)) + gzip(fs.readFileSync(codeOf.NewsLens[0])),
  };
}

const pkgVersion = (p) => JSON.parse(fs.readFileSync(mod(`${p}/package.json`))).version;
results.versions = {
  chromium: version,
  node: process.version,
  minisearch: pkgVersion('minisearch'),
  flexsearch: pkgVersion('flexsearch'),
  lunr: pkgVersion('lunr'),
  orama: pkgVersion('@orama/orama'),
  newslens: fs.readFileSync(path.join(repo, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1],
};
results.machine = {
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
};
results.date = new Date().toISOString();
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'browser.json'), JSON.stringify(results, null, 2));
log(`wrote ${path.relative(repo, path.join(outDir, 'browser.json'))}`);
