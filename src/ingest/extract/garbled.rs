//! Whether a text read from a file is text in some language, or garbage: the text layer of a PDF
//! whose fonts have no usable encoding (a CID font without its ToUnicode map gives glyph numbers
//! taken for characters, a font with made-up glyph names gives its codes) reads as letters of
//! random scripts, control characters and words of no language. Such a page is read by OCR
//! instead.
//!
//! The judgement needs no language model, only the function-word lists the language detection
//! has already (`analysis::function_words`): running text in any language is full of its
//! function words ("the", "и", "der", "の", "的", "는"), and garbage has almost none. Words are
//! looked up whole in scripts written with spaces; in scripts written without them (Han, kana,
//! Hangul, Thai) each character is looked up among the characters of those languages' lists,
//! which are their most common ones. Besides, characters no text has (controls, private use,
//! unassigned code points, U+FFFD) and words that mix scripts letter by letter are junk.

use std::collections::HashSet;
use std::sync::OnceLock;

use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, Script};

use crate::analysis::function_words;
use crate::analysis::script::script;

/// Below this share of known units (words or characters), text of at least [`MIN_UNITS`] is not
/// in any language (unless its words are shaped like words, see [`ODD_SHAPES`]). Running text
/// scores 0.2 to 0.6; tables, indexes and program listings go lower, garbage near 0.
const KNOWN_SHARE: f64 = 0.05;

/// Units below which the share of known ones says nothing.
const MIN_UNITS: usize = 12;

/// The share of junk characters above which a text is garbage, whatever its words: text has
/// none (nine pages in ten of real PDFs) or a few; a font's glyph numbers read as characters
/// give 0.14 to 0.18 (a control character for every space) and more.
const JUNK_SHARE: f64 = 0.1;

/// The share of Latin letters with diacritics above which Latin text is another alphabet's
/// encoding read as Latin-1 (`Ïðåäèñëîâèå` is `Предисловие` in Windows-1251). Vietnamese,
/// the Latin language with the most, has about a third.
const ACCENTED_SHARE: f64 = 0.5;

/// The share of pairs of ASCII letters in words that the function words of all Latin-script
/// languages have fewer than three times (`gf`, `yy`, `qv`), at or above which words of no
/// language are garbage: prose and listings stay under 0.2, a font's shifted letters score
/// 0.3 to 0.45.
const RARE_PAIRS: f64 = 0.25;

/// Letters of a word past which it is not a word of a script written with spaces but words
/// run together (a font whose space glyph is not mapped to a space).
const RUN_TOGETHER: usize = 25;

/// The share of Latin, Cyrillic and Greek words of four letters or more without a vowel or with
/// five consonants in a row (spelled in ASCII), at or above which words of no language are garbage rather than a program
/// listing or a word list (whose words are words, though not function words): listings stay
/// under 0.07, letters shifted by a font's private encoding score 0.2 to 0.8.
const ODD_SHAPES: f64 = 0.15;

/// What a text is made of, for telling text from garbage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Judgement {
    /// Characters other than white space.
    pub chars: usize,
    /// Characters no text has, and the letters of words that mix scripts.
    pub junk: usize,
    /// Words of two letters or more, and characters of scripts written without spaces, in the
    /// scripts the lists cover.
    pub units: usize,
    /// Of those, the ones some language's list has.
    pub known: usize,
    /// Letters of all words.
    pub letters: usize,
    /// Letters of Latin words, and those of them outside ASCII.
    pub latin: usize,
    pub accented: usize,
    /// Latin, Cyrillic and Greek words of four letters or more, and those of them shaped like
    /// no word.
    pub long_words: usize,
    pub odd_shapes: usize,
    /// Letters of Latin, Cyrillic and Greek words longer than [`RUN_TOGETHER`].
    pub run_together: usize,
    /// Pairs of letters in ASCII words, and those of them rare in any language's words.
    pub pairs: usize,
    pub rare_pairs: usize,
}

