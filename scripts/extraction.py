#!/usr/bin/env python3
"""Article-body extraction quality on the public article-extraction benchmark.

Usage: scripts/extraction.py [--shared ../shared] [--bin target/release/newslens]
                             [--out target/extraction] [--per-page]

Reads ../shared/data/article-extraction (181 gzipped pages and ground-truth.json; never
copied into the repository), unpacks the pages under --out, runs `newslens parse --json` over
them once (timed), takes the article body as the subtitle and the paragraphs joined by
newlines, and scores it with the benchmark's own evaluate.py (imported from ../shared, not
copied). Prints F1, precision and recall with their bootstrap error beside the figures the
benchmark publishes for other extractors on the same pages. --per-page lists the pages by F1,
worst first, for finding out why.
"""
import argparse
import gzip
import importlib.util
import json
import os
import subprocess
import sys
import time

# The benchmark's published table (its README, latest evaluation): F1, precision, recall.
PEERS = [
    ("rs_trafilatura", 0.970, 0.951, 0.990),
    ("go_trafilatura", 0.960, None, None),
    ("trafilatura 2.0", 0.958, 0.938, 0.978),
    ("newspaper4k", 0.949, None, None),
    ("Readability.js", 0.947, None, None),
    ("go-readability", 0.934, None, None),
    ("go-domdistiller", 0.927, None, None),
    ("goose3", 0.896, None, None),
    ("readable_readability (Rust)", 0.884, None, None),
    ("readability (Rust)", 0.873, None, None),
    ("dom_smoothie (Rust)", 0.865, None, None),
    ("jusText", 0.804, None, None),
    ("html-text (all visible text)", 0.665, None, None),
]


def body(article):
    parts = []
    if article.get("subtitle"):
        parts.append(article["subtitle"])
    parts.extend(p["text"] for p in article.get("paragraphs", []))
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--bin", default="target/release/newslens")
    ap.add_argument("--out", default="target/extraction")
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--n-bootstrap", type=int, default=1000)
    args = ap.parse_args()

    src = os.path.join(args.shared, "data", "article-extraction")
    if not os.path.isdir(src):
        print(f"extraction: skipped, {src} is absent")
        return 0
    spec = importlib.util.spec_from_file_location("evaluate", os.path.join(src, "evaluate.py"))
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    with open(os.path.join(src, "ground-truth.json"), encoding="utf-8") as f:
        truth = json.load(f)

    pages = os.path.join(args.out, "html")
    os.makedirs(pages, exist_ok=True)
    for key in truth:
        dst = os.path.join(pages, key + ".html")
        if not os.path.exists(dst):
            with gzip.open(os.path.join(src, "html", key + ".html.gz")) as g, open(dst, "wb") as o:
                o.write(g.read())

    t0 = time.perf_counter()
    run = subprocess.run([args.bin, "parse", "--json", pages], capture_output=True, check=False)
    seconds = time.perf_counter() - t0
    articles = json.loads(run.stdout.decode("utf-8")) if run.stdout else []
    found = {}
    for a in articles:
        key = os.path.basename(a["file"]).removesuffix(".html")
        found[key] = body(a)
    failed = [k for k in truth if k not in found]
    prediction = {k: {"articleBody": found.get(k, "")} for k in truth}
    with open(os.path.join(args.out, "newslens.json"), "w", encoding="utf-8") as f:
        json.dump(prediction, f, ensure_ascii=False, indent=1)

    m = ev.evaluate(truth, prediction, args.n_bootstrap)
    print(f"Article extraction benchmark: {len(truth)} pages, parsed in {seconds:.2f} s "
          f"({len(failed)} gave no article)")
    print(f"{'extractor':<30} {'F1':>13} {'precision':>13} {'recall':>13}")
    print(f"{'NewsLens (this build)':<30} {m['f1']:.3f} ± {m['f1_std']:.3f} "
          f"{m['precision']:.3f} ± {m['precision_std']:.3f} {m['recall']:.3f} ± {m['recall_std']:.3f}")
    fmt = lambda x: f"{x:>13.3f}" if x is not None else f"{'':>13}"
    for name, f1, p, r in PEERS:
        print(f"{name + ' (published)':<30} {fmt(f1)} {fmt(p)} {fmt(r)}")

    if args.per_page:
        rows = []
        for key, (tp, fp, fn) in zip(truth.keys(), m["tp_fp_fns"]):
            p = ev.precision_score(tp, fp, fn)
            r = ev.recall_score(tp, fp, fn)
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            rows.append((f1, p, r, key, truth[key].get("url", "")))
        rows.sort()
        for f1, p, r, key, url in rows:
            print(f"{f1:.3f} P {p:.3f} R {r:.3f} {key[:12]} {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
