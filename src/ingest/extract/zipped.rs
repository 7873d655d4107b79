//! Reading entries of ZIP-based formats (DOCX, ODT, EPUB, XLSX, ODS, PPTX, ODP) with a bound on
//! what they expand to.
//!
//! A few kilobytes of deflated zeros can expand to gigabytes (a "zip bomb"); every entry is
//! read through a limit on the bytes it may produce, shared by the whole archive, so memory
//! stays bounded whatever the declared sizes say.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::Rejection;

/// Total bytes the entries read from one archive may expand to.
pub const MAX_EXPANDED_BYTES: u64 = 128 << 20;

pub struct Zipped<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes still allowed to be expanded.
    budget: u64,
    kind: &'static str,
}

impl<'a> Zipped<'a> {
    pub fn open(bytes: &'a [u8], kind: &'static str) -> Result<Zipped<'a>, Rejection> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Rejection::Fail(format!("corrupt {kind} (not a readable ZIP: {e})")))?;
        Ok(Zipped {
            archive,
            budget: MAX_EXPANDED_BYTES,
            kind,
        })
    }

    /// The entry `name` as text; a missing entry is `Ok(None)`.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, Rejection> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let kind = self.kind;
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| Rejection::Fail(format!("corrupt {kind}: cannot open {name}: {e}")))?;
        let mut bytes = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Rejection::Fail(format!("corrupt {kind}: cannot read {name}: {e}")))?;
        if bytes.len() as u64 > self.budget {
            return Err(Rejection::Fail(format!(
                "{kind} expands past {} MB when unpacked (a zip bomb?); not indexed",
                MAX_EXPANDED_BYTES >> 20
            )));
        }
        self.budget -= bytes.len() as u64;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// The names of every entry.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(|name| name.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// The entry `name`, which the format requires.
    pub fn required(&mut self, name: &str) -> Result<String, Rejection> {
        let kind = self.kind;
        self.text(name)?
            .ok_or_else(|| Rejection::Fail(format!("corrupt {kind}: {name} is missing")))
    }
}
