//! Query syntax tree -> tantivy query, analyzed with the same analyzers as the index.
//!
//! Each word becomes a disjunction over fields, weighted so that exact matches rank above stemmed
//! ones: `body` (weight 1), `title` ([`TITLE_BOOST`]) and, for the stemmers of the word's script,
//! `stem_xx` ([`STEM_BOOST`]) and, for a Latin word, its romanized form in `roman`
//! ([`ROMAN_BOOST`], so `shiberia` finds `シベリア` below documents that spell it in Latin). A word that analyzes into several tokens (a CJK word becomes
//! bigrams, `Soviet–Japanese` two words) must match them adjacently, as a phrase. The terms
//! looked for are also returned, so snippets can highlight exactly what was searched.

use std::collections::{HashMap, HashSet};

use icu_properties::props::Script;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use thiserror::Error;

use super::parse::{self, Node, ParseError, Scope};
use super::variants::Variants;
use crate::analysis::romanize;
use crate::analysis::script::{is_cjk_script, script};
use crate::analysis::{Mode, StemLang, normalize, stem_analyzer, text_analyzer};
use crate::schema::Fields;

/// Weight of a title match relative to a body match. A title is also part of the body (its
/// first line, or an HTML `<h1>`), so a title word already counts there; 0.5 on top scored best
/// on SciFact (nDCG@10 0.668 against 0.645 at 1.0 and 0.598 at 2.0, see bench/relevance.py).
pub const TITLE_BOOST: f32 = 0.5;
/// Weight of a stemmed match relative to an exact body match.
pub const STEM_BOOST: f32 = 0.5;
/// Weight of a match through another form of a variant name, relative to the typed form.
pub const VARIANT_BOOST: f32 = 0.8;
/// Weight of a match through romanization (a Latin word against kana, Cyrillic or Greek text).
pub const ROMAN_BOOST: f32 = 0.3;

#[derive(Debug, Error)]
pub enum QueryError {
    #[error("invalid query: {0}")]
    Parse(#[from] ParseError),
    #[error("invalid query: nothing searchable in it (only punctuation or negations of nothing)")]
    NothingSearchable,
}

/// Terms to highlight, per analysis: what `body` was searched for, per stemmer, and romanized.
#[derive(Debug, Default, Clone)]
pub struct Highlight {
    pub body: HashSet<String>,
    pub stems: HashMap<StemLang, HashSet<String>>,
    pub roman: HashSet<String>,
}

impl Highlight {
    /// Only what can match in a document with these languages: a stemmer's terms matter only
    /// where a passage was stemmed in its language, and every stemmer is a pass over the text.
    pub fn for_languages(&self, langs: &[String]) -> Highlight {
        Highlight {
            body: self.body.clone(),
            stems: self
                .stems
                .iter()
                .filter(|(lang, _)| langs.iter().any(|l| StemLang::for_code(l) == Some(**lang)))
                .map(|(lang, terms)| (*lang, terms.clone()))
                .collect(),
            roman: self.roman.clone(),
        }
    }
}

pub struct Compiled {
    pub query: Box<dyn Query>,
    pub highlight: Highlight,
    /// The romanized terms of the query as one disjunction, to tell which hits matched through
    /// romanization; `None` when no word was looked for romanized.
    pub romanized: Option<Box<dyn Query>>,
    /// Each variant form searched besides the typed one, with its query, to tell which matched.
    pub variants: Vec<(String, Box<dyn Query>)>,
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
    /// Names that mean the same thing (see [`super::variants`]).
    pub variants: Variants,
}

/// Parses and compiles a query string.
pub fn compile(
    query: &str,
    fields: &Fields,
    options: &QueryOptions,
) -> Result<Compiled, QueryError> {
    let node = parse::parse(&normalize(query))?;
    let mut compiler = Compiler {
        fields,
        text: text_analyzer(Mode::Query),
        stemmers: HashMap::new(),
        highlight: Highlight::default(),
        roman_terms: Vec::new(),
        variants: &options.variants,
        variant_queries: Vec::new(),
    };
    let mut query = match (&node, options.any) {
        (Node::And(children), true) => compiler.any_of(children),
        _ => compiler.node(&node, true),
    }
    .ok_or(QueryError::NothingSearchable)?;
    if !options.langs.is_empty() {
        let filter = Node::Or(
            options
                .langs
                .iter()
                .map(|l| Node::Lang(l.trim().to_lowercase()))
                .collect(),
        );
        if let Some(filter) = compiler.node(&filter, false) {
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, filter),
                (Occur::Must, query),
            ]));
        }
    }
    let romanized = (!compiler.roman_terms.is_empty()).then(|| {
        let clauses = compiler
            .roman_terms
            .into_iter()
            .map(|term| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
    });
    Ok(Compiled {
        query,
        highlight: compiler.highlight,
        romanized,
        variants: compiler.variant_queries,
    })
}

