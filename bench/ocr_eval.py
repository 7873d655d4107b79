#!/usr/bin/env python3
"""How well and how fast archivist reads scanned pages, against Tesseract run by hand with the
right models: re-runnable by anyone.

    bench/ocr_eval.py [--data DIR] [--bin BIN] [--per-language N] [--runs N]
                      [--sets 300,150,noisy] [--show]

Pages: real pages of the PDFs of Debian's TeX Live language documentation packages (the found
set of `bench/pdf_eval.py`: `apt-get download`, unpacked with `dpkg -x`, nothing installed),
N per language (ja, zh, ko, ru, uk, de, fr, en), each page's language decided from its own text
layer (its main script by letters, Han and Hangul counted 3; kana for Japanese; ї є ґ for
Ukrainian and ы for Russian; the package and ä ö ü ß / é è à ç for German and French), pages of
at least 400 letters, at most two pages of one PDF, fewer where the packages hold fewer (2 of
Ukrainian). The pages are named by language (`ja-00.png`); archivist reads them in a fresh
index, its collection knowing no language yet: the cold case. Each page is rasterized by `pdftoppm` at 300 dpi, at
150 dpi, and scanned badly (the 300 dpi page turned 1.5 degrees, blurred and saved as a JPEG of
quality 30; needs Python's PIL: `apt-get install python3-pil`). Reference: `pdftotext` of the
same page.

Readers, both on all cores (two pages at a time on 2 cores), each page once:
- archivist: `archivist ingest` of the folder of images with an empty OCR cache, automatic
  model choice; its stored text read back through `archivist serve`'s API, its language and the
  models it chose from the report.
- by hand: `tesseract PAGE stdout -l MODELS`, one process a page with one thread, with the
  models a user who knows the page's language names (`jpn+eng`, `chi_sim+chi_tra+eng`, `kor+eng`,
  `rus+ukr+eng`, `eng+fra+deu`).

Scores per script: character-bigram recall and precision (white space removed, NFKC), the share
of pages whose language is of the page's script, and OCR time (medians of alternating runs,
wall and CPU seconds).
"""
import argparse
import collections
import glob
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdf_eval  # noqa: E402  (the found set, scoring and the stored-text reader)

LANGUAGES = ["ja", "zh", "ko", "ru", "uk", "de", "fr", "en"]
BY_HAND = {"ja": "jpn+eng", "zh": "chi_sim+chi_tra+eng", "ko": "kor+eng", "ru": "rus+ukr+eng",
           "uk": "rus+ukr+eng", "de": "eng+fra+deu", "fr": "eng+fra+deu", "en": "eng+fra+deu"}
SCRIPT = {"ja": "Japanese", "zh": "Chinese", "ko": "Korean", "ru": "Cyrillic", "uk": "Cyrillic",
          "de": "Latin", "fr": "Latin", "en": "Latin"}
SCRIPT_OF_LANGUAGE = dict(SCRIPT, be="Cyrillic", bg="Cyrillic", sr="Cyrillic", mk="Cyrillic",
                          kk="Cyrillic", mn="Cyrillic")
MIN_CHARS = 400


def family(c):
    o = ord(c)
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x3040 <= o <= 0x30FF:
        return "kana"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
        return "han"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if c.isalpha() and (c.isascii() or 0xC0 <= o <= 0x24F):
        return "latin"
    return None


def language_of_page(text, package_language):
    """The page's language from its own text, or None when it is not clearly one of ours."""
    counts = collections.Counter(family(c) for c in text)
    counts.pop(None, None)
    weighted = {f: n * (3 if f in ("hangul", "kana", "han") else 1) for f, n in counts.items()}
    total = sum(weighted.values())
    if total < MIN_CHARS:
        return None
    share = lambda *fs: sum(weighted.get(f, 0) for f in fs) / total
    if share("hangul") >= 0.5:
        return "ko"
    if share("kana", "han") >= 0.5 and counts["hangul"] == 0:
        # Japanese when kana is a fair part of the CJK text, Chinese when there is none.
        if counts["kana"] >= 0.1 * (counts["kana"] + counts["han"]):
            return "ja"
        return "zh" if counts["kana"] == 0 else None
    if share("cyrillic") >= 0.7:
        ukrainian = sum(text.count(c) for c in "їєґЇЄҐ")
        if ukrainian >= 3 and "ы" not in text:
            return "uk"
        return "ru" if ukrainian + text.count("і") == 0 and "ы" in text else None
    if share("latin") >= 0.95:
        german = sum(text.count(c) for c in "äöüßÄÖÜ")
        french = sum(text.count(c) for c in "éèàçêÉ")
        if package_language == "de" and german >= 8 and french <= 2:
            return "de"
        if package_language == "fr" and french >= 8 and german <= 2:
            return "fr"
        if package_language == "en" and german + french == 0:
            return "en"
    return None


def page_text(pdf, page):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), pdf,
                          "-"], capture_output=True)
    return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else ""


def page_count(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, errors="replace")
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def choose_pages(found, per_language):
    """[(language, pdf, page, reference text)], the same on every machine for the same set."""
    chosen = collections.defaultdict(list)
    for pdf in sorted(glob.glob(os.path.join(found, "*.pdf"))):
        package_language = pdf_eval.language_of(os.path.basename(pdf))
        taken = 0
        pages = page_count(pdf)
        # Pages spread over the document, past its title page.
        for page in sorted({min(pages, p) for p in (2, 5, 9, 14)} - {0}):
            text = page_text(pdf, page)
            lang = language_of_page(text, package_language)
            if lang and len(chosen[lang]) < per_language and taken < 2:
                chosen[lang].append((lang, pdf, page, text))
                taken += 1
        if all(len(chosen[l]) >= per_language for l in LANGUAGES):
            break
    return [p for lang in LANGUAGES for p in chosen[lang]]


