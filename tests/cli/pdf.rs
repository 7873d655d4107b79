//! PDFs made at test time by `tests/fixtures/make-pdfs.py` from known text, one for each way a
//! PDF's text has been read wrong: a Type 1 font with a built-in Cyrillic encoding and no
//! ToUnicode map, Korean and Ukrainian through glyph names only, Chromium's CID fonts with
//! vertical Chinese, a two-column page with a hyphenated word and a ligature, encrypted files,
//! and a text layer garbled on purpose (its ToUnicode maps removed), which OCR reads instead.
//! Needs Debian's poppler-utils, qpdf, chromium, fonts-urw-base35, fonts-ipafont-gothic,
//! fonts-wqy-zenhei and, for the garbled page, tesseract-ocr; `tests/run.sh` installs them.

use super::json::Report;
use super::*;

const PACKAGES: &str = "poppler-utils qpdf chromium fonts-urw-base35 fonts-ipafont-gothic \
    fonts-wqy-zenhei tesseract-ocr tesseract-ocr-eng (tests/run.sh installs them)";

/// An Env whose corpus holds the made PDFs (and the bundled seeds).
fn pdf_corpus() -> Env {
    let env = Env::new();
    assert!(
        Command::new("pdftotext").arg("-v").output().is_ok(),
        "pdftotext is missing: apt-get install {PACKAGES}"
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-pdfs.py");
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(env.path("corpus"))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run /usr/bin/python3 ({e}): apt-get install {PACKAGES}")
        });
    assert!(
        out.status.success(),
        "making the PDFs failed: {}\napt-get install {PACKAGES}",
        String::from_utf8_lossy(&out.stderr)
    );
    env
}

fn ingest(env: &Env, extra: &[&str]) -> (Output, Report) {
    let mut args = vec!["ingest", "-v", "--report", "report.json"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report written"))
            .expect("the documented report");
    (out, report)
}

fn outcome<'a>(report: &'a Report, file: &str) -> &'a super::json::FileOutcome {
    report
        .files
        .iter()
        .find(|f| f.path.ends_with(file))
        .unwrap_or_else(|| panic!("{file} not in the report: {report}"))
}

