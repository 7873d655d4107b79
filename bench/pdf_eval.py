#!/usr/bin/env python3
"""How well archivist reads PDFs, by script: re-runnable by anyone.

    bench/pdf_eval.py [--data DIR] [--bin BIN] [--runs N] [--skip-real] [--skip-made]

Two sets:
- found: the PDFs of Debian's TeX Live language documentation packages (Russian, Ukrainian,
  Chinese, Japanese, Korean, German, French and English manuals; `apt-get download`, unpacked
  with `dpkg -x`, nothing installed). Stored text is scored against `pdftotext`'s.
- made: PDFs made here from the labelled passages of `../shared/samples/languages/` (and a
  Ukrainian passage below) by several producers: Chromium's print-to-PDF (horizontal, and
  vertical for Chinese and Japanese), LibreOffice headless, groff + ps2pdf (Latin), pdflatex with
  T2A fonts (Russian, Ukrainian), XeLaTeX with xeCJK (Chinese, Japanese, Korean); and the
  Chromium PDFs again with their ToUnicode maps removed (garbled on purpose, read by OCR).
  Stored text is scored against the source text. A producer that is not installed is left out
  and named (TeX Live and LibreOffice are heavy: `apt-get install texlive-xetex
  texlive-lang-cyrillic texlive-lang-chinese texlive-lang-japanese texlive-lang-korean
  libreoffice-writer-nogui fonts-noto-cjk`).

Scores: character-bigram recall and precision (white space removed, NFKC), per script; the
character accuracy of pages re-read by OCR; the share of documents stored as garbage (bigram
precision below 0.5); ingest time against pdftotext alone over the found set, 2 cores each,
medians of alternating runs. The stored text is read back through `archivist serve`'s API.
"""
import argparse
import collections
import glob
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "..", "shared", "samples", "languages")
PACKAGES = ["texlive-lang-cyrillic", "texlive-lang-chinese", "texlive-lang-japanese",
            "texlive-lang-korean", "texlive-lang-german", "texlive-lang-french"]
UKRAINIAN = ("Архів зберігає листи, щоденники та фотографії людей, які повернулися додому після "
             "війни. Дослідники читають ці документи, щоб зрозуміти, як жили родини в ті роки, "
             "і кожен лист розповідає про надію, втрату та довге чекання на зустріч.")
SCRIPT = {"ja": "Japanese", "zh": "Chinese", "ko": "Korean", "ru": "Cyrillic", "uk": "Cyrillic",
          "de": "Latin", "fr": "Latin", "en": "Latin"}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def clean(text):
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def bigrams(text):
    t = clean(text)
    return collections.Counter(t[i:i + 2] for i in range(len(t) - 1))


def recall_precision(found, expected):
    f, e = bigrams(found), bigrams(expected)
    common = sum((f & e).values())
    return common / max(1, sum(e.values())), common / max(1, sum(f.values()))


def accuracy(found, expected):
    a, b = clean(expected), clean(found)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a):
        row = [i + 1]
        for j, cb in enumerate(b):
            row.append(min(previous[j] + (ca != cb), previous[j + 1] + 1, row[j] + 1))
        previous = row
    return max(0.0, 1 - previous[-1] / max(1, len(a)))


# ---------------------------------------------------------------- the found set
def found_set(data):
    target = os.path.join(data, "found")
    if os.path.isdir(target) and os.listdir(target):
        return target
    debs, root = os.path.join(data, "debs"), os.path.join(data, "root")
    os.makedirs(debs, exist_ok=True)
    run(["apt-get", "download"] + PACKAGES, cwd=debs)
    for deb in glob.glob(os.path.join(debs, "*.deb")):
        run(["dpkg", "-x", deb, root])
    os.makedirs(target)
    docs = os.path.join(root, "usr", "share", "doc", "texlive-doc")
    for path in glob.glob(os.path.join(docs, "**", "*.pdf"), recursive=True):
        os.link(path, os.path.join(target, os.path.relpath(path, docs).replace("/", "_")))
    return target


def pdftotext(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True)
    return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else None


# ---------------------------------------------------------------- the made set
def passages():
    texts = {}
    for lang in ["ja", "zh", "ko", "ru", "de", "fr", "en"]:
        files = sorted(glob.glob(os.path.join(SAMPLES, lang, "*.txt")))[:2]
        texts[lang] = "\n\n".join(open(f, encoding="utf-8").read().strip() for f in files)
    texts["uk"] = UKRAINIAN
    return texts


HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: "Noto Serif CJK JP", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Serif",
  serif; font-size: 13pt; }}
