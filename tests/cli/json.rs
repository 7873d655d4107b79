//! The JSON formats as README.md and `render/json.rs` document them, as types: every test reads
//! `--json` output through these (as ripgrep's `tests/json.rs` does), so a field renamed,
//! removed, retyped or added without being documented here fails the tests. Fields documented
//! as present only sometimes are `Option`s; all others are required.

// Every documented field is here so that its absence or its type fails deserializing, whether
// or not a test reads it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;

/// `search --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    pub query: String,
    pub total_hits: u64,
    pub elapsed_ms: f64,
    pub hits: Vec<Hit>,
    /// With `--facets`.
    pub facets: Option<Facets>,
    pub ignored: Vec<String>,
    /// With `--explain`, when a typed word was cut into several.
    pub words: Option<Vec<Words>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub rank: u64,
    /// The document's id for `serve`.
    pub id: String,
    pub path: String,
    pub copies: Vec<String>,
    /// Documents whose text is nearly the same, closest first.
    pub near_copies: Vec<NearCopy>,
    /// How many near copies it has (`near_copies` names the closest 5).
    pub near_count: usize,
    /// Its place in its e-mail thread.
    pub thread: Option<Place>,
    pub part: Option<String>,
    pub title: String,
    pub lang: String,
    pub langs: Vec<String>,
    pub format: String,
    pub encoding: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub score: f64,
    pub romanized: bool,
    pub variants: Vec<String>,
    /// The entities of the variants file the document names (each group's first form).
    pub names: Vec<String>,
    /// Whether text of the document was read by OCR.
    pub ocr: bool,
    /// Tesseract's mean confidence (0-100) when `ocr`.
    pub ocr_confidence: Option<f64>,
    /// The archivist's tags on the document, and note.
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub entities: Entities,
    /// The dates the document writes, ISO 8601 at their precision.
    pub dates: Vec<String>,
    pub snippet: Snippet,
    pub snippets: Vec<Snippet>,
    /// With `--explain`.
    pub explanation: Option<Vec<Clause>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` byte offsets into `text`.
    pub highlights: Vec<(usize, usize)>,
    /// The page of the match, for documents with pages.
    pub page: Option<u32>,
}

impl Snippet {
    /// The highlighted strings.
    pub fn marked(&self) -> Vec<String> {
        self.highlights
            .iter()
            .map(|&(from, to)| self.text[from..to].to_string())
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub clause: String,
    pub score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facets {
    pub lang: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    pub month: BTreeMap<String, u64>,
    pub folder: BTreeMap<String, u64>,
    pub tag: BTreeMap<String, u64>,
    pub name: BTreeMap<String, u64>,
    pub email: BTreeMap<String, u64>,
    pub url: BTreeMap<String, u64>,
    pub domain: BTreeMap<String, u64>,
    pub phone: BTreeMap<String, u64>,
    pub iban: BTreeMap<String, u64>,
    /// Groups of near (or identical) copies among the matches.
    pub near: NearGroups,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NearGroups {
    pub groups: u64,
    pub documents: u64,
}

/// The entities written in a document, normalized (README.md, "Who, how to reach them, and when").
#[derive(Debug, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entities {
    pub email: Vec<String>,
    pub url: Vec<String>,
    pub domain: Vec<String>,
    pub phone: Vec<String>,
    pub iban: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub typed: String,
    pub words: Vec<String>,
    pub optional: Vec<String>,
    pub left_out: Vec<String>,
}

/// `serve`'s `/api/v1/documents/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub path: String,
    pub part: Option<String>,
    pub title: String,
    pub lang: String,
    pub langs: Vec<String>,
    pub format: String,
    pub encoding: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub size: u64,
    pub sha256: String,
    pub ocr: bool,
    pub ocr_confidence: Option<f64>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub entities: Entities,
    /// The dates the document writes, ISO 8601 at their precision.
    pub dates: Vec<String>,
    /// The stored text, pages separated by form feeds.
    pub text: String,
    /// `[start, end)` byte offsets into `text` of every match.
    pub matches: Vec<(usize, usize)>,
    /// Documents whose text is nearly the same.
    pub near_copies: Vec<NearCopy>,
    /// Its place in its e-mail thread.
    pub thread: Option<Place>,
    /// Where the original file is served.
    pub original: String,
}

/// A message's (or an attachment's message's) place in its e-mail thread.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    /// From 1, in time order.
    pub position: usize,
    pub messages: usize,
    /// For an attachment: its message's document id.
    pub attached_to: Option<String>,
}

/// `/api/v1/documents/{id}/thread`: a thread as a conversation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    pub thread: Option<String>,
    pub total: usize,
    pub cut: bool,
    pub messages: Vec<Said>,
}

/// A message of a conversation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Said {
    pub id: String,
    pub path: String,
    pub part: Option<String>,
    pub title: String,
    pub format: String,
    pub author: Option<String>,
    pub date: Option<String>,
    pub position: usize,
    pub depth: usize,
    /// The position of the message it answers.
    pub answers: Option<usize>,
    pub matches: bool,
    pub opened: bool,
    pub attachments: Vec<AttachedJson>,
}

/// A document attached to a message of a conversation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachedJson {
    pub id: String,
    pub path: String,
    pub part: Option<String>,
    pub title: String,
    pub format: String,
    pub author: Option<String>,
    pub date: Option<String>,
    pub matches: bool,
    pub opened: bool,
}

