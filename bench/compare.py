#!/usr/bin/env python3
"""Behaviour check for refactors: two archivist binaries, same corpora, same output?

    python3 bench/compare.py OLD_BINARY NEW_BINARY [--corpus DIR ...] [--keep DIR]

Build the old binary first (for instance `git worktree add /tmp/old HEAD~1 && cargo build
--release` there). For each corpus (default: the bundled `corpus/` and a fifth of
/tmp/bench-data/multi, every fifth file, linked into /tmp/bench-data/multi-fifth), both
binaries ingest it from scratch into indexes of their own, and then:
- the `ingest --report` and `status --json` must agree, apart from times, sizes and index paths;
- every query of QUERIES, in every mode listed with it, run by both binaries on the old
  binary's index, must print the same `search --json` output (hits, scores, snippets,
  highlights, facets, explanations, ignored words) apart from `elapsed_ms`, and exit with the
  same code;
- the new binary on its own index must find the same number of documents, the same facets,
  and show the same stored fields and snippets for the hits both list (scores and the order of
  ties may differ in the last digits: two ingests of one corpus never write the same segments);
- each query's plain mode, and every query at once as a `--batch`, must print the same bytes in
  the terminal (stdout, and stderr with its times taken out), as CSV, as JSON lines and with
  `--all --format jsonl`;
- tags added by a query, and saved searches run in every format, must print the same on copies
  of the old binary's index.
Prints one line per difference and a count; exits 1 when anything differs. Not a test.

    --on-new-index   runs the checks both binaries share on the new binary's index instead,
                     for a change of the index's layout that only the new binary reads (the
                     old one reads the new layout when the change only leaves something out,
                     as uncompressed dictionary blocks); the new binary's own index is still
                     compared with the old binary's.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MULTI = "/tmp/bench-data/multi"
FIFTH = "/tmp/bench-data/multi-fifth"

# Modes a query runs in; each query names the modes it is checked with.
PLAIN = []
MODES = {
    "plain": PLAIN,
    "any": ["--any"],
    "explain": ["--explain"],
    "any-explain": ["--any", "--explain"],
    "facets": ["--facets", "--limit", "3"],
    "fuzzy": ["--fuzzy"],
    "snippets": ["--snippets", "3"],
    "page2": ["--offset", "5", "--limit", "5"],
}
ALL = ["plain", "any", "explain", "any-explain", "facets", "fuzzy", "snippets"]
SOME = ["plain", "explain", "facets"]

# (query words, modes[, options]). Chosen to cover both corpora: the bundled one (English, Japanese,
# Russian, variants) and Debian's manuals (de, en, es, fr, it, ja, ru, zh).
QUERIES = [
    # Latin script, one word and several
    (["Maizuru"], ALL),
    (["Otozo"], SOME),
    (["prisoners", "repatriation"], ALL),
    (["debootstrap"], SOME),
    (["file"], ["plain", "page2", "facets"]),
    (["package", "manager"], ALL),
    (["Paketverwaltung"], SOME),
    (["configuración"], SOME),
    (["fichier", "configuration"], ALL),
    (["the", "of", "kernel"], ["plain", "any", "any-explain"]),
    (["nothingmatchesthisword"], ["plain", "any"]),
    # phrases, prefix, fuzzy, boolean syntax
    (['"package manager"'], SOME),
    (['"soviet prisoners"~5'], SOME),
    (['"Kwantung Army"', "-Nomonhan"], SOME),
    (["repatriat*"], SOME),
    (["instal*"], ["plain", "facets"]),
    (["Nomonhan~1"], SOME),
    (["configuraton~1"], SOME),
    (["Maizru~"], SOME),
    (["siberia", "OR", "manchuria"], SOME),
    (["(kernel", "OR", "module)", "debian"], SOME),
    (["soviet", "-german"], SOME),
    (["title:war"], SOME),
    (["title:debian", "lang:de"], SOME),
    (["path:*.txt", "Maizuru"], SOME),
    (["ext:txt", "apt"], SOME),
    (["year:1945", "prisoners"], SOME),
    (["year:1945..1956", "Siberia"], SOME),
    # Cyrillic
    (["военнопленный"], ALL),
    (["Военнопленные"], SOME),
    (["файл"], ALL),
    (["пакет", "установка"], ALL),
    (["Находка"], SOME),
    # Greek
    (["Σιβηρία"], SOME),
    (["Εγκατάσταση"], ALL),
    (["διαχειριστη", "πακέτων"], SOME),
    (["Egkatastasi"], SOME),
    # CJK: words, compounds, questions typed without spaces
    (["抑留"], ALL),
    (["シベリア抑留"], ALL),
    (["シベリアの抑留"], ["plain", "explain", "any-explain"]),
    (["ディレクトリ"], SOME),
    (["ディレクトリを削除するコマンドは何ですか"], ALL),
    (["文件系统"], ALL),
    (["如何安装软件包"], ALL),
    (["軟體套件"], SOME),
    (['"パッケージ管理"'], SOME),
    (["舞鶴"], SOME),
    (["서울에서"], SOME),
    # romanization and variants
    (["Shiberia"], SOME),
    (["Sibir"], SOME),
    (["Nomonham"], ALL),
    (["Kwantung", "Army"], SOME),
    (["Port", "Arthur"], SOME),
    (["Mukden"], SOME),
    (["関東軍"], SOME),
    # languages
    (["плен"], SOME, ["--lang", "ru"]),
    (["пакета"], SOME, ["--lang", "ru,uk"]),
    (["パッケージ"], SOME, ["--lang", "ja,zh"]),
    (["Datei"], SOME, ["--lang", "de"]),
    (["Maizuru"], SOME, ["--lang", "en"]),
    (["Maizuru"], ["plain"], ["--lang", "xx"]),
    # errors and odd input
    (["title:"], ["plain"]),
    (['"unclosed'], ["plain"]),
    (["year:19x5"], ["plain"]),
    (["-excluded"], ["plain"]),
]


def fifth_of_multi():
    """Every fifth file of multi (sorted by path), hard-linked, so both runs read the same."""
    if os.path.isdir(FIFTH):
        return FIFTH
    if not os.path.isdir(MULTI):
        subprocess.run(["bash", os.path.join(ROOT, "..", "shared", "bench", "make-corpora.sh")],
                       check=True)
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(MULTI) for f in fs
    )
    for i, path in enumerate(files):
        if i % 5:
            continue
        target = os.path.join(FIFTH, os.path.relpath(path, MULTI))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(path, target)
    return FIFTH


def scrub(value):
    """Drop what differs between two runs of the same binary: times, sizes, index paths."""
    noisy = {"elapsed_ms", "elapsed_s", "seconds", "size_bytes", "last_ingest", "index",
             "mb_per_s", "docs_per_s", "started", "finished"}
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in noisy}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def run(binary, args):
    done = subprocess.run([binary, "--color", "never", *args], capture_output=True, text=True)
    try:
        out = scrub(json.loads(done.stdout)) if done.stdout.strip() else None
    except json.JSONDecodeError:
        out = done.stdout
    # Error messages name the index folder; compare them without it.
    err = done.stderr if done.returncode == 2 else ""
    return done.returncode, out, err


def run_raw(binary, args):
    """Exit code, stdout as it is, and stderr with its times and index paths taken out."""
    done = subprocess.run([binary, "--color", "never", *args], capture_output=True, text=True)
    err = re.sub(r"[0-9.]+ ?(ms|s)\b", "T", done.stderr)
    out = re.sub(r'"elapsed_ms":[0-9.e-]+', '"elapsed_ms":T', done.stdout)
    return done.returncode, out, err


# The ways of printing a search besides `--json`, each checked in bytes.
FORMATS = {
    "terminal": [],
    "csv": ["--format", "csv"],
    "jsonl": ["--format", "jsonl"],
    "all-jsonl": ["--all", "--format", "jsonl"],
    "all-terminal": ["--all", "--limit", "0"],
}


def printed(old, new, index, label, args):
    """Differences between the old and new binary's bytes for `args` on `index`."""
    a, b = run_raw(old, args), run_raw(new, args)
    if a == b:
        return []
    return [f"{label}: exit {a[0]} vs {b[0]}\n  old {a[1][:300]!r} {a[2][:200]!r}\n"
            f"  new {b[1][:300]!r} {b[2][:200]!r}"]


