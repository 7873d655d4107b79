//! A prepared file turned into the tantivy document the schema describes.

use tantivy::TantivyDocument;

use super::prepare::Prepared;
use crate::analysis::StemLang;
use crate::schema::Fields;

pub fn to_document(prepared: &Prepared, fields: &Fields, ingested_at: i64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &prepared.file.key);
    doc.add_text(fields.title, &prepared.title);
    doc.add_text(fields.body, &prepared.text);
    if let Some(stem) = StemLang::for_code(&prepared.languages.main) {
        doc.add_text(fields.stem(stem), &prepared.text);
    }
    doc.add_text(fields.lang, &prepared.languages.main);
    for (code, _) in &prepared.languages.all {
        doc.add_text(fields.langs, code);
    }
    doc.add_u64(fields.size, prepared.file.size);
    doc.add_i64(fields.mtime, prepared.file.mtime);
    doc.add_i64(fields.ingested, ingested_at);
    doc.add_text(fields.sha256, &prepared.sha256);
    doc
}
