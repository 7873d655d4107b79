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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use icu_properties::props::Script;
use std::ops::Bound;
use tantivy::Term;

use tantivy::Searcher;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use thiserror::Error;

use super::expand::{self, Expansion};
use super::parse::{self, Modifier, Node, ParseError, Scope};
use super::present::{Presence, Present};
use super::stopwords::Stopwords;
use super::words::{self, Cut};
use crate::analysis::romanize;
use crate::analysis::script::{CharClass, classify, is_cjk_script, script};
use crate::analysis::{Mode, StemLang, normalize, stem_analyzer, text_analyzer};
use crate::schema::Fields;
use crate::variants::Variants;

/// Weight of an exact match in `body`, on top of the stemmed field's (which every form of the
/// word matches, the exact one too), so that exact forms rank first (2.4 against 2).
/// Prefix and fuzzy expansions, which have no stemmed clause, weigh 1 there instead.
pub const BODY_BOOST: f32 = 0.4;
/// Weight of a title match. A title is also part of the body (its first line, or an HTML
/// `<h1>`), so a title word already counts there and this is a bonus.
pub const TITLE_BOOST: f32 = 0.4;
/// Weight of a match in the word's stemmed field (`stem_xx`, or `nostem` for languages without
/// a stemmer): the main signal, so that a word weighs the same in every language. Measured on
/// SciFact and Cranfield with bench/relevance.py; see BENCHMARKS.md, "Relevance".
pub const STEM_BOOST: f32 = 2.0;
/// Weight of a `--fuzzy` match relative to the exact word, before its closeness weight.
pub const FUZZY_BOOST: f32 = 0.5;
/// Weight of a match through another form of a variant name, relative to the typed form.
pub const VARIANT_BOOST: f32 = 0.8;
/// Weight of a match through romanization (a Latin word against kana, Cyrillic or Greek text):
/// a quarter of an exact Latin match (body and stem).
pub const ROMAN_BOOST: f32 = 0.6;

/// Weight of the words of a run typed without spaces standing near each other (within
/// [`NEAR_SLOP`] positions, a character each in Han and kana) in `body`: a bonus on top of each
/// word's own match.
pub const NEAR_BOOST: f32 = 1.0;
/// How far apart the words of a run typed without spaces may stand for [`NEAR_BOOST`].
pub const NEAR_SLOP: u32 = 8;
/// Weight of a run typed without spaces standing in `body` exactly as typed, on top of its
/// words' matches: three times a word's exact match, so that documents with a compound the
/// segmenter cuts (`文件系统`) come before those with its words apart (on `multi`, 129 of the
/// 132 documents with `文件系统` in the first 132; 121 at once, 87 without this clause).
pub const AS_TYPED_BOOST: f32 = 3.0 * (STEM_BOOST + BODY_BOOST);
/// `--any`: weight of each bigram of a run typed without spaces, on top of its words' matches.
pub const BIGRAM_BOOST: f32 = 1.0;

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
    /// Token sequences of phrases (and of words that analyze into several words), shown as one
    /// span where they stand together.
    pub phrases: Vec<Vec<String>>,
    /// Terms of `body` searched only as part of a phrase: highlighted only where the phrase
    /// stands, as only there did they match (`"Kwantung Army"` marks no lone `army`).
    pub phrase_only: HashSet<String>,
    /// Terms and phrases (joined by a space) searched only through another form of a variant
    /// name: a passage with the typed form is shown before one with only a variant.
    pub variant_only: HashSet<String>,
}

impl Highlight {
    /// Only what can match in a document with these languages, and romanized terms only if it
    /// matched through romanization: a stemmer's terms matter only where a passage was stemmed
    /// in its language, and each analysis costs work on every hit's text.
    pub fn for_document(&self, langs: &[String], romanized: bool) -> Highlight {
        Highlight {
            body: self.body.clone(),
            stems: self
                .stems
                .iter()
                .filter(|(lang, _)| langs.iter().any(|l| StemLang::for_code(l) == Some(**lang)))
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
        }
    }
}

/// Which terms the highlight's sets end up with, collected while compiling: a term is
/// phrase-only or variant-only when no other use of it was seen.
#[derive(Default)]
struct Uses {
    in_phrase: HashSet<String>,
    alone: HashSet<String>,
    in_variant: HashSet<String>,
    typed: HashSet<String>,
}

impl Uses {
    fn finish(self, highlight: &mut Highlight) {
        highlight.phrase_only = self.in_phrase.difference(&self.alone).cloned().collect();
        highlight.variant_only = self.in_variant.difference(&self.typed).cloned().collect();
    }
}

