//! Finding a search's terms in a document's text: exact (folded), stemmed and romanized, with
//! their byte ranges. Most text is passed over without tokenizing it (see [`Scanner`]).

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use super::Match;
use crate::analysis::fold::{first_folded, fold_into};
use crate::analysis::tokenizer::ScriptTokenizer;
use crate::analysis::{Mode, stem_analyzer};
use crate::search::query::Highlight;

/// Non-ASCII words closer than this are tokenized as one stretch, with the ASCII words between.
/// 1 joins only stretches that touch: each word of a Russian or Arabic text is then looked at
/// alone, and passed over unless it may begin a wanted term (a wider gap makes one stretch of
/// a whole Russian text, tokenized as soon as a Latin letter in it could begin a term, which
/// measured slower; see BENCHMARKS.md, "Figures behind the code").
const REGION_GAP: usize = 1;

/// What looking for a search's terms in a text needs that does not depend on the text, built
/// once per search and shared by its hits: building the multi-pattern searcher alone costs
/// as much as scanning a short document.
pub struct Scanner {
    /// The first three letters of every wanted ASCII term, found in any case.
    finder: Option<AhoCorasick>,
    firsts: Firsts,
    /// The bytes that may begin a token that can match: the ASCII letters of `firsts` in either
    /// case, and the lead bytes of characters that may fold into one of `firsts`.
    relevant: [bool; 256],
}

impl Scanner {
    /// For every term of `highlight`, in every language it was stemmed for (a document's own
    /// highlight keeps some of them).
    pub fn new(highlight: &Highlight) -> Scanner {
        let probes: Vec<String> = highlight
            .body
            .iter()
            .chain(highlight.stems.values().flatten())
            .map(|t| probe(t))
            .filter(|p| !p.is_empty())
            .collect();
        let ascii_probes: Vec<&String> = probes.iter().filter(|p| p.is_ascii()).collect();
        let finder = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&ascii_probes)
            .ok();
        let firsts = Firsts::new(&probes);
        let mut relevant = [false; 256];
        for byte in 0..=255u8 {
            relevant[usize::from(byte)] = if byte.is_ascii() {
                firsts.ascii[usize::from(byte.to_ascii_lowercase())]
            } else if is_lead_byte(byte) {
                !firsts.other.is_empty() || folds_to_ascii_behind(byte)
            } else {
                false
            };
        }
        Scanner {
            finder,
            firsts,
            relevant,
        }
    }
}

/// Exact and stemmed matches in one pass over the text: each token is folded and looked up;
/// only tokens that begin like a wanted stem are run through that language's stemmer (as the
/// index did), instead of stemming the whole text once per stemmer. ASCII stretches of text
/// (all of most documentation and English, most of a German or French text) are not tokenized:
/// the words there that can match begin with the first three letters of a wanted term, and a
/// case-insensitive multi-pattern search finds them, at several hundred MB/s against tens for
/// the tokenizer. Only the words with other characters go through the tokenizer; without
/// `fast`, the whole text is (tests compare both ways).
pub(super) fn collect_words(
    text: &str,
    highlight: &Highlight,
    scanner: &Scanner,
    terms: &mut Vec<String>,
    out: &mut Vec<Match>,
    fast: bool,
) {
    let mut stemmers: Vec<Stemming> = highlight
        .stems
        .iter()
        .filter(|(_, wanted)| !wanted.is_empty())
        .map(|(lang, wanted)| Stemming {
            wanted,
            prefixes: wanted.iter().map(|w| probe(w)).collect(),
            analyzer: stem_analyzer(*lang, Mode::Index),
            seen: HashMap::new(),
        })
        .collect();
    if highlight.body.is_empty() && stemmers.is_empty() {
        return;
    }
    let mut folded = String::new();
    let mut consider = |token: &str, from: usize, to: usize| {
        folded.clear();
        fold_into(token, &mut folded);
        if highlight.body.contains(&folded) {
            push_match(terms, out, &folded, from, to);
        }
        for stemming in &mut stemmers {
            if !stemming
                .prefixes
                .iter()
                .any(|p| folded.starts_with(p.as_str()))
            {
                continue;
            }
            if let Some(stem) = stemming.wanted_stem(&text[from..to]) {
                push_match(terms, out, stem, from, to);
            }
        }
    };
    let mut tokenizer = ScriptTokenizer::new(Mode::Index);
    let regions = if fast {
        tokenized_regions(text.as_bytes())
    } else {
        vec![(0, text.len())]
    };
    // Outside the regions a token is a maximal run of ASCII letters and digits, and folding
    // only lowercases it, so a term with other characters cannot match there.
    let bytes = text.as_bytes();
    let mut word_end = 0;
    let mut region = regions.iter().peekable();
    for found in scanner.finder.iter().flat_map(|f| f.find_iter(text)) {
        let from = found.start();
        while region.next_if(|r| r.1 <= from).is_some() {}
        if region.peek().is_some_and(|r| r.0 <= from)
            || from < word_end
            || (from > 0 && bytes[from - 1].is_ascii_alphanumeric())
        {
            continue;
        }
        word_end = from
            + bytes[from..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - from);
        // The tokenizer makes the token, so it is lowercased and cut exactly as indexed.
        let mut stream = tokenizer.token_stream(&text[from..word_end]);
        if stream.advance() {
            let token = stream.token().text.clone();
            consider(&token, from, word_end);
        }
    }
    // Inside the regions, a stretch with no character a wanted term can begin with is passed
    // over, and so is a token that does not begin like one, without folding or lookups. Its
    // bytes tell first, without decoding characters, for most stretches of other scripts.
    let firsts = &scanner.firsts;
    for &(start, end) in &regions {
        let region = &text[start..end];
        if !region.bytes().any(|b| scanner.relevant[usize::from(b)])
            || !region.chars().any(|c| firsts.may_begin(c))
        {
            continue;
        }
        let mut stream = tokenizer.token_stream(region);
        while stream.advance() {
            let token = stream.token();
            if !token
                .text
                .chars()
                .next()
                .is_some_and(|c| firsts.may_begin(c))
            {
                continue;
            }
            consider(
                &token.text,
                start + token.offset_from,
                start + token.offset_to,
            );
        }
    }
}

