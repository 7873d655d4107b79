//! Whether a language found in some passages of a document is there for a reader: a document
//! lists a language in `langs` (and `lang:` finds it) only with evidence a reader would accept.
//!
//! Passages keep the language they were given, for stemming: a Russian menu label in an English
//! page is stemmed as Russian. But a command line, a table row of a character set or a list of
//! names was given a language too (`aio_return(3)` was Latin in a Japanese man page, a row of
//! Korean numerals made a Chinese page Korean), and listing those made `lang:la` return
//! Japanese man pages. So a language other than a document's only one is listed when its
//! passages hold:
//! - in a script several languages share (Latin, Cyrillic, Arabic, Devanagari): at least
//!   [`MIN_WORDS`] prose words with at least [`MIN_FUNCTION_WORDS`] different function words of
//!   its own, making 1/[`MIN_SHARE`] of the words, and at least half as many as any other
//!   language's of the script (English words make a passage lingua took for Latin English;
//!   a language with a longer list finds more of its words in any text), and more than the main
//!   language's; in Cyrillic, Arabic or Devanagari, with a handful of languages each,
//!   [`MIN_UNLISTED_WORDS`] prose words do without the function words; a language without a
//!   list of function words needs as many, not plainly another's prose;
//! - Japanese: [`MIN_FUNCTION_WORDS`] different particles (`の`, `に`); Korean as many
//!   particles ending its words (`는`, `의`); Chinese [`MIN_SCRIPT_LETTERS`] letters of Han
//!   characters that are not numerals (a kanji counts 3, as in shares);
//! - another script of its own (Greek, Hebrew, Thai...): [`MIN_SCRIPT_LETTERS`] letters in at
//!   least [`MIN_SCRIPT_WORDS`] words.
//!
//! A close relative of the main language, sharing many of its function words (Nynorsk beside
//! Bokmål, Malay beside Indonesian), needs a third as many letters as the main language: on a
//! few lines lingua tells such neighbours apart no better than chance.

use super::candidates::{code_of, languages_of};
use super::letters::{CJK_WEIGHT, Family, family_of};
use super::narrow::{own_words, related};
use super::sampling::prose_word;

/// Prose words (letters only: no commands, paths or numbers) a listed language needs.
const MIN_WORDS: usize = 6;
/// Different function words of its own it needs among them: `в` and `до` make a Russian
/// sentence; a Japanese man page's `-split-by-reloc` has none.
const MIN_FUNCTION_WORDS: usize = 2;
/// ...and its function words at least 1/`MIN_SHARE` of them: prose is 30-50% function words,
/// technical prose 10-20%; the commands and names of a man page's synopsis gather a few of some
/// language's short words by chance (`set`, `a`, `de`), far fewer.
const MIN_SHARE: usize = 10;
/// Prose words a language without a list of function words needs.
const MIN_UNLISTED_WORDS: usize = 20;
/// Tenths of the shorter list of function words two relatives share (see [`related`]).
const RELATED_TENTHS: usize = 3;
/// A relative of the main language needs 1/`RELATIVE_SHARE` of the main language's letters.
const RELATIVE_SHARE: usize = 3;
/// Letters a language with a script of its own needs (a Han character counts 3, as in shares).
const MIN_SCRIPT_LETTERS: usize = 30;
/// ...in this many words at least: one word is a name or a label.
const MIN_SCRIPT_WORDS: usize = 2;
/// Characters of a language's prose words looked at: enough to count its function words,
/// bounded for a long passage.
const SAMPLE_CHARS: usize = 3000;