.v {{ writing-mode: vertical-rl; height: 24cm; }}
</style></head><body><div class="{cls}">{body}</div></body></html>"""


def cjk_share(text):
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if ord(c) >= 0x3000) / max(1, len(letters))


def html_of(text, vertical=False):
    body = "".join("<p>%s</p>" % p.replace("&", "&amp;").replace("<", "&lt;")
                   for p in text.split("\n\n"))
    return HTML.format(cls="v" if vertical else "", body=body)


def chromium(html, out, work):
    page = os.path.join(work, "page.html")
    open(page, "w", encoding="utf-8").write(html)
    run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         "--user-data-dir=" + os.path.join(work, "profile"), "--print-to-pdf=" + out, page],
        timeout=120)


def libreoffice(text, out, work):
    """Writer's plain-text import (its HTML import drops the first line of a page)."""
    page = os.path.join(work, "lo.txt")
    open(page, "w", encoding="utf-8").write(text)
    run(["soffice", "--headless", "-env:UserInstallation=file://" + work + "/lo",
         "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "pdf", "--outdir", work, page],
        timeout=180)
    shutil.move(os.path.join(work, "lo.pdf"), out)


def groff(text, out, work):
    src = os.path.join(work, "g.tr")
    open(src, "w", encoding="utf-8").write(".ll 6i\n" + text.replace("\n\n", "\n.sp\n") + "\n")
    ps = subprocess.run(["groff", "-Kutf8", "-Tps", src], capture_output=True, check=True).stdout
    open(os.path.join(work, "g.ps"), "wb").write(ps)
    run(["ps2pdf", os.path.join(work, "g.ps"), out])


LATEX_T2A = r"""\documentclass{article}\usepackage[T2A]{fontenc}\usepackage[utf8]{inputenc}
\usepackage[%s]{babel}\begin{document}%s\end{document}"""
XECJK = r"""\documentclass{article}\usepackage{xeCJK}\setCJKmainfont{%s}
\begin{document}%s\end{document}"""
CJK_FONTS = {"ja": "Noto Serif CJK JP", "zh": "Noto Serif CJK SC", "ko": "Noto Serif CJK KR"}


def latex(engine, source, out, work):
    tex = os.path.join(work, "doc.tex")
    open(tex, "w", encoding="utf-8").write(source)
    run([engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=work, timeout=300)
    shutil.move(os.path.join(work, "doc.pdf"), out)


def tex_escape(text):
    return re.sub(r"([#$%&_{}~^\\])", r"\\\1", text).replace("\n\n", "\n\n\\par ")


def strip_tounicode(source, target, work):
    qdf = os.path.join(work, "qdf.pdf")
    run(["qpdf", "--qdf", "--object-streams=disable", source, qdf])
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)),
                  open(qdf, "rb").read())
    open(target, "wb").write(data)


def made_set(data):
    """Makes every PDF it can; returns {file name: (language, producer, source text)}."""
    target = os.path.join(data, "made")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    made, missing = {}, set()

    def attempt(name, lang, producer, text, make):
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(target, name)
            try:
                make(out, work)
                made[name] = (lang, producer, text)
            except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
                missing.add("%s (%s)" % (producer, type(e).__name__))

    for lang, text in passages().items():
        attempt(f"{lang}-chromium.pdf", lang, "chromium", text,
                lambda o, w: chromium(html_of(text), o, w))
        if lang in ("ja", "zh"):
            # Vertical pages are set in CJK; a Latin paragraph set sideways in one loses its
            # spaces in drawing order (see BENCHMARKS.md), so the passages' English ones are
            # left out here.
            vertical = "\n\n".join(p for p in text.split("\n\n") if cjk_share(p) > 0.5)
            attempt(f"{lang}-chromium-vertical.pdf", lang, "chromium vertical", vertical,
                    lambda o, w: chromium(html_of(vertical, True), o, w))
        if shutil.which("soffice"):
            attempt(f"{lang}-libreoffice.pdf", lang, "libreoffice", text,
                    lambda o, w: libreoffice(text, o, w))
        if lang in ("en", "de", "fr"):
            attempt(f"{lang}-groff.pdf", lang, "groff+ps2pdf", text,
                    lambda o, w: groff(text, o, w))
        if lang in ("ru", "uk") and shutil.which("pdflatex"):
            babel = {"ru": "russian", "uk": "ukrainian"}[lang]
            attempt(f"{lang}-pdflatex-t2a.pdf", lang, "pdflatex T2A", text,
                    lambda o, w: latex("pdflatex", LATEX_T2A % (babel, tex_escape(text)), o, w))
        if lang in CJK_FONTS and shutil.which("xelatex"):
            attempt(f"{lang}-xelatex.pdf", lang, "xelatex xeCJK", text,
                    lambda o, w: latex("xelatex", XECJK % (CJK_FONTS[lang], tex_escape(text)),
                                       o, w))
        if lang in ("en", "ru", "ja", "zh"):
            def garbled(o, w):
                plain = os.path.join(w, "plain.pdf")
                chromium(html_of(text), plain, w)
                strip_tounicode(plain, o, w)
            attempt(f"{lang}-garbled.pdf", lang, "garbled (no ToUnicode)", text, garbled)
    return target, made, missing


