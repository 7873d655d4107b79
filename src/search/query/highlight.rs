//! What snippets highlight: the terms each word was searched as, per analysis, collected while
//! compiling; and which of them matched only inside a phrase or only as a variant form.

use crate::entities::{Kind, Region};
use std::collections::{HashMap, HashSet};

use super::{Compiler, Origin};
use crate::analysis::StemLang;

/// Terms to highlight, per analysis: what `body` was searched for, per stemmer, and romanized.
#[derive(Debug, Default, Clone)]
pub struct Highlight {
    pub body: HashSet<String>,
    pub stems: HashMap<StemLang, HashSet<String>>,
    pub roman: HashSet<String>,
    /// Token sequences of phrases (and of words that analyze into several words), shown as one
    /// span where they stand together: each word's terms (one, or a fuzzy phrase's word and
    /// the terms near it).
    pub phrases: Vec<Vec<Vec<String>>>,
    /// Terms of `body` searched only as part of a phrase: highlighted only where the phrase
    /// stands, as only there did they match (`"Kwantung Army"` marks no lone `army`).
    pub phrase_only: HashSet<String>,
    /// Terms and phrases (joined by a space) searched only through another form of a variant
    /// name: a passage with the typed form is shown before one with only a variant.
    pub variant_only: HashSet<String>,
    /// Entities searched for (`email:`, `phone:`…), normalized as the index holds them (a
    /// national phone number as the digits its numbers end with): marked where the text
    /// writes them, in whatever form.
    pub entities: Vec<(Kind, String)>,
    /// The country a document's national phone numbers were read as at ingest, by its main
    /// language (set per document).
    pub region: Option<Region>,
}

impl Highlight {
    /// Only what can match in a document whose passages are in `stemmed` languages, with main
    /// language `main` and `text`, and romanized terms only if it matched through
    /// romanization: a stemmer's terms matter only where a passage was stemmed in its language,
    /// and each analysis costs work on every hit's text. National phone numbers are read as at
    /// ingest, as the country of its main language and script.
    pub fn for_document(
        &self,
        main: &str,
        stemmed: &[String],
        romanized: bool,
        text: &str,
    ) -> Highlight {
        Highlight {
            body: self.body.clone(),
            stems: self
                .stems
                .iter()
                .filter(|(lang, _)| {
                    stemmed
                        .iter()
                        .any(|l| StemLang::for_code(l) == Some(**lang))
                })
                .map(|(lang, terms)| (*lang, terms.clone()))
                .collect(),
            roman: if romanized {
                self.roman.clone()
            } else {
                HashSet::new()
            },
            phrases: self.phrases.clone(),
            phrase_only: self.phrase_only.clone(),
            variant_only: self.variant_only.clone(),
            entities: self.entities.clone(),
            region: match self.entities.is_empty() {
                true => None,
                false => Region::of_text(main, text),
            },
        }
    }
}

/// Which terms the highlight's sets end up with, collected while compiling: a term is
/// phrase-only or variant-only when no other use of it was seen.
#[derive(Default)]
pub(super) struct Uses {
    in_phrase: HashSet<String>,
    alone: HashSet<String>,
    in_variant: HashSet<String>,
    typed: HashSet<String>,
}

impl Uses {
    pub(super) fn finish(self, highlight: &mut Highlight) {
        highlight.phrase_only = self.in_phrase.difference(&self.alone).cloned().collect();
        highlight.variant_only = self.in_variant.difference(&self.typed).cloned().collect();
    }
}

impl Compiler<'_> {
    /// Highlights an index term a prefix or fuzzy word stands for, on its own, as typed.
    pub(super) fn highlight_term(&mut self, term: &str) {
        self.highlight.body.insert(term.to_string());
        self.uses.alone.insert(term.to_string());
        self.uses.typed.insert(term.to_string());
    }

    /// Highlights a form's tokens in `body`: as one span where they stand `together` (a
    /// phrase, a CJK word), and then only there, or each alone; as the typed form's or, while
    /// a variant is compiled, as a variant's.
    pub(super) fn highlight_tokens(&mut self, texts: Vec<String>, together: bool, origin: Origin) {
        self.highlight.body.extend(texts.iter().cloned());
        let mut shown = texts.clone();
        if together {
            self.uses.in_phrase.extend(texts.iter().cloned());
            shown.push(texts.join(" "));
            self.highlight
                .phrases
                .push(texts.into_iter().map(|t| vec![t]).collect());
        } else {
            self.uses.alone.extend(texts);
        }
        if origin.variant.is_none() {
            self.uses.typed.extend(shown);
        } else {
            self.uses.in_variant.extend(shown);
        }
    }

    /// Highlights a fuzzy phrase: its words, each as any of its terms, as one span where they
    /// stand together, and only there.
    pub(super) fn highlight_near(&mut self, words: Vec<Vec<String>>, origin: Origin) {
        let terms = words.iter().flatten().cloned();
        self.highlight.body.extend(terms.clone());
        self.uses.in_phrase.extend(terms.clone());
        let typed: Vec<String> = words.iter().filter_map(|w| w.first().cloned()).collect();
        let shown = terms.chain(std::iter::once(typed.join(" ")));
        if origin.variant.is_none() {
            self.uses.typed.extend(shown);
        } else {
            self.uses.in_variant.extend(shown);
        }
        self.highlight.phrases.push(words);
    }
}
