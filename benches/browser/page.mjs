// The in-page side of the browser benchmark (driven by run.mjs): builds each engine's index over
// a corpus, measures time, memory and latency, and posts each serialised index back.
import { engines, initWasm } from './engines.mjs';

const gc = () => (typeof window.gc === 'function' ? window.gc() : undefined);
const heap = () => {
  gc();
  gc();
  return performance.memory ? performance.memory.usedJSHeapSize : 0;
};
const settle = (v) => (v instanceof Promise ? v : Promise.resolve(v));

async function fetchJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

/** Seconds each query takes: every query run once to warm up, then timed over enough repetitions
 * to measure at least 2 ms (the timer's resolution is a few microseconds). */
async function latencies(search, handle, queries) {
  const out = [];
  for (const { q } of queries) await settle(search(handle, q));
  for (const { kind, q } of queries) {
    let reps = 1;
    for (;;) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) await settle(search(handle, q));
      const el = performance.now() - t;
      if (el >= 2 || reps >= 4096) {
        out.push({ kind, ms: el / reps });
        break;
      }
      reps *= 4;
    }
  }
  return out;
}

async function post(key, data) {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const r = await fetch(`/save/${key}`, { method: 'POST', body });
  if (!r.ok) throw new Error(`saving ${key}: ${r.status}`);
  return body.length;
}

window.benchCorpus = async (corpus, names) => {
  const { docs, queries } = await fetchJson(`/data/${corpus}.json`);
  const wasm = await initWasm();
  const results = {};
  for (const name of names) {
    const engine = engines[name];
    const heap0 = heap();
    const wasm0 = wasm.memory.buffer.byteLength;
    const t0 = performance.now();
    let handle = await settle(engine.build(docs));
    const indexMs = performance.now() - t0;
    const r = { indexMs };
    r.heapBytes = heap() - heap0;
    r.wasmBytes = wasm.memory.buffer.byteLength - wasm0;
    if (name === 'NewsLens') {
      // Without entities too (search only), on a second corpus.
      const t1 = performance.now();
      const plain = await engine.build(docs, { entities: false });
      r.indexMsSearchOnly = performance.now() - t1;
      plain.free();
    }
    r.indexBytes = await post(`${name}-${corpus}`, await settle(engine.save(handle)));
    r.latency = await latencies(engine.search.bind(engine), handle, queries);
    if (engine.searchIds) {
      r.latencyIds = await latencies(engine.searchIds.bind(engine), handle, queries);
    }
    r.sample = {};
    for (const { q } of queries.slice(0, 3)) r.sample[q] = await settle(engine.search(handle, q));
    if (handle && typeof handle.free === 'function') handle.free();
    handle = null;
    results[name] = r;
    document.getElementById('status').textContent = `${corpus}: ${name} done`;
  }
  return results;
};

window.benchCranfield = async (names) => {
  const { docs, queries } = await fetchJson('/data/cranfield.json');
  const out = {};
  for (const name of names) {
    const engine = engines[name];
    const handle = await settle(engine.build(docs, { entities: false }));
    const runs = [];
    for (const q of queries) runs.push(await settle(engine.rank(handle, q)));
    if (handle && typeof handle.free === 'function') handle.free();
    out[name] = runs;
  }
  return out;
};
