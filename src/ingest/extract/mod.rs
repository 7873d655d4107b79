//! Bytes in, normalized text out: one module per format, chosen by file name and content.
//!
//! Every outcome is explicit: [`Extracted`] documents (one per file, or one per message of an
//! mbox), or a [`Rejection`] that says whether the file was passed over on purpose (binary,
//! empty, unsupported) or could not be read as what it claims to be (a truncated PDF, a corrupt
//! DOCX). A format module that panics on hostile input is caught here and reported as a failure
//! of that one file.
//!
//! [`decode`] turns bytes in any encoding into text; [`text`], [`html`], [`pdf`], [`office`] (DOCX,
//! ODT, EPUB), [`sheets`] (XLSX, ODS), [`slides`] (PPTX, ODP), [`rtf`], [`xml`], [`email`] (.eml, .mbox) and
//! [`msg`] (Outlook) read a format each; `zipped` reads the parts of the ZIP-based formats within
//! limits; [`container`] opens ZIP, tar and gzip files and e-mail attachments, member by member.
//! [`garbled`] tells text from garbage (a PDF's unusable text layer); `program` runs the helper
//! programs (poppler, Tesseract) within bounds, in private scratch folders.

pub mod container;
pub mod decode;
pub mod email;
pub(crate) mod garbled;
pub mod html;
pub mod msg;
pub mod ocr;
pub mod office;
pub mod pdf;
pub mod piece;
mod program;
pub mod pst;
pub mod rtf;
pub mod sheets;
pub mod slides;
pub mod text;
mod watched;
pub mod xml;
mod zipped;

use std::path::Path;

use thiserror::Error;

use crate::analysis::normalize;
use container::{Nesting, Unpacked};

/// The formats read, by what the file name and the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Pdf,
    Docx,
    Odt,
    Xlsx,
    Ods,
    Pptx,
    Odp,
    Rtf,
    Msg,
    /// A scan or photo of a page: read by OCR.
    Image,
    Epub,
    Xml,
    Eml,
    Mbox,
    /// Outlook's PST and OST data files.
    Pst,
    Zip,
    Tar,
    TarGz,
    Gz,
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
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Pptx => "pptx",
            Format::Odp => "odp",
            Format::Rtf => "rtf",
            Format::Msg => "msg",
            Format::Image => "image",
            Format::Epub => "epub",
            Format::Xml => "xml",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
            Format::Pst => "pst",
            Format::Zip => "zip",
            Format::Tar => "tar",
            Format::TarGz => "tar.gz",
            Format::Gz => "gz",
        }
    }

    /// The format a file name promises; files without an extension are sniffed as text.
    /// `None`: not a document format this program reads.
    pub fn of_path(path: &Path) -> Option<Format> {
        let Some(ext) = path.extension() else {
            return Some(Format::Text);
        };
        let ext = ext.to_str()?.to_ascii_lowercase();
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".tar.gz") || ext == "tgz" {
            return Some(Format::TarGz);
        }
        Some(match ext.as_str() {
            "txt" | "text" | "md" | "markdown" | "csv" | "tsv" | "log" | "rst" | "org" => {
                Format::Text
            }
            "html" | "htm" | "xhtml" | "xht" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "xlsx" => Format::Xlsx,
            "ods" => Format::Ods,
            "pptx" => Format::Pptx,
            "odp" => Format::Odp,
            "rtf" => Format::Rtf,
            "msg" => Format::Msg,
            "tif" | "tiff" | "png" | "jpg" | "jpeg" | "jp2" | "bmp" | "gif" | "webp" => {
                Format::Image
            }
            "epub" => Format::Epub,
            "xml" | "tei" => Format::Xml,
            "eml" => Format::Eml,
            "mbox" | "mbx" => Format::Mbox,
            "pst" | "ost" => Format::Pst,
            "zip" => Format::Zip,
            "tar" => Format::Tar,
            "gz" => Format::Gz,
            _ => return None,
        })
    }

    /// Whether files are inside it: a container's members, an e-mail's attachments.
    pub fn holds_files(self) -> bool {
        matches!(
            self,
            Format::Zip
                | Format::Tar
                | Format::TarGz
                | Format::Gz
                | Format::Eml
                | Format::Mbox
                | Format::Pst
                | Format::Msg
        )
    }

    /// The format the content shows, for files whose name says nothing (no extension).
    pub fn sniff(bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(512)];
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        let start = lower.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with(b"%PDF-") {
            Format::Pdf
        } else if head.starts_with(b"{\\rtf") {
            Format::Rtf
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
    /// The e-mail addresses a message was from and to (From, To, Cc, Bcc), which its text
    /// may not repeat.
    pub addresses: Vec<String>,
    /// A date from the format's metadata, as written there (RFC 3339 when the format has it).
    pub date: Option<String>,
    /// The encoding text was decoded from, for formats that are not always UTF-8.
    pub encoding: Option<&'static str>,
    /// Which document of the file this is: `message 3` of an mbox, or the path of a container
    /// member or an attachment after `!/` (`!/letters/1947.docx`, `!/inner.zip!/a.txt`);
    /// `None` for most files.
    pub part: Option<String>,
    /// The document's own format where it differs from the file's (a container's member).
    pub format: Option<Format>,
    /// Tesseract's mean confidence (0-100) when any of the text was read by OCR.
    pub ocr: Option<f32>,
    /// The Tesseract models that read it (`["kor", "eng"]`), in the order first used.
    pub ocr_models: Vec<String>,
    /// Pages whose text layer was garbled, and what became of each.
    pub reread: Vec<Reread>,
    /// An e-mail message's links to others (see [`crate::thread`]): set for messages only,
    /// which are all that threads join.
    pub mail: Option<crate::thread::Mail>,
    /// For a document attached to a message (an attachment, a member of an attached archive,
    /// a forwarded message): which document of the file that message is.
    pub attached_to: Option<MessagePart>,
}

