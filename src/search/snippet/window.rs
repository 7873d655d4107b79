//! The passage shown: a phrase's words joined into one span, the window with the most
//! distinct matched terms chosen, and the fragment cut at word boundaries around it.

use super::{MAX_FRAGMENT_BYTES, Match, Snippet};
use crate::analysis::normalize::PAGE_BREAK;

/// Adds one match spanning each place where a phrase's words follow each other (nothing but
/// spaces and punctuation between them), so the phrase highlights as one span; the fragment
/// merges it with the word matches it covers.
pub(super) fn join_phrases(
    text: &str,
    phrases: &[Vec<Vec<String>>],
    terms: &mut Vec<String>,
    matches: &mut Vec<Match>,
) {
    let mut joined = Vec::new();
    for phrase in phrases {
        // Each word's terms found in the text (a fuzzy phrase's word has several).
        let ids: Option<Vec<Vec<usize>>> = phrase
            .iter()
            .map(|word| {
                let found: Vec<usize> = word
                    .iter()
                    .filter_map(|w| terms.iter().position(|t| t == w))
                    .collect();
                (!found.is_empty()).then_some(found)
            })
            .collect();
        let Some(ids) = ids else { continue };
        let id = terms.len();
        let typed: Vec<&str> = phrase
            .iter()
            .filter_map(|w| w.first().map(String::as_str))
            .collect();
        terms.push(typed.join(" "));
        for start in 0..matches.len() {
            let mut at = start;
            let mut ok = ids[0].contains(&matches[start].term);
            for next in &ids[1..] {
                if !ok {
                    break;
                }
                let prev_end = matches[at].to;
                // The next word is among the next few matches (stems and bigrams of the same
                // words interleave), never far: this keeps long documents linear.
                // CJK bigrams overlap: the next begins inside the one before.
                let prev_from = matches[at].from;
                ok = match matches[at + 1..]
                    .iter()
                    .take(8)
                    .position(|m| m.from > prev_from && next.contains(&m.term))
                {
                    Some(offset) => {
                        let candidate = at + 1 + offset;
                        let from = matches[candidate].from;
                        at = candidate;
                        from <= prev_end || !text[prev_end..from].chars().any(char::is_alphanumeric)
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

/// The byte range of the matches to show: the window with the most distinct terms as typed
/// (`variant[term]` is true for a term searched only through a variant name), then the most
/// distinct terms, then the most matches, earliest first. `(0, 0)` when nothing matched.
pub(super) fn best_window(matches: &[Match], variant: &[bool]) -> (usize, usize) {
    let mut best = ((0usize, 0usize, 0usize), 0usize, 0usize); // (typed, distinct, count), from, to
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
        let typed = distinct
            .iter()
            .filter(|&&t| !variant.get(t).copied().unwrap_or(false))
            .count();
        let rank = (typed, distinct.len(), count);
        if rank > best.0 {
            best = (rank, first.from, to);
        }
    }
    (best.1, best.2)
}

/// The page, from 1, that byte `at` of `body` is on.
fn page_at(body: &str, at: usize) -> u32 {
    let breaks = body.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\x0c')
        .count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

/// Cuts the fragment around `[from, to)` at word boundaries and maps highlights into it.
pub(super) fn fragment(body: &str, matches: &[Match], from: usize, to: usize) -> Snippet {
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
    // Line and page breaks read as one space; `moved[i]` is where byte `start + i` went.
    let mut text = String::with_capacity(end - start);
    let mut moved = Vec::with_capacity(end - start + 1);
    for c in body[start..end].chars() {
        moved.extend(std::iter::repeat_n(text.len(), c.len_utf8()));
        match c {
            '\n' | PAGE_BREAK if text.ends_with(' ') => {}
            '\n' | PAGE_BREAK => text.push(' '),
            c => text.push(c),
        }
    }
    moved.push(text.len());
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for m in matches.iter().filter(|m| m.from >= start && m.to <= end) {
        let range = (moved[m.from - start], moved[m.to - start]);
        match highlights.last_mut() {
            Some(last) if range.0 <= last.1 => last.1 = last.1.max(range.1),
            _ => highlights.push(range),
        }
    }
    // The page of the first match (of the fragment's start when none): a fragment that runs
    // over a page break is where its match is.
    let at = matches
        .iter()
        .find(|m| m.from >= start && m.to <= end)
        .map_or(start, |m| m.from);
    let paged = body.contains(PAGE_BREAK);
    Snippet {
        text,
        highlights,
        cut_start: start > 0,
        cut_end: end < body.len(),
        page: paged.then(|| page_at(body, at)),
    }
}
