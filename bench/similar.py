#!/usr/bin/env python3
"""`archivist similar` on a corpus's index: whole-process time and what the first hits are.

Usage: bench/similar.py [--bin target/release/archivist] [--index /tmp/multi-index]
                        [--corpus /tmp/bench-data/multi] [--runs 5]

Time: the documents of a few searches in every script of `multi` (the first 3 hits of
`debootstrap`, `lang:ja`, `lang:ru`, `lang:zh`, `lang:de`, `lang:fr`, `grep`, `パッケージ`,
`пакет`, and 40 of `the`), each asked `similar ID --json` `--runs` times, one process a time;
median, p95 and max of the wall time, and of the `elapsed_ms` the command reports.

Neighbours: 60 sections of the Debian Administrator's Handbook drawn at random (seed 7) from
its 26 translations; for each, how many of its 10 hits are the same section in another language
and whether the first is (the rest are mostly the same language's sections on the subject).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import time

QUERIES = ["debootstrap", "lang:ja", "lang:ru", "lang:zh", "lang:de", "lang:fr", "grep",
           "パッケージ", "пакет"]


def ids(binary, index):
    out = []
    for query, n in [(q, 3) for q in QUERIES] + [("the", 40)]:
        run = subprocess.run([binary, "search", "--index", index, "--json", "-n", str(n), "--",
                              query], capture_output=True, check=True)
        out += [h["id"] for h in json.loads(run.stdout)["hits"]]
    return sorted(set(out))


def timing(binary, index, runs):
    documents = ids(binary, index)
    wall, inner = [], []
    for _ in range(runs):
        for doc in documents:
            started = time.perf_counter()
            run = subprocess.run([binary, "similar", "--index", index, "--json", doc],
                                 capture_output=True, check=True)
            wall.append((time.perf_counter() - started) * 1000)
            inner.append(json.loads(run.stdout)["elapsed_ms"])
    wall.sort()
    print(f"{len(documents)} documents x {runs}: wall median {statistics.median(wall):.1f} ms, "
          f"p95 {wall[int(len(wall) * 0.95)]:.1f}, max {wall[-1]:.1f}; reported median "
          f"{statistics.median(inner):.1f}, max {max(inner):.1f}")


def neighbours(binary, index, corpus):
    root = os.path.join(corpus, "debian-handbook")
    if not os.path.isdir(root):
        return
    random.seed(7)
    langs = sorted(os.listdir(root))
    shares, first = [], 0
    for _ in range(60):
        lang = random.choice(langs)
        name = random.choice(sorted(os.listdir(os.path.join(root, lang))))
        run = subprocess.run([binary, "similar", "--index", index, "--json",
                              os.path.join(root, lang, name)], capture_output=True)
        hits = json.loads(run.stdout)["hits"] if run.returncode in (0, 1) else []
        same = [os.path.basename(h["path"]) == name and h["path"].startswith(root) for h in hits]
        shares.append(sum(same) / 10)
        first += bool(same and same[0])
    print(f"60 handbook sections: the same section in another language is "
          f"{statistics.mean(shares):.2f} of the top 10, the first hit {first} times")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/archivist")
    parser.add_argument("--index", default="/tmp/multi-index")
    parser.add_argument("--corpus", default="/tmp/bench-data/multi")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    timing(args.bin, args.index, args.runs)
    neighbours(args.bin, args.index, args.corpus)


if __name__ == "__main__":
    main()
