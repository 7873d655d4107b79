//! Romanized tokens of kana, Cyrillic and Greek text, for users who type only Latin letters.
//!
//! The `roman` field is analyzed with [`RomanTokenizer`]: it emits one token per kana run (`シベリア`
//! -> `shiberia`, via `wana_kana`'s Hepburn romaji) and per Cyrillic or Greek word (`Военнопленные`
//! -> `voennoplennye`, via `deunicode`), lowercased and reduced to ASCII letters and digits, with
//! byte offsets into the original text so snippets highlight the native characters. Both sides are
//! then reduced to a [`spelling_key`] that forgives the usual differences between transliteration
//! systems (`Yaponiya` = `Iaponiia`, `Sovetsky` = `Sovetskii`, `Yeltsin` = `El'tsin`, `tokyo` =
//! `toukyou`). Everything else (Latin, Han, other scripts) emits nothing: Latin is already in
//! `body`, and a Han character has many readings, so romanizing it would guess.
//!
//! A kana run is a maximal run of one kana script (hiragana and katakana are cut apart, so the
//! particle in `シベリアに` does not glue onto the loanword); the prolonged sound mark `ー` and
//! the iteration marks continue whichever run they are in. Romanized tokens shorter than
//! [`MIN_ROMAN_BYTES`] are dropped: they are particles and prepositions (`の` -> `no`, `и` ->
//! `i`, `на` -> `na`) that would make a Latin query for `no` or `i` match every Japanese or
//! Russian document.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use wana_kana::ConvertJapanese;

use super::tokenizer::MAX_TOKEN_BYTES;

/// Shortest romanized token that is indexed (and looked for).
pub const MIN_ROMAN_BYTES: usize = 3;

/// The romanizable script a character belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hiragana,
    Katakana,
    Cyrillic,
    Greek,
    /// `ー` and the kana iteration marks: continue a kana run of either kind.
    KanaJoiner,
    /// A combining mark: continues any run (a stress mark over Cyrillic, for instance).
    Mark,
}

fn kind(c: char) -> Option<Kind> {
    Some(match c {
        'ー' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ' => Kind::KanaJoiner,
        '\u{3041}'..='\u{3096}' => Kind::Hiragana,
        // U+30FB (middle dot) separates words; U+30A0 is a hyphen.
        '\u{30A1}'..='\u{30FA}' | '\u{31F0}'..='\u{31FF}' => Kind::Katakana,
        '\u{0300}'..='\u{036F}' | '\u{3099}'..='\u{309A}' => Kind::Mark,
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{A640}'..='\u{A69F}'
            if c.is_alphabetic() =>
        {
            Kind::Cyrillic
        }
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' if c.is_alphabetic() => Kind::Greek,
        _ => return None,
    })
}

/// Whether `text` has anything this analysis would romanize; documents without such characters
/// leave the `roman` field empty.
pub fn has_romanizable(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_ascii() && matches!(kind(c), Some(k) if k != Kind::Mark))
}

/// The romanized form of a run of one script, as a [`spelling_key`].
fn romanize(run: &str, script: Kind, out: &mut String) {
    let latin = match script {
        Kind::Hiragana | Kind::Katakana | Kind::KanaJoiner => kana_romaji(run),
        _ => deunicode::deunicode(run),
    };
    spelling_key(&latin, out);
}

