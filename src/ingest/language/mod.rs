//! Language detection, per passage: which language each stretch of a document is in, and the
//! document's share of each.
//!
//! lingua is accurate but costly over all 75 languages, so the script decides
//! wherever it can: kana means Japanese, Hangul Korean, Greek Greek, Han without kana Chinese,
//! and so on. For scripts shared by several languages (Latin, Cyrillic, Arabic, Devanagari),
//! the document's candidate languages are found first on three pieces sampled across the whole
//! document (540 characters): each piece's function words narrow the script's languages to a
//! few ([`narrow`]) and lingua chooses among those. Then each passage is classified
//! among the document's candidates only, which is cheap; with one candidate no passage needs
//! lingua at all, and neither does a document's only passage of that script when most sampled
//! pieces agree (they cover more of it than one passage sample, and lingua calls jargon-heavy
//! English, `granulopoiesis` and `neutrophilia`, Latin on 300 characters). The seed 004 is
//! English with Japanese and Russian citations: its Russian passage is Russian, its Japanese
//! one Japanese, and the document stays English. Detection never runs on the search path.
//! - `letters`: which family of scripts a character belongs to, and letter counts by family.
//! - `passages`: the document cut into passages at paragraph breaks and changes of script.
//! - `sampling`: prose words sampled across the document, and the pieces they are cut into.
//! - `narrow`: what a piece's function words say about its language.
//! - `candidates`: the languages a document may contain in a shared script, found on those
//!   pieces.

mod candidates;
mod evidence;
mod letters;
mod narrow;
mod passages;
mod sampling;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use candidates::{Candidates, code_of, languages_of};
use letters::{Family, Letters};
use narrow::Purpose;
use passages::split_passages;
use sampling::prose_words;

/// Code for "undetermined" (ISO 639-2), used when no language can be decided.
pub const UNDETERMINED: &str = "und";

/// Characters of a passage fed to lingua to choose among the candidates.
const PASSAGE_SAMPLE_CHARS: usize = 300;

/// Letters a script needs before a language is claimed for it.
const MIN_LETTERS: usize = 20;

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
    /// Every language listed, with its share of the letters, largest first (never empty): the
    /// main one, and the others whose passages hold the evidence (see [`evidence`]).
    pub all: Vec<(String, f32)>,
    /// The document cut into passages, each with its language (`und` where undecided).
    pub passages: Vec<Passage>,
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

/// The writing system most of the letters of `texts` are in (a Han, kana or Hangul character counting
/// as 3, as for languages' shares), in the names of Tesseract's script detection: `Latin`,
/// `Cyrillic`, `Japanese` (Han with kana, a tenth or more of it), `Han`, `Hangul`, `Greek`...;
/// `None` under 10 letters. OCR reads a page with the models of this script.
pub fn main_script<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let mut letters = Letters::default();
    for text in texts {
        letters.merge(&Letters::of(text));
    }
    if letters.total() < 10 {
        return None;
    }
    Some(match letters.dominant()? {
        Family::Latin => "Latin",
        Family::Cyrillic => "Cyrillic",
        Family::Arabic => "Arabic",
        Family::Devanagari => "Devanagari",
        // A Chinese page misread by the Japanese model gets a few stray kana; Japanese prose is
        // a third or more kana.
        Family::Cjk if letters.kana * 10 >= letters.count(Family::Cjk) => "Japanese",
        Family::Cjk => "Han",
        Family::Unique(code) => match code {
            "ko" => "Hangul",
            "el" => "Greek",
            "he" => "Hebrew",
            "th" => "Thai",
            "hy" => "Armenian",
            "ka" => "Georgian",
            "bn" => "Bengali",
            "ta" => "Tamil",
            "te" => "Telugu",
            "gu" => "Gujarati",
            "pa" => "Gurmukhi",
            _ => return None,
        },
    })
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
    /// jargon (see BENCHMARKS.md, "Figures behind the code").
    fn for_candidates(&self, candidates: &[Language]) -> Arc<LanguageDetector> {
        let mut cache = self.by_candidates.lock().unwrap_or_else(|e| e.into_inner());
        let detector = cache.entry(candidates.to_vec()).or_insert_with(|| {
            Arc::new(LanguageDetectorBuilder::from_languages(candidates).build())
        });
        Arc::clone(detector)
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
        let mut families: HashMap<String, Family> = HashMap::new();
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
                            let told = narrow::plausible(&sample, several, Purpose::Passage)
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
                families.entry(c.clone()).or_insert(f);
            }
            let code = code.unwrap_or_else(|| UNDETERMINED.to_string());
            *shares.entry(code.clone()).or_default() += letters;
            passages.push(Passage {
                start: draft.start,
                end: draft.end,
                lang: code,
            });
        }
        let mut counted: Vec<(String, usize)> = shares
            .into_iter()
            .filter(|(code, n)| code != UNDETERMINED && (*n >= MIN_LETTERS || *n * 2 >= total))
            .collect();
        counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if counted.len() > 1 {
            counted = attested(text, &passages, &families, counted, total);
        }
        let mut all: Vec<(String, f32)> = counted
            .into_iter()
            .map(|(code, n)| (code, n as f32 / total.max(1) as f32))
            .collect();
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

