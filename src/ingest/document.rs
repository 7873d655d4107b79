//! A prepared file turned into the tantivy document the schema describes.
//!
//! Each passage is written to the stem field of its own language, so a Russian citation in an
//! English document is stemmed as Russian; passages in languages without a stemmer are covered
//! by `body` alone.

use tantivy::TantivyDocument;

use super::prepare::Prepared;
use crate::analysis::StemLang;
use crate::analysis::romanize::has_romanizable;
use crate::schema::Fields;

pub fn to_document(prepared: &Prepared, fields: &Fields, ingested_at: i64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &prepared.file.key);
    doc.add_text(fields.title, &prepared.title);
    doc.add_text(fields.body, &prepared.text);
    for (stem, text) in stem_texts(prepared) {
        doc.add_text(fields.stem(stem), text);
    }
    if has_romanizable(&prepared.text) {
        doc.add_text(fields.roman, &prepared.text);
    }
    doc.add_text(fields.lang, &prepared.languages.main);
    for (code, _) in &prepared.languages.all {
        doc.add_text(fields.langs, code);
    }
    for (code, bytes) in bytes_by_language(prepared) {
        doc.add_text(fields.lang_bytes, format!("{code}:{bytes}"));
    }
    doc.add_u64(fields.size, prepared.file.size);
    doc.add_i64(fields.mtime, prepared.file.mtime);
    doc.add_i64(fields.ingested, ingested_at);
    doc.add_text(fields.sha256, &prepared.sha256);
    doc
}

/// The text of the passages of each stemmer language, joined by blank lines.
fn stem_texts(prepared: &Prepared) -> Vec<(StemLang, String)> {
    let mut out: Vec<(StemLang, String)> = Vec::new();
    for passage in &prepared.languages.passages {
        let Some(stem) = StemLang::for_code(&passage.lang) else {
            continue;
        };
        let text = &prepared.text[passage.start..passage.end];
        match out.iter_mut().find(|(l, _)| *l == stem) {
            Some((_, buffer)) => {
                buffer.push_str("\n\n");
                buffer.push_str(text);
            }
            None => out.push((stem, text.to_string())),
        }
    }
    out
}

/// Bytes of text in each language, from the passages.
fn bytes_by_language(prepared: &Prepared) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for passage in &prepared.languages.passages {
        let bytes = passage.end - passage.start;
        match out.iter_mut().find(|(code, _)| *code == passage.lang) {
            Some((_, total)) => *total += bytes,
            None => out.push((&passage.lang, bytes)),
        }
    }
    out
}
