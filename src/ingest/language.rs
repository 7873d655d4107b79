//! Language detection, per passage: which language each stretch of a document is in, and the
//! document's share of each.
//!
//! lingua is accurate but costs about 2 µs per byte over all 75 languages, so the script decides
//! wherever it can: kana means Japanese, Hangul Korean, Greek Greek, Han without kana Chinese,
//! and so on. For scripts shared by several languages (Latin, Cyrillic, Arabic, Devanagari),
//! the document's candidate languages are found first on three pieces sampled across the whole
//! document (540 characters): each piece's function words narrow the script's languages to a
//! few ([`function_words`]) and lingua chooses among those. Then each passage is classified
//! among the document's candidates only, which is cheap; with one candidate no passage needs
//! lingua at all, and neither does a document's only passage of that script when most sampled
//! pieces agree (they cover more of it than one passage sample, and lingua calls jargon-heavy
//! English, `granulopoiesis` and `neutrophilia`, Latin on 300 characters). The seed 004 is
//! English with Japanese and Russian citations: its Russian passage is Russian, its Japanese
//! one Japanese, and the document stays English. Detection never runs on the search path.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use icu_properties::props::Script;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use crate::analysis::function_words::{self, Plausible, Purpose};
use crate::analysis::script::{is_mark, script};

/// Code for "undetermined" (ISO 639-2), used when no language can be decided.
pub const UNDETERMINED: &str = "und";

/// Characters of one script sampled from the whole document to find its candidate languages:
/// three pieces (see [`CANDIDATE_PIECE_CHARS`]), so that one dissenting piece is outvoted.
const SAMPLE_CHARS: usize = 540;
/// Characters of a passage fed to lingua to choose among the candidates.
const PASSAGE_SAMPLE_CHARS: usize = 300;
/// Letters a script needs before a language is claimed for it.
const MIN_LETTERS: usize = 20;
/// A Han, kana or Hangul character counts as this many letters: it carries about as much text as
/// a short word, so shares and thresholds compare like with like.
const CJK_WEIGHT: usize = 3;
/// A passage ends at a paragraph break (blank line) once it has this many bytes...
const PASSAGE_PARAGRAPH_BYTES: usize = 200;
/// ...at a line break once it has this many...
const PASSAGE_LINE_BYTES: usize = 1000;
/// ...and never grows past this many.
const PASSAGE_MAX_BYTES: usize = 4000;
/// Candidate languages are looked for in pieces of the document sample of about this size. A
/// piece of 180 characters has over 120 letters, below which lingua scores every n-gram length
/// from 1 to 5 instead of trigrams only, at about five times the cost (150 was often under).
const CANDIDATE_PIECE_CHARS: usize = 180;

/// A stretch of a document in one language: `text[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub lang: String,
}

/// The languages of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Languages {
    /// The language with the largest share of the letters (`und` when none was decided).
    pub main: String,
    /// Every language found with its share of the letters, largest first (never empty).
    pub all: Vec<(String, f32)>,
    /// The document cut into passages, each with its language (`und` where undecided).
    pub passages: Vec<Passage>,
}

/// Groups of scripts that decide a language the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Family {
    Latin,
    Cyrillic,
    Arabic,
    Devanagari,
    /// Han and kana: Japanese when kana is around, Chinese otherwise.
    Cjk,
    /// A script used by exactly one language we know: its ISO 639-1 code.
    Unique(&'static str),
}

impl Family {
    /// How many letters one character of this family counts for (see [`CJK_WEIGHT`]).
    fn weight(self) -> usize {
        match self {
            Family::Cjk | Family::Unique("ko") => CJK_WEIGHT,
            _ => 1,
        }
    }
}

fn family(s: Script) -> Option<Family> {
    Some(match s {
        Script::Latin => Family::Latin,
        Script::Cyrillic => Family::Cyrillic,
        Script::Arabic => Family::Arabic,
        Script::Devanagari => Family::Devanagari,
        Script::Han | Script::Hiragana | Script::Katakana => Family::Cjk,
        Script::Hangul => Family::Unique("ko"),
        Script::Greek => Family::Unique("el"),
        Script::Hebrew => Family::Unique("he"),
        Script::Thai => Family::Unique("th"),
        Script::Armenian => Family::Unique("hy"),
        Script::Georgian => Family::Unique("ka"),
        Script::Bengali => Family::Unique("bn"),
        Script::Tamil => Family::Unique("ta"),
        Script::Telugu => Family::Unique("te"),
        Script::Gujarati => Family::Unique("gu"),
        Script::Gurmukhi => Family::Unique("pa"),
        _ => return None,
    })
}

