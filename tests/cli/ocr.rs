//! OCR: pages rendered at test time from known text (English, Russian, Japanese; one rotated;
//! as PNG, JPEG, multi-page TIFF and an image-only PDF; one inside a ZIP), read back by
//! Tesseract. Needs Debian's tesseract-ocr, tesseract-ocr-rus, tesseract-ocr-jpn,
//! poppler-utils, python3-pil, fonts-dejavu-core and fonts-ipafont-gothic, which
//! `tests/run.sh` installs.

use std::io::Write;

use super::json::Report;
use super::*;

/// The packages these tests need, named when one is missing.
const PACKAGES: &str = "tesseract-ocr tesseract-ocr-rus tesseract-ocr-jpn poppler-utils \
    python3-pil fonts-dejavu-core fonts-ipafont-gothic (tests/run.sh installs them)";

/// Renders `text` as a scanned page at `path` (the format by its extension).
fn scan(path: &Path, text: &str, extra: &[&str]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render-scan.py");
    // Debian's Python, which python3-pil installs for.
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(path)
        .arg(text)
        .args(extra)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run /usr/bin/python3 ({e}): apt-get install {PACKAGES}")
        });
    assert!(
        out.status.success(),
        "rendering a page failed: {}\napt-get install {PACKAGES}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const ENGLISH: &str = "The repatriation ship Koan Maru arrived at Maizuru\nwith prisoners from the camps near Taishet.";
const RUSSIAN: &str = "Военнопленные вернулись домой через Находку";
const JAPANESE: &str = "シベリア抑留者は舞鶴港に帰還した";

/// Share of `expected`'s characters (spaces aside) that the OCR'd `found` has in order: one
/// minus the edit distance over the length.
fn accuracy(expected: &str, found: &str) -> f64 {
    let a: Vec<char> = expected.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = found.chars().filter(|c| !c.is_whitespace()).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(row[j] + 1),
            );
        }
        previous = row;
    }
    1.0 - previous[b.len()] as f64 / a.len().max(1) as f64
}

fn ocr_corpus(env: &Env) {
    let corpus = env.path("corpus");
    assert!(
        Command::new("tesseract").arg("--version").output().is_ok(),
        "tesseract is missing: apt-get install {PACKAGES}"
    );
    scan(&corpus.join("english.png"), ENGLISH, &[]);
    scan(&corpus.join("russian.jpg"), RUSSIAN, &[]);
    scan(&corpus.join("japanese.png"), JAPANESE, &[]);
    scan(
        &corpus.join("rotated.tif"),
        "A rotated page about Nakhodka harbour",
        &["--rotate", "90"],
    );
    scan(
        &corpus.join("telegram.pdf"),
        "Telegram from Hakodate",
        &["--pages", "2"],
    );
    // A scan inside a donation ZIP is read like any image.
    let inner = env.path("inner.png");
    scan(&inner, "Register of arrivals at Sasebo", &[]);
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(corpus.join("donation.zip")).expect("zip"));
    zip.start_file(
        "scans/register.png",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("member");
    zip.write_all(&std::fs::read(&inner).expect("scan"))
        .expect("write");
    zip.finish().expect("finish");
}

#[test]
fn scans_and_images_are_read_by_ocr_and_cached() {
    let env = Env::new();
    ocr_corpus(&env);
    let out = env.run(&["ingest", "--report", "report.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (query, file) in [
        ("Maizuru", "english.png"),
        ("Находка", "russian.jpg"),
        ("舞鶴", "japanese.png"),
        ("Nakhodka", "rotated.tif"),
        ("Hakodate", "telegram.pdf"),
        ("Sasebo", "donation.zip"),
    ] {
        let results = env.search(query);
        let hit = results.hit(file);
        assert!(!highlighted(hit).is_empty(), "{query}");
    }
    // The OCR'd text is the rendered text, near enough (each query matches its first words,
    // so the passage shown starts where the page does).
    for (query, file, text, at_least) in [
        ("repatriation", "english.png", ENGLISH, 0.95),
        ("Военнопленные", "russian.jpg", RUSSIAN, 0.95),
        ("シベリア抑留", "japanese.png", JAPANESE, 0.85),
    ] {
        let results = env.search(query);
        let hit = results.hit(file);
        let score = accuracy(text, &hit.snippet.text);
        assert!(
            score >= at_least,
            "{file}: {score:.3} of {text:?} in {:?}",
            hit.snippet.text
        );
    }
    assert_eq!(env.search("Nakhodka").hits[0].lang, "en");
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("the documented JSON");
    assert_eq!(report.summary.added, 5 + 6, "the seeds and the scans");
    // A second index over the same scans reads every page from the cache.
    let cache = env.path("cache/archivist/ocr");
    let pages = std::fs::read_dir(&cache).expect("the cache folder").count();
    // Six images; the PDF's two pages are the same image, one entry.
    assert_eq!(pages, 6, "pages cached");
    let out = env.run(&["-q", "ingest", "--index", "again"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&cache).expect("cache").count(), pages);
    let out = env.run(&["search", "--json", "--index", "again", "舞鶴"]);
    assert!(
        json::<Search>(&out)
            .hits
            .iter()
            .any(|h| h.path.ends_with("japanese.png"))
    );
}

#[test]
fn without_ocr_scans_are_skipped_with_the_reason() {
    let env = Env::new();
    scan(&env.path("corpus/page.png"), "Nothing to see", &[]);
    let out = env.run(&["ingest", "--no-ocr"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("skipped") && stderr(&out).contains("OCR is off"),
        "{}",
        stderr(&out)
    );
    // Without tesseract on the PATH, the reason says what to install.
    let out = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(["ingest", "--index", "other"])
        .current_dir(env.dir.path())
        .env("PATH", "/nonexistent")
        .output()
        .expect("run archivist");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("page.png: scan: OCR needs tesseract (apt-get install tesseract-ocr"),
        "{}",
        stderr(&out)
    );
}
