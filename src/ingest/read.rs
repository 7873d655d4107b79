//! One file read from disk into documents ready for the writer: read (bounded), hash, extract,
//! detect.
//!
//! Runs on the worker threads; everything here is per file and independent of the index.

use std::fs::File;
use std::io::Read;

use sha2::{Digest, Sha256};

use super::changes::Work;
use super::discover::SourceFile;
use super::extract::{self, Format, Rejection};
use super::language::{Detector, Languages};
use crate::store::hex;

/// A file ready to be written: one document for most formats, one per message of an mbox.
#[derive(Debug)]
pub struct ReadFile {
    pub file: SourceFile,
    pub sha256: String,
    pub format: Format,
    pub documents: Vec<ReadDocument>,
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
}

impl ReadFile {
    /// Bytes of text over all documents.
    pub fn text_bytes(&self) -> u64 {
        self.documents.iter().map(|d| d.text.len() as u64).sum()
    }
}

pub fn read_file(work: &Work, detector: &Detector, max_size: u64) -> Result<ReadFile, Rejection> {
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
    let extraction = extract::extract(format, bytes)?;
    let file_name = || {
        file.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.key.clone())
    };
    let documents = extraction
        .documents
        .into_iter()
        .map(|doc| ReadDocument {
            title: doc.title.unwrap_or_else(file_name),
            languages: detector.detect(&doc.text),
            text: doc.text,
            author: doc.author,
            date: doc.date,
            encoding: doc.encoding,
            part: doc.part,
        })
        .collect();
    Ok(ReadFile {
        file: file.clone(),
        same_content: work.previous.as_ref().is_some_and(|p| p.sha256 == sha256),
        replaces: work.previous.is_some(),
        sha256,
        format: extraction.format,
        documents,
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