fn family_of(c: char) -> Option<Family> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Family::Latin);
    }
    if !c.is_alphabetic() {
        return None;
    }
    family(script(c))
}

fn is_kana(c: char) -> bool {
    matches!(script(c), Script::Hiragana | Script::Katakana)
}

/// Letter counts of a stretch of text, by family (CJK weighted) and kana apart. A small vector,
/// not a map: a stretch rarely has more than two families and this runs for every line.
#[derive(Debug, Default, Clone)]
struct Letters {
    by_family: Vec<(Family, usize)>,
    kana: usize,
}

impl Letters {
    fn of(text: &str) -> Letters {
        let mut letters = Letters::default();
        for c in text.chars() {
            letters.add(c);
        }
        letters
    }

    fn add(&mut self, c: char) {
        let Some(f) = family_of(c) else { return };
        let weight = f.weight();
        self.add_count(f, weight);
        if f == Family::Cjk && is_kana(c) {
            self.kana += weight;
        }
    }

    fn add_count(&mut self, family: Family, n: usize) {
        match self.by_family.iter_mut().find(|(f, _)| *f == family) {
            Some((_, count)) => *count += n,
            None => self.by_family.push((family, n)),
        }
    }

    fn count(&self, family: Family) -> usize {
        self.by_family
            .iter()
            .find(|(f, _)| *f == family)
            .map_or(0, |(_, n)| *n)
    }

    fn merge(&mut self, other: &Letters) {
        for &(f, n) in &other.by_family {
            self.add_count(f, n);
        }
        self.kana += other.kana;
    }

    fn total(&self) -> usize {
        self.by_family.iter().map(|(_, n)| n).sum()
    }

    /// The family with the most letters (on a tie, the one seen first).
    fn dominant(&self) -> Option<Family> {
        let mut best: Option<(Family, usize)> = None;
        for &(f, n) in &self.by_family {
            if best.is_none_or(|(_, b)| n > b) {
                best = Some((f, n));
            }
        }
        best.map(|(f, _)| f)
    }
}

/// A passage before its language is decided.
struct Draft {
    start: usize,
    end: usize,
    letters: Letters,
}

/// Cuts normalized text into passages: lines (and stretches of a line in another script) are
/// merged into passages of a few hundred bytes, ending at a paragraph break where possible; text
/// in another script always starts a new passage.
fn split_passages(text: &str) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut current: Option<Draft> = None;
    let mut offset = 0;
    let mut after_blank = false;
    let pieces = text.split_inclusive('\n').flat_map(|line| {
        let line_start = offset;
        offset += line.len();
        script_segments(line)
            .into_iter()
            .map(move |(a, b)| (line_start + a, line_start + b))
    });
    for (start, end) in pieces {
        let piece = &text[start..end];
        if piece.trim().is_empty() {
            after_blank |= piece.ends_with('\n');
            if let Some(d) = current.as_mut() {
                d.end = end;
            }
            continue;
        }
        let letters = Letters::of(piece);
        let line_family = letters.dominant();
        let cut = current.as_ref().is_some_and(|d| {
            let size = d.end - d.start;
            let at_line_end = text[..start].ends_with('\n');
            let other_script = line_family.is_some()
                && d.letters.dominant().is_some()
                && line_family != d.letters.dominant();
            other_script
                || size >= PASSAGE_MAX_BYTES
                || (after_blank && size >= PASSAGE_PARAGRAPH_BYTES)
                || (at_line_end && size >= PASSAGE_LINE_BYTES)
        });
        if cut {
            drafts.extend(current.take());
        }
        match current.as_mut() {
            Some(d) => {
                d.end = end;
                d.letters.merge(&letters);
            }
            None => {
                current = Some(Draft {
                    start,
                    end,
                    letters,
                })
            }
        }
        after_blank = false;
    }
    drafts.extend(current);
    drafts
}

