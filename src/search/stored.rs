//! What the index stores of a document, read once: the text, and [`About`] it, the fields a
//! hit and a document shown whole both carry.

use anyhow::{Context, Result};
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, OwnedValue};
use tantivy::{DocAddress, Searcher};

use crate::entities::dates::Date;
use crate::entities::{Entities, Kind};
use crate::schema::Fields;

/// A document's stored fields beside its text.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// Its id (`serve` names documents by it).
    pub id: String,
    /// The file's key in the index (see `path_key`).
    pub path: String,
    /// Which document of the file: `message 3` of an mbox, a member after `!/`.
    pub part: Option<String>,
    pub title: String,
    /// Main language.
    pub lang: String,
    /// Every language listed (found with evidence, see `ingest::language::evidence`), largest
    /// share first.
    pub langs: Vec<String>,
    pub format: String,
    pub encoding: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub sha256: String,
    pub size: u64,
    /// Tesseract's mean confidence (0-100) when text of the document was read by OCR.
    pub ocr: Option<f32>,
    /// When it was (last) ingested, Unix seconds.
    pub ingested: i64,
    /// E-mail addresses, URLs, domains, phone numbers and IBANs written in it.
    pub entities: Entities,
    /// The dates written in it, ISO 8601 at their precision, earliest first.
    pub dates: Vec<String>,
}

/// The stored text of the document at `address` (its first 4 MB) and what is stored about it.
pub fn read(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<(String, About)> {
    let mut doc: StoredStrings = searcher
        .doc(address)
        .context("cannot read a stored document")?;
    let text = doc.take(fields.text).unwrap_or_default();
    let about = About {
        id: doc.take(fields.id).unwrap_or_default(),
        path: doc.take(fields.path).unwrap_or_default(),
        part: doc.take(fields.part),
        title: doc.take(fields.title).unwrap_or_default(),
        lang: doc.take(fields.lang).unwrap_or_default(),
        langs: doc.take_all(fields.langs),
        format: doc.take(fields.format).unwrap_or_default(),
        encoding: doc.take(fields.encoding),
        author: doc.take(fields.author),
        date: doc.take(fields.date),
        sha256: doc.take(fields.sha256).unwrap_or_default(),
        size: doc.number(fields.size).map_or(0, |n| n as u64),
        ocr: doc.number(fields.ocr).map(|c| c as f32),
        ingested: doc.number(fields.ingested).map_or(0, |n| n as i64),
        dates: dates_of(searcher, fields, address)?,
        entities: Entities {
            emails: doc.take_all(fields.entity(Kind::Email)),
            urls: doc.take_all(fields.entity(Kind::Url)),
            domains: doc.take_all(fields.entity(Kind::Domain)),
            phones: doc.take_all(fields.entity(Kind::Phone)),
            ibans: doc.take_all(fields.entity(Kind::Iban)),
        },
    };
    Ok((text, about))
}

/// What is stored about the document at `address`, its text left out.
pub fn about(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<About> {
    Ok(read(searcher, fields, address)?.1)
}

/// The languages the passages of the document at `address` were stemmed in, from their column
/// (`lang_bytes`, not stored): a passage keeps its language even where the document does not
/// list it (a Russian citation too short to count as Russian text is still stemmed as Russian).
pub fn passage_languages(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> Result<Vec<String>> {
    let reader = searcher.segment_reader(address.segment_ord);
    let name = searcher.schema().get_field_name(fields.lang_bytes);
    let Some(column) = reader.fast_fields().str(name)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut value = String::new();
    for ord in column.term_ords(address.doc_id) {
        value.clear();
        column.ord_to_str(ord, &mut value)?;
        if let Some((code, _)) = value.split_once(':') {
            out.push(code.to_string());
        }
    }
    Ok(out)
}

/// The dates of the document at `address`, from their column (they are not stored).
fn dates_of(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<Vec<String>> {
    let reader = searcher.segment_reader(address.segment_ord);
    let name = searcher.schema().get_field_name(fields.dates);
    let column = reader.fast_fields().u64(name)?;
    Ok(column
        .values_for_doc(address.doc_id)
        .map(|key| Date::of_key(key).iso())
        .collect())
}

/// The string values of a stored document, in stored order, moved out as they are read, and
/// its numbers. tantivy's own document type would copy each string, the whole text included,
/// into a buffer of its own after decoding it.
pub struct StoredStrings(Vec<(Field, String)>, Vec<(Field, f64)>);

impl StoredStrings {
    /// Every value of `field` not taken yet, in stored order.
    pub fn take_all(&mut self, field: Field) -> Vec<String> {
        let (taken, kept) = std::mem::take(&mut self.0)
            .into_iter()
            .partition(|(f, _)| *f == field);
        self.0 = kept;
        taken.into_iter().map(|(_, value)| value).collect()
    }

    /// The first value of `field` not taken yet.
    pub fn take(&mut self, field: Field) -> Option<String> {
        let at = self.0.iter().position(|(f, _)| *f == field)?;
        Some(self.0.remove(at).1)
    }

    /// The numeric value of `field` (integers as floats: sizes and times fit).
    pub fn number(&self, field: Field) -> Option<f64> {
        self.1.iter().find(|(f, _)| *f == field).map(|(_, n)| *n)
    }
}

impl DocumentDeserialize for StoredStrings {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let (mut values, mut numbers) = (Vec::new(), Vec::new());
        while let Some((field, value)) = deserializer.next_field::<OwnedValue>()? {
            match value {
                OwnedValue::Str(text) => values.push((field, text)),
                OwnedValue::F64(n) => numbers.push((field, n)),
                OwnedValue::U64(n) => numbers.push((field, n as f64)),
                OwnedValue::I64(n) => numbers.push((field, n as f64)),
                _ => {}
            }
        }
        Ok(StoredStrings(values, numbers))
    }
}
