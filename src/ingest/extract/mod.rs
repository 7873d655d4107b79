//! Bytes in, normalized text out: one module per format, chosen by file name and content.
//!
//! Every outcome is explicit: [`Extracted`] text, or a [`Rejection`] that says whether the file
//! was passed over on purpose (binary, empty) or could not be read as what it claims to be.

pub mod text;

use thiserror::Error;

/// What a format module produces.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// Normalized text (see [`crate::analysis::normalize`]): what is stored and searched.
    pub text: String,
    /// A title taken from the content, when the format has one.
    pub title: Option<String>,
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

/// Extracts the text of a file's bytes. Only plain text and Markdown are read so far.
pub fn extract(bytes: &[u8]) -> Result<Extracted, Rejection> {
    text::extract(bytes)
}