/// Splits a line where it changes script for at least [`MIN_LETTERS`] letters, so a Russian
/// quotation inside an English sentence is a passage of its own. Returns byte ranges covering
/// the whole line. Short runs (a Latin product name in Japanese text) do not split.
fn script_segments(line: &str) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    let mut current: Option<Family> = None;
    // A run of another family being measured: where it started and its letters so far.
    let mut candidate: Option<(Family, usize, usize)> = None;
    let mut word_start = 0;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
            continue;
        }
        let Some(f) = family_of(c) else { continue };
        let weight = f.weight();
        match (current, candidate) {
            (None, _) => current = Some(f),
            (Some(cur), _) if cur == f => candidate = None,
            (Some(_), Some((cf, start, n))) if cf == f => {
                if n + weight >= MIN_LETTERS {
                    cuts.push(start);
                    current = Some(f);
                    candidate = None;
                } else {
                    candidate = Some((cf, start, n + weight));
                }
            }
            (Some(_), _) => {
                // CJK has no spaces: the run starts at this character, not at the word.
                let start = if f == Family::Cjk {
                    i
                } else {
                    word_start.max(*cuts.last().unwrap_or(&0))
                };
                candidate = Some((f, start, weight));
            }
        }
    }
    cuts.dedup();
    let mut out: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    out.push((*cuts.last().unwrap_or(&0), line.len()));
    out
}

/// The languages a document may contain in one script, found on pieces sampled across it.
#[derive(Debug, Default)]
struct Candidates {
    /// Every language that won a piece, sorted (the key of the candidate detector).
    languages: Vec<Language>,
    /// The language that won more than half of the pieces, if one did.
    majority: Option<Language>,
}

/// Shared by all ingest workers; lingua's models are loaded on first use of each language and
/// kept in lingua's process-wide cache, so the many small detectors share them.
#[derive(Default)]
pub struct Detector {
    by_family: Mutex<HashMap<Family, Arc<LanguageDetector>>>,
    by_candidates: Mutex<HashMap<Vec<Language>, Arc<LanguageDetector>>>,
    /// Texts given to lingua so far.
    asked: AtomicUsize,
}

impl Detector {
    pub fn new() -> Self {
        Self::default()
    }

    /// lingua's language for `text` (counted: tests check where it is spared).
    fn ask(&self, lingua: &LanguageDetector, text: &str) -> Option<Language> {
        self.asked.fetch_add(1, Ordering::Relaxed);
        lingua.detect_language_of(text)
    }

    /// A detector over every language of `family`'s script.
    fn for_family(&self, family: Family) -> Option<Arc<LanguageDetector>> {
        let languages = languages_of(family)?;
        let mut cache = self.by_family.lock().unwrap_or_else(|e| e.into_inner());
        let detector = cache.entry(family).or_insert_with(|| {
            Arc::new(LanguageDetectorBuilder::from_languages(languages).build())
        });
        Some(Arc::clone(detector))
    }

    /// A detector restricted to a document's candidate languages: few models to score. Not
    /// lingua's low-accuracy mode: on text of 120 letters or more both modes score trigrams
    /// only, and low accuracy first tries a shortcut over every n-gram length (unique and most
    /// common n-grams) that costs more lookups than the scoring and is confidently wrong on
    /// jargon; dropping it took about a quarter off ingest on a fifth of the `multi` corpus.
    fn for_candidates(&self, candidates: &[Language]) -> Arc<LanguageDetector> {
        let mut cache = self.by_candidates.lock().unwrap_or_else(|e| e.into_inner());
        let detector = cache.entry(candidates.to_vec()).or_insert_with(|| {
            Arc::new(LanguageDetectorBuilder::from_languages(candidates).build())
        });
        Arc::clone(detector)
    }