/// Whether the passages `texts` of a document, given the language `code` of `family`'s script,
/// hold the evidence to list it; `main` is the document's main language and its letters.
pub(super) fn attested(
    code: &str,
    family: Family,
    texts: &[&str],
    letters: usize,
    main: (&str, usize),
) -> bool {
    let Some(languages) = languages_of(family) else {
        return match code {
            "ja" => particles(texts, &JAPANESE_PARTICLES, false) >= MIN_FUNCTION_WORDS,
            "ko" => particles(texts, &KOREAN_ENDINGS, true) >= MIN_FUNCTION_WORDS,
            "zh" => {
                let han = texts.iter().flat_map(|t| t.chars());
                han.filter(|&c| family_of(c) == Some(Family::Cjk) && !is_numeral(c))
                    .count()
                    * CJK_WEIGHT
                    >= MIN_SCRIPT_LETTERS
            }
            _ => letters >= MIN_SCRIPT_LETTERS && script_words(texts, family) >= MIN_SCRIPT_WORDS,
        };
    };
    let Some(&language) = languages.iter().find(|&&l| code_of(l) == code) else {
        return false;
    };
    let sample = prose(texts, family);
    let words = sample.split_whitespace().count();
    // The main language, where it shares the script.
    let main_language = languages
        .iter()
        .copied()
        .find(|&l| code_of(l) == main.0 && code != main.0);
    if letters * RELATIVE_SHARE < main.1
        && main_language.is_some_and(|m| related(language, m, RELATED_TENTHS))
    {
        return false;
    }
    // Its function words: a passage with more of them than of its own is the main language
    // misread (French man pages' `est`, `de`, `la` made lingua call some of their lines Latin).
    let main_hits = main_language
        .and_then(|l| own_words(&sample, l, languages))
        .map(|m| m.hits);
    match own_words(&sample, language, languages) {
        Some(own) => {
            let told = own.distinct >= MIN_FUNCTION_WORDS && own.hits * MIN_SHARE >= words;
            // Technical Russian (`Возвращает строку, которая является шестнадцатеричным
            // представлением числа`) has few of its function words, and a script of a handful
            // of languages needs fewer to be told.
            let prose = family != Family::Latin && words >= MIN_UNLISTED_WORDS;
            words >= MIN_WORDS
                && (told || prose)
                && own.hits * 2 >= own.rival_hits
                && main_hits.is_none_or(|m| own.hits > m)
        }
        // Without a list: enough prose, and not mostly some listed language's function words.
        None => {
            words >= MIN_UNLISTED_WORDS
                && languages
                    .iter()
                    .filter_map(|&l| own_words(&sample, l, languages))
                    .all(|other| other.hits * 10 < words)
        }
    }
}

/// The prose words of `family`'s script in `texts`, up to [`SAMPLE_CHARS`]: words of letters
/// only, less command-line options (`-t table`, `--ascii`), whose single letters are function
/// words of some languages (`e`, `a`, `t`).
fn prose(texts: &[&str], family: Family) -> String {
    let mut sample = String::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        if sample.len() >= SAMPLE_CHARS {
            break;
        }
        if word
            .trim_start_matches(['[', '(', '{', '|', '"', '\''])
            .starts_with('-')
        {
            continue;
        }
        if let Some(word) = prose_word(word, family) {
            sample.push_str(word);
            sample.push(' ');
        }
    }
    sample
}

/// Japanese particles: a Japanese sentence has some; a function's example strings in a help
/// page (`"かたかな"`, `"カタカナ"`) have none.
const JAPANESE_PARTICLES: [char; 10] = ['は', 'が', 'を', 'に', 'の', 'で', 'と', 'も', 'へ', 'や'];

/// Syllables that end a Korean word as its particle: a row of Korean numerals
/// (`일이삼사오육칠팔구영`) or the old jamo of a spreadsheet example (`ᄩᄔᄕ`) has none.
const KOREAN_ENDINGS: [char; 14] = [
    '은', '는', '이', '가', '을', '를', '의', '에', '도', '로', '와', '과', '서', '만',
];

/// How many of `wanted` `texts` hold, different ones; with `ending`, only where one ends a
/// word of Hangul syllables.
fn particles(texts: &[&str], wanted: &[char], ending: bool) -> usize {
    let mut seen: Vec<char> = Vec::new();
    for text in texts {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let counts = wanted.contains(&c)
                && (!ending || chars.peek().is_none_or(|next| !is_syllable(*next)));
            if counts && !seen.contains(&c) {
                seen.push(c);
            }
        }
    }
    seen.len()
}

/// Whether a Han character is a numeral: a number format's examples in a help page
/// (`一二三四五六七八九〇`, `壹貳參肆伍陸柒捌玖零`) are no Chinese text.
fn is_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百千万萬亿億兆壱弐参壹贰貳叁參肆伍陆陸柒捌玖拾佰仟".contains(c)
}