#[test]
fn every_font_encoding_reads_as_its_text() {
    let env = pdf_corpus();
    let (out, report) = ingest(&env, &["--no-ocr"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in [
        "cyrillic-type1.pdf",
        "korean-custom.pdf",
        "columns.pdf",
        "chromium-cjk.pdf",
    ] {
        let file = outcome(&report, file);
        assert_eq!(file.outcome, "added", "{file:?}");
        assert!(file.reread.is_empty(), "{file:?}");
    }
    for (query, file) in [
        // LaTeX's T2A way: Type 1, built-in encoding, no ToUnicode.
        ("Военнопленные", "cyrillic-type1.pdf"),
        ("Находку", "cyrillic-type1.pdf"),
        // Glyph names only.
        ("억류자", "korean-custom.pdf"),
        ("правопис", "korean-custom.pdf"),
        // CID fonts with ToUnicode maps, vertical Chinese in drawing order.
        ("舞鶴港", "chromium-cjk.pdf"),
        ("\"人民共和国的历史档案馆\"", "chromium-cjk.pdf"),
        ("Военнопленные", "chromium-cjk.pdf"),
        // A word hyphenated at a line end, and one set with the fi ligature.
        ("repatriation", "columns.pdf"),
        ("finished", "columns.pdf"),
    ] {
        let results = env.search(query);
        let hit = results.hit(file);
        assert!(!highlighted(hit).is_empty(), "{query}: {hit:?}");
    }
    // The Russian pages are taken for Russian, not for a language of their mojibake.
    let hit = env.search("Военнопленные");
    assert_eq!(hit.hit("cyrillic-type1.pdf").lang, "ru");
}

#[test]
fn two_columns_read_column_by_column() {
    let env = pdf_corpus();
    let (out, _) = ingest(&env, &["--no-ocr"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Each sentence runs down its own column; read across, the phrases would be cut.
    for phrase in [
        "\"ship arrived at Maizuru in the autumn\"",
        "\"internees from Nakhodka across the sea\"",
    ] {
        assert!(
            !env.search(phrase).hits.is_empty(),
            "{phrase} not found as a phrase"
        );
    }
}

#[test]
fn encrypted_pdfs_open_without_a_password_or_are_skipped_saying_so() {
    let env = pdf_corpus();
    let (out, report) = ingest(&env, &["--no-ocr"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(outcome(&report, "permissions.pdf").outcome, "added");
    env.search("Maizuru").hit("permissions.pdf");
    let locked = outcome(&report, "password.pdf");
    assert_eq!(locked.outcome, "skipped");
    let reason = locked.reason.as_deref().unwrap_or_default();
    assert!(reason.contains("needs a password"), "{reason}");
    assert!(
        stderr(&out).contains("password.pdf: encrypted PDF: it needs a password"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_garbled_text_layer_is_read_by_ocr_and_never_indexed_as_garbage() {
    let env = pdf_corpus();
    assert!(
        Command::new("tesseract").arg("--version").output().is_ok(),
        "tesseract is missing: apt-get install {PACKAGES}"
    );
    // Without OCR the garbage is left out, and the line says so.
    let (out, report) = ingest(&env, &["--no-ocr"]);
    let garbled = outcome(&report, "/garbled.pdf");
    assert_eq!(garbled.outcome, "skipped", "{garbled:?}");
    assert!(
        garbled
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("garbled"),
        "{garbled:?}"
    );
    assert!(stderr(&out).contains("garbled.pdf"), "{}", stderr(&out));
    // A good page keeps its text; the garbled one is left out, saying so.
    let mixed = outcome(&report, "mixed-garbled.pdf");
    assert_eq!(mixed.outcome, "added", "{mixed:?}");
    assert_eq!(mixed.reread.len(), 1, "{mixed:?}");
    assert_eq!(
        (mixed.reread[0].page, mixed.reread[0].kept.as_str()),
        (2, "nothing")
    );
    assert!(
        stderr(&out).contains(
            "mixed-garbled.pdf: page 2 not indexed: garbled text layer, and OCR cannot run"
        ),
        "{}",
        stderr(&out)
    );
    env.search("Maizuru").hit("mixed-garbled.pdf");
    assert!(env.search("Otaru").hits.is_empty());
    // With OCR, the page is read again and its words are found.
    std::fs::remove_dir_all(env.path("index")).expect("fresh index");
    let (out, report) = ingest(&env, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let garbled = outcome(&report, "/garbled.pdf");
    assert_eq!(garbled.outcome, "added", "{garbled:?}");
    assert_eq!(garbled.reread.len(), 1, "{garbled:?}");
    assert_eq!(garbled.reread[0].page, 1);
    assert_eq!(garbled.reread[0].kept, "ocr");
    assert!(garbled.reread[0].reason.starts_with("garbled text layer"));
    assert!(
        stderr(&out).contains("garbled.pdf (pdf, en); page 1 read by OCR: garbled text layer"),
        "{}",
        stderr(&out)
    );
    let results = env.search("telegram Hakodate Otaru");
    let hit = results.hit("garbled.pdf");
    assert!(hit.ocr, "{hit:?}");
    assert_eq!(hit.lang, "en");
    let mixed = outcome(&report, "mixed-garbled.pdf");
    assert_eq!(
        (mixed.reread[0].page, mixed.reread[0].kept.as_str()),
        (2, "ocr")
    );
    let second_page = env.search("telegram Otaru");
    assert_eq!(second_page.hit("mixed-garbled.pdf").snippet.page, Some(2));
    // No other page of the corpus was taken for garbage.
    for file in report
        .files
        .iter()
        .filter(|f| !f.path.ends_with("garbled.pdf"))
    {
        assert!(file.reread.is_empty(), "{file:?}");
    }
}

#[test]
fn without_poppler_pdfs_are_read_by_lopdf_and_that_is_told_once() {
    let env = Env::new();
    let roster = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/roster.pdf");
    for name in ["a.pdf", "b.pdf"] {
        std::fs::copy(&roster, env.path("corpus").join(name)).expect("copy");
    }
    // No program can be found: neither pdftotext nor Tesseract.
    let out = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(["ingest", "--no-ocr", "--report", "report.json"])
        .current_dir(env.path(""))
        .env("PATH", env.path("no-programs-here"))
        .output()
        .expect("run archivist");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let told: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.contains("apt-get install poppler-utils"))
        .map(str::to_string)
        .collect();
    assert_eq!(told.len(), 1, "{}", stderr(&out));
    assert!(told[0].contains("lopdf"), "{}", told[0]);
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("the documented report");
    assert_eq!(report.tools_missing.len(), 1, "{report}");
    assert_eq!(report.tools_missing[0].package, "poppler-utils");
    // The two files are copies of one another: one hit, with the other as its copy.
    let results = env.search("Tachibana");
    assert_eq!(results.hits.len(), 1, "{results}");
    assert_eq!(results.hits[0].title, "Camp roster");
}
