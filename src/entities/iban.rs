//! IBANs, checked by `iban_validate`: the country's length and format and the checksum, so
//! only real account numbers are taken (a typo in one digit fails its checksum). Kept in the
//! electronic form (`DE89370400440532013000`).
//!
//! A candidate starts at two capital letters and two digits not inside a word, and runs on over
//! letters and digits in groups separated by single spaces (the printed form) up to the 34
//! characters an IBAN may have; the longest start of it that is a valid IBAN is taken, so the
//! words after one (`… 0130 00 BIC …`) are left out.

use std::str::FromStr;

use iban::{Iban, IbanLike};

use super::{Found, Kind};

/// Most characters of an IBAN (Saint Lucia's 32, Russia's 33: 34 allows all).
const MAX_LEN: usize = 34;
/// Fewest (Norway's 15).
const MIN_LEN: usize = 15;

/// The IBANs in `text` outside `taken` (addresses and URLs already found).
pub fn find(text: &str, taken: &[Found]) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let starts = bytes[i].is_ascii_uppercase()
            && bytes[i + 1].is_ascii_uppercase()
            && bytes[i + 2].is_ascii_digit()
            && bytes[i + 3].is_ascii_digit()
            && text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
            && !taken.iter().any(|f| f.range.contains(&i));
        if !starts {
            i += 1;
            continue;
        }
        match longest_valid(text, i) {
            Some((iban, end)) => {
                out.push(Found {
                    kind: Kind::Iban,
                    value: iban,
                    range: i..end,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The longest valid IBAN starting at byte `start`, and where it ends.
fn longest_valid(text: &str, start: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    // Each character's end, over alphanumerics and single spaces between them.
    let mut compact = String::new();
    let mut ends = Vec::new();
    let mut at = start;
    while compact.len() < MAX_LEN {
        match bytes.get(at) {
            Some(b) if b.is_ascii_uppercase() || b.is_ascii_digit() => {
                compact.push(*b as char);
                at += 1;
                ends.push(at);
            }
            Some(b' ')
                if bytes
                    .get(at + 1)
                    .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
            {
                at += 1
            }
            _ => break,
        }
    }
    (MIN_LEN..=compact.len()).rev().find_map(|len| {
        let end = ends[len - 1];
        // Not a prefix cut inside a word: the next character is not a letter or digit.
        let cut_inside = text[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
        if cut_inside && len != compact.len() && !text[end..].starts_with(' ') {
            return None;
        }
        Iban::from_str(&compact[..len])
            .ok()
            .map(|iban| (iban.electronic_str().to_string(), end))
    })
}

/// A typed `iban:` value in its electronic form, when it is a valid IBAN.
pub fn normalize(typed: &str) -> Option<String> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    Iban::from_str(&compact)
        .ok()
        .map(|iban| iban.electronic_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ibans(text: &str) -> Vec<String> {
        find(text, &[]).into_iter().map(|f| f.value).collect()
    }

    #[test]
    fn printed_and_electronic_forms_with_words_after() {
        assert_eq!(
            ibans("IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX"),
            ["DE89370400440532013000"]
        );
        assert_eq!(
            ibans("virement sur FR1420041010050500013M02606, merci"),
            ["FR1420041010050500013M02606"]
        );
        assert_eq!(
            ibans("Счёт GB82 WEST 1234 5698 7654 32."),
            ["GB82WEST12345698765432"]
        );
    }

    #[test]
    fn a_wrong_checksum_or_a_word_is_not_an_iban() {
        assert!(ibans("DE89 3704 0044 0532 0130 01").is_empty());
        assert!(ibans("XDE89370400440532013000").is_empty());
        assert!(ibans("model AB12 series").is_empty());
    }
}
