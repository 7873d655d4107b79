//! Plain text and Markdown, in any encoding [`decode`] recognizes.
//!
//! A file with NUL bytes that is not UTF-16, or whose decoded text is mostly control
//! characters, is binary and skipped. The title is the first short non-empty line (Markdown
//! heading marks removed).

use super::decode::{decode, utf16_without_bom};
use super::{Extracted, Rejection, looks_binary};

/// A line longer than this (in characters) is a paragraph, not a title.
const MAX_TITLE_CHARS: usize = 120;

/// Bytes looked at to decide whether a file is binary.
pub const SNIFF_BYTES: usize = 8192;

pub fn extract(bytes: &[u8]) -> Result<Extracted, Rejection> {
    extract_declared(bytes, None)
}

/// As [`extract`], taking `declared` when the bytes decode under it without error (the
/// encoding of a large text's first part, for the parts after it).
pub fn extract_declared(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<Extracted, Rejection> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if head.contains(&0) && !has_bom && utf16_without_bom(bytes).is_none() {
        return Err(Rejection::Skip("binary file (contains NUL bytes)".into()));
    }
    let decoded = decode(bytes, declared);
    if looks_binary(&decoded.text) {
        return Err(Rejection::Skip(format!(
            "binary file (not text in any encoding; best guess {} gives mostly control characters)",
            decoded.encoding
        )));
    }
    Ok(Extracted {
        text: decoded.text,
        encoding: Some(decoded.encoding),
        ..Extracted::default()
    })
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
    fn decodes_with_bom() -> Result<(), Rejection> {
        let e = extract("\u{feff}# End of the Army\n\nBody text.".as_bytes())?;
        assert_eq!(e.text, "# End of the Army\n\nBody text.");
        assert_eq!(title_of(&e.text).as_deref(), Some("End of the Army"));
        Ok(())
    }

    #[test]
    fn invalid_utf8_is_read_as_a_legacy_encoding() -> Result<(), Rejection> {
        let e = extract(b"caf\xe9 au lait, a long enough line of text")?;
        assert!(e.text.starts_with("café au lait"), "{}", e.text);
        assert_eq!(e.encoding, Some("windows-1252"));
        Ok(())
    }

    #[test]
    fn rejects_binary() {
        assert!(matches!(
            extract(b"PK\x03\x04\x00\x00"),
            Err(Rejection::Skip(_))
        ));
        assert!(matches!(
            extract(&[0xff, 0xfe, 0xfd, 0x80, 0x81]),
            Err(Rejection::Skip(_))
        ));
    }

    #[test]
    fn long_first_line_is_no_title() {
        assert_eq!(title_of(&"word ".repeat(40)), None);
    }
}
