//! Plurals of acronyms (`RXRs`, `DNAs`, `NGOs`, `CD4s`) reduced to the acronym, for the stemmed
//! fields.
//!
//! Snowball's English stemmer strips a plural `s` only after a part with a vowel that is not
//! right before it, so `rxrs`, `dnas` and `ngos` stay as they are and never meet `RXR`, `DNA`
//! and `NGO`; other languages' stemmers do no better. Whether a word is an acronym is only
//! visible in its case, which the tokenizer has already folded away, so this filter looks at the
//! original text through the token's offsets: two or more capitals or digits, starting with a
//! capital, then a lowercase `s`. The exact `body` field keeps the word as written.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Token filter turning an acronym's plural into the acronym (`RXRs` -> `rxr`).
#[derive(Clone, Copy)]
pub struct AcronymPlurals;

impl TokenFilter for AcronymPlurals {
    type Tokenizer<T: Tokenizer> = AcronymPluralsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> AcronymPluralsTokenizer<T> {
        AcronymPluralsTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct AcronymPluralsTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AcronymPluralsTokenizer<T> {
    type TokenStream<'a> = AcronymPluralsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AcronymPluralsStream {
            text,
            inner: self.inner.token_stream(text),
        }
    }
}

pub struct AcronymPluralsStream<'a, S> {
    /// The text being analyzed, where the token's offsets point.
    text: &'a str,
    inner: S,
}

impl<S: TokenStream> TokenStream for AcronymPluralsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        let written = self.text.get(token.offset_from..token.offset_to);
        if written.is_some_and(is_acronym_plural) && token.text.ends_with('s') {
            token.text.pop();
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

/// `RXRs`, `CD4s`, `IDs`: a capital, then at least one more capital or digit, then `s`.
fn is_acronym_plural(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('s') else {
        return false;
    };
    let mut chars = stem.chars();
    chars.next().is_some_and(char::is_uppercase)
        && stem.chars().count() >= 2
        && chars.all(|c| c.is_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_acronym_plurals_only() {
        for yes in ["RXRs", "DNAs", "NGOs", "CD4s", "IDs", "ÉTATs"] {
            assert!(is_acronym_plural(yes), "{yes}");
        }
        for no in ["Ks", "AIDS", "Rxrs", "rxrs", "4Gs", "PhDs", "US", "s", ""] {
            assert!(!is_acronym_plural(no), "{no}");
        }
    }

    test_filter!(
        the_acronym_filter_reduces_plurals_and_keeps_offsets,
        AcronymPlurals,
        [
            "PPAR-RXRs bind RXR; NGOs and AIDS" => [
                ("ppar", "PPAR"),
                ("rxr", "RXRs"),
                ("bind", "bind"),
                ("rxr", "RXR"),
                ("ngo", "NGOs"),
                ("and", "and"),
                ("aids", "AIDS"),
            ],
        ]
    );
}
