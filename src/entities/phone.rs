//! Phone numbers, checked and normalized by `phonenumber` (libphonenumber's metadata): a
//! candidate is taken only when it is a valid number of its country, and kept in E.164
//! (`+81773680836`).
//!
//! Written here is only where a candidate starts and ends and which shapes are not phone numbers: a
//! `+`, an opening parenthesis or a digit not inside a word or another number, then digits and the
//! separators people write (spaces, `-`, `.`, `/`, parentheses), 7 to 15 digits in all, not running
//! on into letters, a time or a `+`. A number written with its country code (`+81 773-68-0836`)
//! needs no region; a national one (`0773-68-0836`, `(202) 555-0143`) is read as the region's
//! (`--phone-region`, else the country of the document's language and script, else of a word before
//! it that says a number follows, `Telefon:`, `Phone:`, `电话：`), and only written in groups, never
//! as a bare run of digits (an order number, a serial, an octal constant) but a Chinese mobile's,
//! which China writes so. Either way its groups must be the number's own as its country formats it
//! (libphonenumber's strict grouping), unless it opens with an area code in parentheses: the
//! tables, decimals, IP addresses, thousands, dates, years and book numbers of technical text are
//! not numbers.

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

use super::{Found, Kind};

/// A country whose national numbers a text's are read as (`JP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(Id);

impl Region {
    /// A region by its ISO 3166 code (`JP`, `de`); `None` for an unknown one.
    pub fn named(code: &str) -> Option<Region> {
        code.trim()
            .to_ascii_uppercase()
            .parse::<Id>()
            .ok()
            .map(Region)
    }

    /// The region whose numbers a document in `lang` with `text` most likely gives: as
    /// [`Region::of_language`], but Taiwan's for Chinese written in traditional characters
    /// (Hong Kong's and Macau's numbers have no area code to be read wrongly).
    pub fn of_text(lang: &str, text: &str) -> Option<Region> {
        if lang == "zh" && traditional(text) {
            return Region::named("TW");
        }
        Region::of_language(lang)
    }

    /// The region whose numbers a document in `lang` (ISO 639-1) most likely gives: the
    /// country where most of its speakers live (English: the United States), else none.
    pub fn of_language(lang: &str) -> Option<Region> {
        let code = match lang {
            "en" => "US",
            "ja" => "JP",
            "zh" => "CN",
            "ko" => "KR",
            "ru" => "RU",
            "uk" => "UA",
            "be" => "BY",
            "de" => "DE",
            "fr" => "FR",
            "it" => "IT",
            "es" => "ES",
            "pt" => "BR",
            "nl" => "NL",
            "pl" => "PL",
            "cs" => "CZ",
            "sk" => "SK",
            "hu" => "HU",
            "ro" => "RO",
            "bg" => "BG",
            "el" => "GR",
            "tr" => "TR",
            "sv" => "SE",
            "da" => "DK",
            "nb" | "nn" => "NO",
            "fi" => "FI",
            "he" => "IL",
            "ar" => "EG",
            "fa" => "IR",
            "vi" => "VN",
            "th" => "TH",
            "id" => "ID",
            "hr" => "HR",
            "sr" => "RS",
            "sl" => "SI",
            "lt" => "LT",
            "lv" => "LV",
            "et" => "EE",
            "ka" => "GE",
            "hy" => "AM",
            "kk" => "KZ",
            _ => return None,
        };
        Region::named(code)
    }
}

/// Common characters written one way in traditional Chinese and another in simplified, in
/// pairs (traditional, simplified).
const FORMS: [(char, char); 48] = [
    ('這', '这'),
    ('個', '个'),
    ('們', '们'),
    ('來', '来'),
    ('時', '时'),
    ('會', '会'),
    ('說', '说'),
    ('國', '国'),
    ('對', '对'),
    ('學', '学'),
    ('過', '过'),
    ('還', '还'),
    ('點', '点'),
    ('開', '开'),
    ('關', '关'),
    ('電', '电'),
    ('話', '话'),
    ('號', '号'),
    ('業', '业'),
    ('區', '区'),
    ('務', '务'),
    ('聯', '联'),
    ('絡', '络'),
    ('與', '与'),
    ('經', '经'),
    ('為', '为'),
    ('當', '当'),
    ('後', '后'),
    ('見', '见'),
    ('問', '问'),
    ('頁', '页'),
    ('網', '网'),
    ('動', '动'),
    ('產', '产'),
    ('實', '实'),
    ('體', '体'),
    ('處', '处'),
    ('機', '机'),
    ('華', '华'),
    ('際', '际'),
    ('應', '应'),
    ('請', '请'),
    ('費', '费'),
    ('門', '门'),
    ('車', '车'),
    ('長', '长'),
    ('間', '间'),
    ('東', '东'),
];

