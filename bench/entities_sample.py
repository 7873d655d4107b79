#!/usr/bin/env python3
"""Draws the passages of bench/entities/multi-*.jsonl from `multi` and pre-fills their labels.

    python3 bench/entities_sample.py /tmp/bench-data/multi > /tmp/drawn.jsonl

For each of en, de, fr, ru, ja, zh: passages of about 600 characters from the language's
manuals and man pages, around an e-mail address, a URL and a date found by broad patterns, and
some anywhere. Each passage's e-mail addresses, URLs and full dates (and a year written `2001年`) are
pre-filled by these patterns, its phone numbers and IBANs as none; the labels were then read by hand, wherever archivist and the patterns disagreed
(bench/entities/README.md). The seed is fixed, so the same packages give the same passages.
"""
import json
import os
import random
import re
import sys

FOLDERS = {
    "en": ["debian-handbook/en-US", "debian-reference-en", "developers-reference", "maint-guide"],
    "de": ["debian-handbook/de-DE", "debian-reference-de", "developers-reference-de",
           "maint-guide-de", "man/de"],
    "fr": ["debian-handbook/fr-FR", "debian-reference-fr", "developers-reference-fr",
           "maint-guide-fr", "man/fr"],
    "ru": ["debian-handbook/ru-RU", "developers-reference-ru", "maint-guide-ru", "man/ru"],
    "ja": ["debian-handbook/ja-JP", "debian-reference-ja", "developers-reference-ja",
           "maint-guide-ja", "man/ja"],
    "zh": ["debian-handbook/zh-CN", "debian-reference-zh-cn", "maint-guide-zh-cn", "man/zh_CN",
           "debian-handbook/zh-TW", "man/zh_TW"],
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'()\[\]{}「」（）、。]+")
MONTHS = {
    # English, German, French, Russian (genitive and nominative), by their first letters.
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    "januar": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
    "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}
NAME = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
DATES = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b"), "ymd"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), "ymd"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)"), "ym"),
    (re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月)"), "y"),
    (re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b"), "dmy"),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), "slash"),
    (re.compile(rf"\b(\d{{1,2}})(?:er|\.)?\s+({NAME})\.?,?\s+(\d{{4}})\b", re.I), "d name y"),
    (re.compile(rf"\b({NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+\d{{1,2}}:\d\d(?::\d\d)?)?\s+(\d{{4}})\b", re.I), "name d y"),
    (re.compile(rf"(?<![\d.]\s)(?<!\d\.)(?<!\d)\b({NAME})\.?,?\s+(?:of\s+)?(\d{{4}})\b", re.I), "name y"),
]


def dates(text, lang):
    """The full dates a passage writes, as ISO 8601 at their precision, by the patterns."""
    found = set()
    taken = []
    for pattern, shape in DATES:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groups()
            try:
                if shape == "ymd":
                    y, mo, d = int(g[0]), int(g[1]), int(g[2])
                elif shape == "ym":
                    y, mo, d = int(g[0]), int(g[1]), None
                elif shape == "y":
                    y, mo, d = int(g[0]), None, None
                elif shape == "dmy":
                    d, mo, y = int(g[0]), int(g[1]), int(g[2])
                elif shape == "slash":
                    a, b, y = int(g[0]), int(g[1]), int(g[2])
                    mo, d = (a, b) if lang == "en" else (b, a)
                elif shape == "d name y":
                    d, mo, y = int(g[0]), MONTHS[g[1].lower()], int(g[2])
                elif shape == "name d y":
                    mo, d, y = MONTHS[g[0].lower()], int(g[1]), int(g[2])
                else:
                    mo, d, y = MONTHS[g[0].lower()], None, int(g[1])
            except (KeyError, ValueError):
                continue
            if not ((mo is None or 1 <= mo <= 12) and 1000 <= y <= 2099
                    and (d is None or 1 <= d <= 31)):
                continue
            found.add(f"{y:04d}" + (f"-{mo:02d}" if mo else "") + (f"-{d:02d}" if d else ""))
            taken.append((m.start(), m.end()))
    return sorted(found)


def window(text, at, rng, size=600):
    start = max(0, at - rng.randint(100, size - 100))
    end = min(len(text), start + size)
    # Whole lines.
    start = text.rfind("\n", 0, start) + 1
    cut = text.find("\n", end)
    end = len(text) if cut < 0 else cut
    return text[start:end]


def main():
    root = sys.argv[1]
    rng = random.Random(33)
    for lang, folders in FOLDERS.items():
        files = []
        for folder in folders:
            for base, _, names in sorted(os.walk(os.path.join(root, folder))):
                files += [os.path.join(base, n) for n in sorted(names)]
        texts = {}
        for path in files:
            try:
                with open(path, encoding="utf-8") as f:
                    texts[path] = f.read()
            except (UnicodeDecodeError, OSError):
                pass
        paths = sorted(texts)
        wanted = [("email", EMAIL, 6), ("url", URL, 6), ("date", None, 20), ("any", None, 4)]
        for kind, pattern, count in wanted:
            drawn = 0
            for _ in range(5000):
                if drawn == count:
                    break
                path = rng.choice(paths)
                text = texts[path]
                if kind == "any":
                    at = rng.randrange(max(1, len(text)))
                elif kind == "date":
                    spots = [m.start() for p, _ in DATES for m in p.finditer(text)]
                    if not spots or not dates(text, lang):
                        continue
                    at = rng.choice(spots)
                else:
                    spots = [m.start() for m in pattern.finditer(text)]
                    if not spots:
                        continue
                    at = rng.choice(spots)
                passage = window(text, at, rng)
                if len(passage) > 1500 or not passage.strip():
                    continue
                if kind == "date" and not dates(passage, lang):
                    continue
                emails = sorted(set(m.group(0).rstrip(".").lower() for m in EMAIL.finditer(passage)))
                urls = sorted(set(m.group(0).rstrip(".,;:") for m in URL.finditer(passage)))
                print(json.dumps({
                    "lang": lang,
                    "source": os.path.relpath(path, root),
                    "drawn_for": kind,
                    "text": passage,
                    "gold": {"email": emails, "url": urls, "phone": [], "iban": [],
                             "date": dates(passage, lang)},
                }, ensure_ascii=False))
                drawn += 1


if __name__ == "__main__":
    main()
