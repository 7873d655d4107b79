//! Diacritic folding, applied per token after lowercasing (and after stemming).
//!
//! Latin and Greek letters lose their accents (`ō` -> `o`, `ü` -> `u`, `ά` -> `α`), Latin
//! letters without a decomposition get their usual ASCII spelling (`ø` -> `o`, `ß` -> `ss`), and
//! Cyrillic `ё` becomes `е` as Russian search engines do. Every other script is left alone: the
//! voicing marks of kana (`ガ`) and Cyrillic `й` are letters of their own, not accents.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::props::Script;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

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
        } else {
            out.push(c);
        }
    }
}

/// Whether folding may change `c` (lowercased): the cheap test that lets a caller compare an
/// unfolded character with folded text when it is false.
pub fn may_change(c: char) -> bool {
    !c.is_ascii() && (c == 'ё' || matches!(script(c), Script::Latin | Script::Greek))
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
    use super::fold;

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
}