/// Whether Chinese text is written in traditional characters: more of [`FORMS`]' traditional
/// characters than simplified ones in its first 64 KB.
fn traditional(text: &str) -> bool {
    let (mut old, mut new) = (0usize, 0usize);
    for c in text.chars().take(64 << 10) {
        if FORMS.iter().any(|&(t, _)| t == c) {
            old += 1;
        } else if FORMS.iter().any(|&(_, s)| s == c) {
            new += 1;
        }
    }
    old > new
}

/// Fewest and most digits of a number as written (libphonenumber's limits, with a short
/// national number's area code).
const MIN_DIGITS: usize = 7;
const MAX_DIGITS: usize = 15;

/// The phone numbers in `text` outside `taken` (addresses and URLs already found).
pub fn find(text: &str, region: Option<Region>, taken: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let starts = match b {
            b'+' | b'(' => bytes.get(i + 1).is_some_and(u8::is_ascii_digit),
            b'0'..=b'9' => true,
            _ => false,
        };
        if !starts || !free_before(text, i) || taken.iter().any(|f| f.range.contains(&i)) {
            i += 1;
            continue;
        }
        let book = text[..i].trim_end().ends_with("ISBN") || text[..i].trim_end().ends_with("ISSN");
        // ` / ` and ` - ` may part an area code from the rest (`+49 (0)2408 / 9492-0`) or
        // two numbers (`01 47 83 32 03 / 01 47 83 32 34`): the longer reading first.
        let mut end = i + 1;
        for longest_run in [3, 2] {
            end = candidate_end(bytes, i, longest_run);
            // Running on into a word, or into a time (`2025/04/18 08:12` written `…1808:12`).
            let runs_on = text[end..]
                .chars()
                .next()
                .is_some_and(|c| wordy(c) || c == ':' || c == '+');
            // A national number is read as the document's region's, else, after a word that
            // says a number follows (`Telefon:`, `Phone:`), as that word's country's: a line
            // too short to tell its language, or a passage in another language.
            let number = read(&text[i..end], region).or_else(|| {
                labelled(&text[..i])
                    .filter(|&label| Some(label) != region)
                    .and_then(|label| read(&text[i..end], Some(label)))
            });
            if let Some(number) = number.filter(|_| !runs_on && !book) {
                out.push(Found {
                    kind: Kind::Phone,
                    value: number,
                    range: i..end,
                });
                break;
            }
        }
        // A candidate's digits never start another; but a number in parentheses,
        // `(072-396-4400)`, is tried again without them.
        i = match bytes[i] == b'(' && out.last().is_none_or(|f| f.range.start != i) {
            true => i + 1,
            false => end.max(i + 1),
        };
    }
    out
}

/// Words that say a phone number follows, lowercase, and the country whose numbers they most
/// likely introduce. Words many languages share (`Tel`, `Fax`) are not here: they name no
/// country.
const LABELS: [(&str, &str); 22] = [
    ("phone", "US"),
    ("telephone", "US"),
    ("mobile", "US"),
    ("cell", "US"),
    ("telefon", "DE"),
    ("rufnummer", "DE"),
    ("handy", "DE"),
    ("téléphone", "FR"),
    ("tél", "FR"),
    ("portable", "FR"),
    ("telefono", "IT"),
    ("teléfono", "ES"),
    ("telefone", "BR"),
    ("телефон", "RU"),
    ("тел", "RU"),
    ("моб", "RU"),
    ("電話", "JP"),
    ("電話番号", "JP"),
    ("携帯", "JP"),
    ("电话", "CN"),
    ("手机", "CN"),
    ("전화", "KR"),
];

