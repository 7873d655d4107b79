//! The query language, parsed into a small syntax tree with errors that point at the problem.
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*
//! unary   := ("-" | "NOT") unary | primary
//! primary := "(" or ")" | [field ":"] ("\"" phrase "\"" ["~" slop] | word ["*" | "~" [n]])
//! ```
//! `word*` is a prefix, `word~` a fuzzy word (edit distance by length, or `~1`, `~2`),
//! `"a b"~5` a proximity phrase (the words within 5 positions of each other). Fields: `title:`
//! (match in titles only), `lang:` (documents containing that language), `path:` (a glob on
//! the path), `ext:` (file extension), `year:1945` or `year:1945..1956` (years in the text),
//! `tag:` (documents the archivist tagged so).
//! A word with an unknown `name:` prefix is read as plain text (`12:30`, `http://x`), which is
//! the documented lenient reading. Errors give the 1-based character column.

use thiserror::Error;

use crate::entities::Kind;
use crate::entities::dates::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Titles, bodies and stemmed forms.
    All,
    /// Titles only.
    Title,
}

/// How a word is matched besides exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// As typed (and stemmed, romanized, variant forms).
    None,
    /// `word*`: every word starting with it.
    Prefix,
    /// `word~` or `word~N`: words within N edits (N by word length when not given).
    Fuzzy(Option<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word as typed; analysis may split it into several tokens (then they must be adjacent).
    Word {
        scope: Scope,
        text: String,
        modifier: Modifier,
    },
    /// A quoted phrase; `slop` > 0 lets its words stand that many positions apart.
    Phrase {
        scope: Scope,
        text: String,
        slop: u32,
    },
    /// `lang:xx`: documents in which language `xx` was found.
    Lang(String),
    /// `path:GLOB`: documents whose path matches the glob.
    Path(String),
    /// `ext:pdf`: documents whose file has that extension.
    Ext(String),
    /// `year:1945` or `year:1945..1956`: documents mentioning a year in the range (inclusive).
    Year(u64, u64),
    /// `date:1946-07` or `date:1946-07..1946-09`: documents with a date written in the range
    /// (inclusive keys, see [`crate::entities::dates::Date::key`]).
    Date(u64, u64),
    /// `tag:TAG`: documents tagged so (see [`crate::annotations`]).
    Tag(String),
    /// `thread:ID`: the messages of an e-mail thread and their attachments, by the thread's id
    /// or one of its messages' `Message-ID` (see [`crate::thread`]).
    Thread(String),
    /// `name:"Kwantung Army"`: documents naming that entity of the variants file in any of its
    /// forms (see [`crate::variants`]).
    Name(String),
    /// `email:`, `url:`, `domain:`, `phone:`, `iban:`: documents in which that entity is
    /// written (the value as typed; see [`crate::entities::normalize`]).
    Entity(Kind, String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("the query is empty")]
    Empty,
    #[error("unclosed quote at column {0}")]
    UnclosedQuote(usize),
    #[error("unclosed parenthesis at column {0}")]
    UnclosedParen(usize),
    #[error("unexpected `)` at column {0}")]
    UnexpectedParen(usize),
    #[error("`{word}` at column {column} needs a term after it")]
    Dangling { word: String, column: usize },
    #[error("`{field}:` at column {column} needs a word or a quoted phrase after it")]
    EmptyField { field: String, column: usize },
    #[error("`year:{value}` at column {column}: give a year (1945) or a range (1945..1956)")]
    BadYear { value: String, column: usize },
    #[error(
        "`date:{value}` at column {column}: give a date (1946, 1946-07, 1946-07-12) or a range (1946-07..1946-09)"
    )]
    BadDate { value: String, column: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Open,
    Close,
    Minus,
    Or,
    And,
    Not,
    Word(String),
    Phrase(String, u32),
    Field(String),
}

const FIELDS: [&str; 14] = [
    "title", "lang", "path", "ext", "year", "date", "tag", "name", "email", "url", "domain",
    "phone", "iban", "thread",
];

