//! Narrowing by function words: a cheap first look at which languages of a script a piece of
//! text may be in, before lingua decides among them.
//!
//! lingua scores every trigram of a text against every candidate language's model; over the ~45
//! languages written in Latin letters that was most of ingest time. A language's function words
//! ("the", "und", "les", "och", "się") are few and prose uses them constantly, so counting them
//! in a piece narrows the candidates to the few languages that share its function words
//! (Spanish, Catalan and Portuguese; Danish and Norwegian), and lingua chooses among those. The
//! lists are [`crate::analysis::function_words`]'s. A language with no list is ruled out only by
//! a piece that is plainly prose in a listed language, and a piece with too few function words
//! (jargon, lists of names, a language nobody listed) says nothing: the detector classifies it
//! among what the document's telling pieces allow, or (one piece) over the whole script when
//! none tells.
//!
//! This also keeps lingua from calling jargon-heavy English Latin: Latin is ruled out when the
//! piece uses English function words and hardly any Latin ones.

use std::collections::HashMap;
use std::sync::OnceLock;

use lingua::Language;

use crate::analysis::function_words::list;

/// A piece tells its language when one language's function words in it are at least this many
/// different words (`man man man` in a man page is one)...
const MIN_DISTINCT: usize = 3;

/// ...and at least 1/`MIN_SHARE` of its words. Prose is 30-50% function words; technical prose
/// between commands and file names often 10-20%.
const MIN_SHARE: usize = 10;

/// From 1/`SURE_SHARE` of the words on, a piece is plainly in a listed language, and the
/// languages without a list are ruled out too.
const SURE_SHARE: usize = 4;

/// A listed language is ruled out next to the best one when the piece has this many different
/// function words of the best one's that its list lacks, and none of its own that the best
/// one's lacks (`Пред.` and `След.`, Russian labels, are Bulgarian function words).
const MIN_OUTDONE: usize = 3;

/// A listed language stays a candidate when its count is at least 1/`KEEP_RATIO` of the best
/// one's: lists differ in length (Slovene's has 1,784 words, Croatian's 179, Turkish's 53), so
/// a close relative with a longer list can outscore the true language.
const KEEP_RATIO: usize = 3;

/// A set of lingua languages as bits (lingua has fewer than 128 languages).
type LangBits = u128;

fn bit(lang: Language) -> LangBits {
    1 << (lang as u32)
}

/// Every word of every list, with the languages that list it.
struct Lists {
    by_word: HashMap<&'static str, LangBits>,
    /// The languages that have a list.
    listed: LangBits,
    /// The length of each language's list, by lingua's language index.
    sizes: [usize; 128],
    /// Each language's list, by lingua's language index (empty without one).
    words: [&'static [&'static str]; 128],
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut by_word: HashMap<&'static str, LangBits> = HashMap::new();
        let mut listed = 0;
        let mut sizes = [0; 128];
        let mut lists: [&'static [&'static str]; 128] = [&[]; 128];
        for lang in Language::all() {
            let code = lang.iso_code_639_1().to_string();
            let Some(words) = list(&code) else {
                continue;
            };
            listed |= bit(lang);
            sizes[lang as usize] = words.len();
            lists[lang as usize] = words;
            for word in words {
                *by_word.entry(word).or_default() |= bit(lang);
            }
        }
        Lists {
            by_word,
            listed,
            sizes,
            words: lists,
        }
    })
}

/// What a piece's function words say about its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plausible {
    /// The languages of the script the piece may be in, sorted and never empty.
    pub languages: Vec<Language>,
    /// The language of `languages` whose function words clearly lead: at least [`LEAD_RATIO`]
    /// times as many as any other listed language's (the only listed one qualifies: a piece that
    /// is not plainly prose keeps the languages nobody listed, see [`plausible`]). A language an
    /// earlier piece of the document already won is taken on this without asking lingua.
    pub leading: Option<Language>,
}

/// A listed language leads when its function words in a piece are at least this many times
/// those of any other listed language kept. At 1.5 a Russian page was lost to Bulgarian, whose
/// longer list has three `благодаря` of it (7 words against Russian's 4).
const LEAD_RATIO: usize = 2;

