//! One file read from disk into documents ready for the writer: read (bounded), hash, extract,
//! detect.
//!
//! Runs on the worker threads; everything here is per file and independent of the index.

use std::fs::File;
use std::io::Read;

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

pub fn read_file(
    work: &Work,
    detector: &Detector,
    max_size: u64,
    ocr: &Ocr,
) -> Result<ReadFile, Rejection> {
    let file = &work.file;
    if file.size > max_size {
        return Err(Rejection::Skip(format!(
            "too large ({} bytes; the limit is {max_size}, see --max-file-size)",
            file.size
        )));
    }
    let format =
        Format::of_path(&file.path).ok_or_else(|| Rejection::Skip("unsupported format".into()))?;
    let bytes = read_bounded(file, max_size)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.key.clone());
    let extraction = extract::extract(format, bytes, &name, ocr)?;
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
