//! PDF: the text layer of every page, and title, author and date from the document information
//! dictionary. Pages are separated by form feeds, so that a hit can say which page it is on.
//!
//! The text is poppler's ([`poppler`]); on a machine without poppler-utils, lopdf's
//! ([`lopdf_reader`]), which reads some fonts wrong, and the ingest says so once. Each page's
//! text is then judged ([`super::garbled`]): a page whose layer is not text in any language
//! (fonts without a usable encoding) is read by OCR like a scan, and the OCR reading replaces
//! it unless the two agree (then the layer was text after all, and its exact characters are
//! kept); garbage never becomes a document's text, even when OCR cannot run (the page is left
//! out, and the report says so). A page that is a scan is read by OCR: a page with no text
//! layer when the whole file has none, or a page that draws an image and whose text layer is a
//! few stray characters (a page number, a scanner's stamp) wherever it is. A PDF with no text
//! at all is skipped as a scan when OCR cannot run, so the report tells the archivist which
//! files need it. A file cut short (no `%%EOF` in its last kilobyte) keeps whatever text is
//! recovered; with none, it fails as truncated. Words hyphenated at line ends are joined.

mod lopdf_reader;
mod poppler;

use std::collections::HashSet;
use std::path::Path;

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};

use super::garbled::{Garbage, Judgement};
use super::ocr::Ocr;
use super::program::Scratch;
use super::{Extracted, Kept, Rejection, Reread};
use crate::ingest::report::MissingModel;

/// Letters and digits below which a page's text layer is stray characters, not its text.
const STRAY_CHARACTERS: usize = 40;

/// Share of a layer's character pairs an OCR reading of the page must have for the two to
/// agree: OCR misreads a few characters of real text, and shares next to none with garbage.
const AGREEMENT: f64 = 0.5;

/// The text of a PDF as a reader found it: a text per page, and the information dictionary.
pub struct Layer {
    pub pages: Vec<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
}

/// The reader that read the pages, for the questions asked afterwards.
enum Reader<'a> {
    Poppler(&'a std::path::Path),
    Lopdf(Box<lopdf_reader::Parsed>),
}

impl Reader<'_> {
    /// Indexes (from 0) of the pages among `pages` that draw an image of their own.
    fn pages_with_images(&self, pages: &[usize]) -> HashSet<usize> {
        match self {
            Reader::Poppler(path) => poppler::pages_with_images(path, pages)
                .map(|numbers| numbers.into_iter().map(|n| n as usize - 1).collect())
                .unwrap_or_default(),
            Reader::Lopdf(parsed) => pages
                .iter()
                .copied()
                .filter(|&i| parsed.draws_an_image(i))
                .collect(),
        }
    }
}

/// Set when a PDF was read by lopdf because poppler is missing; taken by [`reader_missing`].
static FELL_BACK: AtomicBool = AtomicBool::new(false);
static TOLD: AtomicBool = AtomicBool::new(false);

/// Poppler, once, if a PDF was read without it (so worse): for the ingest to tell.
pub fn reader_missing() -> Option<MissingModel> {
    (FELL_BACK.load(Ordering::Relaxed) && !TOLD.swap(true, Ordering::Relaxed)).then(|| {
        MissingModel {
            wanted_for: "PDF text (lopdf read them instead, and reads some fonts wrong)".into(),
            package: "poppler-utils".into(),
        }
    })
}

/// Why a page goes to OCR.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    Scan,
    Garbled(Garbage),
}

