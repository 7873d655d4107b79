//! The script-aware tokenizer: words for alphabetic scripts, bigrams for CJK.
//!
//! Alphabetic words (Latin, Cyrillic, Greek, Arabic, Devanagari, ...) are maximal runs of letters,
//! digits and marks, lowercased. Runs of Han, kana and Hangul follow Lucene's CJK approach: at
//! index time every character is a unigram and every adjacent pair a bigram at the same position,
//! so any substring of a run can be found; at query time a run of two or more characters becomes
//! only its bigrams (matched as a phrase, i.e. adjacent), and a single character its unigram.
//! Thai, Lao, Khmer and Myanmar runs, also written without spaces, are cut into words by the
//! dictionary segmenter ([`segment`]) on both sides, each word a token.
//! Tokens keep byte offsets into the analyzed text so snippets can highlight them.
//!
//! The stream is lazy: a 40 MB document is never turned into a vector of tokens.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::script::{CharClass, classify};
use super::segment;

/// Tokens longer than this are cut (at a character boundary) on both sides, so that very long
/// strings (base64, URLs without separators) neither vanish nor blow up the term dictionary.
pub const MAX_TOKEN_BYTES: usize = 128;

/// Whether text is being indexed or is a query; only CJK runs are cut differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
}

#[derive(Clone)]
pub struct ScriptTokenizer {
    mode: Mode,
}

impl ScriptTokenizer {
    pub fn new(mode: Mode) -> Self {
        ScriptTokenizer { mode }
    }
}

impl Tokenizer for ScriptTokenizer {
    type TokenStream<'a> = ScriptTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ScriptTokenStream<'a> {
        ScriptTokenStream {
            text,
            cursor: 0,
            mode: self.mode,
            next_position: 0,
            run: Vec::new(),
            run_step: 0,
            run_position: 0,
            pieces: Vec::new(),
            token: Token::default(),
        }
    }
}

pub struct ScriptTokenStream<'a> {
    text: &'a str,
    /// Byte offset of the first character not yet consumed.
    cursor: usize,
    mode: Mode,
    next_position: usize,
    /// Byte ranges of the characters of the CJK run being emitted.
    run: Vec<(usize, usize)>,
    /// Index of the next emission inside the run (see `emit_from_run`).
    run_step: usize,
    run_position: usize,
    /// Byte ranges of the words still to emit of a segmented word (Thai, Lao, Khmer, Myanmar),
    /// last first.
    pieces: Vec<(usize, usize)>,
    token: Token,
}

impl ScriptTokenStream<'_> {
    /// Emits the next unigram or bigram of the current run; false when the run is exhausted.
    ///
    /// Index mode emits, for character i, the unigram then the bigram (i, i+1), both at position
    /// base+i. Query mode emits the bigrams only, or the lone unigram of a one-character run.
    fn emit_from_run(&mut self) -> bool {
        let n = self.run.len();
        let (char_index, bigram) = match self.mode {
            Mode::Index => (self.run_step / 2, self.run_step % 2 == 1),
            Mode::Query if n == 1 => (self.run_step, false),
            Mode::Query => (self.run_step, true),
        };
        let exhausted = match self.mode {
            Mode::Index => char_index >= n,
            Mode::Query if n == 1 => char_index >= 1,
            Mode::Query => char_index + 1 >= n,
        };
        if exhausted {
            self.run.clear();
            return false;
        }
        self.run_step += 1;
        if bigram && char_index + 1 >= n {
            // Index mode: the last character has no bigram.
            return self.emit_from_run();
        }
        let from = self.run[char_index].0;
        let to = if bigram {
            self.run[char_index + 1].1
        } else {
            self.run[char_index].1
        };
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.run_position + char_index;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        true
    }

    /// Collects the CJK run starting at `start` and prepares it for emission.
    fn start_run(&mut self, start: usize) {
        self.run.clear();
        let mut end = start;
        for (i, c) in self.text[start..].char_indices() {
            let at = start + i;
            match classify(c) {
                CharClass::Cjk => self.run.push((at, at + c.len_utf8())),
                CharClass::Mark if !self.run.is_empty() => {
                    if let Some(last) = self.run.last_mut() {
                        last.1 = at + c.len_utf8();
                    }
                }
                _ => break,
            }
            end = at + c.len_utf8();
        }
        self.cursor = end;
        self.run_step = 0;
        self.run_position = self.next_position;
        self.next_position += self.run.len();
    }

    /// Consumes the word starting at `start`: into the current token, or, for a script written
    /// without spaces (see [`segment`]), into the words the segmenter finds in it, of which the
    /// first becomes the current token. False when such a word held no word at all.
    fn take_word(&mut self, start: usize) -> bool {
        let mut end = start;
        let mut spaceless = false;
        for (i, c) in self.text[start..].char_indices() {
            match classify(c) {
                CharClass::Word | CharClass::Mark => end = start + i + c.len_utf8(),
                _ => break,
            }
            spaceless |= !c.is_ascii() && segment::is_segmented(c);
        }
        self.cursor = end;
        if !spaceless {
            self.emit_word(start, end);
            return true;
        }
        self.pieces = segment::words(&self.text[start..end])
            .into_iter()
            .rev()
            .map(|(from, to)| (start + from, start + to))
            .collect();
        self.emit_piece()
    }

    /// Emits the next word of a segmented word; false when none is left.
    fn emit_piece(&mut self) -> bool {
        match self.pieces.pop() {
            Some((from, to)) => {
                self.emit_word(from, to);
                true
            }
            None => false,
        }
    }

    /// Makes the word at `[from, to)` the current token, lowercased and cut to
    /// [`MAX_TOKEN_BYTES`].
    fn emit_word(&mut self, from: usize, to: usize) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.next_position;
        self.token.position_length = 1;
        self.next_position += 1;
        self.token.text.clear();
        for c in self.text[from..to].chars() {
            if self.token.text.len() + c.len_utf8() * 3 > MAX_TOKEN_BYTES {
                break;
            }
            if c.is_ascii() {
                self.token.text.push(c.to_ascii_lowercase());
            } else {
                self.token.text.extend(c.to_lowercase());
            }
        }
    }
}

