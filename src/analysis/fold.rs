//! Diacritic folding, applied per token after lowercasing (and after stemming).
//!
//! Latin and Greek letters lose their accents (`ō` -> `o`, `ü` -> `u`, `ά` -> `α`), Latin
//! letters without a decomposition get their usual ASCII spelling (`ø` -> `o`, `ß` -> `ss`), and
//! Cyrillic `ё` becomes `е` as Russian search engines do, and a Han character takes its
//! simplified Chinese form (`系統` -> `系统`, `國` -> `国`, see [`super::han`]). Every other script
//! is left alone: the voicing marks of kana (`ガ`) and Cyrillic `й` are letters of their own, not
//! accents.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::props::Script;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::bmp_table::BmpTable;
use super::han::fold_han;
use super::script::{is_mark, script};

/// Folds `text` into `out`.
pub fn fold_into(text: &str, out: &mut String) {
    let nfd = DecomposingNormalizerBorrowed::new_nfd();
    // Marks after a folded letter belong to it (decomposed input) and go too.
    let mut after_folded = false;
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            after_folded = c.is_ascii_alphabetic();
            continue;
        }
        if after_folded && is_mark(c) {
            continue;
        }
        let s = script(c);
        after_folded = matches!(s, Script::Latin | Script::Greek);
        if let Some(ascii) = latin_special(c) {
            out.push_str(ascii);
        } else if after_folded {
            out.extend(
                nfd.normalize_iter(std::iter::once(c))
                    .filter(|d| !is_mark(*d)),
            );
        } else if c == 'ё' {
            out.push('е');
        } else if s == Script::Han {
            out.push(fold_han(c));
        } else {
            out.push(c);
        }
    }
}

/// The first character of `c` lowercased and folded (`Ö` -> `o`, `Ж` -> `ж`, `ß` -> `s`): the
/// character a token beginning with `c` begins with once analyzed, as folding and stemming keep
/// a token's first letter. Kept for the Basic Multilingual Plane, as a snippet asks it of
/// every character of the text around a match, and lowercasing and folding one character take
/// table searches.
pub fn first_folded(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let code = FIRST_FOLDED.get(c, || {
        u16::try_from(u32::from(first_folded_uncached(c))).unwrap_or(BmpTable::UNKNOWN)
    });
    match char::from_u32(u32::from(code)) {
        Some(first) if code != BmpTable::UNKNOWN => first,
        _ => first_folded_uncached(c),
    }
}

/// [`first_folded`] of every Basic Multilingual Plane character met so far.
static FIRST_FOLDED: BmpTable = BmpTable::new();

fn first_folded_uncached(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let mut folded = String::new();
    fold_into(lower.encode_utf8(&mut [0; 4]), &mut folded);
    folded.chars().next().unwrap_or(lower)
}

#[cfg(test)]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Latin letters that have no canonical decomposition but an accepted plain spelling.
fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        'ŀ' => "l",
        _ => return None,
    })
}

/// Token filter applying [`fold_into`] to every non-ASCII token.
#[derive(Clone, Copy)]
pub struct FoldFilter;

impl TokenFilter for FoldFilter {
    type Tokenizer<T: Tokenizer> = FoldTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldTokenizer<T> {
        FoldTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct FoldTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for FoldTokenizer<T> {
    type TokenStream<'a> = FoldTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldTokenStream {
            inner: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

pub struct FoldTokenStream<S> {
    inner: S,
    buffer: String,
}

impl<S: TokenStream> TokenStream for FoldTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        if !token.text.is_ascii() {
            self.buffer.clear();
            fold_into(&token.text, &mut self.buffer);
            std::mem::swap(&mut token.text, &mut self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::{first_folded, fold};

    #[test]
    fn first_folded_is_the_first_letter_a_token_is_indexed_with() {
        for (c, first) in [
            ('D', 'd'),
            ('Ö', 'o'),
            ('ō', 'o'),
            ('ß', 's'),
            ('Æ', 'a'),
            ('Ж', 'ж'),
            ('Ё', 'е'),
            ('Ά', 'α'),
            ('抑', '抑'),
            ('İ', 'i'),
        ] {
            // Twice: computed, then kept.
            assert_eq!(first_folded(c), first, "{c}");
            assert_eq!(first_folded(c), first, "{c}");
            let word: String = [c, 'x'].iter().collect();
            assert_eq!(
                fold(&word.to_lowercase()).chars().next(),
                Some(first),
                "{c}"
            );
        }
    }

    #[test]
    fn folds_latin_and_greek() {
        assert_eq!(fold("otozō"), "otozo");
        assert_eq!(fold("lüshun"), "lushun");
        assert_eq!(fold("søren"), "soren");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("tiếng"), "tieng");
        assert_eq!(fold("αθήνα"), "αθηνα");
        assert_eq!(fold("e\u{0301}te\u{0301}"), "ete");
    }

    #[test]
    fn keeps_other_scripts() {
        assert_eq!(fold("йод"), "йод");
        assert_eq!(fold("ёлка"), "елка");
        assert_eq!(fold("ガギグ"), "ガギグ");
        assert_eq!(fold("한국어"), "한국어");
    }

    test_filter!(
        the_fold_filter_folds_each_token_and_keeps_its_offsets,
        super::FoldFilter,
        [
            "Ōtozō, Lüshun; Straße" => [("otozo", "Ōtozō"), ("lushun", "Lüshun"), ("strasse", "Straße")],
            "Αθήνα ёлка йод" => [("αθηνα", "Αθήνα"), ("елка", "ёлка"), ("йод", "йод")],
            "e\u{301}te\u{301} Søren" => [("ete", "e\u{301}te\u{301}"), ("soren", "Søren")],
        ]
    );
}
