// The million-article archive of `make bench` in Chromium: the archive `newslens publish` wrote
// from `scripts/million.py`'s corpus, served from 127.0.0.1 with 20 ms added to every request.
// For 200 queries of each kind: a first visit (a new reader, nothing cached: `no-store`), the
// time and bytes to its first results (`searchFirst`, as the archive page shows them; the
// manifest, fetched once at opening, and the code are not counted), then the same query again
// (warm), then what counting every match took when the first total was a lower bound. Writes target/bench/archive.json.
//
//     [PER_KIND=200] [ONLY=kind,...] node benches/archive.mjs ARCHIVE_DIR ARTICLES_DIR [PUBLISH_LOG TIME_FILE]
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { serve, launch } from "../tests/common/browser.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const [archiveDir, articlesDir, publishLog, timeFile] = process.argv.slice(2);
const PER_KIND = Number(process.env.PER_KIND ?? 200);

// A seeded generator, so the queries are the same on every run.
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(random() * xs.length)];

// Words of real sentences of the corpus: the first file's articles.
const lines = readFileSync(join(articlesDir, readdirSync(articlesDir).sort()[0]), "utf8").trim().split("\n");
const sentences = lines.map((l) => JSON.parse(l).text.split(/(?<=[.!?])\s+/)).flat();
const words = (s) => s.toLowerCase().match(/[a-z]{5,}/g) ?? [];
const content = () => {
  for (;;) {
    const w = words(pick(sentences));
    if (w.length >= 2) return w;
  }
};
const typo = (w) => {
  const i = 2 + Math.floor(random() * (w.length - 3));
  return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
};
const KINDS = {
  word: () => pick(content()),
  words: () => { const w = content(); return `${w[0]} ${w[1]}`; },
  phrase: () => {
    for (;;) {
      const ws = pick(sentences).toLowerCase().match(/[a-z]+/g) ?? [];
      if (ws.length >= 3) { const i = Math.floor(random() * (ws.length - 1)); return `"${ws[i]} ${ws[i + 1]}"`; }
    }
  },
  prefix: () => `${pick(content()).slice(0, 4)}*`,
  typo: () => typo(pick(content())),
  exclude: () => { const w = content(); return `${w[0]} -${w[1]}`; },
  dates: () => `${pick(content())} after:1995 before:2000`,
};

