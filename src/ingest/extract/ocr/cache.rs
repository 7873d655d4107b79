//! Pages already read, kept by the SHA-256 of their image or of their PDF and their number
//! (see [`super::tesseract::Tesseract::key`]) in the user's cache folder (or
//! `--ocr-cache`), so that a re-ingest, a moved or renamed file, a second index over the same
//! scans or a rebuild after an analysis change never reads a page twice. Each entry says who
//! read the page (Tesseract's version and the model choice's) and with which models, and which
//! models it wanted that were not installed: a page read by an older choice, or one that a
//! model installed since would read better, is read again once instead of served as it was.
//!
//! An entry is a few `name: value` lines, a blank line, then the text; written whole and
//! renamed into place, so a reader never sees half of one.

use std::path::PathBuf;

use super::Reading;

/// First line of an entry: entries of another layout are not read (they are read again).
const HEADER: &str = "archivist-ocr 3";

/// A cached page: the reading, and who read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Tesseract's version and the model choice's (`tesseract 5.3.0; choice 3`).
    pub reader: String,
    /// Models the page wanted that were not installed.
    pub missing: Vec<String>,
    pub reading: Reading,
}

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

    pub fn get(&self, key: &str) -> Option<Entry> {
        let stored = std::fs::read_to_string(self.entry(key)?).ok()?;
        let (head, text) = stored.split_once("\n\n")?;
        let mut lines = head.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let (mut reader, mut missing, mut models, mut confidence) = (None, None, None, None);
        for line in lines {
            let (name, value) = line
                .split_once(": ")
                .unwrap_or((line.trim_end_matches(':'), ""));
            let list = || {
                value
                    .split('+')
                    .filter(|m| !m.is_empty())
                    .map(String::from)
                    .collect()
            };
            match name {
                "reader" => reader = Some(value.to_string()),
                "models" => models = Some(list()),
                "missing" => missing = Some(list()),
                "confidence" => confidence = value.parse().ok(),
                _ => {}
            }
        }
        Some(Entry {
            reader: reader?,
            missing: missing?,
            reading: Reading {
                text: text.to_string(),
                confidence: confidence?,
                models: models?,
            },
        })
    }

    pub fn put(&self, key: &str, entry: &Entry) {
        let Some(path) = self.entry(key) else { return };
        let partial = path.with_extension("partial");
        let stored = format!(
            "{HEADER}\nreader: {}\nmodels: {}\nmissing: {}\nconfidence: {:.2}\n\n{}",
            entry.reader.replace('\n', " "),
            entry.reading.models.join("+"),
            entry.missing.join("+"),
            entry.reading.confidence,
            entry.reading.text
        );
        if std::fs::write(&partial, stored).is_ok() {
            let _ = std::fs::rename(&partial, &path);
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
    fn an_entry_comes_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::at(dir.path());
        let entry = Entry {
            reader: "tesseract 5.3.0; choice 3".into(),
            missing: vec!["ell".into()],
            reading: Reading {
                text: "Maizuru\n\n\u{c}page two".into(),
                confidence: 91.25,
                models: vec!["kor".into(), "eng".into()],
            },
        };
        assert_eq!(cache.get("abc"), None);
        cache.put("abc", &entry);
        assert_eq!(cache.get("abc"), Some(entry.clone()));
        let none_missing = Entry {
            missing: Vec::new(),
            ..entry
        };
        cache.put("abc", &none_missing);
        assert_eq!(cache.get("abc"), Some(none_missing));
        // Entries of another layout (the last version's: a confidence line, then the text)
        // are read again rather than misread.
        std::fs::write(
            dir.path().join("old.ocr"),
            "archivist-ocr 2 confidence 90.00\nMaizuru",
        )
        .expect("write");
        assert_eq!(cache.get("old"), None);
        assert_eq!(Cache::new(None).get("abc"), None);
    }
}
