//! Dates written in a text, normalized to ISO 8601 at the precision written: `1946-07-12`,
//! `1946-07` or `1946`, and the years a text mentions (`year:` and the year facet).
//!
//! The forms read: ISO (`1946-07-12`, `1946/7/12`, `1946-07`), numbers with separators
//! (`12.07.1946` day first; `07/12/1946` in the document's order, see [`Order`]), month names
//! in English, German, French, Russian, Spanish and Italian (`12 July 1946`, `July 12, 1946`,
//! `12. Juli 1946`, `1er juillet 1946`, `12 июля 1946 г.`, `July 1946`), and the CJK forms
//! (`1946年7月12日`, the Japanese eras `昭和21年7月12日`, the Republic of China's `民國35年`, the
//! Korean `1946년 7월 12일`). A date must exist (`1946-02-30` is none).
//!
//! A year is any year of a date, and a number from 1000 to 2099 written alone unless it reads as
//! a quantity: a number inside a larger one (`1,024`, `1024.5`, `0x1024`, `:1024`), followed by
//! a unit or a counted noun (`1024 bytes`, `2048 x 1536`, `1000 users`, `1000 Einträge`), or a
//! value among values (`610, 1220, 1600`, a code table's `1702 0x06a6`, `sshd[1180]`). Round
//! hundreds, `1024`, `2048` and the 11th century, which manuals write as quantities far more
//! often than as years, count only beside a calendar word (`in 1000`, `© 2000`, `2000年`,
//! `1000-1066`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// A date at the precision written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    /// 1-12, or 0 when only the year is written.
    pub month: u8,
    /// 1-31, or 0 when the day is not written.
    pub day: u8,
}

impl Date {
    /// ISO 8601 at its precision: `1946-07-12`, `1946-07`, `1946`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{m:02}", self.year),
            (m, d) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }

    /// The date as one number, `YYYYMMDD` with `00` for what is not written: its index term,
    /// so that ranges are numeric ranges (`1946-07..1946-09` is 19460700 to 19460999).
    pub fn key(&self) -> u64 {
        u64::from(self.year) * 10_000 + u64::from(self.month) * 100 + u64::from(self.day)
    }

    /// The date a key stands for.
    pub fn of_key(key: u64) -> Date {
        Date {
            year: (key / 10_000) as u16,
            month: (key / 100 % 100) as u8,
            day: (key % 100) as u8,
        }
    }

    /// A date as typed in a query (`1946`, `1946-07`, `1946-07-12`, `/` or `.` also).
    pub fn parse(typed: &str) -> Option<Date> {
        let parts: Vec<&str> = typed.trim().split(['-', '/', '.']).collect();
        let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u16>().ok());
        let date = match parts.len() {
            1 => Date::new(number(0)?, 0, 0),
            2 => Date::new(number(0)?, number(1)? as u8, 0),
            3 => Date::new(number(0)?, number(1)? as u8, number(2)? as u8),
            _ => None,
        }?;
        (parts[0].len() == 4).then_some(date)
    }

    /// A date that exists, years 1000 to 2099.
    fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let days = match month {
            0 => 0,
            4 | 6 | 9 | 11 => 30,
            2 if year.is_multiple_of(4)
                && (!year.is_multiple_of(100) || year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            1..=12 => 31,
            _ => return None,
        };
        let ok = (1000..=2099).contains(&year) && (day == 0 || (month != 0 && day <= days));
        ok.then_some(Date { year, month, day })
    }
}

/// The order of a date written `07/12/1946`: month first in American English, day first
/// everywhere else (`--date-order`, or the document's language: English is month first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    DayMonth,
    MonthDay,
}

impl Order {
    /// The order of a document in `lang` (ISO 639-1).
    pub fn of_language(lang: &str) -> Order {
        if lang == "en" {
            Order::MonthDay
        } else {
            Order::DayMonth
        }
    }
}

