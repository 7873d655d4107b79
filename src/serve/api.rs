//! The JSON API under `/api/v1/`: search (exactly what `search --json` prints), a document whole
//! with every match, the documents like it (what `similar --json` prints), the original file,
//! status, and a list of names cross-referenced (what `xref` prints). Errors are JSON objects with
//! an `error` message, a `code` and its `args` (docs/api.md), and a fitting status code; a
//! malformed query gets 400 and the CLI's message.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::Shared;
use super::problem::{Code, Refusal, error, query_error, storage_trouble};
use crate::annotations::Annotations;
use crate::render::printer::Format;
use crate::render::xref::XrefPrinter;
use crate::search::near::Threshold;
use crate::search::query::QueryError;
use crate::search::request::DEFAULT_LIMIT;
use crate::search::{self, QueryOptions, SearchRequest};
use crate::variants::Variants;
use crate::xref::list::{self, Shape};
use crate::xref::{TooLong, Xref};

/// Most hits one request may ask for, and how deep it may page.
const MAX_LIMIT: usize = 200;
const MAX_OFFSET: usize = 10_000;
const MAX_SNIPPETS: usize = 10;

type Params = Query<HashMap<String, String>>;

/// `GET /api/v1/search?q=…&limit=&offset=&any=&fuzzy=&lang=&facets=&snippets=&explain=&collapse=near&near_threshold=`.
pub async fn search(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    // Files are read on the blocking thread, and the annotations once for the query and the hits.
    blocking(&shared, move |shared| {
        let annotations = Annotations::existing(&shared.index_dir)?;
        let mut request = match search_request(shared, &params, annotations.as_ref()) {
            Ok(request) => request,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        request.threads = shared.hit_threads();
        let searcher = shared.reader.searcher();
        let mut results = search::search_with(&shared.store, &searcher, &request)?;
        if let Some(annotations) = &annotations {
            search::annotate(annotations, &mut results.hits)?;
        }
        let mut out = Vec::new();
        crate::render::json::search(&mut out, &results)?;
        Ok(json(out))
    })
    .await
}

/// `GET /api/v1/documents/{id}?q=…` (and the search's `any`, `fuzzy`, `lang`).
pub async fn document(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    blocking(&shared, move |shared| {
        let annotations = Annotations::existing(&shared.index_dir)?;
        let (query, options) = match marking(shared, &params, annotations.as_ref()) {
            Ok(marking) => marking,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let searcher = shared.reader.searcher();
        let found =
            search::whole::document(&shared.store, &searcher, &id, Some((&query, &options)))?;
        let Some(mut doc) = found else {
            return Ok(no_document(&id));
        };
        if let Some(annotations) = &annotations {
            (doc.tags, doc.note) = annotations.of(&search::doc_ref(&doc.about))?;
        }
        let mut out = Vec::new();
        crate::render::json::document(&mut out, &doc)?;
        Ok(json(out))
    })
    .await
}

/// `GET /api/v1/documents/{id}/similar?limit=`: the documents most like one, as `archivist
/// similar --json` prints them (each hit with the terms it shares).
pub async fn similar(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    blocking(&shared, move |shared| {
        let limit = match number(&params, "limit", DEFAULT_LIMIT, MAX_LIMIT) {
            Ok(limit) => limit,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let annotations = Annotations::existing(&shared.index_dir)?;
        let options = match query_options(shared, &params, annotations.as_ref()) {
            Ok(options) => options,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let searcher = shared.reader.searcher();
        let found = search::similar::similar(&shared.store, &searcher, &id, limit, &options)?;
        let Some(mut similar) = found else {
            return Ok(no_document(&id));
        };
        if let Some(annotations) = &annotations {
            search::annotate(annotations, &mut similar.hits)?;
        }
        let mut out = Vec::new();
        crate::render::similar::json(&mut out, &similar)?;
        Ok(json(out))
    })
    .await
}

/// `GET /api/v1/documents/{id}/thread?q=…` (and the search's `any`, `fuzzy`, `lang`): the
/// e-mail thread of a message (or of the message a document is attached to) as a
/// conversation, the messages and attachments `q` matches marked.
pub async fn thread(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    blocking(&shared, move |shared| {
        let annotations = Annotations::existing(&shared.index_dir)?;
        let (query, options) = match marking(shared, &params, annotations.as_ref()) {
            Ok(marking) => marking,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let searcher = shared.reader.searcher();
        let found = search::conversation::conversation(
            &shared.store,
            &searcher,
            &id,
            Some((&query, &options)),
        )?;
        let Some(conversation) = found else {
            return Ok(no_document(&id));
        };
        let mut out = Vec::new();
        crate::render::json::conversation(&mut out, conversation.as_ref())?;
        Ok(json(out))
    })
    .await
}

/// `POST /api/v1/xref?limit=&all=&fuzzy=&lang=&format=&list=` with a list of names as the
/// body (up to 1 MB): what `archivist xref` prints, as JSON (one object), `jsonl` or `csv`.
/// The body is a CSV table (`list=csv`, or a `text/csv` body), a TSV one (`list=tsv`, or
/// `text/tab-separated-values`), or else one name a line.
pub async fn xref(
    State(shared): State<Arc<Shared>>,
    Query(params): Params,
    headers: axum::http::HeaderMap,
    body: String,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let shape = match params.get("list").map(String::as_str) {
        Some("csv") => Shape::Table(b','),
        Some("tsv") => Shape::Table(b'\t'),
        Some("lines") => Shape::Lines,
        Some(other) => {
            let why = format!("list must be csv, tsv or lines, not {other:?}");
            return error(StatusCode::BAD_REQUEST, Code::Request, &why);
        }
        None if content_type.starts_with("text/csv") => Shape::Table(b','),
        None if content_type.starts_with("text/tab-separated-values") => Shape::Table(b'\t'),
        None => Shape::Lines,
    };
    let (format, media) = match params.get("format").map(String::as_str) {
        None | Some("json") => (Format::Json, "application/json"),
        Some("jsonl") => (Format::Jsonl, "application/x-ndjson"),
        Some("csv") => (Format::Csv, "text/csv; charset=utf-8"),
        Some(other) => {
            let why = format!("format must be json, jsonl or csv, not {other:?}");
            return error(StatusCode::BAD_REQUEST, Code::Request, &why);
        }
    };
    blocking(&shared, move |shared| {
        let started = std::time::Instant::now();
        let entries = match list::parse(&body, shape) {
            Ok(entries) => entries,
            Err(e) => {
                return Ok(error(
                    StatusCode::BAD_REQUEST,
                    Code::List,
                    &format!("{e:#}"),
                ));
            }
        };
        let annotations = Annotations::existing(&shared.index_dir)?;
        let options = match query_options(shared, &params, annotations.as_ref()) {
            Ok(options) => options,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let limit = match number(&params, "limit", crate::xref::DEFAULT_LIMIT, MAX_LIMIT) {
            Ok(limit) => limit,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let xref = Xref {
            options,
            limit,
            all: flag(&params, "all"),
            // Before the guard's own bound, so the answer says why.
            deadline: Some(started + super::guard::XREF_TIME.mul_f32(0.9)),
        };
        let searcher = shared.reader.searcher();
        let mut printer = XrefPrinter::new(format, Vec::new(), false, false)?;
        let run = xref.run(&shared.store, &searcher, &entries, |outcomes| {
            Ok(printer.outcomes(&outcomes)?)
        });
        if let Err(e) = run {
            if let Some(too_long) = e.downcast_ref::<TooLong>() {
                return Ok(error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Code::TooLong,
                    &too_long.to_string(),
                ));
            }
            return Err(e);
        }
        printer.finish(started.elapsed())?;
        let mut response = printer.into_inner().into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
        if format == Format::Csv {
            response.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"xref.csv\""),
            );
        }
        Ok(response)
    })
    .await
}

/// Largest file `original` sends: it is read whole, to check it is the file indexed.
const MAX_ORIGINAL_BYTES: u64 = 256 << 20;

/// `GET /api/v1/documents/{id}/original`: the indexed file's bytes, as an attachment; only
/// while they are still the bytes that were indexed, and never through a symbolic link.
pub async fn original(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    blocking(&shared, move |shared| {
        let searcher = shared.reader.searcher();
        let Some(doc) = search::whole::document(&shared.store, &searcher, &id, None)? else {
            return Ok(no_document(&id));
        };
        let path = crate::path_key::path_of(&doc.about.path);
        let shown = crate::path_key::shown(&doc.about.path);
        let linked = std::fs::symlink_metadata(&path).map(|m| m.file_type().is_symlink());
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        if size > MAX_ORIGINAL_BYTES {
            // A mailbox or log of gigabytes would be held whole to be checked and sent.
            let why = format!(
                "not served: {shown} is over {} MB; open it on the archive's disk",
                MAX_ORIGINAL_BYTES >> 20
            );
            return Ok(error(StatusCode::PAYLOAD_TOO_LARGE, Code::TooLarge, &why));
        }
        let bytes = match linked {
            Ok(false) => std::fs::read(&path),
            Ok(true) => {
                let why = "not served: a symbolic link";
                return Ok(error(StatusCode::NOT_FOUND, Code::Link, why));
            }
            Err(e) => Err(e),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(e) => {
                let why = format!("cannot read {shown}: {e}");
                return Ok(error(StatusCode::NOT_FOUND, Code::Unreadable, &why));
            }
        };
        if crate::digest::hex(&Sha256::digest(&bytes)) != doc.about.sha256 {
            let why = format!("{shown} changed since it was indexed (run archivist ingest)");
            return Ok(error(StatusCode::CONFLICT, Code::Changed, &why));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(&name)),
        );
        if let Ok(value) = HeaderValue::from_str(&format!(
            "attachment; filename*=UTF-8''{}",
            percent_encoded(&name)
        )) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        Ok(response)
    })
    .await
}

/// `POST /api/v1/documents/{id}/tags?tag=TAG`: tags the document; answers its tags.
pub async fn add_tag(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    change_tags(shared, id, params, true).await
}

/// `DELETE /api/v1/documents/{id}/tags?tag=TAG`: takes the tag off; answers its tags.
pub async fn remove_tag(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    change_tags(shared, id, params, false).await
}

async fn change_tags(
    shared: Arc<Shared>,
    id: String,
    params: HashMap<String, String>,
    adding: bool,
) -> Response {
    let Some(tag) = params
        .get("tag")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    else {
        return error(StatusCode::BAD_REQUEST, Code::Request, "tag= names the tag");
    };
    annotating(&shared, id, move |annotations, doc| {
        if adding {
            annotations.tag(&tag, std::slice::from_ref(doc))?;
        } else {
            annotations.untag(&tag, std::slice::from_ref(doc))?;
        }
        Ok(())
    })
    .await
}

/// `PUT /api/v1/documents/{id}/note` with the note as the body (UTF-8 text, up to 16 KB).
pub async fn set_note(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: String,
) -> Response {
    annotating(&shared, id, move |annotations, doc| {
        annotations.note(doc, Some(&body))
    })
    .await
}

/// `DELETE /api/v1/documents/{id}/note`.
pub async fn clear_note(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    annotating(&shared, id, |annotations, doc| annotations.note(doc, None)).await
}

/// Changes the tags or note on the document `id`, and answers `{"tags", "note"}` as they are then.
async fn annotating(
    shared: &Arc<Shared>,
    id: String,
    change: impl FnOnce(&mut Annotations, &crate::annotations::DocRef) -> anyhow::Result<()>
    + Send
    + 'static,
) -> Response {
    blocking(shared, move |shared| {
        let searcher = shared.reader.searcher();
        let Some(doc) = search::whole::document(&shared.store, &searcher, &id, None)? else {
            return Ok(no_document(&id));
        };
        let doc_ref = search::doc_ref(&doc.about);
        let mut annotations = Annotations::open_waiting(&shared.index_dir, ANNOTATIONS_WAIT)?;
        change(&mut annotations, &doc_ref)?;
        let (tags, note) = annotations.of(&doc_ref)?;
        Ok(json(
            serde_json::json!({ "tags": tags, "note": note })
                .to_string()
                .into_bytes(),
        ))
    })
    .await
}

/// `GET /api/v1/status`: what `status --json` prints.
pub async fn status(State(shared): State<Arc<Shared>>) -> Response {
    blocking(&shared, |shared| {
        if !shared.index_dir.join("meta.json").is_file() {
            return Ok(error(
                StatusCode::SERVICE_UNAVAILABLE,
                Code::NoIndex,
                "the index is not there now (deleted, or being rebuilt); searches answer from \
                 what the server read last, and follow the index when it is back",
            ));
        }
        let status = crate::status::gather(&shared.store)?;
        let mut out = Vec::new();
        crate::render::json::status(&mut out, &status)?;
        Ok(json(out))
    })
    .await
}

pub async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, Code::NotFound, "nothing here")
}

fn no_document(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Code::NoDocument,
        &format!("no document with id {id:?}"),
    )
}

