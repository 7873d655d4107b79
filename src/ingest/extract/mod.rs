//! Bytes in, normalized text out: one module per format, chosen by file name and content.
//!
//! Every outcome is explicit: [`Extracted`] documents (one per file, or one per message of an
//! mbox), or a [`Rejection`] that says whether the file was passed over on purpose (binary,
//! empty, unsupported) or could not be read as what it claims to be (a truncated PDF, a corrupt
//! DOCX). A format module that panics on hostile input is caught here and reported as a failure
//! of that one file.
//!
//! [`decode`] turns bytes in any encoding into text; [`text`], [`html`], [`pdf`], [`office`]
//! (DOCX, ODT, EPUB), [`xml`] and [`email`] (.eml, .mbox) read a format each; `zipped` reads
//! the members of the ZIP-based formats within limits.

pub mod decode;
pub mod email;
pub mod html;
pub mod office;
pub mod pdf;
pub mod text;
pub mod xml;
mod zipped;

use std::path::Path;

use thiserror::Error;

use crate::analysis::normalize;

/// The formats read, by what the file name and the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Pdf,
    Docx,
    Odt,
    Epub,
    Xml,
    Eml,
    Mbox,
}

impl Format {
    /// The name stored in the index and shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Epub => "epub",
            Format::Xml => "xml",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
        }
    }

    /// The format a file name promises; files without an extension are sniffed as text.
    /// `None`: not a document format this program reads.
    pub fn of_path(path: &Path) -> Option<Format> {
        let Some(ext) = path.extension() else {
            return Some(Format::Text);
        };
        let ext = ext.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" | "markdown" | "csv" | "tsv" | "log" | "rst" | "org" => {
                Format::Text
            }
            "html" | "htm" | "xhtml" | "xht" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "epub" => Format::Epub,
            "xml" | "tei" => Format::Xml,
            "eml" => Format::Eml,
            "mbox" | "mbx" => Format::Mbox,
            _ => return None,
        })
    }

    /// The format the content shows, for files whose name says nothing (no extension).
    fn sniff(bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(512)];
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        let start = lower.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with(b"%PDF-") {
            Format::Pdf
        } else if head.starts_with(b"From ") {
            Format::Mbox
        } else if start.starts_with("<!doctype html") || start.starts_with("<html") {
            Format::Html
        } else if start.starts_with("<?xml") {
            if lower.contains("<html") {
                Format::Html
            } else {
                Format::Xml
            }
        } else {
            Format::Text
        }
    }
}

/// One document's text and metadata, as a format module produces it.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Normalized text (see [`crate::analysis::normalize()`]): what is stored and searched.
    pub text: String,
    /// A title taken from the content or its metadata.
    pub title: Option<String>,
    pub author: Option<String>,
    /// A date from the format's metadata, as written there (RFC 3339 when the format has it).
    pub date: Option<String>,
    /// The encoding text was decoded from, for formats that are not always UTF-8.
    pub encoding: Option<&'static str>,
    /// Which document of a container this is (`message 3` of an mbox); `None` for most files.
    pub part: Option<String>,
}

/// Why a file produced no text.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum Rejection {
    /// Not an error: the file is not a document this program indexes.
    #[error("{0}")]
    Skip(String),
    /// The file claims to be a document but cannot be read as one.
    #[error("{0}")]
    Fail(String),
}

/// The file's format and its documents.
#[derive(Debug)]
pub struct Extraction {
    pub format: Format,
    pub documents: Vec<Extracted>,
}

