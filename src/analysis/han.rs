//! One form for each Han character written differently in traditional and simplified Chinese
//! and in Japanese: `系統` and `系统` are one word to a reader of Chinese, `國際` and `国際` one to a
//! reader of Japanese, and an archive holds all of them. Folding (index and query alike) turns
//! each character into its simplified Chinese form, one character for one, so `文件系統` finds
//! `文件系统` and the other way round, and a highlight covers the characters as written.
//!
//! The mappings are OpenCC's, from the `hanconv` crate (embedded): traditional to simplified
//! (`TSCharacters`, its first choice where one character has several: `乾` becomes `干`), and
//! Japanese new forms to the old ones (`JPVariants` read backwards, `図` → `圖`) and on to
//! simplified (`图`). Character by character, not OpenCC's phrase conversion: a bigram must
//! fold the same in any text it stands in.
//!
//! The cost: characters that simplification merged fold together in Japanese too, where they
//! are different words (`機` machine and `机` desk, `後` and `后`, `葉` and `叶`). A word of two
//! characters or more hardly ever meets another that way; a query of one such character finds
//! both. Japanese new forms that Chinese writes as characters of their own are not folded.

use std::collections::HashMap;
use std::sync::OnceLock;

use hanconv::RawDictionary;

/// Japanese new forms that Chinese also writes as characters of their own, with another meaning
/// or use than the old form they stand for in Japanese (`予` give, not `豫`; `欠` owe, not `缺`):
/// each is used 5 times or more in the Chinese paragraphs of CMRC 2018.
const CHINESE_TOO: [char; 4] = ['予', '欠', '疏', '粧'];

/// The form `c` is indexed and searched in: its simplified Chinese form, or itself.
pub fn fold_han(c: char) -> char {
    table().get(&c).copied().unwrap_or(c)
}

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<char, char> = RawDictionary::TSCharacters
            .iter()
            .filter_map(|(from, to)| Some((single(from)?, single(to)?)))
            .filter(|(from, to)| from != to)
            .collect();
        // A new form that is itself a key (`連`, whose old form `聯` differs in Chinese) keeps
        // its own mapping; so does a character Chinese simplification lists (`芸`).
        let simplified: Vec<char> = RawDictionary::STCharacters
            .iter()
            .filter_map(|(from, _)| single(from))
            .collect();
        let japanese: Vec<(char, char)> = RawDictionary::JPVariants
            .iter()
            .filter_map(|(old, new)| Some((single(new)?, single(old)?)))
            .collect();
        for (new, old) in japanese {
            let target = table.get(&old).copied().unwrap_or(old);
            if new != target
                && !table.contains_key(&new)
                && !simplified.contains(&new)
                && !CHINESE_TOO.contains(&new)
            {
                table.insert(new, target);
            }
        }
        table
    })
}

/// The one character `s` is, if it is one.
fn single(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        text.chars().map(fold_han).collect()
    }

    #[test]
    fn traditional_simplified_and_japanese_forms_meet() {
        assert_eq!(folded("文件系統"), folded("文件系统"));
        assert_eq!(folded("文件系統"), "文件系统");
        assert_eq!(folded("國際"), folded("国際"));
        assert_eq!(folded("圖書館"), folded("図書館"));
        assert_eq!(folded("圖書館"), folded("图书馆"));
        assert_eq!(folded("乘車"), folded("乗車"));
    }

    #[test]
    fn other_characters_are_left_alone() {
        assert_eq!(folded("東京 シベリア abc 한국"), "东京 シベリア abc 한국");
        for c in CHINESE_TOO {
            assert_eq!(fold_han(c), c);
        }
        // Simplified characters stay as they are.
        assert_eq!(folded("战俘经由纳霍德卡返回"), "战俘经由纳霍德卡返回");
    }
}
