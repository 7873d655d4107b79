//! `archivist xref LIST`: which of a list's names the archive mentions (Aleph's
//! cross-referencing: "who of these people is in this leak?"). Each name and its aliases are
//! searched as one query (any of the forms, each a phrase, or a word when it is one: then its
//! stems and romanization count too; the variants file's other forms as in every search),
//! and each hit says how it matched: the form as written (`exact`, case and accents aside),
//! a variant of the variants file, a romanized form, another form of the word (`stem`:
//! `Иванова` for `Иванов`) or, with `--fuzzy`, a form some letters off (`fuzzy` at a
//! distance).

pub mod list;

use std::time::{Duration, Instant};

use anyhow::Result;
use tantivy::Searcher;
use tantivy::query::{EnableScoring, Weight};

pub use list::Entry;

use crate::analysis::script::{is_cjk_script, script};
use crate::parallel;
use crate::search::execute::matches;
use crate::search::expand::edits;
use crate::search::query::compile;
use crate::search::snippet::Snippet;
use crate::search::{Hit, QueryOptions, SearchRequest, search_with};
use crate::store::Store;

/// Matches shown per name unless asked otherwise.
pub const DEFAULT_LIMIT: usize = 3;

/// How a hit matched a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// A form of the list as written, case and accents aside.
    Exact,
    /// Another form of the name's group in the variants file.
    Variant,
    /// The form in another script, through romanization (`Ivanov` in `Иванов`).
    Romanized,
    /// Another form of the word by its stem (`Иванова`, `Smiths`).
    Stem,
    /// A form some letters off (`--fuzzy`): this many, when the best passage shows it.
    Fuzzy(Option<usize>),
}

impl How {
    /// The name output gives it.
    pub fn name(self) -> &'static str {
        match self {
            How::Exact => "exact",
            How::Variant => "variant",
            How::Romanized => "romanized",
            How::Stem => "stem",
            How::Fuzzy(_) => "fuzzy",
        }
    }

    /// The edit distance of a fuzzy match.
    pub fn distance(self) -> Option<usize> {
        match self {
            How::Fuzzy(n) => n,
            _ => None,
        }
    }
}

/// A document that mentions a name.
#[derive(Debug, Clone)]
pub struct Match {
    pub hit: Hit,
    pub how: How,
    /// The form that matched: the name or an alias, or the variants file's form.
    pub form: String,
    /// The words of the best passage that matched, as the document writes them.
    pub found: String,
}

/// What the archive holds of one name of the list.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub entry: Entry,
    /// The query the name was searched with.
    pub query: String,
    /// Documents that mention it (identical copies each counted).
    pub documents: usize,
    /// The best of them (every one with `all`), best first.
    pub matches: Vec<Match>,
}

/// How a list is searched.
#[derive(Debug, Clone)]
pub struct Xref {
    /// The index's options: variants, `--lang`, `--fuzzy`.
    pub options: QueryOptions,
    /// Hits kept per name.
    pub limit: usize,
    /// Every hit of every name.
    pub all: bool,
    /// Give up past this moment (the server's bound on a request).
    pub deadline: Option<Instant>,
}

/// The list took longer than its caller allows.
#[derive(Debug, thiserror::Error)]
#[error("the list took longer than {0:?} to cross-reference; split it, or run archivist xref")]
pub struct TooLong(pub Duration);

impl Xref {
    /// Every entry's outcome, in the list's order, `CHUNK` names at a time on every core,
    /// each chunk handed to `each` as it is done, so output flows while a long list runs.
    pub fn run(
        &self,
        store: &Store,
        searcher: &Searcher,
        entries: &[Entry],
        mut each: impl FnMut(Vec<Outcome>) -> Result<()>,
    ) -> Result<()> {
        let started = Instant::now();
        for chunk in entries.chunks(CHUNK) {
            if let Some(deadline) = self.deadline
                && Instant::now() > deadline
            {
                return Err(TooLong(deadline.saturating_duration_since(started)).into());
            }
            let done = parallel::map(parallel::cores(), chunk, |_, entry| {
                self.entry(store, searcher, entry)
            })?;
            each(done.into_iter().collect::<Result<_>>()?)?;
        }
        Ok(())
    }

