//! Query syntax tree -> tantivy query, analyzed with the same analyzers as the index.
//!
//! Each word becomes a disjunction over fields: `body` (exact, [`BODY_BOOST`]), `title`
//! ([`TITLE_BOOST`]), the stemmed fields of the word's script and `nostem` ([`STEM_BOOST`]), and,
//! for a Latin word, its romanized form in `roman` ([`ROMAN_BOOST`], so `shiberia` finds
//! `シベリア` below documents that spell it in Latin). Exact matches rank above stemmed ones
//! because they match both `body` and the stemmed field. A word that analyzes into several
//! tokens (a CJK word becomes bigrams, `T-cell` two words) must match them adjacently in `body`,
//! as a phrase, and all of them anywhere in the stemmed fields, which have no positions. The
//! terms looked for are also returned, so snippets can highlight exactly what was searched.
//!
//! [`compile`] walks the tree with a `Compiler`, which collects what the clauses it builds
//! need reported (highlights, `--explain` labels, words left out); what differs from one call
//! to the next (a phrase's slop, the variant form being compiled) is passed as arguments.
//! - `weights`: every ranking weight, in one place.
//! - `word`: a word or phrase as typed, its variant forms, its stemmed and romanized clauses.
//! - `spaceless`: a Japanese, Chinese or Thai run typed without spaces, cut into words.
//! - `expansions`: prefix (`repatriat*`), fuzzy (`Nomonhan~1`) and `--fuzzy` words.
//! - `any`: `--any`, every word optional and function words left out.
//! - `filters`: `path:`, `ext:`, `year:`, `lang:` and `--lang`, which match without scoring.
//! - `highlight`: the terms snippets highlight, and which of them only in phrases or variants.
//! - `tokens`: a text's query tokens and the term or phrase query they make.

mod any;
mod expansions;
mod filters;
mod highlight;
mod lengths;
mod spaceless;
mod tokens;
mod weights;
mod word;

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};
use thiserror::Error;

use super::parse::{self, Modifier, Node, ParseError};
use super::segment_fields::{Presence, Present};
use super::words::{self, Cut};
use crate::analysis::{Mode, StemLang, normalize, text_analyzer};
use crate::annotations::DocRef;
use crate::schema::Fields;
use crate::variants::Variants;
pub use filters::tagged;
pub use highlight::Highlight;
use highlight::Uses;
use tokens::boosted;
pub use weights::*;

#[derive(Debug, Error)]
pub enum QueryError {
    /// Shown with its cause (`{:#}`): `invalid query: unclosed quote at column 1`.
    #[error("invalid query")]
    Parse(#[from] ParseError),
    #[error("invalid query: nothing searchable in it (only punctuation or negations of nothing)")]
    NothingSearchable,
}

pub struct Compiled {
    pub query: Box<dyn Query>,
    pub highlight: Highlight,
    /// The fields of each segment, which the query's clauses skip segments by: its BM25
    /// statistics must skip them too (see [`super::segment_fields`]).
    pub presence: Option<Arc<Presence>>,
    /// The romanized terms of the query as one disjunction, to tell which hits matched through
    /// romanization; `None` when no word was looked for romanized.
    pub romanized: Option<Box<dyn Query>>,
    /// Each variant form searched besides the typed one, with its query, to tell which matched.
    pub variants: Vec<(String, Box<dyn Query>)>,
    /// Every scoring clause (`body:maizuru`, `stem_en:prison`, `variant Nomonham: body:nomonham`)
    /// with its weight, for `--explain`.
    pub leaves: Vec<(String, Box<dyn Query>)>,
    /// The words left out as function words, as typed: with `--any`, those of the
    /// collection's languages; always, the particles of text typed without spaces.
    pub ignored: Vec<String>,
    /// The typed words that were cut into several (`--explain` shows them).
    pub cuts: Vec<Cut>,
}

/// How a query is read, beyond its text.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Keep only documents with text in one of these languages (`--lang`), like
    /// `(lang:a OR lang:b) query`.
    pub langs: Vec<String>,
    /// Every top-level word optional (`--any`): documents rank by how many words match and
    /// how well, for natural-language queries. Negations still exclude.
    pub any: bool,
    /// Names that mean the same thing (see [`crate::variants`]).
    pub variants: Variants,
    /// Every word also matches words a few edits away (`--fuzzy`), by its length.
    pub fuzzy: bool,
    /// The documents each tag marks, for `tag:` (see [`crate::annotations`]).
    pub tagged: BTreeMap<String, Vec<DocRef>>,
}

/// Most entities of the variants file named per hit and counted in facets: each is a query of
/// its own on every search that shows them.
pub const MAX_NAMED: usize = 500;

/// Each entity of the variants file (its first form) with the query of any of its forms, for
/// naming the entities of hits and counting them (none past [`MAX_NAMED`] groups).
pub fn names(
    variants: &Variants,
    fields: &Fields,
    searcher: &Searcher,
) -> Vec<(String, Box<dyn Query>)> {
    if variants.len() > MAX_NAMED {
        return Vec::new();
    }
    (0..variants.len())
        .filter_map(|i| {
            let compiled = compile(
                &variants.group_query(i),
                fields,
                &QueryOptions::default(),
                Some(searcher),
            )
            .ok()?;
            Some((variants.group_name(i).to_string(), compiled.query))
        })
        .collect()
}