fn json(body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Runs `work` on a blocking thread, no more at once than the server allows. A malformed
/// query is the client's error (400, with the message the CLI gives); others are 500.
async fn blocking(
    shared: &Arc<Shared>,
    work: impl FnOnce(&Shared) -> anyhow::Result<Response> + Send + 'static,
) -> Response {
    let Ok(_permit) = shared.work.acquire().await else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            Code::Stopping,
            "the server is stopping",
        );
    };
    let shared = Arc::clone(shared);
    match tokio::task::spawn_blocking(move || work(&shared)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => {
            if let Some(query) = e.chain().find_map(|c| c.downcast_ref::<QueryError>()) {
                return query_error(query, &format!("{e:#}"));
            }
            match storage_trouble(&e) {
                Some((status, code, why)) => error(status, code, &format!("{why}: {e:#}")),
                None => error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Code::Internal,
                    &format!("{e:#}"),
                ),
            }
        }
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            Code::Internal,
            "the request failed",
        ),
    }
}

/// Longest a request waits for another program's lock on the tags and notes.
const ANNOTATIONS_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The search a request asks for, or a 400 naming the parameter that is wrong.
fn search_request(
    shared: &Shared,
    params: &HashMap<String, String>,
    annotations: Option<&Annotations>,
) -> Result<SearchRequest, Refusal> {
    let query = params.get("q").cloned().unwrap_or_default();
    let collapse_near = match params.get("collapse").map(String::as_str) {
        None | Some("") => false,
        Some("near") => true,
        Some(other) => {
            return Err(Refusal::request(format!(
                "collapse must be near, not {other:?}"
            )));
        }
    };
    let near = match params.get("near_threshold").map(|t| t.parse::<f32>()) {
        None => Threshold::default(),
        Some(Ok(t)) if (0.0..=1.0).contains(&t) => Threshold(t),
        Some(_) => {
            return Err(Refusal::request(
                "near_threshold must be a similarity from 0 to 1".to_string(),
            ));
        }
    };
    Ok(SearchRequest::new(query)
        .collapse_near(collapse_near)
        .near(near)
        .limit(number(params, "limit", DEFAULT_LIMIT, MAX_LIMIT)?)
        .offset(number(params, "offset", 0, MAX_OFFSET)?)
        .options(query_options(shared, params, annotations)?)
        .snippets(number(params, "snippets", 1, MAX_SNIPPETS)?)
        .facets(flag(params, "facets"))
        .explain(flag(params, "explain")))
}