/// The `part` of the message a document is attached to (`None`: the file's own document, an
/// `.eml`'s message). Nesting in a container rewrites it as it rewrites the documents' parts,
/// so it keeps naming the same document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagePart(pub Option<String>);

/// Marks `attached` (the documents read from a message's attachments, with their parts at the
/// message's level) as going with the message whose part is `message`; those already going
/// with a message nested deeper keep it.
pub fn attach(attached: &mut [Extracted], message: Option<&str>) {
    for doc in attached {
        doc.attached_to
            .get_or_insert_with(|| MessagePart(message.map(str::to_string)));
    }
}

/// A page of a PDF whose text layer was judged garbled (not text in any language), and so
/// read by OCR.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reread {
    /// Its number, from 1.
    pub page: u32,
    /// Why its text layer was not taken as it was.
    pub reason: &'static str,
    pub kept: Kept,
}

/// What a page whose text layer was garbled holds in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// The OCR reading.
    Ocr,
    /// Its text layer: OCR read the same, so the judgement was wrong.
    TextLayer,
    /// Nothing: OCR could not run, and garbage is not indexed.
    Nothing,
}

/// The path, inside its innermost container, of the member a document's `part` names
/// (`!/inner.zip!/letters/1947.txt` -> `letters/1947.txt`); `None` for a part that is not a
/// member (`message 3` of an mbox).
pub fn member_path(part: &str) -> Option<&str> {
    part.strip_prefix("!/")?.rsplit("!/").next()
}

/// A member of a container, or an attachment, that could not be read: skipped (unsupported,
/// too large, empty) or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberProblem {
    /// Its path inside the file (`letters/photo.jpg`, `inner.zip!/a.jpg`).
    pub member: String,
    pub rejection: Rejection,
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

/// What a file's reader reads: its bytes, or, for a PDF that poppler reads from disk, its path
/// (and its SHA-256, which names its pages in the OCR cache).
pub enum Input {
    Bytes(Vec<u8>),
    PdfFile {
        path: std::path::PathBuf,
        sha256: String,
    },
}

/// The file's format and its documents.
#[derive(Debug)]
pub struct Extraction {
    pub format: Format,
    pub documents: Vec<Extracted>,
    /// Members and attachments that could not be read, each reported on its own.
    pub problems: Vec<MemberProblem>,
}

