//! OCR of scans and photos of pages with Tesseract (Debian's `tesseract-ocr` and its language
//! packs), and of PDFs without a text layer, their pages rasterized at 300 dpi by poppler's
//! `pdftoppm`. The programs are run per page, as Recoll and Tika do, with one thread each
//! (`OMP_THREAD_LIMIT=1`): ingest's workers already use every core.
//!
//! Each page's script and rotation come first, from Tesseract's orientation and script
//! detection (`--psm 0`); the page is then read upright with the installed models of that
//! script's languages (Japanese: `jpn` and `jpn_vert`; Cyrillic: `rus`, `ukr`…; Latin: `eng`
//! and the Latin languages installed), English after them for the Latin names and labels of
//! other scripts' pages, or with `--ocr-languages`. Text read is cached by the
//! SHA-256 of the image and the models used, so a re-ingest, a moved file or another index
//! over the same scans never reads a page twice.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::Rejection;
use crate::store::hex;

/// How long Tesseract may take on one page before the page fails.
const PAGE_TIMEOUT: Duration = Duration::from_secs(180);
/// Resolution pages of a PDF are rasterized at.
const DPI: &str = "300";

/// Languages by the script Tesseract's OSD names, most likely first; those installed are used.
const BY_SCRIPT: &[(&str, &[&str])] = &[
    (
        "Latin",
        &[
            "eng", "deu", "fra", "spa", "ita", "por", "nld", "pol", "ces",
        ],
    ),
    ("Cyrillic", &["rus", "ukr", "bul", "srp"]),
    ("Japanese", &["jpn", "jpn_vert"]),
    ("Han", &["chi_sim", "chi_tra", "jpn"]),
    ("Hangul", &["kor"]),
    ("Korean", &["kor"]),
    ("Greek", &["ell"]),
    ("Arabic", &["ara"]),
    ("Hebrew", &["heb"]),
    ("Thai", &["tha"]),
    ("Devanagari", &["hin"]),
];

/// Whether scans are read: off (`--no-ocr`), or wanted, with Tesseract looked for the first
/// time a scan comes (so that an ingest without scans never starts it).
#[derive(Clone, Debug)]
pub enum Ocr {
    Off,
    Wanted(Arc<Wanted>),
}

#[derive(Debug)]
pub struct Wanted {
    /// `--ocr-languages`: these models for every page.
    forced: Option<Vec<String>>,
    /// `--ocr-cache`, else the user's cache folder.
    cache: Option<PathBuf>,
    /// Tesseract as found, or why OCR cannot run here.
    found: OnceLock<Result<Tesseract, String>>,
}

#[derive(Debug)]
pub struct Tesseract {
    /// Installed language models (`tesseract --list-langs`), `osd` aside.
    installed: Vec<String>,
    /// `--ocr-languages`: these models for every page.
    forced: Option<Vec<String>>,
    /// Where read pages are kept.
    cache: Option<PathBuf>,
}

impl Ocr {
    /// OCR as the settings ask: off with `--no-ocr`, else wanted.
    pub fn new(enabled: bool, forced: Option<Vec<String>>, cache: Option<PathBuf>) -> Ocr {
        if !enabled {
            return Ocr::Off;
        }
        Ocr::Wanted(Arc::new(Wanted {
            forced,
            cache,
            found: OnceLock::new(),
        }))
    }

    fn tesseract(&self) -> Result<&Tesseract, Rejection> {
        match self {
            Ocr::Off => Err(Rejection::Skip("scan: OCR is off (--no-ocr)".into())),
            Ocr::Wanted(wanted) => wanted
                .found
                .get_or_init(|| Tesseract::find(wanted.forced.clone(), wanted.cache.clone()))
                .as_ref()
                .map_err(|why| Rejection::Skip(why.clone())),
        }
    }

    /// The text of an image (every page of a multi-page TIFF).
    pub fn image(&self, bytes: &[u8], name: &str) -> Result<String, Rejection> {
        let tesseract = self.tesseract()?;
        let ext = Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_else(|| "png".into());
        let work = Scratch::new()?;
        let path = work.file(&format!("page.{ext}"), bytes)?;
        tesseract.page(&path, bytes)
    }

