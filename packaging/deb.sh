#!/usr/bin/env bash
# Builds the Debian package, target/debian/archivist_VERSION-1_ARCH.deb, with cargo-deb (the
# binary, the man page, bash/zsh/fish completions; Depends found from the binary's libraries,
# Recommends Tesseract with the main languages' packs and poppler), then checks it: lintian
# reports no error, and unpacked into an empty folder its `archivist --version` runs and its man
# page renders. Installs dpkg-dev, lintian and man-db from Debian and cargo-deb from crates.io
# when missing. Arguments go to `cargo build` (CI passes `--locked`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/apt-missing.sh dpkg-dev lintian man-db
command -v cargo-deb >/dev/null 2>&1 || cargo install cargo-deb --locked --version 3.8.0

cargo build --release "$@"
target="${CARGO_TARGET_DIR:-target}"
assets="$target/release/deb-assets"
mkdir -p "$assets"
"$target/release/archivist" man | gzip -9n > "$assets/archivist.1.gz"
"$target/release/archivist" completions bash > "$assets/archivist.bash"
"$target/release/archivist" completions zsh > "$assets/_archivist"
"$target/release/archivist" completions fish > "$assets/archivist.fish"
rm -f "$target"/debian/archivist_*.deb
cargo deb --no-build
deb=$(ls "$target"/debian/archivist_*.deb)
echo "built $deb" >&2

lintian --fail-on error --suppress-tags statically-linked-binary "$deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/archivist" --version
MANWIDTH=80 man -l "$root/usr/share/man/man1/archivist.1.gz" | grep -q "Full-text search"
for completion in usr/share/bash-completion/completions/archivist \
  usr/share/zsh/vendor-completions/_archivist usr/share/fish/vendor_completions.d/archivist.fish; do
  grep -q archivist "$root/$completion"
done
dpkg-deb -f "$deb" Depends Recommends
echo "package checked: $deb" >&2