impl Judgement {
    pub fn of(text: &str) -> Judgement {
        let lists = Lists::get();
        let mut judgement = Judgement::default();
        let (mut word, mut lower) = (String::new(), String::new());
        for c in text.chars().chain([' ']) {
            if c.is_alphabetic() || (is_mark(c) && !word.is_empty()) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                judgement.word(&word, &mut lower, lists);
                word.clear();
            }
            if !c.is_whitespace() {
                judgement.chars += 1;
                judgement.junk += usize::from(is_junk(c));
            }
        }
        judgement
    }

    /// Counts one word; `lower` is a buffer for its lower case, kept between words.
    fn word(&mut self, word: &str, lower: &mut String, lists: &Lists) {
        let letters = word.chars().count();
        self.chars += letters;
        self.letters += letters;
        let mut scripts = word
            .chars()
            .map(script)
            .filter(|&s| s != Script::Common && s != Script::Inherited)
            .map(group);
        let Some(first) = scripts.next() else {
            return;
        };
        // Real words change script once or twice (`alignかんきょう`, a Latin `i` typed in a
        // Ukrainian word); glyph numbers taken for characters change at every letter or two.
        let mut switches = 0;
        let mut previous = first;
        for s in scripts {
            switches += usize::from(s != previous);
            previous = s;
        }
        if switches >= 3 {
            self.junk += letters;
            return;
        }
        if SPACELESS.contains(&first) {
            for c in word.chars() {
                if lists.char_scripts.contains(&group(script(c))) {
                    self.units += 1;
                    self.known += usize::from(lists.chars.contains(&c));
                }
            }
        } else if letters >= 2 && lists.word_scripts.contains(&first) {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            self.units += 1;
            self.known += usize::from(lists.words.contains(lower.as_str()));
        }
        if first == Script::Latin {
            self.latin += letters;
            self.accented += word.chars().filter(|c| !c.is_ascii()).count();
        }
        let alphabetic = matches!(first, Script::Latin | Script::Cyrillic | Script::Greek);
        if letters >= 4 && alphabetic {
            self.long_words += 1;
            self.odd_shapes += usize::from(odd_shape(word));
        }
        if letters > RUN_TOGETHER && alphabetic {
            self.run_together += letters;
        }
        if word.is_ascii() {
            for pair in word.as_bytes().windows(2) {
                self.pairs += 1;
                self.rare_pairs += usize::from(lists.pair(pair[0], pair[1]) < 3);
            }
        }
    }

    /// The share of known units (0 when there is none).
    pub fn known_share(&self) -> f64 {
        if self.units == 0 {
            0.0
        } else {
            self.known as f64 / self.units as f64
        }
    }

    fn junk_share(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.junk as f64 / self.chars as f64
        }
    }

    /// Why this is not text in any language, if it is not.
    pub fn garbled(&self) -> Option<Garbage> {
        let share = |part: usize, whole: usize| part as f64 / whole.max(1) as f64;
        let no_words = self.units >= MIN_UNITS && self.known_share() < KNOWN_SHARE;
        let rare_pairs =
            self.pairs >= 4 * MIN_UNITS && share(self.rare_pairs, self.pairs) >= RARE_PAIRS;
        // Latin letters judged as such make a page garbage only when they are most of it: a
        // Chinese page with a garbled line keeps its Chinese.
        let latin_page = self.latin >= 4 * MIN_UNITS && 2 * self.latin >= self.letters;
        if self.chars >= MIN_UNITS && self.junk_share() > JUNK_SHARE {
            Some(Garbage::Junk)
        } else if latin_page && share(self.accented, self.latin) > ACCENTED_SHARE {
            Some(Garbage::Encoding)
        } else if latin_page && share(self.run_together, self.latin) > 0.5 {
            Some(Garbage::RunTogether)
        } else if no_words
            && (self.long_words < MIN_UNITS
                || share(self.odd_shapes, self.long_words) >= ODD_SHAPES
                || rare_pairs)
        {
            Some(Garbage::NoWords)
        } else if rare_pairs
            && self.units >= MIN_UNITS
            && self.known_share() < 2.0 * KNOWN_SHARE
            && share(self.rare_pairs, self.pairs) >= 1.2 * RARE_PAIRS
        {
            // Short garbage words match two-letter function words by chance; their pairs of
            // letters still give them away.
            Some(Garbage::NoWords)
        } else {
            None
        }
    }
}

