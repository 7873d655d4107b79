//! Office and e-book formats built on ZIP and XML: DOCX (Word), ODT (OpenDocument) and EPUB.
//!
//! Each reads its body XML with [`super::xml::walk`] under the format's own rules (paragraph
//! elements, tabs, deleted text and field codes dropped) and its metadata from the package's
//! metadata file. Entries are read through [`super::zipped`], which bounds what they expand to.

use super::xml::{Rules, walk};
use super::zipped::Zipped;
use super::{Extracted, Rejection, html};

const DOCX_BODY: Rules = Rules {
    breaks: &["p", "tr"],
    skip: &["instrText", "delText", "fldData"],
    spaces: &["tab"],
    line_breaks: &["br", "cr"],
    capture: &[],
    separate_siblings: false,
};

pub(super) const ODT_BODY: Rules = Rules {
    breaks: &["p", "h", "list-item", "table-row"],
    skip: &["tracked-changes", "annotation"],
    spaces: &["tab", "s"],
    line_breaks: &["line-break"],
    capture: &[],
    separate_siblings: false,
};

/// Dublin Core and OpenDocument metadata (docProps/core.xml, meta.xml, an EPUB's OPF).
const METADATA: Rules = Rules {
    breaks: &[],
    skip: &[],
    spaces: &[],
    line_breaks: &[],
    capture: &[
        "title",
        "creator",
        "initial-creator",
        "created",
        "creation-date",
        "date",
    ],
    separate_siblings: false,
};

pub fn extract_docx(bytes: &[u8]) -> Result<Extracted, Rejection> {
    package(
        bytes,
        "DOCX",
        ("word/document.xml", &DOCX_BODY),
        "docProps/core.xml",
    )
}

pub fn extract_odt(bytes: &[u8]) -> Result<Extracted, Rejection> {
    package(bytes, "ODT", ("content.xml", &ODT_BODY), "meta.xml")
}

/// A ZIP package with one body XML entry, read under `rules`, and an optional metadata entry.
pub(super) fn package(
    bytes: &[u8],
    kind: &'static str,
    body: (&str, &Rules),
    meta_entry: &str,
) -> Result<Extracted, Rejection> {
    package_with_body(bytes, kind, body, meta_entry).map(|(doc, _)| doc)
}

/// [`package`], with the body XML it was read from, for what else a format takes from it.
pub(super) fn package_with_body(
    bytes: &[u8],
    kind: &'static str,
    (body_entry, rules): (&str, &Rules),
    meta_entry: &str,
) -> Result<(Extracted, String), Rejection> {
    let mut zip = Zipped::open(bytes, kind)?;
    let body = zip.required(body_entry)?;
    let text = walk(&body, rules).map_err(|e| Rejection::Fail(format!("corrupt {kind}: {e}")))?;
    let mut doc = Extracted {
        text: text.text,
        ..Extracted::default()
    };
    if let Some(meta) = zip.text(meta_entry)? {
        metadata(&meta, &mut doc);
    }
    Ok((doc, body))
}

/// EPUB: the chapters in spine order, from the package document that `container.xml` names.
pub fn extract_epub(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let mut zip = Zipped::open(bytes, "EPUB")?;
    let container = zip.required("META-INF/container.xml")?;
    let opf_path = attribute_values(&container, "full-path")
        .into_iter()
        .next()
        .ok_or_else(|| Rejection::Fail("corrupt EPUB: container.xml names no package".into()))?;
    let opf = zip.required(&opf_path)?;
    let base = opf_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut doc = Extracted::default();
    metadata(&opf, &mut doc);
    let manifest = manifest(&opf);
    let mut text = String::new();
    for idref in attribute_values(&opf, "idref") {
        let Some(href) = manifest.iter().find(|(id, _)| *id == idref).map(|(_, h)| h) else {
            continue;
        };
        let path = if base.is_empty() {
            href.clone()
        } else {
            format!("{base}/{href}")
        };
        if let Some(chapter) = zip.text(&percent_decode(&path))? {
            text.push_str(&html::from_text(&chapter).text);
            text.push_str("\n\n");
        }
    }
    doc.text = text;
    Ok(doc)
}

pub(super) fn metadata(xml: &str, doc: &mut Extracted) {
    // Metadata that does not parse is left out; the body is what matters.
    let Ok(mut meta) = walk(xml, &METADATA).map(|m| m.captured) else {
        return;
    };
    doc.title = meta.remove("title");
    doc.author = meta
        .remove("creator")
        .or_else(|| meta.remove("initial-creator"));
    doc.date = meta
        .remove("created")
        .or_else(|| meta.remove("creation-date"))
        .or_else(|| meta.remove("date"));
}

/// Values of attribute `name` anywhere in `xml`, in document order (a tolerant scan: package
/// files are small and their attribute syntax simple).
pub(super) fn attribute_values(xml: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let needle = format!(" {name}=");
    let mut rest = xml;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let value = &rest[1..];
        if let Some(end) = value.find(quote) {
            out.push(value[..end].to_string());
        }
    }
    out
}

/// The document of an OOXML package's `text`, with the title, author and date of its
/// `docProps/core.xml`.
pub(super) fn ooxml_document(zip: &mut Zipped, text: String) -> Result<Extracted, Rejection> {
    let mut doc = Extracted {
        text,
        ..Extracted::default()
    };
    if let Some(meta) = zip.text("docProps/core.xml")? {
        metadata(&meta, &mut doc);
    }
    Ok(doc)
}

pub(super) fn corrupt(kind: &str, why: &str) -> Rejection {
    Rejection::Fail(format!("corrupt {kind}: {why}"))
}

/// The entries `{prefix}N{suffix}`, by N: `sheet2` before `sheet10`.
pub(super) fn numbered(names: &[String], prefix: &str, suffix: &str) -> Vec<String> {
    let mut found: Vec<(u32, String)> = names
        .iter()
        .filter_map(|name| {
            let n = name
                .strip_prefix(prefix)?
                .strip_suffix(suffix)?
                .parse()
                .ok()?;
            Some((n, name.clone()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, name)| name).collect()
}

/// The manifest of an OPF package: (id, href) of each item.
fn manifest(opf: &str) -> Vec<(String, String)> {
    opf.split("<item ")
        .skip(1)
        .filter_map(|item| {
            let item = &item[..item.find('>').unwrap_or(item.len())];
            let item = format!(" {item}");
            let id = attribute_values(&item, "id").into_iter().next()?;
            let href = attribute_values(&item, "href").into_iter().next()?;
            Some((id, href))
        })
        .collect()
}

/// `%20` and friends in EPUB hrefs.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_manifest() {
        let opf = r#"<manifest><item id="c1" href="ch%201.xhtml" media-type="application/xhtml+xml"/>
            <item href="c2.xhtml" id="c2"/></manifest><spine><itemref idref="c2"/><itemref idref="c1"/></spine>"#;
        assert_eq!(attribute_values(opf, "idref"), ["c2", "c1"]);
        assert_eq!(
            manifest(opf),
            [
                ("c1".to_string(), "ch%201.xhtml".to_string()),
                ("c2".to_string(), "c2.xhtml".to_string())
            ]
        );
        assert_eq!(percent_decode("ch%201.xhtml"), "ch 1.xhtml");
    }

    #[test]
    fn not_a_zip_fails() {
        assert!(matches!(
            extract_docx(b"PK\x03\x04junk"),
            Err(Rejection::Fail(_))
        ));
        assert!(matches!(extract_odt(b"hello"), Err(Rejection::Fail(_))));
    }
}