/// What an answer of [`plausible`] is for, which decides how far a short list is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Finding a document's candidate languages on a sampled piece: a language is ruled out by
    /// the best one's words that its list lacks, however short its list.
    Candidates,
    /// Deciding a passage among the candidates, for good: only a list at least as long as the
    /// best one's is trusted to lack a word. Russian's list (151 words) lacks `благодаря`,
    /// which Bulgarian's (259) has, and a Russian passage was taken for Bulgarian.
    Passage,
}

/// The languages of `family` that `piece` (prose words separated by spaces) may be in; `None`
/// when its function words are too few to rule any language out.
pub fn plausible(piece: &str, family: &[Language], purpose: Purpose) -> Option<Plausible> {
    let lists = lists();
    let mut hits = [0usize; 128];
    let mut distinct = [0usize; 128];
    // Each function word found, once per occurrence, with the languages that list it.
    let mut found: Vec<(&'static str, LangBits)> = Vec::new();
    let mut words = 0;
    let mut lower = String::new();
    for word in piece.split_whitespace() {
        words += 1;
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        let Some((&listed, &langs)) = lists.by_word.get_key_value(lower.as_str()) else {
            continue;
        };
        let first = !found.iter().any(|&(word, _)| word == listed);
        found.push((listed, langs));
        let mut rest = langs;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            hits[i] += 1;
            distinct[i] += usize::from(first);
            rest &= rest - 1;
        }
    }
    let best = family
        .iter()
        .max_by_key(|&&l| (hits[l as usize], distinct[l as usize]))?;
    let (best_hits, best_distinct) = (hits[*best as usize], distinct[*best as usize]);
    if best_distinct < MIN_DISTINCT || best_hits * MIN_SHARE < words {
        return None;
    }
    let sure = best_hits * SURE_SHARE >= words;
    let mut languages: Vec<Language> = family
        .iter()
        .copied()
        .filter(|&l| {
            let unlisted = lists.listed & bit(l) == 0;
            (unlisted && !sure)
                || (hits[l as usize] * KEEP_RATIO >= best_hits
                    && !(sure
                        && (purpose == Purpose::Candidates
                            || lists.sizes[l as usize] >= lists.sizes[*best as usize])
                        && outdone(&found, bit(*best), bit(l))))
        })
        .collect();
    languages.sort();
    let runner_up = languages
        .iter()
        .filter(|&&l| l != *best && lists.listed & bit(l) != 0)
        .map(|&l| hits[l as usize])
        .max()
        .unwrap_or(0);
    // `best` is always kept: it has the most words, and `outdone` never rules a language out
    // next to itself.
    let leading = (best_hits >= runner_up * LEAD_RATIO).then_some(*best);
    Some(Plausible { languages, leading })
}

/// How one language's function words stand in a text of prose words: what the evidence for a
/// language found in a few passages rests on (see [`super::evidence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnWords {
    /// Different function words of the language's list in the text.
    pub distinct: usize,
    /// Its function words, counted each time they occur.
    pub hits: usize,
    /// The most function words any other listed language of `family` has in it, counted so.
    pub rival_hits: usize,
}

/// [`OwnWords`] of `lang` in `text` (prose words separated by spaces) among `family`'s
/// languages; `None` when `lang` has no list.
pub fn own_words(text: &str, lang: Language, family: &[Language]) -> Option<OwnWords> {
    let lists = lists();
    if lists.listed & bit(lang) == 0 {
        return None;
    }
    let (mut hits, mut seen) = ([0usize; 128], Vec::new());
    let mut lower = String::new();
    for word in text.split_whitespace() {
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        let Some((&listed, &langs)) = lists.by_word.get_key_value(lower.as_str()) else {
            continue;
        };
        if langs & bit(lang) != 0 && !seen.contains(&listed) {
            seen.push(listed);
        }
        let mut rest = langs;
        while rest != 0 {
            hits[rest.trailing_zeros() as usize] += 1;
            rest &= rest - 1;
        }
    }
    let own = lists.words[lang as usize];
    let rival_hits = family
        .iter()
        // A language sharing `lang`'s list (Bokmål and Nynorsk) is no rival on these words.
        .filter(|&&l| l != lang && !std::ptr::eq(lists.words[l as usize], own))
        .map(|&l| hits[l as usize])
        .max()
        .unwrap_or(0);
    Some(OwnWords {
        distinct: seen.len(),
        hits: hits[lang as usize],
        rival_hits,
    })
}