    /// The text of a PDF without a text layer: each page rasterized, then read, one page at a
    /// time (a scanned book's pages would otherwise fill the temporary folder all at once).
    pub fn pdf(&self, bytes: &[u8]) -> Result<String, Rejection> {
        let tesseract = self.tesseract()?;
        let work = Scratch::new()?;
        let pdf = work.file("scan.pdf", bytes)?;
        let missing = |_| {
            Rejection::Skip(
                "scan: OCR of PDF pages needs pdftoppm (apt-get install poppler-utils)".into(),
            )
        };
        let info = Command::new("pdfinfo")
            .arg(&pdf)
            .stdin(Stdio::null())
            .output()
            .map_err(missing)?;
        let pages: u32 = String::from_utf8_lossy(&info.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .ok_or_else(|| {
                Rejection::Fail(format!(
                    "pdfinfo could not count its pages: {}",
                    last_line(&info.stderr)
                ))
            })?;
        let mut text = String::new();
        for page in 1..=pages {
            let number = page.to_string();
            let prefix = work.0.join(format!("page{page}"));
            let out = Command::new("pdftoppm")
                .args([
                    "-r",
                    DPI,
                    "-png",
                    "-singlefile",
                    "-f",
                    &number,
                    "-l",
                    &number,
                ])
                .arg(&pdf)
                .arg(&prefix)
                .stdin(Stdio::null())
                .output()
                .map_err(missing)?;
            let image_path = prefix.with_extension("png");
            if !out.status.success() {
                return Err(Rejection::Fail(format!(
                    "pdftoppm could not rasterize page {page}: {}",
                    last_line(&out.stderr)
                )));
            }
            let image = std::fs::read(&image_path)
                .map_err(|e| Rejection::Fail(format!("cannot read rasterized page {page}: {e}")))?;
            text.push_str(&tesseract.page(&image_path, &image)?);
            text.push_str("\n\n");
            let _ = std::fs::remove_file(&image_path);
        }
        Ok(text)
    }
}

impl Tesseract {
    /// Tesseract and its installed models, or why OCR cannot run.
    fn find(forced: Option<Vec<String>>, cache: Option<PathBuf>) -> Result<Tesseract, String> {
        let listed = Command::new("tesseract")
            .arg("--list-langs")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map_err(|_| {
                "scan: OCR needs tesseract (apt-get install tesseract-ocr tesseract-ocr-…)"
                    .to_string()
            })?;
        let installed: Vec<String> = String::from_utf8_lossy(&listed.stdout)
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "osd")
            .map(str::to_string)
            .collect();
        if installed.is_empty() {
            return Err(
                "scan: tesseract has no language model (apt-get install tesseract-ocr-eng)".into(),
            );
        }
        let cache = cache.or_else(default_cache);
        if let Some(dir) = &cache {
            // A cache that cannot be made only means pages are read again next time.
            let _ = std::fs::create_dir_all(dir);
        }
        Ok(Tesseract {
            installed,
            forced,
            cache,
        })
    }