/// Month names, lowercase, and their numbers: full and abbreviated, Russian in both its cases.
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("январь", 1),
    ("февраль", 2),
    ("март", 3),
    ("апрель", 4),
    ("май", 5),
    ("июнь", 6),
    ("июль", 7),
    ("август", 8),
    ("сентябрь", 9),
    ("октябрь", 10),
    ("ноябрь", 11),
    ("декабрь", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
];

fn month_named(word: &str) -> Option<u8> {
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, m)| *m)
}

static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    // Longest first, so that `june` is not read as `jun`.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let names = names.join("|");
    let pattern = format!(
        r"(?i)(?:([0-9]{{1,2}})(?:\.|er|st|nd|rd|th|-го)?\s+(?:de\s+)?)?({names})\.?(?:\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,?)?(?:\s+[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?)?\s+(?:(?:de|of)\s+)?([0-9]{{4}})"
    );
    Regex::new(&pattern).expect("the month pattern is valid")
});

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{4})([-/.])([0-9]{1,2})(?:([-/.])([0-9]{1,2}))?(?-u:\b)|(?-u:\b)([0-9]{1,2})([./-])([0-9]{1,2})([./-])([0-9]{4})(?-u:\b)")
        .expect("the numeric pattern is valid")
});

static CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(明治|大正|昭和|平成|令和|民國|民国)\s*(元|[0-9]{1,2})|([0-9]{4}))\s*年(?:\s*([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*日)?)?|([0-9]{4})년(?:\s*([0-9]{1,2})월(?:\s*([0-9]{1,2})일)?)?",
    )
    .expect("the CJK pattern is valid")
});

