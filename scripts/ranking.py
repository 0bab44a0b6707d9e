#!/usr/bin/env python3
"""Ranking quality over every test collection: NewsLens, textbook BM25, lunr and MiniSearch.

Usage: scripts/ranking.py [--shared ../shared] [--bin target/release/newslens]
                          [--ranking k1=1.2,b=0.75,...] [--tune] [--losses N] [--json]

Reads Cranfield (../shared/data/cranfield) and CACM, MED and NPL (../shared/data/ir; never
copied into the repository), writes each collection's documents as JSON Lines and its queries
as TSV under target/ranking/<name>/, and scores:

- NewsLens: `newslens batch` (TREC run, top 100) with the shipped settings, or --ranking's;
- BM25: the textbook formula implemented here (k1 1.2, b 0.75, Lucene's idf
  ln(1 + (N - df + 0.5) / (df + 0.5)), the SMART stop list, Porter2 stems, one bag of words per
  document: title and text);
- lunr 2.3.9 and MiniSearch 7.2.0 with their defaults (benches/browser/ranking.mjs).

Measures (as trec_eval computes them, binary relevance, the top 100 of each run): nDCG@10 with a
log2 discount over the ideal ordering of all relevant documents, MAP@100 (AP over the top 100,
divided by all relevant documents) and P@10; the mean over a collection's judged queries, then
the mean over collections.

--tune searches the ranking parameters leave-one-collection-out: for each collection the
setting with the best mean nDCG@10 on the other three is scored on it. The grid and the chosen
settings are printed; the shipped defaults (src/search.rs) are the grid's best on the mean of
all four, which that scheme checks transfer.

Collection traps (see ../shared/data/ir/README.md): Cranfield's n-th query is query n of its
qrels, not its .I number, and codes 1-4 are relevant, -1 not; CACM's `.B`/`.A` come after `.W`
and are not abstract text, its query file ends with an empty `.I 0` record and only 52 queries
are judged; MED's documents have no separate title (CRLF); NPL's documents have none either.
"""
import argparse
import itertools
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = ["cranfield", "cacm", "med", "npl"]
SNOWBALL = "snowballstemmer==2.2.0"


# ---- Reading the collections ------------------------------------------------------------------

def smart_records(path):
    """Yields {field letter: [lines]} for each .I record of a SMART file (`I` holds the id)."""
    record, field, lines = None, None, []
    with open(path, encoding="utf-8", errors="replace", newline=None) as f:
        for line in f:
            line = line.rstrip("\r\n").rstrip()
            if line.startswith(".I ") or line == ".I":
                if record is not None:
                    if field is not None:
                        record[field] = lines
                    yield record
                record, field, lines = {"I": line[3:].strip()}, None, []
            elif len(line) == 2 and line.startswith(".") and line[1].isalpha():
                if field is not None:
                    record[field] = lines
                field, lines = line[1], []
            else:
                lines.append(line)
    if record is not None:
        if field is not None:
            record[field] = lines
        yield record


def joined(lines):
    return " ".join(l.strip() for l in lines if l.strip())


def unwrap(lines):
    """SMART text is wrapped at about 70 columns; an indented line starts a paragraph."""
    paragraphs, cur = [], []
    for line in lines:
        if line.startswith("  ") and cur:
            paragraphs.append(" ".join(cur))
            cur = []
        if line.strip():
            cur.append(line.strip())
    if cur:
        paragraphs.append(" ".join(cur))
    return "\n\n".join(paragraphs)