/// Katakana spellings of foreign sounds that `wana_kana` reads one kana at a time (`ディ` ->
/// `dei`, `ファ` -> `fua`, `ヴ` -> `vo`), with their Hepburn romanization. Loanwords, which
/// are what Latin-typing users look for in Japanese text, are full of them.
const EXTENDED_KATAKANA: [(&str, &str); 31] = [
    ("ファ", "fa"),
    ("フィ", "fi"),
    ("フェ", "fe"),
    ("フォ", "fo"),
    ("ティ", "ti"),
    ("ディ", "di"),
    ("トゥ", "tu"),
    ("ドゥ", "du"),
    ("テュ", "tyu"),
    ("デュ", "dyu"),
    ("ウィ", "wi"),
    ("ウェ", "we"),
    ("ウォ", "wo"),
    ("ヴァ", "va"),
    ("ヴィ", "vi"),
    ("ヴェ", "ve"),
    ("ヴォ", "vo"),
    ("ヴュ", "vyu"),
    ("ツァ", "tsa"),
    ("ツィ", "tsi"),
    ("ツェ", "tse"),
    ("ツォ", "tso"),
    ("イェ", "ye"),
    ("クァ", "kwa"),
    ("クィ", "kwi"),
    ("クェ", "kwe"),
    ("クォ", "kwo"),
    ("グァ", "gwa"),
    ("スィ", "si"),
    ("ズィ", "zi"),
    ("ヴ", "vu"),
];

/// Hepburn romaji of a kana run: [`EXTENDED_KATAKANA`] first, `wana_kana` for the rest.
fn kana_romaji(run: &str) -> String {
    let mut out = String::new();
    let mut plain = 0; // start of the stretch not yet converted
    let mut at = 0;
    while at < run.len() {
        let rest = &run[at..];
        if let Some((kana, romaji)) = EXTENDED_KATAKANA.iter().find(|(k, _)| rest.starts_with(k)) {
            out.push_str(&run[plain..at].to_romaji());
            out.push_str(romaji);
            at += kana.len();
            plain = at;
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&run[plain..].to_romaji());
    out
}

/// Reduces a romanized or typed Latin word to the key both sides are compared by: ASCII
/// lowercase letters and digits, `y` and `j` read as `i`, `ie` as `e` (`ye`, `je` or `e` for
/// Cyrillic `е`),
/// runs of one vowel as one vowel, and `ou` as `o` (Japanese long vowels written `ou`, `oo`,
/// `ō` or `o`). Transliteration systems disagree exactly there (`я` is `ya` or `ia`, `й` is `y`,
/// `i` or nothing, `ー` is a doubled vowel or nothing), and users type any of them.
pub fn spelling_key(latin: &str, out: &mut String) {
    out.clear();
    let letters =
        latin
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| match c.to_ascii_lowercase() {
                'y' | 'j' => 'i',
                c => c,
            });
    for c in letters {
        if out.len() >= MAX_TOKEN_BYTES {
            break;
        }
        if c == 'e' && out.ends_with('i') {
            out.pop();
        }
        let last = out.chars().next_back();
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
        if (vowel && last == Some(c)) || (c == 'u' && last == Some('o')) {
            continue;
        }
        out.push(c);
    }
}

#[derive(Clone, Default)]
pub struct RomanTokenizer;

impl Tokenizer for RomanTokenizer {
    type TokenStream<'a> = RomanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> RomanTokenStream<'a> {
        RomanTokenStream {
            text,
            cursor: 0,
            position: 0,
            token: Token::default(),
        }
    }
}

pub struct RomanTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    position: usize,
    token: Token,
}

impl RomanTokenStream<'_> {
    /// The next run from the cursor on: (start, end, script), or `None` at the end of the text.
    fn next_run(&mut self) -> Option<(usize, usize, Kind)> {
        let rest = &self.text[self.cursor..];
        let (offset, first) =
            rest.char_indices()
                .map(|(i, c)| (i, kind(c)))
                .find_map(|(i, k)| match k {
                    Some(Kind::Mark) | None => None,
                    Some(k) => Some((i, k)),
                })?;
        let start = self.cursor + offset;
        let mut run_kind = first;
        let mut end = start;
        for (i, c) in self.text[start..].char_indices() {
            let continues = match (run_kind, kind(c)) {
                (_, Some(Kind::Mark)) => true,
                (Kind::KanaJoiner, Some(k @ (Kind::Hiragana | Kind::Katakana))) => {
                    run_kind = k;
                    true
                }
                (Kind::Hiragana | Kind::Katakana, Some(Kind::KanaJoiner)) => true,
                (Kind::KanaJoiner, Some(Kind::KanaJoiner)) => true,
                (a, Some(b)) => a == b,
                (_, None) => false,
            };
            if !continues {
                break;
            }
            end = start + i + c.len_utf8();
        }
        self.cursor = end;
        Some((start, end, run_kind))
    }
}