def annotations(old, new, index, work):
    """Tags and saved searches written and run by each binary on its own copy of `index`:
    (outputs compared, differences)."""
    copies = []
    for binary, name in ((old, "old"), (new, "new")):
        copy = os.path.join(work, os.path.basename(index) + "-marks-" + name)
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(index, copy)
        copies.append(copy)
    steps = [
        ["tag", "add", "siberia", "--query", "Siberia OR シベリア"],
        ["tag", "list"],
        ["watch", "add", "maizuru", "Maizuru OR 舞鶴", "--any"],
        ["watch", "add", "files", "file", "--lang", "en,de"],
        ["watch", "list"],
    ]
    # Saved again before each run, so that each format prints every hit, not only new ones.
    again = ["watch", "add", "maizuru", "Maizuru OR 舞鶴", "--any"]
    runs = [step for f in ("terminal", "json", "jsonl", "csv")
            for step in (again, ["watch", "run", "maizuru", "--format", f])]
    differences, checked = [], 0
    for step in steps + runs + [["watch"], ["search", "tag:siberia", "--facets"]]:
        outs = [run_raw(binary, [*step, "--index", copy]) for binary, copy in zip((old, new), copies)]
        checked += 1
        if outs[0] != outs[1]:
            differences.append(f"{' '.join(step)}: {outs[0]!r:.300} != {outs[1]!r:.300}")
    return checked, differences