/// The country of the label word right before a number (`Telefon: `, `Phone (office): `,
/// `电话：`), if there is one.
fn labelled(before: &str) -> Option<Region> {
    // Past the punctuation and a parenthesized remark between the word and the number.
    let mut rest = before.trim_end_matches(|c: char| c.is_whitespace() || ":.：-#№".contains(c));
    if rest.ends_with(')') {
        let open = rest.rfind('(')?;
        rest = rest[..open].trim_end_matches(|c: char| c.is_whitespace() || ":.：".contains(c));
    }
    let lower: String = rest
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .flat_map(char::to_lowercase)
        .collect();
    LABELS.iter().find_map(|&(word, country)| {
        let start = lower.strip_suffix(word)?;
        // A word of its own, not the end of another (`microphone`); CJK words stand anywhere.
        let cjk = word.chars().all(|c| !c.is_ascii() && (c as u32) >= 0x2E80);
        let own = cjk || !start.chars().next_back().is_some_and(char::is_alphanumeric);
        own.then(|| Region::named(country)).flatten()
    })
}

/// Whether a number may start at byte `at`: not after a letter, a digit, or a number's
/// punctuation (`v2.6`, `x-1`, `#12`).
fn free_before(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        // After a comma, a thousands group (`1,234`) or a decimal's fraction (`27,0349`) is
        // not a number's start; a number after another is (`010-53667513,18518753260`:
        // Chinese `，` after NFKC).
        Some(',') => {
            let after = text[at..].bytes().take_while(u8::is_ascii_digit).count();
            let before = text[..at - 1]
                .bytes()
                .rev()
                .take_while(u8::is_ascii_digit)
                .count();
            after > 3 && before > 3
        }
        Some(c) => !(wordy(c) || matches!(c, '.' | '-' | '/' | '#' | '_' | '+')),
    }
}

/// A letter or digit of a script written with spaces: a number touching one is part of a word
/// (`A4-1234567`); Chinese and Japanese write numbers against their characters (`電話0773…`).
fn wordy(c: char) -> bool {
    c.is_alphanumeric() && (c as u32) < 0x2E80
}

/// Where a candidate starting at `start` ends: past its digits and separators, with trailing
/// separators left out.
fn candidate_end(bytes: &[u8], start: usize, longest_run: usize) -> usize {
    let separator = |b: u8| matches!(b, b' ' | b'-' | b'.' | b'/' | b'(' | b')');
    let mut end = start + 1;
    let mut digits = usize::from(bytes[start].is_ascii_digit());
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii_digit() {
            digits += 1;
            if digits > MAX_DIGITS + 1 {
                break;
            }
            end += 1;
        } else if separator(b) {
            // A run of at most `longest_run` separators (`) `, ` (`, ` / `) between digits;
            // anything else ends the number before it.
            let mut next = end;
            while next < end + longest_run && bytes.get(next).is_some_and(|&b| separator(b)) {
                next += 1;
            }
            // Three only as ` / ` (`02408 / 9492-0`), or ` - ` in an international number:
            // `0201 - 0101` is a sum and `041...0176` a range.
            let run = &bytes[end..next];
            if run.len() == 3 && !(run == b" / " || (run == b" - " && bytes[start] == b'+')) {
                break;
            }
            if !bytes.get(next).is_some_and(u8::is_ascii_digit) {
                // A closing parenthesis right after digits belongs to them: `(030)`.
                if b == b')' && bytes[start] == b'(' {
                    end += 1;
                }
                break;
            }
            end = next;
        } else {
            break;
        }
    }
    end
}

/// The number a candidate is, in E.164: valid for its country, written as numbers are.
fn read(candidate: &str, region: Option<Region>) -> Option<String> {
    let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        return None;
    }
    // Running on into a word or another number: a code, not a phone number.
    let international = candidate.starts_with('+');
    let separated = candidate
        .bytes()
        .any(|b| matches!(b, b' ' | b'-' | b'.' | b'/' | b'('));
    if !international && !separated && !chinese_mobile(candidate, region) {
        return None;
    }
    if looks_like_date(candidate)
        || looks_like_isbn(candidate)
        || !shaped_like_a_number(candidate, international)
    {
        return None;
    }
    let country = if international { None } else { Some(region?.0) };
    let (number, written) = match parse(country, candidate) {
        Some(number) => (number, candidate.to_string()),
        None => own_code_without_plus(candidate, region?)?,
    };
    (area_code_in_parentheses(&written) || grouped_as_written(&written, &number))
        .then(|| e164(&number))
}