pub(super) fn collect(
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

/// The beginning of a wanted term that a word must share to be looked at further: its first
/// three letters (a stem may differ from its word after that).
fn probe(term: &str) -> String {
    term.chars().take(3).collect()
}

/// Whether `byte` begins a character of two or more bytes in UTF-8.
fn is_lead_byte(byte: u8) -> bool {
    byte >= 0xC2
}

/// Whether a character whose UTF-8 form begins with `lead` may lowercase and fold into an ASCII
/// letter: those are Latin letters (`ö`, `ł`, `ẞ`, `ꞵ`) and the Kelvin sign, found only behind
/// these lead bytes (a test checks every character). Cyrillic, Greek, Arabic, CJK and the
/// other scripts never do, so their stretches of text are passed over for an ASCII query.
fn folds_to_ascii_behind(lead: u8) -> bool {
    matches!(lead, 0xC2..=0xCA | 0xE1 | 0xE2 | 0xEA | 0xEF)
}

/// The first characters of the wanted terms (folded, as terms are), to pass over text that
/// cannot match without analyzing it: folding and stemming keep a token's first character, so
/// a token can only match when its first character, lowercased and folded, is one of these.
struct Firsts {
    ascii: [bool; 128],
    other: Vec<char>,
}

impl Firsts {
    fn new(terms: &[String]) -> Firsts {
        let mut firsts = Firsts {
            ascii: [false; 128],
            other: Vec::new(),
        };
        for first in terms.iter().filter_map(|t| t.chars().next()) {
            if first.is_ascii() {
                firsts.ascii[first as usize] = true;
            } else if !firsts.other.contains(&first) {
                firsts.other.push(first);
            }
        }
        firsts
    }

    /// Whether a token beginning with `c` (in any case, folded or not) may match a wanted term.
    fn may_begin(&self, c: char) -> bool {
        let first = first_folded(c);
        if first.is_ascii() {
            self.ascii[first as usize]
        } else {
            self.other.contains(&first)
        }
    }
}

/// One stemmer's wanted stems and what it found of the document's words so far: a word recurs
/// (`Debian` in every paragraph of a handbook), and stemming it again cost a microsecond.
struct Stemming<'a> {
    wanted: &'a HashSet<String>,
    /// The first three letters of each wanted stem: a word that begins otherwise is not stemmed.
    prefixes: Vec<String>,
    analyzer: TextAnalyzer,
    /// Each word stemmed so far, with its stem when that is wanted.
    seen: HashMap<String, Option<String>>,
}

impl Stemming<'_> {
    /// The wanted stem that `word` (as it stands in the text: the analyzer reads its case)
    /// stems to, if any.
    fn wanted_stem(&mut self, word: &str) -> Option<&str> {
        if !self.seen.contains_key(word) {
            let mut stemmed = None;
            let wanted = self.wanted;
            self.analyzer.token_stream(word).process(&mut |t| {
                if wanted.contains(&t.text) {
                    stemmed = Some(t.text.clone());
                }
            });
            self.seen.insert(word.to_string(), stemmed);
        }
        self.seen.get(word).and_then(|stem| stem.as_deref())
    }
}

/// The byte ranges of `text` that need the tokenizer: each run of non-ASCII characters,
/// widened to the whole words around it (`Straße`, `Yiの`), runs less than
/// [`REGION_GAP`] bytes apart joined. Each range starts and ends next to an ASCII character
/// that is not a letter or digit (or the text's ends), so it is tokenized as in the whole text.
fn tokenized_regions(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut regions: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(mut start) = find_byte(bytes, at, false) {
        let mut end = find_byte(bytes, start, true).unwrap_or(bytes.len());
        while start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            start -= 1;
        }
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        match regions.last_mut() {
            Some(last) if start < last.1 + REGION_GAP => last.1 = end,
            _ => regions.push((start, end)),
        }
        at = end;
    }
    regions
}