/// A PDF's text from its bytes (a member of a container, an attachment).
pub fn extract(bytes: &[u8], ocr: &Ocr) -> Result<Extracted, Rejection> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Rejection::Fail("not a PDF (no %PDF- header)".into()));
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    // poppler reads a file: the PDF goes to a scratch folder.
    let scratch = poppler::installed().then(Scratch::new).transpose()?;
    let path = match &scratch {
        Some(scratch) => Some(scratch.file("file.pdf", bytes)?),
        None => None,
    };
    let sha256 = crate::digest::hex(&Sha256::digest(bytes));
    let reader = match &path {
        Some(path) => Reader::Poppler(path),
        None => {
            FELL_BACK.store(true, Ordering::Relaxed);
            let (layer, parsed) = lopdf_reader::read(bytes)?;
            return read(
                Reader::Lopdf(Box::new(parsed)),
                layer,
                truncated,
                None,
                &sha256,
                ocr,
            );
        }
    };
    let layer = poppler_layer(&reader, truncated)?;
    read(reader, layer, truncated, path.as_deref(), &sha256, ocr)
}

/// A PDF's text read from its file, which is never held in memory: poppler reads it page by
/// page, so a scanned book of hundreds of megabytes costs what its pages' text does. Only with
/// poppler installed (see [`poppler_installed`]); `sha256` is the file's.
pub fn extract_file(path: &Path, sha256: &str, ocr: &Ocr) -> Result<Extracted, Rejection> {
    let (head, tail) = ends_of(path).map_err(|e| Rejection::Fail(format!("cannot read: {e}")))?;
    if !head.starts_with(b"%PDF-") {
        return Err(Rejection::Fail("not a PDF (no %PDF- header)".into()));
    }
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    let reader = Reader::Poppler(path);
    let layer = poppler_layer(&reader, truncated)?;
    read(reader, layer, truncated, Some(path), sha256, ocr)
}

/// Whether PDFs can be read from their files ([`extract_file`]).
pub fn poppler_installed() -> bool {
    poppler::installed()
}

/// The first 5 and the last 1024 bytes of a file.
fn ends_of(path: &Path) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let mut head = Vec::new();
    (&mut file).take(5).read_to_end(&mut head)?;
    let size = file.metadata()?.len();
    file.seek(SeekFrom::Start(size.saturating_sub(1024)))?;
    let mut tail = Vec::new();
    file.take(1024).read_to_end(&mut tail)?;
    Ok((head, tail))
}

/// poppler's text layer of the PDF `reader` reads.
fn poppler_layer(reader: &Reader<'_>, truncated: bool) -> Result<Layer, Rejection> {
    let Reader::Poppler(path) = reader else {
        return Err(Rejection::Fail("poppler reads a file".into()));
    };
    match poppler::read(path) {
        Ok(layer) => Ok(layer),
        Err(Rejection::Fail(why)) if truncated => Err(Rejection::Fail(format!(
            "truncated PDF (no %%EOF at the end; {why})"
        ))),
        Err(rejection) => Err(rejection),
    }
}

/// The document of a PDF whose text layer `reader` read: pages judged, scans and garbled pages
/// read by OCR (from `path`, where poppler renders them), joined.
fn read(
    reader: Reader<'_>,
    layer: Layer,
    truncated: bool,
    path: Option<&Path>,
    sha256: &str,
    ocr: &Ocr,
) -> Result<Extracted, Rejection> {
    let Layer {
        mut pages,
        title,
        author,
        date,
    } = layer;
    if pages.is_empty() {
        return Err(Rejection::Fail(
            "PDF has no pages (truncated or corrupt)".into(),
        ));
    }
    for page in &mut pages {
        *page = join_hyphenated(page);
    }
    let no_text = pages.iter().all(|t| t.trim().is_empty());
    if no_text && truncated {
        return Err(Rejection::Fail(
            "truncated PDF (no %%EOF at the end, and no readable text before it)".into(),
        ));
    }
    let stray: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].chars().filter(|c| c.is_alphanumeric()).count() < STRAY_CHARACTERS)
        .collect();
    // Only OCR can do anything with a scan: without it, a page of stray characters keeps them
    // and nobody needs to know whether it shows an image (asking costs a pass over the file).
    let with_images = if no_text || stray.is_empty() || matches!(ocr, Ocr::Off) {
        HashSet::new()
    } else {
        reader.pages_with_images(&stray)
    };
    let mut to_read: Vec<(usize, Why)> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if stray.binary_search(&i).is_ok() && (no_text || with_images.contains(&i)) {
            to_read.push((i, Why::Scan));
        } else if let Some(garbage) = Judgement::of(page).garbled() {
            to_read.push((i, Why::Garbled(garbage)));
        }
    }
    let by_ocr = read_by_ocr(&mut pages, &to_read, no_text, (path, sha256), ocr)?;
    drop(reader);
    Ok(Extracted {
        text: pages.join("\u{c}"),
        title,
        author,
        date: date.map(|d| pdf_date(&d)),
        ocr: by_ocr.confidence,
        ocr_models: by_ocr.models,
        reread: by_ocr.reread,
        ..Extracted::default()
    })
}

