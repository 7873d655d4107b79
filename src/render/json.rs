//! JSON output. The format is stable; fields are only ever added.
//!
//! `search --json` prints one object: ```json { "query": "Maizuru", "total_hits": 2, "elapsed_ms":
//! 1.8, "hits": [ { "rank": 1, "id": "5f0c8e3b9d2a41c7e6f1", "path":
//! "/abs/path/corpus/004_379e556dd82759a7.txt", "copies": [], "near_copies": [], "near_count": 0,
//! "part": null, "title": "Japanese prisoners of war in the Soviet Union", "lang": "en", "langs":
//! ["en", "ja", "ru"], "format": "text", "encoding": "UTF-8", "author": null, "date": null,
//! "score": 3.2, "romanized": false, "variants": [], "ocr": false, "ocr_confidence": null,
//! "snippet": { "text": "… at Maizuru, Kyoto …", "highlights": [[40, 47]], "page": null } } ],
//! "ignored": [] } ``` `ignored` lists the query words left out as function words, as typed: with
//! `--any`, those of the collection's languages (`["of", "is"]`); always, the particles and
//! function words of Japanese, Chinese or Thai typed without spaces (`シベリアの抑留` leaves out `["の"]`).
//! With `--explain`, a top-level `"words": [{"typed": "シベリアの抑留", "words": ["シベリア", "抑留"],
//! "optional": [], "left_out": ["の"]}]` lists each typed word that was cut into several: `words`
//! are searched (`optional` ones, Japanese words with hiragana, add to the score but are not
//! required), `left_out` are not (absent when no word was cut, or without `--explain`). `snippets`
//! holds the `--snippets N` best passages (the first is `snippet`); `explanation` (with
//! `--explain`) lists the clauses that matched and what each added to the score, `[{"clause":
//! "body:maizuru", "score": 1.2}, {"clause": "variant Nomonham: body:nomonham", ...}]`, largest
//! first; a top-level `"facets": {"lang": {"en": 4}, "year": {"1945": 3}, "folder": {"letters": 2},
//! "tag": {"to-check": 1}}` comes with `--facets` and counts all matching documents, with `email`,
//! `url`, `domain`, `phone` and `iban` (each kind's 20 commonest values) and `near` (`{"groups": 3,
//! "documents": 7}`: groups of matching documents that are near or identical copies of each other).
//! `tags` and `note` are the archivist's marks on a hit (`[]`, null); `entities` lists the e-mail
//! addresses, URLs, domains, phone numbers (E.164) and IBANs it writes (`{"email": [], "url": [],
//! "domain": [], "phone": [], "iban": []}`), `dates` the dates (ISO 8601 at their precision),
//! `names` the variants file's entities it names; the facets add `month` (`{"1946-07": 2}`) and
//! `name`. `highlights` are `[start, end)` byte offsets into `snippet.text` (UTF-8), sorted,
//! disjoint. `id` names the document for `serve`'s API (`/api/v1/documents/{id}`): the same for the
//! same path and part in every ingest. `copies` lists the other indexed files with identical
//! content (the hit stands for all of them); `near_copies` the documents whose text is nearly the
//! same, closest first (at most 5: `[{"id", "path", "part", "similarity": 0.82}]`, see
//! `crate::near`), `near_count` how many there are; `thread` is an e-mail's place in its thread
//! (`{"id": "3f2a9c0d1e2b4a5f", "position": 2, "messages": 5, "attached_to": null}`: the thread's
//! id for `thread:`, the message's place in time order from 1, how many messages the thread has,
//! and for an attachment the id of its message, whose place it gives), null for documents that
//! are not e-mail; `path` is the file on disk and `part` what
//! inside it: the message of an mbox, or a container's member or an attachment after `!/` (`path` +
//! `part` names both); a byte of a file name that is not UTF-8 is written `\xNN` in `path` and
//! `copies`; `encoding`, `author` and `date` are null when the format has none. `romanized` is true
//! when a query word matched the document through romanization (a Latin word against kana, Cyrillic
//! or Greek text), whatever else matched too. `variants` lists the forms of a variant name other
//! than the typed one that the document contains. `ocr` is true when text of the document was read
//! by OCR, and `ocr_confidence` is then Tesseract's mean confidence in it (0-100). A snippet's
//! `page` is the page its match is on, from 1, for documents with pages (PDFs, multi-page scans,
//! texts with form feeds), else null.
//!
//! `status --json` prints
//! `{"index", "documents", "languages": {"en": 5, ...}, "documents_containing": {"en": 5, "ru": 1},
//! "text_share": {"en": 0.97, "ru": 0.01}, "size_bytes", "last_ingest", "partial"}`: `languages`
//! counts documents by main language, `documents_containing` documents with any passage in the
//! language, `text_share` the language's share of all indexed text (bytes); `last_ingest` is
//! RFC 3339 or null.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::entities::{Entities, Kind};
use crate::ingest::IngestReport;
use crate::search::SearchResults;
use crate::search::snippet::Snippet;
use crate::search::words::Cut;
use crate::status::Status;

