//! The best passage of a document for a query, with the byte ranges of what matched.
//!
//! The stored body is re-analyzed with the same analyzers the query used (generic, and each
//! stemmer the query went through), so a stemmed match (`prisoner` in `prisoners`) and a CJK
//! bigram highlight the original characters, and a romanized match (`shiberia`) highlights the
//! kana it was read from. Overlapping and touching ranges are merged, so a
//! CJK word reads as one highlighted span. The passage is the window of at most
//! [`MAX_FRAGMENT_BYTES`] holding the most distinct matched terms, cut at word boundaries.
//! Snippets carry ranges, never formatting: the renderers decide how to show them.
//! - `scan`: finding the matched terms in the text ([`Scanner`] is built once per search).
//! - `window`: phrases joined into one span, the best window chosen and cut into a fragment.

mod scan;
mod window;

use super::query::Highlight;
use crate::analysis::roman_analyzer;
use crate::entities::{self, Kind};
use crate::schema::stored_part;
pub use scan::Scanner;
use scan::{collect, collect_words};
use window::{best_window, fragment, join_phrases};

/// Longest fragment, in bytes of the stored text.
pub const MAX_FRAGMENT_BYTES: usize = 240;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The fragment; line breaks are shown as spaces.
    pub text: String,
    /// Matched byte ranges in `text`, sorted and disjoint.
    pub highlights: Vec<(usize, usize)>,
    /// Whether text was cut before and after the fragment.
    pub cut_start: bool,
    pub cut_end: bool,
    /// The page the fragment starts on, for documents with pages (PDFs, multi-page scans,
    /// texts with form feeds).
    pub page: Option<u32>,
}

/// A matched range of the body and which query term it matched.
#[derive(Clone)]
struct Match {
    from: usize,
    to: usize,
    /// Index of the matched term in the list of terms found.
    term: usize,
}

/// The best passage alone.
#[cfg(test)]
pub fn best_snippet(body: &str, highlight: &Highlight) -> Snippet {
    best_snippets(body, highlight, &Scanner::new(highlight), 1)
        .into_iter()
        .next()
        .unwrap_or_else(|| fragment(body, &[], 0, 0))
}

/// Up to `count` passages, best first, none overlapping another (`--snippets N`); at least
/// one (the beginning of the text when nothing matched). `scanner` is built from the search's
/// highlight, of which `highlight` (this document's) is a part.
pub fn best_snippets(
    body: &str,
    highlight: &Highlight,
    scanner: &Scanner,
    count: usize,
) -> Vec<Snippet> {
    let (terms, matches) = find(body, highlight, scanner);
    let variant: Vec<bool> = terms
        .iter()
        .map(|t| highlight.variant_only.contains(t))
        .collect();
    let mut out = Vec::new();
    let mut left = matches.clone();
    let mut shown: Vec<(usize, usize)> = Vec::new();
    while out.len() < count.max(1) {
        let (from, to) = best_window(&left, &variant);
        if !out.is_empty() && from == to {
            break;
        }
        out.push(fragment(body, &matches, from, to));
        shown.push((
            from.saturating_sub(MAX_FRAGMENT_BYTES),
            to + MAX_FRAGMENT_BYTES,
        ));
        // Later passages come from elsewhere in the text.
        left.retain(|m| !shown.iter().any(|&(a, b)| m.from < b && m.to > a));
        if left.is_empty() {
            break;
        }
    }
    out
}

/// Every place in `body` (its stored part) that the search's terms match, as byte ranges,
/// sorted, overlapping and touching ones merged: for a document shown whole.
pub fn all_matches(body: &str, highlight: &Highlight, scanner: &Scanner) -> Vec<(usize, usize)> {
    let (_, matches) = find(body, highlight, scanner);
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(matches.len());
    for m in matches {
        match out.last_mut() {
            Some(last) if m.from <= last.1 => last.1 = last.1.max(m.to),
            _ => out.push((m.from, m.to)),
        }
    }
    out
}

/// The terms found in `body` and where, sorted by position: words, stems, romanized forms and
/// whole phrases, less the words searched only within phrases that stand elsewhere.
fn find(body: &str, highlight: &Highlight, scanner: &Scanner) -> (Vec<String>, Vec<Match>) {
    let scanned = stored_part(body);
    let mut terms: Vec<String> = Vec::new();
    let mut matches = Vec::new();
    collect_words(scanned, highlight, scanner, &mut terms, &mut matches, true);
    if !highlight.roman.is_empty() {
        collect(
            &mut roman_analyzer(),
            scanned,
            &highlight.roman,
            &mut terms,
            &mut matches,
        );
    }
    if !highlight.entities.is_empty() {
        entity_matches(scanned, highlight, &mut terms, &mut matches);
    }
    matches.sort_by_key(|m| (m.from, m.to));
    join_phrases(scanned, &highlight.phrases, &mut terms, &mut matches);
    // A term searched only within phrases shows only where its phrase stands.
    matches.retain(|m| !highlight.phrase_only.contains(&terms[m.term]));
    (terms, matches)
}

