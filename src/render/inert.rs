//! Text from files, made inert for a terminal: the one function every line of terminal output
//! that carries a file's words goes through (file and member names, titles, snippets, tags,
//! notes, reasons, errors).
//!
//! A name in an archive can hold escape sequences: a terminal that prints them sets its title,
//! writes links (OSC 8) or the clipboard (OSC 52), or rewrites what is on screen. Bidirectional
//! overrides and isolates reorder what follows them, so that `txt.exe` reads as `exe.txt`.
//! These are shown as escapes (`\u{1b}`, `\n`, `\u{202e}`), visibly, rather than dropped, so that
//! the name shown is still the name on disk. The right-to-left and left-to-right marks (U+200E,
//! U+200F, U+061C) are kept: real Arabic and Hebrew names carry them, and they reorder nothing
//! beyond a character.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (C0, DEL, C1) and every bidirectional embedding,
/// override and isolate (U+202A to U+202E, U+2066 to U+2069) written as an escape.
pub fn inert(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would act on `c` rather than show it.
fn acts(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_sent() {
        assert_eq!(
            inert("a\x1b]0;pwned\x07b"),
            "a\\u{1b}]0;pwned\\u{7}b",
            "OSC title"
        );
        assert_eq!(
            inert("\x1b]52;c;ZXZpbA==\x1b\\"),
            "\\u{1b}]52;c;ZXZpbA==\\u{1b}\\"
        );
        assert_eq!(inert("x\u{9b}31m"), "x\\u{9b}31m", "C1 CSI");
        assert_eq!(inert("a\x7fb"), "a\\u{7f}b");
        assert_eq!(inert("line\nnext\ttab\r"), "line\\nnext\\ttab\\r");
        assert_eq!(inert("invoice\u{202e}fdp.exe"), "invoice\\u{202e}fdp.exe");
        assert_eq!(inert("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn real_names_pass_unchanged() {
        for name in [
            "Maizuru 1956.pdf",
            "舞鶴引揚記念館.txt",
            "Военнопленные.docx",
            "\u{5e9}\u{5dc}\u{5d5}\u{5dd}\u{200f}.txt",
            "\u{627}\u{644}\u{61c}\u{645}.txt",
            "caf\\xE9.txt",
        ] {
            assert!(
                matches!(inert(name), Cow::Borrowed(n) if n == name),
                "{name}"
            );
        }
    }
}