pub struct Compiled {
    pub query: Box<dyn Query>,
    pub highlight: Highlight,
    /// The fields of each segment, which the query's clauses skip segments by: its BM25
    /// statistics must skip them too (see [`super::present`]).
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
        slop: 0,
        text: text_analyzer(Mode::Query),
        stemmers: HashMap::new(),
        highlight: Highlight::default(),
        roman_terms: Vec::new(),
        variants: &options.variants,
        variant_queries: Vec::new(),
        context: (String::new(), 1.0),
        leaves: Vec::new(),
        ignored: Vec::new(),
        cuts: Vec::new(),
        uses: Uses::default(),
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
    /// Slop of the phrase being compiled.
    slop: u32,
    text: TextAnalyzer,
    stemmers: HashMap<StemLang, TextAnalyzer>,
    highlight: Highlight,
    /// Romanized terms of positive words.
    roman_terms: Vec<Term>,
    variants: &'a Variants,
    variant_queries: Vec<(String, Box<dyn Query>)>,
    /// Label prefix and weight of the form being compiled (a variant's).
    context: (String, f32),
    leaves: Vec<(String, Box<dyn Query>)>,
    ignored: Vec<String>,
    cuts: Vec<Cut>,
    uses: Uses,
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

/// A query token where it stands in the analyzed text.
struct Located {
    position: usize,
    /// Byte range in the analyzed text.
    from: usize,
    to: usize,
    term: String,
}

/// Tokens of `text` with their positions and byte ranges.
fn analyze_with_offsets(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Located> {
    let mut out = Vec::new();
    analyzer.token_stream(text).process(&mut |t| {
        out.push(Located {
            position: t.position,
            from: t.offset_from,
            to: t.offset_to,
            term: t.text.clone(),
        })
    });
    out
}

/// Tokens of `text` as (position, term text).
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    analyze_with_offsets(analyzer, text)
        .into_iter()
        .map(|t| (t.position, t.term))
        .collect()
}

impl Compiler<'_> {
    /// `None` when the node has nothing to search for (a word of punctuation only).
    /// `positive` is false under a negation: its terms are not highlighted.
    fn node(&mut self, node: &Node, positive: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Word {
                scope,
                text,
                modifier,
            } => match words::cut(text) {
                Some(cut) if *modifier == Modifier::None => self.cut_word(scope, cut, positive),
                _ => self.single_word(scope, text, *modifier, positive),
            },
            Node::Phrase { scope, text, slop } => {
                self.slop = *slop;
                let query = self.word(scope, text, true, positive);
                self.slop = 0;
                query
            }
            Node::Path(glob) => Some(
                match RegexQuery::from_pattern(&glob_regex(glob), self.fields.path) {
                    Ok(q) => filter(Box::new(q)),
                    Err(_) => Box::new(EmptyQuery),
                },
            ),
            Node::Ext(ext) => {
                let term = Term::from_field_text(self.fields.ext, ext);
                Some(filter(Box::new(TermQuery::new(
                    term,
                    IndexRecordOption::Basic,
                ))))
            }
            Node::Year(from, to) => Some(filter(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(self.fields.years, *from)),
                Bound::Included(Term::from_field_u64(self.fields.years, *to)),
            )))),
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

    /// A word as typed, with its modifier.
    fn single_word(
        &mut self,
        scope: &Scope,
        text: &str,
        modifier: Modifier,
        positive: bool,
    ) -> Option<Box<dyn Query>> {
        match modifier {
            Modifier::None if self.fuzzy && *scope == Scope::All => {
                self.forgiving(scope, text, positive)
            }
            Modifier::None => self.word(scope, text, false, positive),
            Modifier::Prefix | Modifier::Fuzzy(_) => self.expanded(scope, text, modifier, positive),
        }
    }

    /// A typed word cut into several ([`words`]): each word required (optional with `--any`)
    /// but its function words (left out) and its Japanese words with hiragana (optional), a Korean word's whole form as a bonus, each spaceless run's
    /// words near each other as a bonus, and with `--any` the bigrams of its words, each
    /// scored on its own, so that a document whose text the segmenter would cut otherwise
    /// still scores by what it shares.
    fn cut_word(&mut self, scope: &Scope, cut: Cut, positive: bool) -> Option<Box<dyn Query>> {
        let occur = if self.parts_optional {
            Occur::Should
        } else {
            Occur::Must
        };
        let mut clauses = Vec::new();
        for piece in &cut.pieces {
            if cut.left_out(piece) {
                if positive {
                    self.ignored.push(piece.text.clone());
                }
                continue;
            }
            if let Some(q) = self.single_word(scope, &piece.text, Modifier::None, positive) {
                let occur = if cut.optional(piece) {
                    Occur::Should
                } else {
                    occur
                };
                clauses.push((occur, q));
            }
            if let Some(whole) = &piece.whole
                && let Some(q) = self.word(scope, whole, false, positive)
            {
                clauses.push((Occur::Should, q));
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if *scope == Scope::All {
            for (index, run) in cut.runs.iter().enumerate() {
                let kept: Vec<(usize, usize)> = cut
                    .pieces
                    .iter()
                    .filter(|p| p.run == Some(index) && !cut.left_out(p))
                    .map(|p| p.range)
                    .collect();
                let tokens = analyze_with_offsets(&mut self.text, run);
                // With `--any` the run's bigrams already count, and this bonus cost the
                // questions of JSQuAD (nDCG@10 0.9490 -> 0.9468).
                if !self.parts_optional && kept.len() > 1 && tokens.len() > 1 {
                    // The run as typed, where it stands so: `文件系统` is two words to the
                    // segmenter, but a document with the compound comes before one with
                    // `文件` and `系统` apart.
                    let exact: Vec<(usize, String)> = tokens
                        .iter()
                        .map(|t| (t.position, t.term.clone()))
                        .collect();
                    if positive {
                        // Highlighted as one span where it stands, and that passage shown.
                        self.highlight_tokens(exact.iter().map(|t| t.1.clone()).collect(), true);
                    }
                    let query = boosted(sequence(self.fields.body, &exact, 0), AS_TYPED_BOOST);
                    let label = format!("typed:{run}");
                    clauses.push((
                        Occur::Should,
                        self.leaf(self.fields.body, label, query, positive),
                    ));
                }
                if let Some(near) = self.near(&tokens, &kept, positive) {
                    clauses.push((Occur::Should, near));
                }
                if self.parts_optional {
                    let left_out: Vec<&str> = cut
                        .pieces
                        .iter()
                        .filter(|p| p.run == Some(index) && cut.left_out(p))
                        .map(|p| p.text.as_str())
                        .collect();
                    let bigrams = self.bigrams(&tokens, &left_out, positive);
                    clauses.extend(bigrams.into_iter().map(|q| (Occur::Should, q)));
                }
            }
        }
        if positive {
            self.cuts.push(cut);
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The tokens of a run's `kept` words (byte ranges in the run) as a phrase that may stand
    /// [`NEAR_SLOP`] positions apart: documents where the words stand together, as typed or
    /// with a few characters between, rank above those where they are scattered. `None` when
    /// fewer than two words have tokens.
    fn near(
        &mut self,
        tokens: &[Located],
        kept: &[(usize, usize)],
        positive: bool,
    ) -> Option<Box<dyn Query>> {
        // Each token inside a kept word, with the word it is in.
        let (words, chosen): (HashSet<usize>, Vec<&Located>) = tokens
            .iter()
            .filter_map(|t| {
                let word = kept.iter().position(|&(a, b)| t.from >= a && t.to <= b)?;
                Some((word, t))
            })
            .unzip();
        if words.len() < 2 {
            return None;
        }
        let first = chosen.first().map_or(0, |t| t.position);
        let terms = chosen
            .iter()
            .map(|t| {
                let term = Term::from_field_text(self.fields.body, &t.term);
                (t.position - first, term)
            })
            .collect();
        let mut phrase = PhraseQuery::new_with_offset(terms);
        phrase.set_slop(NEAR_SLOP);
        let label = format!(
            "near:{}",
            chosen
                .iter()
                .map(|t| t.term.as_str())
                .collect::<Vec<_>>()
                .join("+")
        );
        let query = boosted(Box::new(phrase), NEAR_BOOST);
        Some(self.leaf(self.fields.body, label, query, positive))
    }

    /// `--any`: each token of a spaceless run (a CJK bigram, a Thai word), scored on its own,
    /// but for the run's function words. Bigrams across word boundaries count too (`の首` in
    /// `日本の首都`): they are what plain bigram BM25 scores by, and taking them out lost
    /// Japanese questions more than it won (see BENCHMARKS.md, "Relevance").
    fn bigrams(
        &mut self,
        tokens: &[Located],
        left_out: &[&str],
        positive: bool,
    ) -> Vec<Box<dyn Query>> {
        let mut wanted: Vec<&str> = Vec::new();
        for token in tokens {
            let text = token.term.as_str();
            if !left_out.contains(&text) && !wanted.contains(&text) {
                wanted.push(text);
            }
        }
        let mut out = Vec::new();
        for text in wanted {
            let term = Term::from_field_text(self.fields.body, text);
            let query = boosted(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                BIGRAM_BOOST,
            );
            out.push(self.leaf(self.fields.body, format!("bigram:{text}"), query, positive));
        }
        out
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
        // Forms that analyze alike (`Kanto Army`, `Kantō Army`) are scored once, but each is
        // still reported when it matches.
        let mut scored: Vec<Vec<String>> = vec![tokens];
        for other in others {
            self.context = (format!("variant {other}: "), VARIANT_BOOST);
            let leaves = self.leaves.len();
            let compiled = self.form(scope, &other, phrase, positive);
            self.context = (String::new(), 1.0);
            if let Some(q) = compiled {
                if positive {
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

    /// A prefix (`repatriat*`) or fuzzy (`Nomonhan~1`) word: the index terms it stands for,
    /// each scored by BM25 under its closeness weight, and highlighted.
    fn expanded(
        &mut self,
        scope: &Scope,
        text: &str,
        modifier: Modifier,
        positive: bool,
    ) -> Option<Box<dyn Query>> {
        let tokens = analyze(&mut self.text, text);
        let (Some(searcher), [(_, token)]) = (self.searcher, tokens.as_slice()) else {
            return self.word(scope, text, false, positive);
        };
        let expansions = match modifier {
            Modifier::Prefix => expand::prefix(searcher, self.fields.body, token),
            Modifier::Fuzzy(distance) => {
                let distance = distance.unwrap_or_else(|| expand::distance_for(token));
                expand::fuzzy(searcher, self.fields.body, token, distance)
            }
            Modifier::None => return self.word(scope, text, false, positive),
        }
        .unwrap_or_default();
        Some(self.terms_of(scope, &expansions, 1.0, positive))
    }

    /// `--fuzzy`: the word as usual, and the words within its length's edit distance below it.
    fn forgiving(&mut self, scope: &Scope, text: &str, positive: bool) -> Option<Box<dyn Query>> {
        let exact = self.word(scope, text, false, positive)?;
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
        let near = self.terms_of(scope, &near, FUZZY_BOOST, positive);
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, exact),
            (Occur::Should, near),
        ])))
    }

    /// Any of `expansions`, in bodies and titles, each weighted; nothing when empty.
    fn terms_of(
        &mut self,
        scope: &Scope,
        expansions: &[Expansion],
        boost: f32,
        positive: bool,
    ) -> Box<dyn Query> {
        if expansions.is_empty() {
            return Box::new(EmptyQuery);
        }
        let mut clauses = Vec::new();
        for e in expansions {
            if positive {
                self.highlight.body.insert(e.term.clone());
                self.uses.alone.insert(e.term.clone());
                self.uses.typed.insert(e.term.clone());
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
                    positive,
                ),
            ));
            if *scope == Scope::All {
                let body = boosted(term(self.fields.body), weight);
                clauses.push((
                    Occur::Should,
                    self.leaf(self.fields.body, format!("body:{}", e.term), body, positive),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
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
            let texts: Vec<String> = tokens.iter().map(|(_, t)| t.clone()).collect();
            let together = texts.len() > 1 && self.slop == 0;
            self.highlight_tokens(texts, together);
        }
        let slop = self.slop;
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
            self.leaf(self.fields.title, format!("title:{shown}"), title, positive),
        )];
        if *scope == Scope::All {
            let stemmed = if phrase {
                Vec::new()
            } else {
                self.stemmed(text, positive)
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
                self.leaf(self.fields.body, format!("body:{shown}"), body, positive),
            ));
            clauses.extend(stemmed.into_iter().map(|q| (Occur::Should, q)));
            if !phrase
                && let [(_, token)] = tokens.as_slice()
                && let Some(roman) = self.romanized(token, positive)
            {
                clauses.push((Occur::Should, roman));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Highlights a form's tokens in `body`: as one span where they stand `together` (a
    /// phrase, a CJK word), and then only there, or each alone; as the typed form's or, while
    /// a variant is compiled, as a variant's.
    fn highlight_tokens(&mut self, texts: Vec<String>, together: bool) {
        self.highlight.body.extend(texts.iter().cloned());
        let mut shown = texts.clone();
        if together {
            self.uses.in_phrase.extend(texts.iter().cloned());
            shown.push(texts.join(" "));
            self.highlight.phrases.push(texts);
        } else {
            self.uses.alone.extend(texts);
        }
        if self.context.0.is_empty() {
            self.uses.typed.extend(shown);
        } else {
            self.uses.in_variant.extend(shown);
        }
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
            let stems = without_clitics(analyzer, text);
            if positive && !stems.is_empty() {
                let highlighted = self.highlight.stems.entry(lang).or_default();
                highlighted.extend(stems.iter().cloned());
            }
            let field = self.fields.stem(lang);
            out.extend(self.all_of(field, &lang.field_name(), &stems, positive));
        }
        // Passages in languages without a stemmer hold their folded words in `nostem`; the
        // folded words of the query are the body's analysis, already highlighted there.
        let words = without_clitics(&mut self.text, text);
        out.extend(self.all_of(self.fields.nostem, "nostem", &words, positive));
        out
    }

    /// A stem-weighted clause: every one of `terms` in `field` (a field without positions, so
    /// a word of several tokens needs all of them anywhere); nothing when `terms` is empty.
    fn all_of(
        &mut self,
        field: Field,
        name: &str,
        terms: &[String],
        positive: bool,
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
        Some(self.leaf(field, label, boosted(query, STEM_BOOST), positive))
    }
}

impl Compiler<'_> {
    /// `--any`: the children of a top-level AND as optional clauses (negations still exclude),
    /// but for the words that are function words of the collection's languages (see
    /// [`super::stopwords`]), unless every word is one.
    fn any_of(&mut self, children: &[Node]) -> Option<Box<dyn Query>> {
        // An index that cannot be read fails the search itself right after; here it only
        // means no word is left out.
        let stopwords = self
            .searcher
            .and_then(|s| Stopwords::of_collection(s, self.fields, &mut self.text).ok())
            .unwrap_or_default();
        let function_word = |compiler: &mut Self, node: &Node| match node {
            Node::Word {
                scope: Scope::All,
                text,
                modifier: Modifier::None,
            } => match analyze(&mut compiler.text, text).as_slice() {
                [(_, token)] => stopwords.contains(token),
                _ => false,
            },
            _ => false,
        };
        let mut kept = Vec::new();
        for child in children {
            if function_word(self, child) {
                if let Node::Word { text, .. } = child {
                    self.ignored.push(text.clone());
                }
            } else {
                kept.push(child);
            }
        }
        if !kept.iter().any(|c| !matches!(c, Node::Not(_))) {
            self.ignored.clear();
            kept = children.iter().collect();
        }
        let mut clauses = Vec::new();
        for child in kept {
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
        let query = boosted(
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ROMAN_BOOST,
        );
        Some(self.leaf(self.fields.roman, format!("roman:{token}"), query, positive))
    }

    /// Records a scoring clause on `field` for `--explain` (with the variant it belongs to and
    /// its weight) and gives it back, to be searched only in the segments that have `field`.
    fn leaf(
        &mut self,
        field: Field,
        label: String,
        query: Box<dyn Query>,
        positive: bool,
    ) -> Box<dyn Query> {
        let query = self.in_segments_with(field, query);
        if positive {
            let (prefix, factor) = &self.context;
            self.leaves.push((
                format!("{prefix}{label}"),
                boosted(query.box_clone(), *factor),
            ));
        }
        query
    }

    /// `query`, all of whose terms are in `field`, skipping the segments without `field` when
    /// the index is known (see [`super::present`]).
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

/// A filter: matches or not, adds nothing to the score.
fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// The regular expression for a `path:` glob: `*` any characters but `/`, `**` any characters,
/// `?` one character. A glob not starting with `/` may match from any folder boundary on and
/// needs not reach the end (`path:letters` matches every file under a folder `letters`).
fn glob_regex(glob: &str) -> String {
    let mut re = String::new();
    if !glob.starts_with('/') {
        re.push_str("(.*/)?");
    }
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                re.push_str(".*");
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c if c.is_alphanumeric() || c == '/' || c == '_' || c as u32 > 127 => re.push(c),
            c => {
                re.push('\\');
                re.push(c);
            }
        }
    }
    re.push_str("(/.*)?");
    re
}

/// One token: a term query; several: the tokens at their relative positions (a phrase), which
/// may stand `slop` positions further apart.
fn sequence(field: Field, tokens: &[(usize, String)], slop: u32) -> Box<dyn Query> {
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
            let mut phrase = PhraseQuery::new_with_offset(terms);
            phrase.set_slop(slop);
            Box::new(phrase)
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

    #[test]
    fn globs() {
        let re = glob_regex("letters/*.pdf");
        assert_eq!(re, "(.*/)?letters/[^/]*\\.pdf(/.*)?");
        assert_eq!(glob_regex("/abs/**"), "/abs/.*(/.*)?");
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