/// The first byte of `bytes` from `from` on that is ASCII (`ascii`) or not. Eight bytes are
/// tested at a time: a Russian or Chinese text is all regions, and the byte-by-byte loop took
/// longer than deciding which regions to tokenize.
fn find_byte(bytes: &[u8], from: usize, ascii: bool) -> Option<usize> {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let high = u64::from_le_bytes(word) & HIGH_BITS;
        // The high bit of each byte that is not ASCII, or of each that is.
        let wanted = if ascii { !high & HIGH_BITS } else { high };
        if wanted != 0 {
            return Some(from + i * 8 + wanted.trailing_zeros() as usize / 8);
        }
    }
    let tail = rest.len() - chunks.remainder().len();
    chunks
        .remainder()
        .iter()
        .position(|b| b.is_ascii() == ascii)
        .map(|p| from + tail + p)
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::analysis::StemLang;

    pub(crate) fn highlight(body: &[&str]) -> Highlight {
        Highlight {
            body: body.iter().map(|s| s.to_string()).collect(),
            ..Highlight::default()
        }
    }

    /// Every match as (from, to, term text).
    pub(crate) fn matches_found(
        text: &str,
        h: &Highlight,
        ascii: bool,
    ) -> Vec<(usize, usize, String)> {
        let mut terms = Vec::new();
        let mut out = Vec::new();
        collect_words(text, h, &Scanner::new(h), &mut terms, &mut out, ascii);
        let mut found: Vec<_> = out
            .into_iter()
            .map(|m| (m.from, m.to, terms[m.term].clone()))
            .collect();
        found.sort();
        found
    }

    proptest::proptest! {
        /// Searching the ASCII stretches finds exactly what tokenizing the whole text finds.
        #[test]
        fn searching_ascii_stretches_finds_what_the_tokenizer_finds(
            words in proptest::collection::vec(
                "(Prisoners|prisoner|PRISON|imprisoned|de|Debootstrap|debootstraps|x{130}|a1b2|\
                  Straße|straße|Otozō|OTOZO|プリズン|Пленные|e\u{301}|[a-zA-Z0-9]{1,6}|\
                  [a-zé]{1,3}[ßōの][a-z]{0,3})",
                0..40,
            ),
            separators in proptest::collection::vec("([ .,;:()'\"/-]{1,2}|—|、| « )", 40),
        ) {
            let text: String = words
                .iter()
                .zip(&separators)
                .map(|(w, s)| format!("{w}{s}"))
                .collect();
            let mut h = highlight(&[
                "prisoners", "debootstrap", "de", &"x".repeat(126), "a1b2", "strasse", "otozo",
                "プリ", "пленные", "e",
            ]);
            h.stems.insert(
                StemLang::English,
                ["prison".to_string(), "debootstrap".to_string()].into(),
            );
            proptest::prop_assert_eq!(
                matches_found(&text, &h, true),
                matches_found(&text, &h, false)
            );
        }

    }

    #[test]
    fn only_latin_lead_bytes_hide_characters_folding_to_ascii() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if first_folded(c).is_ascii() {
                let mut utf8 = [0; 4];
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(
                    folds_to_ascii_behind(lead),
                    "{c:?} folds to ASCII behind {lead:#x}"
                );
            }
        }
    }

    #[test]
    fn other_scripts_are_passed_over_for_an_ascii_query_but_not_latin_letters() {
        let h = highlight(&["otozo", "debootstrap"]);
        let scanner = Scanner::new(&h);
        let relevant = |text: &str| text.bytes().any(|b| scanner.relevant[usize::from(b)]);
        assert!(!relevant("Шиберия 抑留 ελληνικά"));
        assert!(relevant("Ōtozō"));
        assert!(relevant("Debian"));
        assert!(!relevant("Kwantung"));
        // A query with a Cyrillic word may match behind any lead byte.
        let h = highlight(&["шиберия"]);
        assert!(Scanner::new(&h).relevant[0xD0]);
        assert_eq!(
            matches_found("Шиберия, ШИБЕРИЯ.", &h, true),
            matches_found("Шиберия, ШИБЕРИЯ.", &h, false)
        );
    }

    #[test]
    fn finds_the_first_ascii_or_other_byte_from_a_position() {
        let text = "abcdefghij Straße 完全 ok".as_bytes();
        for from in 0..=text.len() {
            let naive = |ascii: bool| text[from..].iter().position(|b| b.is_ascii() == ascii);
            assert_eq!(find_byte(text, from, false), naive(false).map(|p| from + p));
            assert_eq!(find_byte(text, from, true), naive(true).map(|p| from + p));
        }
        assert_eq!(find_byte(text, text.len() + 1, true), None);
    }
}
