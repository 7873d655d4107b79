//! One file read from disk into documents ready for the writer: read (bounded), hash, extract,
//! detect.
//!
//! Runs on the worker threads; everything here is per file and independent of the index.

use std::fs::File;
use std::io::Read;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::changes::Work;
use super::discover::SourceFile;
use super::extract::ocr::Ocr;
use super::extract::{self, Format, MemberProblem, Rejection};
use super::language::{Detector, Languages};
use crate::store::hex;

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
    pub author: Option<String>,
    pub date: Option<String>,
    pub encoding: Option<&'static str>,
    pub part: Option<String>,
    /// Its format: the file's, or a member's own.
    pub format: Format,
    /// Tesseract's mean confidence when any of the text was read by OCR.
    pub ocr: Option<f32>,
    /// Pages whose text layer was garbled.
    pub reread: Vec<extract::Reread>,
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

pub fn read_file(
    work: &Work,
    detector: &Detector,
    bounds: Bounds,
    ocr: &Ocr,
) -> Result<ReadFile, Rejection> {
    let file = &work.file;
    let max_size = bounds.max_size;
    if file.size > max_size {
        return Err(Rejection::Skip(format!(
            "too large ({} bytes; the limit is {max_size}, see --max-file-size)",
            file.size
        )));
    }
    let format =
        Format::of_path(&file.path).ok_or_else(|| Rejection::Skip("unsupported format".into()))?;
    if format == Format::Text && file.size > MAX_LINE {
        refuse_long_lines(file)?;
    }
    let bytes = read_bounded(file, max_size)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.key.clone());
    let extraction = extract::extract(format, bytes, &name, ocr, bounds.read_time)?;
    let file_name = |part: Option<&str>| {
        // A member is titled by its own name.
        part.and_then(extract::member_path)
            .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
            .unwrap_or_else(|| name.clone())
    };
    let documents = extraction
        .documents
        .into_iter()
        .map(|doc| ReadDocument {
            title: doc.title.unwrap_or_else(|| file_name(doc.part.as_deref())),
            format: doc.format.unwrap_or(extraction.format),
            languages: detector.detect(&doc.text),
            text: doc.text,
            author: doc.author,
            date: doc.date,
            encoding: doc.encoding,
            part: doc.part,
            ocr: doc.ocr,
            reread: doc.reread,
        })
        .collect();
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

/// Fails a text file with a line longer than [`MAX_LINE`], having read no more than that line's
/// first [`MAX_LINE`] bytes, a buffer at a time.
fn refuse_long_lines(file: &SourceFile) -> Result<(), Rejection> {
    let mut handle =
        File::open(&file.path).map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?;
    let mut buffer = vec![0u8; 1 << 20];
    let (mut line, mut at) = (0u64, 0u64);
    loop {
        let n = match handle.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Rejection::Fail(format!("cannot read: {e}"))),
        };
        let mut pieces = buffer[..n].split(|b| matches!(b, b'\n' | b'\r'));
        // The first piece goes on with the line the last buffer ended in; each other one
        // starts a line, after the one before it ended.
        line += pieces.next().map_or(0, |p| p.len() as u64);
        for piece in pieces {
            if line > MAX_LINE {
                return Err(long_line(at));
            }
            line = piece.len() as u64;
        }
        if line > MAX_LINE {
            return Err(long_line(at));
        }
        at += n as u64;
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
