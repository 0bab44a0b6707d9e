#!/usr/bin/env node
// lunr and MiniSearch with their default settings on one test collection, for
// scripts/ranking.py: reads DOCS.jsonl ({"id", "title"?, "text"}) and QUERIES.tsv
// (qid<TAB>text) and prints a TREC run (top 100) for each, tagged `lunr` and `MiniSearch`.
//
//   node benches/browser/ranking.mjs DOCS.jsonl QUERIES.tsv
//
// Both index two fields, title and text, with no boosts; a query is its words, any of which
// may match (each engine's default). lunr is queried through its own tokenizer and pipeline
// (`query.term`), since its query-string syntax reads `:` `~` `^` `+` `-` `*` in plain
// questions as operators; MiniSearch through `search(text)`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ensurePeers } from './peers.mjs';

ensurePeers();
const require = createRequire(import.meta.url);
const lunr = require('lunr');
const MiniSearch = require('minisearch');

const [docsPath, queriesPath] = process.argv.slice(2);
const docs = fs
  .readFileSync(docsPath, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))
  .map((d) => ({ id: String(d.id), title: d.title || '', text: d.text }));
const queries = fs
  .readFileSync(queriesPath, 'utf8')
  .split('\n')
  .filter((l) => l.includes('\t'))
  .map((l) => l.split('\t'));

const out = [];
const emit = (tag, qid, ids) =>
  ids.slice(0, 100).forEach((id, i) => out.push(`${qid} Q0 ${id} ${i + 1} ${100 - i} ${tag}`));

const idx = lunr(function () {
  this.ref('id');
  this.field('title');
  this.field('text');
  for (const d of docs) this.add(d);
});
for (const [qid, q] of queries) {
  const tokens = lunr.tokenizer(q);
  const hits = idx.query((query) => query.term(tokens));
  emit('lunr', qid, hits.map((h) => h.ref));
}

const ms = new MiniSearch({ fields: ['title', 'text'] });
ms.addAll(docs);
for (const [qid, q] of queries) emit('MiniSearch', qid, ms.search(q).map((h) => String(h.id)));

process.stdout.write(out.join('\n') + '\n');
