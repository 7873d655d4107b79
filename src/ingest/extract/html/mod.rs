//! HTML and XHTML: the visible text, without scripts, styles and navigation.
//!
//! The charset comes from the document's own declaration (`<meta charset>`, the
//! `http-equiv` form, or an XML declaration) when the bytes decode under it without error, and
//! from detection otherwise (see [`super::decode`]). The title is `<title>`, else the first
//! `<h1>`; author and date come from the usual `<meta>` names. Block elements end lines so
//! paragraphs stay apart for language detection and snippets. Nesting deeper than browsers
//! allow is flattened first ([`depth`]), or the tree builder's time grows with its square.

mod depth;

use scraper::{Html, Node};

use super::decode::{decode, label};
use super::{Extracted, Rejection};

/// Elements whose content is never text a reader sees.
const HIDDEN: [&str; 8] = [
    "script", "style", "nav", "noscript", "template", "head", "svg", "button",
];

/// Elements that begin and end a line.
const BLOCKS: [&str; 27] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "aside",
    "blockquote",
    "pre",
    "header",
    "footer",
    "figure",
    "figcaption",
    "hr",
];

pub fn extract(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let decoded = decode(bytes, declared_charset(bytes).and_then(|c| label(&c)));
    let mut doc = from_text(&decoded.text);
    doc.encoding = Some(decoded.encoding);
    Ok(doc)
}

/// The text and metadata of an already decoded HTML document (EPUB chapters use this too).
pub fn from_text(html: &str) -> Extracted {
    let document = Html::parse_document(&depth::bounded(html));
    let mut text = String::new();
    let mut title = None;
    let mut first_h1 = None;
    let mut author = None;
    let mut date = None;
    // Depth inside a hidden element, and the heading/title being collected.
    let mut hidden = 0usize;
    let mut collecting: Option<(&str, String)> = None;
    for edge in document.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if name == "meta" {
                        let content = element.attr("content").map(str::to_string);
                        match element.attr("name").map(str::to_ascii_lowercase).as_deref() {
                            Some("author" | "dc.creator" | "dcterms.creator") => {
                                author = author.or(content)
                            }
                            Some("date" | "dc.date" | "dcterms.date" | "dcterms.created") => {
                                date = date.or(content)
                            }
                            _ => {}
                        }
                    }
                    if name == "title" && title.is_none() {
                        collecting = Some(("title", String::new()));
                    } else if name == "h1" && first_h1.is_none() && collecting.is_none() {
                        collecting = Some(("h1", String::new()));
                    }
                    if HIDDEN.contains(&name) || element.attr("role") == Some("navigation") {
                        hidden += 1;
                    } else if BLOCKS.contains(&name) {
                        text.push('\n');
                    }
                }
                Node::Text(t) => {
                    if let Some((_, buffer)) = &mut collecting {
                        buffer.push_str(t);
                    }
                    if hidden == 0 {
                        text.push_str(t);
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if let Some((wanted, buffer)) = &collecting
                        && *wanted == name
                    {
                        let found = Some(buffer.trim().to_string()).filter(|s| !s.is_empty());
                        if name == "title" {
                            title = found;
                        } else {
                            first_h1 = found;
                        }
                        collecting = None;
                    }
                    if HIDDEN.contains(&name) || element.attr("role") == Some("navigation") {
                        hidden = hidden.saturating_sub(1);
                    } else if BLOCKS.contains(&name) {
                        text.push('\n');
                    }
                }
            }
        }
    }
    Extracted {
        text,
        title: title.or(first_h1),
        author,
        date,
        ..Extracted::default()
    }
}

/// The charset a document declares in its first kilobytes, if any.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head
        .find("charset")
        .map(|i| i + "charset".len())
        .or_else(|| {
            head.find("<?xml")
                .and_then(|x| head[x..].find("encoding").map(|i| x + i + "encoding".len()))
        })?;
    let rest = head[at..].trim_start().strip_prefix('=')?;
    let value: String = rest
        .trim_start()
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_title_and_metadata() -> Result<(), Rejection> {
        let html = r#"<!DOCTYPE html><html><head><title>Maizuru 1956</title>
            <meta name="author" content="K. Sato"><style>p { color: red }</style>
            <script>var hidden = "Nakhodka";</script></head>
            <body><nav><a href="/">Home</a> <a href="/x">Archive</a></nav>
            <h1>Return</h1><p>The last ship reached <b>Maizuru</b>.</p><p>Second</p></body></html>"#;
        let e = extract(html.as_bytes())?;
        assert_eq!(e.title.as_deref(), Some("Maizuru 1956"));
        assert_eq!(e.author.as_deref(), Some("K. Sato"));
        assert!(e.text.contains("The last ship reached Maizuru."));
        assert!(e.text.contains("Return\n"));
        for hidden in ["Nakhodka", "color", "Home", "Archive"] {
            assert!(!e.text.contains(hidden), "{hidden} in {:?}", e.text);
        }
        Ok(())
    }

    #[test]
    fn h1_is_the_title_when_there_is_no_title() -> Result<(), Rejection> {
        let e = extract(b"<html><body><h1>Kwantung Army</h1><p>text</p></body></html>")?;
        assert_eq!(e.title.as_deref(), Some("Kwantung Army"));
        Ok(())
    }

    #[test]
    fn declared_charset_is_used_when_the_bytes_agree() -> Result<(), Rejection> {
        let body = "<html><head><meta charset=\"shift_jis\"><title>舞鶴</title></head><body>引揚</body></html>";
        let bytes = encoding_rs::SHIFT_JIS.encode(body).0.into_owned();
        let e = extract(&bytes)?;
        assert_eq!(e.title.as_deref(), Some("舞鶴"));
        assert_eq!(e.encoding, Some("Shift_JIS"));
        assert_eq!(
            declared_charset(b"<meta http-equiv=Content-Type content='text/html; charset=KOI8-R'>"),
            Some("koi8-r".to_string())
        );
        Ok(())
    }
}