/// Whether two different languages share `tenths` tenths or more of the shorter of their lists
/// of function words (Bokmål and Nynorsk have one list; Indonesian and Malay share a third,
/// Spanish and Portuguese a seventh); never for a language without a list.
pub fn related(a: Language, b: Language, tenths: usize) -> bool {
    let lists = lists();
    let (size_a, size_b) = (lists.sizes[a as usize], lists.sizes[b as usize]);
    if a == b || size_a == 0 || size_b == 0 {
        return false;
    }
    let (short, other) = if size_a <= size_b { (a, b) } else { (b, a) };
    let shared = lists.words[short as usize]
        .iter()
        .filter(|word| {
            lists
                .by_word
                .get(*word)
                .is_some_and(|langs| langs & bit(other) != 0)
        })
        .count();
    shared * 10 >= lists.sizes[short as usize] * tenths
}

/// Whether the function words `found` in a piece rule out `other` next to `best`: the piece has
/// several different words of `best`'s that `other`'s list lacks, and none of `other`'s that
/// `best`'s lacks. Russian and Bulgarian share most short words (`и`, `в`, `на`, `не`), so the
/// counts alone keep Bulgarian for every Russian piece; Russian's `что`, `это`, `для` and no
/// `са`, `от`, `ще` tell.
fn outdone(found: &[(&'static str, LangBits)], best: LangBits, other: LangBits) -> bool {
    if best == other {
        return false;
    }
    let mut best_only: Vec<&str> = Vec::new();
    for &(word, langs) in found {
        match (langs & best != 0, langs & other != 0) {
            (true, false) if !best_only.contains(&word) => best_only.push(word),
            (false, true) => return false,
            _ => {}
        }
    }
    best_only.len() >= MIN_OUTDONE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin() -> Vec<Language> {
        Language::all_with_latin_script().into_iter().collect()
    }

    #[test]
    fn function_words_rule_out_languages_that_do_not_use_them() {
        let piece = "Chromatin insulators are elements that regulate the level of gene \
                     expression either by preventing gene silencing through the maintenance \
                     of heterochromatin boundaries";
        let kept = plausible(piece, &latin(), Purpose::Candidates)
            .map(|p| p.languages)
            .unwrap_or_default();
        assert!(kept.contains(&Language::English), "{kept:?}");
        assert!(!kept.contains(&Language::Latin), "{kept:?}");
        assert!(!kept.contains(&Language::German), "{kept:?}");
        assert!(kept.len() < latin().len() / 3, "{kept:?}");
    }

    #[test]
    fn relatives_share_tenths_of_their_function_words() {
        assert!(related(Language::Bokmal, Language::Nynorsk, 10));
        assert!(related(Language::Indonesian, Language::Malay, 3));
        assert!(!related(Language::Spanish, Language::Portuguese, 3));
        assert!(!related(Language::English, Language::English, 1));
        assert!(!related(Language::English, Language::Russian, 1));
    }

    #[test]
    fn close_relatives_stay_candidates() {
        let piece = "Det er en fin dag i dag og vi skal ud at gå en tur i skoven med hunden \
                     fordi det ikke regner";
        let told = plausible(piece, &latin(), Purpose::Candidates);
        let kept = told.clone().map(|p| p.languages).unwrap_or_default();
        for lang in [Language::Danish, Language::Bokmal, Language::Nynorsk] {
            assert!(kept.contains(&lang), "{lang:?} missing from {kept:?}");
        }
        assert_eq!(told.and_then(|p| p.leading), None);
    }

    /// Macedonian, Mongolian and Serbian have no list: only plain prose in a listed language
    /// rules them out.
    #[test]
    fn languages_without_a_list_are_ruled_out_only_by_plain_prose() {
        let cyrillic: Vec<Language> = Language::all_with_cyrillic_script().into_iter().collect();
        let kept = |text: &str| {
            plausible(text, &cyrillic, Purpose::Candidates)
                .map(|p| p.languages)
                .unwrap_or_default()
        };
        // 3 function words in 19: telling, but not plainly Russian.
        let sparse = kept(
            "для установки пакета на сервер запустите обновление и перезагрузку ядра модули \
             прошивка загрузчик журнал ротация планировщик кэш прокси",
        );
        assert!(sparse.contains(&Language::Russian), "{sparse:?}");
        assert!(sparse.contains(&Language::Macedonian), "{sparse:?}");
        let plain =
            kept("Он сказал что это было уже давно и что теперь они все живут в другом городе");
        assert!(plain.contains(&Language::Russian), "{plain:?}");
        assert!(!plain.contains(&Language::Macedonian), "{plain:?}");
    }

    /// Every Latin-script language lingua knows has function words, its own or the crate's,
    /// but Bosnian (see [`list`]).
    #[test]
    fn every_latin_script_language_has_a_list() {
        for lang in latin() {
            let code = lang.iso_code_639_1().to_string();
            let listed = list(&code).is_some_and(|l| l.len() >= 25);
            assert_eq!(listed, code != "bs", "{code}");
        }
    }

    /// A piece leads to the language whose function words clearly outnumber the others'.
    #[test]
    fn the_leading_language_outnumbers_the_others() {
        // `a`, `go`, `is`, `on` are Irish, Polish or Tswana words too.
        let piece = "the kernel is in a file on the server and a user can go to it with a key";
        let told = plausible(piece, &latin(), Purpose::Candidates);
        assert_eq!(
            told.as_ref().and_then(|p| p.leading),
            Some(Language::English)
        );
        assert!(told.is_some_and(|p| p.languages.len() > 1));
        // Danish and Norwegian share these words: neither leads.
        let shared = "det er en fin dag og vi skal ud at gå en tur i skoven med hunden";
        let told = plausible(shared, &latin(), Purpose::Candidates);
        assert_eq!(told.and_then(|p| p.leading), None);
    }

    /// Russian's short list and Bulgarian's long one share most short words (`и`, `в`, `на`, `не`),
    /// so counts alone keep Bulgarian for Russian prose; Russian words Bulgarian's longer list
    /// lacks, and no Bulgarian ones, rule it out. Not the other way round for a passage:
    /// Russian's list is the shorter and lacks Russian words Bulgarian's has (`благодаря`, and
    /// the labels `Пред.` and `След.`).
    #[test]
    fn a_list_lacking_the_best_ones_words_rules_its_language_out() {
        let cyrillic: Vec<Language> = Language::all_with_cyrillic_script().into_iter().collect();
        let kept = |text: &str, purpose| {
            plausible(text, &cyrillic, purpose)
                .map(|p| p.languages)
                .unwrap_or_default()
        };
        let russian = "Он сказал что это было уже давно и что теперь они все живут в другом городе \
                       где у него есть дом";
        for purpose in [Purpose::Candidates, Purpose::Passage] {
            let kept = kept(russian, purpose);
            assert!(kept.contains(&Language::Russian), "{kept:?}");
            assert!(!kept.contains(&Language::Bulgarian), "{kept:?}");
        }
        let labels = "работе над инфраструктурой благодаря индивидуальной и совместной работе \
                      Пред пакетами и След отклику";
        let as_passage = kept(labels, Purpose::Passage);
        assert!(as_passage.contains(&Language::Russian), "{as_passage:?}");
        let as_piece = kept(labels, Purpose::Candidates);
        assert!(!as_piece.contains(&Language::Russian), "{as_piece:?}");
        assert!(as_piece.contains(&Language::Bulgarian), "{as_piece:?}");
    }

    #[test]
    fn too_few_function_words_say_nothing() {
        assert_eq!(
            plausible(
                "granulopoiesis neutrophilia CTCF chromatin",
                &latin(),
                Purpose::Candidates
            ),
            None
        );
        assert_eq!(plausible("", &latin(), Purpose::Candidates), None);
    }
}
