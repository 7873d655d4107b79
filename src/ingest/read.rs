//! One file read from disk into documents ready for the writer: read (bounded), hash, extract,
//! detect.
//!
//! Runs on the worker threads; everything here is per file and independent of the index.

use std::fs::File;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::changes::Work;
use super::discover::SourceFile;
use super::extract::ocr::Ocr;
use super::extract::{self, Format, Input, MemberProblem, Rejection};
use super::language::{Detector, Languages};
use super::pieces::{self, Cutter, Kind, Piece, Start};
use crate::digest::hex;
use crate::entities::{self, Entities, Kind as EntityKind, Region, dates};
use crate::near::Signature;

/// A file ready to be written: one document for most formats, one per message of an mbox, one
/// per member of a container or attachment of an e-mail.
#[derive(Debug)]
pub struct ReadFile {
    pub file: SourceFile,
    pub sha256: String,
    pub format: Format,
    pub documents: Vec<ReadDocument>,
    /// Members and attachments that could not be read, each reported on its own.
    pub problems: Vec<MemberProblem>,
    /// The file was indexed before with the same content (only its mtime moved).
    pub same_content: bool,
    /// It replaces an earlier version in the index.
    pub replaces: bool,
}

#[derive(Debug)]
pub struct ReadDocument {
    pub title: String,
    pub text: String,
    pub languages: Languages,
    /// E-mail addresses, URLs, domains, phone numbers and IBANs written in it.
    pub entities: Entities,
    /// The dates written in it (see [`dates::Date::key`]), each once, and the years it mentions.
    pub dates: Vec<u64>,
    pub years: Vec<u64>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub encoding: Option<&'static str>,
    pub part: Option<String>,
    /// Its format: the file's, or a member's own.
    pub format: Format,
    /// Tesseract's mean confidence when any of the text was read by OCR.
    pub ocr: Option<f32>,
    /// The Tesseract models that read it.
    pub ocr_models: Vec<String>,
    /// Pages whose text layer was garbled.
    pub reread: Vec<extract::Reread>,
    /// Its text's MinHash signature, for near-duplicates; none for a short text.
    pub near: Option<Signature>,
    /// An e-mail message's links to others (see [`crate::thread`]).
    pub mail: Option<crate::thread::Mail>,
    /// For a document attached to a message: which document of the file that message is.
    pub attached_to: Option<extract::MessagePart>,
}

impl ReadFile {
    /// Bytes of text over all documents.
    pub fn text_bytes(&self) -> u64 {
        self.documents.iter().map(|d| d.text.len() as u64).sum()
    }
}

/// What a file may cost its reader.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Larger files are skipped (`--max-file-size`).
    pub max_size: u64,
    /// CPU time of the reader on one file (`--max-read-time`).
    pub read_time: Duration,
}

/// A text with a line longer than this is not read: it is not prose, and its one line would be
/// held, decoded and normalized whole.
pub const MAX_LINE: u64 = 16 << 20;

/// A text larger than this is read in parts of its lines (see [`pieces`]); a smaller one is
/// one document.
pub const WHOLE_TEXT_BYTES: u64 = 16 << 20;

/// A file being read in pieces: what cuts them, and what every piece's documents share.
pub struct Stream {
    pub cutter: Cutter,
    pub about: Arc<StreamAbout>,
}

