//! The languages a document may contain in a script shared by several (Latin, Cyrillic,
//! Arabic, Devanagari): each of a few pieces sampled across it decided by its function words,
//! or by lingua among the few languages they allow.

use std::sync::OnceLock;

use lingua::Language;

use super::Detector;
use super::letters::Family;
use super::narrow::{Plausible, Purpose, plausible};
use super::sampling::{CANDIDATE_PIECE_CHARS, SAMPLE_CHARS, pieces, sample_stretches};

/// The languages a document may contain in one script, found on pieces sampled across it.
#[derive(Debug, Default)]
pub(super) struct Candidates {
    /// Every language that won a piece, sorted (the key of the candidate detector).
    pub(super) languages: Vec<Language>,
    /// The language that won more than half of the pieces, if one did.
    pub(super) majority: Option<Language>,
}

impl Detector {
    /// The languages of `family`'s script that a document may contain, found on a few pieces
    /// sampled across the whole document. Each piece's function words first narrow the script's
    /// languages to a few (see [`super::narrow`]) and lingua chooses among those; a piece
    /// with too few function words (code, names, tables) is classified among the languages the
    /// telling pieces allow. With no telling piece at all, lingua weighs every language of the
    /// script on one piece (the slow path, several times the cost of a piece), unless the script is
    /// Latin and not the document's `main` one: then its words are names and code, and no language
    /// is claimed for them.
    pub(super) fn candidates(&self, text: &str, family: Family, main: bool) -> Candidates {
        let Some(languages) = languages_of(family) else {
            return Candidates::default();
        };
        let stretches = sample_stretches(text, family, SAMPLE_CHARS);
        let mut sampled: Vec<(&str, Option<Plausible>)> = stretches
            .iter()
            .flat_map(|stretch| pieces(stretch, CANDIDATE_PIECE_CHARS))
            .map(|piece| {
                let told = plausible(piece, languages, Purpose::Candidates);
                (piece, told)
            })
            .collect();
        let mut allowed: Vec<Language> = sampled
            .iter()
            .flat_map(|(_, plausible)| plausible.iter().flat_map(|p| p.languages.iter().copied()))
            .collect();
        allowed.sort();
        allowed.dedup();
        // Latin words without a telling piece in a document mainly in another script are names,
        // commands and labels (`SEE ALSO`, `Help content debug info`), too little text to tell the
        // script's 45 languages apart: lingua called them English, Latin, Tagalog or Yoruba, and
        // they were most of the slow path (see BENCHMARKS.md, "Figures behind the code"). No
        // language is claimed for them. The other shared scripts have a handful of languages, which
        // lingua tells apart on little text (Russian labels are Russian).
        if allowed.is_empty() && !main && family == Family::Latin {
            return Candidates::default();
        }
        // With no telling piece (code, tables, lists of names), lingua weighs every language of the
        // script, several times the cost of a piece; one piece, from the middle of the sample,
        // decides: three cost much more and hardly changed a main language (see BENCHMARKS.md,
        // "Figures behind the code").
        let sampled = if allowed.is_empty() && sampled.len() > 1 {
            vec![sampled.swap_remove(sampled.len() / 2)]
        } else {
            sampled
        };
        self.decide(&sampled, &allowed, family)
    }

    /// Each sampled piece's language, and the candidates they make. A piece is decided by its
    /// function words when they allow one language, or when the language they clearly lead to
    /// already won an earlier piece (lingua asked anyway hardly ever disagreed, see BENCHMARKS.md,
    /// "Figures behind the code"); else by lingua among what they allow (`allowed` for a piece that
    /// does not tell, every language of the script when nothing tells).
    pub(super) fn decide(
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
}

/// Every language lingua knows in `family`'s script, sorted; `None` for a family whose script
/// decides the language. Built once: it is asked for every document and every piece.
pub(super) fn languages_of(family: Family) -> Option<&'static [Language]> {
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

pub(super) fn code_of(lang: Language) -> String {
    lang.iso_code_639_1().to_string()
}