    /// One name: its query run, and each hit's way of matching.
    pub fn entry(&self, store: &Store, searcher: &Searcher, entry: &Entry) -> Result<Outcome> {
        let forms = entry.forms();
        let query = forms
            .iter()
            .map(|f| as_query(f))
            .filter(|q| !q.is_empty())
            .collect::<Vec<_>>()
            .join(" OR ");
        if query.is_empty() {
            return Ok(Outcome {
                entry: entry.clone(),
                query,
                documents: 0,
                matches: Vec::new(),
            });
        }
        let request = SearchRequest::new(query.clone())
            .limit(self.limit)
            .options(self.options.clone())
            .all(self.all);
        let results = search_with(store, searcher, &request)?;
        let matches = if results.hits.is_empty() {
            Vec::new()
        } else {
            let checks = Checks::new(store, searcher, &forms)?;
            results
                .hits
                .into_iter()
                .map(|hit| checks.classify(searcher, hit, self.options.fuzzy))
                .collect::<Result<_>>()?
        };
        Ok(Outcome {
            entry: entry.clone(),
            query,
            documents: results.total,
            matches,
        })
    }
}

/// Names searched at once: each chunk's outcomes are handed on before the next starts.
const CHUNK: usize = 64;

/// A form as a query: a word alone when it is one word of a script written with spaces (so
/// its stems and romanization count), otherwise a phrase (quotes dropped from it, as the query
/// language has no way to write one inside a phrase).
fn as_query(form: &str) -> String {
    let form = form.replace('"', " ");
    let form = form.trim();
    let spaced = |c: char| {
        c.is_alphanumeric()
            && !is_cjk_script(script(c))
            && !matches!(script(c), icu_properties::props::Script::Thai)
    };
    let operator = matches!(form, "OR" | "AND" | "NOT");
    if !form.is_empty() && !operator && form.chars().all(spaced) {
        form.to_string()
    } else if form.chars().any(char::is_alphanumeric) {
        format!("\"{form}\"")
    } else {
        String::new()
    }
}

/// Each form's queries for telling how a document matched: as written (a phrase: no stems,
/// no romanization) and as searched (with them), neither with variants or fuzzy words.
struct Checks {
    forms: Vec<FormCheck>,
}

/// One form's queries (none for a form with no words).
struct FormCheck {
    form: String,
    written: Option<Box<dyn Weight>>,
    searched: Option<Box<dyn Weight>>,
}

