//! Plain text and Markdown.
//!
//! UTF-8 is decoded leniently: invalid bytes become U+FFFD rather than failing the file. A file
//! with NUL bytes, or mostly undecodable bytes, is binary and skipped. The title is the first
//! short non-empty line (Markdown heading marks removed).

use super::{Extracted, Rejection};
use crate::analysis::normalize;

/// A line longer than this (in characters) is a paragraph, not a title.
const MAX_TITLE_CHARS: usize = 120;

/// Bytes looked at to decide whether a file is binary.
const SNIFF_BYTES: usize = 8192;

pub fn extract(bytes: &[u8]) -> Result<Extracted, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Skip("empty file".into()));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return Err(Rejection::Skip("binary file (contains NUL bytes)".into()));
    }
    let decoded = String::from_utf8_lossy(bytes);
    let head_text = String::from_utf8_lossy(head);
    let invalid = head_text.chars().filter(|&c| c == '\u{fffd}').count();
    if invalid * 10 > head_text.chars().count() {
        return Err(Rejection::Skip(
            "binary file (mostly not valid UTF-8 text)".into(),
        ));
    }
    let text = normalize(&decoded);
    if text.is_empty() {
        return Err(Rejection::Skip("no text (only whitespace)".into()));
    }
    let title = title_of(&text);
    Ok(Extracted { text, title })
}

/// The first non-empty line if it is short enough to be a title.
pub fn title_of(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches('#').trim();
    (!line.is_empty() && line.chars().count() <= MAX_TITLE_CHARS).then(|| line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_titles() -> Result<(), Rejection> {
        let e = extract("\u{feff}# End of the Army\n\nBody text.".as_bytes())?;
        assert_eq!(e.title.as_deref(), Some("End of the Army"));
        assert_eq!(e.text, "# End of the Army\n\nBody text.");
        Ok(())
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() -> Result<(), Rejection> {
        let e = extract(b"caf\xe9 au lait, a long enough line of text")?;
        assert!(e.text.starts_with("caf\u{fffd} au lait"));
        Ok(())
    }

    #[test]
    fn rejects_binary_and_empty() {
        assert!(matches!(extract(b""), Err(Rejection::Skip(_))));
        assert!(matches!(
            extract(b"PK\x03\x04\x00\x00"),
            Err(Rejection::Skip(_))
        ));
        assert!(matches!(
            extract(&[0xff, 0xfe, 0xfd, 0x80, 0x81]),
            Err(Rejection::Skip(_))
        ));
        assert!(matches!(extract(b" \n\t "), Err(Rejection::Skip(_))));
    }

    #[test]
    fn long_first_line_is_no_title() {
        assert_eq!(title_of(&"word ".repeat(40)), None);
    }
}
