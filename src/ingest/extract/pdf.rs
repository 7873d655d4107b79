//! PDF: the text layer of every page, and title, author and date from the document information
//! dictionary.
//!
//! lopdf parses the whole file; a truncated or corrupt file fails with lopdf's reason. Pages
//! whose text cannot be decoded are left out and counted; a PDF with pages but no text layer at
//! all (a scan) is read by OCR, or skipped as a scan when OCR cannot run, so the report tells
//! the archivist which files need it. A
//! file cut short (no `%%EOF` in its last kilobyte) keeps whatever text lopdf recovers; with
//! none, it fails as truncated.

use lopdf::{Document, Object};

use super::ocr::Ocr;
use super::{Extracted, Rejection};

/// Decompressed content one page may expand to: a small stream cannot inflate without bound.
const MAX_PAGE_CONTENT: usize = 64 << 20;

pub fn extract(bytes: &[u8], ocr: &Ocr) -> Result<Extracted, Rejection> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Rejection::Fail("not a PDF (no %PDF- header)".into()));
    }
    let document =
        Document::load_mem(bytes).map_err(|e| Rejection::Fail(format!("cannot parse PDF: {e}")))?;
    if document.is_encrypted() {
        return Err(Rejection::Skip("encrypted PDF".into()));
    }
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(Rejection::Fail(
            "PDF has no pages (truncated or corrupt)".into(),
        ));
    }
    let mut text = String::new();
    let mut failed_pages = 0;
    for page in &pages {
        match document.extract_text_with_limit(&[*page], MAX_PAGE_CONTENT) {
            Ok(page_text) => {
                text.push_str(&page_text);
                text.push_str("\n\n");
            }
            Err(_) => failed_pages += 1,
        }
    }
    if failed_pages == pages.len() {
        return Err(Rejection::Fail(format!(
            "cannot read the text of any of its {} pages",
            pages.len()
        )));
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    if text.trim().is_empty() && truncated {
        return Err(Rejection::Fail(
            "truncated PDF (no %%EOF at the end, and no readable text before it)".into(),
        ));
    }
    if text.trim().is_empty() {
        text = ocr.pdf(bytes).map_err(|rejection| match rejection {
            Rejection::Skip(why) => Rejection::Skip(format!(
                "PDF without a text layer ({} pages): {why}",
                pages.len()
            )),
            failed => failed,
        })?;
    }
    let info = |key: &[u8]| info_string(&document, key);
    Ok(Extracted {
        text,
        title: info(b"Title"),
        author: info(b"Author"),
        date: info(b"CreationDate").map(|d| pdf_date(&d)),
        ..Extracted::default()
    })
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

/// `D:19560101120000+09'00'` -> `1956-01-01T12:00:00`; other shapes are kept as written.
fn pdf_date(raw: &str) -> String {
    let digits: String = raw
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match digits.len() {
        14.. => format!(
            "{}-{}-{}T{}:{}:{}",
            &digits[0..4],
            &digits[4..6],
            &digits[6..8],
            &digits[8..10],
            &digits[10..12],
            &digits[12..14]
        ),
        8..=13 => format!("{}-{}-{}", &digits[0..4], &digits[4..6], &digits[6..8]),
        4..=7 => digits[0..4].to_string(),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(pdf_date("D:19560101120000+09'00'"), "1956-01-01T12:00:00");
        assert_eq!(pdf_date("D:19450809"), "1945-08-09");
        assert_eq!(pdf_date("sometime"), "sometime");
    }

    #[test]
    fn not_a_pdf_and_truncated() {
        assert!(matches!(
            extract(b"hello", &Ocr::Off),
            Err(Rejection::Fail(_))
        ));
        assert!(matches!(
            extract(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", &Ocr::Off),
            Err(Rejection::Fail(_))
        ));
    }
}
