#!/usr/bin/env python3
"""Precision and recall of the entities and dates archivist reads, on labelled passages.

    python3 bench/entities_eval.py [--bin target/release/archivist] [--show]

Each passage of bench/entities/*.jsonl (see its README) is written to a file of its own,
all are ingested into a fresh index, and each file's `entities` and `dates` (as `search
--format jsonl` gives them) are compared with the passage's labels: a value found and labelled
is right, found and not labelled wrong, labelled and not found missed; per language and kind.
`--show` lists each wrong and missed value with its passage's source. Not a test: the labels are
one reader's judgement.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ["email", "url", "phone", "iban", "date"]


def same(kind, value):
    """A value as compared: URLs without a trailing slash, case aside where case means nothing."""
    if kind == "url":
        return value.rstrip("/").lower()
    if kind in ("email", "iban"):
        return value.replace(" ", "").lower()
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "archivist"))
    parser.add_argument("--show", action="store_true")
    parser.add_argument("sets", nargs="*", help="files of bench/entities (default: all)")
    args = parser.parse_args()
    files = args.sets or sorted(glob.glob(os.path.join(HERE, "entities", "*.jsonl")))
    passages = [json.loads(line) for f in files for line in open(f, encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as work:
        texts = os.path.join(work, "p")
        os.makedirs(texts)
        for i, p in enumerate(passages):
            with open(os.path.join(texts, f"p{i:04d}.txt"), "w", encoding="utf-8") as f:
                f.write(p["text"])
        index = os.path.join(work, "index")
        subprocess.run([args.bin, "ingest", texts, "--index", index, "-q"], check=True)
        out = subprocess.run([args.bin, "search", "--index", index, "--format", "jsonl", "--all",
                              "path:*"], capture_output=True, text=True, check=True)
    found = {}
    for line in out.stdout.splitlines():
        hit = json.loads(line)
        i = int(os.path.basename(hit["path"])[1:5])
        found[i] = dict(hit["entities"], date=hit["dates"])
    counts = collections.defaultdict(lambda: [0, 0, 0])
    wrong = []
    for i, p in enumerate(passages):
        for kind in KINDS:
            gold = {same(kind, v) for v in p["gold"].get(kind, [])}
            if kind not in p["gold"]:
                continue
            got = {same(kind, v) for v in found.get(i, {}).get(kind, [])}
            c = counts[(p["lang"], kind)]
            c[0] += len(gold & got)
            c[1] += len(got - gold)
            c[2] += len(gold - got)
            for v in sorted(got - gold):
                wrong.append(("wrong", p["lang"], kind, v, p["source"]))
            for v in sorted(gold - got):
                wrong.append(("missed", p["lang"], kind, v, p["source"]))
    langs = sorted({lang for lang, _ in counts})
    print("| kind | " + " | ".join(langs) + " | all |")
    print("| --- |" + " --- |" * (len(langs) + 1))
    for kind in KINDS:
        cells = []
        total = [0, 0, 0]
        for lang in langs + ["all"]:
            if lang == "all":
                tp, fp, fn = total
            else:
                tp, fp, fn = counts.get((lang, kind), (0, 0, 0))
                total = [a + b for a, b in zip(total, (tp, fp, fn))]
            if tp + fp + fn == 0:
                cells.append("–")
            else:
                cells.append(f"{tp / max(1, tp + fp):.2f} / {tp / max(1, tp + fn):.2f} ({tp + fn})")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    print("\n(precision / recall (values labelled))")
    if args.show:
        for row in wrong:
            print(*row, sep="\t")


if __name__ == "__main__":
    main()