    /// The languages of `family`'s script that a document may contain, found on a few pieces
    /// sampled across the whole document. Each piece's function words first narrow the script's
    /// languages to a few (see [`function_words`]) and lingua chooses among those; a piece with
    /// too few function words (code, names, tables) is classified among the languages the
    /// telling pieces allow. With no telling piece at all, lingua weighs every language of the
    /// script on one piece (the slow path, about 4x the cost of a piece), unless the script is
    /// Latin and not the document's `main` one: then its words are names and code, and no
    /// language is claimed for them.
    fn candidates(&self, text: &str, family: Family, main: bool) -> Candidates {
        let Some(languages) = languages_of(family) else {
            return Candidates::default();
        };
        let stretches = sample_stretches(text, family, SAMPLE_CHARS);
        let mut sampled: Vec<(&str, Option<Plausible>)> = stretches
            .iter()
            .flat_map(|stretch| pieces(stretch, CANDIDATE_PIECE_CHARS))
            .map(|piece| {
                let told = function_words::plausible(piece, languages, Purpose::Candidates);
                (piece, told)
            })
            .collect();
        let mut allowed: Vec<Language> = sampled
            .iter()
            .flat_map(|(_, plausible)| plausible.iter().flat_map(|p| p.languages.iter().copied()))
            .collect();
        allowed.sort();
        allowed.dedup();
        // Latin words without a telling piece in a document mainly in another script are
        // names, commands and labels (`SEE ALSO`, `Help content debug info`), too little text to
        // tell the script's 45 languages apart: lingua called them English, Latin, Tagalog or
        // Yoruba, and they were 93% of the slow path on `multi`, a fifth of detection. No
        // language is claimed for them. The other shared scripts have a handful of languages,
        // which lingua tells apart on little text (Russian labels are Russian).
        if allowed.is_empty() && !main && family == Family::Latin {
            return Candidates::default();
        }
        // With no telling piece (code, tables, lists of names), lingua weighs every language of
        // the script, about 4x the cost of a piece; one piece, from the middle of the sample,
        // decides. On a fifth of `multi` that took ingest from 11.0 s to 7.5 s; the main
        // language changed on 1 of 5,104 documents, secondary ones on 4% (mostly spurious Latin,
        // Tagalog and Yoruba tags on code in CJK documents gone).
        let sampled = if allowed.is_empty() && sampled.len() > 1 {
            vec![sampled.swap_remove(sampled.len() / 2)]
        } else {
            sampled
        };
        self.decide(&sampled, &allowed, family)
    }

    /// Each sampled piece's language, and the candidates they make. A piece is decided by its
    /// function words when they allow one language, or when the language they clearly lead to
    /// already won an earlier piece (on `multi`, lingua asked anyway disagreed on 35 of 29,087
    /// pieces taken so); else by lingua among what they allow (`allowed` for a piece that does
    /// not tell, every language of the script when nothing tells).
    fn decide(
        &self,
        sampled: &[(&str, Option<Plausible>)],
        allowed: &[Language],
        family: Family,
    ) -> Candidates {
        let mut votes: Vec<(Language, usize)> = Vec::new();
        for (piece, plausible) in sampled {
            let among = plausible.as_ref().map_or(allowed, |p| &p.languages[..]);
            let confirmed = plausible
                .as_ref()
                .and_then(|p| p.leading)
                .filter(|f| votes.iter().any(|(won, _)| won == f));
            let winner = confirmed.or_else(|| match among {
                [] => self
                    .for_family(family)
                    .and_then(|all| self.ask(&all, piece)),
                [only] => Some(*only),
                few => self.ask(&self.for_candidates(few), piece),
            });
            if let Some(lang) = winner {
                match votes.iter_mut().find(|(l, _)| *l == lang) {
                    Some((_, n)) => *n += 1,
                    None => votes.push((lang, 1)),
                }
            }
        }
        let pieces: usize = votes.iter().map(|(_, n)| n).sum();
        let majority = votes
            .iter()
            .find(|(_, n)| n * 2 > pieces)
            .map(|(lang, _)| *lang);
        let mut languages: Vec<Language> = votes.into_iter().map(|(lang, _)| lang).collect();
        languages.sort();
        Candidates {
            languages,
            majority,
        }
    }