    /// One image's text: from the cache, else read with the models its script wants.
    fn page(&self, path: &Path, bytes: &[u8]) -> Result<String, Rejection> {
        // Keyed by the image alone (and the models when forced), so that a cached page costs
        // no orientation and script detection either.
        let mut key = hex(&Sha256::digest(bytes));
        if let Some(forced) = &self.forced {
            key = format!("{key}-{}", forced.join("+"));
        }
        let cached = self
            .cache
            .as_ref()
            .map(|dir| dir.join(format!("{key}.txt")));
        if let Some(text) = cached
            .as_ref()
            .and_then(|c| std::fs::read_to_string(c).ok())
        {
            return Ok(text);
        }
        let (languages, rotated) = match &self.forced {
            Some(forced) => (forced.clone(), true),
            None => self.languages_for(path),
        };
        let models = languages.join("+");
        // `--psm 1` reads a rotated page upright; 3 is Tesseract's default layout analysis.
        let psm = if rotated { "1" } else { "3" };
        let out = run(Command::new("tesseract")
            .arg(path)
            .arg("stdout")
            .args(["-l", &models, "--psm", psm]))?;
        if !out.status.success() {
            return Err(Rejection::Fail(format!(
                "not a readable image (tesseract: {})",
                last_line(&out.stderr)
            )));
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if let Some(cached) = cached {
            // Written whole, then renamed: a reader never sees half a page.
            let partial = cached.with_extension("partial");
            if std::fs::write(&partial, &text).is_ok() {
                let _ = std::fs::rename(&partial, &cached);
            }
        }
        Ok(text)
    }

    /// The installed models for the page's script, and whether the page is rotated; English
    /// (or the first installed model) when the page says too little to tell.
    fn languages_for(&self, path: &Path) -> (Vec<String>, bool) {
        let osd = run(Command::new("tesseract")
            .arg(path)
            .arg("stdout")
            .args(["--psm", "0"]));
        let report = osd
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let field = |name: &str| {
            report
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
        };
        let rotated = field("Rotate:").is_some_and(|r| r != "0");
        let installed = |lang: &&str| self.installed.iter().any(|l| l == lang);
        let mut languages: Vec<String> = Vec::new();
        match field("Script:") {
            Some(script) => {
                let wanted = BY_SCRIPT.iter().find(|(s, _)| *s == script);
                let langs = wanted.map_or(&[][..], |(_, langs)| *langs);
                // English after the script's own: archives' pages in other scripts carry Latin
                // names, labels and stamps, which the script's models alone misread.
                let english: &[&str] = if script == "Latin" { &[] } else { &["eng"] };
                for lang in langs.iter().chain(english).filter(|l| installed(l)) {
                    if !languages.iter().any(|l| l == lang) {
                        languages.push(lang.to_string());
                    }
                }
            }
            // Too few characters for OSD to tell (a short note, a label): the first model of
            // each script that is installed, each tried, and the one most confident kept.
            None => {
                let mut candidates: Vec<&str> = BY_SCRIPT
                    .iter()
                    .filter_map(|(_, langs)| langs.first().copied())
                    .filter(|l| installed(l))
                    .collect();
                candidates.dedup();
                let best = candidates
                    .iter()
                    .map(|lang| (confidence(path, lang), *lang))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, lang)) = best {
                    languages.push(lang.to_string());
                }
            }
        }
        if languages.is_empty() {
            let fallback = if installed(&"eng") {
                "eng"
            } else {
                &self.installed[0]
            };
            languages.push(fallback.to_string());
        }
        (languages, rotated)
    }
}

/// Tesseract's mean confidence in the words it reads on a page with `lang`, weighted by their
/// characters (0 when it reads nothing).
fn confidence(path: &Path, lang: &str) -> f64 {
    let Ok(out) = run(Command::new("tesseract")
        .arg(path)
        .arg("stdout")
        .args(["-l", lang, "--psm", "3", "tsv"]))
    else {
        return 0.0;
    };
    let (mut sum, mut chars) = (0.0, 0.0);
    for line in String::from_utf8_lossy(&out.stdout).lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (Some(conf), Some(word)) = (cells.get(10), cells.get(11)) else {
            continue;
        };
        let (Ok(conf), n) = (conf.parse::<f64>(), word.trim().chars().count() as f64) else {
            continue;
        };
        if conf >= 0.0 && n > 0.0 {
            sum += conf * n;
            chars += n;
        }
    }
    if chars > 0.0 { sum / chars } else { 0.0 }
}

/// `$XDG_CACHE_HOME/archivist/ocr`, else `~/.cache/archivist/ocr`.
fn default_cache() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("archivist").join("ocr"))
}

/// Runs a program on one page, with one thread, for at most [`PAGE_TIMEOUT`].
fn run(command: &mut Command) -> Result<std::process::Output, Rejection> {
    let mut child = command
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Rejection::Skip(format!("scan: cannot run tesseract ({e})")))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > PAGE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Rejection::Fail(format!(
                    "OCR of a page took over {} s; not indexed",
                    PAGE_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(Rejection::Fail(format!("OCR failed: {e}"))),
        }
    }
    child
        .wait_with_output()
        .map_err(|e| Rejection::Fail(format!("OCR failed: {e}")))
}

fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A folder of its own for one file's pages, removed when done.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, Rejection> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "archivist-ocr-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Rejection::Fail(format!("cannot make a folder for OCR: {e}")))?;
        Ok(Scratch(dir))
    }

    fn file(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, Rejection> {
        let path = self.0.join(name);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| Rejection::Fail(format!("cannot write a page for OCR: {e}")))?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