/// A national number that is not valid but starts with its region's own country code is that
/// country's number written without its `+`, as libphonenumber reads it (`Fax.: 49-89-49053504`
/// in a German text); with the candidate as it would be written with the `+`.
fn own_code_without_plus(candidate: &str, region: Region) -> Option<(PhoneNumber, String)> {
    let code = phonenumber::metadata::DATABASE
        .by_id(region.0.as_ref())?
        .country_code()
        .to_string();
    if !candidate.starts_with(code.as_str()) {
        return None;
    }
    let written = format!("+{candidate}");
    Some((parse(None, &written)?, written))
}

/// Whether the number opens with its area code in parentheses, after at most a country code
/// (`(030) …`, `+7 (8172) …`): a shape no other number of
/// technical text has, and one whose grouping `phonenumber` does not always know (it groups
/// Vologda's `8172 75-51-33` as `817 275-51-33`).
fn area_code_in_parentheses(candidate: &str) -> bool {
    let Some(open) = candidate.find('(') else {
        return false;
    };
    let before = candidate[..open].trim_end();
    let digits = before.trim_start_matches('+');
    // A trunk prefix (`8 (861)`) could be another country's digit: only a country code.
    let prefix = match before.starts_with('+') {
        true => (1..=3).contains(&digits.len()),
        false => digits.is_empty(),
    };
    prefix && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A Chinese mobile number written as one run of 11 digits (`13800138000`), as China's are:
/// `1`, then `3` to `9`, then nine digits.
fn chinese_mobile(candidate: &str, region: Option<Region>) -> bool {
    let bytes = candidate.as_bytes();
    region == Region::named("CN")
        && bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
}

/// The valid number `candidate` is. `phonenumber` strips a national prefix from the national
/// number even where none was written, so Russia's `+7 812 …` (St Petersburg) and `8 (800) …`
/// lose their area code's `8` and are refused: when the parse lost digits written, the digit
/// lost is written again, once or twice, until the number parsed is the one written.
fn parse(country: Option<Id>, candidate: &str) -> Option<PhoneNumber> {
    let number = phonenumber::parse(country, candidate).ok()?;
    if phonenumber::is_valid(&number) {
        return Some(number);
    }
    let written: String = candidate.chars().filter(char::is_ascii_digit).collect();
    let code = number.code().value().to_string();
    let national = national_digits(&number)?;
    let (before, rest) = match candidate.starts_with('+') {
        true => (format!("+{code}"), written.strip_prefix(code.as_str())?),
        false => (String::new(), written.as_str()),
    };
    let lost = rest.strip_suffix(national.as_str())?.chars().next_back()?;
    for times in 1..=2 {
        let again = format!("{before}{}{rest}", lost.to_string().repeat(times));
        let Ok(again) = phonenumber::parse(country, &again) else {
            continue;
        };
        let Some(recovered) = national_digits(&again) else {
            continue;
        };
        if phonenumber::is_valid(&again)
            && recovered.len() > national.len()
            && written.ends_with(&recovered)
        {
            return Some(again);
        }
    }
    None
}

/// A number's national digits, as its E.164 form writes them after the country code.
fn national_digits(number: &PhoneNumber) -> Option<String> {
    let code = number.code().value().to_string();
    Some(
        e164(number)
            .strip_prefix('+')?
            .strip_prefix(code.as_str())?
            .to_string(),
    )
}

/// Whether the candidate's groups of digits are the number's own, as its country formats it
/// nationally or internationally, some of them written together (libphonenumber's "strict
/// grouping"): `0773-68-0836` and `077368 0836` are Maizuru's number, `227 151 97` (a table
/// of character codes) is not Germany's `02271 5197`, nor `2.1788128297` (a decimal) anyone's.
/// A German switchboard's `-0` counts with the group before it (`18665-0`).
fn grouped_as_written(candidate: &str, number: &PhoneNumber) -> bool {
    // The trunk prefix some write in an international number, `+49 (0)30 …`, is no group.
    let candidate = match candidate.starts_with('+') {
        true => candidate.replacen("(0)", " ", 1),
        false => candidate.to_string(),
    };
    let candidate = candidate.as_str();
    let mut written: Vec<String> = digit_groups(candidate);
    let switchboard = candidate.len() > 2
        && candidate.ends_with(|c: char| c.is_ascii_digit())
        && candidate[..candidate.len() - 1].ends_with('-');
    if switchboard
        && written.len() > 1
        && let Some(last) = written.pop()
        && let Some(before) = written.last_mut()
    {
        before.push_str(&last);
    }
    [Mode::National, Mode::International]
        .into_iter()
        .any(|mode| {
            let formatted = digit_groups(&number.format().mode(mode).to_string());
            merges_of(&written, &formatted)
        })
}

fn digit_groups(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether each written group is one or more consecutive formatted groups, all of them used.
fn merges_of(written: &[String], formatted: &[String]) -> bool {
    let mut next = formatted.iter();
    for group in written {
        let mut joined = String::new();
        while joined.len() < group.len() {
            match next.next() {
                Some(part) => joined.push_str(part),
                None => return false,
            }
        }
        if joined != *group {
            return false;
        }
    }
    next.next().is_none()
}

fn e164(number: &PhoneNumber) -> String {
    number.format().mode(Mode::E164).to_string()
}

/// `1946-07-12`, `12.07.1946`, `07/12/1946`, `1946/7/12`: three groups, one of four digits
/// at an end, the others of one or two.
fn looks_like_date(candidate: &str) -> bool {
    let groups: Vec<&str> = candidate.split(['-', '.', '/']).map(str::trim).collect();
    if groups.len() != 3 || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let short = |g: &str| (1..=2).contains(&g.len());
    // A year, then a month: `2025/04/1808` (a time glued on) as much as `1946-07-12`.
    let year_month = groups[0].len() == 4
        && groups[0].starts_with(['1', '2'])
        && short(groups[1])
        && groups[1].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
    year_month
        || (groups[0].len() == 4 && short(groups[1]) && short(groups[2]))
        || (short(groups[0]) && short(groups[1]) && (groups[2].len() == 4 || groups[2].len() == 2))
}

/// Whether the groups of digits are as phone numbers are written, rather than as the other
/// numbers of technical text: not thousands (`2 147 483 647`, `2.147.483.648`), an IP address
/// (`192.168.0.2`, `255.255.255.0`), a range of years (`2010-2020`) or a list of small numbers
/// (`0 0 0 252 252 0`); a parenthesis only around an area code (`(030) 18665-0`, not
/// `4189184 (4.00`).
fn shaped_like_a_number(candidate: &str, international: bool) -> bool {
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let Some(first) = groups.first() else {
        return false;
    };
    if groups.len() > 1 && first.len() <= 3 && groups[1..].iter().all(|g| g.len() == 3) {
        return false;
    }
    // Dots part short groups (`05.11.22.33.44`, `212.555.1234`); before a long one they are a
    // decimal point (`1.4142135624`).
    if candidate.contains('.') && groups.iter().any(|g| g.len() > 4) {
        return false;
    }
    let dotted = candidate.contains('.') && !candidate.contains([' ', '-', '(']);
    if dotted && groups.len() == 4 && groups.iter().all(|g| g.len() <= 3) {
        return false;
    }
    let year = |g: &str| g.len() == 4 && (g.starts_with("1") || g.starts_with("20"));
    if groups.len() == 2 && groups.iter().all(|g| year(g)) {
        return false;
    }
    // One-digit groups: a trunk or country code first (`8 (495)`, `+7 495`), the area of an
    // international French number second (`+33 1 40…`), or a German switchboard's `-0` last.
    let switchboard = candidate.ends_with(|c: char| c.is_ascii_digit())
        && candidate[..candidate.len() - 1].ends_with('-');
    let last = groups.len() - 1;
    let lone = |i: usize, g: &&str| {
        g.len() == 1 && !(i == 0 || (i == 1 && international) || (i == last && switchboard))
    };
    if groups.iter().enumerate().any(|(i, g)| lone(i, g)) {
        return false;
    }
    // Parentheses hold an area code and nothing else: `(` then 1-5 digits then `)`.
    let mut rest = candidate;
    while let Some(open) = rest.find('(') {
        let inner = &rest[open + 1..];
        match inner.find(')') {
            Some(close)
                if (1..=5).contains(&close)
                    && inner[..close].bytes().all(|b| b.is_ascii_digit()) =>
            {
                rest = &inner[close + 1..];
            }
            _ => return false,
        }
    }
    !rest.contains(')') || candidate.matches('(').count() == candidate.matches(')').count()
}

/// `5-88439-093-9`, `978-4-04-102345-6`: hyphenated groups ending in one check character, 10
/// or 13 digits in all, as book numbers are written (with or without `ISBN` before them).
fn looks_like_isbn(candidate: &str) -> bool {
    let groups: Vec<&str> = candidate.split('-').collect();
    let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
    groups.len() >= 4 && groups.last().is_some_and(|g| g.len() == 1) && matches!(digits, 10 | 13)
}

/// A `phone:` query as the index is searched: a number typed with its country code in E.164
/// (`+81 773-68-0836` → `+81773680836`); one typed without it as its digits, the trunk `0`
/// left out (`0773-68-0836` → `773680836`), which match the numbers that end so.
pub fn query(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    if typed.trim_start().starts_with('+') {
        return Some(match phonenumber::parse(None, typed) {
            Ok(number) if phonenumber::is_valid(&number) => e164(&number),
            _ => format!("+{digits}"),
        });
    }
    Some(digits.trim_start_matches('0').to_string()).filter(|d| d.len() >= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str, region: Option<&str>) -> Vec<String> {
        find(text, region.and_then(Region::named), &[])
            .into_iter()
            .map(|f| f.value)
            .collect()
    }

    #[test]
    fn international_numbers_need_no_region() {
        assert_eq!(
            numbers("Tel. +81 773-68-0836 (Maizuru)", None),
            ["+81773680836"]
        );
        assert_eq!(
            numbers("Телефон: +7 495 123-45-67.", None),
            ["+74951234567"]
        );
        assert_eq!(numbers("Ruf: +49 30 18665-0", None), ["+4930186650"]);
        assert_eq!(
            numbers("Standard : +33 1 40 27 60 00", None),
            ["+33140276000"]
        );
    }

    #[test]
    fn national_numbers_are_read_as_the_region_s() {
        assert_eq!(
            numbers("電話 0773-68-0836 まで", Some("JP")),
            ["+81773680836"]
        );
        assert_eq!(
            numbers("call (202) 555-0143 today", Some("US")),
            ["+12025550143"]
        );
        assert_eq!(
            numbers("Tel: 1 604 606-4611 hours 8am-6pm", Some("US")),
            ["+16046064611"]
        );
        assert_eq!(
            numbers("Tél. 01 40 27 60 00.", Some("FR")),
            ["+33140276000"]
        );
        assert_eq!(numbers("Tel. (030) 18665-0", Some("DE")), ["+4930186650"]);
        assert_eq!(
            numbers("тел. 8 (495) 123-45-67", Some("RU")),
            ["+74951234567"]
        );
        // Without a region (nor a word naming one) a national number is nobody's.
        assert!(numbers("問い合わせ 0773-68-0836 まで", None).is_empty());
    }

    #[test]
    fn the_forms_real_contact_pages_write() {
        // An area code starting with 8, which the crate alone reads wrongly.
        assert_eq!(
            numbers("Контактный телефон: +7 (8172) 75-51-33", None),
            ["+78172755133"]
        );
        assert_eq!(
            numbers("Тел. 8 (800) 100-00-11", Some("RU")),
            ["+78001000011"]
        );
        assert_eq!(
            numbers("тел. 8 (812) 123-45-67", Some("RU")),
            ["+78121234567"]
        );
        // The trunk prefix in an international number, and a slash between spaces.
        assert_eq!(
            numbers("Telefon: +49 (0)2408 / 9492-0", None),
            ["+49240894920"]
        );
        assert_eq!(numbers("Tel: +44 (0)1923 650404", None), ["+441923650404"]);
        assert_eq!(
            numbers("Telefon: +49 (0) 75 04 - 971 82 42", None),
            ["+4975049718242"]
        );
        // A Chinese mobile number is written as one run.
        assert_eq!(
            numbers("联系电话：010-53667513，18518753260", Some("CN")),
            ["+861053667513", "+8618518753260"]
        );
        assert!(numbers("订单号 18518753260", Some("DE")).is_empty());
        assert_eq!(
            numbers("运营会社 株式会社morondo (072-396-4400)", Some("JP")),
            ["+81723964400"]
        );
        assert!(numbers("sold 1,234,567 copies", Some("US")).is_empty());
        for text in [
            "# 0201 - 0101 = 0100 (oder 64 dezimal)",
            "die Codes 040...0177 (041...0176)",
            "Ergibt -27,0349456030742-3,85115333481178i.",
        ] {
            assert!(numbers(text, Some("DE")).is_empty(), "{text}");
        }
        // The country's own code without its `+`.
        assert_eq!(
            numbers("Tel.: +49-89-49053501, Fax.: 49-89-49053504", Some("DE")),
            ["+498949053501", "+498949053504"]
        );
        assert!(numbers("Fax.: 49-89-49053504", Some("FR")).is_empty());
    }

    #[test]
    fn a_word_that_says_a_number_follows_names_its_country() {
        // A line too short to tell its language, or a passage read as another language's.
        assert_eq!(numbers("Telefon: 030/12345678", None), ["+493012345678"]);
        assert_eq!(
            numbers("Telefon: 030/12345678", Some("SE")),
            ["+493012345678"]
        );
        assert_eq!(
            numbers("<p>Phone: (212) 555-1234</p>", None),
            ["+12125551234"]
        );
        assert_eq!(
            numbers("Téléphone (standard) : 01 40 27 60 00", None),
            ["+33140276000"]
        );
        assert_eq!(numbers("電話：03-3581-3111", None), ["+81335813111"]);
        // Not after another word, nor after a word many languages share.
        assert!(numbers("microphone 030/12345678", None).is_empty());
        assert!(numbers("Tel.: 030/12345678", None).is_empty());
        assert!(numbers("Order 030/12345678", None).is_empty());
    }

    #[test]
    fn traditional_chinese_reads_taiwan_s_numbers() {
        let taiwan = "地址：30041新竹市中央路241號 電話：03-5352386 聯絡我們";
        let region = Region::of_text("zh", taiwan);
        assert_eq!(region, Region::named("TW"));
        assert_eq!(numbers(taiwan, Some("TW")), ["+88635352386"]);
        assert_eq!(
            Region::of_text("zh", "联系电话：010-59306967 北京市朝阳区"),
            Region::named("CN")
        );
        assert_eq!(
            Region::of_text("ja", "電話：03-1234-5678"),
            Region::named("JP")
        );
    }

    #[test]
    fn dates_versions_and_codes_are_not_numbers() {
        for text in [
            "born 1946-07-12 in Maizuru",
            "am 12.07.1946 in Berlin",
            "on 07/12/1946",
            "version 2.6.32-5-amd64",
            "order 5551234567",
            "ISBN 978-4-04-102345-6",
            "192.168.100.200",
            "1024 bytes, 4096 blocks",
            "posted 2025/04/1808:12:39 by",
            "Логос, 2000. ISBN 5-88439-093-9",
            "see 0-7679-0056-1; page 431",
            "at 12:30-14:45",
            "between -2.147.483.648 and 2.147.483.647, Basic returns",
            "Long (-2 147 483 648 - 2 147 483 647)",
            "route add -net 192.56.76.0 netmask 255.255.255.0 dev eth0",
            "IN A 212.94.201.10 @",
            "Array Size : 4189184 (4.00 GiB 4.29 GB)",
            "Copyright © 2010-2020 Jose",
            "192.168.0.0/24 a 192.168.255.0/24",
            "la plage [0..999 999 999]",
            "stat 130 0 6328 435 0 0 0 0 0 252 252 0 0 0 0",
            "beidseitig 0.4195302884 t kritisch, beidseitig 2.1788128297 Verwandte",
            "ZEICHEN 226 150 96 – HALBGEVIERTSTRICH 227 151 97",
            "Boston, MA 02110-1301 USA",
            "r-xp 00000000 08:02 135522 /usr/lib64/ld-2.15.so",
            "2012-11-11 02:24:53.609667389 +0900",
            "4.13.17. 2015년 12월",
            "returns approximately 1.4142135624, the inverse",
            "/dev/loop0p1 1 600 4819468+ 83 Linux",
            "Hence, 037777777777 will appear as -1",
            "l'expression rationnelle [0123456789] concorde",
        ] {
            assert!(numbers(text, Some("US")).is_empty(), "{text}");
        }
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(query("+81 773-68-0836"), Some("+81773680836".into()));
        assert_eq!(query("0773-68-0836"), Some("773680836".into()));
        assert_eq!(query("12"), None);
        assert_eq!(Region::of_language("ja"), Region::named("jp"));
        assert_eq!(Region::of_language("xx"), None);
    }
}
