#!/usr/bin/env python3
"""Writes a list of names for timing `archivist xref` (BENCHMARKS.md, "Cross-referencing").

Half the names are in the corpus: the commonest pairs of capitalized words its text files
hold (`Ian Murdock`, `Debian Project`), a few in Cyrillic and Greek; half are made up from
first and last names that mostly are in it but not together (`Ian Perens`), so most queries
walk postings and find nothing, as most names of a real list do.

    python3 bench/xref_list.py /tmp/bench-data/multi 1000 > /tmp/names.csv
"""

import collections
import os
import random
import re
import sys

PAIR = re.compile(r"\b([A-ZА-ЯΑ-Ω][a-zа-яёά-ώ]{2,}) ([A-ZА-ЯΑ-Ω][a-zа-яёά-ώ]{2,})\b")


def pairs(root):
    found = collections.Counter()
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith((".txt", ".html", ".xml", ".md", ".po")):
                continue
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    text = f.read(200_000)
            except (UnicodeDecodeError, OSError):
                continue
            found.update(f"{a} {b}" for a, b in PAIR.findall(text))
    return found


def main():
    root, count = sys.argv[1], int(sys.argv[2])
    common = [name for name, _ in pairs(root).most_common(count // 2)]
    firsts = sorted({n.split()[0] for n in common})
    lasts = sorted({n.split()[1] for n in common})
    rng = random.Random(33)
    made = set()
    while len(made) < count - len(common):
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        if name not in common:
            made.add(name)
    print("name,aliases,note")
    for name in common + sorted(made):
        print(f"{name},,{'corpus' if name in common else 'made up'}")


if __name__ == "__main__":
    main()
