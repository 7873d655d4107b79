//! A typed word cut into the words it holds, for the scripts written without spaces.
//!
//! Japanese and Chinese are typed without spaces: `シベリアの抑留` is two words and a
//! particle, `8世紀に日本の首都はどこでしたか` a whole question. Searched as one word, such a run
//! would have to stand in a document exactly as typed. Here each run of Han, kana, Thai, Lao,
//! Khmer or Myanmar is cut into words by the dictionary segmenter ([`segment`]), as if the user
//! had typed spaces, and its particles and function words (the stop-word lists of Japanese,
//! Chinese and Thai) are marked, so that the query can leave them out. Korean puts spaces
//! between words but writes particles onto them (`서울에서`, "in Seoul"): a Hangul word loses
//! a trailing particle, so that it finds `서울` wherever it stands.
//!
//! Stretches of other scripts in the same typed word (`8世紀`, `T細胞`) stay as typed.

use std::collections::HashSet;
use std::sync::LazyLock;

use icu_properties::props::Script;

use crate::analysis::function_words;
use crate::analysis::script::{CharClass, classify, script};
use crate::analysis::segment;

/// One word of a typed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// What to search: a word of a spaceless run, a Korean word without its particle, or a
    /// stretch of another script as typed.
    pub text: String,
    /// A particle or function word, left out unless every piece is one.
    pub function: bool,
    /// A Japanese word with hiragana in it: a verb or adjective with its inflected ending, or
    /// kana the dictionary cut wrongly (`とどこか`, "and where?", as `とど` "sea lion" and
    /// `こ`). It scores but is not required where a word of kanji or katakana is.
    pub kana: bool,
    /// A Korean word as typed, where its particle was taken off: it ranks higher where it
    /// stands whole.
    pub whole: Option<String>,
    /// The spaceless run (an index into [`Cut::runs`]) the word was cut from.
    pub run: Option<usize>,
    /// Byte range of the word in its run.
    pub range: (usize, usize),
    /// Characters the segmenter found no word for, joined.
    joined: bool,
}

/// A typed word and the words it was cut into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub typed: String,
    pub pieces: Vec<Piece>,
    /// The spaceless runs of the typed word, as typed.
    pub runs: Vec<String>,
}

impl Cut {
    /// Whether a piece is left out: it is a function word and some piece is not.
    pub fn left_out(&self, piece: &Piece) -> bool {
        piece.function && self.pieces.iter().any(|p| !p.function)
    }

    /// The texts of the pieces `which` picks, in order.
    pub fn texts(&self, which: impl Fn(&Cut, &Piece) -> bool) -> Vec<&str> {
        self.pieces
            .iter()
            .filter(|p| which(self, p))
            .map(|p| p.text.as_str())
            .collect()
    }

    /// Whether a piece that is not left out only adds to the score: a word with hiragana,
    /// where some word has none.
    pub fn optional(&self, piece: &Piece) -> bool {
        !self.left_out(piece) && piece.kana && self.pieces.iter().any(|p| !p.function && !p.kana)
    }
}

/// What a character is for cutting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Han, kana, Thai, Lao, Khmer, Myanmar.
    Spaceless,
    Hangul,
    Other,
}

fn kind(c: char) -> Kind {
    match classify(c) {
        CharClass::Cjk if script(c) == Script::Hangul => Kind::Hangul,
        CharClass::Cjk => Kind::Spaceless,
        _ if !c.is_ascii() && segment::is_segmented(c) => Kind::Spaceless,
        _ => Kind::Other,
    }
}

/// The words of `typed`, or `None` when it is one word as typed (no spaceless run holding
/// several words, no Korean particle).
pub fn cut(typed: &str) -> Option<Cut> {
    // Every query word comes through here; ASCII holds no run to cut.
    if typed.is_ascii() {
        return None;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut runs = Vec::new();
    for (from, to, kind) in stretches(typed) {
        let text = &typed[from..to];
        match kind {
            Kind::Spaceless => {
                let run = runs.len();
                runs.push(text.to_string());
                let first = pieces.len();
                for (a, b) in segment::words(text) {
                    let word = &text[a..b];
                    let function = is_function_word(word);
                    // Characters the dictionary knows no word for come out one by one: an
                    // unknown name or term, kept whole as typed rather than scattered.
                    if !function
                        && single(word)
                        && let Some(last) = pieces[first..].last_mut()
                        && last.range.1 == a
                        && !last.function
                        && single_or_joined(last)
                    {
                        last.text.push_str(word);
                        last.kana |= word.chars().any(is_hiragana);
                        last.range.1 = b;
                        last.joined = true;
                        continue;
                    }
                    pieces.push(Piece {
                        text: word.to_string(),
                        function,
                        kana: word.chars().any(is_hiragana),
                        whole: None,
                        run: Some(run),
                        range: (a, b),
                        joined: false,
                    });
                }
            }
            Kind::Hangul => {
                let stem = without_particle(text);
                pieces.push(Piece {
                    text: stem.to_string(),
                    function: false,
                    kana: false,
                    whole: (stem.len() < text.len()).then(|| text.to_string()),
                    run: None,
                    range: (0, stem.len()),
                    joined: false,
                });
            }
            Kind::Other if text.chars().any(char::is_alphanumeric) => pieces.push(Piece {
                text: text.to_string(),
                function: false,
                kana: false,
                whole: None,
                run: None,
                range: (0, text.len()),
                joined: false,
            }),
            Kind::Other => {}
        }
    }
    let as_typed = match pieces.as_slice() {
        [] => true,
        [only] => only.whole.is_none(),
        _ => false,
    };
    (!as_typed).then(|| Cut {
        typed: typed.to_string(),
        pieces,
        runs,
    })
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

fn single(word: &str) -> bool {
    word.chars().nth(1).is_none()
}

fn single_or_joined(piece: &Piece) -> bool {
    piece.joined || single(&piece.text)
}

/// Maximal stretches of one kind, as byte ranges; a combining mark stays with what it follows.
fn stretches(text: &str) -> Vec<(usize, usize, Kind)> {
    let mut out: Vec<(usize, usize, Kind)> = Vec::new();
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        let this = kind(c);
        match out.last_mut() {
            Some(last) if last.2 == this || classify(c) == CharClass::Mark => last.1 = end,
            _ => out.push((at, end, this)),
        }
    }
    out
}

/// Whether `word` is on the stop-word list of Japanese, Chinese or Thai.
fn is_function_word(word: &str) -> bool {
    static WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        ["ja", "zh", "th"]
            .into_iter()
            .filter_map(function_words::list)
            .flatten()
            .copied()
            .collect()
    });
    WORDS.contains(word)
}