/// Reads `to_read` (page indexes, and why) by OCR into `pages`: a scan's reading replaces its
/// stray characters, a garbled page's replaces the layer unless the two agree. Without OCR
/// garbled pages are emptied.
fn read_by_ocr(
    pages: &mut [String],
    to_read: &[(usize, Why)],
    no_text: bool,
    (pdf, sha256): (Option<&Path>, &str),
    ocr: &Ocr,
) -> Result<ByOcr, Rejection> {
    let mut reread = Vec::new();
    let mut confidence = None;
    let mut models: Vec<String> = Vec::new();
    if to_read.is_empty() {
        return Ok(ByOcr {
            confidence,
            reread,
            models,
        });
    }
    let numbers: Vec<u32> = to_read.iter().map(|&(i, _)| i as u32 + 1).collect();
    // The script of the pages with a good text layer says what the others are likely in
    // (`to_read` is in page order).
    let script = crate::ingest::language::main_script(
        (0..pages.len())
            .filter(|i| to_read.binary_search_by_key(i, |&(r, _)| r).is_err())
            .map(|i| pages[i].as_str()),
    );
    match ocr.pdf_pages(pdf, (sha256, script), &numbers) {
        Ok(readings) => {
            let (mut sum, mut chars) = (0.0f64, 0usize);
            for (&(i, why), reading) in to_read.iter().zip(readings) {
                let text = reading.text.trim_end_matches(['\u{c}', '\n']).to_string();
                if let Why::Garbled(garbage) = why {
                    let kept = if agree(&pages[i], &text) {
                        Kept::TextLayer
                    } else {
                        Kept::Ocr
                    };
                    reread.push(Reread {
                        page: i as u32 + 1,
                        reason: garbage.describe(),
                        kept,
                    });
                    if kept == Kept::TextLayer {
                        continue;
                    }
                }
                for model in reading.models {
                    if !models.contains(&model) {
                        models.push(model);
                    }
                }
                let n = text.chars().filter(|c| !c.is_whitespace()).count();
                sum += f64::from(reading.confidence) * n as f64;
                chars += n;
                pages[i] = text;
            }
            if chars > 0 || reread.iter().any(|r| r.kept == Kept::Ocr) {
                confidence = Some(if chars > 0 {
                    (sum / chars as f64) as f32
                } else {
                    0.0
                });
            }
        }
        Err(Rejection::Skip(why)) if no_text => {
            return Err(Rejection::Skip(format!(
                "PDF without a text layer ({} pages): {why}",
                pages.len()
            )));
        }
        // A scan that cannot be read fails its file, as it always did.
        Err(failed @ Rejection::Fail(_)) if to_read.iter().any(|&(_, w)| w == Why::Scan) => {
            return Err(failed);
        }
        // Pages with a few stray characters keep them when OCR cannot run; garbled ones
        // are left out (also when OCR fails on them: the file's other pages are text).
        Err(_) => {
            for &(i, why) in to_read {
                if let Why::Garbled(garbage) = why {
                    pages[i].clear();
                    reread.push(Reread {
                        page: i as u32 + 1,
                        reason: garbage.describe(),
                        kept: Kept::Nothing,
                    });
                }
            }
            if pages.iter().all(|t| t.trim().is_empty()) {
                return Err(Rejection::Skip(format!(
                    "PDF whose text layer is garbled ({} pages) and OCR cannot run",
                    reread.len()
                )));
            }
        }
    }
    Ok(ByOcr {
        confidence,
        reread,
        models,
    })
}

