// The benchmark corpora, the query set and Cranfield, read from ../shared (never copied into the
// repository). Every engine gets the same articles: NewsLens the raw text (it parses it), the
// peers the title (first line) and the body (the rest).
import fs from 'node:fs';
import path from 'node:path';

const read = (p) => {
  const bytes = fs.readFileSync(p);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return utf8.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
};

/** An article from its raw text: the first non-empty line is the title. */
export function article(id, name, raw) {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  const nl = text.indexOf('\n');
  const title = (nl < 0 ? text : text.slice(0, nl)).trim();
  const body = nl < 0 ? '' : text.slice(nl + 1).trim();
  return { id, name, title, body, raw: text };
}

function listDir(dir) {
  return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
}

export function seeds(repo) {
  return listDir(path.join(repo, 'www/corpus'))
    .filter((f) => f.endsWith('.txt'))
    .map((f, i) => article(i, path.basename(f), read(f)));
}

/** The BBC news files under `dir` as [{name: "topic/n.txt", path}], in topic and name order. */
export function bbcPaths(dir) {
  return ['business', 'entertainment', 'politics', 'sport', 'tech'].flatMap((topic) =>
    listDir(path.join(dir, topic))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => ({ name: `${topic}/${path.basename(f)}`, path: f })));
}

export function bbc(shared) {
  return bbcPaths(path.join(shared, 'data/bbc')).map((f, i) => article(i, f.name, read(f.path)));
}

/** The records of a SMART file (Cranfield): [{I, T, A, B, W}] with text fields as strings. */
function smart(file) {
  const out = [];
  let rec = null;
  let field = null;
  for (const line of read(file).split('\n')) {
    if (line.startsWith('.I ')) {
      rec = { I: line.slice(3).trim() };
      out.push(rec);
      field = null;
    } else if (/^\.[A-Z]$/.test(line.trim()) && rec) {
      field = line.trim()[1];
      rec[field] = '';
    } else if (rec && field) {
      rec[field] += (rec[field] ? ' ' : '') + line.trim();
    }
  }
  return out;
}

/** Cranfield: 1,400 abstracts, 225 queries, graded judgements (1 the most relevant, 4 least). */
export function cranfield(shared) {
  const root = path.join(shared, 'data/cranfield');
  const docs = smart(path.join(root, 'cran.all.1400')).map((r, i) =>
    article(i, `cran-${r.I}`, `${(r.T || '').trim()}\n\n${(r.W || '').trim()}`),
  );
  const queries = smart(path.join(root, 'cran.qry')).map((r) => (r.W || '').trim());
  const qrels = new Map(); // query number (1-based, in file order) -> Map(doc index -> code)
  for (const line of read(path.join(root, 'cranqrel')).split('\n')) {
    const [q, d, code] = line.trim().split(/\s+/).map(Number);
    if (!q || !d) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q).set(d - 1, code);
  }
  return { docs, queries, qrels };
}

/** CoNLL-2003 documents as text (tokens joined by spaces, one sentence per line). */
function conllDocs(file) {
  const docs = [];
  let sent = [];
  let doc = null;
  const flush = () => {
    if (sent.length && doc) doc.push(sent.join(' '));
    sent = [];
  };
  for (const line of read(file).split('\n')) {
    if (line.startsWith('-DOCSTART-')) {
      flush();
      doc = [];
      docs.push(doc);
    } else if (!line.trim()) {
      flush();
    } else {
      sent.push(line.split(' ')[0]);
    }
  }
  flush();
  return docs.filter((d) => d.length);
}

/**
 * The scale corpus (over 20,000 articles), from real text only: the 2,225 BBC articles; each BBC
 * paragraph as a brief under its article's headline; the 1,400 Cranfield abstracts; the CoNLL-2003
 * train and dev documents (Reuters, 1996) whole, and cut into wire items of three sentences.
 */