/// Whether `c` is a precomposed Hangul syllable (modern Korean is written in them; the
/// conjoining jamo of `ᄩᄔᄕ` are not words).
fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Words of `family`'s script in `texts`: runs of its letters.
fn script_words(texts: &[&str], family: Family) -> usize {
    let mut words = 0;
    for text in texts {
        let mut inside = false;
        for c in text.chars() {
            let here = family_of(c) == Some(family);
            words += usize::from(here && !inside);
            inside = here;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_evidence_and_a_command_line_is_not() {
        let russian =
            ["Военнопленные японцы работали в лагерях Сибири до середины пятидесятых годов."];
        assert!(attested("ru", Family::Cyrillic, &russian, 70, ("en", 300)));
        let label = ["Пред Настольная книга администратора След"];
        assert!(!attested("ru", Family::Cyrillic, &label, 35, ("en", 300)));
        // Technical Russian has few function words; 20 words of it are Russian all the same.
        let technical = [
            "Функция возвращает строку, которая содержит шестнадцатеричное \
                          представление заданного числа; аргумент должен быть целым числом, \
                          иначе выводится сообщение об ошибке вызова процедуры.",
        ];
        assert!(attested(
            "ru",
            Family::Cyrillic,
            &technical,
            170,
            ("en", 300)
        ));
        let command =
            ["-split-by-file\n-split-by-reloc aio_return(3) <https://www.gnu.org/gethelp/>"];
        assert!(!attested("la", Family::Latin, &command, 40, ("ja", 300)));
    }

    /// English that lingua took for Latin in a Chinese man page: its function words are English.
    #[test]
    fn another_languages_function_words_are_no_evidence() {
        let english = [
            "Permission is granted to copy and distribute translations of this manual \
                        into another language, under the above conditions for modified versions",
        ];
        assert!(!attested("la", Family::Latin, &english, 150, ("zh", 300)));
        assert!(attested("en", Family::Latin, &english, 150, ("zh", 300)));
        let latin = [
            "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam \
                      Aquitani, tertiam qui ipsorum lingua Celtae, nostra Galli appellantur.",
        ];
        assert!(attested("la", Family::Latin, &latin, 120, ("en", 300)));
    }

    #[test]
    fn a_script_of_its_own_needs_words_not_one_run() {
        assert!(!attested(
            "ko",
            Family::Unique("ko"),
            &["일이삼사오육칠팔구영"],
            30,
            ("zh", 300)
        ));
        assert!(attested(
            "ko",
            Family::Unique("ko"),
            &["한국어는 대한민국의 공용어이다"],
            36,
            ("en", 300)
        ));
        assert!(attested(
            "ja",
            Family::Cjk,
            &["シベリア抑留、露に76万人分の資料"],
            42,
            ("en", 300)
        ));
        let formats = ["一二三四五六七八九〇\n壹贰叁肆伍陆柒捌玖零\n壹貳參肆伍陸柒捌玖零"];
        assert!(!attested("zh", Family::Cjk, &formats, 90, ("en", 300)));
        let kana = ["Print StrConv(\"かたかな\", vbKatakana) ' = \"カタカナ\""];
        assert!(!attested("ja", Family::Cjk, &kana, 48, ("en", 300)));
        let jamo = ["=SEARCHB(\"ᄫᄬ\";\"ᄩᄔᄕᄜᄝᄞᄠgᄢᄣᄫᄬᄭᄮᄯᄲᄶ\";17) returns 20."];
        assert!(!attested(
            "ko",
            Family::Unique("ko"),
            &jamo,
            57,
            ("en", 300)
        ));
        let chinese = ["第二次世界大战结束后苏联把日本战俘送到西伯利亚劳动"];
        assert!(attested("zh", Family::Cjk, &chinese, 75, ("en", 300)));
    }

    #[test]
    fn a_relative_sharing_the_main_languages_words_needs_more_text() {
        let nynorsk = ["Det er ikkje lett å seie kva som er rett, men vi skal prøve likevel."];
        assert!(!attested("nn", Family::Latin, &nynorsk, 60, ("nb", 300)));
        assert!(attested("nn", Family::Latin, &nynorsk, 60, ("en", 300)));
    }
}
