//! The fallback reader, lopdf, for a machine without poppler-utils: it parses the file itself and
//! decodes each page's text operators. It reads fonts with standard encodings and ToUnicode
//! maps, and reads Type 1 fonts with built-in or custom encodings and many CID fonts wrong
//! (symbols, or nothing), which is why poppler is preferred and its absence is told.

use lopdf::{Document, Object, ObjectId};

use super::Layer;
use crate::ingest::extract::Rejection;

/// Decompressed content one page may expand to: a small stream cannot inflate without bound.
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// A parsed PDF and its pages' objects, for the questions asked after its text is read.
pub struct Parsed {
    document: Document,
    pages: Vec<ObjectId>,
}

pub fn read(bytes: &[u8]) -> Result<(Layer, Parsed), Rejection> {
    let document =
        Document::load_mem(bytes).map_err(|e| Rejection::Fail(format!("cannot parse PDF: {e}")))?;
    if document.is_encrypted() {
        return Err(Rejection::Skip("encrypted PDF".into()));
    }
    let pages: Vec<(u32, ObjectId)> = document.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err(Rejection::Fail(
            "PDF has no pages (truncated or corrupt)".into(),
        ));
    }
    let mut texts: Vec<String> = Vec::with_capacity(pages.len());
    let mut failed_pages = 0;
    for (number, _) in &pages {
        match document.extract_text_with_limit(&[*number], MAX_PAGE_CONTENT) {
            Ok(text) => texts.push(text),
            Err(_) => {
                failed_pages += 1;
                texts.push(String::new());
            }
        }
    }
    if failed_pages == pages.len() {
        return Err(Rejection::Fail(format!(
            "cannot read the text of any of its {} pages",
            pages.len()
        )));
    }
    let info = |key: &[u8]| info_string(&document, key);
    let layer = Layer {
        pages: texts,
        title: info(b"Title"),
        author: info(b"Author"),
        date: info(b"CreationDate"),
    };
    let parsed = Parsed {
        pages: pages.into_iter().map(|(_, id)| id).collect(),
        document,
    };
    Ok((layer, parsed))
}

impl Parsed {
    /// Whether the page at `index` (from 0) draws an image of its own (a scan does).
    pub fn draws_an_image(&self, index: usize) -> bool {
        self.pages.get(index).is_some_and(|&page| {
            self.document
                .get_page_images(page)
                .is_ok_and(|images| !images.is_empty())
        })
    }
}

/// A text entry of the trailer's `/Info` dictionary.
fn info_string(document: &Document, key: &[u8]) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let (_, info) = document.dereference(info).ok()?;
    let value = info.as_dict().ok()?.get(key).ok()?;
    let (_, value) = document.dereference(value).ok()?;
    match value {
        Object::String(..) => lopdf::decode_text_string(value).ok(),
        _ => None,
    }
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_roster_fixture() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/roster.pdf"
        );
        let bytes = std::fs::read(path).expect("fixture");
        let (layer, parsed) = read(&bytes).expect("reads");
        assert!(!layer.pages.is_empty());
        assert!(
            layer
                .pages
                .iter()
                .any(|p| p.chars().any(char::is_alphabetic))
        );
        assert!(!parsed.draws_an_image(0));
    }
}
