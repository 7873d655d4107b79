//! Text-level normalization, run once on every document and every query before tokenizing.
//!
//! NFKC makes compatibility forms searchable as their plain letters (`ＭＡＩＺＵＲＵ` ->
//! `MAIZURU`, halfwidth katakana -> fullwidth, ligatures -> letters). Whitespace is unified so
//! that stored text reads well in snippets: every line break becomes `\n` (at most one empty line
//! in a row), every other space becomes one ASCII space, lines are trimmed. Page breaks (form
//! feeds, which the PDF and OCR readers put between pages) are kept, one per page, on a line of
//! their own: a hit's page is the number of them before it. Control characters,
//! soft hyphens, zero-width spaces and stray BOMs are dropped. The result is what is stored and
//! what snippet byte offsets refer to.

use icu_normalizer::ComposingNormalizerBorrowed;

/// Text is normalized a piece of about this many bytes at a time, so that NFKC's copy of a
/// 40 MB text is never held whole beside the text and the result.
const PIECE_BYTES: usize = 1 << 16;

/// What separates pages in normalized text.
pub const PAGE_BREAK: char = '\u{0c}';

pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let nfkc = ComposingNormalizerBorrowed::new_nfkc();
    let mut out = String::with_capacity(text.len());
    // Newlines seen since the last visible character; spaces pending since then.
    let mut newlines = 0usize;
    let mut pages = 0usize;
    let mut space = false;
    for piece in pieces(text) {
        let nfkc = nfkc.normalize(piece);
        let mut chars = nfkc.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                // A piece ends after a line feed, so a `\r\n` is never split between two.
                '\r' => {
                    if chars.peek() != Some(&'\n') {
                        newlines += 1;
                    }
                }
                '\u{0c}' => pages += 1,
                '\n' | '\u{0b}' | '\u{85}' | '\u{2028}' | '\u{2029}' => newlines += 1,
                '\u{ad}' | '\u{200b}' | '\u{feff}' => {}
                c if c.is_whitespace() => space = true,
                c if c.is_control() => {}
                c => {
                    if pages > 0 {
                        // Leading ones too: the first text may be on page 3.
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.extend(std::iter::repeat_n(PAGE_BREAK, pages));
                        out.push('\n');
                    } else if !out.is_empty() {
                        match newlines {
                            0 if space => out.push(' '),
                            0 => {}
                            1 => out.push('\n'),
                            _ => out.push_str("\n\n"),
                        }
                    }
                    newlines = 0;
                    pages = 0;
                    space = false;
                    out.push(c);
                }
            }
        }
    }
    out
}

/// `text` cut into pieces of at least [`PIECE_BYTES`], each ending just after a line feed
/// (the last one at the end). NFKC of the whole is NFKC of each piece joined: a line feed
/// composes with nothing, so nothing after it can change what comes before.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .as_bytes()
            .get(PIECE_BYTES..)
            .and_then(|tail| tail.iter().position(|&b| b == b'\n'))
            .map_or(rest.len(), |i| PIECE_BYTES + i + 1);
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn nfkc_and_whitespace() {
        assert_eq!(normalize("ＭＡＩＺＵＲＵ"), "MAIZURU");
        assert_eq!(
            normalize("\u{feff}a\r\nb\r\n\r\n\r\n  c\t\td  "),
            "a\nb\n\nc d"
        );
        assert_eq!(normalize("ｼﾍﾞﾘｱ"), "シベリア");
        assert_eq!(normalize("a\u{0}b\u{7}c"), "abc");
        assert_eq!(normalize("co\u{ad}operate"), "cooperate");
        assert_eq!(normalize("non\u{a0}breaking"), "non breaking");
    }

    /// A long text comes out the same as its lines normalized one by one: the pieces it is
    /// normalized in join without a seam, even where a piece ends in `\r\n` or the next one
    /// starts with a combining mark.
    #[test]
    fn long_text_is_normalized_in_pieces_without_seams() {
        let line = "ＭＡＩＺＵＲＵ ｼﾍﾞﾘｱ e\u{301} x\r\n\u{301}y  z\u{ad}w\r\n";
        let text = line.repeat(3 * super::PIECE_BYTES / line.len());
        assert!(super::pieces(&text).count() >= 3);
        assert_eq!(super::pieces(&text).collect::<String>(), text);
        let expected = text
            .split("\r\n")
            .map(normalize)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(normalize(&text), expected);
    }

    /// One page break per page, blank pages and leading ones included, so that counting them
    /// gives a page's number; trailing ones say nothing and go.
    #[test]
    fn page_breaks_are_kept_one_per_page() {
        assert_eq!(normalize("one\n\u{c}two"), "one\n\u{c}\ntwo");
        assert_eq!(
            normalize("one \u{c}\n\u{c} three\u{c}"),
            "one\n\u{c}\u{c}\nthree"
        );
        assert_eq!(normalize("\u{c}\u{c}third"), "\u{c}\u{c}\nthird");
    }

    #[test]
    fn keeps_composed_kana() {
        assert_eq!(normalize("か\u{3099}"), "が");
    }
}