    /// Detects the languages of a normalized text, passage by passage.
    pub fn detect(&self, text: &str) -> Languages {
        let drafts = split_passages(text);
        let mut whole = Letters::default();
        for d in &drafts {
            whole.merge(&d.letters);
        }
        let total = whole.total();
        let cjk = whole.count(Family::Cjk);
        let main = whole.dominant();
        // Kanji-only passages of a document with kana in it are Japanese too.
        let japanese = whole.kana > 0 && whole.kana * 20 >= cjk;
        let mut candidates: HashMap<Family, Candidates> = HashMap::new();
        let mut drafts_of = HashMap::<Option<Family>, usize>::new();
        for d in &drafts {
            *drafts_of.entry(d.letters.dominant()).or_default() += 1;
        }
        let mut previous: HashMap<Family, String> = HashMap::new();
        let mut shares: HashMap<String, usize> = HashMap::new();
        let mut passages = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let family = draft.letters.dominant();
            let letters = draft.letters.total();
            let passage_text = &text[draft.start..draft.end];
            let code = match family {
                None => None,
                Some(Family::Unique(code)) => Some(code.to_string()),
                Some(Family::Cjk) if draft.letters.kana > 0 || japanese => Some("ja".into()),
                Some(Family::Cjk) => Some("zh".into()),
                Some(multi) => {
                    let cands = candidates
                        .entry(multi)
                        .or_insert_with(|| self.candidates(text, multi, main == Some(multi)));
                    let alone = drafts_of.get(&Some(multi)) == Some(&1);
                    match (cands.languages.as_slice(), cands.majority) {
                        ([], _) => None,
                        ([only], _) => Some(code_of(*only)),
                        (_, Some(majority)) if alone => Some(code_of(majority)),
                        (several, _) if letters >= MIN_LETTERS => {
                            let sample = prose_words(passage_text, multi, PASSAGE_SAMPLE_CHARS);
                            // A passage whose function words allow one of the candidates is in
                            // it: lingua is asked about the rest.
                            let told =
                                function_words::plausible(&sample, several, Purpose::Passage)
                                    .and_then(|p| match p.languages[..] {
                                        [only] => Some(only),
                                        _ => None,
                                    });
                            told.or_else(|| self.ask(&self.for_candidates(several), &sample))
                                .map(code_of)
                                .or_else(|| previous.get(&multi).cloned())
                        }
                        (first, _) => previous
                            .get(&multi)
                            .cloned()
                            .or_else(|| first.first().map(|l| code_of(*l))),
                    }
                }
            };
            if let (Some(f), Some(c)) = (family, &code) {
                previous.insert(f, c.clone());
            }
            let code = code.unwrap_or_else(|| UNDETERMINED.to_string());
            *shares.entry(code.clone()).or_default() += letters;
            passages.push(Passage {
                start: draft.start,
                end: draft.end,
                lang: code,
            });
        }
        let mut all: Vec<(String, f32)> = shares
            .into_iter()
            .filter(|(code, n)| code != UNDETERMINED && (*n >= MIN_LETTERS || *n * 2 >= total))
            .map(|(code, n)| (code, n as f32 / total.max(1) as f32))
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if all.is_empty() {
            all.push((UNDETERMINED.to_string(), 1.0));
        }
        Languages {
            main: all[0].0.clone(),
            all,
            passages,
        }
    }
}

/// Splits a sample into pieces of about `size` characters at word boundaries; a remainder
/// shorter than half a piece joins the last one.
fn pieces(sample: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = 0;
    for (i, c) in sample.char_indices() {
        chars += 1;
        if c == ' ' && chars >= size && sample.len() - i > size / 2 {
            out.push(&sample[start..i]);
            start = i + 1;
            chars = 0;
        }
    }
    if start < sample.len() {
        out.push(&sample[start..]);
    }
    out
}

/// Every language lingua knows in `family`'s script, sorted; `None` for a family whose script
/// decides the language. Built once: it is asked for every document and every piece.
fn languages_of(family: Family) -> Option<&'static [Language]> {
    static SHARED: OnceLock<[Vec<Language>; 4]> = OnceLock::new();
    let shared = SHARED.get_or_init(|| {
        [
            Language::all_with_latin_script(),
            Language::all_with_cyrillic_script(),
            Language::all_with_arabic_script(),
            Language::all_with_devanagari_script(),
        ]
        .map(|set| {
            let mut languages: Vec<Language> = set.into_iter().collect();
            languages.sort();
            languages
        })
    });
    let i = match family {
        Family::Latin => 0,
        Family::Cyrillic => 1,
        Family::Arabic => 2,
        Family::Devanagari => 3,
        Family::Cjk | Family::Unique(_) => return None,
    };
    Some(&shared[i])
}

fn code_of(lang: Language) -> String {
    lang.iso_code_639_1().to_string()
}

/// Prose words of `family` from `text`, up to `max_chars`. Commands, paths, numbers and
/// identifiers (`apt-get`, `/etc/fstab`, `6.1.3`) are the same in every language and mislead
/// detection, so only words made of letters are kept.
fn prose_words(text: &str, family: Family, max_chars: usize) -> String {
    let mut sample = String::with_capacity(max_chars + 32);
    let mut taken = 0;
    for word in text.split_whitespace() {
        if taken >= max_chars {
            break;
        }
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let prose = !word.is_empty() && word.chars().all(|c| c.is_alphabetic() || is_mark(c));
        if prose && word.chars().next().and_then(family_of) == Some(family) {
            sample.push_str(word);
            sample.push(' ');
            taken += word.chars().count() + 1;
        }
    }
    sample
}

