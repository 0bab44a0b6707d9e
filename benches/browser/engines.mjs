// The engines under test, each behind the same small interface, configured as closely as each
// allows to how NewsLens searches: ranked OR of the query's words, the title weighted above the
// body, one typo forgiven in words of 4-7 letters and two from 8, the last word matched as a
// prefix unless followed by a space, the top 10 results.
//
//   build(docs)          -> handle     (docs: [{id, name, title, body, raw}])
//   search(handle, q)    -> [doc id]   (best first, at most 10)
//   rank(handle, q)      -> [doc id]   a question answered with the engine's default query
//                                      mode, for ranking quality (Cranfield)
//   save(handle)         -> string | Uint8Array
//   load(saved)          -> handle
import initNewsLens, { Corpus } from '/www/pkg/newslens.js';
import MiniSearch from '/benches/browser/node_modules/minisearch/dist/es/index.js';
import FlexSearch from '/benches/browser/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs';
import * as orama from '/benches/browser/node_modules/@orama/orama/dist/browser/index.js';

/** Edits forgiven in a word, as NewsLens forgives them. */
const edits = (w) => ([...w].length >= 8 ? 2 : [...w].length >= 4 ? 1 : 0);
/** The query's words (quotes and operators dropped: the peers have no phrases). */
const words = (q) => q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const typing = (q) => !/\s$/.test(q) && !q.trim().endsWith('"');

let wasm = null;
export async function initWasm() {
  if (!wasm) wasm = await initNewsLens({ module_or_path: '/www/pkg/newslens_bg.wasm' });
  return wasm;
}

export const engines = {
  NewsLens: {
    async build(docs, { entities = true } = {}) {
      await initWasm();
      const c = new Corpus();
      for (const d of docs) {
        try {
          c.addArticle(`${d.id}.txt`, d.raw);
        } catch {
          // An empty document (Cranfield has two) is refused; it could not be found anyway.
        }
      }
      if (entities) {
        c.prepareEntities(docs.length);
        c.entities({ limit: 1 });
      }
      return c;
    },
    search(c, q) {
      return c.search(q, { limit: 10 }).hits.map((h) => parseInt(h.name, 10));
    },
    /** Ids only, as the peers return them (search() also builds each hit's snippet). */
    searchIds(c, q) {
      return c.rank(q, { limit: 10 }).hits.map((h) => h.id);
    },
    rank(c, q) {
      return this.search(c, `${q} `);
    },
    save(c) {
      return c.toIndex();
    },
    async load(bytes) {
      await initWasm();
      return Corpus.fromIndex(bytes);
    },
  },

  MiniSearch: {
    options: {
      fields: ['title', 'body'],
      storeFields: [],
      searchOptions: { boost: { title: 2 } },
    },
    build(docs) {
      const ms = new MiniSearch(this.options);
      ms.addAll(docs.map((d) => ({ id: d.id, title: d.title, body: d.body })));
      return ms;
    },
    search(ms, q) {
      const last = typing(q);
      return ms
        .search(words(q).join(' '), {
          prefix: (_t, i, all) => last && i === all.length - 1,
          fuzzy: (t) => edits(t),
        })
        .slice(0, 10)
        .map((r) => r.id);
    },
    rank(ms, q) {
      return ms.search(q).slice(0, 10).map((r) => r.id);
    },
    save(ms) {
      return JSON.stringify(ms);
    },
    load(json) {
      return MiniSearch.loadJSON(json, this.options);
    },
  },

  lunr: {
    build(docs) {
      return window.lunr(function () {
        this.ref('id');
        this.field('title', { boost: 2 });
        this.field('body');
        for (const d of docs) this.add({ id: d.id, title: d.title, body: d.body });
      });
    },
    search(idx, q) {
      const ws = words(q);
      const last = typing(q);
      if (!ws.length) return [];
      return idx
        .query((query) => {
          ws.forEach((w, i) => {
            query.term(w, { editDistance: edits(w) });
            if (last && i === ws.length - 1) {
              query.term(w, { wildcard: window.lunr.Query.wildcard.TRAILING, usePipeline: false });
            }
          });
        })
        .slice(0, 10)
        .map((r) => Number(r.ref));
    },
    rank(idx, q) {
      const ws = words(q);
      return idx
        .query((query) => ws.forEach((w) => query.term(w)))
        .slice(0, 10)
        .map((r) => Number(r.ref));
    },
    save(idx) {
      return JSON.stringify(idx);
    },
    load(json) {
      return window.lunr.Index.load(JSON.parse(json));
    },
  },

  FlexSearch: {
    // No edit-distance typos: the closest is the "balance" encoder (folds similar letters)
    // with suggestions (results missing a word); "forward" tokenising gives prefixes.
    options: {
      tokenize: 'forward',
      encoder: FlexSearch.Charset.LatinBalance,
      document: { id: 'id', index: ['title', 'body'] },
    },
    build(docs) {
      const idx = new FlexSearch.Document(this.options);
      for (const d of docs) idx.add({ id: d.id, title: d.title, body: d.body });
      return idx;
    },
    search(idx, q) {
      const r = idx.search(words(q).join(' '), { limit: 10, suggest: true, merge: true });
      return r.slice(0, 10).map((x) => x.id);
    },
    rank(idx, q) {
      return this.search(idx, q);
    },
    async save(idx) {
      const parts = {};
      await idx.export((key, data) => {
        parts[key] = data;
      });
      return JSON.stringify(parts);
    },
    async load(json) {
      const idx = new FlexSearch.Document(this.options);
      const parts = JSON.parse(json);
      for (const key of Object.keys(parts)) await idx.import(key, parts[key]);
      return idx;
    },
  },

  Orama: {
    schema: { title: 'string', body: 'string' },
    async build(docs) {
      const db = orama.create({ schema: this.schema });
      await orama.insertMultiple(
        db,
        docs.map((d) => ({ id: String(d.id), title: d.title, body: d.body })),
        1000,
      );
      return db;
    },
    async search(db, q) {
      // Orama matches every word as a prefix and applies one tolerance to every word.
      const ws = words(q);
      const r = await orama.search(db, {
        term: ws.join(' '),
        properties: ['title', 'body'],
        boost: { title: 2 },
        tolerance: Math.max(0, ...ws.map(edits)),
        threshold: 1,
        limit: 10,
      });
      return r.hits.map((h) => Number(h.id));
    },
    async rank(db, q) {
      const r = await orama.search(db, { term: q, properties: ['title', 'body'], limit: 10 });
      return r.hits.map((h) => Number(h.id));
    },
    save(db) {
      return JSON.stringify(orama.save(db));
    },
    async load(json) {
      const db = orama.create({ schema: this.schema });
      orama.load(db, JSON.parse(json));
      return db;
    },
  },
};
