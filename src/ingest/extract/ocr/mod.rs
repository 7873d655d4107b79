//! OCR of scans and photos of pages with Tesseract (Debian's `tesseract-ocr` and its language
//! packs), and of PDF pages without a text layer, rasterized at 300 dpi by poppler's
//! `pdftoppm`. The programs are run per page, as Recoll and Tika do, each with one thread
//! (`OMP_THREAD_LIMIT=1`); no more of them run at once than there are cores, whether the pages
//! come from one scanned book or from many files.
//!
//! Which models read a page is decided per page before reading it ([`tesseract`]): from the
//! document's earlier pages or its own text layer, else from the script Tesseract's detection
//! sees on a band of the page; other models are tried only when Tesseract's confidence in the
//! reading is poor. Latin pages are read with English and the Latin languages found in the
//! collection so far: all installed Latin models at once read worse and slower than the few a
//! collection holds.
//! - `models`: Tesseract's models by language and script, and their Debian packages.
//! - `choice`: the models and layout a page is read with, and what a reading says of them.
//! - `band`: the band of a page the script detection looks at.
//! - `tesseract`: finding Tesseract and reading one page.
//! - `cache`: pages already read, by the SHA-256 of their image (or PDF and number), with who
//!   read them.

mod band;
mod cache;
mod choice;
pub mod models;
mod tesseract;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use super::Rejection;
use super::program::{self, Scratch, last_line};
use crate::parallel::{self, lock};
pub use tesseract::Reading;
use tesseract::{Neighbours, Tesseract};

/// Resolution pages of a PDF are rasterized at.
const DPI: &str = "300";

/// Whether scans are read: off (`--no-ocr`), or wanted, with Tesseract looked for the first
/// time a scan comes (so that an ingest without scans never starts it).
#[derive(Clone)]
pub enum Ocr {
    Off,
    Wanted(Arc<Wanted>),
}

/// The language of a text (ISO 639-1), or `None` when it cannot tell.
pub type Identify = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What ingest lends OCR: lingua, and the progress bar.
pub struct Hooks {
    /// Names the language of a page's text.
    pub identify: Identify,
    /// Called after each page is read, from the thread that read it.
    pub page_read: Box<dyn Fn() + Send + Sync>,
}

impl Default for Hooks {
    fn default() -> Hooks {
        Hooks {
            identify: Box::new(|_| None),
            page_read: Box::new(|| {}),
        }
    }
}

pub struct Wanted {
    /// `--ocr-languages`: these models for every page.
    forced: Option<Vec<String>>,
    /// `--ocr-cache`, else the user's cache folder.
    cache: Option<PathBuf>,
    /// Tesseract as found, or why OCR cannot run here.
    found: OnceLock<Result<Tesseract, String>>,
    hooks: Hooks,
    /// Models of the languages found in the collection, in the order found.
    collection: Mutex<Vec<&'static models::Model>>,
    /// The Chinese model Han pages are read with first: the form the last page that needed
    /// both was in.
    han: Mutex<&'static str>,
    /// Models pages wanted that are not installed, and whether each was told yet.
    missing: Mutex<Vec<(MissingModel, bool)>>,
    /// Pages read at once, at most one per core.
    slots: Slots,
}

/// A model a page wanted that is not installed, named once per ingest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MissingModel {
    /// What the page is in: `German`, `Greek script`.
    #[serde(rename = "for")]
    pub wanted_for: String,
    /// The Debian package with the model.
    pub package: String,
}

impl Ocr {
    /// OCR as the settings ask: off with `--no-ocr`, else wanted.
    pub fn new(
        enabled: bool,
        forced: Option<Vec<String>>,
        cache: Option<PathBuf>,
        hooks: Hooks,
    ) -> Ocr {
        if !enabled {
            return Ocr::Off;
        }
        let cores = parallel::cores();
        Ocr::Wanted(Arc::new(Wanted {
            forced,
            cache,
            found: OnceLock::new(),
            hooks,
            collection: Mutex::new(Vec::new()),
            han: Mutex::new("chi_sim"),
            missing: Mutex::new(Vec::new()),
            slots: Slots::new(cores),
        }))
    }

