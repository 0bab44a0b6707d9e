// A corpus of about 100 MB in the browser module, and then past its limit: used by the page
// tests (`tests/e2e/`, which assert on it) and by the browser benchmark (which reports it).
//
// The files are loaded `copies` times under different names (the BBC articles twenty times
// over make 100.8 MB of text, the corpus the native benchmark measures), through `addFile`
// as the page adds files; entities are recognised as the page does, in slices. Then copies
// are added until the module refuses one for passing the 128 MB limit.
import { readFileSync } from "node:fs";
import { bbcPaths } from "./corpora.mjs";

/// Every BBC news file under `dir`, as `{ name, bytes }`, in topic and name order.
export function bbcFiles(dir) {
  return bbcPaths(dir).map((f) => ({ name: f.name, bytes: readFileSync(f.path) }));
}

/// Runs the measurement in `page` (a Playwright page of a fresh browser context), importing
/// the module from `moduleUrl` (http). Returns the figures; throws if the page does.
export async function largeCorpus(page, { moduleUrl, files, copies = 20 }) {
  const origin = new URL(moduleUrl).origin;
  const blob = Buffer.concat(files.map((f) => f.bytes));
  let at = 0;
  const ends = files.map((f) => (at += f.bytes.length)); // where each file ends in `blob`
  await page.route(`${origin}/__large/page.html`, (r) => r.fulfill({
    body: "<!doctype html><meta charset=utf-8><title>NewsLens: a large corpus</title>",
    contentType: "text/html; charset=utf-8",
  }));
  await page.route(`${origin}/__large/files.bin`, (r) => r.fulfill({
    body: blob, contentType: "application/octet-stream",
  }));
  await page.goto(`${origin}/__large/page.html`);
  return page.evaluate(async ({ moduleUrl, names, ends, copies }) => {
    const { default: init, Corpus } = await import(moduleUrl);
    const wasm = await init();
    const memory = () => wasm.memory.buffer.byteLength;
    const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : 0);
    const all = new Uint8Array(await (await fetch("/__large/files.bin")).arrayBuffer());
    const starts = [0, ...ends.slice(0, -1)];
    const file = (i) => all.subarray(starts[i], ends[i]);
    const seconds = (t) => (performance.now() - t) / 1000;
    const r = { files: names.length, copies, fileBytes: all.length * copies };
    const memory0 = memory();
    const heap0 = heap();
    const c = new Corpus();
    const refused = [];
    let t = performance.now();
    for (let k = 0; k < copies; k++) {
      for (let i = 0; i < names.length; i++) {
        try {
          c.addFile(`${k}/${names[i]}`, file(i));
        } catch (e) {
          refused.push(e.message);
        }
      }
    }
    r.indexSeconds = seconds(t);
    r.refused = refused.slice(0, 5);
    r.articles = c.len();
    r.textBytes = c.textBytes();
    t = performance.now();
    let left = c.prepareEntities(0);
    r.pending = left;
    while (left > 0) left = c.prepareEntities(500);
    r.entitySeconds = seconds(t);
    t = performance.now();
    const ranked = c.rank("prime minister ", { limit: 10 });
    r.firstQueryMs = seconds(t) * 1000;
    r.total = ranked.total;
    t = performance.now();
    const found = c.search("prime minister ", { limit: 10 });
    r.firstSearchMs = seconds(t) * 1000;
    r.snippetsShown = found.hits.length;
    r.people = c.entities({ label: "PERSON", limit: 3 }).map((e) => e.entity);
    r.wasmBytes = memory() - memory0;
    r.heapBytes = heap() - heap0;
    // Past the limit: more copies until one file is refused.
    r.limit = null;
    for (let k = copies; k < copies * 2 && !r.limit; k++) {
      for (let i = 0; i < names.length; i++) {
        const before = c.len();
        const bytes = c.textBytes();
        try {
          c.addFile(`${k}/${names[i]}`, file(i));
        } catch (e) {
          r.limit = {
            message: e.message, articles: c.len(), textBytes: c.textBytes(),
            unchanged: c.len() === before && c.textBytes() === bytes,
          };
          break;
        }
      }
    }
    r.totalAtLimit = c.rank("prime minister ", { limit: 10 }).total;
    r.wasmBytesAtLimit = memory() - memory0;
    c.free();
    return r;
  }, { moduleUrl, names: files.map((f) => f.name), ends, copies });
}
