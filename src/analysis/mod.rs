//! Text analysis shared by indexing and querying.
//!
//! Every string that reaches the index or a query goes through the same stages, in a fixed order:
//! [`mod@normalize`] (NFKC, whitespace, control characters) on whole texts, then the
//! [`tokenizer::ScriptTokenizer`] (words for alphabetic scripts, bigrams and unigrams for CJK),
//! then optionally [`acronym::AcronymPlurals`] and a language's stemmer, then
//! [`fold::FoldFilter`] (Latin and Greek diacritics, Han variants).
//! Stemming runs before folding because Snowball stemmers expect the accented forms.
//!
//! tantivy does not persist analyzers, so [`register`] must run every time an index is opened;
//! the query side calls [`text_analyzer`] and [`stem_analyzer`] directly with [`Mode::Query`],
//! which differs from the index side only in how CJK runs are cut (see the tokenizer).
//!
//! Besides those stages: [`script`] classifies characters by script, [`segment`] cuts Thai,
//! Lao, Khmer, Myanmar (and query runs of Chinese and Japanese) into words, [`stemmers`] names
//! the Snowball stemmers and their fields, [`romanize`] reads kana, Cyrillic and Greek in Latin
//! letters for the `roman` field, [`function_words`] holds each language's function words, and
//! [`bmp_table`] computes per-character values once.

/// Tests a token filter the way charabia's `test_normalizer!` does: each case is a text and
/// every token the script tokenizer and `$filter` make of it, as (term, the slice of the text
/// its offsets cover), so a filter that changes a term wrongly or moves its offsets (which
/// highlights depend on) fails.
/// `test_filter!(name, FoldFilter, ["Ōtozō" => [("otozo", "Ōtozō")]]);`
#[cfg(test)]
macro_rules! test_filter {
    ($name:ident, $filter:expr, [$($text:expr => [$(($term:expr, $source:expr)),* $(,)?]),+ $(,)?]) => {
        #[test]
        fn $name() {
            let mut analyzer = tantivy::tokenizer::TextAnalyzer::builder(
                crate::analysis::tokenizer::ScriptTokenizer::new(crate::analysis::Mode::Index),
            )
            .filter($filter)
            .build();
            $(
                let text: &str = $text;
                let mut found: Vec<(String, String)> = Vec::new();
                analyzer.token_stream(text).process(&mut |t| {
                    let source = text.get(t.offset_from..t.offset_to).unwrap_or("<not a slice>");
                    found.push((t.text.clone(), source.to_string()));
                });
                let expected: Vec<(String, String)> =
                    vec![$(($term.to_string(), $source.to_string())),*];
                assert_eq!(found, expected, "{text:?}");
            )+
        }
    };
}

pub mod acronym;
pub mod bmp_table;
pub mod fold;
pub mod function_words;
pub mod han;
pub mod normalize;
pub mod romanize;
pub mod script;
pub mod segment;
pub mod stemmers;
pub mod tokenizer;

use tantivy::tokenizer::{Stemmer, TextAnalyzer, TokenizerManager};

pub use normalize::normalize;
pub use stemmers::StemLang;
pub use tokenizer::Mode;

use acronym::AcronymPlurals;
use fold::FoldFilter;
use romanize::RomanTokenizer;
use tokenizer::{ScriptTokenizer, SkipCjk};

/// Name under which the generic (unstemmed) analyzer is registered. The schema records the
/// names of its fields' analyzers, so a name changes with what its analyzer produces (`_v2`:
/// Thai, Lao, Khmer and Myanmar cut into words; `_v3`: Han characters in their simplified form),
/// and an index analyzed otherwise is refused or rebuilt rather than searched with the wrong
/// tokens.
pub const TEXT_ANALYZER: &str = "archivist_text_v3";

/// Name under which the analyzer of the `nostem` field is registered.
pub const NOSTEM_ANALYZER: &str = "archivist_nostem_v3";

/// Name under which the romanizing analyzer (kana, Cyrillic, Greek -> Latin) is registered.
pub const ROMAN_ANALYZER: &str = "archivist_roman";

/// The generic analyzer: script-aware tokens, lowercased and folded.
pub fn text_analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(ScriptTokenizer::new(mode))
        .filter(FoldFilter)
        .build()
}

/// The generic analyzer followed by `lang`'s Snowball stemmer (acronyms' plurals reduced to the
/// acronym first), folded after stemming.
pub fn stem_analyzer(lang: StemLang, mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(ScriptTokenizer::new(mode))
        .filter(AcronymPlurals)
        .filter(Stemmer::new(lang.tantivy_language()))
        .filter(FoldFilter)
        .build()
}

/// The generic analyzer without CJK: words of languages that have no stemmer, for `nostem`.
pub fn nostem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ScriptTokenizer::new(Mode::Index))
        .filter(SkipCjk)
        .filter(FoldFilter)
        .build()
}

/// Romanized kana, Cyrillic and Greek words; the same at index and query time.
pub fn roman_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RomanTokenizer).build()
}

/// Registers the index-side analyzers under the names the schema refers to.
pub fn register(manager: &TokenizerManager) {
    manager.register(TEXT_ANALYZER, text_analyzer(Mode::Index));
    manager.register(ROMAN_ANALYZER, roman_analyzer());
    manager.register(NOSTEM_ANALYZER, nostem_analyzer());
    for lang in StemLang::ALL {
        manager.register(&lang.analyzer_name(), stem_analyzer(lang, Mode::Index));
    }
}

/// Runs `analyzer` over `text` and returns the token texts.
#[cfg(test)]
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |t| out.push(t.text.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_latin_but_keeps_kana_and_cyrillic() {
        let mut a = text_analyzer(Mode::Index);
        assert_eq!(
            terms(&mut a, "Otozō Lüshun Heijō"),
            ["otozo", "lushun", "heijo"]
        );
        assert_eq!(terms(&mut a, "Бой"), ["бой"]);
        assert_eq!(terms(&mut a, "ガ"), ["ガ"]);
    }

    #[test]
    fn stems_then_folds() {
        let mut en = stem_analyzer(StemLang::English, Mode::Query);
        assert_eq!(terms(&mut en, "prisoners"), ["prison"]);
        let mut ru = stem_analyzer(StemLang::Russian, Mode::Query);
        assert_eq!(
            terms(&mut ru, "Военнопленные"),
            terms(&mut ru, "военнопленный")
        );
        assert_eq!(terms(&mut en, "RXRs"), terms(&mut en, "RXR"));
        let mut fr = stem_analyzer(StemLang::French, Mode::Query);
        assert_eq!(terms(&mut fr, "déclarées"), terms(&mut fr, "déclaré"));
    }
}
