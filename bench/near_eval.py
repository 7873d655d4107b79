#!/usr/bin/env python3
"""Precision and recall of near-duplicates on the set bench/near_set.py builds.

    python3 bench/near_eval.py SET [--bin target/release/archivist] [--thresholds 0.3,0.4,...]

SET is ingested into a fresh index (the scans read by OCR), then every document is listed with
its `near_copies` (`search --all --format jsonl`) at each threshold (`--near-threshold`); a pair
is found when either of its documents lists the other. Precision: found pairs that are in
`gold.txt`; recall: gold pairs found. Also the similarity of every gold pair and the highest of
any other pair, at threshold 0.
"""
import argparse
import itertools
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def listing(binary, index, threshold):
    run = subprocess.run([binary, "search", "--index", index, "--all", "--format", "jsonl",
                          "--near-threshold", str(threshold), "--",
                          "ext:txt OR ext:tif OR ext:eml"], capture_output=True, check=True)
    return [json.loads(line) for line in run.stdout.decode().splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("set")
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "archivist"))
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7,0.8")
    args = parser.parse_args()
    gold = {frozenset(line.split()) for line in open(os.path.join(args.set, "gold.txt")) if line.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        run = subprocess.run([args.bin, "ingest", "--index", index, args.set],
                             capture_output=True, env={**os.environ, "XDG_CACHE_HOME": tmp})
        if run.returncode not in (0, 3):
            raise SystemExit(run.stderr.decode())
        name = lambda path: os.path.basename(path)
        pairs = {}
        for hit in listing(args.bin, index, 0.0):
            for near in hit["near_copies"]:
                pairs[frozenset((name(hit["path"]), name(near["path"])))] = near["similarity"]
        missing = [p for p in gold if p not in pairs]
        gold_sims = sorted(pairs.get(p, 0.0) for p in gold)
        others = sorted((s for p, s in pairs.items() if p not in gold), reverse=True)
        print(f"{len(gold)} gold pairs; similarity of gold pairs: min {gold_sims[0]:.2f}, "
              f"median {gold_sims[len(gold_sims) // 2]:.2f}; highest other pair "
              f"{others[0] if others else 0:.2f}")
        by_kind = {}
        for p in gold:
            kinds = "-".join(sorted(n.split("-", 1)[1].split(".")[0] for n in p))
            by_kind.setdefault(kinds, []).append(pairs.get(p, 0.0))
        for kind, sims in sorted(by_kind.items()):
            sims.sort()
            print(f"  {kind:12} {len(sims):3} pairs: min {sims[0]:.2f} median {sims[len(sims) // 2]:.2f}")
        print("| threshold | precision | recall | pairs found |\n| --- | --- | --- | --- |")
        for t in (float(x) for x in args.thresholds.split(",")):
            found = set()
            for hit in listing(args.bin, index, t):
                for near in hit["near_copies"]:
                    found.add(frozenset((name(hit["path"]), name(near["path"]))))
            right = len(found & gold)
            precision = right / len(found) if found else 1.0
            print(f"| {t:.2f} | {precision:.3f} | {right / len(gold):.3f} | {len(found)} |")


if __name__ == "__main__":
    main()
