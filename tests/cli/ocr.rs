//! OCR: pages rendered at test time from known text (English, Russian, Japanese, German, Greek;
//! one rotated; as PNG, JPEG, multi-page TIFF, an image-only PDF and PDFs that mix typed pages
//! with scans; one inside a ZIP), read back by Tesseract. Needs Debian's tesseract-ocr,
//! tesseract-ocr-rus, tesseract-ocr-jpn, tesseract-ocr-deu, poppler-utils, python3-pil,
//! fonts-dejavu-core and fonts-ipafont-gothic, which `tests/run.sh` installs.

use std::io::Write;

use super::json::Report;
use super::*;

/// The packages these tests need, named when one is missing.
const PACKAGES: &str = "tesseract-ocr tesseract-ocr-rus tesseract-ocr-jpn tesseract-ocr-deu \
    poppler-utils python3-pil fonts-dejavu-core fonts-ipafont-gothic (tests/run.sh installs them)";

/// Renders `text` as a scanned page at `path` (the format by its extension).
pub fn scan(path: &Path, text: &str, extra: &[&str]) {
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

pub const ENGLISH: &str = "The repatriation ship Koan Maru arrived at Maizuru\nwith prisoners from the camps near Taishet.";
const RUSSIAN: &str = "Военнопленные вернулись домой через Находку";
const JAPANESE: &str = "シベリア抑留者は舞鶴港に帰還した";

/// Share of `expected`'s characters (spaces aside) that the OCR'd `found` has in order: one
/// minus the edit distance over the length.
pub fn accuracy(expected: &str, found: &str) -> f64 {
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
        "Telegram from Hakodate\u{c}Reply sent to Otaru",
        &[],
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
    assert!(
        stderr(&out).contains("; 7 pages read by OCR"),
        "{}",
        stderr(&out)
    );
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
        // OCR'd text is marked as such, with Tesseract's confidence.
        assert!(hit.ocr, "{file}");
        let confidence = hit.ocr_confidence.unwrap_or(0.0);
        assert!((50.0..=100.0).contains(&confidence), "{file}: {confidence}");
    }
    // A scanned PDF's hits say their page; a single image has none.
    assert_eq!(
        env.search("Hakodate").hit("telegram.pdf").snippet.page,
        Some(1)
    );
    assert_eq!(
        env.search("Otaru").hit("telegram.pdf").snippet.page,
        Some(2)
    );
    assert_eq!(env.search("Maizuru").hit("english.png").snippet.page, None);
    let seed = env.search("Maizuru");
    let seed = seed.hit(SEEDS[4]);
    assert!(!seed.ocr && seed.ocr_confidence.is_none());
    let out = env.run(&["search", "Otaru"]);
    let shown = stdout(&out);
    assert!(
        shown.contains("[ocr]") && shown.contains("p. 2 "),
        "{shown}"
    );
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
    assert_eq!(
        report.summary.ocr_pages, 7,
        "six images, one of them a PDF of two pages"
    );
    // A second index over the same scans reads every page from the cache.
    let cache = env.path("cache/archivist/ocr");
    let pages = std::fs::read_dir(&cache).expect("the cache folder").count();
    assert_eq!(pages, 7, "pages cached");
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

/// PDFs that mix typed pages with scans: each typed page keeps its text layer and says its
/// page; a scanned page whose text layer is a few stray characters (a page number) is read by
/// OCR all the same.
#[test]
fn pdf_pages_are_numbered_and_stray_text_layers_do_not_hide_a_scan() {
    let env = Env::new();
    let corpus = env.path("corpus");
    scan(
        &corpus.join("typed.pdf"),
        "",
        &[
            "--typed",
            "Roster of the camp\u{c}The second page names Shimonoseki",
        ],
    );
    scan(
        &corpus.join("mixed.pdf"),
        "Telegram from Hakodate\u{c}Reply sent to Otaru",
        &[
            "--typed",
            "Letter about the camps at Sasebo",
            "--stray",
            "3",
        ],
    );
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let typed = env.search("Shimonoseki");
    let typed = typed.hit("typed.pdf");
    assert_eq!(typed.snippet.page, Some(2));
    assert!(!typed.ocr, "a text layer is not OCR");
    for (query, page) in [("Sasebo", 1), ("Hakodate", 2), ("Otaru", 3)] {
        let results = env.search(query);
        let hit = results.hit("mixed.pdf");
        assert_eq!(hit.snippet.page, Some(page), "{query}");
        assert!(hit.ocr, "{query}");
    }
    // Without OCR, the typed page is indexed and the scans' stray characters do no harm.
    let out = env.run(&["ingest", "--no-ocr", "--index", "plain"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&["search", "--json", "--index", "plain", "Sasebo"]);
    assert!(!json::<Search>(&out).hit("mixed.pdf").ocr);
    let out = env.run(&["search", "--index", "plain", "Hakodate"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

/// A folder of Tesseract models holding only English, German and the script detection, so
/// that a model the tests want missing is missing whatever the machine has installed.
fn tessdata_without_most_models(env: &Env) -> PathBuf {
    let listed = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .unwrap_or_else(|e| panic!("cannot run tesseract ({e}): apt-get install {PACKAGES}"));
    let listing = String::from_utf8_lossy(&listed.stdout).into_owned()
        + &String::from_utf8_lossy(&listed.stderr);
    let installed = listing
        .split('"')
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no tessdata folder in {listing:?}"));
    let dir = env.path("tessdata");
    std::fs::create_dir_all(&dir).expect("tessdata");
    for model in ["eng", "deu", "osd"] {
        let name = format!("{model}.traineddata");
        assert!(
            installed.join(&name).is_file(),
            "{name} is missing: apt-get install {PACKAGES}"
        );
        std::os::unix::fs::symlink(installed.join(&name), dir.join(&name)).expect("link");
    }
    // The output formats (`txt`, `tsv`), as in every tessdata folder.
    std::os::unix::fs::symlink(installed.join("configs"), dir.join("configs")).expect("link");
    dir
}

/// A page is read again with its language's model when lingua names a language other than
/// the ones its script chose (German after English: the umlauts come back); a page whose
/// model is not installed is read anyway, and the missing package named once per ingest.
#[test]
fn a_page_is_read_again_in_its_language_and_a_missing_model_is_named_once() {
    let env = Env::new();
    let corpus = env.path("corpus");
    scan(
        &corpus.join("german.png"),
        "Die Kriegsgefangenen kehrten über Nachodka\nnach Maizuru zurück. Größere Gruppen\nfolgten später aus dem Lager bei Taischet.",
        &[],
    );
    let greek = "Οι αιχμάλωτοι πολέμου επέστρεψαν στην πατρίδα\nμέσω του λιμανιού της Ναχόντκα.";
    scan(&corpus.join("greek-1.png"), greek, &[]);
    scan(
        &corpus.join("greek-2.png"),
        &format!("{greek}\nΔεύτερη σελίδα."),
        &[],
    );
    let tessdata = tessdata_without_most_models(&env);
    let out = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(["ingest", "--report", "report.json"])
        .current_dir(env.dir.path())
        .env("XDG_CACHE_HOME", env.path("cache"))
        .env("TESSDATA_PREFIX", &tessdata)
        .output()
        .expect("run archivist");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let german = env.search("Größere");
    let german = german.hit("german.png");
    assert_eq!(german.lang, "de");
    for word in ["Größere", "zurück", "über"] {
        assert!(
            german.snippet.text.contains(word),
            "{word} in {}",
            german.snippet.text
        );
    }
    let said = stderr(&out);
    let told: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("tesseract-ocr-ell"))
        .collect();
    assert_eq!(told.len(), 1, "{said}");
    assert!(told[0].contains("Greek"), "{}", told[0]);
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("the documented JSON");
    assert_eq!(report.ocr_models_missing.len(), 1);
    assert_eq!(report.ocr_models_missing[0].package, "tesseract-ocr-ell");
    assert_eq!(report.ocr_models_missing[0].wanted_for, "Greek script");
    assert_eq!(report.summary.added, 5 + 3);
}

#[test]
fn a_scanned_pdf_over_the_size_limit_is_read_from_its_file_page_by_page() {
    let env = Env::new();
    ocr_corpus(&env);
    // A three-page scan, far over a limit of 16 kB, which still skips a DOCX of that size:
    // poppler reads the PDF from disk, a page at a time, and it is never held whole.
    let corpus = env.path("corpus");
    scan(
        &corpus.join("book.pdf"),
        "Chapter one Maizuru\u{c}Chapter two Nakhodka\u{c}Chapter three Hakodate harbour",
        &[],
    );
    let size = std::fs::metadata(corpus.join("book.pdf"))
        .expect("book")
        .len();
    assert!(size > 16 << 10, "{size}");
    std::fs::write(corpus.join("big.docx"), vec![b'x'; 20 << 10]).expect("docx");
    let run = super::hostile::measured(&env, &["ingest", "--max-file-size", "16K"]);
    assert!(
        run.stderr.contains("big.docx: too large") && run.stderr.contains("--max-file-size 1M"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("book.pdf"), "{}", run.stderr);
    let hit = env.search("Hakodate harbour");
    let hit = hit.hit("book.pdf");
    assert_eq!(hit.snippet.page, Some(3));
    assert!(hit.ocr);
}