/// Samples of `family`'s prose words, `max_chars` in all, from evenly spaced stretches of the
/// text (one stretch for a short text), so that every part of a long document has its say.
fn sample_stretches(text: &str, family: Family, max_chars: usize) -> Vec<String> {
    const STRETCHES: usize = 3;
    let stretches = if text.len() <= max_chars * 2 {
        1
    } else {
        STRETCHES
    };
    let per_stretch = max_chars / stretches;
    let step = text.len() / stretches;
    (0..stretches)
        .map(|i| {
            let mut start = i * step;
            while !text.is_char_boundary(start) {
                start += 1;
            }
            prose_words(&text[start..], family, per_stretch)
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_decides_without_lingua() {
        let d = Detector::new();
        assert_eq!(
            d.detect("シベリア抑留は第二次世界大戦の終結後に行われた")
                .main,
            "ja"
        );
        assert_eq!(
            d.detect("第二次世界大战结束后苏联把日本战俘送到西伯利亚劳动")
                .main,
            "zh"
        );
        assert_eq!(
            d.detect("한국어는 대한민국과 조선민주주의인민공화국의 공용어이다")
                .main,
            "ko"
        );
        assert_eq!(d.detect("1945 — 1956 ...").main, UNDETERMINED);
    }

    #[test]
    fn mixed_document_lists_every_language() {
        let d = Detector::new();
        let text = "Japanese prisoners of war were held in the Soviet Union for many years after \
                    the end of the war, and most of them returned through the port of Maizuru. \
                    Военнопленные японцы работали в лагерях Сибири до середины пятидесятых годов. \
                    シベリア抑留、露に76万人分の資料";
        let langs = d.detect(text);
        assert_eq!(langs.main, "en");
        let codes: Vec<&str> = langs.all.iter().map(|(c, _)| c.as_str()).collect();
        assert!(codes.contains(&"ru") && codes.contains(&"ja"), "{codes:?}");
    }

    #[test]
    fn passages_get_their_own_language() {
        let d = Detector::new();
        let english = "The prisoners were taken to labour camps in Siberia, where many of them \
                       worked for years on railways, in mines and in forests before repatriation.";
        let german = "Die Gefangenen wurden in Arbeitslager nach Sibirien gebracht, wo viele von \
                      ihnen jahrelang beim Bahnbau, in Bergwerken und in den Wäldern arbeiteten.";
        let text = format!("{english} {english}\n\n{german} {german}\n\n{english}");
        let langs = d.detect(&text);
        let codes: Vec<&str> = langs.passages.iter().map(|p| p.lang.as_str()).collect();
        assert_eq!(codes, ["en", "de", "en"]);
        assert_eq!(langs.main, "en");
        assert_eq!(
            &text[langs.passages[1].start..langs.passages[1].start + 3],
            "Die"
        );
    }

    /// A one-passage document takes the language most of its sampled pieces are in, not what
    /// lingua makes of the passage's opening words alone (here a Latin motto).
    #[test]
    fn one_passage_takes_the_majority_of_the_sampled_pieces() {
        let d = Detector::new();
        let latin = "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam \
                     Aquitani, tertiam qui ipsorum lingua Celtae, nostra Galli appellantur. Hi \
                     omnes lingua, institutis, legibus inter se differunt.";
        let english = "The prisoners were taken to labour camps in Siberia, where many of them \
                       worked for years on railways, in mines and in forests before they were \
                       finally sent home through the port of Maizuru.";
        let text = format!("{latin} {english} {english} {english} {english} {english} {english}");
        let candidates = d.candidates(&text, Family::Latin, true);
        assert_eq!(candidates.languages, [Language::English, Language::Latin]);
        assert_eq!(candidates.majority, Some(Language::English));
        let opening = prose_words(&text, Family::Latin, PASSAGE_SAMPLE_CHARS);
        let among = d.for_candidates(&candidates.languages);
        assert_eq!(among.detect_language_of(opening), Some(Language::Latin));
        let langs = d.detect(&text);
        assert_eq!(langs.passages.len(), 1);
        assert_eq!(langs.main, "en");
    }

    /// Jargon-heavy English: lingua over every Latin-script language calls two of the three
    /// sampled pieces of this abstract (SciFact 2274272) Latin; their English function words
    /// leave Latin a candidate for at most one piece, and the abstract is English.
    #[test]
    fn function_words_keep_jargon_heavy_english_from_being_latin() {
        let d = Detector::new();
        let text = "Immunity-related p47 guanosine triphosphatases (IRG) play a role in defense \
                    against intracellular pathogens. We found that the murine Irgm1 (LRG-47) \
                    guanosine triphosphatase induced autophagy and generated large \
                    autolysosomal organelles as a mechanism for the elimination of \
                    intracellular Mycobacterium tuberculosis. We also identified a function for \
                    a human IRG protein in the control of intracellular pathogens and report \
                    that the human Irgm1 ortholog, IRGM, plays a role in autophagy and in the \
                    reduction of intracellular bacillary load.";
        let sample = prose_words(text, Family::Latin, SAMPLE_CHARS);
        let all = d.for_family(Family::Latin).map(|all| {
            pieces(&sample, CANDIDATE_PIECE_CHARS)
                .into_iter()
                .filter(|piece| all.detect_language_of(*piece) == Some(Language::Latin))
                .count()
        });
        assert_eq!(
            all,
            Some(2),
            "lingua alone no longer says Latin: pick another text"
        );
        let candidates = d.candidates(text, Family::Latin, true);
        assert_eq!(candidates.majority, Some(Language::English));
        assert_eq!(d.detect(text).main, "en");
    }

    /// A document without a telling piece (code) is decided by one piece over every language of
    /// the script, not three: lingua alone calls these pieces different languages.
    #[test]
    fn a_document_without_function_words_is_decided_by_one_piece() {
        let d = Detector::new();
        // Three stretches of nouns, without a function word, in three languages.
        let stretch = |words: &str| format!("{} ", words.repeat(12));
        let text = [
            stretch("Kraftfahrzeughaftpflichtversicherung Donaudampfschifffahrtsgesellschaft "),
            stretch("lentokonesuihkuturbiinimoottori kahvinkeitin jäätelökioski saunavihta "),
            stretch("przedsiębiorstwo źdźbło chrząszcz gżegżółka pszczoła "),
        ]
        .concat();
        let stretches = sample_stretches(&text, Family::Latin, SAMPLE_CHARS);
        let pieces: Vec<&str> = stretches
            .iter()
            .flat_map(|s| pieces(s, CANDIDATE_PIECE_CHARS))
            .collect();
        assert!(pieces.len() > 1);
        assert!(
            pieces
                .iter()
                .all(
                    |p| languages_of(Family::Latin).is_some_and(|all| function_words::plausible(
                        p,
                        all,
                        Purpose::Candidates
                    )
                    .is_none())
                ),
            "a piece tells its language: pick other words"
        );
        let all = d.for_family(Family::Latin);
        let each: Vec<_> = pieces
            .iter()
            .map(|p| all.as_ref().and_then(|all| all.detect_language_of(*p)))
            .collect();
        let mut distinct = each.clone();
        distinct.sort();
        distinct.dedup();
        assert!(
            distinct.len() > 1,
            "lingua agrees on {each:?}: pick other words"
        );
        let candidates = d.candidates(&text, Family::Latin, true);
        assert_eq!(candidates.languages.len(), 1, "{:?}", candidates.languages);
    }

    /// Latin words without a function word in a Japanese man page (its commands and headings)
    /// are too little text to tell the Latin script's 45 languages apart: none is claimed, and
    /// lingua is not asked.
    #[test]
    fn latin_names_in_a_japanese_document_get_no_language() {
        let d = Detector::new();
        let text = "UNLINK(1) ユーザーコマンド UNLINK(1)\n\n名前\n\
                    unlink は unlink 関数を呼び出して指定したファイルを削除する\n\n\
                    SEE ALSO getty motd coreutils issue Linux Programmer Manual\n\n\
                    作者\nこのページは翻訳者が作成しました。\n";
        let langs = d.detect(text);
        assert_eq!(langs.main, "ja");
        let latin: Vec<&Passage> = langs
            .passages
            .iter()
            .filter(|p| text[p.start..p.end].contains("getty"))
            .collect();
        assert_eq!(latin.len(), 1);
        assert_eq!(latin[0].lang, UNDETERMINED);
        assert_eq!(d.asked.load(Ordering::Relaxed), 0);
        assert_eq!(langs.all.len(), 1, "{:?}", langs.all);
    }

    /// Russian labels in an English page have no function word either, but the Cyrillic script
    /// has few languages and lingua tells them apart on little text.
    #[test]
    fn cyrillic_labels_in_an_english_document_are_decided() {
        let d = Detector::new();
        let text = "Пред Настольная книга администратора След\n\n\
                    The Debian distribution is dynamic and changes continually. Most of the \
                    changes are in the Testing and Unstable versions, but even Stable is updated \
                    from time to time, mostly for security-related fixes.\n";
        let langs = d.detect(text);
        assert_eq!(langs.main, "en");
        assert_eq!(langs.passages[0].lang, "ru");
    }

    /// A passage whose function words allow only one of the document's languages is in that
    /// one: lingua, on its first 300 characters, followed the Polish heading of this English
    /// paragraph. The second English passage is confirmed by function words too, so lingua is
    /// asked only about the sampled pieces.
    #[test]
    fn function_words_decide_a_passage_among_the_candidates() {
        let d = Detector::new();
        let heading = "6.8. Utrzymywanie Aktualności Systemu\nPoprzedni\n\
                       Podręcznik Administratora Debiana\nNastępny\n\n\
                       6.8. Utrzymywanie Aktualności Systemu";
        let english = "The Debian distribution is dynamic and changes continually. Most of the \
                       changes are in the Testing and Unstable versions, but even Stable is \
                       updated from time to time, mostly for security-related fixes. Whatever \
                       version of Debian a system runs, it is generally a good idea to keep it \
                       up to date, so that you can get the benefit of recent evolution and bug \
                       fixes.";
        let polish = "Biorąc pod uwagę, że możliwe jest okresowe uruchamianie narzędzi do \
                      sprawdzania dostępnych aktualizacji i przeprowadzania uaktualnienia, takie \
                      powtarzalne zadanie jest uciążliwe, zwłaszcza w przypadku, gdy należy je \
                      wykonać na kilku maszynach.";
        let text = format!("{heading}\n\n{english}\n\n{polish}\n\n{english}\n\n{polish}");
        let langs = d.detect(&text);
        let codes: Vec<&str> = langs.passages.iter().map(|p| p.lang.as_str()).collect();
        assert_eq!(codes, ["en", "pl", "en", "pl"]);
        let heading_only = prose_words(&text[..langs.passages[0].end], Family::Latin, 300);
        let among = d.for_candidates(&[Language::English, Language::Polish]);
        assert_eq!(
            among.detect_language_of(heading_only),
            Some(Language::Polish),
            "lingua follows the English now: pick another heading"
        );
    }

    /// Function words confirm what lingua found for an earlier piece: an English document whose
    /// pieces lead to English but keep other languages asks lingua once.
    #[test]
    fn an_earlier_piece_spares_lingua_the_others() {
        let d = Detector::new();
        let piece = "the kernel is in a file on the server and a user can go to it with a key";
        let all = languages_of(Family::Latin).unwrap_or_default();
        let told = function_words::plausible(piece, all, Purpose::Candidates);
        assert_eq!(
            told.as_ref().and_then(|p| p.leading),
            Some(Language::English)
        );
        assert!(told.is_some_and(|p| p.languages.len() > 1));
        let text = format!("{piece} ").repeat(12);
        let candidates = d.candidates(&text, Family::Latin, true);
        assert_eq!(candidates.languages, [Language::English]);
        assert_eq!(d.asked.load(Ordering::Relaxed), 1);
    }

    /// The labeled real passages of `tests/fixtures/languages/<code>/`.
    #[test]
    fn labeled_samples_are_detected() -> std::io::Result<()> {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
        let d = Detector::new();
        let (mut total, mut wrong) = (0, Vec::new());
        for dir in std::fs::read_dir(&root)? {
            let dir = dir?;
            let label = dir.file_name().to_string_lossy().to_string();
            for file in std::fs::read_dir(dir.path())? {
                let path = file?.path();
                let text = crate::analysis::normalize(&std::fs::read_to_string(&path)?);
                total += 1;
                let got = d.detect(&text).main;
                if got != label {
                    wrong.push(format!("{}: {got}", path.display()));
                }
            }
        }
        assert!(total >= 180, "expected the 185 samples, found {total}");
        let accuracy = 1.0 - wrong.len() as f64 / total as f64;
        eprintln!(
            "language accuracy: {:.1}% ({} of {total} wrong)",
            accuracy * 100.0,
            wrong.len()
        );
        assert!(
            accuracy >= 0.99,
            "accuracy {accuracy:.3}; wrong: {wrong:#?}"
        );
        Ok(())
    }
}