/// Splits the query into lexemes, each with its 1-based column.
fn lex(query: &str) -> Result<Vec<(Lexeme, usize)>, ParseError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((Lexeme::Open, column));
                i += 1;
            }
            ')' => {
                out.push((Lexeme::Close, column));
                i += 1;
            }
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .ok_or(ParseError::UnclosedQuote(column))?;
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                i += end + 2;
                // `"a b"~5`: a proximity phrase.
                let mut slop = 0;
                if chars.get(i) == Some(&'~') {
                    let digits: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    slop = digits.parse().unwrap_or(0).min(100);
                    i += 1 + digits.len();
                }
                out.push((Lexeme::Phrase(text, slop), column));
            }
            '-' | '+'
                if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) && starts_term(&out) =>
            {
                if c == '-' {
                    out.push((Lexeme::Minus, column));
                }
                i += 1;
            }
            _ => {
                let len = chars[i..]
                    .iter()
                    .position(|&c| c.is_whitespace() || c == '(' || c == ')' || c == '"')
                    .unwrap_or(chars.len() - i);
                let word: String = chars[i..i + len].iter().collect();
                i += len;
                let lexeme = match word.as_str() {
                    "OR" | "||" => Lexeme::Or,
                    "AND" | "&&" => Lexeme::And,
                    "NOT" => Lexeme::Not,
                    _ => match word.split_once(':') {
                        Some((name, rest)) if FIELDS.contains(&name.to_lowercase().as_str()) => {
                            out.push((Lexeme::Field(name.to_lowercase()), column));
                            if rest.is_empty() {
                                continue;
                            }
                            Lexeme::Word(rest.to_string())
                        }
                        _ => Lexeme::Word(word),
                    },
                };
                out.push((lexeme, column));
            }
        }
    }
    Ok(out)
}

/// A `-` negates only where a term may start (not inside `a-b`, which is one word).
fn starts_term(so_far: &[(Lexeme, usize)]) -> bool {
    !matches!(so_far.last(), Some((Lexeme::Field(_), _)))
}

struct Parser {
    lexemes: Vec<(Lexeme, usize)>,
    at: usize,
}

pub fn parse(query: &str) -> Result<Node, ParseError> {
    let lexemes = lex(query)?;
    if lexemes.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut parser = Parser { lexemes, at: 0 };
    let node = parser.or()?;
    match parser.peek() {
        Some((Lexeme::Close, column)) => Err(ParseError::UnexpectedParen(column)),
        Some((_, column)) => Err(ParseError::UnexpectedParen(column)),
        None => Ok(node),
    }
}

impl Parser {
    fn peek(&self) -> Option<(Lexeme, usize)> {
        self.lexemes.get(self.at).cloned()
    }

    fn next(&mut self) -> Option<(Lexeme, usize)> {
        let item = self.peek();
        self.at += 1;
        item
    }

    fn or(&mut self) -> Result<Node, ParseError> {
        let mut parts = vec![self.and()?];
        while let Some((Lexeme::Or, column)) = self.peek() {
            self.at += 1;
            if self.at_term_end() {
                return Err(ParseError::Dangling {
                    word: "OR".into(),
                    column,
                });
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::Or(parts)
        })
    }

    fn at_term_end(&self) -> bool {
        matches!(self.peek(), None | Some((Lexeme::Close | Lexeme::Or, _)))
    }

