//! The tantivy schema and a struct of its field handles.
//!
//! tantivy analyzes per field, not per document, so stemmed text for each language gets its own
//! field (`stem_xx`). `body` holds every document in its generic analysis and is stored, so it is
//! always searchable and snippets come from it. `roman` holds the romanized form of kana,
//! Cyrillic and Greek words, for Latin queries. Each field's doc comment gives its reason.

use tantivy::columnar::StrColumn;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{NOSTEM_ANALYZER, ROMAN_ANALYZER, StemLang, TEXT_ANALYZER};
use crate::entities::Kind;

/// Handles of every field, resolved once per opened index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Absolute path of the file: the key for updates and deletes.
    pub path: Field,
    pub title: Field,
    /// The whole text, indexed with positions; not stored (see `text`).
    pub body: Field,
    /// The first [`STORED_TEXT_BYTES`] of the text, stored for snippets and never indexed.
    pub text: Field,
    /// One stem field per [`StemLang`], in [`StemLang::ALL`] order.
    stems: Vec<Field>,
    /// The folded words of passages in languages without a stemmer (Polish, Czech, Latin, ...)
    /// or of no language: their stand-in for a `stem_xx` field, so that a word weighs the same
    /// in every language (see `search::query`). CJK is left out: its words are never stemmed,
    /// and `body` has them.
    pub nostem: Field,
    /// Romanized kana, Cyrillic and Greek words; empty for documents without them.
    pub roman: Field,
    /// Main language (ISO 639-1 or `und`).
    pub lang: Field,
    /// Every language the document lists (multi-valued): found with evidence, see
    /// `ingest::language::evidence`.
    pub langs: Field,
    /// Bytes of text per language, as `code:bytes` (multi-valued), for shares in `status`.
    pub lang_bytes: Field,
    pub size: Field,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: Field,
    /// Ingest time in seconds since the Unix epoch.
    pub ingested: Field,
    /// SHA-256 of the original bytes, lowercase hex.
    pub sha256: Field,
    /// Format read (`text`, `html`, `pdf`, ...).
    pub format: Field,
    /// Encoding the text was decoded from, for formats that have one.
    pub encoding: Field,
    pub author: Field,
    /// Date from the format's metadata, as written there.
    pub date: Field,
    /// Which document of a container (`message 3` of an mbox); absent for most files.
    pub part: Field,
    /// File extension, lowercase without the dot (`ext:`).
    pub ext: Field,
    /// Years (1000-2099) the text mentions: those of its dates, and numbers written alone that
    /// are not quantities (`year:`, facets; see [`crate::entities::dates::years`]).
    pub years: Field,
    /// Dates written in the text, as `YYYYMMDD` with `00` for a month or day not written
    /// (`date:` ranges, the month facet; see [`crate::entities::dates::Date::key`]).
    pub dates: Field,
    /// The top-level folder under the ingested input (facets).
    pub folder: Field,
    /// Tesseract's mean confidence (0-100) in the text it read; absent for text not read by
    /// OCR.
    pub ocr: Field,
    /// The document's id (see [`document_id`]): how `serve` names a document, so that a
    /// request never carries a path.
    pub id: Field,
    /// Pattern entities written in the text, normalized (see [`crate::entities`]): one
    /// multi-valued field per [`Kind`], in [`Kind::ALL`] order, for `email:`, `domain:`,
    /// `phone:`, `iban:`, their facets and each hit's list.
    entities: Vec<Field>,
    /// The terms of the bands of the text's MinHash signature (see [`crate::near`]): documents
    /// sharing one are candidates for near-duplicates.
    pub near_bands: Field,
    /// The signature itself, as [`crate::near::Signature::to_values`], a fast field: candidates'
    /// similarity is read from it without their stored text, in well under a microsecond.
    pub near: Field,
    /// An e-mail message's links to other messages, and an attachment's to its message, as
    /// prefixed terms (see [`crate::thread`]; those looked up): a thread is walked through
    /// their postings.
    /// Empty for documents that are not e-mail.
    pub mail: Field,
    /// The same terms as one value a line, a fast field: a message's links are read in one
    /// lookup of its column (each term of a multi-valued column is a lookup of its own, which
    /// made walking a thread of 100 messages take 50 ms).
    pub mail_links: Field,
}

/// A document's id: 20 hex digits of the SHA-256 of its file's key and its part, the same for
/// the same document in every ingest.
pub fn document_id(key: &str, part: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(key.as_bytes());
    hash.update([0]);
    hash.update(part.unwrap_or("").as_bytes());
    crate::digest::hex(&hash.finalize()[..10])
}

/// Text stored per document: snippets look no further, and tantivy's document store holds a
/// document being written whole in memory, several times over.
/// A query still finds words past it, through `body`.
pub const STORED_TEXT_BYTES: usize = 4 << 20;