#[derive(Serialize)]
struct SearchJson<'a> {
    query: &'a str,
    total_hits: usize,
    elapsed_ms: f64,
    hits: Vec<HitJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<FacetsJson>,
    ignored: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    words: Vec<WordsJson<'a>>,
}

/// `--explain`: a typed word without spaces and the words it was cut into.
#[derive(Serialize)]
struct WordsJson<'a> {
    typed: &'a str,
    words: Vec<&'a str>,
    optional: Vec<&'a str>,
    left_out: Vec<&'a str>,
}

/// `--facets`: counts by language, year and top-level folder over all matching documents.
#[derive(Serialize)]
struct FacetsJson {
    lang: BTreeMap<String, u64>,
    year: BTreeMap<String, u64>,
    month: BTreeMap<String, u64>,
    folder: BTreeMap<String, u64>,
    tag: BTreeMap<String, u64>,
    name: BTreeMap<String, u64>,
    email: BTreeMap<String, u64>,
    url: BTreeMap<String, u64>,
    domain: BTreeMap<String, u64>,
    phone: BTreeMap<String, u64>,
    iban: BTreeMap<String, u64>,
    near: NearGroupsJson,
}

/// Groups of near copies (or identical ones) among the matches, and the documents in them.
#[derive(Serialize)]
struct NearGroupsJson {
    groups: u64,
    documents: u64,
}

#[derive(Serialize)]
pub(super) struct HitJson<'a> {
    rank: usize,
    pub(super) id: &'a str,
    pub(super) path: String,
    pub(super) copies: Vec<String>,
    pub(super) near_copies: Vec<NearJson<'a>>,
    near_count: usize,
    thread: Option<PlaceJson<'a>>,
    part: Option<&'a str>,
    title: &'a str,
    lang: &'a str,
    langs: &'a [String],
    format: &'a str,
    encoding: Option<&'a str>,
    author: Option<&'a str>,
    date: Option<&'a str>,
    score: f32,
    romanized: bool,
    variants: &'a [String],
    names: &'a [String],
    ocr: bool,
    ocr_confidence: Option<f32>,
    tags: &'a [String],
    note: Option<&'a str>,
    entities: EntitiesJson<'a>,
    dates: &'a [String],
    snippet: SnippetJson<'a>,
    snippets: Vec<SnippetJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Vec<ClauseJson<'a>>>,
}

/// The entities written in a document, each kind's values normalized, in the order first
/// written.
#[derive(Serialize)]
pub(super) struct EntitiesJson<'a> {
    email: &'a [String],
    url: &'a [String],
    domain: &'a [String],
    phone: &'a [String],
    iban: &'a [String],
}

impl<'a> EntitiesJson<'a> {
    pub(super) fn of(entities: &'a Entities) -> EntitiesJson<'a> {
        EntitiesJson {
            email: &entities.emails,
            url: &entities.urls,
            domain: &entities.domains,
            phone: &entities.phones,
            iban: &entities.ibans,
        }
    }
}

/// A hit's place in its e-mail thread.
#[derive(Serialize)]
pub(super) struct PlaceJson<'a> {
    id: &'a str,
    position: usize,
    messages: usize,
    attached_to: Option<&'a str>,
}

impl<'a> PlaceJson<'a> {
    pub(super) fn of(place: &'a crate::search::thread::Place) -> PlaceJson<'a> {
        PlaceJson {
            id: &place.thread,
            position: place.position,
            messages: place.messages,
            attached_to: place.attached_to.as_deref(),
        }
    }
}

/// A near copy of a hit: its id, where it is, and its estimated similarity (two decimals).
#[derive(Serialize)]
pub(super) struct NearJson<'a> {
    id: &'a str,
    path: String,
    part: Option<&'a str>,
    similarity: f64,
}

impl<'a> NearJson<'a> {
    pub(super) fn of(near: &'a crate::search::near::NearCopy) -> NearJson<'a> {
        NearJson {
            id: &near.id,
            path: crate::path_key::shown(&near.path),
            part: near.part.as_deref(),
            similarity: (f64::from(near.similarity) * 100.0).round() / 100.0,
        }
    }
}

#[derive(Serialize)]
struct ClauseJson<'a> {
    clause: &'a str,
    score: f32,
}

