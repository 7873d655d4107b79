//! Prefix and fuzzy words: the indexed terms they stand for, each with a weight, so that they
//! are scored by BM25 like any word (tantivy's own fuzzy query gives every match the same
//! score) and the closer matches rank first.
//!
//! A prefix term weighs the share of it that was typed (`repatriat*`: `repatriation` 0.75,
//! `repatriated` 0.82); a fuzzy term `1 / (1 + edits)`. At most [`MAX_EXPANSIONS`] terms are
//! kept, the closest and then the most frequent first.

use std::collections::HashMap;

use anyhow::Result;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::termdict::TermStreamer;
use tantivy::{Searcher, Term};
use tantivy_fst::Automaton;

/// Terms one prefix or fuzzy word expands to, at most.
pub const MAX_EXPANSIONS: usize = 64;

/// A term of the index and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub term: String,
    pub weight: f32,
}

/// Indexed terms of `field` starting with `prefix`.
pub fn prefix(searcher: &Searcher, field: Field, prefix: &str) -> Result<Vec<Expansion>> {
    let mut found: HashMap<String, u64> = HashMap::new();
    let upper = next_prefix(prefix);
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut range = index.terms().range().ge(prefix.as_bytes());
        if let Some(upper) = &upper {
            range = range.lt(upper);
        }
        add_terms(range.into_stream()?, &mut found);
    }
    let typed = prefix.chars().count() as f32;
    Ok(best(found, |term| {
        typed / term.chars().count().max(1) as f32
    }))
}

/// Indexed terms of `field` within `distance` edits of `word` (a transposition is one edit).
pub fn fuzzy(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Result<Vec<Expansion>> {
    let query = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
    let outside_cjk = cjk_out_of_reach(word, distance);
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let (terms, automaton) = (index.terms(), query.automaton()?);
        if outside_cjk {
            add_terms(
                terms.search(OutsideCjk(automaton)).into_stream()?,
                &mut found,
            );
        } else {
            add_terms(terms.search(automaton).into_stream()?, &mut found);
        }
    }
    Ok(best(found, |term| 1.0 / (1.0 + edits(word, term) as f32)))
}

/// Adds each term of `stream`, with its document frequency, to `found`.
fn add_terms<A>(mut stream: TermStreamer<'_, A>, found: &mut HashMap<String, u64>)
where
    A: Automaton,
    A::State: Clone,
{
    while stream.advance() {
        if let Ok(term) = std::str::from_utf8(stream.key()) {
            *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
}

/// Whether no CJK or Hangul term can be within `distance` edits of `word`: a term of those
/// scripts is never mixed with others (the tokenizer cuts where the script changes), so with no
/// such character in `word` it is at least as many edits away as `word` has characters.
fn cjk_out_of_reach(word: &str, distance: u8) -> bool {
    word.chars().count() > usize::from(distance) && !word.bytes().any(is_cjk_lead)
}

/// Whether `byte` begins a character of U+3000-U+9FFF (CJK symbols, kana, ideographs) or
/// U+B000-U+DFFF (Hangul syllables): blocks with no Latin, Cyrillic or Greek letter in them.
fn is_cjk_lead(byte: u8) -> bool {
    matches!(byte, 0xE3..=0xE9 | 0xEB..=0xED)
}

/// An automaton that also refuses every string entering a CJK or Hangul character. A fuzzy
/// Latin word's automaton stays alive through the first character of every CJK term (one edit
/// may replace it), and the body dictionary holds hundreds of thousands of CJK bigrams: walking
/// them was most of a fuzzy search (see BENCHMARKS.md, "Figures behind the code").
struct OutsideCjk<A>(A);

impl<A: Automaton> Automaton for OutsideCjk<A> {
    type State = Option<A::State>;

    fn start(&self) -> Self::State {
        Some(self.0.start())
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.as_ref().is_some_and(|s| self.0.is_match(s))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.as_ref().is_some_and(|s| self.0.can_match(s))
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let state = state.as_ref()?;
        (!is_cjk_lead(byte)).then(|| self.0.accept(state, byte))
    }
}

/// The distance a word is allowed when none is given: none up to 3 letters, one up to 7, two
/// beyond (the usual scaling for typing and OCR errors).
pub fn distance_for(word: &str) -> u8 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

fn best(found: HashMap<String, u64>, weight: impl Fn(&str) -> f32) -> Vec<Expansion> {
    let mut out: Vec<(Expansion, u64)> = found
        .into_iter()
        .map(|(term, freq)| {
            let weight = weight(&term);
            (Expansion { term, weight }, freq)
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.weight
            .total_cmp(&a.0.weight)
            .then(b.1.cmp(&a.1))
            .then(a.0.term.cmp(&b.0.term))
    });
    out.truncate(MAX_EXPANSIONS);
    out.into_iter().map(|(e, _)| e).collect()
}

/// The smallest string greater than every string starting with `prefix`, if any.
fn next_prefix(prefix: &str) -> Option<Vec<u8>> {
    let mut bytes = prefix.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < u8::MAX {
            bytes.push(last + 1);
            return Some(bytes);
        }
    }
    None
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
pub fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edits("nomonhan", "nomonham"), 1);
        assert_eq!(edits("nomonhan", "nomohnan"), 1);
        assert_eq!(edits("nomonhan", "nomenkan"), 2);
        assert_eq!(edits("", "abc"), 3);
    }

    #[test]
    fn distances_scale_with_length() {
        assert_eq!(distance_for("war"), 0);
        assert_eq!(distance_for("maizuru"), 1);
        assert_eq!(distance_for("repatriation"), 2);
    }

    /// Whether `automaton` accepts `term`, byte by byte.
    fn accepts<A: Automaton>(automaton: &A, term: &str) -> bool {
        let mut state = automaton.start();
        for byte in term.bytes() {
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    #[test]
    fn fuzzy_latin_words_never_walk_into_cjk_terms() -> Result<()> {
        let field = Field::from_field_id(0);
        let dfa = |word: &str, distance| {
            FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true).automaton()
        };
        // Two edits make `ab` of `設定`, so such a word walks every term.
        assert!(accepts(&dfa("ab", 2)?, "設定"));
        assert!(!cjk_out_of_reach("ab", 2));
        assert!(!cjk_out_of_reach("設定x", 1));
        assert!(cjk_out_of_reach("configuraton", 1));
        assert!(!accepts(&OutsideCjk(dfa("ab", 2)?), "設定"));
        assert!(accepts(&dfa("abc", 1)?, "a設c"));
        assert!(!accepts(&OutsideCjk(dfa("abc", 1)?), "a설c"));
        let latin = OutsideCjk(dfa("configuraton", 1)?);
        assert!(accepts(&latin, "configuration"));
        assert!(accepts(&OutsideCjk(dfa("файл", 1)?), "файлы"));
        assert!(accepts(&OutsideCjk(dfa("ωμέγα", 1)?), "ωμεγα"));
        Ok(())
    }

    #[test]
    fn next_prefix_bounds_the_range() {
        assert_eq!(next_prefix("ab"), Some(b"ac".to_vec()));
        assert_eq!(next_prefix(""), None);
    }
}
