//! RTF: the text of a Rich Text Format file, and the title and author of its `\info` group.
//!
//! No crate reads RTF text with its legacy code pages well enough, so this is a small reader of
//! the format's own grammar: groups, control words, `\'hh` bytes in the document's code page
//! (`\ansicpg`, so `\'82\'a0` in a Japanese file is `あ`), `\uN` characters with the `\ucN`
//! fallback bytes after them skipped, and destinations that hold no text (font and colour
//! tables, style sheets, pictures, field instructions, `\*` groups) left out.

use encoding_rs::Encoding;

use super::{Extracted, Rejection};

/// Destinations whose text is not the document's.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "pict",
    "object",
    "fldinst",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "xmlnstbl",
    "header",
    "footer",
    "headerl",
    "headerr",
    "footerl",
    "footerr",
    "private",
    "bkmkstart",
    "bkmkend",
];

/// What a group is: text, left out, or a field of `\info` being captured.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Destination {
    Text,
    Skip,
    Title,
    Author,
    /// `\info`'s other fields.
    Info,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    destination: Destination,
    /// Fallback bytes after `\uN` (`\ucN`).
    uc: usize,
}

pub fn extract(bytes: &[u8]) -> Result<Extracted, Rejection> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(Rejection::Fail("not an RTF file (no {\\rtf header)".into()));
    }
    let mut reader = Rtf {
        bytes,
        at: 0,
        encoding: encoding_rs::WINDOWS_1252,
        pending: Vec::new(),
        text: String::new(),
        title: String::new(),
        author: String::new(),
        skip_fallback: 0,
    };
    reader.run();
    let title = Some(reader.title.trim().to_string()).filter(|t| !t.is_empty());
    let author = Some(reader.author.trim().to_string()).filter(|t| !t.is_empty());
    Ok(Extracted {
        text: reader.text,
        title,
        author,
        encoding: Some(reader.encoding.name()),
        ..Extracted::default()
    })
}

struct Rtf<'a> {
    bytes: &'a [u8],
    at: usize,
    encoding: &'static Encoding,
    /// `\'hh` bytes not decoded yet: a double-byte character comes as two.
    pending: Vec<u8>,
    text: String,
    title: String,
    author: String,
    /// Fallback bytes still to skip after a `\uN`.
    skip_fallback: usize,
}

