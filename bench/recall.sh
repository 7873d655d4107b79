#!/usr/bin/env bash
# Recall against grep: for each word, the documents archivist finds vs `rg -l -F -i`.
# Usage: bench/recall.sh CORPUS_DIR INDEX_DIR [WORD...]
#   CORPUS_DIR  e.g. /tmp/bench-data/multi from ../shared/bench/make-corpora.sh multi
#   INDEX_DIR   an index of CORPUS_DIR (built by `archivist ingest CORPUS_DIR --index INDEX_DIR`)
# Prints, per word: rg's count, archivist's count, how many of rg's archivist found (recall),
# and how many archivist found that rg did not (with the reason left to the reader: stems).
# Not a test: needs the large corpus and ripgrep (apt-get install ripgrep).
set -euo pipefail
corpus=$(cd "$1" && pwd)
index=$2
shift 2
words=("$@")
[ ${#words[@]} -gt 0 ] || words=(ディレクトリ 文件系统 Verzeichnis répertoire файл)
bin=${ARCHIVIST:-$(dirname "$0")/../target/release/archivist}
command -v rg >/dev/null || { echo "needs ripgrep (apt-get install ripgrep)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| word | rg -l -F -i | archivist | found of rg | recall | archivist only |\n|---|---|---|---|---|---|\n'
for w in "${words[@]}"; do
  rg -l -F -i -- "$w" "$corpus" | sort > "$tmp/rg"
  "$bin" -q search --index "$index" --json --limit 1000000 -- "$w" \
    | python3 -c 'import json,sys; [print(h["path"]) for h in json.load(sys.stdin)["hits"]]' \
    | sort > "$tmp/ar" || true
  n_rg=$(wc -l < "$tmp/rg"); n_ar=$(wc -l < "$tmp/ar")
  both=$(comm -12 "$tmp/rg" "$tmp/ar" | wc -l); only=$(comm -13 "$tmp/rg" "$tmp/ar" | wc -l)
  recall=$(python3 -c "print(f'{100*$both/max($n_rg,1):.1f}%')")
  printf '| %s | %d | %d | %d | %s | %d |\n' "$w" "$n_rg" "$n_ar" "$both" "$recall" "$only"
  comm -23 "$tmp/rg" "$tmp/ar" > "$tmp/missed-$w"
  [ ! -s "$tmp/missed-$w" ] || { echo "missed by archivist (first 3):" >&2; head -3 "$tmp/missed-$w" >&2; }
done