impl Checks {
    fn new(store: &Store, searcher: &Searcher, forms: &[&str]) -> Result<Checks> {
        let plain = QueryOptions::default();
        let unscored = EnableScoring::disabled_from_searcher(searcher);
        let weight = |text: &str| -> Result<Option<Box<dyn Weight>>> {
            if text.is_empty() {
                return Ok(None);
            }
            let compiled = compile(text, &store.fields, &plain, Some(searcher))?;
            Ok(Some(compiled.query.weight(unscored)?))
        };
        let forms = forms
            .iter()
            .map(|form| {
                let searched = as_query(form);
                let written = match searched.starts_with('"') {
                    true => searched.clone(),
                    false => format!("\"{searched}\""),
                };
                Ok(FormCheck {
                    form: form.to_string(),
                    written: weight(&written)?,
                    searched: weight(&searched)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Checks { forms })
    }

    /// How `hit` matched: as written, by stem or romanization, by a variant, or else by a
    /// fuzzy word.
    fn classify(&self, searcher: &Searcher, hit: Hit, fuzzy: bool) -> Result<Match> {
        let found = found(&hit);
        let hits = |weight: &Option<Box<dyn Weight>>| -> Result<bool> {
            match weight {
                Some(w) => matches(w.as_ref(), searcher, hit.address),
                None => Ok(false),
            }
        };
        let mut searched = None;
        for check in &self.forms {
            if hits(&check.written)? {
                return Ok(Match {
                    how: How::Exact,
                    form: check.form.clone(),
                    found,
                    hit,
                });
            }
            if searched.is_none() && hits(&check.searched)? {
                searched = Some(check.form.clone());
            }
        }
        // The variant the passage shows, when it shows one.
        let variant = hit
            .variants
            .iter()
            .find(|v| v.to_lowercase() == found.to_lowercase())
            .or(hit.variants.first());
        let (how, form, found) = match (searched, variant) {
            (Some(form), _) if hit.romanized => (How::Romanized, form, found),
            (Some(form), _) => (How::Stem, form, found),
            (None, Some(variant)) => (How::Variant, variant.clone(), found),
            (None, None) if fuzzy => {
                let nearest = self
                    .forms
                    .iter()
                    .filter_map(|check| {
                        let (distance, near) = nearest(&check.form, &hit.snippet)?;
                        Some((distance, check.form.clone(), near))
                    })
                    .min();
                match nearest {
                    Some((distance, form, near)) => (How::Fuzzy(Some(distance)), form, near),
                    None => (How::Fuzzy(None), self.name(), found),
                }
            }
            // A match by the name's stem in a title's stemmed form, and the like.
            (None, None) => (How::Stem, self.name(), found),
        };
        Ok(Match {
            how,
            form,
            found,
            hit,
        })
    }

    /// The list's name (its first form).
    fn name(&self) -> String {
        self.forms
            .first()
            .map(|f| f.form.clone())
            .unwrap_or_default()
    }
}

/// The first run of highlighted words in a hit's best passage (highlights apart only by
/// spaces and punctuation are one run), as the document writes them.
fn found(hit: &Hit) -> String {
    let snippet = &hit.snippet;
    let mut run: Option<(usize, usize)> = None;
    for &(from, to) in &snippet.highlights {
        match run {
            None => run = Some((from, to)),
            Some((start, end)) => {
                let between = snippet.text.get(end..from).unwrap_or("x");
                if between.chars().all(|c| !c.is_alphanumeric()) && between.chars().count() <= 3 {
                    run = Some((start, to));
                } else {
                    break;
                }
            }
        }
    }
    run.and_then(|(from, to)| snippet.text.get(from..to))
        .unwrap_or_default()
        .to_string()
}

/// The words of a passage nearest to `form` (as many words as it has, one of them
/// highlighted), and how many letters apart they are, case aside: a fuzzy phrase highlights
/// only its words that are off (`Kwantnng` of `Kwantnng Army`), so the rest are read around
/// them.
fn nearest(form: &str, snippet: &Snippet) -> Option<(usize, String)> {
    let text = &snippet.text;
    let words: Vec<(usize, usize)> = word_spans(text);
    let wanted = word_spans(form).len().max(1);
    let form = word_spans(form)
        .iter()
        .filter_map(|&(a, b)| form.get(a..b))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut best: Option<(usize, String)> = None;
    for &(from, _) in &snippet.highlights {
        let Some(i) = words
            .iter()
            .position(|&(start, end)| start <= from && from < end)
        else {
            continue;
        };
        for first in i.saturating_sub(wanted - 1)..=i {
            let last = (first + wanted).min(words.len()) - 1;
            let (Some(&(start, _)), Some(&(_, end))) = (words.get(first), words.get(last)) else {
                continue;
            };
            let Some(near) = text.get(start..end) else {
                continue;
            };
            // Word by word: what stands between two words is not the name's.
            let spoken: Vec<&str> = words[first..=last]
                .iter()
                .filter_map(|&(a, b)| text.get(a..b))
                .collect();
            let distance = edits(&form, &spoken.join(" ").to_lowercase());
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, near.to_string()));
            }
        }
    }
    best
}

/// The byte spans of the words of `text`: runs of letters, digits and marks (`Army’s` is two,
/// as the index reads it).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let apart = !(c.is_alphanumeric() || crate::analysis::script::is_mark(c));
        match (apart, start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_become_words_or_phrases() {
        assert_eq!(as_query("Maizuru"), "Maizuru");
        assert_eq!(as_query("Иванов"), "Иванов");
        assert_eq!(as_query("Kwantung Army"), "\"Kwantung Army\"");
        assert_eq!(as_query("舞鶴"), "\"舞鶴\"");
        assert_eq!(as_query("O'Brien"), "\"O'Brien\"");
        assert_eq!(as_query("-Smith"), "\"-Smith\"");
        assert_eq!(as_query("OR"), "\"OR\"");
        assert_eq!(as_query("say \"hi\""), "\"say  hi\"");
        assert_eq!(as_query("title:x"), "\"title:x\"");
        assert_eq!(as_query(" -- "), "");
    }

    #[test]
    fn the_nearest_words_around_a_highlight() {
        let snippet = Snippet {
            text: "of the KWANTNNG army, and Smyth".to_string(),
            highlights: vec![(7, 15), (27, 32)],
            cut_start: false,
            cut_end: false,
            page: None,
        };
        let near = |form| nearest(form, &snippet);
        assert_eq!(
            near("Kwantung Army"),
            Some((1, "KWANTNNG army".to_string()))
        );
        assert_eq!(near("Smith"), Some((1, "Smyth".to_string())));
        assert_eq!(near("Army Smith"), Some((4, "and Smyth".to_string())));
    }

    #[test]
    fn words_between_spaces() {
        assert_eq!(word_spans(" a bc  d"), [(1, 2), (3, 5), (7, 8)]);
        assert_eq!(word_spans("Army’s"), [(0, 4), (7, 8)]);
        assert!(word_spans("").is_empty());
    }
}
