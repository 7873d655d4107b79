//! The best passage of a document for a query, with the byte ranges of what matched.
//!
//! The stored body is re-analyzed with the same analyzers the query used (generic, and each
//! stemmer the query went through), so a stemmed match (`prisoner` in `prisoners`) and a CJK
//! bigram highlight the original characters, and a romanized match (`shiberia`) highlights the
//! kana it was read from. Overlapping and touching ranges are merged, so a
//! CJK word reads as one highlighted span. The passage is the window of at most
//! [`MAX_FRAGMENT_BYTES`] holding the most distinct matched terms, cut at word boundaries.
//! Snippets carry ranges, never formatting: the renderers decide how to show them.

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use super::query::Highlight;
use crate::analysis::fold::fold_into;
use crate::analysis::tokenizer::ScriptTokenizer;
use crate::analysis::{Mode, roman_analyzer, stem_analyzer};

/// Longest fragment, in bytes of the stored text.
pub const MAX_FRAGMENT_BYTES: usize = 240;
/// Only this much of a very long document is scanned for the best passage.
const MAX_SCAN_BYTES: usize = 4 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The fragment; line breaks are shown as spaces.
    pub text: String,
    /// Matched byte ranges in `text`, sorted and disjoint.
    pub highlights: Vec<(usize, usize)>,
    /// Whether text was cut before and after the fragment.
    pub cut_start: bool,
    pub cut_end: bool,
}

/// A matched range of the body and which query term it matched.
#[derive(Clone)]
struct Match {
    from: usize,
    to: usize,
    term: usize,
}

/// The best passage alone.
#[cfg(test)]
pub fn best_snippet(body: &str, highlight: &Highlight) -> Snippet {
    best_snippets(body, highlight, 1)
        .into_iter()
        .next()
        .unwrap_or_else(|| fragment(body, &[], 0, 0))
}

