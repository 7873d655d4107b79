//! The function words of the collection's languages, left out of `--any` queries.
//!
//! An `--any` query is a sentence (`5% of perinatal mortality is due to low birth weight`), and
//! its function words (`of`, `is`, `to`) match nearly every document: each adds a little score
//! to whichever documents use it most, which reorders the documents that matter. Lucene's
//! language analyzers drop them at index time; here they are dropped from the query, and only
//! for the languages the collection is written in, so that `war` (German for "was") stays in a
//! query on an English archive and goes on a German one. A language counts when it is the main
//! language of at least 1/[`PRESENT_SHARE`] of the documents (the `lang` field that ingest
//! writes; a passage in another language, often a misreading of code or names, does not
//! count). The lists are those language detection uses ([`crate::analysis::function_words`]),
//! folded as query words are. No language model is involved.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use tantivy::Searcher;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::function_words;
use crate::schema::Fields;

/// A language's function words are left out when at least 1 document in this many is mainly in
/// it; below that it is too rare in the collection for its function words to be noise, and too
/// rare to be what the query is in.
pub const PRESENT_SHARE: u64 = 50;

/// The folded function words of the languages present in a collection.
#[derive(Debug, Default)]
pub struct Stopwords {
    words: HashSet<String>,
}

impl Stopwords {
    /// The function words of the languages present in the index `searcher` reads.
    pub fn of_collection(
        searcher: &Searcher,
        fields: &Fields,
        analyzer: &mut TextAnalyzer,
    ) -> Result<Stopwords> {
        Ok(Stopwords::of_languages(
            present(searcher, fields)?,
            analyzer,
        ))
    }

    /// The function words of the languages with these ISO 639-1 codes, each analyzed with
    /// `analyzer` (lowercased, folded); a word that analyzes into several tokens (`don't`) is
    /// left out, as no one-token query word can equal it.
    pub fn of_languages(
        codes: impl IntoIterator<Item = impl AsRef<str>>,
        analyzer: &mut TextAnalyzer,
    ) -> Stopwords {
        let mut words = HashSet::new();
        for code in codes {
            for word in function_words::list(code.as_ref()).unwrap_or_default() {
                let mut tokens = Vec::new();
                analyzer
                    .token_stream(word)
                    .process(&mut |t| tokens.push(t.text.clone()));
                if let [only] = tokens.as_slice() {
                    words.insert(only.clone());
                }
            }
        }
        Stopwords { words }
    }

    /// Whether `token` (an analyzed query token) is a function word of the collection.
    pub fn contains(&self, token: &str) -> bool {
        self.words.contains(token)
    }
}

/// The languages the collection is written in: each the main language of at least
/// 1/[`PRESENT_SHARE`] of the documents, by ISO 639-1 code.
pub fn present(searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
    let mut documents: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(fields.lang)?;
        let mut stream = index.terms().stream()?;
        while stream.advance() {
            if let Ok(code) = std::str::from_utf8(stream.key()) {
                *documents.entry(code.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    let total = searcher.num_docs();
    Ok(documents
        .into_iter()
        .filter(|(_, count)| count * PRESENT_SHARE >= total)
        .map(|(code, _)| code)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Mode, text_analyzer};

    #[test]
    fn only_the_given_languages_words_are_stopwords() {
        let mut analyzer = text_analyzer(Mode::Query);
        let english = Stopwords::of_languages(["en"], &mut analyzer);
        assert!(english.contains("the") && english.contains("of"));
        assert!(
            !english.contains("war"),
            "German for 'was', an English noun"
        );
        let german = Stopwords::of_languages(["en", "de"], &mut analyzer);
        assert!(german.contains("war"));
        // Folded like query words: `für` is searched as `fur`.
        assert!(german.contains("fur"));
        assert!(!Stopwords::of_languages(["xx"], &mut analyzer).contains("the"));
    }
}
