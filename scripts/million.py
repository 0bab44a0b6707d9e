#!/usr/bin/env python3
"""Writes the scale corpus of `make bench`: N synthetic news articles (default a million) as
JSON Lines files of 5,000 articles each, made only from text under ../shared/data.

How: the sentences of the 2,225 BBC articles, of the CoNLL-2003 training documents and of the
1,400 Cranfield abstracts form one pool (about 70,000 sentences). Article i takes, with a random
generator seeded by i, a headline (the first eight words of one sentence), two to four
paragraphs of one to three sentences each, and a publication date between 1987 and 2005. Word
frequencies therefore follow real news and technical text, and the same N gives the same files.

    python3 scripts/million.py OUT_DIR [N]
"""
import json
import os
import random
import re
import sys

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
PER_FILE = 5000


def sentences(text):
    text = re.sub(r"\s+", " ", text).strip()
    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text):
        if 30 <= len(s) <= 400:
            yield s


def pool():
    out = []
    bbc = os.path.join(DATA, "bbc")
    for topic in sorted(os.listdir(bbc)):
        d = os.path.join(bbc, topic)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n", 1)
            if len(lines) == 2:
                out.extend(sentences(lines[1]))
    doc = []
    with open(os.path.join(DATA, "conll2003", "eng.train"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if doc:
                    s = " ".join(doc)
                    s = re.sub(r" ([,.;:!?')])", r"\1", s)
                    if 30 <= len(s) <= 400:
                        out.append(s)
                    doc = []
            elif parts[0] != "-DOCSTART-":
                doc.append(parts[0])
    with open(os.path.join(DATA, "cranfield", "cran.all.1400"), encoding="utf-8") as f:
        for part in f.read().split(".W")[1:]:
            body = part.split("\n.I ")[0]
            for s in re.split(r"(?<=\.)\s+", re.sub(r"\s+", " ", body).strip()):
                s = s.replace(" .", ".").replace(" ,", ",")
                if 30 <= len(s) <= 400:
                    out.append(s[0].upper() + s[1:])
    return out


def article(i, sents):
    rng = random.Random(i)
    title = " ".join(rng.choice(sents).rstrip(".").split()[:8])
    paragraphs = [
        " ".join(rng.choice(sents) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(2, 4))
    ]
    year = rng.randint(1987, 2005)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"id": f"m{i}", "title": title, "published": published, "text": "\n\n".join(paragraphs)}


def main():
    out_dir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    sents = pool()
    os.makedirs(out_dir, exist_ok=True)
    for start in range(0, n, PER_FILE):
        path = os.path.join(out_dir, f"{start // PER_FILE:04d}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for i in range(start, min(n, start + PER_FILE)):
                f.write(json.dumps(article(i, sents), ensure_ascii=False) + "\n")
    print(f"million: {n} articles from {len(sents)} sentences in {out_dir}")


if __name__ == "__main__":
    main()
