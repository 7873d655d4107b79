//! Bytes of unknown encoding -> text, and the name of the encoding they were read as.
//!
//! The order of evidence, strongest first: a byte-order mark; the zero-byte pattern of UTF-16
//! without a BOM (ASCII-range text in UTF-16 has a zero in every other byte); valid UTF-8; an
//! encoding the document declares (HTML `<meta charset>`, XML declaration, mail headers), kept
//! only if the bytes decode under it without error; and finally chardetng's guess (the detector
//! Firefox uses), which tells Shift_JIS, EUC-JP, ISO-2022-JP, GBK/GB18030, Big5, EUC-KR,
//! windows-125x, KOI8 and ISO-8859-x apart by their byte statistics. Undecodable bytes become
//! U+FFFD; decoding never fails.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, ISO_2022_JP, UTF_8, UTF_16BE, UTF_16LE};

/// Text and the encoding it was decoded from (WHATWG name, e.g. `Shift_JIS`, `UTF-16LE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Bytes looked at for the UTF-16 pattern.
const UTF16_SNIFF_BYTES: usize = 4096;

pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return with(encoding, &bytes[bom..]);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return with(encoding, bytes);
    }
    // ISO-2022-JP is 7-bit, so valid UTF-8 too: its escape sequences give it away.
    if bytes.windows(3).any(|w| matches!(w, b"\x1b$B" | b"\x1b$@")) {
        return with(ISO_2022_JP, bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
        };
    }
    if let Some(encoding) = declared.filter(|e| *e != UTF_8) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            return Decoded {
                text: text.into_owned(),
                encoding: encoding.name(),
            };
        }
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    with(detector.guess(None, Utf8Detection::Allow), bytes)
}

/// The encoding a declared charset label names (`shift_jis`, `x-sjis`, `cp1251`, ...).
pub fn label(name: &str) -> Option<&'static Encoding> {
    Encoding::for_label(name.trim().as_bytes())
}

fn with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
    }
}

/// UTF-16 without a byte-order mark. Only looked for when the bytes hold a NUL (which text in
/// any 8-bit encoding never does). Mostly-ASCII text has its zeros on one side of each pair;
/// otherwise both byte orders are decoded; the right one gives characters
/// from a few 256-character blocks (the script's letters, ASCII spaces and digits; all of CJK
/// counted as one), the wrong one a spread over many blocks, control characters or unpaired
/// surrogates.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(UTF16_SNIFF_BYTES) & !1];
    if head.len() < 4 || !head.contains(&0) {
        return None;
    }
    // Mostly ASCII-range text: the zeros are all high bytes, on one side.
    let pairs = head.len() / 2;
    let zeros_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 4 && even == 0 {
        return Some(UTF_16LE);
    }
    if even * 10 >= pairs * 4 && odd == 0 {
        return Some(UTF_16BE);
    }
    let score = |encoding: &'static Encoding| {
        let (text, had_errors) = encoding.decode_without_bom_handling(head);
        if had_errors || super::looks_binary(&text) {
            return 0.0;
        }
        let mut blocks: Vec<(u32, usize)> = Vec::new();
        let mut total = 0usize;
        for c in text.chars() {
            total += 1;
            // Han, kana and Hangul count as one block: CJK text spans many.
            let block = match c as u32 {
                0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF => 0x30,
                other => other >> 8,
            };
            match blocks.iter_mut().find(|(b, _)| *b == block) {
                Some((_, n)) => *n += 1,
                None => blocks.push((block, 1)),
            }
        }
        blocks.sort_by_key(|b| std::cmp::Reverse(b.1));
        let top: usize = blocks.iter().take(3).map(|(_, n)| n).sum();
        top as f64 / total.max(1) as f64
    };
    let (le, be) = (score(UTF_16LE), score(UTF_16BE));
    if le >= 0.9 && le > be {
        Some(UTF_16LE)
    } else if be >= 0.9 && be > le {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn legacy_encodings_are_detected() {
        let cases: [(&'static Encoding, &str); 8] = [
            (
                encoding_rs::ISO_2022_JP,
                "シベリア抑留は、第二次世界大戦の終結後に起きた。",
            ),
            (
                encoding_rs::KOI8_R,
                "Японские военнопленные во Второй мировой войне были отправлены в лагеря Сибири.",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "シベリア抑留は、第二次世界大戦の終結後、ソ連によって日本人捕虜が労働力として移送された事件である。",
            ),
            (
                encoding_rs::EUC_JP,
                "シベリア抑留は、第二次世界大戦の終結後、ソ連によって日本人捕虜が労働力として移送された事件である。",
            ),
            (
                encoding_rs::GBK,
                "西伯利亚拘留是指第二次世界大战结束后，苏联将日本战俘作为劳动力转移到西伯利亚等地的事件。",
            ),
            (
                encoding_rs::BIG5,
                "西伯利亞拘留是指第二次世界大戰結束後，蘇聯將日本戰俘作為勞動力轉移到西伯利亞等地的事件。",
            ),
            (
                encoding_rs::WINDOWS_1251,
                "Японские военнопленные во Второй мировой войне были отправлены в лагеря Сибири.",
            ),
            (
                encoding_rs::EUC_KR,
                "시베리아 억류는 제2차 세계대전 종전 후 소련이 일본군 포로를 노동력으로 이송한 사건이다.",
            ),
        ];
        for (encoding, text) in cases {
            let decoded = decode(&encode(encoding, text), None);
            assert_eq!(decoded.text, text, "{}", encoding.name());
            // chardetng names KOI8-R text KOI8-U, its superset: the decoded text is the same.
            let expected = if encoding == encoding_rs::KOI8_R {
                "KOI8-U"
            } else {
                encoding.name()
            };
            assert_eq!(decoded.encoding, expected);
        }
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for text in [
            "Maizuru port, 1956",
            "Военнопленные в СССР, 1956",
            "舞鶴港 シベリア抑留 1956",
        ] {
            for little in [true, false] {
                let bare = utf16(text, little);
                assert_eq!(decode(&bare, None).text, text);
                let mut with_bom = if little {
                    vec![0xff, 0xfe]
                } else {
                    vec![0xfe, 0xff]
                };
                with_bom.extend(&bare);
                let decoded = decode(&with_bom, None);
                assert_eq!(decoded.text, text);
                assert_eq!(
                    decoded.encoding,
                    if little { "UTF-16LE" } else { "UTF-16BE" }
                );
            }
        }
        assert_eq!(utf16_without_bom(&[0, 1, 2, 3, 200, 0, 17, 99]), None);
    }

    #[test]
    fn a_declared_charset_is_verified_against_the_bytes() {
        let bytes = encode(encoding_rs::WINDOWS_1251, "Военнопленные в СССР");
        // Declared correctly: used.
        let d = decode(&bytes, label("cp1251"));
        assert_eq!(d.encoding, "windows-1251");
        // Declared as Shift_JIS, which these bytes are not valid in: detection decides.
        let d = decode(&bytes, label("shift_jis"));
        assert_eq!(d.text, "Военнопленные в СССР");
    }

    #[test]
    fn utf8_wins_over_a_wrong_declaration() {
        let d = decode("Otozō Yamada".as_bytes(), label("iso-8859-1"));
        assert_eq!(d.text, "Otozō Yamada");
        assert_eq!(d.encoding, "UTF-8");
    }
}
