//! A prepared file turned into the tantivy documents the schema describes (one per document of
//! the file: one for most formats, one per message of an mbox; all share the file's path, the
//! key that updates and deletes go by).
//!
//! Each passage is written to the stem field of its own language, so a Russian citation in an
//! English document is stemmed as Russian; passages in languages without a stemmer (or of no
//! language) go to `nostem`, which holds their folded words without CJK. Text with kana,
//! Cyrillic or Greek also goes to `roman`.

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
        match StemLang::for_code(code) {
            Some(stem) => doc.add_text(fields.stem(stem), text),
            None => doc.add_text(fields.nostem, text),
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
    if let Some(ext) = prepared.file.path.extension() {
        doc.add_text(fields.ext, ext.to_string_lossy().to_lowercase());
    }
    for year in years(&part.text) {
        doc.add_u64(fields.years, year);
    }
    doc.add_text(fields.folder, &prepared.file.folder);
    doc
}

/// Years written in the text: four digits from 1000 to 2099 standing alone (not inside a longer
/// number or word), each once.
fn years(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut out: Vec<u64> = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let window = &bytes[i..i + 4];
        let alone_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let alone_after = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_alphanumeric());
        if window.iter().all(u8::is_ascii_digit) && alone_before && alone_after {
            let year = window
                .iter()
                .fold(0u64, |y, d| y * 10 + u64::from(d - b'0'));
            if (1000..=2099).contains(&year) && !out.contains(&year) {
                out.push(year);
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    out.sort_unstable();
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_stand_alone() {
        assert_eq!(
            years("In 1945, and 1956-1958; not 12345, x1946 or 0999. Again 1945."),
            [1945, 1956, 1958]
        );
    }
}
