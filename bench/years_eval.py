#!/usr/bin/env python3
"""Precision and recall of `year:` (and so of the year facet) on labelled year mentions.

    python3 bench/years_eval.py [--bin target/release/archivist] [--set held-out|dev]

Each labelled passage (bench/years/*.json, see its README) is written to a file of its own and
ingested into a fresh index; a mention counts as read as a year when `year:N path:*FILE` finds
its file. Not a test: the labels are one reader's judgement.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "archivist"))
    parser.add_argument("--set", default="held-out", choices=["held-out", "dev"])
    args = parser.parse_args()
    samples = json.load(open(os.path.join(HERE, "years", args.set + ".json"), encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        texts = os.path.join(work, "s")
        os.makedirs(texts)
        queries = []
        for i, sample in enumerate(samples):
            with open(os.path.join(texts, f"s{i:03d}.txt"), "w", encoding="utf-8") as f:
                f.write(sample["context"])
            queries.append(f"year:{sample['number']} path:*s{i:03d}.txt")
        batch = os.path.join(work, "batch.txt")
        with open(batch, "w") as f:
            f.write("\n".join(queries) + "\n")
        index = os.path.join(work, "index")
        subprocess.run([args.bin, "ingest", texts, "--index", index, "-q"], check=True)
        out = subprocess.run([args.bin, "search", "--index", index, "--batch", batch,
                              "--format", "jsonl", "-n", "1"], capture_output=True, text=True)
        found = {json.loads(line)["query"] for line in out.stdout.splitlines() if line.strip()}
    read = [q in found for q in queries]
    gold = [s["year"] for s in samples]
    tp = sum(g and r for g, r in zip(gold, read))
    fp = sum(r and not g for g, r in zip(gold, read))
    fn = sum(g and not r for g, r in zip(gold, read))
    print(f"{args.set}: {len(samples)} mentions, {sum(gold)} years; precision "
          f"{tp / max(1, tp + fp):.3f}, recall {tp / max(1, tp + fn):.3f} (tp {tp}, fp {fp}, fn {fn})")
    for i, (g, r) in enumerate(zip(gold, read)):
        if g != r:
            kind = "read as a year" if r else "missed"
            context = samples[i]["context"].replace("\n", " ")
            print(f"  {kind}: {samples[i]['number']} in {context!r}")


if __name__ == "__main__":
    sys.exit(main())