#[derive(Serialize)]
struct SnippetJson<'a> {
    text: &'a str,
    highlights: &'a [(usize, usize)],
    page: Option<u32>,
}

/// A hit as `search --json` and `--format jsonl` print it.
pub(super) fn hit_json(h: &crate::search::Hit) -> HitJson<'_> {
    HitJson {
        rank: h.rank,
        id: &h.about.id,
        path: crate::path_key::shown(&h.about.path),
        copies: h.copies.iter().map(|c| crate::path_key::shown(c)).collect(),
        near_copies: h.near_copies.iter().map(NearJson::of).collect(),
        near_count: h.near_count,
        thread: h.thread.as_ref().map(PlaceJson::of),
        part: h.about.part.as_deref(),
        title: &h.about.title,
        lang: &h.about.lang,
        langs: &h.about.langs,
        format: &h.about.format,
        encoding: h.about.encoding.as_deref(),
        author: h.about.author.as_deref(),
        date: h.about.date.as_deref(),
        score: h.score,
        romanized: h.romanized,
        variants: &h.variants,
        names: &h.names,
        ocr: h.about.ocr.is_some(),
        ocr_confidence: confidence(h.about.ocr),
        tags: &h.tags,
        note: h.note.as_deref(),
        entities: EntitiesJson::of(&h.about.entities),
        dates: &h.about.dates,
        snippet: SnippetJson::of(&h.snippet),
        snippets: h.snippets.iter().map(SnippetJson::of).collect(),
        explanation: h.explanation.as_ref().map(|clauses| {
            clauses
                .iter()
                .map(|(clause, score)| ClauseJson {
                    clause,
                    score: *score,
                })
                .collect()
        }),
    }
}

/// OCR confidence to one decimal: more would be noise.
fn confidence(ocr: Option<f32>) -> Option<f32> {
    ocr.map(|c| (c * 10.0).round() / 10.0)
}

