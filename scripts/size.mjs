// `make size`: the sizes of the two modules in target/size/ (full, search-only "core"), raw and
// gzip -9, and how fast each loads an index and searches it (Node, the same index, rounds
// interleaved so both see the same machine), with the machine's load. Last line:
// `size: core N KB gzip, full M KB gzip` (KB = 1,024 bytes).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "target/size");
const kb = (n) => (n / 1024).toFixed(1);

const modules = {};
for (const name of ["core", "full"]) {
  const dir = join(out, name);
  const wasm = readFileSync(join(dir, "newslens_bg.wasm"));
  const m = await import(join(dir, "newslens.js"));
  m.initSync({ module: wasm });
  modules[name] = { m, raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };
}

// The index both load: the BBC articles when ../shared is there, else the bundled seeds.
const bbc = join(root, "../shared/data/bbc");
const source = existsSync(bbc) ? bbc : join(root, "www/corpus");
const indexFile = join(out, existsSync(bbc) ? "bbc.nlix" : "seeds.nlix");
mkdirSync(out, { recursive: true });
if (!existsSync(indexFile)) {
  execFileSync(join(root, "target/release/newslens"), ["index", source, "--out", indexFile], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}
const index = readFileSync(indexFile);
const queries = [
  "election", "prime minister", "tony blair labour", "oil prices rise", "football club manager",
  "mobile phone", "film award", "econ*", "goverment", "\"world cup\"", "person:\"Kem Sokha\"",
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { core: { load: [], search: [] }, full: { load: [], search: [] } };
for (let round = 0; round < 7; round++) {
  for (const name of round % 2 ? ["core", "full"] : ["full", "core"]) {
    const { m } = modules[name];
    let t = performance.now();
    const corpus = m.Corpus.fromIndex(index);
    times[name].load.push(performance.now() - t);
    for (const q of queries) corpus.search(q); // warm
    t = performance.now();
    for (let r = 0; r < 5; r++) for (const q of queries) corpus.search(q);
    times[name].search.push((performance.now() - t) / (5 * queries.length));
    corpus.free();
  }
}

const lines = [
  `index: ${indexFile.replace(root + "/", "")} (${kb(index.length)} KB); load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  "| module | raw KB | gzip KB | load index ms | search ms/query |",
  "| --- | ---: | ---: | ---: | ---: |",
];
for (const name of ["core", "full"]) {
  const { raw, gzip } = modules[name];
  lines.push(
    `| ${name} | ${kb(raw)} | ${kb(gzip)} | ${median(times[name].load).toFixed(1)} | ${median(times[name].search).toFixed(3)} |`,
  );
}
const ratio = (what) => (median(times.core[what]) / median(times.full[what])).toFixed(2);
lines.push(`core / full: load ${ratio("load")}x, search ${ratio("search")}x (medians of 7 interleaved rounds)`);
writeFileSync(join(out, "size.md"), lines.join("\n") + "\n");
console.log(lines.join("\n"));
console.log(`size: core ${kb(modules.core.gzip)} KB gzip, full ${kb(modules.full.gzip)} KB gzip`);