    fn tesseract(&self) -> Result<(&Wanted, &Tesseract), Rejection> {
        match self {
            Ocr::Off => Err(Rejection::Skip("scan: OCR is off (--no-ocr)".into())),
            Ocr::Wanted(wanted) => wanted
                .found
                .get_or_init(|| Tesseract::find(wanted.cache.clone()))
                .as_ref()
                .map(|t| (&**wanted, t))
                .map_err(|why| Rejection::Skip(why.clone())),
        }
    }

    /// Languages (ISO 639-1) found in the collection: the Latin ones among them read Latin
    /// pages from now on, the Cyrillic ones Cyrillic pages.
    pub fn saw_languages<'a>(&self, languages: impl IntoIterator<Item = &'a str>) {
        if let Ocr::Wanted(wanted) = self {
            for model in languages.into_iter().filter_map(models::for_language) {
                wanted.saw(model);
            }
        }
    }

    /// Models pages wanted that are not installed and were not told of yet.
    pub fn new_missing_models(&self) -> Vec<MissingModel> {
        let Ocr::Wanted(wanted) = self else {
            return Vec::new();
        };
        let mut missing = lock(&wanted.missing);
        let mut out = Vec::new();
        for (model, told) in missing.iter_mut().filter(|(_, told)| !*told) {
            *told = true;
            out.push(model.clone());
        }
        out
    }

    /// The text of an image (every page of a multi-page TIFF, separated by form feeds).
    pub fn image(&self, bytes: &[u8], name: &str) -> Result<Reading, Rejection> {
        let (wanted, tesseract) = self.tesseract()?;
        let key = Tesseract::key(wanted, bytes, None);
        let reading = match tesseract.cached(&key) {
            Some(reading) => reading,
            None => {
                let ext = Path::new(name)
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_else(|| "png".into());
                let work = Scratch::new()?;
                let path = work.file(&format!("page.{ext}"), bytes)?;
                let _slot = wanted.slots.take();
                tesseract.page(wanted, &path, (&key, &Neighbours::default()), &work)?
            }
        };
        (wanted.hooks.page_read)();
        Ok(reading)
    }

    /// The text of `pages` (numbered from 1) of a PDF, each rasterized and read, on as many
    /// cores as are free; in the order asked. `pdf` is where poppler reads it (`None` when
    /// poppler is not installed), `sha256` its content's hash, which names its pages in the
    /// cache; `script` that of the text of its other pages
    /// ([`main_script`](crate::ingest::language::main_script)), which the first pages are read
    /// with; the later ones are read with what the earlier ones settled on.
    pub fn pdf_pages(
        &self,
        pdf: Option<&Path>,
        (sha256, script): (&str, Option<&str>),
        pages: &[u32],
    ) -> Result<Vec<Reading>, Rejection> {
        let (wanted, tesseract) = self.tesseract()?;
        let keys: Vec<String> = pages
            .iter()
            .map(|&page| Tesseract::key_of(wanted, sha256, Some(page)))
            .collect();
        if let Some(readings) = keys.iter().map(|k| tesseract.cached(k)).collect() {
            pages.iter().for_each(|_| (wanted.hooks.page_read)());
            return Ok(readings);
        }
        let pdf = pdf.ok_or_else(|| {
            Rejection::Skip(
                "scan: OCR of PDF pages needs pdftoppm (apt-get install poppler-utils)".into(),
            )
        })?;
        let work = Scratch::new()?;
        let neighbours = Neighbours::default();
        if let Some(script) = script {
            tesseract.expect_script(wanted, script, &neighbours);
        }
        let threads = wanted.slots.size.min(pages.len());
        let read = |i: usize, &page: &u32| {
            let result = match tesseract.cached(&keys[i]) {
                Some(reading) => Ok(reading),
                None => {
                    let _slot = wanted.slots.take();
                    let page = (page, keys[i].as_str(), &neighbours);
                    read_pdf_page(wanted, tesseract, pdf, page, &work)
                }
            };
            if result.is_ok() {
                (wanted.hooks.page_read)();
            }
            result
        };
        // A page that fails fails the file: its other pages need not be read.
        let results = parallel::map_until(threads, pages, read, Result::is_err)
            .map_err(|e| Rejection::Fail(e.to_string()))?;
        // The first page that failed, in page order, says why.
        if let Some(Err(e)) = results.iter().flatten().find(|r| r.is_err()) {
            return Err(e.clone());
        }
        Ok(results.into_iter().flatten().flatten().collect())
    }
}

