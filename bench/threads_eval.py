#!/usr/bin/env python3
"""Threads of a real mailing-list mbox: archivist's against those the headers define.

Ingests MBOX into a scratch index, lists every message with `search --all --format jsonl`
(each hit's `thread.id`), and compares the partition with the one Python's `email` package
reads from the same file: messages are joined when one's Message-ID is named by the other's
References or In-Reply-To, or both name the same id (a message the archive lacks); an id is
`<left@right>` as RFC 5322 writes it. A message lacking both headers whose subject is a reply
may also join by subject in archivist (see docs/threads.md): those joins are listed apart, and
the headers' threads are compared with them taken out.

    python3 bench/threads_eval.py [--binary target/release/archivist] [--strip K] [MBOX]

MBOX defaults to tests/fixtures/mail/mailing-lists.mbox (see the README beside it).

With `--strip K`, every K-th reply (a message with links and a `Re:` subject) loses both
headers first, as a client that writes neither would send it, and the script says where the
subject fallback put each: in its own thread (right), in another (wrong), or alone.
"""

import argparse
import collections
import email
import email.policy
import json
import mailbox
import os
import re
import shutil
import subprocess
import sys
import tempfile

ID = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def ids(value):
    out = []
    for found in ID.findall(value or ""):
        if found not in out:
            out.append(found)
    return out


class Union:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def header_threads(path):
    """Each message's Message-ID -> a label of its thread as the headers define it, and the
    messages lacking both References and In-Reply-To."""
    union = Union()
    messages, lacking = [], set()
    for message in mailbox.mbox(path, factory=None):
        raw = message.as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
        own = ids(parsed.get("Message-ID", ""))
        if not own:
            continue
        me = own[0]
        messages.append(me)
        union.find("msg:" + me)
        links = ids(parsed.get("References", "")) + ids(parsed.get("In-Reply-To", ""))
        if not links:
            lacking.add(me)
        for link in links:
            union.join("msg:" + me, "msg:" + link)
    return {m: union.find("msg:" + m) for m in messages}, lacking


def stripped_copy(path, every, out):
    """A copy of mbox `path` at `out` in which every `every`-th reply lacks both headers;
    the Message-IDs of those stripped."""
    stripped = []
    source, copy = mailbox.mbox(path), mailbox.mbox(out, create=True)
    replies = 0
    for message in source:
        own = ids(message.get("Message-ID", ""))
        linked = message.get("References") or message.get("In-Reply-To")
        subject = str(message.get("Subject", ""))
        if own and linked and re.match(r"\s*(re|aw|sv)\s*:", subject, re.I):
            replies += 1
            if replies % every == 0:
                del message["References"]
                del message["In-Reply-To"]
                stripped.append(own[0])
        copy.add(message)
    copy.flush()
    return set(stripped)


def archivist_threads(binary, path):
    with tempfile.TemporaryDirectory() as scratch:
        index = os.path.join(scratch, "index")
        folder = os.path.join(scratch, "in")
        os.mkdir(folder)
        shutil.copy(path, folder)
        subprocess.run([binary, "ingest", "--index", index, folder], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = subprocess.run([binary, "search", "--index", index, "ext:mbox", "--all",
                              "--format", "jsonl"], check=True, capture_output=True, text=True)
    threads = {}
    for line in out.stdout.splitlines():
        hit = json.loads(line)
        part = hit.get("part") or ""
        if part.startswith("<") and part.endswith(">") and hit.get("thread"):
            threads[part[1:-1]] = hit["thread"]["id"]
    return threads


def groups(labels, keep):
    by = collections.defaultdict(set)
    for message, label in labels.items():
        if message in keep:
            by[label].add(message)
    return {frozenset(g) for g in by.values()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mbox", nargs="?", default="tests/fixtures/mail/mailing-lists.mbox")
    parser.add_argument("--binary", default="target/release/archivist")
    parser.add_argument("--strip", type=int, default=0)
    args = parser.parse_args()
    truth, lacking = header_threads(args.mbox)
    if args.strip:
        return strip_eval(args, truth)
    found = archivist_threads(args.binary, args.mbox)
    both = set(truth) & set(found)
    print(f"messages: {len(truth)} in the mbox, {len(found)} indexed with a thread, "
          f"{len(both)} compared; {len(lacking)} lack both References and In-Reply-To")
    # Subject joins: a message lacking both headers whose archivist thread holds a message
    # that is not in its headers' thread.
    joined = []
    for message in sorted(lacking & both):
        mates = {m for m in both if found[m] == found[message]}
        header_mates = {m for m in both if truth[m] == truth[message]}
        if mates - header_mates:
            joined.append(message)
    # The headers' partition against archivist's with the subject joins taken out: each joined
    # message's own header thread stands apart again.
    relabelled = dict(found)
    for message in joined:
        for m in both:
            if truth[m] == truth[message]:
                relabelled[m] = "joined:" + truth[message]
    expected = groups(truth, both)
    got = groups(relabelled, both)
    exact = expected & got
    print(f"threads the headers define: {len(expected)} "
          f"({sum(1 for g in expected if len(g) > 1)} of several messages, "
          f"largest {max(len(g) for g in expected)})")
    print(f"archivist's threads matching one exactly: {len(exact)} of {len(expected)}; "
          f"archivist's threads: {len(got)}")
    for g in sorted(expected - got, key=len, reverse=True)[:10]:
        print("  not matched:", sorted(g)[:5], "..." if len(g) > 5 else "")
    print(f"joined by subject (each lacks both headers): {len(joined)}")
    subjects = {}
    for message in mailbox.mbox(args.mbox):
        own = ids(message.get("Message-ID", ""))
        if own:
            subjects[own[0]] = str(message.get("Subject", "")).replace("\n", " ")[:70]
    for message in joined:
        print(f"  {message}: {subjects.get(message, '')}")
    missing_links = [m for m in joined if m not in lacking]
    ok = exact == expected and not missing_links
    print("exact" if ok else "DIFFERENT")
    return 0 if ok else 1


def strip_eval(args, truth):
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, os.path.basename(args.mbox))
        stripped = stripped_copy(args.mbox, args.strip, copy)
        found = archivist_threads(args.binary, copy)
    right = wrong = alone = 0
    for message in sorted(stripped):
        mates = {m for m in found if found[m] == found.get(message) and m != message}
        if not mates:
            alone += 1
        elif all(truth.get(m) == truth[message] for m in mates):
            right += 1
        else:
            wrong += 1
            print("  wrong:", message)
    print(f"replies stripped of both headers: {len(stripped)}; joined by subject to their own "
          f"thread: {right}, to another: {wrong}, alone: {alone}")
    return 0 if wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