/// What the documents of every piece of a file share, and where its reading started.
#[derive(Debug)]
pub struct StreamAbout {
    pub sha256: String,
    pub format: Format,
    /// `None`: the content is the one indexed (only the mtime moved), and no piece is cut.
    pub start: Option<Start>,
    /// A text's encoding, as its beginning shows it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// How a file read in pieces is cut, and for a text, the encoding its beginning shows.
#[derive(Debug, Clone, Copy)]
pub struct Pieces {
    pub kind: Kind,
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl From<Kind> for Pieces {
    fn from(kind: Kind) -> Pieces {
        Pieces {
            kind,
            encoding: None,
        }
    }
}

/// How a file is to be read: `None` whole (most formats), or in pieces: a mailbox, a PST, a
/// UTF-8 XML file or a text over [`WHOLE_TEXT_BYTES`], whose first bytes tell a mailbox without
/// its extension (Thunderbird's) from a text, and the text's encoding.
pub fn pieces_of(work: &Work) -> Result<Option<Pieces>, Rejection> {
    let file = &work.file;
    match Format::of_path(&file.path) {
        Some(Format::Mbox) => return Ok(Some(Kind::Mailbox.into())),
        Some(Format::Pst) => return Ok(Some(Kind::Outlook.into())),
        // A large XML file in UTF-8 streams; in another encoding it is read whole.
        Some(Format::Xml) if file.size > WHOLE_TEXT_BYTES => {
            let head = read_head(file)?;
            let utf8 = extract::xml::declared_encoding(&head)
                .is_none_or(|e| e.eq_ignore_ascii_case("utf-8") || e.eq_ignore_ascii_case("utf8"));
            let bom16 =
                encoding_rs::Encoding::for_bom(&head).is_some_and(|(e, _)| e != encoding_rs::UTF_8);
            return Ok((utf8 && !bom16).then_some(Kind::Markup.into()));
        }
        // A small text is read whole, a mailbox without its extension too (see `extract`).
        Some(Format::Text) if file.size > WHOLE_TEXT_BYTES => {}
        _ => return Ok(None),
    }
    let head = read_head(file)?;
    if head.starts_with(b"From ") {
        return Ok(Some(Kind::Mailbox.into()));
    }
    let sniffed = &head[..head.len().min(extract::text::SNIFF_BYTES)];
    let utf16 = encoding_rs::Encoding::for_bom(&head).is_some_and(|(e, _)| e != encoding_rs::UTF_8)
        || extract::decode::utf16_without_bom(&head).is_some();
    if sniffed.contains(&0) && !utf16 {
        // Read no further: a large file of zeros is not a text to cut into lines.
        return Err(Rejection::Skip("binary file (contains NUL bytes)".into()));
    }
    // UTF-16 cannot be cut at a line's byte, and lines that end in `\r` alone (old Mac files)
    // are not cut at all: such texts stay whole, within --max-file-size.
    let cr_only = head.contains(&b'\r') && !head.contains(&b'\n');
    if Format::sniff(&head) != Format::Text || utf16 || cr_only {
        return Ok(None);
    }
    // Whole lines: a character cut at the end would make valid UTF-8 look otherwise.
    let whole = memchr::memrchr(b'\n', &head).map_or(&head[..], |i| &head[..=i]);
    let found = extract::decode::decode(whole, None).encoding;
    Ok(Some(Pieces {
        kind: Kind::Lines,
        encoding: encoding_rs::Encoding::for_label(found.as_bytes()),
    }))
}

/// Surveys a file to be read in pieces (see [`pieces::survey`]) and opens it where reading
/// starts; a message over `bounds.max_size` is left out.
pub fn open_pieces(work: &Work, pieces: Pieces, bounds: Bounds) -> Result<Stream, Rejection> {
    let (file, kind) = (&work.file, pieces.kind);
    let survey = pieces::survey(work, kind)?;
    let start = survey.start.unwrap_or(Start {
        offset: file.size,
        count: 0,
        fresh: false,
    });
    let cutter = Cutter::open(work, kind, start, bounds.max_size, bounds.read_time)
        .map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?;
    Ok(Stream {
        cutter,
        about: Arc::new(StreamAbout {
            sha256: survey.sha256,
            format: match kind {
                Kind::Mailbox => Format::Mbox,
                Kind::Lines => Format::Text,
                Kind::Outlook => Format::Pst,
                Kind::Markup => Format::Xml,
            },
            start: survey.start,
            encoding: pieces.encoding,
        }),
    })
}

/// The first bytes of a file, which tell a mailbox or a text's encoding.
fn read_head(file: &SourceFile) -> Result<Vec<u8>, Rejection> {
    let handle =
        File::open(&file.path).map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    handle
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Rejection::Fail(format!("cannot read: {e}")))?;
    Ok(head)
}

/// Bytes [`read_head`] reads.
const HEAD_BYTES: usize = 64 << 10;

/// A piece of a file read in pieces, ready to be written.
#[derive(Debug)]
pub struct ReadPiece {
    pub seq: u64,
    pub last: bool,
    pub end: u64,
    /// Messages, lines, XML parts or PST items before it, and in it.
    pub count: u64,
    pub counted: u64,
    pub documents: Vec<ReadDocument>,
    pub problems: Vec<MemberProblem>,
    /// A mailbox's: each message's part, in order (`None` for one that could not be read).
    pub parts: Vec<Option<String>>,
    /// Bytes of the file it spans.
    pub bytes: u64,
}

/// What a document's text is read for besides its words, on the reader's thread: its
/// languages, its near-duplicates' signature, and the entities written in it, national phone
/// numbers read as `phone_region`'s (`--phone-region`), else as the country of the document's
/// language.
#[derive(Clone, Copy)]
pub struct Analysis<'a> {
    pub detector: &'a Detector,
    pub phone_region: Option<Region>,
    /// `--date-order`: how `07/12/1946` reads, else by the document's language.
    pub date_order: Option<dates::Order>,
}

