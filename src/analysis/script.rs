//! Character classes that decide how a stretch of text is cut into tokens.
//!
//! Han, kana and Hangul have no spaces between words, so they are cut into bigrams; every other
//! letter or digit belongs to a word that ends at the first non-letter. Combining marks continue
//! whatever they follow, so Devanagari vowel signs or decomposed accents never split a word.

use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup, Script};

use super::bmp_table::BmpTable;

/// How the tokenizer treats one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// Han, Hiragana, Katakana or Hangul: indexed as overlapping bigrams plus unigrams.
    Cjk,
    /// A letter, digit or mark of any other script: part of a whitespace-delimited word.
    Word,
    /// A combining mark: continues the current token, whatever its class.
    Mark,
    /// Punctuation, symbols, spaces: separates tokens.
    Other,
}

/// The Unicode script of `c` (ICU data compiled into the binary).
pub fn script(c: char) -> Script {
    CodePointMapData::<Script>::new().get(c)
}

/// Whether `c` is a combining mark (Mn, Mc or Me).
pub fn is_mark(c: char) -> bool {
    GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Whether `script` is written without spaces between words and gets the CJK treatment.
pub fn is_cjk_script(script: Script) -> bool {
    matches!(
        script,
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul
    )
}

/// The class of every Basic Multilingual Plane character met so far.
static CLASSES: BmpTable = BmpTable::new();

pub fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Other
        };
    }
    let code = CLASSES.get(c, || match classify_uncached(c) {
        CharClass::Cjk => 0,
        CharClass::Word => 1,
        CharClass::Mark => 2,
        CharClass::Other => 3,
    });
    match code {
        0 => CharClass::Cjk,
        1 => CharClass::Word,
        2 => CharClass::Mark,
        _ => CharClass::Other,
    }
}

fn classify_uncached(c: char) -> CharClass {
    // The prolonged sound mark and the iteration marks are script Common but live inside kana
    // words.
    if matches!(c, 'ー' | 'ｰ' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ' | '々') {
        return CharClass::Cjk;
    }
    if c.is_alphanumeric() {
        if is_cjk_script(script(c)) {
            CharClass::Cjk
        } else {
            CharClass::Word
        }
    } else if is_mark(c) {
        CharClass::Mark
    } else {
        CharClass::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify('a'), CharClass::Word);
        assert_eq!(classify('Ж'), CharClass::Word);
        assert_eq!(classify('ō'), CharClass::Word);
        assert_eq!(classify('抑'), CharClass::Cjk);
        assert_eq!(classify('シ'), CharClass::Cjk);
        assert_eq!(classify('ー'), CharClass::Cjk);
        assert_eq!(classify('한'), CharClass::Cjk);
        assert_eq!(classify('、'), CharClass::Other);
        assert_eq!(classify('\u{0301}'), CharClass::Mark);
        assert_eq!(classify('-'), CharClass::Other);
        // Outside the cached plane, and a second look at a cached character.
        assert_eq!(classify('𠀋'), CharClass::Cjk);
        assert_eq!(classify('Ж'), CharClass::Word);
    }
}
