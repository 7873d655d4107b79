#!/usr/bin/env python3
"""Performance harness: archivist against tantivy-cli and ripgrep on real corpora.

    python3 bench/perf.py [--corpus DIR ...] [--out BENCHMARKS.md] [--runs N]

Default corpora: /tmp/bench-data/multi and /tmp/bench-data/en, built first with
../shared/bench/make-corpora.sh when missing. Installs what it needs (ripgrep and GNU time from
Debian, tantivy-cli with cargo install, without --locked) and builds archivist in release.

For each corpus, in one run on one machine:
- archivist ingest from scratch, then again after changing 1% of the files: wall time, MB/s,
  documents/s, peak RSS (/usr/bin/time -v), index size on disk;
- tantivy-cli: writing the corpus as JSON lines (timed), indexing it with its defaults (one
  thread, body not stored), peak RSS and index size;
- a fixed query set (rare word, common word, phrase, CJK word, CJK question, Russian word, fuzzy
  word), each run as a whole process: archivist (10 hits with snippets), tantivy-cli `search`, and
  `rg -l -F -i`; cold (first run after dropping the page cache, when permitted) and warm
  (median and p95 over --runs runs, 30 by default; archivist's and tantivy-cli's alternate);
and writes the tables to BENCHMARKS.md with the machine and the command. Not a test.

    python3 bench/perf.py --against OLD_BINARY [--corpus DIR ...] [--runs N]

compares this build with another archivist binary instead (a change must not make the figures
worse beyond noise): each ingests each corpus from scratch three times, the two alternating
(wall time, CPU seconds, peak RSS; medians), and the query set runs, each binary on the index it
wrote: cold (page cache dropped, when permitted; the two binaries alternating, median of three)
and warm (the two binaries' runs alternating, median and p95). Prints a table; writes nothing;
needs neither tantivy-cli nor ripgrep.

    --scale N   runs either mode on a corpus N times the size of each one named: N copies of it
                (`<corpus>-xN`, made once beside it), each file with a line of its own appended
                (`archive copy K, item I`), so no two files are the same and every copy is
                indexed, as in an archive that holds many versions of its documents.
"""
import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "bench", "make-corpora.sh")
TOOLS = os.environ.get("BENCH_TOOLS", "/tmp/archivist-bench/tools")
ARCHIVIST = os.path.join(ROOT, "target", "release", "archivist")

