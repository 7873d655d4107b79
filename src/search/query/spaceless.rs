//! A Japanese, Chinese or Thai run typed without spaces, cut into words (see
//! [`crate::search::words`]): each word searched as a word, and the run as typed, its words
//! near each other and (with `--any`) its bigrams as bonuses.

use std::collections::HashSet;

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::lengths::Lengthened;
use super::tokens::{Located, analyze_with_offsets, boosted, sequence};
use super::{
    AS_TYPED_BOOST, BIGRAM_BOOST, Compiler, NEAR_BOOST, NEAR_SLOP, Origin, SPACELESS_LENGTH_SCALE,
    Shape,
};
use crate::search::parse::{Modifier, Scope};
use crate::search::words::Cut;

impl Compiler<'_> {
    /// A typed word cut into several ([`crate::search::words`]): each word required (optional with
    /// `--any`) but its function words (left out) and its Japanese words with hiragana (optional),
    /// a Korean word's whole form as a bonus, each spaceless run's words near each other as a
    /// bonus, and with `--any` the bigrams of its words, each scored on its own, so that a document
    /// whose text the segmenter would cut otherwise still scores by what it shares.
    pub(super) fn cut_word(
        &mut self,
        scope: &Scope,
        cut: Cut,
        origin: Origin,
    ) -> Option<Box<dyn Query>> {
        let occur = if self.parts_optional {
            Occur::Should
        } else {
            Occur::Must
        };
        let mut clauses = Vec::new();
        for piece in &cut.pieces {
            if cut.left_out(piece) {
                if origin.positive {
                    self.ignored.push(piece.text.clone());
                }
                continue;
            }
            if let Some(q) = self.single_word(scope, &piece.text, Modifier::None, origin) {
                // With `--any`, a question: its words weigh document length as its bigrams do.
                let q = if self.parts_optional {
                    lengthened(q)
                } else {
                    q
                };
                let occur = if cut.optional(piece) {
                    Occur::Should
                } else {
                    occur
                };
                clauses.push((occur, q));
            }
            if let Some(whole) = &piece.whole
                && let Some(q) = self.word(scope, whole, Shape::Word, origin)
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
                    if origin.positive {
                        // Highlighted as one span where it stands, and that passage shown.
                        self.highlight_tokens(
                            exact.iter().map(|t| t.1.clone()).collect(),
                            true,
                            origin,
                        );
                    }
                    let query = boosted(sequence(self.fields.body, &exact, 0), AS_TYPED_BOOST);
                    let label = format!("typed:{run}");
                    clauses.push((
                        Occur::Should,
                        self.leaf(self.fields.body, label, query, origin),
                    ));
                }
                if let Some(near) = self.near(&tokens, &kept, origin) {
                    clauses.push((Occur::Should, near));
                }
                if self.parts_optional {
                    let left_out: Vec<&str> = cut
                        .pieces
                        .iter()
                        .filter(|p| p.run == Some(index) && cut.left_out(p))
                        .map(|p| p.text.as_str())
                        .collect();
                    let bigrams = self.bigrams(&tokens, &left_out, origin);
                    clauses.extend(bigrams.into_iter().map(|q| (Occur::Should, q)));
                }
            }
        }
        if origin.positive {
            self.cuts.push(cut);
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The tokens of a run's `kept` words (byte ranges in the run) as a phrase that may stand
    /// [`NEAR_SLOP`] positions apart: documents where the words stand together, as typed or
    /// with a few characters between, rank above those where they are scattered. `None` when
    /// fewer than two words have tokens.
    pub(super) fn near(
        &mut self,
        tokens: &[Located],
        kept: &[(usize, usize)],
        origin: Origin,
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
        Some(self.leaf(self.fields.body, label, query, origin))
    }

    /// `--any`: each token of a spaceless run (a CJK bigram, a Thai word), scored on its own,
    /// but for the run's function words. Bigrams across word boundaries count too (`の首` in
    /// `日本の首都`): they are what plain bigram BM25 scores by, and taking them out lost
    /// Japanese questions more than it won (see BENCHMARKS.md, "Relevance").
    pub(super) fn bigrams(
        &mut self,
        tokens: &[Located],
        left_out: &[&str],
        origin: Origin,
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
                lengthened(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))),
                BIGRAM_BOOST,
            );
            out.push(self.leaf(self.fields.body, format!("bigram:{text}"), query, origin));
        }
        out
    }
}

/// `query` scored with [`SPACELESS_LENGTH_SCALE`]: less weight on document length.
fn lengthened(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(Lengthened {
        inner: query,
        scale: SPACELESS_LENGTH_SCALE,
    })
}
