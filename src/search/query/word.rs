//! One word or phrase as typed: exact in titles and bodies, stemmed by each stemmer of its
//! script, romanized when Latin, and the other forms of its variant group.

use icu_properties::props::Script;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::tokens::{analyze, boosted, sequence};
use super::{
    BODY_BOOST, Compiler, Origin, ROMAN_BOOST, STEM_BOOST, Shape, TITLE_BOOST, VARIANT_BOOST,
};
use crate::analysis::romanize;
use crate::analysis::script::{is_cjk_script, script};
use crate::analysis::{Mode, StemLang, stem_analyzer};
use crate::search::parse::{Modifier, Scope};

impl Compiler<'_> {
    /// A word as typed, with its modifier.
    pub(super) fn single_word(
        &mut self,
        scope: &Scope,
        text: &str,
        modifier: Modifier,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        match modifier {
            Modifier::None if self.fuzzy && *scope == Scope::All => {
                self.forgiving(scope, text, origin)
            }
            Modifier::None => self.word(scope, text, Shape::Word, origin),
            Modifier::Prefix | Modifier::Fuzzy(_) => self.expanded(scope, text, modifier, origin),
        }
    }

    /// A word or phrase, and the other forms of its variant group if it has one.
    pub(super) fn word(
        &mut self,
        scope: &Scope,
        text: &str,
        shape: Shape,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let typed = self.form(scope, text, shape, origin)?;
        if *scope != Scope::All || self.variants.is_empty() {
            return Some(typed);
        }
        let tokens: Vec<String> = analyze(&mut self.text, text)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let others: Vec<String> = self
            .variants
            .others(&tokens)
            .into_iter()
            .map(str::to_string)
            .collect();
        if others.is_empty() {
            return Some(typed);
        }
        let mut clauses = vec![(Occur::Should, typed)];
        // Forms that analyze alike (`Kanto Army`, `Kantō Army`) are scored once, but each is
        // still reported when it matches.
        let mut scored: Vec<Vec<String>> = vec![tokens];
        for other in others {
            let leaves = self.leaves.len();
            let compiled = self.form(scope, &other, shape, origin.variant(&other));
            if let Some(q) = compiled {
                if origin.positive {
                    self.variant_queries.push((other.clone(), q.box_clone()));
                }
                let analyzed: Vec<String> = analyze(&mut self.text, &other)
                    .into_iter()
                    .map(|(_, t)| t)
                    .collect();
                if scored.contains(&analyzed) {
                    // Not scored, so not part of --explain either.
                    self.leaves.truncate(leaves);
                } else {
                    scored.push(analyzed);
                    clauses.push((Occur::Should, boosted(q, VARIANT_BOOST)));
                }
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// One form of a word: exact in titles and bodies, stemmed, romanized.
    pub(super) fn form(
        &mut self,
        scope: &Scope,
        text: &str,
        shape: Shape,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let (phrase, slop) = match shape {
            Shape::Word => (false, 0),
            Shape::Phrase(slop) => (true, slop),
        };
        let tokens = analyze(&mut self.text, text);
        if tokens.is_empty() {
            return None;
        }
        if origin.positive {
            let texts: Vec<String> = tokens.iter().map(|(_, t)| t.clone()).collect();
            let together = texts.len() > 1 && slop == 0;
            self.highlight_tokens(texts, together, origin);
        }
        let shown = match tokens.as_slice() {
            [(_, only)] => only.clone(),
            _ => format!(
                "\"{}\"",
                tokens
                    .iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        let title = boosted(sequence(self.fields.title, &tokens, slop), TITLE_BOOST);
        let mut clauses = vec![(
            Occur::Should,
            self.leaf(self.fields.title, format!("title:{shown}"), title, origin),
        )];
        if *scope == Scope::All {
            let stemmed = if phrase {
                Vec::new()
            } else {
                self.stemmed(text, origin)
            };
            // A phrase, a CJK word or a number has no stemmed clause: its exact match carries
            // the weight a word gets from both, so it counts as much as the query's other words.
            let weight = if stemmed.is_empty() {
                STEM_BOOST + BODY_BOOST
            } else {
                BODY_BOOST
            };
            let body = boosted(sequence(self.fields.body, &tokens, slop), weight);
            clauses.push((
                Occur::Should,
                self.leaf(self.fields.body, format!("body:{shown}"), body, origin),
            ));
            clauses.extend(stemmed.into_iter().map(|q| (Occur::Should, q)));
            if phrase
                && self.fuzzy
                && let Some(near) = self.near_phrase(&tokens, slop, origin)
            {
                clauses.push((Occur::Should, near));
            }
            if !phrase
                && let [(_, token)] = tokens.as_slice()
                && let Some(roman) = self.romanized(token, origin)
            {
                clauses.push((Occur::Should, roman));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Stemmed-field clauses for a one-token word, for each stemmer of the word's script.
    pub(super) fn stemmed(&mut self, text: &str, origin: Origin) -> Vec<Box<dyn Query>> {
        let Some(word_script) = text.chars().find(|c| c.is_alphabetic()).map(script) else {
            return Vec::new();
        };
        if is_cjk_script(word_script) {
            return Vec::new();
        }
        let word_script = if word_script == Script::Common {
            Script::Latin
        } else {
            word_script
        };
        let mut out = Vec::new();
        for lang in StemLang::ALL
            .into_iter()
            .filter(|l| l.script() == word_script)
        {
            let analyzer = self
                .stemmers
                .entry(lang)
                .or_insert_with(|| stem_analyzer(lang, Mode::Query));
            let stems = without_clitics(analyzer, text);
            if origin.positive && !stems.is_empty() {
                let highlighted = self.highlight.stems.entry(lang).or_default();
                highlighted.extend(stems.iter().cloned());
            }
            let field = self.fields.stem(lang);
            out.extend(self.all_of(field, &lang.field_name(), &stems, origin));
        }
        // Passages in languages without a stemmer hold their folded words in `nostem`; the
        // folded words of the query are the body's analysis, already highlighted there.
        let words = without_clitics(&mut self.text, text);
        out.extend(self.all_of(self.fields.nostem, "nostem", &words, origin));
        out
    }

    /// A stem-weighted clause: every one of `terms` in `field` (a field without positions, so
    /// a word of several tokens needs all of them anywhere); nothing when `terms` is empty.
    pub(super) fn all_of(
        &mut self,
        field: Field,
        name: &str,
        terms: &[String],
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let term = |text: &String| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ))
        };
        let query = match terms {
            [] => return None,
            [only] => term(only),
            _ => {
                let occur = if self.parts_optional {
                    Occur::Should
                } else {
                    Occur::Must
                };
                Box::new(BooleanQuery::new(
                    terms.iter().map(|t| (occur, term(t))).collect(),
                ))
            }
        };
        let label = format!("{name}:{}", terms.join("+"));
        Some(self.leaf(field, label, boosted(query, STEM_BOOST), origin))
    }

    /// The `roman` clause for a Latin one-token word.
    pub(super) fn romanized(&mut self, token: &str, origin: Origin) -> Option<Box<dyn Query>> {
        let roman = romanize::query_term(token)?;
        let term = Term::from_field_text(self.fields.roman, &roman);
        if origin.positive {
            self.highlight.roman.insert(roman);
            self.roman_terms.push(term.clone());
        }
        let query = boosted(
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ROMAN_BOOST,
        );
        Some(self.leaf(self.fields.roman, format!("roman:{token}"), query, origin))
    }
}

/// The terms of `text` for a lookup in a field without positions, leaving out clitics: a
/// token of at most two characters joined to the word by an apostrophe (`'s`, `'t`, `'ll`,
/// `l'`, `d'`, `qu'`). Such a lookup needs every term of the word somewhere in the document, so
/// without this `Alzheimer's` would need a separate `s`, and would miss every text that writes
/// `Alzheimer disease`. The exact phrase in `body` keeps the clitic. When every token is a
/// clitic (`I'd`), all are kept.
fn without_clitics(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let is_apostrophe = |c: Option<char>| matches!(c, Some('\'' | '\u{2019}' | '\u{02bc}'));
    let mut all = Vec::new();
    let mut kept = Vec::new();
    analyzer.token_stream(text).process(&mut |t| {
        let before = text
            .get(..t.offset_from)
            .and_then(|s| s.chars().next_back());
        let after = text.get(t.offset_to..).and_then(|s| s.chars().next());
        let short = text
            .get(t.offset_from..t.offset_to)
            .is_some_and(|s| s.chars().count() <= 2);
        if !(short && (is_apostrophe(before) || is_apostrophe(after))) {
            kept.push(t.text.clone());
        }
        all.push(t.text.clone());
    });
    if kept.is_empty() { all } else { kept }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::text_analyzer;
    #[test]
    fn clitics_are_left_out_of_stem_lookups() {
        let mut english = stem_analyzer(StemLang::English, Mode::Query);
        assert_eq!(without_clitics(&mut english, "Alzheimer's"), ["alzheim"]);
        assert_eq!(
            without_clitics(&mut english, "Alzheimer\u{2019}s"),
            ["alzheim"]
        );
        assert_eq!(without_clitics(&mut english, "T-cells"), ["t", "cell"]);
        let mut french = stem_analyzer(StemLang::French, Mode::Query);
        assert_eq!(without_clitics(&mut french, "l'armée"), ["arme"]);
        let mut text = text_analyzer(Mode::Query);
        assert_eq!(without_clitics(&mut text, "I'd"), ["i", "d"]);
    }
}