/// The languages of `counted` (letters each, most first) whose passages hold the evidence to
/// be listed (see [`evidence`]); the first alone when none does, so a document of code and
/// labels keeps the language most of its letters were given.
fn attested(
    text: &str,
    passages: &[Passage],
    families: &HashMap<String, Family>,
    counted: Vec<(String, usize)>,
    total: usize,
) -> Vec<(String, usize)> {
    let mut kept: Vec<(String, usize)> = Vec::with_capacity(counted.len());
    for (code, letters) in &counted {
        let Some(&family) = families.get(code) else {
            continue;
        };
        // A language with most of the letters is the document's own.
        let own = letters * 2 > total;
        // Relatives are weighed against the main language: the first one kept.
        let main = kept
            .first()
            .map_or((code.as_str(), *letters), |(m, n)| (m.as_str(), *n));
        let attested = own || {
            let texts: Vec<&str> = passages
                .iter()
                .filter(|p| p.lang == *code)
                .map(|p| &text[p.start..p.end])
                .collect();
            evidence::attested(code, family, &texts, *letters, main)
        };
        if attested {
            kept.push((code.clone(), *letters));
        }
    }
    if kept.is_empty() {
        kept.extend(counted.into_iter().take(1));
    }
    kept
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_main_script_of_a_text() {
        assert_eq!(main_script(["The ship arrived at Maizuru"]), Some("Latin"));
        assert_eq!(
            main_script(["Военнопленные вернулись домой"]),
            Some("Cyrillic")
        );
        // Kana makes Han Japanese; a stray one in Chinese does not.
        assert_eq!(
            main_script(["シベリア抑留者は舞鶴港に帰還した"]),
            Some("Japanese")
        );
        assert_eq!(main_script(["战俘经由纳霍德卡返回祖国了の"]), Some("Han"));
        // A Korean page full of English is Hangul while Hangul has the most weight.
        assert_eq!(
            main_script(["설치 방법은 다음과 같습니다 install the package with apt"]),
            Some("Hangul")
        );
        assert_eq!(main_script(["p. 12"]), None);
        // Pages counted together, as the text layer of a PDF's other pages.
        assert_eq!(
            main_script(["Военнопленные", " вернулись домой"]),
            Some("Cyrillic")
        );
    }

    use super::sampling::{CANDIDATE_PIECE_CHARS, SAMPLE_CHARS, pieces, sample_stretches};
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
            pieces.iter().all(|p| languages_of(Family::Latin)
                .is_some_and(|all| narrow::plausible(p, all, Purpose::Candidates).is_none())),
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
        let told = narrow::plausible(piece, all, Purpose::Candidates);
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
