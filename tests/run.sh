#!/usr/bin/env bash
# The test command README.md gives: installs the Debian packages the tests use when any is
# missing (poppler for PDF text, Tesseract and its language packs for OCR; Pillow and fonts to
# render the scanned pages the OCR tests read; Chromium and chromedriver for the page's browser
# tests and, with qpdf and fonts, to make the PDFs the PDF tests read) and axe-core, then runs
# the tests.
# Arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-rus tesseract-ocr-jpn
  tesseract-ocr-deu tesseract-ocr-kor tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-ukr
  tesseract-ocr-fra tesseract-ocr-jpn-vert tesseract-ocr-chi-sim-vert tesseract-ocr-chi-tra-vert
  poppler-utils python3-pil fonts-dejavu-core fonts-ipafont-gothic
  chromium chromium-driver qpdf fonts-urw-base35 fonts-wqy-zenhei)
bash tests/apt-missing.sh "${packages[@]}"

# axe-core, which the browser tests run on the page, from the npm registry at the version
# tests/browser/package-lock.json pins (npm from Debian when there is none).
command -v npm >/dev/null || bash tests/apt-missing.sh npm
npm ci --prefix tests/browser --no-audit --no-fund --ignore-scripts --loglevel=error

exec cargo test --release "$@"
