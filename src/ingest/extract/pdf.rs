//! PDF: the text layer of every page, and title, author and date from the document information
//! dictionary. Pages are separated by form feeds, so that a hit can say which page it is on.
//!
//! lopdf parses the whole file; a truncated or corrupt file fails with lopdf's reason. Pages
//! whose text cannot be decoded are left out (their page stays, empty). A page that is a scan
//! is read by OCR: a page with no text layer when the whole file has none, or a page that
//! draws an image and whose text layer is a few stray characters (a page number, a scanner's
//! stamp) wherever it is. A PDF with no text at all is skipped as a scan when OCR cannot run,
//! so the report tells the archivist which files need it. A file cut short (no `%%EOF` in its
//! last kilobyte) keeps whatever text lopdf recovers; with none, it fails as truncated.

use lopdf::{Document, Object, ObjectId};

use super::ocr::Ocr;
use super::{Extracted, Rejection};

/// Decompressed content one page may expand to: a small stream cannot inflate without bound.
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// Letters and digits below which a page's text layer is stray characters, not its text.
const STRAY_CHARACTERS: usize = 40;

pub fn extract(bytes: &[u8], ocr: &Ocr) -> Result<Extracted, Rejection> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Rejection::Fail("not a PDF (no %PDF- header)".into()));
    }
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
    let no_text = texts.iter().all(|t| t.trim().is_empty());
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    if no_text && truncated {
        return Err(Rejection::Fail(
            "truncated PDF (no %%EOF at the end, and no readable text before it)".into(),
        ));
    }
    let scans: Vec<usize> = (0..pages.len())
        .filter(|&i| {
            let stray = texts[i].chars().filter(|c| c.is_alphanumeric()).count() < STRAY_CHARACTERS;
            stray && (no_text || draws_an_image(&document, pages[i].1))
        })
        .collect();
    let mut confidence = None;
    if !scans.is_empty() {
        let numbers: Vec<u32> = scans.iter().map(|&i| pages[i].0).collect();
        match ocr.pdf_pages(bytes, &numbers) {
            Ok(readings) => {
                let (mut sum, mut chars) = (0.0f64, 0usize);
                for (&i, reading) in scans.iter().zip(readings) {
                    let n = reading.text.chars().filter(|c| !c.is_whitespace()).count();
                    sum += f64::from(reading.confidence) * n as f64;
                    chars += n;
                    texts[i] = reading.text.trim_end_matches(['\u{c}', '\n']).to_string();
                }
                confidence = Some(if chars > 0 {
                    (sum / chars as f64) as f32
                } else {
                    0.0
                });
            }
            Err(Rejection::Skip(why)) if no_text => {
                return Err(Rejection::Skip(format!(
                    "PDF without a text layer ({} pages): {why}",
                    pages.len()
                )));
            }
            // Pages with a few stray characters keep them when OCR cannot run.
            Err(Rejection::Skip(_)) => {}
            Err(failed) => return Err(failed),
        }
    }
    let info = |key: &[u8]| info_string(&document, key);
    Ok(Extracted {
        text: texts.join("\u{c}"),
        title: info(b"Title"),
        author: info(b"Author"),
        date: info(b"CreationDate").map(|d| pdf_date(&d)),
        ocr: confidence,
        ..Extracted::default()
    })
}

/// Whether a page draws an image of its own (a scan does).
fn draws_an_image(document: &Document, page: ObjectId) -> bool {
    document
        .get_page_images(page)
        .is_ok_and(|images| !images.is_empty())
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
