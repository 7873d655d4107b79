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
    /// An element that starts right after another ended starts a new word: the fields of a
    /// data export (`<ship>Koan Maru</ship><port>Maizuru</port>`) are words of their own.
    /// Not for word processors, whose runs split words anywhere.
    pub separate_siblings: bool,
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
    separate_siblings: true,
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
    let mut walk = Walk::new(rules);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        if event == Event::Eof {
            return Ok(walk.out);
        }
        walk.event(event);
    }
}

/// The text of XML events as they come, under `rules`.
pub struct Walk<'r> {
    rules: &'r Rules,
    pub out: XmlText,
    skipping: usize,
    capturing: Option<(String, String)>,
    /// The last event ended an element.
    after_end: bool,
}

impl<'r> Walk<'r> {
    pub fn new(rules: &'r Rules) -> Walk<'r> {
        Walk {
            rules,
            out: XmlText::default(),
            skipping: 0,
            capturing: None,
            after_end: false,
        }
    }

    pub fn event(&mut self, event: Event<'_>) {
        let rules = self.rules;
        let after_end = std::mem::replace(&mut self.after_end, matches!(event, Event::End(_)));
        if rules.separate_siblings
            && after_end
            && matches!(event, Event::Start(_) | Event::Empty(_))
            && !self.out.text.ends_with(char::is_whitespace)
            && !self.out.text.is_empty()
        {
            self.push(" ");
        }
        match event {
            Event::Start(e) => {
                let name = local(e.local_name().as_ref());
                if rules.skip.contains(&name.as_str()) {
                    self.skipping += 1;
                } else if self.capturing.is_none()
                    && rules.capture.contains(&name.as_str())
                    && !self.out.captured.contains_key(&name)
                {
                    self.capturing = Some((name, String::new()));
                }
            }
            Event::Empty(e) => {
                let name = local(e.local_name().as_ref());
                if rules.spaces.contains(&name.as_str()) {
                    self.out.text.push(' ');
                } else if rules.line_breaks.contains(&name.as_str())
                    || rules.breaks.contains(&name.as_str())
                {
                    self.out.text.push('\n');
                }
            }
            Event::End(e) => {
                let name = local(e.local_name().as_ref());
                if rules.skip.contains(&name.as_str()) {
                    self.skipping = self.skipping.saturating_sub(1);
                } else if rules.breaks.contains(&name.as_str()) {
                    self.out.text.push('\n');
                }
                if self
                    .capturing
                    .as_ref()
                    .is_some_and(|(wanted, _)| *wanted == name)
                    && let Some((name, value)) = self.capturing.take()
                {
                    let value = value.trim().to_string();
                    if !value.is_empty() {
                        self.out.captured.insert(name, value);
                    }
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                self.push(&content);
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                self.push(&content);
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
                    self.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, s: &str) {
        push(&mut self.out, &mut self.capturing, self.skipping, s);
    }
}

/// A large XML file read as it streams from disk, its text handed out a part at a time (see
/// `ingest::pieces`): read whole, its text and tree would be held several times over.
pub struct Stream {
    reader: Reader<std::io::BufReader<std::io::Take<std::fs::File>>>,
    buffer: Vec<u8>,
    walk: Walk<'static>,
    done: bool,
}

impl Stream {
    /// The XML file at `path`, no further than `size` bytes.
    pub fn open(path: &std::path::Path, size: u64) -> std::io::Result<Stream> {
        use std::io::Read;
        let file = std::fs::File::open(path)?.take(size);
        Ok(Stream {
            reader: Reader::from_reader(std::io::BufReader::with_capacity(1 << 20, file)),
            buffer: Vec::new(),
            walk: Walk::new(&GENERIC),
            done: false,
        })
    }

    /// The text of the next elements, at least `bytes` of it unless the file ends (then
    /// `true`), cut where an element ends; with where in the file it stops.
    pub fn next_text(&mut self, bytes: usize) -> Result<(String, u64, bool), String> {
        if self.done {
            return Ok((String::new(), self.reader.buffer_position(), true));
        }
        loop {
            self.buffer.clear();
            let event = self.reader.read_event_into(&mut self.buffer).map_err(|e| {
                format!(
                    "malformed XML at byte {}: {e}",
                    self.reader.error_position()
                )
            })?;
            let ended = matches!(event, Event::End(_));
            if event == Event::Eof {
                self.done = true;
                let text = std::mem::take(&mut self.walk.out.text);
                return Ok((text, self.reader.buffer_position(), true));
            }
            self.walk.event(event);
            if ended && self.walk.out.text.len() >= bytes {
                let text = std::mem::take(&mut self.walk.out.text);
                return Ok((text, self.reader.buffer_position(), false));
            }
        }
    }
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
pub fn declared_encoding(bytes: &[u8]) -> Option<String> {
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
    fn fields_of_an_export_are_words_and_inline_markup_is_not_a_break() -> Result<(), Rejection> {
        let xml = b"<r><ship>Koan Maru</ship><port>Maizuru</port><y>19<hi>th</hi> century</y></r>";
        let e = extract(xml)?;
        assert_eq!(e.text, "Koan Maru Maizuru 19th century");
        Ok(())
    }

    #[test]
    fn a_stream_gives_the_same_text_in_parts_cut_where_elements_end() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.xml");
        let xml = format!("<r>{}</r>", "<p>Koan Maru at Maizuru</p>".repeat(1000));
        std::fs::write(&path, &xml).expect("write");
        let mut stream = Stream::open(&path, xml.len() as u64).expect("open");
        let (mut text, mut parts) = (String::new(), 0);
        loop {
            let (part, _, last) = stream.next_text(1000).expect("part");
            text.push_str(&part);
            parts += 1;
            if last {
                break;
            }
        }
        assert!(parts > 10, "{parts}");
        assert_eq!(text, walk(&xml, &GENERIC).expect("walk").text);
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