    fn and(&mut self) -> Result<Node, ParseError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some((Lexeme::Close | Lexeme::Or, _)) => break,
                Some((Lexeme::And, column)) => {
                    self.at += 1;
                    if parts.is_empty() || self.at_term_end() {
                        return Err(ParseError::Dangling {
                            word: "AND".into(),
                            column,
                        });
                    }
                }
                Some(_) => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 => match self.peek() {
                Some((Lexeme::Close, column)) => Err(ParseError::UnexpectedParen(column)),
                Some((lexeme, column)) => Err(ParseError::Dangling {
                    word: if lexeme == Lexeme::Or {
                        "OR".into()
                    } else {
                        "AND".into()
                    },
                    column,
                }),
                None => Err(ParseError::Empty),
            },
            1 => Ok(parts.remove(0)),
            _ => Ok(Node::And(parts)),
        }
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        match self.peek() {
            Some((lexeme @ (Lexeme::Minus | Lexeme::Not), column)) => {
                self.at += 1;
                if self.at_term_end() || matches!(self.peek(), Some((Lexeme::And, _))) {
                    let word = if lexeme == Lexeme::Not { "NOT" } else { "-" };
                    return Err(ParseError::Dangling {
                        word: word.into(),
                        column,
                    });
                }
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, ParseError> {
        match self.next() {
            Some((Lexeme::Open, column)) => {
                let inner = self.or()?;
                match self.next() {
                    Some((Lexeme::Close, _)) => Ok(inner),
                    _ => Err(ParseError::UnclosedParen(column)),
                }
            }
            Some((Lexeme::Word(text), _)) => Ok(word_node(Scope::All, text)),
            Some((Lexeme::Phrase(text, slop), _)) => Ok(Node::Phrase {
                scope: Scope::All,
                text,
                slop,
            }),
            Some((Lexeme::Field(field), column)) => {
                let empty = || ParseError::EmptyField {
                    field: field.clone(),
                    column,
                };
                let (text, phrase) = match self.next() {
                    Some((Lexeme::Word(text), _)) => (text, None),
                    Some((Lexeme::Phrase(text, slop), _)) => (text, Some(slop)),
                    _ => return Err(empty()),
                };
                if let Some(kind) = Kind::named(&field) {
                    return Ok(Node::Entity(kind, text.trim().to_string()));
                }
                Ok(match (field.as_str(), phrase) {
                    ("lang", _) => Node::Lang(text.trim().to_lowercase()),
                    ("path", _) => Node::Path(text.trim().to_string()),
                    ("ext", _) => Node::Ext(text.trim().trim_start_matches('.').to_lowercase()),
                    ("tag", _) => Node::Tag(text.trim().to_string()),
                    ("thread", _) => Node::Thread(text.trim().to_string()),
                    ("name", _) => Node::Name(text.trim().to_string()),
                    ("date", _) => date_range(text.trim()).ok_or_else(|| ParseError::BadDate {
                        value: text.clone(),
                        column,
                    })?,
                    ("year", _) => year_range(text.trim()).ok_or_else(|| ParseError::BadYear {
                        value: text.clone(),
                        column,
                    })?,
                    (_, Some(slop)) => Node::Phrase {
                        scope: Scope::Title,
                        text,
                        slop,
                    },
                    (_, None) => word_node(Scope::Title, text),
                })
            }
            Some((Lexeme::Close, column)) => Err(ParseError::UnexpectedParen(column)),
            Some((other, column)) => Err(ParseError::Dangling {
                word: format!("{other:?}").to_uppercase(),
                column,
            }),
            None => Err(ParseError::Empty),
        }
    }
}

/// A word, with its `*` or `~N` suffix read as a modifier (a lone `*` or `~` is text).
fn word_node(scope: Scope, text: String) -> Node {
    let chars = text.chars().count();
    if chars > 1
        && let Some(stem) = text.strip_suffix('*')
    {
        return Node::Word {
            scope,
            text: stem.to_string(),
            modifier: Modifier::Prefix,
        };
    }
    if let Some((stem, distance)) = text.rsplit_once('~')
        && !stem.is_empty()
        && (distance.is_empty() || distance.chars().all(|c| c.is_ascii_digit()))
    {
        return Node::Word {
            scope,
            text: stem.to_string(),
            modifier: Modifier::Fuzzy(distance.parse::<u8>().ok().map(|d| d.min(2))),
        };
    }
    Node::Word {
        scope,
        text,
        modifier: Modifier::None,
    }
}

/// `1945` or `1945..1956` (either order).
/// `1946`, `1946-07`, `1946-07-12`, or two of them joined by `..`: every date written within,
/// each end at its own precision (`1946-07..1946-09` is from July's first day to September's
/// last); a date written with less precision than the range's ends (`1946` alone) is not in a
/// range of months.
fn date_range(text: &str) -> Option<Node> {
    let (from, to) = match text.split_once("..") {
        Some((a, b)) => (Date::parse(a)?, Date::parse(b)?),
        None => {
            let date = Date::parse(text)?;
            (date, date)
        }
    };
    let (from, to) = (from.min(to), from.max(to));
    let last = match (to.month, to.day) {
        (0, _) => to.key() + 9999,
        (_, 0) => to.key() + 99,
        _ => to.key(),
    };
    Some(Node::Date(from.key(), last))
}

fn year_range(text: &str) -> Option<Node> {
    let (from, to) = match text.split_once("..") {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let year = text.parse().ok()?;
            (year, year)
        }
    };
    Some(Node::Year(u64::min(from, to), u64::max(from, to)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Node {
        Node::Word {
            scope: Scope::All,
            text: t.into(),
            modifier: Modifier::None,
        }
    }

    #[test]
    fn prefix_fuzzy_proximity_and_filters() {
        assert_eq!(
            parse("repatriat*"),
            Ok(Node::Word {
                scope: Scope::All,
                text: "repatriat".into(),
                modifier: Modifier::Prefix
            })
        );
        assert_eq!(
            parse("Nomonhan~1"),
            Ok(Node::Word {
                scope: Scope::All,
                text: "Nomonhan".into(),
                modifier: Modifier::Fuzzy(Some(1))
            })
        );
        assert_eq!(
            parse("Nomonhan~"),
            Ok(Node::Word {
                scope: Scope::All,
                text: "Nomonhan".into(),
                modifier: Modifier::Fuzzy(None)
            })
        );
        assert_eq!(
            parse("\"soviet prisoners\"~5"),
            Ok(Node::Phrase {
                scope: Scope::All,
                text: "soviet prisoners".into(),
                slop: 5
            })
        );
        assert_eq!(parse("year:1956..1945"), Ok(Node::Year(1945, 1956)));
        assert_eq!(parse("ext:.PDF"), Ok(Node::Ext("pdf".into())));
        assert_eq!(parse("path:letters/*"), Ok(Node::Path("letters/*".into())));
        assert!(matches!(
            parse("year:soon"),
            Err(ParseError::BadYear { .. })
        ));
        assert_eq!(parse("*"), Ok(word("*")));
    }

    #[test]
    fn implicit_and_or_not_groups() {
        assert_eq!(parse("a b"), Ok(Node::And(vec![word("a"), word("b")])));
        assert_eq!(
            parse("a OR b c"),
            Ok(Node::Or(vec![
                word("a"),
                Node::And(vec![word("b"), word("c")])
            ]))
        );
        assert_eq!(
            parse("(a OR b) -c"),
            Ok(Node::And(vec![
                Node::Or(vec![word("a"), word("b")]),
                Node::Not(Box::new(word("c")))
            ]))
        );
        assert_eq!(parse("NOT a"), Ok(Node::Not(Box::new(word("a")))));
        assert_eq!(parse("a AND b"), parse("a b"));
    }

    #[test]
    fn phrases_fields_and_hyphens() {
        assert_eq!(
            parse("\"Kwantung Army\""),
            Ok(Node::Phrase {
                scope: Scope::All,
                text: "Kwantung Army".into(),
                slop: 0
            })
        );
        assert_eq!(parse("lang:RU"), Ok(Node::Lang("ru".into())));
        assert_eq!(
            parse("title:\"end of\""),
            Ok(Node::Phrase {
                scope: Scope::Title,
                text: "end of".into(),
                slop: 0
            })
        );
        assert_eq!(parse("Soviet-Japanese"), Ok(word("Soviet-Japanese")));
        assert_eq!(parse("12:30"), Ok(word("12:30")));
        assert_eq!(parse("-"), Ok(word("-")));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(parse("a \"b c"), Err(ParseError::UnclosedQuote(3)));
        assert_eq!(parse("(a b"), Err(ParseError::UnclosedParen(1)));
        assert_eq!(parse("a b)"), Err(ParseError::UnexpectedParen(4)));
        assert_eq!(
            parse("a OR"),
            Err(ParseError::Dangling {
                word: "OR".into(),
                column: 3
            })
        );
        assert_eq!(
            parse("OR a"),
            Err(ParseError::Dangling {
                word: "OR".into(),
                column: 1
            })
        );
        assert_eq!(
            parse("title:"),
            Err(ParseError::EmptyField {
                field: "title".into(),
                column: 1
            })
        );
        assert_eq!(parse("   "), Err(ParseError::Empty));
        assert_eq!(parse("()"), Err(ParseError::UnexpectedParen(2)));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(query in "\\PC{0,40}") {
            let _ = parse(&query);
        }

        #[test]
        fn never_panics_on_syntax_soup(query in "[a-z\"()\\- :]{0,30}|(OR |AND |NOT |[()\"-]){0,12}") {
            let _ = parse(&query);
        }
    }
}