/// Extracts the documents of a file: `format` is what its name promised (`Text` for no
/// extension, which is sniffed further). The file's bytes are dropped as soon as its reader is
/// done with them, before the text is normalized: for a 40 MB text, the bytes, the text read
/// and the normalized text are never all held at once.
pub fn extract(format: Format, bytes: Vec<u8>) -> Result<Extraction, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Skip("empty file".into()));
    }
    let format = match format {
        Format::Text => Format::sniff(&bytes),
        other => other,
    };
    let run = || read_as(format, &bytes);
    // A reader that panics fails this one file, not the batch; the property tests below make
    // sure none does on the inputs they try, since this would hide it.
    let documents = std::panic::catch_unwind(run).map_err(|_| {
        Rejection::Fail(format!(
            "the {} reader crashed on this file (malformed content)",
            format.name()
        ))
    })??;
    drop(bytes);
    let documents: Vec<Extracted> = documents
        .into_iter()
        .map(finish)
        .filter(|d| !d.text.is_empty())
        .collect();
    if documents.is_empty() {
        return Err(Rejection::Skip("no text".into()));
    }
    Ok(Extraction { format, documents })
}

/// The documents `format`'s reader finds in `bytes`, before normalization.
fn read_as(format: Format, bytes: &[u8]) -> Result<Vec<Extracted>, Rejection> {
    match format {
        Format::Text => text::extract(bytes).map(|d| vec![d]),
        Format::Html => html::extract(bytes).map(|d| vec![d]),
        Format::Pdf => pdf::extract(bytes).map(|d| vec![d]),
        Format::Docx => office::extract_docx(bytes).map(|d| vec![d]),
        Format::Odt => office::extract_odt(bytes).map(|d| vec![d]),
        Format::Epub => office::extract_epub(bytes).map(|d| vec![d]),
        Format::Xml => xml::extract(bytes).map(|d| vec![d]),
        Format::Eml => email::extract_eml(bytes).map(|d| vec![d]),
        Format::Mbox => email::extract_mbox(bytes),
    }
}

/// Normalizes text and metadata, and falls back to the first short line for a title.
fn finish(mut doc: Extracted) -> Extracted {
    doc.text = normalize(&doc.text);
    let clean = |s: Option<String>| {
        s.map(|s| normalize(&s).replace('\n', " "))
            .filter(|s| !s.is_empty())
    };
    doc.title = clean(doc.title).or_else(|| text::title_of(&doc.text));
    doc.author = clean(doc.author);
    doc.date = clean(doc.date);
    doc
}

/// Whether decoded text looks like binary data: many control characters other than
/// tab, line feed, form feed and carriage return.
pub fn looks_binary(text: &str) -> bool {
    let sample = text.chars().take(8192);
    let (mut total, mut control) = (0usize, 0usize);
    for c in sample {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') || c == '\u{fffd}' {
            control += 1;
        }
    }
    control * 10 > total
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::Index;

    use super::*;

    /// One well-formed file of each format (`tests/fixtures/formats/`).
    const SAMPLES: [(Format, &str); 9] = [
        (Format::Text, "hikiage-sjis.html"),
        (Format::Html, "repatriation.html"),
        (Format::Pdf, "roster.pdf"),
        (Format::Docx, "diary.docx"),
        (Format::Odt, "memoir.odt"),
        (Format::Epub, "memoir.epub"),
        (Format::Xml, "letter.xml"),
        (Format::Eml, "letter.eml"),
        (Format::Mbox, "offices.mbox"),
    ];

    fn sample(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn every_sample_reads() {
        for (format, name) in SAMPLES {
            let read = read_as(format, &sample(name));
            assert!(read.is_ok(), "{name}: {:?}", read.err());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// No reader panics on arbitrary bytes, read as any format.
        #[test]
        fn no_reader_panics_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..4096)) {
            for (format, _) in SAMPLES {
                let _ = read_as(format, &bytes);
            }
        }

        /// No reader panics on a real file of its format with bytes changed and its end cut
        /// off: random bytes rarely get past a ZIP or PDF header, damaged files do.
        #[test]
        fn no_reader_panics_on_damaged_files(
            which in 0..SAMPLES.len(),
            changes in vec((any::<Index>(), any::<u8>()), 0..6),
            keep in any::<Index>(),
        ) {
            let (format, name) = SAMPLES[which];
            let mut bytes = sample(name);
            for (at, byte) in changes {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            bytes.truncate(keep.index(bytes.len() + 1).max(bytes.len() / 2));
            let _ = read_as(format, &bytes);
        }
    }
}
