//! Words that stand for several index terms: a prefix (`repatriat*`), a fuzzy word
//! (`Nomonhan~1`) and, with `--fuzzy`, every word and the words a few edits from it.

use tantivy::Term;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::tokens::{analyze, boosted};
use super::{Compiler, FUZZY_BOOST, Origin, Shape, TITLE_BOOST};
use crate::analysis::script::{CharClass, classify};
use crate::search::expand::{self, Expansion};
use crate::search::parse::{Modifier, Scope};

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