impl<'a> SnippetJson<'a> {
    fn of(snippet: &'a Snippet) -> SnippetJson<'a> {
        SnippetJson {
            text: &snippet.text,
            highlights: &snippet.highlights,
            page: snippet.page,
        }
    }
}

pub fn search(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    let json = SearchJson {
        query: &results.query,
        total_hits: results.total,
        elapsed_ms: (results.elapsed.as_secs_f64() * 1e6).round() / 1e3,
        hits: results.hits.iter().map(hit_json).collect(),
        ignored: &results.ignored,
        words: results
            .words
            .iter()
            .map(|cut| WordsJson {
                typed: &cut.typed,
                words: cut.texts(|cut, p| !cut.left_out(p)),
                optional: cut.texts(Cut::optional),
                left_out: cut.texts(Cut::left_out),
            })
            .collect(),
        facets: results.facets.as_ref().map(|f| {
            let entity = |kind: Kind| -> BTreeMap<String, u64> {
                f.entities
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .flat_map(|(_, values)| values.iter().cloned())
                    .collect()
            };
            FacetsJson {
                lang: f.langs.iter().cloned().collect(),
                year: f.years.iter().map(|(y, n)| (y.to_string(), *n)).collect(),
                month: f.months.iter().cloned().collect(),
                folder: f.folders.iter().cloned().collect(),
                tag: f.tags.iter().cloned().collect(),
                name: f.names.iter().cloned().collect(),
                email: entity(Kind::Email),
                url: entity(Kind::Url),
                domain: entity(Kind::Domain),
                phone: entity(Kind::Phone),
                iban: entity(Kind::Iban),
                near: NearGroupsJson {
                    groups: f.near.groups,
                    documents: f.near.documents,
                },
            }
        }),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

#[derive(Serialize)]
struct StatusJson<'a> {
    index: String,
    documents: u64,
    languages: &'a BTreeMap<String, u64>,
    documents_containing: &'a BTreeMap<String, u64>,
    text_share: BTreeMap<&'a str, f64>,
    size_bytes: u64,
    last_ingest: Option<String>,
    partial: bool,
}

/// `serve`'s `/api/v1/documents/{id}`: a document's stored fields, its text and the byte ranges
/// of `text` a query matches, as README.md documents.
pub fn document(out: &mut impl Write, doc: &crate::search::whole::Document) -> io::Result<()> {
    let about = &doc.about;
    let json = serde_json::json!({
        "id": about.id,
        "path": crate::path_key::shown(&about.path),
        "part": about.part,
        "title": about.title,
        "lang": about.lang,
        "langs": about.langs,
        "format": about.format,
        "encoding": about.encoding,
        "author": about.author,
        "date": about.date,
        "size": about.size,
        "sha256": about.sha256,
        "ocr": about.ocr.is_some(),
        "ocr_confidence": confidence(about.ocr),
        "tags": doc.tags,
        "note": doc.note,
        "entities": EntitiesJson::of(&about.entities),
        "dates": about.dates,
        "text": doc.text,
        "matches": doc.matches,
        "near_copies": doc.near_copies.iter().map(NearJson::of).collect::<Vec<_>>(),
        "thread": doc.thread.as_ref().map(PlaceJson::of),
        "original": format!("/api/v1/documents/{}/original", about.id),
    });
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// `serve`'s `/api/v1/documents/{id}/thread`: the document's thread as a conversation, as
/// README.md documents; `{"thread": null, ...}` with no messages for a document that is not
/// e-mail.
pub fn conversation(
    out: &mut impl Write,
    conversation: Option<&crate::search::conversation::Conversation>,
) -> io::Result<()> {
    let about = |about: &crate::search::stored::About| {
        serde_json::json!({
            "id": about.id,
            "path": crate::path_key::shown(&about.path),
            "part": about.part,
            "title": about.title,
            "format": about.format,
            "author": about.author,
            "date": about.date,
        })
    };
    let messages: Vec<serde_json::Value> = conversation
        .map(|c| &c.messages[..])
        .unwrap_or_default()
        .iter()
        .map(|said| {
            let mut message = about(&said.about);
            let attachments: Vec<serde_json::Value> = said
                .attachments
                .iter()
                .map(|a| {
                    let mut attached = about(&a.about);
                    attached["matches"] = a.matches.into();
                    attached["opened"] = a.opened.into();
                    attached
                })
                .collect();
            message["position"] = said.position.into();
            message["depth"] = said.depth.into();
            message["answers"] = said.answers.into();
            message["matches"] = said.matches.into();
            message["opened"] = said.opened.into();
            message["attachments"] = attachments.into();
            message
        })
        .collect();
    let json = serde_json::json!({
        "thread": conversation.map(|c| &c.id),
        "total": conversation.map_or(0, |c| c.total),
        "cut": conversation.is_some_and(|c| c.cut),
        "messages": messages,
    });
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

pub fn status(out: &mut impl Write, status: &Status) -> io::Result<()> {
    let json = StatusJson {
        index: status.index.display().to_string(),
        documents: status.documents,
        languages: &status.languages,
        documents_containing: &status.containing,
        text_share: status
            .text_share
            .iter()
            .map(|(code, share)| (code.as_str(), (share * 1e4).round() / 1e4))
            .collect(),
        size_bytes: status.size_bytes,
        last_ingest: status.last_ingest.map(super::rfc3339),
        partial: status.partial,
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// `ingest --report FILE`: `{"summary": {"added", "updated", "unchanged", "removed",
/// "skipped", "failed", "duplicates", "too_large", "bytes", "seconds", "ocr_pages"}, "files": [{"path", "outcome",
/// "reason"?, "format"?, "documents"?, "duplicate_of"?, "reread"?: [{"part"?, "page",
/// "reason", "kept"}], "ocr_models"?: ["kor", "eng"]}], "ocr_models_missing": [{"for", "package"}], "tools_missing": [{"for",
/// "package"}]}`, pretty-printed, keys sorted.
pub fn ingest_report(out: &mut impl Write, report: &IngestReport) -> io::Result<()> {
    let json = serde_json::json!({
        "summary": {
            "added": report.added,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "removed": report.removed,
            "skipped": report.skipped,
            "failed": report.failed,
            "duplicates": report.duplicates,
            "too_large": report.too_large,
            "bytes": report.bytes,
            "seconds": report.elapsed.as_secs_f64(),
            "ocr_pages": report.ocr_pages,
        },
        "files": report.files,
        "ocr_models_missing": report.ocr_models_missing,
        "tools_missing": report.tools_missing,
    });
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}

/// `verify --json`: `{"ok", "changed", "missing", "unreadable", "files": [{"path", "status",
/// "expected", "found"?}]}`; `status` is one of `ok`, `changed`, `missing`, `unreadable`, and
/// `found` is the new hash of a changed file or the error of an unreadable one.
pub fn verify(out: &mut impl Write, verification: &crate::verify::Verification) -> io::Result<()> {
    serde_json::to_writer(&mut *out, verification)?;
    writeln!(out)
}