/// Korean particles (josa) and the endings most often written onto a noun, longest first so
/// that `에서는` goes before `는`. Hand-written: no crate of the field lists them apart from a
/// full morphological dictionary.
const PARTICLES: [&str; 43] = [
    "으로부터",
    "에서부터",
    "에게서",
    "한테서",
    "로부터",
    "에서는",
    "에서도",
    "에게는",
    "으로는",
    "으로서",
    "으로써",
    "까지는",
    "에서",
    "에게",
    "한테",
    "께서",
    "으로",
    "부터",
    "까지",
    "처럼",
    "보다",
    "마다",
    "조차",
    "라도",
    "이나",
    "이랑",
    "하고",
    "에는",
    "에도",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "랑",
];

/// `word` without a trailing particle. A one-syllable particle comes off only a word of two
/// syllables or more (`국가`, "nation", is not `국` with `가`); a particle alone stays.
fn without_particle(word: &str) -> &str {
    PARTICLES
        .iter()
        .find_map(|p| {
            let stem = word.strip_suffix(p)?;
            let shortest = if p.chars().count() == 1 { 2 } else { 1 };
            (stem.chars().count() >= shortest).then_some(stem)
        })
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(typed: &str) -> Vec<(String, bool)> {
        cut(typed)
            .map(|c| c.pieces.into_iter().map(|p| (p.text, p.function)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn japanese_words_and_particles() {
        assert_eq!(
            texts("シベリアの抑留"),
            [
                ("シベリア".into(), false),
                ("の".into(), true),
                ("抑留".into(), false)
            ]
        );
        let question = texts("8世紀に日本の首都はどこでしたか。");
        assert_eq!(question.first(), Some(&("8".to_string(), false)));
        let content: Vec<&str> = question
            .iter()
            .filter(|(_, f)| !f)
            .map(|(t, _)| t.as_str())
            .collect();
        assert!(
            content.contains(&"世紀") && content.contains(&"日本") && content.contains(&"首都")
        );
        assert!(question.contains(&("に".to_string(), true)));
    }

    #[test]
    fn japanese_words_with_kana_endings_are_optional() {
        let c = cut("日本で梅雨がないのは北海道とどこか").expect("words");
        let required: Vec<&str> = c
            .pieces
            .iter()
            .filter(|p| !c.left_out(p) && !c.optional(p))
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(required, ["日本", "梅雨", "北海道"]);
        let c = cut("ありがとうございます").expect("words");
        assert!(c.pieces.iter().any(|p| !c.left_out(p) && !c.optional(p)));
    }

    #[test]
    fn chinese_function_words() {
        assert_eq!(
            texts("文件系统的路径"),
            [
                ("文件".into(), false),
                ("系统".into(), false),
                ("的".into(), true),
                ("路径".into(), false)
            ]
        );
    }

    #[test]
    fn characters_of_no_known_word_stay_together() {
        assert_eq!(cut("抑シ"), None);
        let c = cut("抑シの抑留").expect("two words");
        assert_eq!(c.pieces[0].text, "抑シ");
        assert_eq!(c.pieces[0].range, (0, 6));
    }

    #[test]
    fn one_word_or_latin_is_not_cut() {
        assert_eq!(cut("抑留"), None);
        assert_eq!(cut("Maizuru"), None);
        assert_eq!(cut("T-cell"), None);
        assert_eq!(cut("서울"), None);
    }

    #[test]
    fn korean_particles_come_off() {
        let c = cut("서울에서").expect("a particle to take off");
        assert_eq!(c.pieces[0].text, "서울");
        assert_eq!(c.pieces[0].whole.as_deref(), Some("서울에서"));
        assert_eq!(without_particle("에서"), "에서");
        assert_eq!(without_particle("학교에서는"), "학교");
        assert_eq!(without_particle("국가"), "국가");
        assert_eq!(without_particle("대한민국이"), "대한민국");
    }

    #[test]
    fn mixed_scripts_keep_their_latin_as_typed() {
        let c = cut("関東軍Kwantung").expect("two stretches");
        assert_eq!(
            c.pieces.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            ["関東軍", "Kwantung"]
        );
        assert_eq!(c.runs, ["関東軍"]);
    }

    #[test]
    fn a_run_of_function_words_only_is_kept() {
        let c = cut("これは").expect("two words");
        assert!(c.pieces.iter().all(|p| p.function));
        assert!(c.pieces.iter().all(|p| !c.left_out(p)));
    }
}
