#!/usr/bin/env python3
"""Precision of the languages each document lists on `multi`, as ../shared/bench/langs-precision.py
measures it, plus the same figures with the labels of `debian-history` read from its file names.

Usage: bench/langs_precision.py BIN INDEX CORPUS_DIR [--list FILE]

The shared script takes a document's language from its folder, and `debian-history/usr/...` and
`debian-history/dedication/` have none, so it calls their Spanish, Russian or Japanese files
(`detailed.es.txt`, `dedication-5.0.ru.txt`) English and counts every one of them wrong. Here
those files take the language their name ends with. `--list FILE` writes every flagged document
(path, languages not there, main language, label) as JSON lines, for hand-checking.
"""
import argparse
import collections
import json
import re
import subprocess

FOLDER_LANG = re.compile(r".*-(de|en|es|fr|it|ja|ru|zh-cn|zh-tw)$")
NAME_LANG = re.compile(r"\.([a-z]{2}(?:[-_][a-zA-Z]{2})?)\.txt$")
ALIAS = {"zh_cn": "zh", "zh_tw": "zh", "zh-cn": "zh", "zh-tw": "zh", "en-us": "en"}


def label(rel, by_name):
    top = rel[0]
    named = NAME_LANG.search(rel[-1]) if by_name and top == "debian-history" else None
    if top in ("man", "libreoffice-help", "debian-handbook"):
        lang = rel[1]
    elif named:
        lang = named.group(1)
    else:
        m = FOLDER_LANG.match(top)
        lang = m.group(1) if m else "en"
    lang = lang.lower()
    return ALIAS.get(lang, lang.replace("_", "-").split("-")[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--list")
    args = ap.parse_args()
    corpus = args.corpus.rstrip("/") + "/"
    out = subprocess.run([args.bin, "search", "--index", args.index, "--all", "--format", "jsonl",
                          f"path:{corpus}**"], capture_output=True, text=True, check=True).stdout
    hits = [json.loads(line) for line in out.splitlines()]
    for by_name in (False, True):
        total = extra_docs = main_wrong = 0
        wrong = collections.Counter()
        flagged = []
        for h in hits:
            rel = h["path"].split(corpus, 1)[1].split("/")
            want = label(rel, by_name)
            ok = {want, "en", "und"}
            extra = sorted(set(h["langs"]) - ok)
            total += 1
            extra_docs += bool(extra)
            main_wrong += h["lang"] not in ok
            wrong.update(extra)
            if extra or h["lang"] not in ok:
                flagged.append({"path": h["path"], "extra": extra, "lang": h["lang"], "label": want})
        name = "labels from file names too" if by_name else "labels as the shared script"
        print(f"{name}: documents {total}; with a language not there {extra_docs} "
              f"({extra_docs / max(total, 1):.4f}); main language wrong {main_wrong} "
              f"({main_wrong / max(total, 1):.4f})")
        print("  most frequent:", wrong.most_common(12))
        if by_name and args.list:
            with open(args.list, "w") as f:
                for row in flagged:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
