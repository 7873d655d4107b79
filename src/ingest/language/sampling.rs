//! What detection looks at: the prose words of one script (commands, paths and numbers left
//! out), sampled from stretches across the document, and cut into pieces.

use super::letters::{Family, family_of};
use crate::analysis::script::is_mark;

/// Characters of one script sampled from the whole document to find its candidate languages:
/// three pieces (see [`CANDIDATE_PIECE_CHARS`]), so that one dissenting piece is outvoted.
pub(super) const SAMPLE_CHARS: usize = 540;

/// Candidate languages are looked for in pieces of the document sample of about this size. A
/// piece of 180 characters has over 120 letters, below which lingua scores every n-gram length
/// from 1 to 5 instead of trigrams only, at about five times the cost (150 was often under).
pub(super) const CANDIDATE_PIECE_CHARS: usize = 180;

/// Splits a sample into pieces of about `size` characters at word boundaries; a remainder
/// shorter than half a piece joins the last one.
pub(super) fn pieces(sample: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = 0;
    for (i, c) in sample.char_indices() {
        chars += 1;
        if c == ' ' && chars >= size && sample.len() - i > size / 2 {
            out.push(&sample[start..i]);
            start = i + 1;
            chars = 0;
        }
    }
    if start < sample.len() {
        out.push(&sample[start..]);
    }
    out
}

/// Prose words of `family` from `text`, up to `max_chars`. Commands, paths, numbers and
/// identifiers (`apt-get`, `/etc/fstab`, `6.1.3`) are the same in every language and mislead
/// detection, so only words made of letters are kept.
pub(super) fn prose_words(text: &str, family: Family, max_chars: usize) -> String {
    let mut sample = String::with_capacity(max_chars + 32);
    let mut taken = 0;
    for word in text.split_whitespace() {
        if taken >= max_chars {
            break;
        }
        if let Some(word) = prose_word(word, family) {
            sample.push_str(word);
            sample.push(' ');
            taken += word.chars().count() + 1;
        }
    }
    sample
}

/// `word` (as split at spaces) without the punctuation around it, if it is a prose word of
/// `family`'s script: letters (and their marks) only.
pub(super) fn prose_word(word: &str, family: Family) -> Option<&str> {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    let prose = !word.is_empty() && word.chars().all(|c| c.is_alphabetic() || is_mark(c));
    (prose && word.chars().next().and_then(family_of) == Some(family)).then_some(word)
}

/// Samples of `family`'s prose words, `max_chars` in all, from evenly spaced stretches of the
/// text (one stretch for a short text), so that every part of a long document has its say.
pub(super) fn sample_stretches(text: &str, family: Family, max_chars: usize) -> Vec<String> {
    const STRETCHES: usize = 3;
    let stretches = if text.len() <= max_chars * 2 {
        1
    } else {
        STRETCHES
    };
    let per_stretch = max_chars / stretches;
    let step = text.len() / stretches;
    (0..stretches)
        .map(|i| {
            let mut start = i * step;
            while !text.is_char_boundary(start) {
                start += 1;
            }
            prose_words(&text[start..], family, per_stretch)
        })
        .filter(|s| !s.is_empty())
        .collect()
}
