//! A prepared file turned into the tantivy documents the schema describes (one per document of
//! the file: one for most formats, one per message of an mbox; all share the file's path, the
//! key that updates and deletes go by).
//!
//! Each passage is written to the stem field of its own language, so a Russian citation in an
//! English document is stemmed as Russian; passages in languages without a stemmer are covered
//! by `body` alone. Text with kana, Cyrillic or Greek also goes to `roman`.

use tantivy::TantivyDocument;

use super::prepare::{Prepared, PreparedDocument};
use crate::analysis::StemLang;
use crate::analysis::romanize::has_romanizable;
use crate::schema::Fields;

pub fn to_documents(
    prepared: &Prepared,
    fields: &Fields,
    ingested_at: i64,
) -> Vec<TantivyDocument> {
    prepared
        .documents
        .iter()
        .map(|part| to_document(prepared, part, fields, ingested_at))
        .collect()
}

fn to_document(
    prepared: &Prepared,
    part: &PreparedDocument,
    fields: &Fields,
    ingested_at: i64,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &prepared.file.key);
    doc.add_text(fields.title, &part.title);
    doc.add_text(fields.body, &part.text);
    let passages = by_language(part);
    for (code, text, _) in &passages {
        if let Some(stem) = StemLang::for_code(code) {
            doc.add_text(fields.stem(stem), text);
        }
    }
    if has_romanizable(&part.text) {
        doc.add_text(fields.roman, &part.text);
    }
    doc.add_text(fields.lang, &part.languages.main);
    for (code, _) in &part.languages.all {
        doc.add_text(fields.langs, code);
    }
    for (code, _, bytes) in &passages {
        doc.add_text(fields.lang_bytes, format!("{code}:{bytes}"));
    }
    doc.add_u64(fields.size, prepared.file.size);
    doc.add_i64(fields.mtime, prepared.file.mtime);
    doc.add_i64(fields.ingested, ingested_at);
    doc.add_text(fields.sha256, &prepared.sha256);
    doc.add_text(fields.format, prepared.format.name());
    let optional = [
        (fields.encoding, part.encoding),
        (fields.author, part.author.as_deref()),
        (fields.date, part.date.as_deref()),
        (fields.part, part.part.as_deref()),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    doc
}

/// Per language: the text of its passages joined by blank lines, and their bytes, in order of
/// first appearance.
fn by_language(part: &PreparedDocument) -> Vec<(&str, String, usize)> {
    let mut out: Vec<(&str, String, usize)> = Vec::new();
    for passage in &part.languages.passages {
        let text = &part.text[passage.start..passage.end];
        match out.iter_mut().find(|(code, ..)| *code == passage.lang) {
            Some((_, buffer, bytes)) => {
                buffer.push_str("\n\n");
                buffer.push_str(text);
                *bytes += text.len();
            }
            None => out.push((&passage.lang, text.to_string(), text.len())),
        }
    }
    out
}
