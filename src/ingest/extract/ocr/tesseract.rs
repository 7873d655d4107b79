//! Finding Tesseract and reading one page with it.
//!
//! A page's script and rotation come first, from Tesseract's orientation and script detection
//! (`--psm 0`); the page is then read upright with the installed models of that script's
//! languages (Japanese: `jpn` and `jpn_vert`; Cyrillic: `rus`, `ukr`…; Latin: `eng` and the
//! collection's Latin languages), English after them for the Latin names and labels of other
//! scripts' pages. lingua then names the language of the text read; when that language has a
//! model that was not used and it is installed (or, on a Han page, was used together with the
//! other Han languages' models), the page is read again with it, and the reading Tesseract is
//! more confident in is kept. A page too short for the script detection is read
//! with each script's first model and the most confident reading kept. `--ocr-languages`
//! forces the models of every page.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::Wanted;
use super::cache::{Cache, default_dir};
use super::models::{self, BY_SCRIPT};
use crate::ingest::extract::Rejection;
use crate::ingest::extract::program::{self, Limits, Ran, RunError, Scratch, last_line};
use crate::store::hex;

/// What Tesseract (or pdftoppm) may take on one page before the page fails: 3 minutes, 16 MB
/// of output (its text goes to a file), 2 GB of address space (a 300 dpi page of A3 is 50 MB
/// of pixels).
pub const PAGE_LIMITS: Limits = Limits {
    time: Duration::from_secs(180),
    output: 16 << 20,
    memory: 2 << 30,
};

/// A page's text as Tesseract read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub text: String,
    /// Tesseract's mean confidence in the words read (0-100), weighted by their characters.
    pub confidence: f32,
}

pub struct Tesseract {
    /// Installed language models (`tesseract --list-langs`), `osd` aside.
    installed: Vec<String>,
    /// Pages already read.
    cache: Cache,
}

impl Tesseract {
    /// Tesseract and its installed models, or why OCR cannot run.
    pub fn find(cache: Option<PathBuf>) -> Result<Tesseract, String> {
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
        Ok(Tesseract {
            installed,
            cache: Cache::new(cache.or_else(default_dir)),
        })
    }

    fn has(&self, code: &str) -> bool {
        self.installed.iter().any(|l| l == code)
    }

    /// The cache key of a page: the SHA-256 of an image, or of a PDF and the page's number
    /// (so that a cached page of a PDF is not even rasterized), and the models when forced.
    /// Nothing else: a cached page costs no script detection either.
    pub fn key(wanted: &Wanted, bytes: &[u8], page: Option<u32>) -> String {
        Tesseract::key_of(wanted, &hex(&Sha256::digest(bytes)), page)
    }

    /// As [`Tesseract::key`], for content whose SHA-256 is `sha256`.
    pub fn key_of(wanted: &Wanted, sha256: &str, page: Option<u32>) -> String {
        let mut key = sha256.to_string();
        if let Some(page) = page {
            key = format!("{key}-p{page}");
        }
        if let Some(forced) = &wanted.forced {
            key = format!("{key}-{}", forced.join("+"));
        }
        key
    }

    /// A page read before, under `key`.
    pub fn cached(&self, key: &str) -> Option<Reading> {
        self.cache.get(key)
    }

    /// One image's text, read with the models its script and language want, and cached under
    /// `key`. `work` is the folder for Tesseract's output.
    pub fn page(
        &self,
        wanted: &Wanted,
        path: &Path,
        key: &str,
        work: &Scratch,
    ) -> Result<Reading, Rejection> {
        let reading = match &wanted.forced {
            // `--psm 1`: layout analysis with orientation, so a rotated page reads upright.
            Some(forced) => self.recognize(path, forced, "1", work)?,
            None => self.read_as_it_wants(wanted, path, work)?,
        };
        self.cache.put(key, &reading);
        Ok(reading)
    }

    /// Reads a page with the models of its script, then again with those of its language when
    /// lingua names one that was not used.
    fn read_as_it_wants(
        &self,
        wanted: &Wanted,
        path: &Path,
        work: &Scratch,
    ) -> Result<Reading, Rejection> {
        let (script, rotated) = self.orientation_and_script(path);
        // `--psm 1` reads a rotated page upright; 3 is Tesseract's default layout analysis.
        let psm = if rotated { "1" } else { "3" };
        let (used, reading) = match &script {
            Some(script) => {
                let models = self.models_for_script(wanted, script);
                let reading = self.recognize(path, &models, psm, work)?;
                (models, reading)
            }
            None => self.most_confident(wanted, path, psm, work)?,
        };
        let language = (wanted.hooks.identify)(&reading.text);
        let Some(model) = language.as_deref().and_then(models::for_language) else {
            return Ok(reading);
        };
        // Chinese (simplified and traditional) and Japanese share their characters, and read
        // together they mistake one another's forms: a Han page is read again with its
        // language's model alone (for Chinese, 0.87 of characters right together, 0.96 alone).
        let han_mixed =
            script.as_deref() == Some("Han") && used.iter().filter(|m| *m != "eng").count() > 1;
        if used.iter().any(|m| m == model.code) && !han_mixed {
            return Ok(reading);
        }
        if !self.has(model.code) {
            wanted.missing(model.name.to_string(), model.code);
            return Ok(reading);
        }
        let mut again = vec![model.code.to_string()];
        if !model.latin && self.has("eng") {
            again.push("eng".into());
        }
        let second = self.recognize(path, &again, psm, work)?;
        Ok(if second.confidence >= reading.confidence {
            second
        } else {
            reading
        })
    }