impl Rtf<'_> {
    fn run(&mut self) {
        let mut stack: Vec<Group> = Vec::new();
        let mut group = Group {
            destination: Destination::Text,
            uc: 1,
        };
        // A `\*` or a skipped word opens a group whose text is left out.
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            match b {
                b'{' => {
                    self.flush(group.destination);
                    stack.push(group);
                    self.at += 1;
                }
                b'}' => {
                    self.flush(group.destination);
                    // Unbalanced braces end the document where the text ends.
                    group = stack.pop().unwrap_or(group);
                    self.at += 1;
                }
                b'\\' => self.control(&mut group),
                b'\r' | b'\n' => self.at += 1,
                _ => {
                    self.at += 1;
                    if self.skip_fallback > 0 {
                        self.skip_fallback -= 1;
                    } else {
                        self.pending.push(b);
                    }
                }
            }
        }
        self.flush(group.destination);
    }

    /// A control word or symbol at `self.at` (a backslash).
    fn control(&mut self, group: &mut Group) {
        self.at += 1;
        let Some(&next) = self.bytes.get(self.at) else {
            return;
        };
        if !next.is_ascii_alphabetic() {
            self.at += 1;
            match next {
                b'\'' => {
                    let hex = self.bytes.get(self.at..self.at + 2);
                    self.at += 2;
                    let byte = hex
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    if self.skip_fallback > 0 {
                        self.skip_fallback -= 1;
                    } else if let Some(byte) = byte {
                        self.pending.push(byte);
                    }
                }
                b'*' => group.destination = Destination::Skip,
                b'~' => self.push(group.destination, "\u{a0}"),
                b'_' => self.push(group.destination, "-"),
                b'\\' | b'{' | b'}' => {
                    let c = [next];
                    self.pending.extend_from_slice(&c);
                }
                // `\-` (optional hyphen), `\|`, `\:` and others show nothing.
                _ => {}
            }
            return;
        }
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        let word = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        let number_start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let param: Option<i64> = std::str::from_utf8(&self.bytes[number_start..self.at])
            .ok()
            .and_then(|n| n.parse().ok());
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        let destination = group.destination;
        match word.as_str() {
            "par" | "line" | "row" | "sect" | "page" => self.push(destination, "\n"),
            "tab" | "cell" => self.push(destination, "\t"),
            "emdash" => self.push(destination, "\u{2014}"),
            "endash" => self.push(destination, "\u{2013}"),
            "lquote" => self.push(destination, "\u{2018}"),
            "rquote" => self.push(destination, "\u{2019}"),
            "ldblquote" => self.push(destination, "\u{201c}"),
            "rdblquote" => self.push(destination, "\u{201d}"),
            "bullet" => self.push(destination, "\u{2022}"),
            "uc" => group.uc = param.map_or(1, |n| n.clamp(0, 8) as usize),
            "u" => {
                if let Some(n) = param {
                    // Negative for code points above 32767, as a signed 16-bit number.
                    let unit = if n < 0 { n + 65536 } else { n };
                    let c = u32::try_from(unit)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}');
                    self.push(destination, c.encode_utf8(&mut [0; 4]));
                    self.skip_fallback = group.uc;
                }
            }
            "ansicpg" => {
                if let Some(encoding) = param.and_then(code_page) {
                    self.encoding = encoding;
                }
            }
            "info" => group.destination = Destination::Info,
            "title" if destination == Destination::Info => group.destination = Destination::Title,
            "author" if destination == Destination::Info => group.destination = Destination::Author,
            word if SKIPPED.contains(&word) => group.destination = Destination::Skip,
            _ => {}
        }
    }

    fn push(&mut self, destination: Destination, s: &str) {
        self.flush(destination);
        if let Some(out) = self.out(destination) {
            out.push_str(s);
        }
    }

    /// Decodes the pending bytes into `destination`.
    fn flush(&mut self, destination: Destination) {
        if self.pending.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending);
        let (decoded, _) = self.encoding.decode_without_bom_handling(&bytes);
        let decoded = decoded.into_owned();
        if let Some(out) = self.out(destination) {
            out.push_str(&decoded);
        }
    }

    fn out(&mut self, destination: Destination) -> Option<&mut String> {
        match destination {
            Destination::Text => Some(&mut self.text),
            Destination::Title => Some(&mut self.title),
            Destination::Author => Some(&mut self.author),
            Destination::Skip | Destination::Info => None,
        }
    }
}

/// The encoding of a Windows code page.
fn code_page(page: i64) -> Option<&'static Encoding> {
    let label = match page {
        437 | 850 | 1252 => "windows-1252",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        874 => "windows-874",
        1250..=1258 => return Encoding::for_label(format!("windows-{page}").as_bytes()),
        10000 => "macintosh",
        20866 => "koi8-r",
        65001 => "utf-8",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_info_and_skipped_groups() -> Result<(), Rejection> {
        let rtf = br"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}{\colortbl;\red0\green0\blue0;}
{\info{\title Letter from Maizuru}{\author K. Sato}}{\*\generator Riched20;}
\pard Otoz\u333?, caf\'e9 \{braces\}\par
{\field{\*\fldinst HYPERLINK x}{\fldrslt Koan Maru}}\tab 1947\par}";
        let e = extract(rtf)?;
        assert_eq!(e.title.as_deref(), Some("Letter from Maizuru"));
        assert_eq!(e.author.as_deref(), Some("K. Sato"));
        assert_eq!(e.text, "Otozō, café {braces}\nKoan Maru\t1947\n");
        Ok(())
    }

    #[test]
    fn legacy_code_pages_and_unicode() -> Result<(), Rejection> {
        // Shift_JIS bytes of シベリア, and a \u with a two-byte fallback.
        let rtf =
            br"{\rtf1\ansi\ansicpg932 \'83\'56\'83\'78\'83\'8a\'83\'41 \uc2\u25233\'97\'af\par}";
        let e = extract(rtf)?;
        assert_eq!(e.text, "シベリア 抑\n");
        let cyrillic = br"{\rtf1\ansi\ansicpg1251 \'cf\'eb\'e5\'ed}";
        assert_eq!(extract(cyrillic)?.text, "Плен");
        Ok(())
    }

    #[test]
    fn not_rtf_fails() {
        assert!(matches!(extract(b"hello"), Err(Rejection::Fail(_))));
    }
}
