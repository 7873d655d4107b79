#!/usr/bin/env python3
"""Builds the near-duplicate test set: real passages with made variants, and their gold pairs.

    /usr/bin/python3 bench/near_set.py OUT [--corpus /tmp/bench-data/multi]   (Debian's python3-pil)

From the Debian Administrator's Handbook in `multi` (real text, several languages), sections on
related subjects (APT and its tools, networking, security, packaging...) give 28 groups (22 in
English, French, German and Russian, 6 in Japanese and Chinese). Each group is one passage (its section's first 40 wrapped lines) in several forms:
- `gNN-typed.txt`: the passage;
- `gNN-scan.tif`: the passage printed on pages, each turned 1 degree, blurred and passed
  through a poor JPEG, read back by archivist's OCR at ingest (Latin and Cyrillic groups);
- `gNN-draft.txt`: an edited draft: a tenth of its lines dropped, one word in twenty changed,
  a sentence added;
- `gNN-fwd.eml`: the passage forwarded in an e-mail: headers, a line of the sender's own, and
  the passage quoted with `> `.
Every two forms of a group are near-duplicates; forms of different groups are not, though
their sections share a subject and its vocabulary (`sect.apt-get` and `sect.apt-cache`).
`gold.txt` lists the near pairs, one a line. Deterministic (seed 34).
"""
import argparse
import os
import random
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
RENDER = os.path.join(HERE, "..", "tests", "fixtures", "render-scan.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
# Sections on related subjects: package management, networking, services, security.
SECTIONS = ["sect.apt-get", "sect.apt-cache", "sect.apt-file", "sect.apt-frontends",
            "sect.automatic-upgrades", "sect.backup", "sect.network-config",
            "sect.remote-login", "sect.firewall-packet-filtering", "sect.ldap-directory",
            "sect.manipulating-packages-with-dpkg", "sect.source-package-structure",
            "sect.dhcp", "sect.domain-name-servers", "sect.http-web-server",
            "sect.ftp-file-server", "sect.nfs-file-server", "sect.windows-file-server-with-samba",
            "sect.http-ftp-proxy", "sect.package-meta-information", "sect.user-group-databases",
            "sect.config-printing", "sect.kernel-compilation", "sect.kernel-installation",
            "sect.searching-packages", "sect.package-authentication", "sect.dist-upgrade",
            "sect.regular-upgrades", "sect.setup-apt-package-repository", "sect.syslog",
            "sect.inetd", "sect.task-scheduling-cron-atd", "sect.quotas", "sect.monitoring",
            "sect.virtual-private-network", "sect.network-diagnosis-tools"]
SCANNED = {"en-US": 12, "fr-FR": 8, "de-DE": 8, "ru-RU": 8}
TYPED_ONLY = {"ja-JP": 5, "zh-CN": 5}
LINES = 40


def passage(path, cjk):
    text = open(path, encoding="utf-8").read()
    # The handbook's page header (title and "Download the ebook", the navigation line, the
    # title again) is every section's: left out.
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")[3:] if len(p.split()) > 3 or cjk]
    body = "\n\n".join(paragraphs)
    width = 36 if cjk else 72
    lines = []
    for para in body.split("\n\n"):
        lines += textwrap.wrap(para, width) + [""]
    return "\n".join(lines[:LINES]).strip() + "\n"


def shingles(text):
    """Its runs of 8 letters, spaces and punctuation left out."""
    letters = "".join(c.lower() for c in text if c.isalnum())
    return {letters[i:i + 8] for i in range(len(letters) - 7)}


def draft(text, rng, cjk):
    lines = text.split("\n")
    keep = [l for l in lines if rng.random() > 0.1]
    out = []
    for line in keep:
        if cjk:
            chars = list(line)
            for i in range(len(chars)):
                if rng.random() < 0.03:
                    chars[i] = rng.choice("的是在了和有")
            out.append("".join(chars))
        else:
            words = line.split(" ")
            for i in range(len(words)):
                if rng.random() < 0.05:
                    words[i] = rng.choice(["however", "indeed", "therefore", "also", "now"])
            out.append(" ".join(words))
    insert = rng.randrange(len(out) + 1)
    out.insert(insert, "这一段是后来加上的。" if cjk else "This paragraph was added in the second draft.")
    return "\n".join(out) + "\n"


def forwarded(text, n):
    quoted = "\n".join("> " + l if l else ">" for l in text.split("\n"))
    return (f"From: Archivist <archivist@example.org>\nTo: Reader <reader{n}@example.org>\n"
            f"Subject: Fwd: passage {n}\nDate: Mon, 6 Jan 1947 10:00:00 +0900\n"
            f"Message-ID: <fwd{n}@example.org>\nContent-Type: text/plain; charset=utf-8\n\n"
            f"See below.\n\n---------- Forwarded message ---------\n{quoted}\n")


def scan(text, out):
    """The text printed on pages of 15 lines, each turned 1 degree, blurred and passed through
    a poor JPEG, as one multi-page TIFF."""
    import io
    from PIL import Image, ImageFilter
    lines = text.split("\n")
    pages = []
    for start in range(0, len(lines), 15):
        png = out + f".{start}.png"
        subprocess.run([PYTHON, RENDER, png, "\n".join(lines[start:start + 15])], check=True)
        image = Image.open(png).convert("L").rotate(1.0, expand=True, fillcolor=255)
        image = image.filter(ImageFilter.GaussianBlur(0.8))
        poor = io.BytesIO()
        image.save(poor, format="JPEG", quality=30)
        pages.append(Image.open(io.BytesIO(poor.getvalue())).convert("L"))
        os.remove(png)
    pages[0].save(out, save_all=True, append_images=pages[1:], compression="tiff_lzw")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--corpus", default="/tmp/bench-data/multi")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(34)
    root = os.path.join(args.corpus, "debian-handbook")
    gold = []
    chosen = []
    n = 0
    for lang, count in list(SCANNED.items()) + list(TYPED_ONLY.items()):
        cjk = lang in TYPED_ONLY
        for section in rng.sample(SECTIONS, count):
            path = os.path.join(root, lang, section + ".txt")
            if not os.path.exists(path):
                continue
            text = passage(path, cjk)
            # A section a translation left in English is another's near copy: not a group.
            grams = shingles(text)
            if any(len(grams & other) > 0.1 * len(grams) for other in chosen):
                continue
            chosen.append(grams)
            n += 1
            stem = os.path.join(args.out, f"g{n:02d}")
            forms = [f"g{n:02d}-typed.txt", f"g{n:02d}-draft.txt", f"g{n:02d}-fwd.eml"]
            open(stem + "-typed.txt", "w", encoding="utf-8").write(text)
            open(stem + "-draft.txt", "w", encoding="utf-8").write(draft(text, rng, cjk))
            open(stem + "-fwd.eml", "w", encoding="utf-8").write(forwarded(text, n))
            if not cjk:
                scan(text, stem + "-scan.tif")
                forms.append(f"g{n:02d}-scan.tif")
            for i in range(len(forms)):
                for j in range(i + 1, len(forms)):
                    gold.append(f"{forms[i]} {forms[j]}")
    open(os.path.join(args.out, "gold.txt"), "w").write("\n".join(gold) + "\n")
    print(f"{n} groups, {len(gold)} near pairs")


if __name__ == "__main__":
    main()