const requests = [];
const { server, base } = await serve(archiveDir, { delay: 20, requests });
const browser = await launch(root);
const page = await browser.newPage();
await page.goto(`${base}index.html`);
await page.waitForSelector("body[data-ready=yes]");
const load = os.loadavg()[0];
// Entity filters name what the tool itself finds in the first file's articles (the 2,000
// first, as a Corpus in the page recognises and links them): the names a reader would click.
const entityNames = await page.evaluate(async (text) => {
  const { Corpus } = await import("./pkg/newslens.js");
  const corpus = new Corpus();
  corpus.addArticle("sample.jsonl", text);
  while (corpus.prepareEntities(500) > 0);
  const of = (label) => corpus.entities({ label, limit: 300 }).map((e) => e.entity);
  return { person: of("PERSON"), org: of("ORG"), place: of("GPE") };
}, lines.slice(0, 2000).join("\n"));
const quoted = (name) => (/\s/.test(name) ? `"${name}"` : name);
const filter = () => {
  const kind = pick(["person", "org", "place"]);
  return `${kind}:${quoted(pick(entityNames[kind]))}`;
};
// Half an entity filter alone (a click on a name), half a word within it.
KINDS.entity = () => (random() < 0.5 ? filter() : `${pick(content())} ${filter()}`);
const results = {};
// `ONLY=phrase,words` measures those kinds alone (to compare a change quickly).
const only = process.env.ONLY ? new Set(process.env.ONLY.split(",")) : null;
for (const [kind, make] of Object.entries(KINDS)) {
  if (only && !only.has(kind)) continue;
  const queries = Array.from({ length: PER_KIND }, make);
  results[kind] = await page.evaluate(async (queries) => {
    const { Archive } = await import("./pkg/newslens.js");
    const { ArchiveReader } = await import("./archive-reader.js");
    const out = [];
    for (const q of queries) {
      const reader = await ArchiveReader.open(Archive, ".", { cache: "no-store" });
      const [b0, r0, t0] = [reader.bytes, reader.requests, performance.now()];
      // First results, as the archive page shows them.
      const r = await reader.searchFirst(q, { limit: 10 });
      const cold = performance.now() - t0;
      const [bytes, files] = [reader.bytes - b0, reader.requests - r0];
      const t1 = performance.now();
      await reader.searchFirst(q, { limit: 10 });
      const warm = performance.now() - t1;
      // Then every match counted, when the first total was a lower bound.
      const t2 = performance.now();
      if (!r.exact) await reader.search(q, { limit: 10 });
      const complete = cold + performance.now() - t2;
      out.push({ q, total: r.total, exact: r.exact, cold, warm, bytes, files, complete, complete_bytes: reader.bytes - b0 });
    }
    return out;
  }, queries);
  console.log(`  ${kind}: ${queries.length} queries done`);
}
await browser.close();
server.close();
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const at = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const summary = {};
for (const [kind, rs] of Object.entries(results)) {
  summary[kind] = {
    queries: rs.length,
    cold_p50_ms: at(rs.map((r) => r.cold), 0.5), cold_p95_ms: at(rs.map((r) => r.cold), 0.95),
    warm_p50_ms: at(rs.map((r) => r.warm), 0.5), warm_p95_ms: at(rs.map((r) => r.warm), 0.95),
    bytes_p50: at(rs.map((r) => r.bytes), 0.5), bytes_p95: at(rs.map((r) => r.bytes), 0.95),
    bytes_max: Math.max(...rs.map((r) => r.bytes)), files_p95: at(rs.map((r) => r.files), 0.95),
    worst: rs.reduce((a, b) => (b.bytes > a.bytes ? b : a)).q,
    exact_share: rs.filter((r) => r.exact).length / rs.length,
    complete_p95_ms: at(rs.map((r) => r.complete), 0.95),
    complete_bytes_p50: at(rs.map((r) => r.complete_bytes), 0.5),
  };
}
mkdirSync(join(root, "target/bench"), { recursive: true });
// What publishing took: the CLI's own line, and /usr/bin/time's seconds and peak KB.
const publish = {};
try {
  const said = readFileSync(publishLog, "utf8").match(/published (\d+) articles .* in ([\d.]+) s: (\d+) files, ([\d.]+) MB/);
  const [seconds, peakKb] = readFileSync(timeFile, "utf8").trim().split(/\s+/).map(Number);
  Object.assign(publish, { articles: Number(said[1]), files: Number(said[3]), mb: Number(said[4]), seconds, peak_mb: Math.round(peakKb / 1024) });
} catch {
  // Run by hand without the publish figures.
}
writeFileSync(join(root, only ? "target/bench/archive-some.json" : "target/bench/archive.json"), JSON.stringify({ load, delay_ms: 20, publish, summary }, null, 1));
// Every query's figures, to see where the bytes go.
writeFileSync(join(root, "target/bench/archive-queries.json"), JSON.stringify(results));
console.log(`archive bench (load ${load.toFixed(2)}, 20 ms per request):`);
for (const [kind, s] of Object.entries(summary)) {
  console.log(`  ${kind.padEnd(8)} cold p50/p95 ${s.cold_p50_ms.toFixed(0)}/${s.cold_p95_ms.toFixed(0)} ms  warm p50/p95 ${s.warm_p50_ms.toFixed(1)}/${s.warm_p95_ms.toFixed(1)} ms  KB p50/p95/max ${(s.bytes_p50 / 1024).toFixed(0)}/${(s.bytes_p95 / 1024).toFixed(0)}/${(s.bytes_max / 1024).toFixed(0)} (worst: ${s.worst}); total exact ${(100 * s.exact_share).toFixed(0)}%, complete p95 ${s.complete_p95_ms.toFixed(0)} ms, KB p50 ${(s.complete_bytes_p50 / 1024).toFixed(0)}`);
}