/// Every date written in `text`, in text order, with its bytes; numeric dates with the month
/// and day both 12 or under are read in `order`.
pub fn find(text: &str, order: Order) -> Vec<(Date, Range<usize>)> {
    let mut out: Vec<(Date, Range<usize>)> = Vec::new();
    // A date where no other was read (the CJK forms first, then names, then numbers).
    let push = |date: Option<Date>, range: Range<usize>, out: &mut Vec<(Date, Range<usize>)>| {
        if let Some(date) = date
            && !out
                .iter()
                .any(|(_, r)| r.start < range.end && range.start < r.end)
        {
            out.push((date, range));
        }
    };
    let number = |m: Option<regex::Match>| m.and_then(|m| m.as_str().parse::<u16>().ok());
    for c in CJK.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        if text[..whole.start].ends_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let date = if let Some(year) = number(c.get(6)) {
            Date::new(
                year,
                number(c.get(7)).unwrap_or(0) as u8,
                number(c.get(8)).unwrap_or(0) as u8,
            )
        } else {
            let year = match (c.get(1).map(|m| m.as_str()), c.get(2).map(|m| m.as_str())) {
                (Some(era), Some(n)) => {
                    let n: u16 = if n == "元" {
                        1
                    } else {
                        n.parse().unwrap_or(0)
                    };
                    let first = match era {
                        "明治" => 1868,
                        "大正" => 1912,
                        "昭和" => 1926,
                        "平成" => 1989,
                        "令和" => 2019,
                        // 民國 1 is 1912.
                        _ => 1912,
                    };
                    (n >= 1).then(|| first + n - 1)
                }
                _ => number(c.get(3)),
            };
            year.and_then(|y| {
                Date::new(
                    y,
                    number(c.get(4)).unwrap_or(0) as u8,
                    number(c.get(5)).unwrap_or(0) as u8,
                )
            })
        };
        push(date, whole, &mut out);
    }
    for c in NAMED.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        // Whole words and numbers only (the pattern has no word boundaries, which would cost
        // it its fast engine): not `3July`, `Fajuly`, `19461`.
        let word_before = text[..whole.start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let month_glued = c.get(2).is_some_and(|m| {
            text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
                || text[m.end()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic)
        });
        let number_after = text[whole.end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        if word_before || month_glued || number_after {
            continue;
        }
        let Some(month) = c.get(2).and_then(|m| month_named(m.as_str())) else {
            continue;
        };
        // `May 2010` is a month; a bare `may` before a year in a sentence is not one (`it may
        // 2010`…) unless capitalized.
        if c.get(2)
            .is_some_and(|m| m.as_str() == "may" || m.as_str() == "mar")
        {
            continue;
        }
        let day = number(c.get(1)).or(number(c.get(3))).unwrap_or(0) as u8;
        let date = number(c.get(4)).and_then(|y| Date::new(y, month, day));
        push(date, whole, &mut out);
    }
    for c in NUMERIC.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        // Not inside a longer run of numbers: a version `1.2.2024.5`, an address `10.1.1946.3`.
        let before = text[..whole.start].chars().next_back();
        let after = text[whole.end..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| matches!(c, '.' | '-' | '/' | ':'));
        let continues = |c: Option<char>, rest: &str| {
            glued(c) && rest.chars().nth(1).is_some_and(|d| d.is_ascii_digit())
        };
        if before.is_some_and(|b| matches!(b, '.' | '-' | '/' | ':'))
            || continues(after, &text[whole.end..])
        {
            continue;
        }
        let date = if let Some(year) = number(c.get(1)) {
            let separator = c.get(2).map(|m| m.as_str());
            match c.get(4).map(|m| m.as_str()) {
                // `1946-07-12`: one separator throughout.
                Some(second) if Some(second) == separator => Date::new(
                    year,
                    number(c.get(3)).unwrap_or(0) as u8,
                    number(c.get(5)).unwrap_or(0) as u8,
                ),
                Some(_) => None,
                // `1946-07`: with a hyphen only (`2010/20` is a fraction, `1.5` a decimal).
                None if separator == Some("-")
                    && c.get(3).is_some_and(|m| m.as_str().len() == 2) =>
                {
                    Date::new(year, number(c.get(3)).unwrap_or(0) as u8, 0)
                }
                None => None,
            }
        } else {
            let (a, b) = (
                number(c.get(6)).unwrap_or(0) as u8,
                number(c.get(8)).unwrap_or(0) as u8,
            );
            let same = c.get(7).map(|m| m.as_str()) == c.get(9).map(|m| m.as_str());
            let year = number(c.get(10)).unwrap_or(0);
            let slash = c.get(7).is_some_and(|m| m.as_str() == "/");
            // Day first, but month first for slashes in an American text; a first number over
            // 12 can only be a day.
            let (day, month) = if slash && order == Order::MonthDay && a <= 12 {
                (b, a)
            } else {
                (a, b)
            };
            // `09.26.1902`: a day first is impossible, so month first.
            if same {
                Date::new(year, month, day).or_else(|| Date::new(year, day, month))
            } else {
                None
            }
        };
        push(date, whole, &mut out);
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

/// Words before a number that make it an identifier, not a year (lowercase).
const NUMBERED: &[&str] = &[
    "pid",
    "port",
    "ports",
    "rfc",
    "ieee",
    "iso",
    "uid",
    "gid",
    "dsa",
    "windows",
    "server",
    "порт",
    "端口号",
    "ポート",
    "ポート番号",
];

/// Words after a number that make it a quantity, not a year (lowercase): units and the things
/// manuals count.
const COUNTED: &[&str] = &[
    "b",
    "byte",
    "bytes",
    "kb",
    "kib",
    "mb",
    "mib",
    "gb",
    "gib",
    "bit",
    "bits",
    "kbit",
    "px",
    "pixel",
    "pixels",
    "x",
    "×",
    "%",
    "hz",
    "khz",
    "mhz",
    "ms",
    "dpi",
    "pt",
    "mm",
    "cm",
    "m",
    "km",
    "kg",
    "g",
    "rpm",
    "kbps",
    "mbps",
    "baud",
    "lines",
    "line",
    "characters",
    "chars",
    "files",
    "entries",
    "items",
    "blocks",
    "sectors",
    "rows",
    "columns",
    "users",
    "records",
    "times",
    "words",
    "pages",
    "points",
    "steps",
    "elements",
    "bytes.",
    "zeichen",
    "zeilen",
    "einträge",
    "dateien",
    "mal",
    "octets",
    "lignes",
    "caractères",
    "fichiers",
    "fois",
    "байт",
    "байта",
    "байтов",
    "строк",
    "символов",
    "файлов",
    "раз",
    "バイト",
    "個",
    "件",
    "行",
];

/// The years `text` mentions: every year of `dates`, and each number from 1000 to 2099 written
/// alone that is not a quantity. Sorted, each once.
pub fn years(text: &str, dates: &[(Date, Range<usize>)]) -> Vec<u64> {
    let mut out: Vec<u64> = dates.iter().map(|(d, _)| u64::from(d.year)).collect();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let window = &bytes[i..i + 4];
        let alone_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let alone_after = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !(window.iter().all(u8::is_ascii_digit) && alone_before && alone_after) {
            i += 1;
            continue;
        }
        let year = window
            .iter()
            .fold(0u64, |y, d| y * 10 + u64::from(d - b'0'));
        let counts = (1000..=2099).contains(&year)
            && !quantity(text, i, i + 4)
            && ((!ambiguous(year) && !in_a_table(text, i, i + 4)) || calendar_cue(text, i, i + 4));
        if counts {
            out.push(year);
        }
        i += 4;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether the number at `start..end` stands among other numbers (`610, 1220, 1600`, a code
/// table's `1702 0x06a6`), or tied to a name (`Johab-1361`, `sshd[1180]`): a value, not a year.
fn in_a_table(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', ',', ';', '\t']);
    let after = text[end..].trim_start_matches([' ', ',', ';', '\t']);
    // A time (`22:06:32 2022`, `1902 06:00:00`) or a name starting with digits (`4.4BSD`)
    // beside it is no table.
    let token_before: String = before
        .chars()
        .rev()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let token_after: String = after.chars().take_while(|c| !c.is_whitespace()).collect();
    let plain = |t: &str| {
        let t = t.trim_end_matches([';', ',', '.', ')']);
        t.starts_with("0x")
            || (t.chars().any(|c| c.is_ascii_digit())
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',')))
    };
    let number_before = before.ends_with(|c: char| c.is_ascii_digit()) && plain(&token_before);
    let number_after = after.starts_with(|c: char| c.is_ascii_digit()) && plain(&token_after);
    let tied = text[..start].ends_with(['[', '_'])
        || text[..start]
            .strip_suffix('-')
            .is_some_and(|b| b.ends_with(char::is_alphabetic));
    (number_before && before.len() < start)
        || (number_after && after.len() < text.len() - end)
        || tied
}

/// Numbers that manuals and tables write as quantities at least as often as years: round
/// hundreds (`1000`, `1500`, `2000`), powers of two (`1024`, `2048`) and the 11th century.
/// Written alone they count as years only beside a calendar word.
fn ambiguous(year: u64) -> bool {
    year.is_multiple_of(100) || year == 1024 || year == 2048 || year < 1100
}

/// Words before a year that say it is one (lowercase), in the languages with month names here.
const BEFORE_YEAR: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "to",
    "year",
    "c",
    "ca",
    "circa",
    "before",
    "after",
    "during",
    "around",
    "early",
    "late",
    "mid",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "copyright",
    "©",
    "im",
    "seit",
    "bis",
    "jahr",
    "jahre",
    "vor",
    "nach",
    "um",
    "anno",
    "en",
    "depuis",
    "année",
    "dès",
    "jusqu'en",
    "в",
    "с",
    "до",
    "к",
    "году",
    "год",
    "año",
    "desde",
    "hasta",
    "nel",
    "dal",
    "anno",
];