/// What makes a text garbage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Garbage {
    /// Many characters no text has, or words of letters from several scripts.
    Junk,
    /// Letters of another alphabet's encoding read as Latin-1.
    Encoding,
    /// Words, but none of any language.
    NoWords,
    /// Letters without spaces between words.
    RunTogether,
}

impl Garbage {
    pub fn describe(self) -> &'static str {
        match self {
            Garbage::Junk => "garbled text layer (characters of no text)",
            Garbage::Encoding => "garbled text layer (another alphabet read as Latin letters)",
            Garbage::NoWords => "garbled text layer (words of no language)",
            Garbage::RunTogether => "garbled text layer (no spaces between words)",
        }
    }
}

/// Whether a word, spelled in ASCII (`гарын` -> `garyn`), has no vowel or five consonants
/// in a row, as words of no language do (`HIWFROXPQ`) and few real ones.
fn odd_shape(word: &str) -> bool {
    let vowel = |c: char| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let spelled = if word.is_ascii() {
        std::borrow::Cow::Borrowed(word)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(word))
    };
    let mut run = 0;
    let mut longest = 0;
    for c in spelled.chars().filter(char::is_ascii_alphabetic) {
        run = if vowel(c) { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    !spelled.chars().any(vowel) || longest >= 5
}

/// Scripts written without spaces between words.
const SPACELESS: [Script; 5] = [
    Script::Han,
    Script::Hangul,
    Script::Thai,
    Script::Lao,
    Script::Khmer,
];

/// A script, with Japanese's three taken as one (a Japanese word mixes kanji and kana), and
/// Korean's two (Hanja with their Hangul readings).
fn group(s: Script) -> Script {
    match s {
        Script::Hiragana | Script::Katakana | Script::Hangul => Script::Han,
        other => other,
    }
}

fn is_mark(c: char) -> bool {
    crate::analysis::script::is_mark(c)
}

/// A character no text has: a control other than line and page breaks and tabs, the
/// replacement character, private use, or a code point with nothing assigned.
fn is_junk(c: char) -> bool {
    if c.is_control() {
        return !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
    }
    c == '\u{fffd}'
        || matches!(
            CodePointMapData::<GeneralCategory>::new().get(c),
            GeneralCategory::PrivateUse | GeneralCategory::Unassigned | GeneralCategory::Surrogate
        )
}

/// Every language's function words, and the characters of those of the spaceless scripts.
struct Lists {
    words: HashSet<String>,
    chars: HashSet<char>,
    /// Scripts some list has words in.
    word_scripts: HashSet<Script>,
    /// Spaceless scripts some list has characters of.
    char_scripts: HashSet<Script>,
    /// How often each pair of lower-case ASCII letters stands in the lists' ASCII words, by
    /// `26 * first + second`.
    pairs: Vec<u32>,
}

impl Lists {
    /// Where the pair of ASCII letters `a`, `b` (either case) is counted.
    fn pair_index(a: u8, b: u8) -> usize {
        26 * usize::from(a.to_ascii_lowercase() - b'a') + usize::from(b.to_ascii_lowercase() - b'a')
    }

    /// How often the lists' words have the pair of ASCII letters `a`, `b` (either case).
    fn pair(&self, a: u8, b: u8) -> u32 {
        if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() {
            self.pairs[Lists::pair_index(a, b)]
        } else {
            0
        }
    }

    fn get() -> &'static Lists {
        static LISTS: OnceLock<Lists> = OnceLock::new();
        LISTS.get_or_init(|| {
            let mut lists = Lists {
                words: HashSet::new(),
                chars: HashSet::new(),
                word_scripts: HashSet::new(),
                char_scripts: HashSet::new(),
                pairs: vec![0; 26 * 26],
            };
            for (_, words) in function_words::all() {
                for word in words {
                    let Some(first) = word.chars().find(|c| c.is_alphabetic()) else {
                        continue;
                    };
                    let s = group(script(first));
                    if SPACELESS.contains(&s) {
                        lists.char_scripts.insert(s);
                        lists
                            .chars
                            .extend(word.chars().filter(|c| c.is_alphabetic()));
                    } else if word.chars().count() >= 2 {
                        lists.word_scripts.insert(s);
                        lists.words.insert(word.to_lowercase());
                        if word.bytes().all(|b| b.is_ascii_lowercase()) {
                            for pair in word.as_bytes().windows(2) {
                                let at = Lists::pair_index(pair[0], pair[1]);
                                lists.pairs[at] += 1;
                            }
                        }
                    }
                }
            }
            lists
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn garbled(text: &str) -> Option<Garbage> {
        Judgement::of(text).garbled()
    }

    #[test]
    fn text_in_any_language_is_text() {
        for text in [
            "The repatriation ship Koan Maru arrived at Maizuru with prisoners from the camps \
             near Taishet, and the families waited on the pier for the names to be read.",
            "Военнопленные вернулись домой через Находку, и в порту их встречали родные, \
             которые ждали этого дня много лет после окончания войны.",
            "Український правопис. Підготовлено інститутом мовознавства для того, щоб \
             кожен мав змогу писати так, як це прийнято в літературній мові.",
            "Die Heimkehrer kamen im Herbst in Friedland an, und viele von ihnen hatten \
             ihre Familien seit dem Ende des Krieges nicht mehr gesehen.",
            "シベリア抑留者は舞鶴港に帰還した。家族は岸壁で名前が読み上げられるのを待っていた。",
            "中华人民共和国的历史档案馆收藏了这些文件，研究者可以在阅览室查阅。",
            "한국어 문서는 띄어쓰기를 하지만 조사는 단어에 붙어 있습니다. 이것은 예문입니다.",
            // Hanja with their Hangul readings, old Hangul letters.
            "이 몸 삼기실 제 님을 조차 삼기시니 ᄒᆞᆫᄉᆡᆼ 緣연分분이며 하ᄂᆞᆯ 모ᄅᆞᆯ 일이런가 나 \
             ᄒᆞ나 졈어 닛고 님 ᄒᆞ나 날 괴시니 이 ᄆᆞ음 이 ᄉᆞ랑 견졸 ᄃᆡ 노여 업다 平평生ᄉᆡᆼ애",
            // A Chinese page with a line of a font without a usable encoding.
            "绝密 ★ 启用前 2021 年普通高等学校招生全国统一考试 座位号： 题 ̾Ɠ 本试卷共 4 页，\
             22 题．全卷满分 150 分．考试用时 120 分钟． 答 ★ 祝考试顺利 ★ ͩǋƂֻ뻭 1. 答题前，\
             先将自己的姓名、准考证号、考场号、座位号填写在试卷和答题卡上，ÆÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíî",
        ] {
            let judgement = Judgement::of(text);
            assert_eq!(judgement.garbled(), None, "{text}: {judgement:?}");
            assert!(judgement.known_share() > 0.1, "{text}: {judgement:?}");
        }
    }

    #[test]
    fn program_listings_and_word_lists_are_text() {
        let tikz = "\\tikz \\draw[-{Arc Barb[line cap=round]},line width=.2cm,blue] (0,0) -- (1,1); \
                    Arc Barb Bracket Hooks Parenthesis Ellipse Rectangle Square Stealth Straight \
                    Bar Classical TikZ Rightarrow Latex Triangle Kite";
        assert_eq!(garbled(tikz), None);
        let words = "filmskoj filmskom filmsku filmu filozof filozofa filozofe filozofi \
                     filozofima filozofira filozofom filozofska filigran filigrana filijala";
        assert_eq!(garbled(words), None);
        // Text in a language no list has (Mongolian), with a Latin letter in a Cyrillic word.
        let mongolian = "LATEX 2ε-ийн гарын авлага буюу LATEX 2ε -г 141 минутад Тобиас Оетикер \
                         Хьюберт Партл, Ирэн Хина, Элизабет Шлегл Хувилбар 4.26, 2008 оны 09-р \
                         сарын 25 Орчуулсан: Доржготовын Батмөнх Особливостi";
        assert_eq!(garbled(mongolian), None);
    }

    #[test]
    fn short_text_is_not_judged() {
        assert_eq!(garbled("xqzt vbnm"), None);
        assert_eq!(garbled("42"), None);
    }

    #[test]
    fn glyph_numbers_taken_for_characters_are_garbage() {
        // A CID font without its ToUnicode map, as pdftotext reads it: glyph numbers as code
        // points, glyph 3 (the space) a control character.
        let cid = "\u{3bd}\u{3a9}\u{3a0}\u{3a8}\u{3a8}\u{3a9}\u{3aa}\u{3a6}\u{3a0}\u{3}\u{39d}\
                   \u{3a0}\u{3ab}\u{3a8}\u{3ae}\u{3a6}\u{3a3}\u{3ac}\u{3b7}\u{3}\u{39f}\u{3a9}\
                   \u{3a7}\u{3a9}\u{3a4}\u{3}\u{3b2}\u{3a0}\u{3ab}\u{3a0}\u{3a2}\u{3}";
        assert!(garbled(&cid.repeat(3)).is_some());
        // Its Japanese: code points of any script, a few letters each.
        let mixed = "ʾˠ˱ʩ๓ຄࠋʃ೮ଈ۞ɿՇԛɫɳƆ ";
        assert_eq!(garbled(&mixed.repeat(3)), Some(Garbage::Junk));
        // The same font's Latin letters, each a glyph number off.
        let shifted = "/HIWFROXPQ DOSKD EHWD JDPPD GHOWD HSVLORQ ]HWD HWD WKHWD LRWD NDSSD \
                       ODPEGD PX QX [L RPLFURQ SL UKR VLJPD WDX XSVLORQ SKL FKL SVL RPHJD";
        assert_eq!(garbled(shifted), Some(Garbage::NoWords));
        // Cyrillic in a Windows-1251 font read as Latin-1.
        let latin1 = "Âîåííîïëåííûå âåðíóëèñü äîìîé ÷åðåç Íàõîäêó, è â ïîðòó èõ âñòðå÷àëè \
                      ðîäíûå, êîòîðûå æäàëè ýòîãî äíÿ ìíîãî ëåò ïîñëå îêîí÷àíèÿ âîéíû.";
        assert_eq!(garbled(latin1), Some(Garbage::Encoding));
        // Random CJK code points.
        let han =
            "丠乴亞伂倰傁冨凧劘匟厫叇呍咗唒啔喕嗆嘙噞嚠囹圾坾垿埃堁塂境壄夅奆妇姈娉婊媋嫌嬍孎";
        assert_eq!(garbled(han), Some(Garbage::NoWords));
        // Letters one code off and no spaces, and codes of a private encoding with their
        // punctuation, as pdftotext reads Chromium's fonts without their ToUnicode maps.
        let run = "UIFGFXDPNQVUFSTVTJOH5FTUJOHUPUBLFBEWBOUBHFPGUIFMBUFTUTPGUXBSF \
                   WFSTJPOTBSFOPUVQHSBEFEBVUPNBUJDBMMZFJUIFSENJOJTUSBUPSTPOMZDPOHVSF";
        assert_eq!(garbled(run), Some(Garbage::RunTogether));
        let private = "agfdYaaYYgefdb]efVbCdbY^fT%FCJBO%PXOMPBEUIFFCPPL CdYXATefb_paTs^a \
                       WTTX`a\\efdTfbdT%FCJBOE_YX @abWbk\\e_YaaoYdY[g_pfTfo eb[XTVTY`oYCdbY^fb`%FCJBO \
                       bXabVdY`Yaab Vb[a\\^TrfU_TWbXTdsdTUbfYaTX\\ahdTefdg^fgdb] Vocb_asY`b]bcofao";
        assert_eq!(garbled(private), Some(Garbage::NoWords));
    }
}
