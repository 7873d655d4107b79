#!/usr/bin/env python3
"""Load benchmark for `archivist serve` (not a test), with `tantivy-cli serve` as the anchor.

    python3 bench/load.py [--corpus DIR] [--clients 16] [--seconds 30]

On an index of the corpus (default /tmp/bench-data/multi, built with ../shared/bench/
make-corpora.sh when missing), each server in turn answers `--clients` concurrent connections
for `--seconds`, driven by wrk (Debian's package, installed when missing) cycling through
perf.py's fixed query set: archivist's `/api/v1/search?q=…` (10 hits with snippets) and
tantivy-cli's `/api/?q=…&nhits=10` on its own index of the same text (10 hits, paths only: it
stores no text to make snippets from). Prints requests/s, latency p50/p95/p99, errors (non-2xx
answers and socket errors) and the server's peak RSS, as a table for BENCHMARKS.md.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import perf  # noqa: E402

LUA = r"""
local paths = {}
local i = 0
init = function(args)
  for _, p in ipairs(args) do paths[#paths + 1] = p end
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=60):
    started = time.time()
    while time.time() - started < seconds:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"no server on port {port}")


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load(server_cmd, port, paths, clients, seconds, work):
    """Starts a server, waits for it, runs wrk against it, stops it: wrk's figures and the
    server's peak RSS."""
    script = os.path.join(work, "load.lua")
    with open(script, "w") as f:
        f.write(LUA)
    server = subprocess.Popen(server_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        # One round of every query first: the first answer of each warms caches.
        for path in paths:
            subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}{path}"])
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", script, f"http://127.0.0.1:{port}", "--", *paths],
            capture_output=True, text=True, check=True).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        figures["rss"] = peak_rss_mb(server.pid)
        return figures
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="/tmp/bench-data/multi")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    for tool, package in (("wrk", "wrk"), ("curl", "curl")):
        if not shutil.which(tool):
            perf.run(["apt-get", "install", "-y", "-q", package])
    name = os.path.basename(args.corpus.rstrip("/"))
    if not os.path.isdir(args.corpus):
        perf.run(["bash", perf.SHARED, name], env={**os.environ, "DATA": os.path.dirname(args.corpus)})
    tantivy = perf.ensure_tools()
    work = tempfile.mkdtemp(prefix="archivist-load-")
    try:
        index = os.path.join(work, "index")
        perf.run([perf.ARCHIVIST, "--index", index, "-q", "ingest", args.corpus])
        *_, tantivy_index = perf.tantivy_cli(tantivy, perf.corpus_files(args.corpus), work)
        ours = ["/api/v1/search?" + urllib.parse.urlencode({"q": q}) for _, q, _ in perf.QUERIES]
        theirs = ["/api/?" + urllib.parse.urlencode({"q": f'"{lit}"' if " " in lit else lit,
                                                      "nhits": 10})
                  for _, _, lit in perf.QUERIES]
        rows = []
        port = free_port()
        rows.append(("archivist serve", load(
            [perf.ARCHIVIST, "--index", index, "serve", "--bind", f"127.0.0.1:{port}"],
            port, ours, args.clients, args.seconds, work)))
        port = free_port()
        rows.append(("tantivy-cli serve", load(
            [tantivy, "serve", "-i", tantivy_index, "-p", str(port), "--host", "127.0.0.1"],
            port, theirs, args.clients, args.seconds, work)))
        print(f"{name}: {args.clients} concurrent clients for {args.seconds} s, the {len(ours)} "
              f"queries of perf.py in turn (wrk)\n")
        print("| server | requests/s | p50 | p95 | p99 | errors | peak RSS |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for label, f in rows:
            print(f"| {label} | {f['requests'] / f['seconds']:.0f} | {f['p50']:.1f} ms | "
                  f"{f['p95']:.1f} ms | {f['p99']:.1f} ms | {f['errors']} | {f['rss']:.0f} MB |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