def render(pages, data):
    """Images of every page in each set: {set: {image name: (language, reference)}}."""
    sets = {}
    for dpi in (300, 150):
        folder = os.path.join(data, str(dpi))
        os.makedirs(folder, exist_ok=True)
        sets[str(dpi)] = {}
        for i, (lang, pdf, page, text) in enumerate(pages):
            name = f"{lang}-{i:02}.png"
            target = os.path.join(folder, name)
            if not os.path.exists(target):
                pdf_eval.run(["pdftoppm", "-r", str(dpi), "-png", "-gray", "-singlefile", "-f",
                              str(page), "-l", str(page), pdf, target[:-4]])
            sets[str(dpi)][name] = (lang, text)
    try:
        from PIL import Image, ImageFilter
    except ImportError:
        print("noisy set left out: needs python3-pil", file=sys.stderr)
        return sets
    folder = os.path.join(data, "noisy")
    os.makedirs(folder, exist_ok=True)
    sets["noisy"] = {}
    for name, (lang, text) in sets["300"].items():
        target = os.path.join(folder, name[:-4] + ".jpg")
        if not os.path.exists(target):
            image = Image.open(os.path.join(data, "300", name)).convert("L")
            image = image.rotate(1.5, resample=Image.BICUBIC, expand=True, fillcolor=255)
            image = image.filter(ImageFilter.GaussianBlur(1.2))
            image.save(target, quality=30)
        sets["noisy"][os.path.basename(target)] = (lang, text)
    return sets


def by_hand(folder, images):
    """{image: text} read by Tesseract with the right models, two pages at a time."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def read(name):
        lang = images[name][0]
        out = subprocess.run(["tesseract", os.path.join(folder, name), "stdout", "-l",
                              BY_HAND[lang]], capture_output=True, env=env)
        return name, out.stdout.decode("utf-8", "replace")

    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        return dict(pool.map(read, sorted(images)))


def archivist(binary, folder, index):
    """{image: (text, language, models)}, reading every page (the OCR cache is empty)."""
    with tempfile.TemporaryDirectory() as cache:
        _, _, report = pdf_eval.ingest(binary, folder, index, ["--ocr-cache", cache])
    texts = pdf_eval.stored_texts(binary, index, folder)
    languages = {}
    hits = subprocess.run([binary, "search", "--index", index, "--all", "--format", "jsonl",
                           "path:%s/**" % folder], capture_output=True).stdout.decode()
    for line in hits.splitlines():
        hit = json.loads(line)
        languages[os.path.basename(hit["path"])] = hit.get("lang")
    models = {os.path.basename(f["path"]): f.get("ocr_models") for f in report["files"]}
    return {n: (texts.get(n, ""), languages.get(n), models.get(n)) for n in texts}


def timed(fn, *args):
    start = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = fn(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, time.time() - start, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/tmp/bench-data/pdf")
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "archivist"))
    parser.add_argument("--per-language", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1, help="alternating timed runs per set")
    parser.add_argument("--sets", default="300,150,noisy")
    parser.add_argument("--show", action="store_true", help="print every page's scores")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    found = pdf_eval.found_set(args.data)
    data = os.path.join(args.data, "ocr-%d" % args.per_language)
    os.makedirs(data, exist_ok=True)
    pages = choose_pages(found, args.per_language)
    sets = render(pages, data)
    results = {"pages": collections.Counter(p[0] for p in pages),
               "sources": [f"{l} {os.path.basename(p)} p{n}" for l, p, n, _ in pages]}
    for name in args.sets.split(","):
        if name not in sets:
            continue
        folder, images = os.path.join(data, name), sets[name]
        times = {"archivist": [], "by hand": []}
        for _ in range(args.runs):
            auto, wall, cpu = timed(archivist, binary, folder, os.path.join(data, name + "-index"))
            times["archivist"].append((wall, cpu))
            hand, wall, cpu = timed(by_hand, folder, images)
            times["by hand"].append((wall, cpu))
        rows = collections.defaultdict(list)
        for image, (lang, reference) in sorted(images.items()):
            text, language, models = auto.get(image, ("", None, None))
            a = pdf_eval.recall_precision(text, reference)
            h = pdf_eval.recall_precision(hand.get(image, ""), reference)
            right = SCRIPT_OF_LANGUAGE.get(language) == SCRIPT[lang]
            rows[SCRIPT[lang]].append((a, h, right))
            rows["all"].append((a, h, right))
            if args.show:
                print(f"{name:5} {image:10} auto {a[0]:.3f} {a[1]:.3f} {language} {models}"
                      f"  hand {h[0]:.3f} {h[1]:.3f}", file=sys.stderr)
        table = {}
        for script, row in rows.items():
            mean = lambda f: round(statistics.mean(f(r) for r in row), 3)
            table[script] = {"pages": len(row),
                             "archivist": [mean(lambda r: r[0][0]), mean(lambda r: r[0][1])],
                             "by hand": [mean(lambda r: r[1][0]), mean(lambda r: r[1][1])],
                             "language right": mean(lambda r: r[2])}
        table["time"] = {k: [round(statistics.median(w for w, _ in v), 1),
                             round(statistics.median(c for _, c in v), 1)]
                         for k, v in times.items()}
        results[name] = table
        print(name, json.dumps(table), file=sys.stderr)
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
