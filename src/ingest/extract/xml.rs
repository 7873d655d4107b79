//! Generic XML (TEI, DocBook, exports of all kinds), and the XML text walker the office formats
//! share.
//!
//! The text is every text node, with a line break after each element that [`Rules::breaks`]
//! names (paragraphs) and nothing from elements [`Rules::skip`] names (deleted text, field codes).
//! Malformed XML fails with the byte position of the problem. The encoding comes from the XML
//! declaration when the bytes agree with it (see [`super::decode`]).

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::decode::{decode, label};
use super::{Extracted, Rejection};

/// How a document type's XML turns into text. Names are local names (no namespace prefix).
pub struct Rules {
    /// Elements that end a paragraph.
    pub breaks: &'static [&'static str],
    /// Elements whose content is dropped.
    pub skip: &'static [&'static str],
    /// Empty elements that stand for whitespace (a tab, a space) or a line break.
    pub spaces: &'static [&'static str],
    pub line_breaks: &'static [&'static str],
    /// Elements whose first text is kept as metadata (e.g. `title`, `creator`).
    pub capture: &'static [&'static str],
}

/// Text of an XML document and the captured metadata, by local name.
#[derive(Debug, Default)]
pub struct XmlText {
    pub text: String,
    pub captured: HashMap<String, String>,
}

const GENERIC: Rules = Rules {
    breaks: &[
        "p", "para", "div", "head", "title", "l", "lg", "item", "li", "section", "note", "row",
        "entry", "line", "seg",
    ],
    skip: &[],
    spaces: &[],
    line_breaks: &["lb", "br"],
    capture: &["title", "author", "creator", "date"],
};

pub fn extract(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let decoded = decode(bytes, declared_encoding(bytes).and_then(|e| label(&e)));
    let walked = walk(&decoded.text, &GENERIC).map_err(Rejection::Fail)?;
    let mut captured = walked.captured;
    Ok(Extracted {
        text: walked.text,
        title: captured.remove("title"),
        author: captured
            .remove("author")
            .or_else(|| captured.remove("creator")),
        date: captured.remove("date"),
        encoding: Some(decoded.encoding),
        ..Extracted::default()
    })
}

/// Walks `xml` under `rules`; the error names the byte position of malformed XML.
pub fn walk(xml: &str, rules: &Rules) -> Result<XmlText, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = XmlText::default();
    let mut skipping = 0usize;
    let mut capturing: Option<(String, String)> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let name = local(e.local_name().as_ref());
                if rules.skip.contains(&name.as_str()) {
                    skipping += 1;
                } else if capturing.is_none()
                    && rules.capture.contains(&name.as_str())
                    && !out.captured.contains_key(&name)
                {
                    capturing = Some((name, String::new()));
                }
            }
            Event::Empty(e) => {
                let name = local(e.local_name().as_ref());
                if rules.spaces.contains(&name.as_str()) {
                    out.text.push(' ');
                } else if rules.line_breaks.contains(&name.as_str())
                    || rules.breaks.contains(&name.as_str())
                {
                    out.text.push('\n');
                }
            }
            Event::End(e) => {
                let name = local(e.local_name().as_ref());
                if rules.skip.contains(&name.as_str()) {
                    skipping = skipping.saturating_sub(1);
                } else if rules.breaks.contains(&name.as_str()) {
                    out.text.push('\n');
                }
                if capturing
                    .as_ref()
                    .is_some_and(|(wanted, _)| *wanted == name)
                    && let Some((name, value)) = capturing.take()
                {
                    let value = value.trim().to_string();
                    if !value.is_empty() {
                        out.captured.insert(name, value);
                    }
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                push(&mut out, &mut capturing, skipping, &content);
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                push(&mut out, &mut capturing, skipping, &content);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        "nbsp" => Some('\u{a0}'),
                        _ => None,
                    },
                };
                if let Some(c) = resolved {
                    push(
                        &mut out,
                        &mut capturing,
                        skipping,
                        c.encode_utf8(&mut [0; 4]),
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn push(out: &mut XmlText, capturing: &mut Option<(String, String)>, skipping: usize, s: &str) {
    if skipping > 0 {
        return;
    }
    out.text.push_str(s);
    if let Some((_, value)) = capturing {
        value.push_str(s);
    }
}

fn local(name: &str) -> String {
    name.to_string()
}

/// The encoding named in an XML declaration.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
    let decl = &head[head.find("<?xml")?..];
    let decl = &decl[..decl.find("?>")?];
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_metadata_and_entities() -> Result<(), Rejection> {
        let xml = r#"<?xml version="1.0"?><TEI><teiHeader><title>Letters &amp; diaries</title>
            <author>K. Sato</author></teiHeader><text><p>From Nakhodka&#x2c; 1947</p>
            <p><![CDATA[to Maizuru]]></p></text></TEI>"#;
        let e = extract(xml.as_bytes())?;
        assert_eq!(e.title.as_deref(), Some("Letters & diaries"));
        assert_eq!(e.author.as_deref(), Some("K. Sato"));
        assert!(e.text.contains("From Nakhodka, 1947\n"), "{:?}", e.text);
        assert!(e.text.contains("to Maizuru"));
        Ok(())
    }

    #[test]
    fn malformed_xml_fails_with_a_position() {
        let Err(Rejection::Fail(reason)) = extract(b"<a><b>text</a>") else {
            panic!("malformed XML must fail");
        };
        assert!(reason.contains("malformed XML at byte"), "{reason}");
    }

    #[test]
    fn declared_encoding_is_read() {
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding='EUC-JP'?><a/>").as_deref(),
            Some("EUC-JP")
        );
    }
}