/// Reads a piece's documents: extract, detect.
pub fn read_piece(
    work: &Work,
    about: &StreamAbout,
    piece: Piece,
    analysis: Analysis<'_>,
    bounds: Bounds,
    ocr: &Ocr,
) -> ReadPiece {
    let name = file_name(&work.file);
    let spans = piece.end - piece.start;
    let last = piece.last;
    let (extracted, mut problems, parts) = match about.format {
        Format::Mbox => {
            let read = extract::piece::messages(piece.bytes, piece.start, ocr, bounds.read_time);
            (read.documents, read.problems, read.parts)
        }
        Format::Pst => {
            let read = extract::piece::outlook(piece.items, ocr, bounds.read_time);
            (read.documents, read.problems, read.parts)
        }
        Format::Xml => {
            let part = format!("bytes {}-{}", piece.start, piece.end);
            let doc = extract::piece::xml_text(piece.bytes, &part);
            (doc.into_iter().collect(), Vec::new(), Vec::new())
        }
        _ => {
            let first = piece.count + 1;
            match extract::piece::lines(&piece.bytes, first, piece.counted, about.encoding) {
                Ok(doc) => (vec![doc], Vec::new(), Vec::new()),
                Err(rejection) => {
                    let member = format!("lines {first}-{}", first + piece.counted.max(1) - 1);
                    (
                        Vec::new(),
                        vec![MemberProblem { member, rejection }],
                        Vec::new(),
                    )
                }
            }
        }
    };
    problems.extend(piece.problems);
    ReadPiece {
        seq: piece.seq,
        last: piece.last,
        end: piece.end,
        count: piece.count,
        counted: piece.counted,
        documents: documents(extracted, about.format, &name, analysis),
        problems,
        parts,
        // An Outlook file's pieces span no bytes of it: its last counts them all.
        bytes: match about.format {
            Format::Pst if last => work.file.size,
            _ => spans,
        },
    }
}

/// The name documents without a title of their own take.
fn file_name(file: &SourceFile) -> String {
    file.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.key.clone())
}

/// Extracted documents with their languages detected and their entities found; a member
/// titled by its own name when it has no title, the others by the file's.
fn documents(
    extracted: Vec<extract::Extracted>,
    format: Format,
    name: &str,
    analysis: Analysis<'_>,
) -> Vec<ReadDocument> {
    let file_name = |part: Option<&str>| {
        part.and_then(extract::member_path)
            .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
            .unwrap_or_else(|| name.to_string())
    };
    extracted
        .into_iter()
        .map(|doc| {
            let found = analysis.of(&doc);
            ReadDocument {
                title: doc.title.unwrap_or_else(|| file_name(doc.part.as_deref())),
                format: doc.format.unwrap_or(format),
                languages: found.languages,
                entities: found.entities,
                dates: found.dates,
                years: found.years,
                near: found.near,
                text: doc.text,
                author: doc.author,
                date: doc.date,
                encoding: doc.encoding,
                part: doc.part,
                ocr: doc.ocr,
                ocr_models: doc.ocr_models,
                reread: doc.reread,
                mail: doc.mail,
                attached_to: doc.attached_to,
            }
        })
        .collect()
}