/// A near copy of a hit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearCopy {
    pub id: String,
    pub path: String,
    pub part: Option<String>,
    pub similarity: f64,
}

/// `status --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub index: String,
    pub documents: u64,
    pub languages: BTreeMap<String, u64>,
    pub documents_containing: BTreeMap<String, u64>,
    pub text_share: BTreeMap<String, f64>,
    pub size_bytes: u64,
    /// RFC 3339, or null before the first complete ingest.
    pub last_ingest: Option<String>,
    pub partial: bool,
}

/// `verify --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    pub ok: u64,
    pub changed: u64,
    pub missing: u64,
    pub unreadable: u64,
    pub files: Vec<Checked>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checked {
    pub path: String,
    /// `ok`, `changed`, `missing` or `unreadable`.
    pub status: String,
    pub expected: String,
    /// The new hash of a changed file, the error of an unreadable one.
    pub found: Option<String>,
}

/// `ingest --report FILE`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub summary: Summary,
    pub files: Vec<FileOutcome>,
    /// OCR models pages wanted that are not installed.
    pub ocr_models_missing: Vec<MissingModel>,
    /// Programs that would have read files better (poppler-utils for PDFs), not installed.
    pub tools_missing: Vec<MissingModel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingModel {
    /// What the pages were in: `German`, `Greek script`.
    #[serde(rename = "for")]
    pub wanted_for: String,
    /// The Debian package with the model.
    pub package: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub skipped: u64,
    pub failed: u64,
    pub duplicates: u64,
    /// Of the skipped, those over `--max-file-size`.
    pub too_large: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// Pages read by OCR.
    pub ocr_pages: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileOutcome {
    pub path: String,
    /// `added`, `updated`, `unchanged`, `removed`, `skipped` or `failed`.
    pub outcome: String,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    pub format: Option<String>,
    pub documents: Option<u64>,
    pub duplicate_of: Option<String>,
    /// Pages whose text layer was garbled.
    #[serde(default)]
    pub reread: Vec<Reread>,
    /// The Tesseract models that read its pages.
    #[serde(default)]
    pub ocr_models: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reread {
    /// The document of the file the page is in, when that is not the file.
    pub part: Option<String>,
    pub page: u32,
    pub reason: String,
    /// `ocr`, `text_layer` or `nothing`.
    pub kept: String,
}

/// Shown as Debug in assertion messages.
macro_rules! display_as_debug {
    ($($type:ty),*) => {$(
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{self:?}")
            }
        }
    )*};
}
display_as_debug!(Search, Hit, Status, Facets, Report, Verify);

/// `xref --format json`: every name of the list (README.md, "Cross-referencing a list").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Xref {
    pub names: Vec<XrefName>,
    pub elapsed_ms: f64,
}

/// A name of the list: also each line of `xref --format jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XrefName {
    pub name: String,
    pub aliases: Vec<String>,
    pub note: String,
    pub query: String,
    pub documents: usize,
    pub matches: Vec<XrefMatch>,
}

/// A match: how it matched, then the hit as `search --json` gives it. Read in two steps, as
/// serde's `deny_unknown_fields` does not work through `flatten`.
#[derive(Debug)]
pub struct XrefMatch {
    pub how: String,
    pub form: String,
    pub found: String,
    pub distance: Option<usize>,
    pub hit: Hit,
}

impl<'de> Deserialize<'de> for XrefMatch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<XrefMatch, D::Error> {
        use serde::de::Error;
        let mut object = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let mut take = |key: &str| {
            object
                .remove(key)
                .ok_or_else(|| D::Error::custom(format!("a match without `{key}`")))
        };
        let text = |value: serde_json::Value| match value {
            serde_json::Value::String(s) => Ok(s),
            other => Err(D::Error::custom(format!("not a string: {other}"))),
        };
        let how = text(take("how")?)?;
        let form = text(take("form")?)?;
        let found = text(take("found")?)?;
        let distance = serde_json::from_value(take("distance")?).map_err(D::Error::custom)?;
        let hit =
            serde_json::from_value(serde_json::Value::Object(object)).map_err(D::Error::custom)?;
        Ok(XrefMatch {
            how,
            form,
            found,
            distance,
            hit,
        })
    }
}

/// `similar --json` and `GET /api/v1/documents/{id}/similar` (docs/similar.md).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Similar {
    pub document: SimilarSource,
    pub terms: Vec<String>,
    pub elapsed_ms: f64,
    pub hits: Vec<SimilarHit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimilarSource {
    pub id: String,
    pub path: String,
    pub part: Option<String>,
    pub title: String,
}

/// A hit as `search --json` gives it, with the terms it shares with the document; read in two
/// steps like [`XrefMatch`].
#[derive(Debug)]
pub struct SimilarHit {
    pub shared: Vec<String>,
    pub hit: Hit,
}

impl<'de> Deserialize<'de> for SimilarHit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SimilarHit, D::Error> {
        use serde::de::Error;
        let mut object = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let shared = object
            .remove("shared")
            .ok_or_else(|| D::Error::custom("a hit without `shared`"))?;
        let shared = serde_json::from_value(shared).map_err(D::Error::custom)?;
        let hit =
            serde_json::from_value(serde_json::Value::Object(object)).map_err(D::Error::custom)?;
        Ok(SimilarHit { shared, hit })
    }
}