impl TokenStream for ScriptTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.run.is_empty() {
                if self.emit_from_run() {
                    return true;
                }
                continue;
            }
            if self.emit_piece() {
                return true;
            }
            let rest = &self.text[self.cursor..];
            let Some((offset, class)) = rest
                .char_indices()
                .map(|(i, c)| (i, classify(c)))
                .find(|(_, class)| *class != CharClass::Other)
            else {
                self.cursor = self.text.len();
                return false;
            };
            let start = self.cursor + offset;
            match class {
                CharClass::Cjk => self.start_run(start),
                _ => {
                    if self.take_word(start) {
                        return true;
                    }
                }
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Token filter dropping the unigrams and bigrams of CJK runs, for fields that want words only.
#[derive(Clone, Copy)]
pub struct SkipCjk;

impl TokenFilter for SkipCjk {
    type Tokenizer<T: Tokenizer> = SkipCjkTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SkipCjkTokenizer<T> {
        SkipCjkTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct SkipCjkTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SkipCjkTokenizer<T> {
    type TokenStream<'a> = SkipCjkTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SkipCjkTokenStream {
            inner: self.inner.token_stream(text),
        }
    }
}

pub struct SkipCjkTokenStream<S> {
    inner: S,
}

impl<S: TokenStream> TokenStream for SkipCjkTokenStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let first = self.inner.token().text.chars().next();
            if !first.is_some_and(|c| classify(c) == CharClass::Cjk) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mode: Mode, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = ScriptTokenizer::new(mode);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn texts(mode: Mode, text: &str) -> Vec<String> {
        tokens(mode, text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn words_are_lowercased_with_offsets() {
        assert_eq!(
            tokens(Mode::Index, "Kwantung Army's"),
            [
                ("kwantung".into(), 0, 0, 8),
                ("army".into(), 1, 9, 13),
                ("s".into(), 2, 14, 15)
            ]
        );
    }

    #[test]
    fn cjk_index_side_has_unigrams_and_bigrams() {
        assert_eq!(
            texts(Mode::Index, "シベリア抑留"),
            [
                "シ", "シベ", "ベ", "ベリ", "リ", "リア", "ア", "ア抑", "抑", "抑留", "留"
            ]
        );
    }

    #[test]
    fn cjk_query_side_has_bigrams_only() {
        assert_eq!(texts(Mode::Query, "抑留"), ["抑留"]);
        assert_eq!(texts(Mode::Query, "抑"), ["抑"]);
        let t = tokens(Mode::Query, "シベリア");
        assert_eq!(t.iter().map(|t| t.1).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn positions_continue_across_scripts() {
        let t = tokens(Mode::Index, "Maizuru 舞鶴 port");
        let last = t.last().map(|t| (t.0.as_str(), t.1));
        assert_eq!(last, Some(("port", 3)));
        let q = tokens(Mode::Query, "Maizuru 舞鶴 port");
        assert_eq!(
            q.iter().map(|t| (t.0.as_str(), t.1)).collect::<Vec<_>>(),
            [("maizuru", 0), ("舞鶴", 1), ("port", 3)]
        );
    }

    /// A term never mixes CJK or Hangul with other scripts: fuzzy search relies on it to pass
    /// over CJK terms for a Latin word (`search::expand`).
    #[test]
    fn mixed_kana_and_latin() {
        assert_eq!(texts(Mode::Index, "Pu Yiの"), ["pu", "yi", "の"]);
        assert_eq!(
            texts(Mode::Index, "A型 ok한국"),
            ["a", "型", "ok", "한", "한국", "국"]
        );
    }

    #[test]
    fn long_tokens_are_cut_not_dropped() {
        let long = "a".repeat(1000);
        let t = texts(Mode::Index, &long);
        assert_eq!(t.len(), 1);
        assert!(t[0].len() <= MAX_TOKEN_BYTES && t[0].len() > 100);
    }

    #[test]
    fn thai_runs_are_cut_into_words_on_both_sides() {
        let thai = "ภาษาไทยง่าย 2024";
        for mode in [Mode::Index, Mode::Query] {
            assert_eq!(
                tokens(mode, thai),
                [
                    ("ภาษา".into(), 0, 0, 12),
                    ("ไทย".into(), 1, 12, 21),
                    ("ง่าย".into(), 2, 21, 33),
                    ("2024".into(), 3, 34, 38)
                ]
            );
        }
        // Lao, Khmer and Myanmar take the same path.
        assert!(texts(Mode::Index, "ພາສາລາວ").len() > 1);
        assert!(texts(Mode::Index, "ខ្ញុំស្រឡាញ់ភាសាខ្មែរ").len() > 1);
        assert!(texts(Mode::Index, "မြန်မာဘာသာစကား").len() > 1);
    }

    #[test]
    fn marks_continue_words() {
        // Hindi: vowel signs are combining marks.
        assert_eq!(texts(Mode::Index, "हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
    }

    test_filter!(
        skip_cjk_keeps_the_words_of_other_scripts,
        SkipCjk,
        [
            "Maizuru 舞鶴 Находка ナホトカ" => [("maizuru", "Maizuru"), ("находка", "Находка")],
            "舞鶴 Maizuru 港 port" => [("maizuru", "Maizuru"), ("port", "port")],
        ]
    );
}
