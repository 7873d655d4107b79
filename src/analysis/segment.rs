//! Word segmentation for the scripts written without spaces between words.
//!
//! Han, kana, Thai, Lao, Khmer and Myanmar text runs words together. ICU4X's word segmenter
//! finds the words with the dictionaries compiled into the binary (a Chinese/Japanese
//! dictionary and one per Southeast Asian script), so nothing is loaded at run time.
//!
//! The two sides use it differently. Han and kana are indexed as bigrams and unigrams, which
//! find any substring, so only queries are segmented, to require each word rather than the
//! whole run as one phrase (see `search::words`). Thai, Lao, Khmer and Myanmar text would be
//! one token per run between spaces (a whole clause), which no query could find, so the
//! tokenizer cuts it into words on both sides.

use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

/// The dictionary segmenter: dictionaries for Chinese/Japanese and for Thai, Lao, Khmer and
/// Myanmar. Chosen over the LSTM models of `new_auto`, which segment Southeast Asian scripts
/// several times slower, and whose ingest cost would fall on every such document.
static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

/// The byte ranges of the words of `text` (letters or numbers), in order; punctuation and
/// spaces between them are left out.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut breaks = SEGMENTER.segment_str(text).iter_with_word_type();
    let mut from = match breaks.next() {
        Some((at, _)) => at,
        None => return out,
    };
    for (to, kind) in breaks {
        if kind.is_word_like() && from < to {
            out.push((from, to));
        }
        from = to;
    }
    out
}

/// Whether `c` belongs to a script written without spaces that the tokenizer segments into
/// words (Thai, Lao, Myanmar, Khmer). Han and kana are bigrammed instead (see the tokenizer).
pub fn is_segmented(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'   // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{19E0}'..='\u{19FF}' // Khmer symbols
        | '\u{A9E0}'..='\u{A9FF}' // Myanmar extended-B
        | '\u{AA60}'..='\u{AA7F}' // Myanmar extended-A
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn japanese_and_chinese_runs_become_words() {
        assert_eq!(cut("こんにちは世界"), ["こんにちは", "世界"]);
        assert_eq!(cut("シベリアの抑留"), ["シベリア", "の", "抑留"]);
        assert_eq!(cut("文件系统的路径"), ["文件", "系统", "的", "路径"]);
    }

    #[test]
    fn punctuation_and_spaces_are_not_words() {
        assert_eq!(
            cut("日本の首都は？ Tokyo."),
            ["日本", "の", "首都", "は", "Tokyo"]
        );
        assert!(cut("。、 ").is_empty());
    }

    #[test]
    fn thai_is_cut_into_words() {
        assert_eq!(cut("ทุกสองสัปดาห์"), ["ทุก", "สอง", "สัปดาห์"]);
        assert!(is_segmented('ท') && is_segmented('ក') && is_segmented('က'));
        assert!(!is_segmented('a') && !is_segmented('日'));
    }
}