struct Compiler<'a> {
    fields: &'a Fields,
    text: TextAnalyzer,
    stemmers: HashMap<StemLang, TextAnalyzer>,
    highlight: Highlight,
    /// Romanized terms of positive words.
    roman_terms: Vec<Term>,
    variants: &'a Variants,
    variant_queries: Vec<(String, Box<dyn Query>)>,
}

/// Tokens of `text` as (position, term text).
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |t| out.push((t.position, t.text.clone())));
    out
}

impl Compiler<'_> {
    /// `None` when the node has nothing to search for (a word of punctuation only).
    /// `positive` is false under a negation: its terms are not highlighted.
    fn node(&mut self, node: &Node, positive: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Word { scope, text } => self.word(scope, text, false, positive),
            Node::Phrase { scope, text } => self.word(scope, text, true, positive),
            Node::Lang(code) => {
                let term = Term::from_field_text(self.fields.langs, code);
                let filter = TermQuery::new(term, IndexRecordOption::Basic);
                Some(Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)))
            }
            Node::And(children) => {
                let mut clauses = Vec::new();
                let mut positives = 0;
                for child in children {
                    if let Node::Not(inner) = child {
                        if let Some(q) = self.node(inner, !positive) {
                            clauses.push((Occur::MustNot, q));
                        }
                    } else if let Some(q) = self.node(child, positive) {
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
                    .filter_map(|child| self.node(child, positive))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Not(inner) => {
                let excluded = self.node(inner, !positive)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, excluded),
                ])))
            }
        }
    }

    /// A word or phrase, and the other forms of its variant group if it has one.
    fn word(
        &mut self,
        scope: &Scope,
        text: &str,
        phrase: bool,
        positive: bool,
    ) -> Option<Box<dyn Query>> {
        let typed = self.form(scope, text, phrase, positive)?;
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
        for other in others {
            if let Some(q) = self.form(scope, &other, false, positive) {
                if positive {
                    self.variant_queries.push((other, q.box_clone()));
                }
                clauses.push((Occur::Should, boosted(q, VARIANT_BOOST)));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// One form of a word: exact in titles and bodies, stemmed, romanized.
    fn form(
        &mut self,
        scope: &Scope,
        text: &str,
        phrase: bool,
        positive: bool,
    ) -> Option<Box<dyn Query>> {
        let tokens = analyze(&mut self.text, text);
        if tokens.is_empty() {
            return None;
        }
        if positive {
            self.highlight
                .body
                .extend(tokens.iter().map(|(_, t)| t.clone()));
        }
        let mut clauses = vec![(
            Occur::Should,
            boosted(sequence(self.fields.title, &tokens), TITLE_BOOST),
        )];
        if *scope == Scope::All {
            clauses.push((Occur::Should, sequence(self.fields.body, &tokens)));
            if let (false, [(_, token)]) = (phrase, tokens.as_slice()) {
                clauses.extend(
                    self.stemmed(text, positive)
                        .into_iter()
                        .map(|q| (Occur::Should, q)),
                );
                if let Some(roman) = self.romanized(token, positive) {
                    clauses.push((Occur::Should, roman));
                }
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Stemmed-field clauses for a one-token word, for each stemmer of the word's script.
    fn stemmed(&mut self, text: &str, positive: bool) -> Vec<Box<dyn Query>> {
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
            let tokens = analyze(analyzer, text);
            let [(_, stem)] = tokens.as_slice() else {
                continue;
            };
            if positive {
                self.highlight
                    .stems
                    .entry(lang)
                    .or_default()
                    .insert(stem.clone());
            }
            let term = Term::from_field_text(self.fields.stem(lang), stem);
            out.push(boosted(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                STEM_BOOST,
            ));
        }
        out
    }
}

impl Compiler<'_> {
    /// `--any`: the children of a top-level AND as optional clauses (negations still exclude).
    fn any_of(&mut self, children: &[Node]) -> Option<Box<dyn Query>> {
        let mut clauses = Vec::new();
        for child in children {
            if let Node::Not(inner) = child {
                if let Some(q) = self.node(inner, false) {
                    clauses.push((Occur::MustNot, q));
                }
            } else if let Some(q) = self.node(child, true) {
                clauses.push((Occur::Should, q));
            }
        }
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Should) {
            return None;
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The `roman` clause for a Latin one-token word.
    fn romanized(&mut self, token: &str, positive: bool) -> Option<Box<dyn Query>> {
        let roman = romanize::query_term(token)?;
        let term = Term::from_field_text(self.fields.roman, &roman);
        if positive {
            self.highlight.roman.insert(roman);
            self.roman_terms.push(term.clone());
        }
        Some(boosted(
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ROMAN_BOOST,
        ))
    }
}

/// One token: a term query; several: the tokens at their relative positions (a phrase).
fn sequence(field: Field, tokens: &[(usize, String)]) -> Box<dyn Query> {
    match tokens {
        [(_, only)] => Box::new(TermQuery::new(
            Term::from_field_text(field, only),
            IndexRecordOption::WithFreqs,
        )),
        _ => {
            let first = tokens.first().map_or(0, |t| t.0);
            let terms = tokens
                .iter()
                .map(|(pos, text)| (pos - first, Term::from_field_text(field, text)))
                .collect();
            Box::new(PhraseQuery::new_with_offset(terms))
        }
    }
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
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
        )?;
        assert!(c.highlight.body.contains("prisoners"));
        assert!(c.highlight.body.contains("抑留"));
        assert!(!c.highlight.body.contains("germany"));
        assert!(c.highlight.stems[&StemLang::English].contains("prison"));
        Ok(())
    }

    #[test]
    fn cyrillic_words_use_cyrillic_stemmers_only() -> Result<(), QueryError> {
        let c = compile("военнопленный", &fields(), &QueryOptions::default())?;
        assert_eq!(
            c.highlight.stems.keys().collect::<Vec<_>>(),
            [&StemLang::Russian]
        );
        Ok(())
    }

    #[test]
    fn latin_words_are_also_looked_for_romanized() -> Result<(), QueryError> {
        let c = compile("Shiberia 抑留 -tokyo", &fields(), &QueryOptions::default())?;
        assert_eq!(
            c.highlight.roman.iter().collect::<Vec<_>>(),
            [&"shiberia".to_string()]
        );
        assert!(c.romanized.is_some());
        assert!(
            compile("抑留", &fields(), &QueryOptions::default())?
                .romanized
                .is_none()
        );
        Ok(())
    }

    #[test]
    fn punctuation_only_is_an_error() {
        assert!(matches!(
            compile("!!! ---", &fields(), &QueryOptions::default()),
            Err(QueryError::NothingSearchable)
        ));
        assert!(matches!(
            compile("\"open", &fields(), &QueryOptions::default()),
            Err(QueryError::Parse(_))
        ));
    }
}