/// `any`, `fuzzy`, `lang` and the variant names kept in the index.
fn query_options(
    shared: &Shared,
    params: &HashMap<String, String>,
    annotations: Option<&Annotations>,
) -> Result<QueryOptions, Refusal> {
    let variants =
        Variants::kept(&shared.index_dir).map_err(|e| Refusal::internal(e.to_string()))?;
    let options = QueryOptions::of_index(variants, annotations)
        .map_err(|e| Refusal::internal(format!("{e:#}")))?;
    let langs = params
        .get("lang")
        .map(|l| search::lang_list(l))
        .unwrap_or_default();
    Ok(options
        .langs(langs)
        .any(flag(params, "any"))
        .fuzzy(flag(params, "fuzzy")))
}

/// The query whose matches a document's answer marks (`q`, empty when absent) and how it is
/// read (the search's `any`, `fuzzy`, `lang`).
fn marking(
    shared: &Shared,
    params: &HashMap<String, String>,
    annotations: Option<&Annotations>,
) -> Result<(String, QueryOptions), Refusal> {
    let options = query_options(shared, params, annotations)?;
    Ok((params.get("q").cloned().unwrap_or_default(), options))
}

/// A number parameter from 0 to `max`, `default` when absent, or a 400 naming it.
fn number(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, Refusal> {
    match params.get(name) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(Refusal::request(format!(
                "{name} must be a number from 0 to {max}"
            ))),
        },
    }
}

/// A flag parameter: present and not `0`, `false`, `no` or `off`.
fn flag(params: &HashMap<String, String>, name: &str) -> bool {
    params
        .get(name)
        .is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "no" | "off"))
}

/// The media type for a file name's extension; a download either way.
fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => "application/pdf",
        Some("txt" | "md" | "csv" | "log") => "text/plain",
        Some("html" | "htm") => "text/html",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("tif" | "tiff") => "image/tiff",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// RFC 5987 percent-encoding of a file name for `filename*`.
fn percent_encoded(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_flags() {
        assert_eq!(percent_encoded("舞鶴 1.pdf"), "%E8%88%9E%E9%B6%B4%201.pdf");
        assert_eq!(content_type("Scan.PDF"), "application/pdf");
        let params: HashMap<String, String> = [
            ("any".to_string(), "1".to_string()),
            ("fuzzy".into(), "0".into()),
        ]
        .into();
        assert!(flag(&params, "any"));
        assert!(!flag(&params, "fuzzy"));
        assert!(!flag(&params, "facets"));
    }
}