    /// The installed models for a script, English after them (archives' pages in other scripts
    /// carry Latin names, labels and stamps, which the script's models alone misread); for
    /// Latin, English and the collection's Latin languages.
    fn models_for_script(&self, wanted: &Wanted, script: &str) -> Vec<String> {
        let mut wished: Vec<&str> = Vec::new();
        if script == "Latin" {
            wished.push("eng");
            wished.extend(wanted.collection());
        } else if let Some((_, codes)) = BY_SCRIPT.iter().find(|(s, _)| *s == script) {
            if !codes.iter().any(|c| self.has(c)) {
                wanted.missing(format!("{script} script"), codes[0]);
            }
            wished.extend(codes.iter().copied());
            wished.push("eng");
        }
        let mut models: Vec<String> = Vec::new();
        for code in wished {
            if self.has(code) && !models.iter().any(|m| m == code) {
                models.push(code.to_string());
            }
        }
        if models.is_empty() {
            let fallback = if self.has("eng") {
                "eng"
            } else {
                &self.installed[0]
            };
            models.push(fallback.to_string());
        }
        models
    }

    /// A page too short for the script detection (a label, a short note): read with English
    /// and the first installed model of each script, the reading most confident kept.
    fn most_confident(
        &self,
        wanted: &Wanted,
        path: &Path,
        psm: &str,
        work: &Scratch,
    ) -> Result<(Vec<String>, Reading), Rejection> {
        let mut candidates: Vec<&str> = std::iter::once("eng")
            .chain(wanted.collection())
            .chain(BY_SCRIPT.iter().map(|(_, codes)| codes[0]))
            .filter(|code| self.has(code))
            .collect();
        candidates.dedup();
        if candidates.is_empty() {
            candidates.push(&self.installed[0]);
        }
        let mut best: Option<(Vec<String>, Reading)> = None;
        for code in candidates {
            let models = vec![code.to_string()];
            let reading = self.recognize(path, &models, psm, work)?;
            if best
                .as_ref()
                .is_none_or(|(_, b)| reading.confidence > b.confidence)
            {
                best = Some((models, reading));
            }
        }
        best.ok_or_else(|| Rejection::Fail("no model to read the page with".into()))
    }

    /// The script Tesseract sees on the page (`None` when the page says too little), and
    /// whether the page is rotated.
    fn orientation_and_script(&self, path: &Path) -> (Option<String>, bool) {
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
        (field("Script:"), rotated)
    }

    /// The page read with `models`: its text and Tesseract's confidence in it.
    fn recognize(
        &self,
        path: &Path,
        models: &[String],
        psm: &str,
        work: &Scratch,
    ) -> Result<Reading, Rejection> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let base = work.path(&format!("read{}", NEXT.fetch_add(1, Ordering::Relaxed)));
        let out = run(Command::new("tesseract").arg(path).arg(&base).args([
            "-l",
            &models.join("+"),
            "--psm",
            psm,
            "txt",
            "tsv",
        ]))?;
        let text = std::fs::read(base.with_extension("txt"));
        let tsv = std::fs::read(base.with_extension("tsv"));
        let _ = std::fs::remove_file(base.with_extension("txt"));
        let _ = std::fs::remove_file(base.with_extension("tsv"));
        match (out.status.success(), text) {
            (true, Ok(text)) => Ok(Reading {
                text: String::from_utf8_lossy(&text).into_owned(),
                confidence: confidence(&String::from_utf8_lossy(&tsv.unwrap_or_default())),
            }),
            _ => Err(Rejection::Fail(format!(
                "not a readable image (tesseract: {})",
                last_line(&out.stderr)
            ))),
        }
    }
}

/// The mean confidence of the words in Tesseract's TSV output, weighted by their characters
/// (0 when it read nothing).
fn confidence(tsv: &str) -> f32 {
    let (mut sum, mut chars) = (0.0f64, 0.0f64);
    for line in tsv.lines().skip(1) {
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
    if chars > 0.0 {
        (sum / chars) as f32
    } else {
        0.0
    }
}

/// Runs a program on one page, with one thread, within [`PAGE_LIMITS`].
fn run(command: &mut Command) -> Result<Ran, Rejection> {
    program::run(command.env("OMP_THREAD_LIMIT", "1"), &PAGE_LIMITS).map_err(|e| match e {
        RunError::Missing(e) => Rejection::Skip(format!("scan: cannot run tesseract ({e})")),
        RunError::TimedOut(limit) => Rejection::Fail(format!(
            "OCR of a page took over {} s; not indexed",
            limit.as_secs()
        )),
        RunError::TooMuchOutput(_) => Rejection::Fail("OCR of a page printed without end".into()),
        RunError::Io(e) => Rejection::Fail(format!("OCR failed: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_is_weighted_by_characters() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tMaizuru\n\
                   5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t30\tat\n";
        let expected = (90.0 * 7.0 + 30.0 * 2.0) / 9.0;
        assert!((confidence(tsv) - expected).abs() < 1e-3);
        assert_eq!(confidence(""), 0.0);
    }
}