/// Where `text` writes an entity the search asked for, in any form (`+81 773-68-0836` and
/// `0773-68-0836` are both `+81773680836`).
fn entity_matches(
    text: &str,
    highlight: &Highlight,
    terms: &mut Vec<String>,
    matches: &mut Vec<Match>,
) {
    for found in entities::find(text, highlight.region) {
        let wanted = highlight.entities.iter().any(|(kind, value)| {
            *kind == found.kind
                && (*value == found.value
                    // A national number typed: the numbers ending with its digits.
                    || (*kind == Kind::Phone
                        && !value.starts_with('+')
                        && found.value.ends_with(value.as_str())))
        });
        if !wanted {
            continue;
        }
        let term = format!("{}:{}", found.kind.name(), found.value);
        let index = match terms.iter().position(|t| *t == term) {
            Some(i) => i,
            None => {
                terms.push(term);
                terms.len() - 1
            }
        };
        matches.push(Match {
            from: found.range.start,
            to: found.range.end,
            term: index,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::scan::tests::{highlight, matches_found};
    use super::*;
    use crate::analysis::StemLang;

    fn marked(s: &Snippet) -> Vec<&str> {
        s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect()
    }

    /// A snippet says the page its match is on, counted by the page breaks before it, and
    /// shows line and page breaks as one space, its highlights still on the words.
    #[test]
    fn page_of_the_match_and_breaks_as_one_space() {
        let text = "Cover\n\u{c}\u{c}\nTelegram from Hakodate\n\nto Maizuru";
        let s = best_snippet(text, &highlight(&["maizuru"]));
        assert_eq!(s.text, "Cover Telegram from Hakodate to Maizuru");
        assert_eq!(marked(&s), ["Maizuru"]);
        assert_eq!(s.page, Some(3));
        let s = best_snippet("Cover\n\nno pages here: Maizuru", &highlight(&["maizuru"]));
        assert_eq!(
            (s.text.as_str(), s.page),
            ("Cover no pages here: Maizuru", None)
        );
    }

    #[test]
    fn ascii_text_highlights_words_and_stems_anywhere() {
        let mut h = highlight(&["debootstrap"]);
        h.stems
            .insert(StemLang::English, ["prison".to_string()].into());
        let text = "Use DEBOOTSTRAP (see debootstrap(8)); prisoners, Prison; undebootstrap.";
        assert_eq!(
            matches_found(text, &h, true),
            matches_found(text, &h, false)
        );
        let s = best_snippet(text, &h);
        assert_eq!(
            marked(&s),
            ["DEBOOTSTRAP", "debootstrap", "prisoners", "Prison"]
        );
    }

    #[test]
    fn highlights_words_and_folds() {
        let s = best_snippet("Gen. Otozō Yamada surrendered.", &highlight(&["otozo"]));
        assert_eq!(marked(&s), ["Otozō"]);
    }

    #[test]
    fn cjk_bigrams_merge_into_one_span() {
        let s = best_snippet(
            "資料 シベリア抑留、露に",
            &highlight(&["シベ", "ベリ", "リア"]),
        );
        assert_eq!(marked(&s), ["シベリア"]);
    }

    #[test]
    fn stems_highlight_original_text() {
        let mut h = highlight(&["prisoner"]);
        h.stems
            .insert(StemLang::English, ["prison".to_string()].into());
        let s = best_snippet("Many prisoners died.", &h);
        assert_eq!(marked(&s), ["prisoners"]);
    }

    #[test]
    fn romanized_matches_highlight_the_native_text() {
        let h = Highlight {
            roman: ["shiberia".to_string()].into(),
            ..Highlight::default()
        };
        let s = best_snippet("資料 シベリア抑留、露に", &h);
        assert_eq!(marked(&s), ["シベリア"]);
    }

    #[test]
    fn phrases_are_one_span() {
        let mut h = highlight(&["kwantung", "army"]);
        h.phrases
            .push(vec![vec!["kwantung".into()], vec!["army".into()]]);
        let s = best_snippet("The Kwantung  Army, the army of Kwantung.", &h);
        assert_eq!(marked(&s), ["Kwantung  Army", "army", "Kwantung"]);
    }

    #[test]
    fn picks_the_window_with_most_terms_and_cuts_at_words() {
        let filler = "lorem ipsum dolor sit amet ".repeat(30);
        let body =
            format!("maizuru alone. {filler} the port of maizuru welcomed soldiers. {filler}");
        let s = best_snippet(&body, &highlight(&["maizuru", "soldiers"]));
        assert_eq!(marked(&s), ["maizuru", "soldiers"]);
        assert!(s.cut_start && s.cut_end);
        assert!(s.text.len() <= MAX_FRAGMENT_BYTES);
        assert!(!s.text.starts_with(' ') && !s.text.ends_with(' '));
    }

    #[test]
    fn several_passages_come_from_different_places() {
        let filler = "lorem ipsum dolor sit amet ".repeat(40);
        let body = format!("Maizuru first. {filler} Maizuru second. {filler} Maizuru third.");
        let h = highlight(&["maizuru"]);
        let all = best_snippets(&body, &h, &Scanner::new(&h), 5);
        assert_eq!(all.len(), 3);
        let texts: Vec<&str> = all.iter().map(|s| s.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("second")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("third")), "{texts:?}");
    }

    #[test]
    fn no_match_gives_the_beginning() {
        let s = best_snippet("first line\nsecond", &highlight(&["absent"]));
        assert_eq!(s.text, "first line second");
        assert!(s.highlights.is_empty());
    }
}