/// Up to `count` passages, best first, none overlapping another (`--snippets N`); at least
/// one (the beginning of the text when nothing matched).
pub fn best_snippets(body: &str, highlight: &Highlight, count: usize) -> Vec<Snippet> {
    let mut scan_end = body.len().min(MAX_SCAN_BYTES);
    while !body.is_char_boundary(scan_end) {
        scan_end -= 1;
    }
    let scanned = &body[..scan_end];
    let mut terms: Vec<String> = Vec::new();
    let mut matches = Vec::new();
    collect_words(scanned, highlight, &mut terms, &mut matches);
    collect(
        &mut roman_analyzer(),
        scanned,
        &highlight.roman,
        &mut terms,
        &mut matches,
    );
    matches.sort_by_key(|m| (m.from, m.to));
    join_phrases(scanned, &highlight.phrases, &mut terms, &mut matches);
    let mut out = Vec::new();
    let mut left = matches.clone();
    let mut shown: Vec<(usize, usize)> = Vec::new();
    while out.len() < count.max(1) {
        let (from, to) = best_window(&left);
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

/// Exact and stemmed matches in one pass over the text: each token is folded and looked up;
/// only tokens that begin like a wanted stem are run through that language's stemmer (as the
/// index did), instead of stemming the whole text once per stemmer.
fn collect_words(text: &str, highlight: &Highlight, terms: &mut Vec<String>, out: &mut Vec<Match>) {
    let mut stemmers: Vec<(&HashSet<String>, Vec<String>, TextAnalyzer)> = highlight
        .stems
        .iter()
        .filter(|(_, wanted)| !wanted.is_empty())
        .map(|(lang, wanted)| {
            let prefixes = wanted.iter().map(|w| w.chars().take(3).collect()).collect();
            (wanted, prefixes, stem_analyzer(*lang, Mode::Index))
        })
        .collect();
    if highlight.body.is_empty() && stemmers.is_empty() {
        return;
    }
    let mut tokenizer = ScriptTokenizer::new(Mode::Index);
    let mut stream = tokenizer.token_stream(text);
    let mut folded = String::new();
    while stream.advance() {
        let token = stream.token();
        let (from, to) = (token.offset_from, token.offset_to);
        folded.clear();
        fold_into(&token.text, &mut folded);
        if highlight.body.contains(&folded) {
            push_match(terms, out, &folded, from, to);
        }
        for (wanted, prefixes, stemmer) in &mut stemmers {
            if !prefixes.iter().any(|p| folded.starts_with(p.as_str())) {
                continue;
            }
            let mut stemmed = None;
            stemmer.token_stream(&text[from..to]).process(&mut |t| {
                if wanted.contains(&t.text) {
                    stemmed = Some(t.text.clone());
                }
            });
            if let Some(stem) = stemmed {
                push_match(terms, out, &stem, from, to);
            }
        }
    }
}

fn push_match(terms: &mut Vec<String>, out: &mut Vec<Match>, term: &str, from: usize, to: usize) {
    let term = match terms.iter().position(|x| x == term) {
        Some(i) => i,
        None => {
            terms.push(term.to_string());
            terms.len() - 1
        }
    };
    out.push(Match { from, to, term });
}

fn collect(
    analyzer: &mut TextAnalyzer,
    text: &str,
    wanted: &HashSet<String>,
    terms: &mut Vec<String>,
    out: &mut Vec<Match>,
) {
    if wanted.is_empty() {
        return;
    }
    analyzer.token_stream(text).process(&mut |t| {
        if wanted.contains(&t.text) {
            push_match(terms, out, &t.text, t.offset_from, t.offset_to);
        }
    });
}

/// Adds one match spanning each place where a phrase's words follow each other (nothing but
/// spaces and punctuation between them), so the phrase highlights as one span; the fragment
/// merges it with the word matches it covers.
fn join_phrases(
    text: &str,
    phrases: &[Vec<String>],
    terms: &mut Vec<String>,
    matches: &mut Vec<Match>,
) {
    let mut joined = Vec::new();
    for phrase in phrases {
        let ids: Option<Vec<usize>> = phrase
            .iter()
            .map(|word| terms.iter().position(|t| t == word))
            .collect();
        let Some(ids) = ids else { continue };
        let id = terms.len();
        terms.push(phrase.join(" "));
        for start in 0..matches.len() {
            let mut at = start;
            let mut ok = matches[start].term == ids[0];
            for &next in &ids[1..] {
                if !ok {
                    break;
                }
                let prev_end = matches[at].to;
                // The next word is among the next few matches (stems and bigrams of the same
                // words interleave), never far: this keeps long documents linear.
                ok = match matches[at + 1..]
                    .iter()
                    .take(8)
                    .position(|m| m.from >= prev_end && m.term == next)
                {
                    Some(offset) => {
                        let candidate = at + 1 + offset;
                        let gap = &text[prev_end..matches[candidate].from];
                        at = candidate;
                        !gap.chars().any(char::is_alphanumeric)
                    }
                    None => false,
                };
            }
            if ok {
                joined.push(Match {
                    from: matches[start].from,
                    to: matches[at].to,
                    term: id,
                });
            }
        }
    }
    if !joined.is_empty() {
        matches.extend(joined);
        matches.sort_by_key(|m| (m.from, m.to));
    }
}

/// The byte range of the matches to show: the window with the most distinct terms, then the
/// most matches, earliest first. `(0, 0)` when nothing matched.
fn best_window(matches: &[Match]) -> (usize, usize) {
    let mut best = (0usize, 0usize, 0usize, 0usize); // distinct, count, from, to
    for (i, first) in matches.iter().enumerate() {
        let mut distinct: Vec<usize> = Vec::new();
        let mut to = first.to;
        let mut count = 0;
        for m in matches[i..]
            .iter()
            .take_while(|m| m.to <= first.from + MAX_FRAGMENT_BYTES)
        {
            if !distinct.contains(&m.term) {
                distinct.push(m.term);
            }
            count += 1;
            to = to.max(m.to);
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, first.from, to);
        }
    }
    (best.2, best.3)
}

/// Cuts the fragment around `[from, to)` at word boundaries and maps highlights into it.
fn fragment(body: &str, matches: &[Match], from: usize, to: usize) -> Snippet {
    let room = MAX_FRAGMENT_BYTES.saturating_sub(to - from);
    // Context before the first match: a third of the room, the rest after.
    let mut start = from.saturating_sub(room / 3);
    let mut end = (to + room - (from - start)).min(body.len());
    while !body.is_char_boundary(start) {
        start += 1;
    }
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    // Move inwards to whitespace so no word is cut (unless that would drop a match).
    if start > 0
        && let Some((ws, c)) = body[start..from]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
    {
        start += ws + c.len_utf8();
    }
    if end < body.len()
        && let Some(ws) = body[to..end].rfind(char::is_whitespace)
    {
        end = to + ws;
    }
    let text: String = body[start..end]
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for m in matches.iter().filter(|m| m.from >= start && m.to <= end) {
        let range = (m.from - start, m.to - start);
        match highlights.last_mut() {
            Some(last) if range.0 <= last.1 => last.1 = last.1.max(range.1),
            _ => highlights.push(range),
        }
    }
    Snippet {
        text,
        highlights,
        cut_start: start > 0,
        cut_end: end < body.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::StemLang;

    fn highlight(body: &[&str]) -> Highlight {
        Highlight {
            body: body.iter().map(|s| s.to_string()).collect(),
            ..Highlight::default()
        }
    }

    fn marked(s: &Snippet) -> Vec<&str> {
        s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect()
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
        h.phrases.push(vec!["kwantung".into(), "army".into()]);
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
        let all = best_snippets(&body, &highlight(&["maizuru"]), 5);
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