/// Parses and compiles a query string. `searcher` lets prefix and fuzzy words expand to the
/// terms of the index; without it they are searched as typed.
pub fn compile(
    query: &str,
    fields: &Fields,
    options: &QueryOptions,
    searcher: Option<&Searcher>,
) -> Result<Compiled, QueryError> {
    let node = parse::parse(&normalize(query))?;
    // An index whose segments cannot be listed fails the search itself right after; here it
    // only means no clause skips a segment.
    let presence = searcher.and_then(|s| Presence::of(s).ok()).map(Arc::new);
    let mut compiler = Compiler {
        fields,
        searcher,
        presence,
        fuzzy: options.fuzzy,
        parts_optional: options.any,
        text: text_analyzer(Mode::Query),
        stemmers: HashMap::new(),
        highlight: Highlight::default(),
        roman_terms: Vec::new(),
        variants: &options.variants,
        tagged: &options.tagged,
        variant_queries: Vec::new(),
        leaves: Vec::new(),
        ignored: Vec::new(),
        cuts: Vec::new(),
        uses: Uses::default(),
    };
    let mut query = match (&node, options.any, searcher) {
        (Node::And(children), true, _) => compiler.any_of(children),
        // A thread alone: its messages in conversation order.
        (Node::Thread(typed), _, Some(searcher)) => {
            Some(filters::conversation(searcher, fields, typed))
        }
        _ => compiler.node(&node, Origin::TYPED),
    }
    .ok_or(QueryError::NothingSearchable)?;
    if !options.langs.is_empty() {
        query = compiler.in_languages(&options.langs, query);
    }
    let romanized = (!compiler.roman_terms.is_empty()).then(|| {
        let clauses = std::mem::take(&mut compiler.roman_terms)
            .into_iter()
            .map(|term| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        let query = Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>;
        compiler.in_segments_with(fields.roman, query)
    });
    std::mem::take(&mut compiler.uses).finish(&mut compiler.highlight);
    Ok(Compiled {
        query,
        highlight: compiler.highlight,
        presence: compiler.presence,
        romanized,
        variants: compiler.variant_queries,
        leaves: compiler.leaves,
        ignored: compiler.ignored,
        cuts: compiler.cuts,
    })
}

struct Compiler<'a> {
    fields: &'a Fields,
    searcher: Option<&'a Searcher>,
    /// The fields of each segment of the index searched, when it is known.
    presence: Option<Arc<Presence>>,
    fuzzy: bool,
    /// `--any`: the tokens of a word of several (`PPAR-RXRs`, `TCR/CD3`) are optional in the
    /// stemmed fields, each scored on its own like the words of a natural-language query;
    /// otherwise all of them are required.
    parts_optional: bool,
    text: TextAnalyzer,
    stemmers: HashMap<StemLang, TextAnalyzer>,
    highlight: Highlight,
    /// Romanized terms of positive words.
    roman_terms: Vec<Term>,
    variants: &'a Variants,
    /// The documents each tag marks (`tag:`).
    tagged: &'a BTreeMap<String, Vec<DocRef>>,
    variant_queries: Vec<(String, Box<dyn Query>)>,
    leaves: Vec<(String, Box<dyn Query>)>,
    ignored: Vec<String>,
    cuts: Vec<Cut>,
    uses: Uses,
}

/// Whether a word is searched as one (its tokens anywhere, and stemmed) or as a phrase (its
/// tokens in order, `slop` positions apart at most, and not stemmed).
#[derive(Clone, Copy)]
enum Shape {
    Word,
    Phrase(u32),
}

/// Where a clause being compiled comes from, passed down with it: whether it is searched for
/// (`positive`: its terms are highlighted, reported and explained) or excluded (under a
/// negation), and whether it is another form of a variant name than the one typed (its
/// clauses are labelled with the form and weighted [`VARIANT_BOOST`] in `--explain`).
#[derive(Clone, Copy)]
struct Origin<'v> {
    positive: bool,
    variant: Option<&'v str>,
}

impl<'v> Origin<'v> {
    const TYPED: Origin<'static> = Origin {
        positive: true,
        variant: None,
    };
    const NEGATED: Origin<'static> = Origin {
        positive: false,
        variant: None,
    };

    fn negated(self) -> Origin<'v> {
        Origin {
            positive: !self.positive,
            ..self
        }
    }

    fn variant(self, form: &str) -> Origin<'_> {
        Origin {
            variant: Some(form),
            ..self
        }
    }
}

