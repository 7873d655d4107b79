//! Text-level normalization, run once on every document and every query before tokenizing.
//!
//! NFKC makes compatibility forms searchable as their plain letters (`ＭＡＩＺＵＲＵ` ->
//! `MAIZURU`, halfwidth katakana -> fullwidth, ligatures -> letters). Whitespace is unified so
//! that stored text reads well in snippets: every line break becomes `\n` (at most one empty line
//! in a row), every other space becomes one ASCII space, lines are trimmed. Control characters,
//! soft hyphens, zero-width spaces and stray BOMs are dropped. The result is what is stored and
//! what snippet byte offsets refer to.

use icu_normalizer::ComposingNormalizerBorrowed;

pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(text);
    let mut out = String::with_capacity(nfkc.len());
    // Newlines seen since the last visible character; spaces pending since then.
    let mut newlines = 0usize;
    let mut space = false;
    let mut chars = nfkc.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    newlines += 1;
                }
            }
            '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => newlines += 1,
            '\u{ad}' | '\u{200b}' | '\u{feff}' => {}
            c if c.is_whitespace() => space = true,
            c if c.is_control() => {}
            c => {
                if !out.is_empty() {
                    match newlines {
                        0 if space => out.push(' '),
                        0 => {}
                        1 => out.push('\n'),
                        _ => out.push_str("\n\n"),
                    }
                }
                newlines = 0;
                space = false;
                out.push(c);
            }
        }
    }
    out
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

    #[test]
    fn keeps_composed_kana() {
        assert_eq!(normalize("か\u{3099}"), "が");
    }
}