def cranfield(shared):
    src = os.path.join(shared, "data", "cranfield")
    docs = []
    for r in smart_records(os.path.join(src, "cran.all.1400")):
        docs.append({"id": r["I"], "title": joined(r.get("T", [])), "text": unwrap(r.get("W", []))})
    queries = [(str(n), joined(r.get("W", [])))
               for n, r in enumerate(smart_records(os.path.join(src, "cran.qry")), start=1)]
    qrels = defaultdict(set)
    with open(os.path.join(src, "cranqrel")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and 1 <= int(parts[2]) <= 4:
                qrels[parts[0]].add(parts[1])
    return docs, queries, qrels


def cacm(shared):
    src = os.path.join(shared, "data", "ir", "cacm")
    docs = []
    for r in smart_records(os.path.join(src, "cacm.all")):
        # Title and abstract only: .B (issue), .A (authors), .N, .X follow .W and are not text.
        docs.append({"id": r["I"], "title": joined(r.get("T", [])), "text": unwrap(r.get("W", []))})
    queries = [(str(int(r["I"])), joined(r.get("W", [])))
               for r in smart_records(os.path.join(src, "query.text")) if r["I"] not in ("", "0")]
    qrels = defaultdict(set)
    with open(os.path.join(src, "qrels.text")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                qrels[str(int(parts[0]))].add(str(int(parts[1])))
    return docs, queries, qrels


def med(shared):
    src = os.path.join(shared, "data", "ir", "med")
    docs = [{"id": r["I"], "title": "", "text": joined(r.get("W", []))}
            for r in smart_records(os.path.join(src, "MED.ALL"))]
    queries = [(r["I"], joined(r.get("W", [])))
               for r in smart_records(os.path.join(src, "MED.QRY"))]
    qrels = defaultdict(set)
    with open(os.path.join(src, "MED.REL")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and parts[3] != "0":
                qrels[parts[0]].add(parts[2])
    return docs, queries, qrels


def slash_records(path):
    """NPL's format: an id line, text lines, a `/` line."""
    out, cur = [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if s == "/":
                if cur is not None:
                    out.append((cur[0], cur[1]))
                cur = None
            elif cur is None:
                if s:
                    cur = (s, [])
            else:
                cur[1].append(s)
    return out


def npl(shared):
    src = os.path.join(shared, "data", "ir", "npl")
    docs = [{"id": i, "title": "", "text": " ".join(lines)}
            for i, lines in slash_records(os.path.join(src, "doc-text"))]
    queries = [(i, " ".join(lines).lower())
               for i, lines in slash_records(os.path.join(src, "query-text"))]
    qrels = defaultdict(set)
    for qid, lines in slash_records(os.path.join(src, "rlv-ass")):
        for d in " ".join(lines).split():
            qrels[qid].add(d)
    return docs, queries, qrels


READERS = {"cranfield": cranfield, "cacm": cacm, "med": med, "npl": npl}


def write(name, docs, queries, out):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    docs_path, queries_path = os.path.join(d, "docs.jsonl"), os.path.join(d, "queries.tsv")
    with open(docs_path, "w", encoding="utf-8") as f:
        for doc in docs:
            rec = {"id": doc["id"], "text": doc["text"] or doc["title"] or "(empty)"}
            if doc["title"] and doc["text"]:
                rec["title"] = doc["title"]
            f.write(json.dumps(rec) + "\n")
    with open(queries_path, "w", encoding="utf-8") as f:
        for qid, q in queries:
            f.write(f"{qid}\t{q}\n")
    return docs_path, queries_path


# ---- Scoring ------------------------------------------------------------------------------------

def evaluate(run, qrels):
    """Per-query nDCG@10, AP@100, P@10 over the judged queries."""
    out = {}
    for qid, rel in qrels.items():
        ranked = run.get(qid, [])[:100]
        dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in rel)
        idcg = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
        hits, ap = 0, 0.0
        for i, d in enumerate(ranked):
            if d in rel:
                hits += 1
                ap += hits / (i + 1)
        out[qid] = (dcg / idcg, ap / len(rel), sum(1 for d in ranked[:10] if d in rel) / 10)
    return out


def means(per_query):
    n = len(per_query)
    return tuple(sum(v[i] for v in per_query.values()) / n for i in range(3))


def read_trec(text):
    runs = defaultdict(lambda: defaultdict(list))
    for line in text.splitlines():
        qid, _, doc, _rank, _score, tag = line.split()
        runs[tag][qid].append(doc)
    return runs


def newslens_runs(binary, docs_path, queries_path, specs):
    cmd = [binary, "batch", "--corpus", docs_path, "--queries", queries_path, "--limit", "100"]
    if specs != [""]:
        cmd += ["--ranking", ";".join(specs)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    runs = read_trec(out)
    if specs == [""] or len(specs) == 1:
        return [runs.get("newslens", {})]
    return [runs.get(f"r{i + 1}", {}) for i in range(len(specs))]


# ---- Textbook BM25 ------------------------------------------------------------------------------

def smart_stop_words(shared):
    """The SMART stop list as the CACM distribution ships it (common_words)."""
    with open(os.path.join(shared, "data", "ir", "cacm", "common_words")) as f:
        return {w.strip().lower() for w in f if w.strip()}


def stemmer():
    sys.path.insert(0, os.path.join(ROOT, ".tools", "python"))
    try:
        import snowballstemmer
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--target", os.path.join(ROOT, ".tools", "python"), SNOWBALL], check=True)
        import snowballstemmer
    return snowballstemmer.stemmer("english")


def bm25_run(docs, queries, stop, stem, k1=1.2, b=0.75):
    word = re.compile(r"[a-z0-9]+")
    cache = {}

    def terms(text):
        out = []
        for w in word.findall(text.lower()):
            if w in stop:
                continue
            t = cache.get(w)
            if t is None:
                t = cache[w] = stem.stemWord(w)
            out.append(t)
        return out

    postings = defaultdict(list)
    lengths = []
    for i, d in enumerate(docs):
        tf = Counter(terms(d["title"] + " " + d["text"]))
        lengths.append(sum(tf.values()))
        for t, c in tf.items():
            postings[t].append((i, c))
    n = len(docs)
    avg = sum(lengths) / n
    run = {}
    for qid, q in queries:
        scores = defaultdict(float)
        for t, qtf in Counter(terms(q)).items():
            plist = postings.get(t, [])
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            for i, c in plist:
                scores[i] += qtf * idf * c * (k1 + 1) / (c + k1 * (1 - b + b * lengths[i] / avg))
        best = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:100]
        run[qid] = [docs[i]["id"] for i, _ in best]
    return run


def peer_runs(docs_path, queries_path):
    out = subprocess.run(["node", os.path.join(ROOT, "benches", "browser", "ranking.mjs"),
                          docs_path, queries_path], check=True, capture_output=True, text=True).stdout
    return read_trec(out)


# ---- Leave-one-collection-out tuning -------------------------------------------------------------

GRID = {
    "k1": [0.9, 1.2, 1.6, 2.0],
    "b": [0.5, 0.75, 0.9],
    "title": [1.0, 1.5, 2.0],
    "proximity": [0.0, 0.15, 0.3],
    "feedback": [0.0, 0.25, 0.5],
    "coord": [0.0, 1.0],
}


def tune(binary, files, qrels, grid):
    keys = list(grid)
    specs = [",".join(f"{k}={v}" for k, v in zip(keys, combo))
             for combo in itertools.product(*(grid[k] for k in keys))]
    ndcg = {}  # collection -> [mean nDCG@10 per spec]
    for name, (docs_path, queries_path) in files.items():
        runs = []
        for chunk in range(0, len(specs), 64):
            runs += newslens_runs(binary, docs_path, queries_path, specs[chunk:chunk + 64])
        ndcg[name] = [means(evaluate(r, qrels[name]))[0] for r in runs]
        print(f"  tuned over {len(specs)} settings on {name}", file=sys.stderr)
    names = list(files)
    avg = [sum(ndcg[c][i] for c in names) / len(names) for i in range(len(specs))]
    best = max(range(len(specs)), key=lambda i: (avg[i], -i))
    loco = {}
    for held in names:
        others = [c for c in names if c != held]
        pick = max(range(len(specs)),
                   key=lambda i: (sum(ndcg[c][i] for c in others), -i))
        loco[held] = (specs[pick], ndcg[held][pick])
    return specs[best], avg[best], loco


# ---- Report ---------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "newslens"))
    ap.add_argument("--ranking", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "ranking"))
    ap.add_argument("--only", default=",".join(COLLECTIONS))
    ap.add_argument("--no-peers", action="store_true", help="skip lunr and MiniSearch")
    ap.add_argument("--tune", action="store_true", help="search the grid leave-one-collection-out")
    ap.add_argument("--losses", type=int, default=0,
                    help="print the N queries of each collection where NewsLens trails BM25 most")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "data", "ir")):
        print(f"skipped: {args.shared}/data/ir is absent", file=sys.stderr)
        return 0
    names = [n for n in args.only.split(",") if n]
    stop, stem = smart_stop_words(args.shared), stemmer()
    files, qrels, table, queries_of = {}, {}, {}, {}
    for name in names:
        docs, queries, rel = READERS[name](args.shared)
        files[name] = write(name, docs, queries, args.out)
        qrels[name] = {q: r for q, r in rel.items() if r}
        queries_of[name] = dict(queries)
        rows = {}
        nl = newslens_runs(args.bin, *files[name], [args.ranking])[0]
        rows["NewsLens"] = evaluate(nl, qrels[name])
        rows["BM25"] = evaluate(bm25_run(docs, queries, stop, stem), qrels[name])
        if not args.no_peers:
            peers = peer_runs(*files[name])
            for tag in ("lunr", "MiniSearch"):
                rows[tag] = evaluate(peers.get(tag, {}), qrels[name])
        table[name] = rows
        if args.losses:
            diff = sorted(qrels[name], key=lambda q: rows["NewsLens"][q][0] - rows["BM25"][q][0])
            print(f"\n{name}: queries where NewsLens trails BM25 most (nDCG@10)")
            for q in diff[:args.losses]:
                print(f"  {q:>4} {rows['NewsLens'][q][0]:.3f} vs {rows['BM25'][q][0]:.3f}  "
                      f"{queries_of[name][q][:110]}")
    loco = None
    if args.tune:
        best, best_avg, loco = tune(args.bin, files, qrels, GRID)
        print(f"\nbest on the mean of {len(files)} collections: {best} (nDCG@10 {best_avg:.4f})")
        for held, (spec, score) in loco.items():
            print(f"  {held}: chosen on the others: {spec} -> {score:.4f}")
    systems = list(next(iter(table.values())))
    if args.json:
        print(json.dumps({c: {s: means(r) for s, r in rows.items()} for c, rows in table.items()}))
        return 0
    print()
    head = f"{'collection':<11}{'queries':>8}" + "".join(f"{s:>22}" for s in systems)
    if loco:
        head += f"{'NewsLens LOCO':>16}"
    print(head)
    print(f"{'':<19}" + "".join(f"{'nDCG@10  MAP   P@10':>22}" for _ in systems))
    total = {s: [0.0, 0.0, 0.0] for s in systems}
    for c, rows in table.items():
        line = f"{c:<11}{len(qrels[c]):>8}"
        for s in systems:
            m = means(rows[s])
            for i in range(3):
                total[s][i] += m[i] / len(table)
            line += f"{m[0]:>10.3f}{m[1]:>6.3f}{m[2]:>6.3f}"
        if loco:
            line += f"{loco[c][1]:>16.3f}"
        print(line)
    line = f"{'mean':<19}" + "".join(f"{t[0]:>10.3f}{t[1]:>6.3f}{t[2]:>6.3f}" for t in total.values())
    if loco:
        line += f"{sum(v[1] for v in loco.values()) / len(loco):>16.3f}"
    print(line)
    nl, bm = total["NewsLens"][0], total["BM25"][0]
    print(f"\nNewsLens / BM25 on the mean nDCG@10: {nl / bm:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
