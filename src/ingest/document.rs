//! A prepared file turned into the tantivy documents the schema describes (one per document of
//! the file: one for most formats, one per message of an mbox; all share the file's path, the
//! key that updates and deletes go by).
//!
//! Each passage is written to the stem field of its own language, so a Russian citation in an
//! English document is stemmed as Russian; passages in languages without a stemmer (or of no
//! language) go to `nostem`, which holds their folded words without CJK. Text with kana,
//! Cyrillic or Greek also goes to `roman`.

use std::borrow::Cow;

use tantivy::TantivyDocument;

use super::prepare::{Prepared, PreparedDocument};
use crate::analysis::StemLang;
use crate::analysis::romanize::has_romanizable;
use crate::schema::{Fields, stored_part};

/// The documents of a prepared file. Each document's text is taken out of `prepared` once it is
/// copied into the tantivy document, so a 40 MB text is not held twice while it is indexed.
pub fn to_documents(
    prepared: &mut Prepared,
    fields: &Fields,
    ingested_at: i64,
) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(prepared.documents.len());
    for i in 0..prepared.documents.len() {
        docs.push(to_document(
            prepared,
            &prepared.documents[i],
            fields,
            ingested_at,
        ));
        prepared.documents[i].text = String::new();
    }
    docs
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
    doc.add_text(fields.text, stored_part(&part.text));
    let passages = by_language(part);
    for (code, text, _) in &passages {
        match StemLang::for_code(code) {
            Some(stem) => doc.add_text(fields.stem(stem), text),
            None => doc.add_text(fields.nostem, text),
        }
    }
    let romanizable = romanizable_lines(&part.text);
    if !romanizable.is_empty() {
        doc.add_text(fields.roman, &romanizable);
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
/// first appearance. A document whose passages are all in one language and cover it lends its
/// whole text instead of a copy.
fn by_language(part: &PreparedDocument) -> Vec<(&str, Cow<'_, str>, usize)> {
    let passages = &part.languages.passages;
    let contiguous = passages.first().is_some_and(|p| p.start == 0)
        && passages.last().is_some_and(|p| p.end == part.text.len())
        && passages.windows(2).all(|w| w[0].end == w[1].start);
    if let Some(first) = passages.first()
        && contiguous
        && passages.iter().all(|p| p.lang == first.lang)
    {
        let bytes = passages.iter().map(|p| p.end - p.start).sum();
        return vec![(
            first.lang.as_str(),
            Cow::Borrowed(part.text.as_str()),
            bytes,
        )];
    }
    let mut out: Vec<(&str, Cow<'_, str>, usize)> = Vec::new();
    for passage in passages {
        let text = &part.text[passage.start..passage.end];
        match out.iter_mut().find(|(code, ..)| *code == passage.lang) {
            Some((_, buffer, bytes)) => {
                let buffer = buffer.to_mut();
                buffer.push_str("\n\n");
                buffer.push_str(text);
                *bytes += text.len();
            }
            None => out.push((&passage.lang, Cow::Owned(text.to_string()), text.len())),
        }
    }
    out
}

/// The lines of `text` with kana, Cyrillic or Greek in them, for the `roman` field: its
/// analyzer skips every other word, so a long Latin-script document with a few Greek
/// etymologies (a 40 MB dictionary) does not copy and scan its whole text a second time.
fn romanizable_lines(text: &str) -> String {
    if !has_romanizable(text) {
        return String::new();
    }
    let lines: Vec<&str> = text.lines().filter(|l| has_romanizable(l)).collect();
    if lines.len() * 2 > text.lines().count() {
        return text.to_string();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lines_with_kana_cyrillic_or_greek_are_romanized() {
        let text = "abandon (v.) [OF. abandoner]\nabacus [L., fr. Gr. ἄβαξ]\nabaft\naback\n";
        assert_eq!(romanizable_lines(text), "abacus [L., fr. Gr. ἄβαξ]");
        assert_eq!(romanizable_lines("plain Latin text"), "");
        // Mostly romanizable: the whole text, as it is.
        assert_eq!(
            romanizable_lines("シベリア\nМосква\nok"),
            "シベリア\nМосква\nok"
        );
        // Kanji is not romanized.
        assert_eq!(romanizable_lines("シベリア\n抑留\nok"), "シベリア");
    }

    #[test]
    fn stored_text_is_cut_at_a_character() {
        use crate::schema::STORED_TEXT_BYTES;
        let text = "é".repeat(STORED_TEXT_BYTES);
        let stored = stored_part(&text);
        assert!(stored.len() <= STORED_TEXT_BYTES && stored.len() > STORED_TEXT_BYTES - 2);
        assert_eq!(stored_part("short"), "short");
    }

    #[test]
    fn years_stand_alone() {
        assert_eq!(
            years("In 1945, and 1956-1958; not 12345, x1946 or 0999. Again 1945."),
            [1945, 1956, 1958]
        );
    }
}
