#!/usr/bin/env python3
"""Ranking quality of NewsLens on the Cranfield collection: nDCG@10, MAP and P@10.

Usage: scripts/cranfield.py [--shared ../shared] [--bin target/release/newslens]
                            [--ranking k1=1.2,b=0.75,...] [--out target/cranfield]

Reads ../shared/data/cranfield (never copied into the repository), writes the documents as
JSON Lines and the queries as TSV under --out, runs `newslens batch` and scores its TREC run.

Relevance: the n-th query of cran.qry is query n of cranqrel (not its .I number). Codes 1-4
are relevant (1 the most), -1 not. nDCG@10 uses graded gains 5 - code (4, 3, 2, 1), linear
as trec_eval's ndcg_cut computes it: sum of gain / log2(rank + 1), over the ideal ordering of all
judged documents; MAP (over the top 100) and P@10 count codes 1-4 as relevant.
"""
import argparse
import json
import math
import os
import subprocess
import sys
from collections import defaultdict


def smart_records(path):
    """Yields {field letter: text} for each .I record of a SMART file."""
    record, field, lines = None, None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(".I "):
                if record is not None:
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


def convert(shared, out):
    src = os.path.join(shared, "data", "cranfield")
    docs_path = os.path.join(out, "docs.jsonl")
    queries_path = os.path.join(out, "queries.tsv")
    with open(docs_path, "w", encoding="utf-8") as f:
        for r in smart_records(os.path.join(src, "cran.all.1400")):
            title = " ".join(l.strip() for l in r.get("T", []) if l.strip())
            text = unwrap(r.get("W", [])) or title or "(empty)"
            f.write(json.dumps({"id": r["I"], "title": title or "(untitled)", "text": text}) + "\n")
    with open(queries_path, "w", encoding="utf-8") as f:
        for n, r in enumerate(smart_records(os.path.join(src, "cran.qry")), start=1):
            q = " ".join(l.strip() for l in r.get("W", []) if l.strip())
            f.write(f"{n}\t{q}\n")
    qrels = defaultdict(dict)
    with open(os.path.join(src, "cranqrel")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                code = int(parts[2])
                if 1 <= code <= 4:
                    qrels[parts[0]][parts[1]] = 5 - code
    return docs_path, queries_path, qrels


def evaluate(run, qrels):
    ndcg, ap, p10 = [], [], []
    for qid, judged in qrels.items():
        ranked = run.get(qid, [])
        dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
        ideal = sorted(judged.values(), reverse=True)[:10]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg.append(dcg / idcg if idcg else 0.0)
        hits, precisions = 0, []
        for i, d in enumerate(ranked[:100]):
            if d in judged:
                hits += 1
                precisions.append(hits / (i + 1))
        ap.append(sum(precisions) / len(judged))
        p10.append(sum(1 for d in ranked[:10] if d in judged) / 10)
    n = len(qrels)
    return {"queries": n, "ndcg@10": sum(ndcg) / n, "map": sum(ap) / n, "p@10": sum(p10) / n}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(root, "..", "shared"))
    ap.add_argument("--bin", default=os.path.join(root, "target", "release", "newslens"))
    ap.add_argument("--ranking", default="")
    ap.add_argument("--out", default=os.path.join(root, "target", "cranfield"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "data", "cranfield")):
        print(f"skipped: {args.shared}/data/cranfield is absent", file=sys.stderr)
        return 0
    os.makedirs(args.out, exist_ok=True)
    docs, queries, qrels = convert(args.shared, args.out)
    cmd = [args.bin, "batch", "--corpus", docs, "--queries", queries, "--format", "trec", "--limit", "100"]
    if args.ranking:
        cmd += ["--ranking", args.ranking]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    run = defaultdict(list)
    for line in out.splitlines():
        qid, _, doc, _rank, _score, _tag = line.split()
        run[qid].append(doc)
    m = evaluate(run, qrels)
    if args.json:
        print(json.dumps(m))
    else:
        print(f"Cranfield ({m['queries']} queries with judgements): "
              f"nDCG@10 {m['ndcg@10']:.3f}  MAP {m['map']:.3f}  P@10 {m['p@10']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