/// Words or signs after a year that say it is one.
const AFTER_YEAR: &[&str] = &[
    "年", "年代", "г", "года", "году", "год", "ad", "bc", "ce", "bce", "s",
];

/// Whether a calendar word stands beside the number at `start..end` (`in 1000`, `2000年`,
/// `1000 г.`, `© 2000`), or another year across a dash (`1000-1066`).
fn calendar_cue(text: &str, start: usize, end: usize) -> bool {
    let before: String = text[..start]
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '©' | '\''))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    if BEFORE_YEAR.contains(&before.as_str()) {
        return true;
    }
    let rest = &text[end..];
    let after: String = rest
        .trim_start_matches([' ', '.'])
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let glued: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
        .collect();
    if AFTER_YEAR.contains(&after.as_str()) || AFTER_YEAR.iter().any(|w| glued.starts_with(w)) {
        return true;
    }
    let range = |s: &str| s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    rest.strip_prefix(['-', '–']).is_some_and(range)
        || text[..start].strip_suffix(['-', '–']).is_some_and(|b| {
            b.len() >= 4 && b.as_bytes()[b.len() - 4..].iter().all(u8::is_ascii_digit)
        })
}

/// Whether the number at `start..end` reads as a quantity: inside a larger number, or before a
/// unit or a counted noun.
fn quantity(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let next = after.next();
    let next_digit = after.next().is_some_and(|c| c.is_ascii_digit());
    // `ISO/IEC 9899:1990`, `ISO 1682:1973`: a standard's year after its number.
    let standard = before == Some(':') && {
        let head = &text[..start - 1];
        let from = head.char_indices().rev().nth(16).map_or(0, |(i, _)| i);
        head[from..].contains("ISO") || head[from..].contains("IEC")
    };
    if (!standard
        && before.is_some_and(|c| {
            matches!(
                c,
                ':' | '=' | '#' | '$' | '€' | '£' | '¥' | '+' | '×' | '*' | '^'
            )
        }))
        || (before.is_some_and(|c| matches!(c, '.' | ','))
        && text[..start.saturating_sub(1)].ends_with(|c: char| c.is_ascii_digit()))
        || (next.is_some_and(|c| matches!(c, '.' | ',')) && next_digit)
        // `2001:db8::1`, `12:30`.
        || (next == Some(':') && text[end + 1..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        || next.is_some_and(|c| matches!(c, '%' | '×' | '+' | '*'))
    {
        return true;
    }
    // The second of two sizes: `2048 x 1536`.
    let prev = text[..start].trim_end();
    if prev.ends_with('×')
        || prev
            .strip_suffix('x')
            .is_some_and(|p| p.trim_end().ends_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    // Numbers named by what they number: `port 2049`, `PID 1876`, `RFC 2026`, `IEEE 1394`,
    // `Windows Server 2008`.
    let word_before: String = prev
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    if NUMBERED.contains(&word_before.as_str()) {
        return true;
    }
    let word: String = text[end..]
        .trim_start_matches([' ', '\u{a0}'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '%' | '×' | '.'))
        .collect::<String>()
        .to_lowercase();
    let word = word.trim_end_matches('.');
    !word.is_empty() && COUNTED.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isos(text: &str, order: Order) -> Vec<String> {
        find(text, order)
            .into_iter()
            .map(|(d, _)| d.iso())
            .collect()
    }

    #[test]
    fn the_forms_of_every_language() {
        for (text, iso) in [
            ("arrived 1946-07-12 at Maizuru", "1946-07-12"),
            ("on 12 July 1946 the ship", "1946-07-12"),
            ("on July 12, 1946 the ship", "1946-07-12"),
            ("am 12.07.1946 in Berlin", "1946-07-12"),
            ("am 12. Juli 1946 in Berlin", "1946-07-12"),
            ("le 12 juillet 1946 à Paris", "1946-07-12"),
            ("le 1er juillet 1946", "1946-07-01"),
            ("12 июля 1946 г. прибыл", "1946-07-12"),
            ("в июле… июль 1946 года", "1946-07"),
            ("1946年7月12日に舞鶴へ", "1946-07-12"),
            ("昭和21年7月12日に舞鶴へ", "1946-07-12"),
            ("昭和元年", "1926"),
            ("民國35年", "1946"),
            ("民国35年5月", "1946-05"),
            ("1946년 7월 12일에", "1946-07-12"),
            ("el 12 de julio de 1946", "1946-07-12"),
            ("July 1946 and", "1946-07"),
            ("Nov 20 2000 by", "2000-11-20"),
            ("cDate(1000.25) ' 09.26.1902 06:00", "1902-09-26"),
            ("issued 1946-07, reissued", "1946-07"),
            ("平成31年4月30日", "2019-04-30"),
            ("filed for bankruptcy in April of 2007.", "2007-04"),
            ("notAfter=May 27 15:26:29 2024 GMT", "2024-05-27"),
        ] {
            assert_eq!(isos(text, Order::DayMonth), [iso], "{text}");
        }
    }

    #[test]
    fn the_order_of_numbers_with_slashes() {
        assert_eq!(isos("on 07/12/1946", Order::MonthDay), ["1946-07-12"]);
        assert_eq!(isos("on 07/12/1946", Order::DayMonth), ["1946-12-07"]);
        // Over 12 can only be a day.
        assert_eq!(isos("on 25/12/1946", Order::MonthDay), ["1946-12-25"]);
    }

    #[test]
    fn what_is_not_a_date() {
        for text in [
            "1946-02-30",
            "version 2.6.32",
            "2010/20 of them",
            "ip 10.12.1946.3",
            "12-07/1946",
            "it may 2010 be",
            "1.5 and 2.2024",
        ] {
            assert!(
                isos(text, Order::DayMonth).is_empty(),
                "{text}: {:?}",
                isos(text, Order::DayMonth)
            );
        }
    }

    #[test]
    fn years_in_context() {
        let text = "In 1945, and 1956-1958, (1946); not 12345, x1946, 1024 bytes, 2048 x 1536, \
                    port :1024, 1,024, 1000 users or 1999%. Again 1945.";
        assert_eq!(
            years(text, &find(text, Order::MonthDay)),
            [1945, 1946, 1956, 1958]
        );
        // Round numbers and powers of two need a calendar word beside them.
        let text = "below 1024; base 1000; Yotta 1024; in 1000 AD; © 2000; 2000年; 1000-1066";
        assert_eq!(years(text, &[]), [1000, 1066, 2000]);
        // Values among values, or tied to a name, are not years.
        let text = "are 610, 1220, 1600 and 2000; Ukranian_i 1702 0x06a6; Johab-1361; sshd[1180]";
        assert_eq!(years(text, &[]), Vec::<u64>::new());
        let text = "2001:db8::1; port 2049; PID 1876; RFC 2026; IEEE 1394; Windows Server 2008; \
                    CLng(1234+5678)";
        assert_eq!(years(text, &[]), Vec::<u64>::new());
        // A time or a name with digits beside a year is no table; a standard's year counts.
        let text = "Wed Mar 16 22:06:32 2022; POSIX.1-2008, 4.4BSD; ISO/IEC 9899:1990";
        assert_eq!(years(text, &[]), [1990, 2008, 2022]);
        let dated = "on 12 July 1946 and 1024 Einträge";
        assert_eq!(years(dated, &find(dated, Order::DayMonth)), [1946]);
    }

    #[test]
    fn keys_and_typed_dates() {
        let d = Date::parse("1946-07").expect("a month");
        assert_eq!((d.iso(), d.key()), ("1946-07".to_string(), 19_460_700));
        assert_eq!(Date::of_key(19_460_712).iso(), "1946-07-12");
        assert_eq!(Date::parse("1946").map(|d| d.key()), Some(19_460_000));
        assert_eq!(Date::parse("46-07"), None);
        assert_eq!(Date::parse("1946-13"), None);
    }
}