TESSERACT_MODELS = {"en": "eng", "ru": "rus", "ja": "jpn", "zh": "chi_sim"}


def by_hand(path, lang):
    """What Tesseract reads of a PDF's pages run by hand with the right model, at 300 dpi."""
    with tempfile.TemporaryDirectory() as work:
        run(["pdftoppm", "-r", "300", "-png", path, os.path.join(work, "p")])
        texts = []
        for image in sorted(glob.glob(os.path.join(work, "p*.png"))):
            out = subprocess.run(["tesseract", image, "-", "-l", TESSERACT_MODELS[lang]],
                                 capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
            texts.append(out.stdout.decode("utf-8", "replace"))
        return "\n".join(texts)


# ---------------------------------------------------------------- archivist
def ingest(binary, corpus, index, extra=()):
    shutil.rmtree(index, ignore_errors=True)
    report = index + ".report.json"
    start = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, "ingest", corpus, "--index", index, "--report", report, "-q"]
                   + list(extra), capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.time() - start, cpu, json.load(open(report))


def stored_texts(binary, index, corpus):
    """{file name: stored text} of every document, through the API."""
    hits = subprocess.run([binary, "search", "--index", index, "--all", "--format", "jsonl",
                           "path:%s/**" % corpus], capture_output=True).stdout.decode()
    ids = {}
    for line in hits.splitlines():
        hit = json.loads(line)
        ids[os.path.basename(hit["path"])] = hit["id"]
    server = subprocess.Popen([binary, "serve", "--index", index, "--bind", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = re.search(r"http://[\d.:]+", server.stdout.readline()).group(0)
        texts = {}
        for name, doc in ids.items():
            with urllib.request.urlopen(f"{address}/api/v1/documents/{doc}") as answer:
                texts[name] = json.load(answer)["text"]
        return texts
    finally:
        server.terminate()
        server.wait()


def pdftotext_all(files):
    """pdftotext over `files` on 2 cores: (wall, CPU) seconds."""
    start = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["xargs", "-0", "-P2", "-I{}", "sh", "-c",
                        'pdftotext -enc UTF-8 "$1" "$2/$(basename "$1").txt" 2>/dev/null || true',
                        "_", "{}", out], input="\0".join(files).encode(), capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.time() - start, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def language_of(name):
    for key, lang in [("russian", "ru"), ("ukr", "uk"), ("cyrillic", "ru"), ("-ru", "ru"),
                      ("gost", "ru"), ("eskd", "ru"), ("mongol", "ru"), ("bulgarian", "ru"),
                      ("ctex", "zh"), ("xecjk", "zh"), ("chinese", "zh"), ("zh", "zh"),
                      ("cjk", "zh"), ("platex", "ja"), ("uplatex", "ja"), ("ptex", "ja"),
                      ("japanese", "ja"), ("luatexja", "ja"), ("ko", "ko"), ("korean", "ko"),
                      ("german", "de"), ("-de", "de"), ("french", "fr"), ("-fr", "fr")]:
        if key in name.lower():
            return lang
    return "en"


def summarize(rows):
    """rows: (group, recall, precision) -> {group: (n, mean recall, mean precision)}."""
    groups = collections.defaultdict(list)
    for group, r, p in rows:
        groups[group].append((r, p))
        groups["all"].append((r, p))
    return {g: (len(v), statistics.mean(x[0] for x in v), statistics.mean(x[1] for x in v))
            for g, v in sorted(groups.items())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/tmp/bench-data/pdf")
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "archivist"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-made", action="store_true")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    os.makedirs(args.data, exist_ok=True)
    results = {}

    if not args.skip_made:
        corpus, made, missing = made_set(args.data)
        index = os.path.join(args.data, "made-index")
        _, _, report = ingest(binary, corpus, index)
        texts = stored_texts(binary, index, corpus)
        rows, reference_rows, garbled_rows, garbage = [], [], [], 0
        for name, (lang, producer, source) in sorted(made.items()):
            stored = texts.get(name, "")
            r, p = recall_precision(stored, source)
            # What the producer put in the file, as poppler reads it: a reader can do no better
            # than what is there (LibreOffice's HTML import drops a line or two).
            ref = recall_precision(pdftotext(os.path.join(corpus, name)) or "", source)
            garbage += p < 0.5 and bool(stored)
            if producer.startswith("garbled"):
                hand = accuracy(by_hand(os.path.join(corpus, name), lang), source)
                garbled_rows.append((SCRIPT[lang], accuracy(stored, source), hand))
                print(f"made {name:32} OCR accuracy {garbled_rows[-1][1]:.3f}, "
                      f"Tesseract by hand with {TESSERACT_MODELS[lang]} {hand:.3f}")
            else:
                rows.append((SCRIPT[lang], r, p))
                reference_rows.append((SCRIPT[lang], *ref))
            print(f"made {name:32} {producer:24} recall {r:.3f} precision {p:.3f}"
                  f"  (pdftotext {ref[0]:.3f} {ref[1]:.3f})")
        results["made"] = summarize(rows)
        results["made_pdftotext"] = summarize(reference_rows)
        results["made_by_producer"] = summarize(
            [(made[n][1], *recall_precision(texts.get(n, ""), made[n][2])) for n in made
             if not made[n][1].startswith("garbled")])
        results["ocr_accuracy_and_by_hand"] = {
            s: (statistics.mean(a for g, a, _ in garbled_rows if g == s),
                statistics.mean(h for g, _, h in garbled_rows if g == s))
            for s in sorted({g for g, _, _ in garbled_rows})}
        results["made_garbage_documents"] = (garbage, len(made))
        results["producers_missing"] = sorted(missing)
        results["made_reread_pages"] = sum(len(f.get("reread", [])) for f in report["files"])

    if not args.skip_real:
        corpus = found_set(args.data)
        files = sorted(glob.glob(os.path.join(corpus, "*.pdf")))
        index = os.path.join(args.data, "found-index")
        timings = {"archivist": [], "pdftotext": []}
        for _ in range(args.runs):
            wall, cpu, report = ingest(binary, corpus, index, ["--no-ocr"])
            timings["archivist"].append((wall, cpu))
            timings["pdftotext"].append(pdftotext_all(files))
        texts = stored_texts(binary, index, corpus)
        # Pages judged garbled are left out here (--no-ocr), and so are files garbled whole:
        # they are compared apart.
        garbled = {(os.path.basename(f["path"]), r["page"]) for f in report["files"]
                   for r in f.get("reread", [])}
        garbled_files = {os.path.basename(f["path"]) for f in report["files"]
                         if "garbled" in (f.get("reason") or "")}
        results["found_garbled_files"] = sorted(garbled_files)
        rows, below = [], 0
        for path in files:
            reference = pdftotext(path)
            name = os.path.basename(path)
            if not reference or len(clean(reference)) < 50 or name in garbled_files:
                continue
            keep = lambda pages: "\f".join(
                p for i, p in enumerate(pages.split("\f"), 1) if (name, i) not in garbled)
            stored = re.sub(r"\n?\f\n?", "\f", texts.get(name, ""))
            r, p = recall_precision(keep(stored), keep(reference))
            below += r < 0.9
            rows.append((SCRIPT[language_of(name)], r, p))
        results["found_vs_pdftotext"] = summarize(rows)
        results["found_below_0.9"] = (below, len(rows))
        results["found_reread"] = collections.Counter(
            r["kept"] for f in report["files"] for r in f.get("reread", []))
        results["found_without_text_layer"] = sum(
            1 for f in report["files"] if "without a text layer" in (f.get("reason") or ""))
        # With OCR: the garbled pages re-read (none from an earlier run's cache).
        with tempfile.TemporaryDirectory() as cache:
            wall, cpu, report = ingest(binary, corpus, index + "-ocr", ["--ocr-cache", cache])
        ocr_texts = stored_texts(binary, index + "-ocr", corpus)
        results["found_with_ocr"] = {
            "wall": wall, "cpu": cpu, "ocr_pages": report["summary"]["ocr_pages"],
            "reread": collections.Counter(r["kept"] for f in report["files"]
                                          for r in f.get("reread", [])),
            "garbled_files_indexed": sum(1 for n in garbled_files if ocr_texts.get(n))}
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
               for k, v in timings.items()}
        results["speed"] = med
        results["speed_ratio_wall"] = med["archivist"][0] / med["pdftotext"][0]

    json.dump(results, sys.stdout, indent=1, default=str)
    print()


if __name__ == "__main__":
    main()
