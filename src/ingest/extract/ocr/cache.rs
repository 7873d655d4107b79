//! Pages already read, kept by the SHA-256 of their image or of their PDF and their number
//! (see [`super::tesseract::Tesseract::key`]) in the user's cache folder (or
//! `--ocr-cache`), so that a re-ingest, a moved or renamed file, a second index over the same
//! scans or a rebuild after an analysis change never reads a page twice. An entry is the
//! reading's confidence on a first line, then its text; written whole and renamed into place,
//! so a reader never sees half of one.

use std::path::PathBuf;

use super::Reading;

/// First line of an entry, before the confidence: entries of another layout are not read.
const HEADER: &str = "archivist-ocr 2 confidence ";

pub struct Cache(Option<PathBuf>);

impl Cache {
    /// The cache in `dir`, made if missing; with no folder, pages are read every time.
    pub fn new(dir: Option<PathBuf>) -> Cache {
        if let Some(dir) = &dir {
            // A cache that cannot be made only means pages are read again next time.
            let _ = std::fs::create_dir_all(dir);
        }
        Cache(dir)
    }

    fn entry(&self, key: &str) -> Option<PathBuf> {
        self.0.as_ref().map(|dir| dir.join(format!("{key}.ocr")))
    }

    pub fn get(&self, key: &str) -> Option<Reading> {
        let stored = std::fs::read_to_string(self.entry(key)?).ok()?;
        let (first, text) = stored.split_once('\n')?;
        let confidence = first.strip_prefix(HEADER)?.trim().parse().ok()?;
        Some(Reading {
            text: text.to_string(),
            confidence,
        })
    }

    pub fn put(&self, key: &str, reading: &Reading) {
        let Some(entry) = self.entry(key) else { return };
        let partial = entry.with_extension("partial");
        let stored = format!("{HEADER}{:.2}\n{}", reading.confidence, reading.text);
        if std::fs::write(&partial, stored).is_ok() {
            let _ = std::fs::rename(&partial, &entry);
        }
    }

    #[cfg(test)]
    fn at(dir: &std::path::Path) -> Cache {
        Cache::new(Some(dir.to_path_buf()))
    }
}

/// `$XDG_CACHE_HOME/archivist/ocr`, else `~/.cache/archivist/ocr`.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("archivist").join("ocr"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_comes_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::at(dir.path());
        let reading = Reading {
            text: "Maizuru\n\u{c}page two".into(),
            confidence: 91.25,
        };
        assert_eq!(cache.get("abc"), None);
        cache.put("abc", &reading);
        assert_eq!(cache.get("abc"), Some(reading));
        // An entry of another layout is read again rather than misread.
        std::fs::write(dir.path().join("old.ocr"), "just text").expect("write");
        assert_eq!(cache.get("old"), None);
        assert_eq!(Cache::new(None).get("abc"), None);
    }
}