/// The beginning of `text` that is stored: at most [`STORED_TEXT_BYTES`], cut at a character.
/// Snippets scan no further than this either.
pub fn stored_part(text: &str) -> &str {
    let mut end = text.len().min(STORED_TEXT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analyzed = |analyzer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let path = builder.add_text_field("path", STRING | STORED | FAST);
    let title = builder.add_text_field("title", analyzed(TEXT_ANALYZER, positions).set_stored());
    let body = builder.add_text_field("body", analyzed(TEXT_ANALYZER, positions));
    let text = builder.add_text_field("text", STORED);
    let stems = StemLang::ALL
        .into_iter()
        .map(|lang| {
            let options = analyzed(&lang.analyzer_name(), IndexRecordOption::WithFreqs);
            builder.add_text_field(&lang.field_name(), options)
        })
        .collect();
    let nostem = builder.add_text_field(
        "nostem",
        analyzed(NOSTEM_ANALYZER, IndexRecordOption::WithFreqs),
    );
    let roman = builder.add_text_field(
        "roman",
        analyzed(ROMAN_ANALYZER, IndexRecordOption::WithFreqs),
    );
    let lang = builder.add_text_field("lang", STRING | STORED | FAST);
    let langs = builder.add_text_field("langs", STRING | STORED | FAST);
    let lang_bytes = builder.add_text_field("lang_bytes", STRING | FAST);
    let size = builder.add_u64_field("size", STORED | FAST);
    let mtime = builder.add_i64_field("mtime", STORED | FAST);
    let ingested = builder.add_i64_field("ingested", STORED | FAST | INDEXED);
    let sha256 = builder.add_text_field("sha256", STRING | STORED | FAST);
    let format = builder.add_text_field("format", STRING | STORED | FAST);
    let encoding = builder.add_text_field("encoding", STRING | STORED);
    let author = builder.add_text_field("author", analyzed(TEXT_ANALYZER, positions).set_stored());
    let date = builder.add_text_field("date", STRING | STORED);
    let part = builder.add_text_field("part", STRING | STORED | FAST);
    let ext = builder.add_text_field("ext", STRING | FAST);
    let years = builder.add_u64_field("years", INDEXED | FAST);
    let dates = builder.add_u64_field("dates", INDEXED | FAST);
    let folder = builder.add_text_field("folder", STRING | FAST);
    let ocr = builder.add_f64_field("ocr", STORED | FAST);
    let id = builder.add_text_field("id", STRING | STORED);
    let entities = Kind::ALL
        .into_iter()
        .map(|kind| builder.add_text_field(kind.name(), STRING | STORED | FAST))
        .collect();
    let near_bands = builder.add_text_field("near_bands", STRING);
    let near = builder.add_u64_field("near", FAST);
    let mail = builder.add_text_field("mail", STRING);
    let mail_links = builder.add_text_field("mail_links", FAST);
    let fields = Fields {
        path,
        title,
        body,
        text,
        stems,
        nostem,
        roman,
        lang,
        langs,
        lang_bytes,
        size,
        mtime,
        ingested,
        sha256,
        format,
        encoding,
        author,
        date,
        part,
        ext,
        years,
        dates,
        folder,
        ocr,
        id,
        entities,
        near_bands,
        near,
        mail,
        mail_links,
    };
    (builder.build(), fields)
}

impl Fields {
    /// The stem field for `lang`.
    pub fn stem(&self, lang: StemLang) -> Field {
        // `build` pushes one field per StemLang in declaration order.
        self.stems[lang as usize]
    }

    /// The field of `kind`'s entities.
    pub fn entity(&self, kind: Kind) -> Field {
        // `build` pushes one field per Kind in `Kind::ALL` order, which is declaration order.
        self.entities[kind as usize]
    }
}

/// Appends the first value of a document in a string fast-field column to `out`; false when the
/// document has none. Change detection, duplicate collapsing and facets all read columns so.
pub fn first_str(column: &StrColumn, doc: u32, out: &mut String) -> std::io::Result<bool> {
    match column.term_ords(doc).next() {
        Some(ord) => column.ord_to_str(ord, out),
        None => Ok(false),
    }
}

/// Whether an existing index's schema is `expected`, the one this build writes: the same
/// fields in the same order, each with the same name, type and options.
pub fn matches(existing: &Schema, expected: &Schema) -> bool {
    existing
        .fields()
        .map(|(_, entry)| entry)
        .eq(expected.fields().map(|(_, entry)| entry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::FieldEntry;

    #[test]
    fn a_schema_matches_only_the_same_fields_with_the_same_options() {
        let (expected, _) = build();
        assert!(matches(&build().0, &expected));
        let mut builder = Schema::builder();
        for (_, entry) in expected.fields() {
            let mut entry = entry.clone();
            if entry.name() == "lang" {
                entry = FieldEntry::new_text("lang".to_string(), STRING);
            }
            builder.add_field(entry);
        }
        assert!(
            !matches(&builder.build(), &expected),
            "`lang` lost STORED and FAST"
        );
    }
}