def report(binary, corpus, index):
    """Ingest from scratch; the outcome of each file (sorted: files finish in any order)."""
    path = index + ".report.json"
    shutil.rmtree(index, ignore_errors=True)
    code, _, err = run(binary, ["ingest", corpus, "--index", index, "--report", path, "--quiet"])
    with open(path) as f:
        outcome = scrub(json.load(f))
    outcome["files"] = sorted(outcome.get("files", []), key=lambda f: json.dumps(f, sort_keys=True))
    return code, outcome


def stored(output):
    """What a search shows that comes from the index rather than from ranking: counts, facets
    and each hit's stored fields and snippet, by path. (Two ingests of one corpus are not
    bit-identical: threads finish in any order, so segments, float sums and ties differ; so do
    which of several equally near copies a hit names, as ties go by place in the index: their
    count is compared, not the names.)"""
    if not isinstance(output, dict):
        return output
    hits = {h["path"]: {k: v for k, v in h.items()
                        if k not in ("rank", "score", "explanation", "near_copies")}
            for h in output.get("hits", [])}
    return output.get("total_hits"), output.get("facets"), hits


def same_store(a, b):
    if not isinstance(a, tuple) or not isinstance(b, tuple):
        return a == b
    both = a[2].keys() & b[2].keys()
    return a[:2] == b[:2] and all(a[2][p] == b[2][p] for p in both)


def compare(old, new, corpus, work, on_new_index=False):
    """(outputs compared, outputs that differ) for one corpus."""
    name = os.path.basename(corpus.rstrip("/"))
    old_index = os.path.join(work, name + "-old")
    new_index = os.path.join(work, name + "-new")
    # The index both binaries search for the checks that must print the same bytes.
    shared = new_index if on_new_index else old_index
    checked, differences = 0, []
    ingested = [report(old, corpus, old_index), report(new, corpus, new_index)]
    checked += 1
    if ingested[0] != ingested[1]:
        differences.append(f"ingest report: {ingested[0]!r:.300} != {ingested[1]!r:.300}")
    statuses = [run(old, ["status", "--json", "--index", old_index]),
                run(new, ["status", "--json", "--index", new_index])]
    checked += 1
    if statuses[0] != statuses[1]:
        differences.append(f"status: {statuses[0]!r:.300} != {statuses[1]!r:.300}")
    for words, modes, *options in QUERIES:
        options = options[0] if options else []
        for mode in modes:
            label = f"[{mode}] {' '.join(options + words)}"
            args = lambda index: ["search", "--json", "--index", index, *options, *MODES[mode],
                                  "--", *words]
            # Both binaries on one index: everything must be identical.
            a = run(old, args(shared))
            b = run(new, args(shared))
            checked += 1
            if a != b:
                differences.append(
                    f"{label}: exit {a[0]} vs {b[0]}\n"
                    f"  old {json.dumps(a[1], ensure_ascii=False)[:400]}{a[2][:200]}\n"
                    f"  new {json.dumps(b[1], ensure_ascii=False)[:400]}{b[2][:200]}")
            # The new binary on its own index: what the index holds must be the same.
            c = run(new, args(new_index))
            if on_new_index:
                a = run(old, args(old_index))
            checked += 1
            if a[0] != c[0] or not same_store(stored(a[1]), stored(c[1])):
                differences.append(f"{label} on the new binary's index: exit {a[0]} vs {c[0]}, "
                                   f"total {stored(a[1])!r:.200} vs {stored(c[1])!r:.200}")
    batch = os.path.join(work, name + "-batch.txt")
    with open(batch, "w") as f:
        for words, _, *options in QUERIES:
            if not options:
                f.write(" ".join(words) + "\n")
    for words, _, *options in QUERIES:
        options = options[0] if options else []
        for fmt, flags in FORMATS.items():
            checked += 1
            differences += printed(old, new, shared, f"[{fmt}] {' '.join(options + words)}",
                                   ["search", "--index", shared, *options, *flags, "--", *words])
    for fmt, flags in FORMATS.items():
        for json_flag in ([], ["--json"]) if fmt == "terminal" else ([],):
            checked += 1
            differences += printed(old, new, shared, f"[batch {fmt}{' '.join(json_flag)}]",
                                   ["search", "--index", shared, "--batch", batch, *flags,
                                    *json_flag])
    marks_checked, marks_differences = annotations(old, new, shared, work)
    checked += marks_checked
    differences += marks_differences
    for line in differences:
        print(f"DIFF {name} {line}")
    return checked, len(differences)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--keep", help="keep the indexes in this folder")
    parser.add_argument("--on-new-index", action="store_true",
                        help="run the shared checks on the new binary's index (see above)")
    args = parser.parse_args()
    corpora = args.corpus or [os.path.join(ROOT, "corpus"), fifth_of_multi()]
    total = diffs = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        for corpus in corpora:
            checked, differences = compare(args.old, args.new, os.path.abspath(corpus), work,
                                           args.on_new_index)
            print(f"{corpus}: {checked} outputs compared, {differences} differ")
            total += checked
            diffs += differences
    print(f"all: {total} outputs compared, {diffs} differ")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
