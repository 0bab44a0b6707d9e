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
settings are printed; the shipped defaults (src/search/mod.rs) are the grid's best on the mean of
all four, which that scheme checks transfer.

Collection traps (see ../shared/data/ir/README.md): Cranfield's n-th query is query n of its
qrels, not its .I number, and codes 1-4 are relevant, -1 not; CACM's `.B`/`.A` come after `.W`
and are not abstract text, its query file ends with an empty `.I 0` record and only 52 queries
are judged; MED's documents have no separate title (CRLF); NPL's documents have none either.
"""
import argparse
import importlib
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
    # The queries as the file has them, in capitals: engines fold case themselves.
    queries = [(i, " ".join(lines)) for i, lines in slash_records(os.path.join(src, "query-text"))]
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
            rec = {"id": doc["id"]}
            if doc["title"]:
                rec["title"] = doc["title"]
            if doc["text"] or not doc["title"]:
                rec["text"] = doc["text"] or "(empty)"
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
    if len(specs) == 1:
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
        # The folder did not exist when it went on the path: forget that it was missing.
        importlib.invalidate_caches()
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
    "k1": [0.9, 1.2, 1.6],
    "b": [0.4, 0.5, 0.65],
    "title": [1.5, 2.0],
    "proximity": [0.0, 0.3],
    "feedback": [0.3, 0.5, 0.7],
    "known_fuzzy": [0.0, 1.0],
}
# Each rule's switch, measured against the shipped settings (all on).
RULES = {
    "feedback (verbose queries)": "feedback=0",
    "proximity": "proximity=0",
    "coordination (2-3 word queries)": "coord=0",
    "typos of known words": "known_fuzzy=0",
}


def tune(binary, files, qrels, grid, out):
    """Mean nDCG@10 of every grid setting on every collection; the best on the mean of all,
    and for each collection the best on the others (leave-one-collection-out)."""
    from concurrent.futures import ThreadPoolExecutor
    keys = list(grid)
    specs = [",".join(f"{k}={v}" for k, v in zip(keys, combo))
             for combo in itertools.product(*(grid[k] for k in keys))]
    chunks = [(name, i) for name in files for i in range(0, len(specs), 48)]

    def job(task):
        name, i = task
        runs = newslens_runs(binary, *files[name], specs[i:i + 48])
        return name, i, [means(evaluate(r, qrels[name]))[0] for r in runs]

    ndcg = {name: [0.0] * len(specs) for name in files}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name, i, scores in pool.map(job, chunks):
            ndcg[name][i:i + len(scores)] = scores
    print(f"  {len(specs)} settings tried on {len(files)} collections", file=sys.stderr)
    names = list(files)
    avg = [sum(ndcg[c][i] for c in names) / len(names) for i in range(len(specs))]
    best = max(range(len(specs)), key=lambda i: (avg[i], -i))
    loco = {}
    for held in names:
        others = [c for c in names if c != held]
        pick = max(range(len(specs)), key=lambda i: (sum(ndcg[c][i] for c in others), -i))
        loco[held] = (specs[pick], ndcg[held][pick])
    with open(os.path.join(out, "grid.json"), "w") as f:
        json.dump({"specs": specs, "ndcg": ndcg}, f)
    return specs[best], avg[best], loco


# ---- Report ---------------------------------------------------------------------------------

def fmt_table(table, qrels, loco, rules):
    """The table as Markdown lines."""
    systems = list(next(iter(table.values())))
    head = "| collection | queries | " + " | ".join(f"{s} nDCG@10 / MAP / P@10" for s in systems)
    if loco:
        head += " | NewsLens, settings chosen on the other three (nDCG@10)"
    lines = [head + " |", "| --- | ---: |" + " ---: |" * (len(systems) + bool(loco))]
    total = {s: [0.0, 0.0, 0.0] for s in systems}
    for c, rows in table.items():
        cells = []
        for s in systems:
            m = means(rows[s])
            for i in range(3):
                total[s][i] += m[i] / len(table)
            cells.append(f"{m[0]:.3f} / {m[1]:.3f} / {m[2]:.3f}")
        if loco:
            cells.append(f"{loco[c][1]:.3f}")
        lines.append(f"| {c} | {len(qrels[c])} | " + " | ".join(cells) + " |")
    cells = [f"**{t[0]:.3f}** / {t[1]:.3f} / {t[2]:.3f}" for t in total.values()]
    if loco:
        cells.append(f"{sum(v[1] for v in loco.values()) / len(loco):.3f}")
    lines.append("| mean | | " + " | ".join(cells) + " |")
    nl, bm = total["NewsLens"][0], total["BM25"][0]
    lines.append("")
    lines.append(f"NewsLens / BM25 on the mean nDCG@10: **{nl / bm:.3f}**"
                 + "".join(f"; / {p} {nl / total[p][0]:.3f}" for p in systems if p not in ("NewsLens", "BM25")))
    if rules:
        lines.append("")
        lines.append("| rule switched off | " + " | ".join(table) + " | mean |")
        lines.append("| --- |" + " ---: |" * (len(table) + 1))
        for rule, scores in rules.items():
            delta = [scores[c] - means(table[c]["NewsLens"])[0] for c in table]
            lines.append(f"| {rule} | " + " | ".join(f"{d:+.3f}" for d in delta)
                         + f" | {sum(delta) / len(delta):+.3f} |")
    return lines


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
    ap.add_argument("--markdown", default=os.path.join(ROOT, "target", "bench", "ranking.md"),
                    help="where to write the table for BENCHMARKS.md")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "data", "ir")):
        print(f"skipped: {args.shared}/data/ir is absent", file=sys.stderr)
        return 0
    names = [n for n in args.only.split(",") if n]
    stop, stem = smart_stop_words(args.shared), stemmer()
    files, qrels, table, queries_of, rules = {}, {}, {}, {}, defaultdict(dict)
    base = [kv for kv in args.ranking.split(",") if kv]
    for name in names:
        docs, queries, rel = READERS[name](args.shared)
        files[name] = write(name, docs, queries, args.out)
        qrels[name] = {q: r for q, r in rel.items() if r}
        queries_of[name] = dict(queries)
        specs = [",".join(base)] + [",".join(base + [off]) for off in RULES.values()]
        runs = newslens_runs(args.bin, *files[name], specs)
        rows = {"NewsLens": evaluate(runs[0], qrels[name])}
        for rule, run in zip(RULES, runs[1:]):
            rules[rule][name] = means(evaluate(run, qrels[name]))[0]
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
    loco, notes = None, []
    if args.tune:
        best, best_avg, loco = tune(args.bin, files, qrels, GRID, args.out)
        size = math.prod(len(v) for v in GRID.values())
        notes.append(f"Grid: {size} settings ("
                     + "; ".join(f"{k} {'/'.join(map(str, v))}" for k, v in GRID.items()) + ").")
        notes.append(f"Best on the mean of the {len(files)} collections: `{best}` "
                     f"(nDCG@10 {best_avg:.3f}).")
        for held, (spec, score) in loco.items():
            notes.append(f"- {held}, chosen on the other three: `{spec}` → {score:.3f}")
    lines = fmt_table(table, qrels, loco, rules)
    if notes:
        lines += [""] + notes
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    os.makedirs(os.path.dirname(args.markdown), exist_ok=True)
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
