//! What an ingest did: each file's outcome, the counts of the batch, and the notices it gives
//! as it goes. Data only: `render` words them.

use serde::Serialize;
use std::time::Duration;

pub use super::extract::ocr::MissingModel;
pub use super::extract::{Kept, Reread};

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
    Removed,
    Skipped,
    Failed,
}

impl Outcome {
    pub fn verb(self) -> &'static str {
        match self {
            Outcome::Added => "added",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Removed => "removed",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }
}

/// One file's outcome, as `--report` writes it.
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub path: String,
    pub outcome: Outcome,
    /// Why it was skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// Documents indexed from it (several for an mbox).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<usize>,
    /// Another indexed file with identical content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Pages whose text layer was garbled, and what became of each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reread: Vec<RereadPage>,
    /// The Tesseract models that read its pages, in the order first used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ocr_models: Vec<String>,
}

/// A page of a file (or of one of its documents) whose text layer was garbled.
#[derive(Debug, Clone, Serialize)]
pub struct RereadPage {
    /// The document of the file it is in (`!/letters/1947.pdf`), when that is not the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    #[serde(flatten)]
    pub page: Reread,
}

/// How the batch went; every file considered is counted exactly once.
#[derive(Debug, Default, Clone)]
pub struct IngestReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Files read whose content is identical to another indexed file's.
    pub duplicates: usize,
    /// Of the skipped, those over `--max-file-size` (files, members and messages read whole).
    pub too_large: usize,
    /// Bytes of files read.
    pub bytes: u64,
    pub elapsed: Duration,
    /// Every file's outcome, in the order they were decided.
    pub files: Vec<FileOutcome>,
    /// Pages read by OCR (from the cache or by Tesseract).
    pub ocr_pages: usize,
    /// Models pages wanted that are not installed.
    pub ocr_models_missing: Vec<MissingModel>,
    /// Programs that would have read files better (poppler for PDFs), not installed.
    pub tools_missing: Vec<MissingModel>,
}

impl IngestReport {
    /// Counts and records one file's outcome.
    pub(super) fn record(&mut self, outcome: FileOutcome) {
        let counter = match outcome.outcome {
            Outcome::Added => &mut self.added,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
            Outcome::Removed => &mut self.removed,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Failed => &mut self.failed,
        };
        *counter += 1;
        self.duplicates += usize::from(outcome.duplicate_of.is_some());
        self.too_large += usize::from(
            outcome.outcome == Outcome::Skipped
                && outcome
                    .reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("too large")),
        );
        self.files.push(outcome);
    }
}

pub(super) fn outcome(path: impl Into<String>, outcome: Outcome) -> FileOutcome {
    FileOutcome {
        path: path.into(),
        outcome,
        reason: None,
        format: None,
        documents: None,
        duplicate_of: None,
        reread: Vec::new(),
        ocr_models: Vec::new(),
    }
}

/// What ingest tells as it goes, for `render` to word (or not, by verbosity): each file decided,
/// and the variant-names files kept or not.
#[derive(Debug)]
pub enum Notice<'a> {
    /// A file's outcome as it is decided; `language` is the main language of a file read and
    /// indexed. Unchanged files that were not read have none.
    File {
        file: &'a FileOutcome,
        language: Option<&'a str>,
    },
    /// A variant-names file checked and kept.
    Variants { path: &'a str },
    /// Pages were read without their language's model, which is not installed: told once.
    OcrModelMissing(&'a MissingModel),
    /// Files were read without the program that reads them best (poppler for PDFs): told
    /// once.
    ToolMissing(&'a MissingModel),
    /// The checked variants could not be written into the index folder.
    VariantsNotKept {
        dir: &'a std::path::Path,
        error: &'a std::io::Error,
    },
}