/// What OCR made of a PDF's pages.
struct ByOcr {
    /// Tesseract's confidence in the text it gave, when it gave any.
    confidence: Option<f32>,
    /// What became of each garbled page.
    reread: Vec<Reread>,
    /// The models that read the pages kept.
    models: Vec<String>,
}

/// Whether an OCR reading of a page agrees with its text layer: it has most of the layer's
/// pairs of adjacent characters (spaces aside).
fn agree(layer: &str, reading: &str) -> bool {
    let pairs = |text: &str| -> HashSet<(char, char)> {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (layer, reading) = (pairs(layer), pairs(reading));
    !layer.is_empty()
        && layer.intersection(&reading).count() as f64 >= AGREEMENT * layer.len() as f64
}

/// Joins words hyphenated at line ends (`repatri-` / `ation`): at a soft hyphen always, at a
/// hyphen when a letter stands before it and a lower-case letter starts the next line.
fn join_hyphenated(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut lines = page.split('\n');
    let mut current = lines.next().unwrap_or("").to_string();
    for line in lines {
        let next = line.trim_start();
        let trimmed = current.trim_end();
        let mut ends = trimmed.chars().rev();
        let (last, before) = (ends.next(), ends.next());
        let starts_lower = next.chars().next().is_some_and(char::is_lowercase);
        let joins = match (last, before) {
            (Some('\u{ad}'), Some(b)) => b.is_alphabetic() && !next.is_empty(),
            (Some('-' | '\u{2010}'), Some(b)) => b.is_alphabetic() && starts_lower,
            _ => false,
        };
        if let (true, Some(last)) = (joins, last) {
            current.truncate(trimmed.len() - last.len_utf8());
            current.push_str(next);
        } else {
            out.push_str(&current);
            out.push('\n');
            current = line.to_string();
        }
    }
    out.push_str(&current);
    out
}

/// `D:19560101120000+09'00'` (the PDF's) or `1956-01-01T12:00:00+09:00` (poppler's) ->
/// `1956-01-01T12:00:00`; other shapes are kept as written.
fn pdf_date(raw: &str) -> String {
    let digits: String = raw
        .trim_start_matches("D:")
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
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
        assert_eq!(pdf_date("1956-01-01T12:00:00+09:00"), "1956-01-01T12:00:00");
        assert_eq!(pdf_date("sometime"), "sometime");
    }

    #[test]
    fn words_hyphenated_at_line_ends_are_joined() {
        assert_eq!(
            join_hyphenated("the repatri-\nation of in\u{ad}\nterned civilians"),
            "the repatriation of interned civilians"
        );
        // Names and numbers keep their hyphens, and so does a line that ends a sentence.
        assert_eq!(
            join_hyphenated("Franco-\nGerman 1945-\n1956"),
            "Franco-\nGerman 1945-\n1956"
        );
        assert_eq!(join_hyphenated("a -\nb\n\nc"), "a -\nb\n\nc");
        assert_eq!(
            join_hyphenated("tri-\nple-\nhyphen-\nated"),
            "triplehyphenated"
        );
    }

    #[test]
    fn an_ocr_reading_agrees_with_real_text_and_not_with_garbage() {
        let layer = "Military telegram from Hakodate to Otaru, sent at dawn";
        assert!(agree(
            layer,
            "Militarv telegram from Hakodate to 0taru, sent at dawn"
        ));
        assert!(!agree(
            "/HIWFROXPQ DOSKD EHWD JDPPD GHOWD",
            "Leftcolumn alpha beta gamma delta"
        ));
        assert!(!agree("", "anything"));
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