/// Extracts the documents of a file: `format` is what its name promised (`Text` for no
/// extension, which is sniffed further). The reader runs [`watched`](watched::watched): past
/// `cpu` of its own CPU time, or if it panics, the file fails and the batch goes on. The file's
/// bytes are dropped as soon as its reader is done with them, before the text is normalized: for
/// a 40 MB text, the bytes, the text read and the normalized text are never all held at once.
pub fn extract(
    format: Format,
    input: Input,
    name: &str,
    ocr: &ocr::Ocr,
    cpu: std::time::Duration,
) -> Result<Extraction, Rejection> {
    let format = match (&input, format) {
        (Input::Bytes(bytes), _) if bytes.is_empty() => {
            return Err(Rejection::Skip("empty file".into()));
        }
        (Input::Bytes(bytes), Format::Text) => Format::sniff(bytes),
        (_, format) => format,
    };
    let (name, ocr) = (name.to_string(), ocr.clone());
    let run = move || {
        let mut nesting = Nesting::default();
        nesting.ocr = ocr;
        match input {
            Input::Bytes(bytes) => {
                let documents = read_nested(format, &bytes, &name, &mut nesting);
                drop(bytes);
                documents
            }
            Input::PdfFile { path, sha256 } => {
                pdf::extract_file(&path, &sha256, &nesting.ocr).map(|doc| Unpacked {
                    documents: vec![doc],
                    problems: Vec::new(),
                })
            }
        }
    };
    // The property tests below make sure no reader panics on the inputs they try, since the
    // watcher would hide it. What a reader shares with others (OCR's hooks, counters and cache)
    // holds no state a panic or an abandoned reader could break.
    let documents = watched::watched("reader", cpu, run)
        .map_err(|overrun| Rejection::Fail(overrun_reason(format, cpu, overrun)))??;
    let problems = documents.problems;
    let documents: Vec<Extracted> = documents
        .documents
        .into_iter()
        .map(finish)
        .filter(|d| !d.text.is_empty())
        .collect();
    if documents.is_empty() {
        return Err(Rejection::Skip(if problems.is_empty() {
            "no text".into()
        } else {
            format!("no text in any of its files ({})", why_not(&problems))
        }));
    }
    Ok(Extraction {
        format,
        documents,
        problems,
    })
}

/// Why the reader of a file (or a message) of `format` did not finish.
fn overrun_reason(format: Format, cpu: std::time::Duration, overrun: watched::Overrun) -> String {
    match overrun {
        watched::Overrun::Crashed => format!(
            "the {} reader crashed on this file (malformed content)",
            format.name()
        ),
        watched::Overrun::Cpu(used) => format!(
            "the {} reader was stopped after {:.0} s of work on this file (the limit is {:.0} s, \
             see --max-read-time)",
            format.name(),
            used.as_secs_f64(),
            cpu.as_secs_f64()
        ),
        watched::Overrun::Wall(waited) => format!(
            "the {} reader was stopped after {:.0} s without an answer",
            format.name(),
            waited.as_secs_f64()
        ),
        watched::Overrun::NoThread(e) => format!("cannot start a reader: {e}"),
    }
}

