#!/usr/bin/env bash
# Makes the screenshots of the search page in docs/ (English, Japanese, Russian) with Debian's
# headless Chromium, from the bundled corpus copied to a neutral folder (/srv/archive/corpus by
# default, so that no one's home or temporary folder shows in the paths). Run from anywhere
# after `cargo build --release`; needs chromium (tests/run.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${ARCHIVE:-/srv/archive}
binary=$PWD/target/release/archivist
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$archive"
rm -rf "$archive/corpus"
cp -r corpus "$archive/corpus"
"$binary" ingest "$archive/corpus" --index "$work/index" >/dev/null 2>&1
"$binary" serve --index "$work/index" --bind 127.0.0.1:0 >"$work/address" 2>/dev/null &
server=$!
for _ in $(seq 50); do [ -s "$work/address" ] && break; sleep 0.1; done
base=$(head -1 "$work/address")

# shot FILE LANGUAGE QUERY: the page for QUERY as a browser asking for LANGUAGE shows it.
shot() {
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile-$2" --accept-lang="$2" --lang="$2" \
    --virtual-time-budget=5000 --window-size=1100,640 --screenshot="docs/$1" \
    "${base}?q=$3" 2>/dev/null
}
shot serve.png en Maizuru
shot serve-ja.png ja "%E8%88%9E%E9%B6%B4"                     # 舞鶴
shot serve-ru.png ru "%D0%B2%D0%BE%D0%B5%D0%BD%D0%BD%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9" # военнопленный
rm -rf "$archive/corpus"
