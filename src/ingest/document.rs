//! A file read and extracted, turned into the tantivy documents the schema describes (one per
//! document of the file: one for most formats, one per message of an mbox; all share the
//! file's path, the key that updates and deletes go by).
//!
//! Each passage is written to the stem field of its own language, so a Russian citation in an
//! English document is stemmed as Russian; passages in languages without a stemmer (or of no
//! language) go to `nostem`, which holds their folded words without CJK. Text with kana,
//! Cyrillic or Greek also goes to `roman`.
//!
//! A document holds its text once: `body`, the stored `text`, the passages of each stem field
//! and `roman` are slices of it. tantivy indexes any [`Document`] through its values without
//! copying it, where a `TantivyDocument` owns a copy of the text for every field it is in: a
//! 40 MB text was held three times while it waited in tantivy's queue.

use crate::entities::Kind;
use std::ops::Range;

use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::{Document, Field};

use super::read::{ReadDocument, ReadFile};
use crate::analysis::StemLang;
use crate::analysis::romanize::has_romanizable;
use crate::schema::{Fields, stored_part};

/// One document for the writer: the text, and every field's values, some of them slices of it.
#[derive(Debug)]
pub struct IndexDoc {
    text: String,
    values: Vec<(Field, Kept)>,
}

/// A value as the document keeps it.
#[derive(Debug)]
enum Kept {
    /// A slice of the document's text.
    Text(Range<usize>),
    Owned(String),
    U64(u64),
    I64(i64),
    F64(f64),
}

/// A value as tantivy reads it: a leaf borrowed from an [`IndexDoc`].
#[derive(Debug, Clone, Copy)]
pub enum DocValue<'a> {
    Str(&'a str),
    U64(u64),
    I64(i64),
    F64(f64),
}

impl<'a> Value<'a> for DocValue<'a> {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match *self {
            DocValue::Str(s) => ReferenceValueLeaf::Str(s),
            DocValue::U64(n) => ReferenceValueLeaf::U64(n),
            DocValue::I64(n) => ReferenceValueLeaf::I64(n),
            DocValue::F64(n) => ReferenceValueLeaf::F64(n),
        })
    }
}

/// The fields and values of an [`IndexDoc`], in the order they were added.
pub struct DocValues<'a> {
    doc: &'a IndexDoc,
    values: std::slice::Iter<'a, (Field, Kept)>,
}

impl<'a> Iterator for DocValues<'a> {
    type Item = (Field, DocValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (field, kept) = self.values.next()?;
        let value = match kept {
            // Ranges come from passages and `stored_part`, always on character boundaries.
            Kept::Text(range) => DocValue::Str(self.doc.text.get(range.clone()).unwrap_or("")),
            Kept::Owned(s) => DocValue::Str(s),
            Kept::U64(n) => DocValue::U64(*n),
            Kept::I64(n) => DocValue::I64(*n),
            Kept::F64(n) => DocValue::F64(*n),
        };
        Some((*field, value))
    }
}

impl Document for IndexDoc {
    type Value<'a> = DocValue<'a>;
    type FieldsValuesIter<'a> = DocValues<'a>;

    fn iter_fields_and_values(&self) -> DocValues<'_> {
        DocValues {
            doc: self,
            values: self.values.iter(),
        }
    }
}

impl IndexDoc {
    fn slice(&mut self, field: Field, range: Range<usize>) {
        self.values.push((field, Kept::Text(range)));
    }

    fn str(&mut self, field: Field, value: impl Into<String>) {
        self.values.push((field, Kept::Owned(value.into())));
    }

    fn u64(&mut self, field: Field, value: u64) {
        self.values.push((field, Kept::U64(value)));
    }

    fn i64(&mut self, field: Field, value: i64) {
        self.values.push((field, Kept::I64(value)));
    }

    fn f64(&mut self, field: Field, value: f64) {
        self.values.push((field, Kept::F64(value)));
    }
}

/// The documents of a file read. Each document's text moves out of `read` into its
/// tantivy document, so a 40 MB text is not held twice while it is indexed.
pub fn to_documents(read: &mut ReadFile, fields: &Fields, ingested_at: i64) -> Vec<IndexDoc> {
    let mut docs = Vec::with_capacity(read.documents.len());
    for i in 0..read.documents.len() {
        let text = std::mem::take(&mut read.documents[i].text);
        docs.push(to_document(
            read,
            &read.documents[i],
            text,
            fields,
            ingested_at,
        ));
    }
    docs
}

