#!/usr/bin/env python3
"""Sentence-level Chinese retrieval sets, in simplified and traditional script, and the plain
character-bigram BM25 they are measured against.

    python3 bench/zh_sentences.py --cmrc cmrc2018_trial.json --drcd DRCD_dev.json --out DIR
    python3 bench/zh_sentences.py --baseline DIR

Each question of a reading-comprehension set is judged relevant to the one sentence of its
paragraph that holds the start of its answer; the corpus is every sentence of every paragraph
(cut after 。！？；!?; and at line breaks). Four sets are written in the BEIR layout
(`corpus.jsonl`, `queries.jsonl`, `qrels/test.tsv`) that `bench/relevance.py` reads:

- `cmrc-s`: CMRC 2018's trial set (github.com/ymcui/cmrc2018, `squad-style-data/
  cmrc2018_trial.json`, CC BY-SA 4.0), simplified as written; not the development set that
  `../shared/eval/cjk/cmrc2018-zh` is built from.
- `cmrc-t`: the same converted to traditional script with OpenCC (`s2t`).
- `drcd-t`: DRCD's development set (github.com/DRCKnowledgeTeam/DRCD, `DRCD_dev.json`,
  CC BY-SA 3.0), traditional Chinese from Taiwan as written.
- `drcd-s`: the same converted to simplified script with OpenCC (`t2s`).

OpenCC is the `opencc-python-reimplemented` package from PyPI. `--baseline DIR` prints, for each
set in DIR, nDCG@10 and Recall@100 of a plain BM25 (k1 0.9, b 0.4; NFKC and lowercase; CJK
characters as overlapping bigrams, a lone CJK character as itself, other text as words of letters
and digits; no stemming; every query term optional), the reference the sets are read against.
"""
import argparse
import collections
import json
import math
import os
import re
import unicodedata

SENTENCE_END = set("。！？；!?;\n")


def sentences(text):
    """(start, end) of each sentence of `text`, spaces around it left out."""
    out, start = [], 0
    for i, c in enumerate(text):
        if c in SENTENCE_END:
            out.append((start, i + 1))
            start = i + 1
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def build(source, convert=None):
    """The corpus, queries and qrels of a SQuAD-style file, each text passed through `convert`."""
    data = json.load(open(source, encoding="utf-8"))["data"]
    conv = convert or (lambda s: s)
    corpus, queries, qrels = [], [], []
    for a, article in enumerate(data):
        for p, paragraph in enumerate(article["paragraphs"]):
            context = paragraph["context"]
            cuts = sentences(context)
            for k, (s, e) in enumerate(cuts):
                corpus.append({"_id": f"{a}-{p}-{k}", "title": "", "text": conv(context[s:e].strip())})
            for q in paragraph["qas"]:
                answers = q.get("answers") or []
                # One question of the trial set is empty.
                if not answers or not q["question"].strip():
                    continue
                at = answers[0]["answer_start"]
                k = next((k for k, (s, e) in enumerate(cuts) if s <= at < e), None)
                if k is None:
                    continue
                qid = str(q["id"]) if "id" in q else f"{a}-{p}-{len(queries)}"
                qid = f"q{len(queries)}-{qid}"
                queries.append({"_id": qid, "text": conv(q["question"])})
                qrels.append((qid, f"{a}-{p}-{k}"))
    return corpus, queries, qrels


def write(folder, corpus, queries, qrels):
    os.makedirs(os.path.join(folder, "qrels"), exist_ok=True)
    with open(os.path.join(folder, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for d in corpus:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(folder, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    with open(os.path.join(folder, "qrels", "test.tsv"), "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for qid, did in qrels:
            f.write(f"{qid}\t{did}\t1\n")


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W_]+")


def tokens(text):
    text = unicodedata.normalize("NFKC", text).lower()
    out, at = [], 0
    for m in CJK.finditer(text):
        out += WORD.findall(text[at:m.start()])
        run = m.group()
        out += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        at = m.end()
    out += WORD.findall(text[at:])
    return out


def bm25(folder, k1=0.9, b=0.4):
    docs = [json.loads(l) for l in open(os.path.join(folder, "corpus.jsonl"), encoding="utf-8")]
    queries = [json.loads(l) for l in open(os.path.join(folder, "queries.jsonl"), encoding="utf-8")]
    qrels = collections.defaultdict(dict)
    with open(os.path.join(folder, "qrels", "test.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, did, score = line.rstrip("\n").split("\t")
            qrels[qid][did] = int(score)
    postings = collections.defaultdict(list)
    lengths = []
    for i, d in enumerate(docs):
        terms = tokens((d.get("title") or "") + " " + d["text"])
        lengths.append(len(terms))
        for t, n in collections.Counter(terms).items():
            postings[t].append((i, n))
    avg = sum(lengths) / max(len(lengths), 1)
    n_docs = len(docs)
    ndcgs, recalls = [], []
    for q in queries:
        gains = qrels.get(q["_id"])
        if not gains:
            continue
        scores = collections.defaultdict(float)
        for t in set(tokens(q["text"])):
            plist = postings.get(t, [])
            idf = math.log(1 + (n_docs - len(plist) + 0.5) / (len(plist) + 0.5))
            for i, n in plist:
                scores[i] += idf * n * (k1 + 1) / (n + k1 * (1 - b + b * lengths[i] / avg))
        ranked = [docs[i]["_id"] for i, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:100]]
        dcg = sum(gains.get(d, 0) / math.log2(r + 2) for r, d in enumerate(ranked[:10]))
        ideal = sum(g / math.log2(r + 2) for r, g in enumerate(sorted(gains.values(), reverse=True)[:10]))
        ndcgs.append(dcg / ideal if ideal else 0.0)
        recalls.append(len(set(ranked) & set(gains)) / len(gains))
    return len(docs), len(ndcgs), sum(ndcgs) / len(ndcgs), sum(recalls) / len(recalls)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cmrc")
    ap.add_argument("--drcd")
    ap.add_argument("--out")
    ap.add_argument("--baseline")
    args = ap.parse_args()
    if args.out:
        from opencc import OpenCC  # opencc-python-reimplemented, from PyPI
        s2t, t2s = OpenCC("s2t").convert, OpenCC("t2s").convert
        if args.cmrc:
            write(os.path.join(args.out, "cmrc-s"), *build(args.cmrc))
            write(os.path.join(args.out, "cmrc-t"), *build(args.cmrc, s2t))
        if args.drcd:
            write(os.path.join(args.out, "drcd-t"), *build(args.drcd))
            write(os.path.join(args.out, "drcd-s"), *build(args.drcd, t2s))
    if args.baseline:
        print("| set | sentences | queries | nDCG@10 | Recall@100 |")
        print("| --- | --- | --- | --- | --- |")
        for name in sorted(os.listdir(args.baseline)):
            folder = os.path.join(args.baseline, name)
            if os.path.exists(os.path.join(folder, "corpus.jsonl")):
                n, q, ndcg, recall = bm25(folder)
                print(f"| {name} | {n} | {q} | {ndcg:.4f} | {recall:.4f} |", flush=True)


if __name__ == "__main__":
    main()