impl TokenStream for RomanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end, script)) = self.next_run() {
            romanize(&self.text[start..end], script, &mut self.token.text);
            if self.token.text.len() < MIN_ROMAN_BYTES {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.position;
            self.token.position_length = 1;
            self.position += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The `roman` term for a (lowercased, folded) Latin query token, if it could match one.
pub fn query_term(folded: &str) -> Option<String> {
    if !folded.is_ascii() || !folded.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut term = String::new();
    spelling_key(folded, &mut term);
    (term.len() >= MIN_ROMAN_BYTES).then_some(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, &str)> {
        let mut tokenizer = RomanTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), &text[t.offset_from..t.offset_to]));
        }
        out
    }

    #[test]
    fn kana_runs_are_romanized_and_han_left_out() {
        assert_eq!(
            tokens("シベリア抑留された"),
            [
                ("shiberia".to_string(), "シベリア"),
                ("sareta".to_string(), "された")
            ]
        );
    }

    #[test]
    fn prolonged_sound_mark_stays_in_the_word() {
        let t = tokens("コンピューター");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].1, "コンピューター");
        for typed in ["konpyuta", "konpyuutaa", "KONPYŪTĀ"] {
            let folded = crate::analysis::fold::fold(&typed.to_lowercase());
            assert_eq!(query_term(&folded).as_ref(), Some(&t[0].0), "{typed}");
        }
    }

    #[test]
    fn cyrillic_and_greek_words() {
        assert_eq!(
            tokens("Военнопленные, Αθήνα"),
            [
                ("voennoplenne".to_string(), "Военнопленные"),
                ("athena".to_string(), "Αθήνα")
            ]
        );
    }

    /// Every typed spelling of a word meets the key of its native form.
    #[test]
    fn common_transliterations_meet() {
        let native = |text: &str| tokens(text).pop().map(|t| t.0);
        for (typed, text) in [
            ("voennoplennye", "Военнопленные"),
            ("Yaponiya", "Япония"),
            ("Iaponiia", "Япония"),
            ("Japonija", "Япония"),
            ("Sovetsky", "Советский"),
            ("Sovetskiy", "Советский"),
            ("Yeltsin", "Ельцин"),
            ("Yuri", "Юрий"),
            ("Jurij", "Юрий"),
            ("Voennoplennyje", "Военнопленные"),
            ("Khabarovsk", "Хабаровск"),
            ("yolka", "ёлка"),
            ("shiberia", "シベリア"),
            ("direkutori", "ディレクトリ"),
            ("fairu", "ファイル"),
            ("windou", "ウィンドウ"),
            ("baiorin", "バイオリン"),
            ("vaiorin", "ヴァイオリン"),
            ("tokyo", "とうきょう"),
            ("toukyou", "とうきょう"),
            ("Oosaka", "オーサカ"),
        ] {
            assert_eq!(query_term(typed), native(text), "{typed} / {text}");
        }
        assert_ne!(query_term("moskva"), native("Хабаровск"));
    }

    #[test]
    fn latin_and_short_words_emit_nothing() {
        assert!(tokens("Maizuru port の и на").is_empty());
    }

    #[test]
    fn presence_check() {
        assert!(has_romanizable("port of ナホトカ"));
        assert!(has_romanizable("Москва"));
        assert!(!has_romanizable("舞鶴 Maizuru Otozō"));
    }

    #[test]
    fn query_terms_are_ascii_and_long_enough() {
        assert_eq!(query_term("shiberia").as_deref(), Some("shiberia"));
        assert_eq!(query_term("no"), None);
        assert_eq!(query_term("1945"), None);
        assert_eq!(query_term("抑留"), None);
    }
}