fn to_document(
    read: &ReadFile,
    part: &ReadDocument,
    text: String,
    fields: &Fields,
    ingested_at: i64,
) -> IndexDoc {
    let mut doc = IndexDoc {
        values: Vec::with_capacity(24),
        text: String::new(),
    };
    let id = crate::schema::document_id(&read.file.key, part.part.as_deref());
    doc.str(fields.path, &read.file.key);
    doc.str(fields.title, &part.title);
    doc.slice(fields.body, 0..text.len());
    doc.slice(fields.text, 0..stored_part(&text).len());
    let passages = by_language(part, text.len());
    for (code, ranges, _) in &passages {
        let field = match StemLang::for_code(code) {
            Some(stem) => fields.stem(stem),
            None => fields.nostem,
        };
        for range in ranges {
            doc.slice(field, range.clone());
        }
    }
    match romanizable_lines(&text) {
        Romanizable::None => {}
        Romanizable::All => doc.slice(fields.roman, 0..text.len()),
        Romanizable::Lines(lines) => doc.str(fields.roman, lines),
    }
    doc.str(fields.lang, &part.languages.main);
    for (code, _) in &part.languages.all {
        doc.str(fields.langs, code);
    }
    for (code, _, bytes) in &passages {
        doc.str(fields.lang_bytes, format!("{code}:{bytes}"));
    }
    doc.u64(fields.size, read.file.size);
    doc.i64(fields.mtime, read.file.mtime);
    doc.i64(fields.ingested, ingested_at);
    doc.str(fields.sha256, &read.sha256);
    doc.str(fields.format, part.format.name());
    let optional = [
        (fields.encoding, part.encoding),
        (fields.author, part.author.as_deref()),
        (fields.date, part.date.as_deref()),
        (fields.part, part.part.as_deref()),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            doc.str(field, value);
        }
    }
    // A member's extension is its own (`ext:docx` finds `donation.zip!/a.docx`).
    let member = part.part.as_deref().and_then(super::extract::member_path);
    let ext = match member {
        Some(member) => std::path::Path::new(member)
            .extension()
            .map(|e| e.to_string_lossy()),
        None => read.file.path.extension().map(|e| e.to_string_lossy()),
    };
    if let Some(ext) = ext {
        doc.str(fields.ext, ext.to_lowercase());
    }
    for &year in &part.years {
        doc.u64(fields.years, year);
    }
    for &date in &part.dates {
        doc.u64(fields.dates, date);
    }
    doc.str(fields.folder, &read.file.folder);
    for kind in Kind::ALL {
        for value in part.entities.of(kind) {
            doc.str(fields.entity(kind), value);
        }
    }
    if let Some(confidence) = part.ocr {
        doc.f64(fields.ocr, f64::from(confidence));
    }
    let mut links = part.mail.as_ref().map(|m| m.terms(&id)).unwrap_or_default();
    if let Some(message) = &part.attached_to {
        let message_id = crate::schema::document_id(&read.file.key, message.0.as_deref());
        links.push(crate::thread::attached_term(&message_id));
    }
    if !links.is_empty() {
        doc.str(fields.mail_links, links.join("\n"));
        for term in links.into_iter().filter(|t| crate::thread::is_looked_up(t)) {
            doc.str(fields.mail, term);
        }
    }
    doc.str(fields.id, id);
    if let Some(signature) = &part.near {
        for band in signature.bands() {
            doc.str(fields.near_bands, band);
        }
        for value in signature.to_values() {
            doc.u64(fields.near, value);
        }
    }
    doc.text = text;
    doc
}

/// Per language: the byte ranges of its passages in the text (adjacent ones merged), and their
/// bytes, in order of first appearance. A document in one language is one range: its whole
/// text.
fn by_language(part: &ReadDocument, len: usize) -> Vec<(&str, Vec<Range<usize>>, usize)> {
    let mut out: Vec<(&str, Vec<Range<usize>>, usize)> = Vec::new();
    for passage in &part.languages.passages {
        let range = passage.start.min(len)..passage.end.min(len);
        let bytes = range.len();
        match out.iter_mut().find(|(code, ..)| *code == passage.lang) {
            Some((_, ranges, total)) => {
                match ranges.last_mut() {
                    Some(last) if last.end == range.start => last.end = range.end,
                    _ => ranges.push(range),
                }
                *total += bytes;
            }
            None => out.push((&passage.lang, vec![range], bytes)),
        }
    }
    out
}

/// What of a text goes to the `roman` field.
#[derive(Debug, PartialEq)]
enum Romanizable {
    None,
    /// Most lines have kana, Cyrillic or Greek: the whole text, as it is.
    All,
    Lines(String),
}