impl Compiler<'_> {
    /// `None` when the node has nothing to search for (a word of punctuation only).
    /// Under a negation `origin` is negated: its terms are not highlighted.
    fn node(&mut self, node: &Node, origin: Origin) -> Option<Box<dyn Query>> {
        match node {
            Node::Word {
                scope,
                text,
                modifier,
            } => match words::cut(text) {
                Some(cut) if *modifier == Modifier::None => self.cut_word(scope, cut, origin),
                _ => self.single_word(scope, text, *modifier, origin),
            },
            Node::Phrase { scope, text, slop } => {
                self.word(scope, text, Shape::Phrase(*slop), origin)
            }
            Node::Path(_)
            | Node::Ext(_)
            | Node::Year(..)
            | Node::Date(..)
            | Node::Lang(_)
            | Node::Tag(_)
            | Node::Thread(_) => Some(self.filter_of(node)),
            Node::Name(typed) => {
                let Some(group) = self.variants.group_of(typed) else {
                    return Some(Box::new(EmptyQuery));
                };
                // Any of the entity's forms, each as it is written (its words marked where
                // they match), not expanded again through the variants; unscored, as filters.
                let forms = parse::parse(&normalize(&self.variants.group_query(group))).ok()?;
                let variants = std::mem::replace(&mut self.variants, &crate::variants::NONE);
                let query = self.node(&forms, origin);
                self.variants = variants;
                Some(Box::new(ConstScoreQuery::new(query?, 0.0)))
            }
            Node::Entity(kind, typed) => {
                if origin.positive
                    && let Some(value) = crate::entities::normalize(*kind, typed)
                {
                    self.highlight.entities.push((*kind, value));
                }
                Some(self.filter_of(node))
            }
            Node::And(children) => {
                let mut clauses = Vec::new();
                let mut positives = 0;
                for child in children {
                    if let Node::Not(inner) = child {
                        if let Some(q) = self.node(inner, origin.negated()) {
                            clauses.push((Occur::MustNot, q));
                        }
                    } else if let Some(q) = self.node(child, origin) {
                        clauses.push((Occur::Must, q));
                        positives += 1;
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if positives == 0 {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(children) => {
                let clauses: Vec<_> = children
                    .iter()
                    .filter_map(|child| self.node(child, origin))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Not(inner) => {
                let excluded = self.node(inner, origin.negated())?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, excluded),
                ])))
            }
        }
    }

    /// Records a scoring clause on `field` for `--explain` (with the variant it belongs to and
    /// its weight) and gives it back, to be searched only in the segments that have `field`.
    fn leaf(
        &mut self,
        field: Field,
        label: String,
        query: Box<dyn Query>,
        origin: Origin,
    ) -> Box<dyn Query> {
        let query = self.in_segments_with(field, query);
        if origin.positive {
            let (label, factor) = match origin.variant {
                Some(form) => (format!("variant {form}: {label}"), VARIANT_BOOST),
                None => (label, 1.0),
            };
            self.leaves
                .push((label, boosted(query.box_clone(), factor)));
        }
        query
    }

    /// `query`, all of whose terms are in `field`, skipping the segments without `field` when
    /// the index is known (see [`super::segment_fields`]).
    fn in_segments_with(&self, field: Field, query: Box<dyn Query>) -> Box<dyn Query> {
        match &self.presence {
            Some(presence) => Box::new(Present {
                field,
                presence: Arc::clone(presence),
                query,
            }),
            None => query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn fields() -> Fields {
        crate::schema::build().1
    }

    #[test]
    fn highlights_collect_positive_terms_only() -> Result<(), QueryError> {
        let c = compile(
            "Prisoners -Germany 抑留",
            &fields(),
            &QueryOptions::default(),
            None,
        )?;
        assert!(c.highlight.body.contains("prisoners"));
        assert!(c.highlight.body.contains("抑留"));
        assert!(!c.highlight.body.contains("germany"));
        assert!(c.highlight.stems[&StemLang::English].contains("prison"));
        Ok(())
    }

    #[test]
    fn cyrillic_words_use_cyrillic_stemmers_only() -> Result<(), QueryError> {
        let c = compile("военнопленный", &fields(), &QueryOptions::default(), None)?;
        assert_eq!(
            c.highlight.stems.keys().collect::<Vec<_>>(),
            [&StemLang::Russian]
        );
        Ok(())
    }

    #[test]
    fn latin_words_are_also_looked_for_romanized() -> Result<(), QueryError> {
        let c = compile(
            "Shiberia 抑留 -tokyo",
            &fields(),
            &QueryOptions::default(),
            None,
        )?;
        assert_eq!(
            c.highlight.roman.iter().collect::<Vec<_>>(),
            [&"shiberia".to_string()]
        );
        assert!(c.romanized.is_some());
        assert!(
            compile("抑留", &fields(), &QueryOptions::default(), None)?
                .romanized
                .is_none()
        );
        Ok(())
    }

    #[test]
    fn punctuation_only_is_an_error() {
        assert!(matches!(
            compile("!!! ---", &fields(), &QueryOptions::default(), None),
            Err(QueryError::NothingSearchable)
        ));
        assert!(matches!(
            compile("\"open", &fields(), &QueryOptions::default(), None),
            Err(QueryError::Parse(_))
        ));
    }
}