/// One page of a PDF rasterized by `pdftoppm` and read.
fn read_pdf_page(
    wanted: &Wanted,
    tesseract: &Tesseract,
    pdf: &Path,
    (page, key, neighbours): (u32, &str, &Neighbours),
    work: &Scratch,
) -> Result<Reading, Rejection> {
    let number = page.to_string();
    let prefix = work.path(&format!("page{page}"));
    let out = program::run(
        std::process::Command::new("pdftoppm")
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
            .arg(pdf)
            .arg(&prefix),
        &tesseract::PAGE_LIMITS,
    )
    .map_err(|e| match e {
        program::RunError::Missing(_) => Rejection::Skip(
            "scan: OCR of PDF pages needs pdftoppm (apt-get install poppler-utils)".into(),
        ),
        other => Rejection::Fail(format!("pdftoppm on page {page}: {other}")),
    })?;
    let image_path = prefix.with_extension("png");
    if !out.status.success() {
        return Err(Rejection::Fail(format!(
            "pdftoppm could not rasterize page {page}: {}",
            last_line(&out.stderr)
        )));
    }
    let reading = tesseract
        .page(wanted, &image_path, (key, neighbours), work)
        .map_err(|rejection| match rejection {
            Rejection::Fail(why) => Rejection::Fail(format!("page {page}: {why}")),
            skip => skip,
        });
    let _ = std::fs::remove_file(&image_path);
    reading
}

impl Wanted {
    /// The models of the collection's languages.
    fn collection(&self) -> Vec<&'static models::Model> {
        lock(&self.collection).clone()
    }

    /// The Chinese model to read Han pages with first.
    fn han(&self) -> &'static str {
        *lock(&self.han)
    }

    /// Han pages are read with `model` first from now on.
    fn prefer_han(&self, model: &'static str) {
        *lock(&self.han) = model;
    }

    /// Remembers a language found in the collection.
    fn saw(&self, model: &'static models::Model) {
        let mut collection = lock(&self.collection);
        if !collection.iter().any(|m| m.code == model.code) {
            collection.push(model);
        }
    }

    /// Remembers a model a page wanted that is not installed, to be named once.
    fn missing(&self, wanted_for: String, code: &str) {
        let model = MissingModel {
            wanted_for,
            package: models::package(code),
        };
        let mut missing = lock(&self.missing);
        if !missing.iter().any(|(m, _)| *m == model) {
            missing.push((model, false));
        }
    }
}

/// A counting semaphore: at most `size` pages read at once.
struct Slots {
    size: usize,
    free: Mutex<usize>,
    freed: Condvar,
}

/// A page being read; its slot is free again when dropped.
struct Slot<'a>(&'a Slots);

impl Slots {
    fn new(size: usize) -> Slots {
        Slots {
            size: size.max(1),
            free: Mutex::new(size.max(1)),
            freed: Condvar::new(),
        }
    }

    fn take(&self) -> Slot<'_> {
        let mut free = lock(&self.free);
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *lock(&self.0.free) += 1;
        self.0.freed.notify_one();
    }
}

impl std::fmt::Debug for Ocr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Ocr::Off => "Ocr::Off",
            Ocr::Wanted(_) => "Ocr::Wanted",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_bound_the_pages_read_at_once() {
        let slots = Slots::new(2);
        let a = slots.take();
        let _b = slots.take();
        assert_eq!(*lock(&slots.free), 0);
        drop(a);
        assert_eq!(*lock(&slots.free), 1);
    }

    #[test]
    fn languages_of_the_collection_are_kept_and_missing_models_told_once() {
        let ocr = Ocr::new(true, None, None, Hooks::default());
        ocr.saw_languages(["de", "ru", "fr", "xx", "de"]);
        let Ocr::Wanted(wanted) = &ocr else {
            panic!("wanted")
        };
        let codes: Vec<&str> = wanted.collection().iter().map(|m| m.code).collect();
        assert_eq!(codes, ["deu", "rus", "fra"]);
        wanted.missing("German".into(), "deu");
        wanted.missing("German".into(), "deu");
        let told = ocr.new_missing_models();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].package, "tesseract-ocr-deu");
        assert!(ocr.new_missing_models().is_empty());
    }
}
