#!/usr/bin/env python3
"""Relevance benchmark: nDCG@10 and Recall@100 of archivist on SciFact, Cranfield and the CJK sets.

    python3 bench/relevance.py [--collection NAME|all] [--eval DIR] [--binary PATH]

Collections: scifact, cranfield (English), jsquad-ja and cmrc2018-zh (Japanese and Chinese
questions, in DIR/cjk/), and the sentence-level Chinese sets of `bench/zh_sentences.py` when
DIR/zh-sentences/ holds them. For each collection in DIR (default ../shared/eval): writes every document as a small HTML file
(title in <title> and <h1>, text in <p>), ingests them with the real binary into a fresh index,
runs every query through `archivist search --any --json --limit 100`, and scores the ranking
against the qrels with the measures the published baselines use (nDCG@10 with the qrels' gains,
Recall@100 of the judged-relevant documents). Quotes and parentheses are removed from the
natural-language queries, and a leading `-` from words, so that no query is read as an operator.
Not a test: it takes a minute or two, outside `cargo test` and CI.
"""
import argparse
import html
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Each collection's folder under the eval folder.
COLLECTIONS = {"scifact": "scifact", "cranfield": "cranfield",
               "jsquad-ja": "cjk/jsquad-ja", "cmrc2018-zh": "cjk/cmrc2018-zh",
               # Sentence-level Chinese sets that `bench/zh_sentences.py` builds (not in
               # ../shared/eval: measured where that script wrote them, skipped where absent).
               "zh-sentences-cmrc-s": "zh-sentences/cmrc-s",
               "zh-sentences-cmrc-t": "zh-sentences/cmrc-t",
               "zh-sentences-drcd-t": "zh-sentences/drcd-t",
               "zh-sentences-drcd-s": "zh-sentences/drcd-s"}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_qrels(path):
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            # TREC (query, 0, doc, gain) or BEIR's TSV (query, doc, gain) under a header.
            if len(parts) == 3:
                parts = [parts[0], "0", parts[1], parts[2]]
            if len(parts) != 4 or not parts[3].lstrip("-").isdigit():
                continue
            qid, _, doc, gain = parts
            if int(gain) > 0:
                qrels.setdefault(qid, {})[doc] = int(gain)
    return qrels


def write_corpus(docs, folder):
    for doc in docs:
        title = " ".join(doc.get("title", "").split())
        text = doc.get("text", "")
        body = (f"<html><head><title>{html.escape(title)}</title></head><body>"
                f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")
        with open(os.path.join(folder, f"{doc['_id']}.html"), "w", encoding="utf-8") as f:
            f.write(body)


def clean_query(text):
    # NFKC first, as archivist reads queries: full-width quotes and parentheses become ASCII.
    text = unicodedata.normalize("NFKC", text)
    words = text.replace('"', " ").replace("(", " ").replace(")", " ").split()
    return " ".join(w.lstrip("-+") for w in words if w.lstrip("-+"))


def ndcg_at(ranked, gains, k):
    dcg = sum(gains.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked, gains, k):
    return len(set(ranked[:k]) & set(gains)) / len(gains) if gains else 0.0


def evaluate(name, folder, binary, extra):
    docs = read_jsonl(os.path.join(folder, "corpus.jsonl"))
    queries = read_jsonl(os.path.join(folder, "queries.jsonl"))
    candidates = [os.path.join(folder, "qrels", "test.trec"), os.path.join(folder, "qrels.trec"),
                  os.path.join(folder, "qrels", "test.tsv")]
    qrels_path = next((p for p in candidates if os.path.exists(p)), candidates[0])
    qrels = read_qrels(qrels_path)
    work = tempfile.mkdtemp(prefix=f"archivist-{name}-")
    try:
        corpus = os.path.join(work, "docs")
        index = os.path.join(work, "index")
        os.mkdir(corpus)
        write_corpus(docs, corpus)
        started = time.time()
        subprocess.run([binary, "--index", index, "-q", "ingest", corpus], check=True)
        ingest_seconds = time.time() - started
        ndcgs, recalls = [], []
        started = time.time()
        for query in queries:
            gains = qrels.get(query["_id"])
            if not gains:
                continue
            out = subprocess.run(
                [binary, "--index", index, "search", "--any", "--json", "--limit", "100",
                 *extra, "--", clean_query(query["text"])],
                capture_output=True, text=True)
            if out.returncode not in (0, 1):
                sys.exit(f"query {query['_id']} failed: {out.stderr.strip()}")
            hits = json.loads(out.stdout)["hits"]
            ranked = [os.path.basename(h["path"]).rsplit(".", 1)[0] for h in hits]
            ndcgs.append(ndcg_at(ranked, gains, 10))
            recalls.append(recall_at(ranked, gains, 100))
        search_seconds = time.time() - started
        return {
            "collection": name,
            "documents": len(docs),
            "queries": len(ndcgs),
            "ndcg@10": sum(ndcgs) / len(ndcgs),
            "recall@100": sum(recalls) / len(recalls),
            "ingest_s": ingest_seconds,
            "search_ms_per_query": 1000 * search_seconds / max(len(ndcgs), 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collection", default="all", choices=["all", *COLLECTIONS])
    parser.add_argument("--eval", default=os.path.join(ROOT, "..", "shared", "eval"))
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "archivist"))
    parser.add_argument("extra", nargs="*", help="more search options, e.g. --fuzzy")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    names = list(COLLECTIONS) if args.collection == "all" else [args.collection]
    print("| collection | documents | queries | nDCG@10 | Recall@100 | ingest | search/query |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in names:
        folder = os.path.join(args.eval, COLLECTIONS[name])
        if args.collection == "all" and not os.path.exists(folder):
            continue
        r = evaluate(name, folder, args.binary, args.extra)
        print(f"| {r['collection']} | {r['documents']} | {r['queries']} | {r['ndcg@10']:.4f} "
              f"| {r['recall@100']:.4f} | {r['ingest_s']:.1f} s | {r['search_ms_per_query']:.0f} ms |",
              flush=True)


if __name__ == "__main__":
    main()