/// The lines of `text` with kana, Cyrillic or Greek in them, for the `roman` field: its
/// analyzer skips every other word, so a long Latin-script document with a few Greek
/// etymologies (a 40 MB dictionary) does not copy and scan its whole text a second time.
fn romanizable_lines(text: &str) -> Romanizable {
    if !has_romanizable(text) {
        return Romanizable::None;
    }
    let lines: Vec<&str> = text.lines().filter(|l| has_romanizable(l)).collect();
    if lines.len() * 2 > text.lines().count() {
        return Romanizable::All;
    }
    Romanizable::Lines(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::discover::SourceFile;
    use crate::ingest::extract::Format;
    use crate::ingest::language::{Languages, Passage};

    fn read(text: &str, passages: &[(usize, usize, &str)]) -> ReadFile {
        let passage = |&(start, end, lang): &(usize, usize, &str)| Passage {
            start,
            end,
            lang: lang.into(),
        };
        ReadFile {
            file: SourceFile {
                path: "/archive/letters/a.txt".into(),
                key: "/archive/letters/a.txt".into(),
                size: text.len() as u64,
                mtime: 0,
                folder: "letters".into(),
            },
            sha256: "0".repeat(64),
            format: Format::Text,
            documents: vec![ReadDocument {
                title: "a.txt".into(),
                text: text.into(),
                languages: Languages {
                    main: "en".into(),
                    all: vec![("en".into(), 0.8), ("ru".into(), 0.2)],
                    passages: passages.iter().map(passage).collect(),
                },
                author: None,
                date: None,
                encoding: None,
                part: None,
                format: Format::Text,
                ocr: None,
                ocr_models: Vec::new(),
                reread: Vec::new(),
                entities: Default::default(),
                dates: vec![19_561_231],
                years: vec![1956],
                near: None,
                mail: None,
                attached_to: None,
            }],
            problems: Vec::new(),
            same_content: false,
            replaces: false,
        }
    }

    /// The text field values a document gives tantivy, with whether each one lies inside the
    /// document's own text buffer (a slice, not a copy).
    fn texts(doc: &IndexDoc, field: Field) -> Vec<(&str, bool)> {
        let buffer = doc.text.as_bytes().as_ptr_range();
        doc.iter_fields_and_values()
            .filter(|(f, _)| *f == field)
            .filter_map(|(_, value)| value.as_str())
            .map(|s| {
                let inside = buffer.contains(&s.as_ptr()) || (s.is_empty() && doc.text.is_empty());
                (s, inside)
            })
            .collect()
    }

    /// Every field that carries the text gets slices of one buffer, each language's stem field
    /// gets that language's passages (adjacent ones as one), and the small fields are all there.
    #[test]
    fn a_document_holds_its_text_once_and_routes_passages_by_language() {
        let (_, fields) = crate::schema::build();
        let en1 = "Prisoners returned through Maizuru. ";
        let en2 = "Many waited years. ";
        let ru = "Военнопленные работали в Сибири. ";
        let en3 = "The last ship came in 1956.";
        let text = format!("{en1}{en2}{ru}{en3}");
        let a = en1.len();
        let b = a + en2.len();
        let c = b + ru.len();
        let passages = [
            (0, a, "en"),
            (a, b, "en"),
            (b, c, "ru"),
            (c, text.len(), "en"),
        ];
        let mut read = read(&text, &passages);
        let docs = to_documents(&mut read, &fields, 7);
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert!(read.documents[0].text.is_empty(), "the text moved");
        assert_eq!(texts(doc, fields.body), [(text.as_str(), true)]);
        assert_eq!(texts(doc, fields.text), [(text.as_str(), true)]);
        assert_eq!(
            texts(doc, fields.stem(StemLang::English)),
            [(&text[..b], true), (en3, true)]
        );
        assert_eq!(texts(doc, fields.stem(StemLang::Russian)), [(ru, true)]);
        assert_eq!(texts(doc, fields.nostem), []);
        // Its one line has Cyrillic: the whole text is romanized, as a slice too.
        assert_eq!(texts(doc, fields.roman), [(text.as_str(), true)]);
        let lang_bytes: Vec<&str> = texts(doc, fields.lang_bytes).iter().map(|t| t.0).collect();
        assert_eq!(
            lang_bytes,
            [
                format!("en:{}", text.len() - ru.len()),
                format!("ru:{}", ru.len())
            ]
        );
        let years: Vec<u64> = doc
            .iter_fields_and_values()
            .filter(|(f, _)| *f == fields.years)
            .filter_map(|(_, v)| v.as_u64())
            .collect();
        assert_eq!(years, [1956]);
        let dates: Vec<u64> = doc
            .iter_fields_and_values()
            .filter(|(f, _)| *f == fields.dates)
            .filter_map(|(_, v)| v.as_u64())
            .collect();
        assert_eq!(dates, [19_561_231]);
        assert_eq!(texts(doc, fields.folder), [("letters", false)]);
    }

    #[test]
    fn only_lines_with_kana_cyrillic_or_greek_are_romanized() {
        let text = "abandon (v.) [OF. abandoner]\nabacus [L., fr. Gr. ἄβαξ]\nabaft\naback\n";
        assert_eq!(
            romanizable_lines(text),
            Romanizable::Lines("abacus [L., fr. Gr. ἄβαξ]".into())
        );
        assert_eq!(romanizable_lines("plain Latin text"), Romanizable::None);
        // Mostly romanizable: the whole text, as it is.
        assert_eq!(romanizable_lines("シベリア\nМосква\nok"), Romanizable::All);
        // Kanji is not romanized.
        assert_eq!(
            romanizable_lines("シベリア\n抑留\nok"),
            Romanizable::Lines("シベリア".into())
        );
    }

    #[test]
    fn stored_text_is_cut_at_a_character() {
        use crate::schema::STORED_TEXT_BYTES;
        let text = "é".repeat(STORED_TEXT_BYTES);
        let stored = stored_part(&text);
        assert!(stored.len() <= STORED_TEXT_BYTES && stored.len() > STORED_TEXT_BYTES - 2);
        assert_eq!(stored_part("short"), "short");
    }
}