# (kind, archivist query, literal string for rg and tantivy-cli)
QUERIES = [
    ("rare word", "debootstrap", "debootstrap"),
    ("common word", "file", "file"),
    ("phrase", '"package manager"', "package manager"),
    ("CJK word", "ディレクトリ", "ディレクトリ"),
    # 20 characters typed without spaces: cut into words, each required (rg and tantivy-cli
    # look for the literal string, which is in no document).
    ("CJK question", "ディレクトリを削除するコマンドは何ですか", "ディレクトリを削除するコマンドは何ですか"),
    ("Russian word", "файл", "файл"),
    ("fuzzy word", "configuraton~1", "configuraton"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_tools():
    if not shutil.which("rg"):
        run(["apt-get", "install", "-y", "-q", "ripgrep"])
    if not os.path.exists("/usr/bin/time"):
        run(["apt-get", "install", "-y", "-q", "time"])
    tantivy = os.path.join(TOOLS, "bin", "tantivy")
    if not os.path.exists(tantivy):
        run(["cargo", "install", "tantivy-cli", "--root", TOOLS])
    run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    return tantivy


def timed(cmd, cpu=None, **kw):
    """Wall seconds and peak RSS (MB) of a command, via GNU time; its CPU seconds (user +
    system) appended to the list `cpu` when given."""
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as t:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-v", "-o", t.name, *cmd], check=True, **kw)
        wall = time.perf_counter() - started
        rss, seconds = 0, 0.0
        for line in t.read().splitlines():
            if "Maximum resident set size" in line:
                rss = int(line.split(":")[1]) / 1024
            elif "User time" in line or "System time" in line:
                seconds += float(line.split(":")[1])
        if cpu is not None:
            cpu.append(seconds)
        return wall, rss


def scaled(source, times):
    """The corpus `times` the size of `source` (see --scale), made once beside it."""
    source = source.rstrip("/")
    target = f"{source}-x{times}"
    done = target + ".complete"  # beside it, not a file of the corpus
    if os.path.exists(done):
        return target
    shutil.rmtree(target, ignore_errors=True)
    files = corpus_files(source)
    for copy in range(1, times + 1):
        for item, path in enumerate(files):
            out = os.path.join(target, f"copy-{copy:02d}", os.path.relpath(path, source))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(path, "rb") as f:
                data = f.read()
            if path.endswith((".txt", ".md", ".html", ".htm")):
                tag = hashlib.sha1(f"{copy}/{item}".encode()).hexdigest()[:12]
                data += f"\narchive copy {copy}, item {item} {tag}\n".encode()
            with open(out, "wb") as f:
                f.write(data)
    open(done, "w").close()
    return target


def du_mb(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total / 1e6


def corpus_files(path):
    out = []
    for root, _, files in os.walk(path):
        for f in files:
            out.append(os.path.join(root, f))
    out.sort()
    return out


def drop_caches():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def once(cmd):
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def whole_process(cmds, runs):
    """For each command run as a whole process: (cold seconds or None, warm median, warm p95).
    The warm runs of the commands alternate, so that a slower stretch of a shared machine
    weighs on each of them alike and their ratio holds."""
    colds = [once(cmd) if drop_caches() else None for cmd in cmds]
    # One untimed run each first: the page cache was last dropped before the last command's
    # cold run, so the first command's first warm run would still be half cold.
    for cmd in cmds:
        once(cmd)
    times = [[] for _ in cmds]
    for _ in range(runs):
        for cmd, taken in zip(cmds, times):
            taken.append(once(cmd))
    out = []
    for cold, taken in zip(colds, times):
        taken.sort()
        p95 = taken[min(len(taken) - 1, int(round(0.95 * (len(taken) - 1))))]
        out.append((cold, statistics.median(taken), p95))
    return out


def tantivy_cli(tantivy, files, work):
    """JSON preparation and indexing with tantivy-cli's defaults: one thread, text not stored."""
    index = os.path.join(work, "tantivy-index")
    json_path = os.path.join(work, "docs.json")
    started = time.perf_counter()
    with open(json_path, "w", encoding="utf-8") as out:
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                out.write(json.dumps({"path": path, "body": f.read()}) + "\n")
    prepare = time.perf_counter() - started
    os.makedirs(index)
    schema = [
        {"name": "path", "type": "text", "options": {"indexing": None, "stored": True}},
        {"name": "body", "type": "text", "options": {
            "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"},
            "stored": False}},
    ]
    meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
            "segments": [], "schema": schema, "opstamp": 0}
    with open(os.path.join(index, "meta.json"), "w") as f:
        json.dump(meta, f)
    with open(json_path, "rb") as stdin:
        wall, rss = timed([tantivy, "index", "-i", index, "-t", "1"], stdin=stdin,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.remove(json_path)
    return prepare, wall, rss, du_mb(index), index


def change_one_percent(files):
    """Appends a line to every 100th file; returns the files changed."""
    changed = files[::100]
    for path in changed:
        with open(path, "a", encoding="utf-8") as f:
            f.write("\nbenchmark edit\n")
    return changed


def bench_corpus(source, tantivy, runs):
    work = tempfile.mkdtemp(prefix="archivist-bench-")
    try:
        # A copy, so the 1% edits never touch the original corpus.
        corpus = os.path.join(work, os.path.basename(source.rstrip("/")))
        shutil.copytree(source, corpus)
        files = corpus_files(corpus)
        mb = sum(os.path.getsize(f) for f in files) / 1e6
        index = os.path.join(work, "index")
        wall, rss = timed([ARCHIVIST, "--index", index, "-q", "ingest", corpus])
        ours = {"wall": wall, "rss": rss, "size": du_mb(index)}
        changed = change_one_percent(files)
        again, again_rss = timed([ARCHIVIST, "--index", index, "-q", "ingest", corpus])
        prepare, t_wall, t_rss, t_size, t_index = tantivy_cli(tantivy, files, work)
        searches = []
        for kind, query, literal in QUERIES:
            a, t = whole_process([
                [ARCHIVIST, "--index", index, "search", "-n", "10", "--", query],
                [tantivy, "search", "-i", t_index, "-q", literal],
            ], runs)
            [r] = whole_process([["rg", "-l", "-F", "-i", literal, corpus]], max(3, runs // 3))
            hits = subprocess.run([ARCHIVIST, "--index", index, "search", "--json", "-n", "0",
                                   "--", query], capture_output=True, text=True)
            total = json.loads(hits.stdout)["total_hits"] if hits.stdout else 0
            searches.append((kind, query, total, a, t, r))
        return {
            "corpus": source, "docs": len(files), "mb": mb, "ours": ours,
            "incremental": {"wall": again, "rss": again_rss, "changed": len(changed)},
            "tantivy": {"prepare": prepare, "wall": t_wall, "rss": t_rss, "size": t_size},
            "searches": searches,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ms(x):
    """Milliseconds; one decimal under 10 ms, where whole milliseconds hide the ratios."""
    if x is None:
        return "n/a"
    return f"{x * 1000:.1f} ms" if x < 0.01 else f"{x * 1000:.0f} ms"


def report(results, command):
    cpu = platform.processor() or platform.machine()
    cores = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = ["# Benchmarks", "",
             f"Machine: {cores} cores ({cpu}), {mem:.0f} GiB memory, {platform.system()} "
             f"{platform.release()}. Command: `{command}`. Release build; figures from one run.",
             "", "## Ingest", "",
             "| corpus | documents | MB | archivist | MB/s | docs/s | peak RSS | index | "
             "re-ingest, 1% changed | tantivy-cli (JSON + index) | its RSS | its index | ratio |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        o, t, inc = r["ours"], r["tantivy"], r["incremental"]
        anchor = t["prepare"] + t["wall"]
        lines.append(
            f"| {os.path.basename(r['corpus'])} | {r['docs']} | {r['mb']:.1f} | {o['wall']:.1f} s "
            f"| {r['mb'] / o['wall']:.2f} | {r['docs'] / o['wall']:.0f} | {o['rss']:.0f} MB "
            f"| {o['size']:.0f} MB ({o['size'] / r['mb']:.2f}x text) "
            f"| {inc['wall']:.1f} s ({inc['changed']} files; {inc['wall'] / o['wall']:.0%}) "
            f"| {t['prepare']:.1f} + {t['wall']:.1f} s | {t['rss']:.0f} MB | {t['size']:.0f} MB "
            f"| {o['wall'] / anchor:.1f}x |")
    lines += ["", "## Search (whole process)", "",
              "| corpus | query | kind | hits | archivist cold | warm median | p95 "
              "| tantivy-cli warm | rg warm | vs tantivy-cli | vs rg |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        for kind, query, total, a, t, g in r["searches"]:
            lines.append(
                f"| {os.path.basename(r['corpus'])} | `{query}` | {kind} | {total} | {ms(a[0])} "
                f"| {ms(a[1])} | {ms(a[2])} | {ms(t[1])} | {ms(g[1])} | {a[1] / t[1]:.1f}x "
                f"| {g[1] / a[1]:.0f}x faster |")
    return "\n".join(lines) + "\n"


def compare_binaries(source, old, runs):
    """Ingest and search figures of `old` and of this build, measured alternately."""
    work = tempfile.mkdtemp(prefix="archivist-compare-")
    try:
        ingest = {"old": [], "new": []}
        cpu = {"old": [], "new": []}
        for _ in range(3):
            for name, binary in (("old", old), ("new", ARCHIVIST)):
                index = os.path.join(work, "index-" + name)
                shutil.rmtree(index, ignore_errors=True)
                ingest[name].append(timed([binary, "--index", index, "-q", "ingest", source],
                                          cpu=cpu[name]))

        def figures(name):
            return (f"{statistics.median(w for w, _ in ingest[name]):.1f} s, "
                    f"{statistics.median(cpu[name]):.1f} CPU-s, "
                    f"{statistics.median(r for _, r in ingest[name]):.0f} MB peak, index "
                    f"{du_mb(os.path.join(work, 'index-' + name)):.0f} MB")
        lines = [f"{os.path.basename(source.rstrip('/'))}: ingest from scratch, median of 3 "
                 f"alternating runs: before {figures('old')}; after {figures('new')}", "",
                 "| query | kind | hits | before: cold / median / p95 "
                 "| after: cold / median / p95 |",
                 "| --- | --- | --- | --- | --- |"]
        # Each binary searches the index it wrote: a build whose schema changed cannot open
        # the other's.
        pairs = ((old, os.path.join(work, "index-old")), (ARCHIVIST, os.path.join(work, "index-new")))
        for kind, query, _ in QUERIES:
            cmds = [[b, "--index", i, "search", "-n", "10", "--", query] for b, i in pairs]
            colds = [[], []]
            for _ in range(3):
                for cmd, taken in zip(cmds, colds):
                    if drop_caches():
                        taken.append(once(cmd))
            before, after = whole_process(cmds, runs)
            before = (statistics.median(colds[0]) if colds[0] else None, *before[1:])
            after = (statistics.median(colds[1]) if colds[1] else None, *after[1:])
            hits = subprocess.run([ARCHIVIST, "--index", pairs[1][1], "search", "--json", "-n", "0",
                                   "--", query], capture_output=True, text=True)
            total = json.loads(hits.stdout)["total_hits"] if hits.stdout else 0
            lines.append(f"| `{query}` | {kind} | {total} "
                         f"| {ms(before[0])} / {ms(before[1])} / {ms(before[2])} "
                         f"| {ms(after[0])} / {ms(after[1])} / {ms(after[2])} |")
        return "\n".join(lines) + "\n"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--out", default=os.path.join(ROOT, "BENCHMARKS.md"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--against", metavar="OLD_BINARY",
                        help="compare this build with another binary; writes nothing")
    parser.add_argument("--scale", type=int, default=1, metavar="N",
                        help="run on corpora N times the size of those named (see above)")
    args = parser.parse_args()
    corpora = args.corpus or ["/tmp/bench-data/multi", "/tmp/bench-data/en"]
    for c in corpora:
        name = os.path.basename(c.rstrip("/"))
        if not os.path.isdir(c) and name in ("multi", "en"):
            run(["bash", SHARED, name], env={**os.environ, "DATA": os.path.dirname(c)})
    if args.scale > 1:
        corpora = [scaled(c, args.scale) for c in corpora]
    if args.against:
        run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
        for c in corpora:
            print(compare_binaries(c, args.against, args.runs), flush=True)
        return
    tantivy = ensure_tools()
    results = []
    for c in corpora:
        print(f"benchmarking {c} ...", file=sys.stderr, flush=True)
        results.append(bench_corpus(c, tantivy, args.runs))
    text = report(results, "python3 bench/perf.py " + " ".join(sys.argv[1:]))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