export function scale(shared) {
  const out = [];
  const add = (name, raw) => out.push(article(out.length, name, raw));
  const news = bbc(shared);
  for (const a of news) add(a.name, a.raw);
  for (const a of news) {
    a.body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 40)
      .forEach((p, i) => add(`${a.name}#${i + 1}`, `${a.title}\n\n${p}`));
  }
  for (const d of cranfield(shared).docs) add(d.name, d.raw);
  for (const split of ['eng.train', 'eng.testa']) {
    conllDocs(path.join(shared, 'data/conll2003', split)).forEach((doc, i) => {
      add(`conll-${split}-${i}`, `${doc[0]}\n\n${doc.slice(1).join('\n')}`);
      for (let s = 1; s < doc.length; s += 3) {
        const part = doc.slice(s, s + 3);
        add(`conll-${split}-${i}.${s}`, `${doc[0]}\n\n${part.join('\n')}`);
      }
    });
  }
  return out;
}

/** A small deterministic generator: the same queries on every run. */
function rng(seed) {
  let x = BigInt(seed);
  const mask = (1n << 64n) - 1n;
  return () => {
    x ^= (x << 13n) & mask;
    x ^= x >> 7n;
    x ^= (x << 17n) & mask;
    return Number(x >> 11n);
  };
}

const STOP = new Set(
  'a an and are as at be but by for from had has have he her his i in is it its of on or she that the their they this to was were which will with would not been said also than then there these those who what when where after over into more about could'.split(
    ' ',
  ),
);

/**
 * 500 queries drawn from the corpus's own words: 100 each of single words, two words, phrases
 * (three words, quoted), prefixes (the first four letters of a word of six or more) and one-typo
 * words (two neighbouring letters swapped). A trailing space marks a finished word (no prefix
 * matching), as when typing.
 */
export function queries(docs, n = 100) {
  const next = rng(0x9e3779b97f4a7c15n);
  const out = [];
  const kinds = ['word', 'two words', 'phrase', 'prefix', 'typo'];
  const content = (w) => w.length >= 4 && !STOP.has(w.toLowerCase());
  let guard = 0;
  while (out.length < kinds.length * n && guard++ < 1e6) {
    const d = docs[next() % docs.length];
    const firstPara = d.body.split(/\n\s*\n/)[0] || '';
    const words = firstPara.split(/[^\p{L}]+/u).filter((w) => w);
    if (words.length < 4) continue;
    const i = next() % (words.length - 3);
    const w = words[i];
    const kind = kinds[Math.floor(out.length / n)];
    let q = null;
    if (kind === 'word' && content(w)) q = `${w} `;
    else if (kind === 'two words' && content(w) && content(words[i + 1])) q = `${w} ${words[i + 1]} `;
    else if (kind === 'phrase') q = `"${words[i]} ${words[i + 1]} ${words[i + 2]}"`;
    else if (kind === 'prefix' && [...w].length >= 6) q = [...w].slice(0, 4).join('');
    else if (kind === 'typo' && [...w].length >= 5 && content(w)) {
      const c = [...w];
      const j = 1 + (next() % (c.length - 2));
      [c[j], c[j + 1]] = [c[j + 1], c[j]];
      q = `${c.join('')} `;
    }
    if (q) out.push({ kind, q });
  }
  return out;
}

/** nDCG@10 with graded gains 5 - code, as scripts/cranfield.py computes it. */
export function ndcg10(ranked, judged) {
  const gain = (d) => {
    const c = judged.get(d);
    return c >= 1 && c <= 4 ? 5 - c : 0;
  };
  let dcg = 0;
  ranked.slice(0, 10).forEach((d, i) => (dcg += gain(d) / Math.log2(i + 2)));
  const ideal = [...judged.keys()].map(gain).sort((a, b) => b - a).slice(0, 10);
  let idcg = 0;
  ideal.forEach((g, i) => (idcg += g / Math.log2(i + 2)));
  return idcg > 0 ? dcg / idcg : 0;
}