/// What [`Analysis`] finds in a document's text.
struct Found {
    languages: Languages,
    entities: Entities,
    dates: Vec<u64>,
    years: Vec<u64>,
    near: Option<Signature>,
}

impl Analysis<'_> {
    /// A document's languages, entities (a message's correspondents among its addresses),
    /// dates and years.
    fn of(&self, doc: &extract::Extracted) -> Found {
        let languages = self.detector.detect(&doc.text);
        let region = self
            .phone_region
            .or_else(|| Region::of_text(&languages.main, &doc.text));
        let mut entities = Entities::in_text(&doc.text, region);
        for address in &doc.addresses {
            let Some(address) = entities::normalize(EntityKind::Email, address) else {
                continue;
            };
            let host = address.rsplit('@').next().unwrap_or_default();
            if let Some(domain) = entities::normalize(EntityKind::Domain, host) {
                entities.add(EntityKind::Domain, domain);
            }
            entities.add(EntityKind::Email, address);
        }
        let order = self
            .date_order
            .unwrap_or_else(|| dates::Order::of_language(&languages.main));
        let written = dates::find(&doc.text, order);
        let years = dates::years(&doc.text, &written);
        let mut dates: Vec<u64> = written.iter().map(|(d, _)| d.key()).collect();
        dates.sort_unstable();
        dates.dedup();
        dates.truncate(entities::MAX_PER_KIND);
        Found {
            languages,
            entities,
            dates,
            years,
            near: Signature::of(&doc.text),
        }
    }
}

/// Reads a file whole, within `--max-file-size`.
pub fn read_file(
    work: &Work,
    analysis: Analysis<'_>,
    bounds: Bounds,
    ocr: &Ocr,
) -> Result<ReadFile, Rejection> {
    let file = &work.file;
    let max_size = bounds.max_size;
    let format =
        Format::of_path(&file.path).ok_or_else(|| Rejection::Skip("unsupported format".into()))?;
    if format == Format::Text && file.size > MAX_LINE {
        refuse_long_lines(file)?;
    }
    // poppler reads a PDF from its file, a page at a time: it is never held whole.
    let from_disk = format == Format::Pdf && file.size > 0 && extract::pdf::poppler_installed();
    let (input, sha256) = if from_disk {
        let sha256 = hash_file(file)?;
        let path = file.path.clone();
        let input = Input::PdfFile {
            path,
            sha256: sha256.clone(),
        };
        (input, sha256)
    } else {
        if file.size > max_size {
            return Err(too_large(file.size, max_size));
        }
        let bytes = read_bounded(file, max_size)?;
        let sha256 = hex(&Sha256::digest(&bytes));
        (Input::Bytes(bytes), sha256)
    };
    let name = file_name(file);
    let extraction = extract::extract(format, input, &name, ocr, bounds.read_time)?;
    let documents = documents(extraction.documents, extraction.format, &name, analysis);
    Ok(ReadFile {
        file: file.clone(),
        same_content: work.previous.as_ref().is_some_and(|p| p.sha256 == sha256),
        replaces: work.previous.is_some(),
        sha256,
        format: extraction.format,
        documents,
        problems: extraction.problems,
    })
}

/// Why a file read whole is not read: over `--max-file-size`, and the flag that would let
/// it in (megabytes, rounded up).
fn too_large(size: u64, max_size: u64) -> Rejection {
    Rejection::Skip(format!(
        "too large ({size} bytes; the limit is {max_size} for this format, which is read \
         whole: index it with --max-file-size {}M)",
        size.div_ceil(1 << 20)
    ))
}

/// The SHA-256 of a file, read a buffer at a time.
fn hash_file(file: &SourceFile) -> Result<String, Rejection> {
    let mut handle =
        File::open(&file.path).map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?;
    let mut hash = Sha256::new();
    std::io::copy(&mut handle, &mut hash)
        .map_err(|e| Rejection::Fail(format!("cannot read: {e}")))?;
    Ok(hex(&hash.finalize()))
}