/// Why no member gave text, counted by reason, the commonest first (at most three):
/// `50000: empty file`, `2: unsupported format (.exe), 1: corrupt DOCX (…)`.
fn why_not(problems: &[MemberProblem]) -> String {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for problem in problems {
        *counts.entry(problem.rejection.to_string()).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let shown: Vec<String> = counts
        .iter()
        .take(3)
        .map(|(reason, n)| format!("{n}: {reason}"))
        .collect();
    let more = counts.len().saturating_sub(3);
    if more > 0 {
        format!("{}, and {more} other reasons", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The documents `format`'s reader finds in `bytes` (a file named `name`), before
/// normalization, and the members it could not read; without OCR.
#[cfg(test)]
fn read_as(format: Format, bytes: &[u8], name: &str) -> Result<Unpacked, Rejection> {
    read_nested(format, bytes, name, &mut Nesting::default())
}

/// The documents `format`'s reader finds in `bytes` (a file named `name`, or a member or an
/// attachment of one), before normalization, and the members it could not read: `nesting`
/// carries how scans are read, the depth, and what is left of the outermost file's budget.
fn read_nested(
    format: Format,
    bytes: &[u8],
    name: &str,
    nesting: &mut Nesting,
) -> Result<Unpacked, Rejection> {
    let one = |doc: Result<Extracted, Rejection>| {
        doc.map(|doc| Unpacked {
            documents: vec![doc],
            problems: Vec::new(),
        })
    };
    match format {
        Format::Text => one(text::extract(bytes)),
        Format::Html => one(html::extract(bytes)),
        Format::Pdf => one(pdf::extract(bytes, &nesting.ocr)),
        Format::Docx => one(office::extract_docx(bytes)),
        Format::Odt => one(office::extract_odt(bytes)),
        Format::Xlsx => one(sheets::extract_xlsx(bytes)),
        Format::Ods => one(sheets::extract_ods(bytes)),
        Format::Pptx => one(slides::extract_pptx(bytes)),
        Format::Odp => one(slides::extract_odp(bytes)),
        Format::Rtf => one(rtf::extract(bytes)),
        Format::Msg => msg::extract(bytes, nesting),
        Format::Image => one(nesting.ocr.image(bytes, name).map(|reading| Extracted {
            text: reading.text,
            ocr: Some(reading.confidence),
            ocr_models: reading.models,
            ..Extracted::default()
        })),
        Format::Epub => one(office::extract_epub(bytes)),
        Format::Xml => one(xml::extract(bytes)),
        Format::Eml => email::extract_eml(bytes, nesting),
        Format::Mbox => email::extract_mbox(bytes, nesting),
        Format::Pst => pst_member(bytes, nesting),
        Format::Zip | Format::Tar | Format::TarGz | Format::Gz => {
            container::unpack(format, bytes, name, nesting)
        }
    }
}

/// A PST inside a container or attached to a message: written to a scratch folder (the reader
/// walks a file) and read whole, within the member's bounds.
fn pst_member(bytes: &[u8], nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let scratch = program::Scratch::new()?;
    let path = scratch.file("member.pst", bytes)?;
    let mut items = Vec::new();
    let mut failed = None;
    pst::walk(&path, 0, container::MAX_MEMBER_BYTES, &mut |walked| {
        match walked {
            pst::Walked::Item(item) => items.push(item),
            pst::Walked::Failed(why) => failed = Some(why),
            pst::Walked::Done => {}
        }
        true
    });
    if let Some(why) = failed {
        return Err(Rejection::Fail(why));
    }
    let mut out = Unpacked::default();
    for item in &items {
        let read = pst::documents(item, nesting)?;
        out.documents.extend(read.documents);
        out.problems.extend(read.problems);
    }
    Ok(out)
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

    #[test]
    fn a_file_without_text_says_why_by_reason() {
        let problem = |member: &str, rejection: Rejection| MemberProblem {
            member: member.into(),
            rejection,
        };
        let mut problems: Vec<MemberProblem> = (0..5)
            .map(|i| problem(&format!("m{i}.txt"), Rejection::Skip("empty file".into())))
            .collect();
        problems.push(problem(
            "a.exe",
            Rejection::Skip("unsupported format (.exe)".into()),
        ));
        assert_eq!(
            why_not(&problems),
            "5: empty file, 1: unsupported format (.exe)"
        );
        for reason in ["b", "c", "d"] {
            problems.push(problem(reason, Rejection::Fail(reason.into())));
        }
        assert_eq!(
            why_not(&problems),
            "5: empty file, 1: b, 1: c, and 2 other reasons"
        );
    }

    /// One well-formed file of each format (`tests/fixtures/formats/`).
    const SAMPLES: [(Format, &str); 10] = [
        (Format::Text, "hikiage-sjis.html"),
        (Format::Html, "repatriation.html"),
        (Format::Pdf, "roster.pdf"),
        (Format::Docx, "diary.docx"),
        (Format::Odt, "memoir.odt"),
        (Format::Epub, "memoir.epub"),
        (Format::Xml, "letter.xml"),
        (Format::Eml, "letter.eml"),
        (Format::Mbox, "offices.mbox"),
        // An EPUB is a ZIP: read as one, its chapters are members.
        (Format::Zip, "memoir.epub"),
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
            let read = read_as(format, &sample(name), name);
            assert!(read.is_ok(), "{name}: {:?}", read.err());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// No reader panics on arbitrary bytes, read as any format.
        #[test]
        fn no_reader_panics_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..4096)) {
            for format in SAMPLES.map(|(f, _)| f).into_iter().chain([
                Format::Tar,
                Format::TarGz,
                Format::Gz,
                Format::Xlsx,
                Format::Ods,
                Format::Pptx,
                Format::Odp,
                Format::Rtf,
                Format::Msg,
            ]) {
                let _ = read_as(format, &bytes, "file");
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
            let _ = read_as(format, &bytes, "file");
        }
    }
}
