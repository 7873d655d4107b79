//! Words that stand for several index terms: a prefix (`repatriat*`), a fuzzy word
//! (`Nomonhan~1`) and, with `--fuzzy`, every word and the words a few edits from it.

use tantivy::Term;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, RegexPhraseQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::tokens::{analyze, boosted};
use super::{BODY_BOOST, Compiler, FUZZY_BOOST, Origin, STEM_BOOST, Shape, TITLE_BOOST};
use crate::analysis::script::{CharClass, classify};
use crate::search::expand::{self, Expansion};
use crate::search::parse::{Modifier, Scope};

/// The near terms a word of a fuzzy phrase stands for at most, its closest first: a short
/// word of a large archive has thousands within two edits, and each is a branch of the
/// phrase's automaton.
const MAX_NEAR_TERMS: usize = 64;

impl Compiler<'_> {
    /// A prefix (`repatriat*`) or fuzzy (`Nomonhan~1`) word: the index terms it stands for,
    /// each scored by BM25 under its closeness weight, and highlighted.
    pub(super) fn expanded(
        &mut self,
        scope: &Scope,
        text: &str,
        modifier: Modifier,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let tokens = analyze(&mut self.text, text);
        let (Some(searcher), [(_, token)]) = (self.searcher, tokens.as_slice()) else {
            return self.word(scope, text, Shape::Word, origin);
        };
        let expansions = match modifier {
            Modifier::Prefix => expand::prefix(searcher, self.fields.body, token),
            Modifier::Fuzzy(distance) => {
                let distance = distance.unwrap_or_else(|| expand::distance_for(token));
                expand::fuzzy(searcher, self.fields.body, token, distance)
            }
            Modifier::None => return self.word(scope, text, Shape::Word, origin),
        }
        .unwrap_or_default();
        Some(self.terms_of(scope, &expansions, 1.0, origin))
    }

    /// `--fuzzy`: the word as usual, and the words within its length's edit distance below it.
    pub(super) fn forgiving(
        &mut self,
        scope: &Scope,
        text: &str,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let exact = self.word(scope, text, Shape::Word, origin)?;
        let tokens = analyze(&mut self.text, text);
        let (Some(searcher), [(_, token)]) = (self.searcher, tokens.as_slice()) else {
            return Some(exact);
        };
        let distance = expand::distance_for(token);
        let alphabetic = token.chars().all(|c| classify(c) == CharClass::Word);
        if distance == 0 || !alphabetic {
            return Some(exact);
        }
        let near: Vec<Expansion> = expand::fuzzy(searcher, self.fields.body, token, distance)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.term != *token)
            .collect();
        if near.is_empty() {
            return Some(exact);
        }
        let near = self.terms_of(scope, &near, FUZZY_BOOST, origin);
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, exact),
            (Occur::Should, near),
        ])))
    }

    /// `--fuzzy` on a phrase: its words in their order, each also as the index terms a few
    /// edits from it (by its length), so `"Kwantung Army"` finds `Kwantnng Army` in a poor OCR
    /// reading; in bodies, weighted as a fuzzy word. Nothing when no word has a near term.
    pub(super) fn near_phrase(
        &mut self,
        tokens: &[(usize, String)],
        slop: u32,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let searcher = self.searcher?;
        let first = tokens.first()?.0;
        // Each word's terms: itself, then those near it.
        let mut words: Vec<Vec<String>> = Vec::with_capacity(tokens.len());
        for (_, token) in tokens {
            let mut terms = vec![token.clone()];
            let distance = expand::distance_for(token);
            if distance > 0 && token.chars().all(|c| classify(c) == CharClass::Word) {
                let near = expand::fuzzy(searcher, self.fields.body, token, distance)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|e| e.term != *token)
                    .take(MAX_NEAR_TERMS);
                terms.extend(near.map(|e| e.term));
            }
            words.push(terms);
        }
        if words.iter().all(|terms| terms.len() == 1) {
            return None;
        }
        if origin.positive {
            self.highlight_near(words.clone(), origin);
        }
        let positions = tokens
            .iter()
            .zip(&words)
            .map(|((position, _), terms)| {
                let alternatives: Vec<String> = terms.iter().map(|t| regex::escape(t)).collect();
                (position.saturating_sub(first), alternatives.join("|"))
            })
            .collect();
        let shown: Vec<&str> = tokens.iter().map(|(_, t)| t.as_str()).collect();
        let query = RegexPhraseQuery::new_with_offset_and_slop(self.fields.body, positions, slop);
        let weight = FUZZY_BOOST * (STEM_BOOST + BODY_BOOST);
        Some(self.leaf(
            self.fields.body,
            format!("body:\"{}\"~", shown.join(" ")),
            boosted(Box::new(query), weight),
            origin,
        ))
    }

    /// Any of `expansions`, in bodies and titles, each weighted; nothing when empty.
    pub(super) fn terms_of(
        &mut self,
        scope: &Scope,
        expansions: &[Expansion],
        boost: f32,
        origin: Origin,
    ) -> Box<dyn Query> {
        if expansions.is_empty() {
            return Box::new(EmptyQuery);
        }
        let mut clauses = Vec::new();
        for e in expansions {
            if origin.positive {
                self.highlight_term(&e.term);
            }
            let term = |field| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &e.term),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            };
            let weight = e.weight * boost;
            let title = boosted(term(self.fields.title), weight * TITLE_BOOST);
            clauses.push((
                Occur::Should,
                self.leaf(
                    self.fields.title,
                    format!("title:{}", e.term),
                    title,
                    origin,
                ),
            ));
            if *scope == Scope::All {
                let body = boosted(term(self.fields.body), weight);
                clauses.push((
                    Occur::Should,
                    self.leaf(self.fields.body, format!("body:{}", e.term), body, origin),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }
}