/// Fails a text file with a line longer than [`MAX_LINE`], having read no more than that line's
/// first [`MAX_LINE`] bytes, a buffer at a time.
fn refuse_long_lines(file: &SourceFile) -> Result<(), Rejection> {
    let mut handle =
        File::open(&file.path).map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?;
    let mut buffer = vec![0u8; 1 << 20];
    let mut runs = Runs::new(|b| matches!(b, b'\n' | b'\r'));
    let mut at = 0u64;
    loop {
        let n = match handle.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Rejection::Fail(format!("cannot read: {e}"))),
        };
        if runs.longest_after(&buffer[..n]) > MAX_LINE {
            return Err(long_line(at));
        }
        at += n as u64;
    }
}

/// The longest run of bytes between separators (a line between line ends), over buffers read
/// one after another.
pub struct Runs {
    separator: fn(u8) -> bool,
    /// The run the last buffer ended in, and the longest so far.
    run: u64,
    longest: u64,
}

impl Runs {
    pub fn new(separator: fn(u8) -> bool) -> Runs {
        Runs {
            separator,
            run: 0,
            longest: 0,
        }
    }

    /// The longest run so far, counting `buffer`, the next one read.
    pub fn longest_after(&mut self, buffer: &[u8]) -> u64 {
        let mut pieces = buffer.split(|&b| (self.separator)(b));
        // The first piece goes on with the run the last buffer ended in; each other one starts
        // a run, after the one before it ended.
        self.run += pieces.next().map_or(0, |p| p.len() as u64);
        for piece in pieces {
            self.longest = self.longest.max(self.run);
            self.run = piece.len() as u64;
        }
        self.longest.max(self.run)
    }
}

fn long_line(near: u64) -> Rejection {
    Rejection::Fail(format!(
        "a line longer than {} MB (near byte {near}): not a text that can be read",
        MAX_LINE >> 20
    ))
}

/// Reads the whole file, refusing to hold more than `max_size` bytes even if it grew since it
/// was listed.
fn read_bounded(file: &SourceFile, max_size: u64) -> Result<Vec<u8>, Rejection> {
    let handle =
        File::open(&file.path).map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?;
    let mut bytes = Vec::with_capacity(file.size.min(max_size) as usize);
    handle
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Rejection::Fail(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max_size {
        return Err(Rejection::Skip(format!(
            "too large (grew past the limit of {max_size} bytes while being read)"
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(path: &std::path::Path) -> SourceFile {
        SourceFile {
            path: path.to_path_buf(),
            key: path.display().to_string(),
            size: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            mtime: 0,
            folder: ".".into(),
        }
    }

    #[test]
    fn a_large_text_is_cut_into_lines_unless_its_lines_end_in_cr_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.txt");
        let lines = |end: &str| format!("Koan Maru at Maizuru{end}").repeat(900_000);
        let kind_of = |text: String| {
            std::fs::write(&path, text).expect("write");
            let work = Work {
                file: file_of(&path),
                previous: None,
                resume: None,
            };
            pieces_of(&work).map(|p| p.map(|p| (p.kind, p.encoding.map(|e| e.name()))))
        };
        assert_eq!(kind_of(lines("\n")), Ok(Some((Kind::Lines, Some("UTF-8")))));
        assert_eq!(
            kind_of(lines("\r\n")),
            Ok(Some((Kind::Lines, Some("UTF-8"))))
        );
        assert_eq!(kind_of(lines("\r")), Ok(None));
    }

    #[test]
    fn only_a_line_longer_than_the_bound_is_refused_wherever_it_falls() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.txt");
        let max = MAX_LINE as usize;
        // Lines up to the bound, over many buffers, and CRLF endings: read.
        let line = format!("{}\r\n", "x".repeat(max - 1));
        std::fs::write(&path, format!("{line}{line}short\n{line}")).expect("write");
        assert!(refuse_long_lines(&file_of(&path)).is_ok());
        // One line a byte over, between others and across buffer boundaries: refused.
        let long = "y".repeat(max + 1);
        for text in [
            format!("short\n{long}\nshort\n"),
            long.clone(),
            format!("{}\n{long}", "z".repeat(1000)),
        ] {
            std::fs::write(&path, text).expect("write");
            let refused = refuse_long_lines(&file_of(&path));
            assert!(
                matches!(&refused, Err(Rejection::Fail(why)) if why.contains("a line longer")),
                "{refused:?}"
            );
        }
    }
}
