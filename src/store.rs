//! Opening and creating the on-disk index, with analyzers registered and schema checked, and
//! what it records of each indexed file (path, size, mtime, SHA-256), which ingest compares
//! with the disk and `verify` with the files' bytes.
//!
//! Both halves of the program come through here, so the analyzers (which tantivy does not store)
//! are registered on every open. What an ingest wants to remember between runs (when it last
//! finished) travels in the commit payload, so it changes atomically with the index itself.

use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Index, IndexReader, ReloadPolicy};
use thiserror::Error;

use crate::analysis;
use crate::schema::{self, Fields};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no index at {0} (run `archivist ingest` first)")]
    NotFound(PathBuf),
    #[error(
        "the index at {0} was written by an incompatible version of archivist; rebuild it: `rm -r {0}` then `archivist ingest --index {0} FOLDER...` (tags and notes are kept beside it, and pages already read by OCR come from its cache)"
    )]
    Incompatible(PathBuf),
    #[error("cannot open the index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("cannot create the index folder {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The layout of what this build writes in an index's files beyond its schema, recorded in each
/// commit: an index of another layout is refused (or, the default one, rebuilt) as one of
/// another schema is. 1: string columns (paths, hashes, parts) written with their dictionary
/// blocks uncompressed; reading one of those blocks compressed made a zstd context each time,
/// most of the cost of naming a hit's copies and near copies (BENCHMARKS.md, issue 35).
pub const INDEX_FORMAT: u32 = 1;

/// What an ingest records in each commit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommitPayload {
    /// The [`INDEX_FORMAT`] of the build that wrote the commit (0 for builds before it).
    #[serde(default)]
    pub format: u32,
    /// Unix seconds at which the last complete ingest finished.
    pub last_ingest: Option<i64>,
    /// True while an ingest has committed part of its work but not finished.
    #[serde(default)]
    pub partial: bool,
    /// Files read in pieces whose ingest stopped before their end, by key: what this commit
    /// holds of each, so the next ingest goes on from there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unfinished: BTreeMap<String, Unfinished>,
}

/// How far a file read in pieces (a mailbox, a large text, a PST) was written by an ingest
/// that stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unfinished {
    /// The SHA-256 of the file as that ingest read it: only the same file goes on from here.
    pub sha256: String,
    /// Bytes whose documents are all written.
    pub offset: u64,
    /// Messages, lines or PST items before `offset`.
    pub count: u64,
}

pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
}

impl Store {
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        if !Self::exists(dir) {
            return Err(StoreError::NotFound(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir).map_err(|source| StoreError::Tantivy {
            path: dir.to_path_buf(),
            source,
        })?;
        let (expected, fields) = schema::build();
        if !schema::matches(&index.schema(), &expected) {
            return Err(StoreError::Incompatible(dir.to_path_buf()));
        }
        let store = Self::wrap(dir, index, fields);
        let written = store
            .index
            .searchable_segment_metas()
            .map_or(true, |segments| !segments.is_empty());
        if written && store.payload().format != INDEX_FORMAT {
            return Err(StoreError::Incompatible(dir.to_path_buf()));
        }
        Ok(store)
    }

    pub fn open_or_create(dir: &Path) -> Result<Store, StoreError> {
        if Self::exists(dir) {
            return Self::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema).map_err(|source| StoreError::Tantivy {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Self::wrap(dir, index, fields))
    }

    /// An empty index in memory, with the analyzers registered: for unit tests of what reads
    /// an index.
    #[cfg(test)]
    pub fn in_ram() -> Store {
        let (schema, fields) = schema::build();
        Self::wrap(Path::new(":memory:"), Index::create_in_ram(schema), fields)
    }

    fn wrap(dir: &Path, index: Index, fields: Fields) -> Store {
        analysis::register(index.tokenizers());
        Store {
            dir: dir.to_path_buf(),
            index,
            fields,
        }
    }

    /// A reader that sees the last commit and never reloads behind the caller's back.
    pub fn reader(&self) -> Result<IndexReader, StoreError> {
        self.reader_reloading(ReloadPolicy::Manual)
    }

    /// A reader that follows the index: it reloads within a second of each new commit (a
    /// server's, while an ingest runs beside it).
    pub fn following_reader(&self) -> Result<IndexReader, StoreError> {
        self.reader_reloading(ReloadPolicy::OnCommitWithDelay)
    }

    fn reader_reloading(&self, policy: ReloadPolicy) -> Result<IndexReader, StoreError> {
        self.index
            .reader_builder()
            .reload_policy(policy)
            .try_into()
            .map_err(|source| StoreError::Tantivy {
                path: self.dir.clone(),
                source,
            })
    }

    /// The payload of the last commit (default when none was written).
    pub fn payload(&self) -> CommitPayload {
        self.index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default()
    }
}

/// What the index remembers of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    pub size: u64,
    pub mtime: i64,
    pub sha256: String,
}

/// Reads path, size, mtime and hash of every live document from the fast fields. A file's
/// record is its largest document's: the documents a grown mailbox or log added to it record
/// its size now, those read before its size then.
pub fn indexed_files(
    reader: &IndexReader,
    fields: &Fields,
) -> anyhow::Result<HashMap<String, Indexed>> {
    let searcher = reader.searcher();
    let schema = searcher.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let mut out = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let paths = fast
            .str(&name(fields.path))?
            .context("index has no path column")?;
        let hashes = fast
            .str(&name(fields.sha256))?
            .context("index has no sha256 column")?;
        let sizes = fast.u64(&name(fields.size))?;
        let mtimes = fast.i64(&name(fields.mtime))?;
        let docs: Vec<DocId> = segment.doc_ids_alive().collect();
        let paths = first_strings(&paths, &docs)?;
        let hashes = first_strings(&hashes, &docs)?;
        for ((doc, path), sha256) in docs.into_iter().zip(paths).zip(hashes) {
            let indexed = Indexed {
                size: sizes.first(doc).unwrap_or(0),
                mtime: mtimes.first(doc).unwrap_or(0),
                sha256,
            };
            match out.get(&path) {
                Some(Indexed { size, .. }) if *size >= indexed.size => {}
                _ => {
                    out.insert(path, indexed);
                }
            }
        }
    }
    Ok(out)
}

/// The latest time (Unix seconds) any live document was ingested, from the fast field.
pub fn latest_ingest(reader: &IndexReader, fields: &Fields) -> anyhow::Result<Option<i64>> {
    let searcher = reader.searcher();
    let name = searcher
        .schema()
        .get_field_name(fields.ingested)
        .to_string();
    let mut latest: Option<i64> = None;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().i64(&name)?;
        for doc in segment.doc_ids_alive() {
            if let Some(t) = column.first(doc) {
                latest = Some(latest.map_or(t, |l| l.max(t)));
            }
        }
    }
    Ok(latest)
}

/// Every language (ISO 639-1) some document of the index holds: the terms of `langs`.
pub fn languages(reader: &IndexReader, fields: &Fields) -> anyhow::Result<Vec<String>> {
    let mut out = std::collections::BTreeSet::new();
    for segment in reader.searcher().segment_readers() {
        let index = segment.inverted_index(fields.langs)?;
        let mut terms = index.terms().stream()?;
        while terms.advance() {
            out.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(out.into_iter().collect())
}

/// The first value of a string column for each of `docs`, in order, resolved in one pass over
/// the column's dictionary in term order. Looking each up on its own decompresses a dictionary
/// block (zstd, with a new context each time) per document, which made listing a large
/// index most of a small re-ingest (see BENCHMARKS.md, "Figures behind the code").
fn first_strings(column: &StrColumn, docs: &[DocId]) -> anyhow::Result<Vec<String>> {
    let ords: Vec<Option<u64>> = docs
        .iter()
        .map(|&doc| column.term_ords(doc).next())
        .collect();
    let mut sorted: Vec<u64> = ords.iter().flatten().copied().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut terms: Vec<String> = Vec::with_capacity(sorted.len());
    column
        .dictionary()
        .sorted_ords_to_term_cb(&sorted, |bytes| {
            terms.push(String::from_utf8_lossy(bytes).into_owned());
        })?;
    Ok(ords
        .into_iter()
        .map(|ord| {
            ord.and_then(|ord| sorted.binary_search(&ord).ok())
                .and_then(|i| terms.get(i).cloned())
                .unwrap_or_default()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use tantivy::doc;

    use super::*;

    /// Commits one document to a new index in `dir` with `payload`.
    fn written(dir: &Path, payload: &str) {
        let store = Store::open_or_create(dir).expect("new index");
        let mut writer = store
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .expect("writer");
        writer
            .add_document(doc!(store.fields.body => "letter"))
            .expect("add");
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload(payload);
        prepared.commit().expect("commit");
    }

    /// An index of this schema written by a build of another layout (its commits name no
    /// format, or another) is refused as incompatible; one of this layout, or still empty, opens.
    #[test]
    fn an_index_of_another_layout_is_incompatible() {
        let dir = tempfile::tempdir().expect("temp dir");
        let empty = dir.path().join("empty");
        Store::open_or_create(&empty).expect("new index");
        assert!(Store::open(&empty).is_ok(), "nothing written yet");
        for (name, payload, opens) in [
            ("older", r#"{"last_ingest":1}"#.to_string(), false),
            ("other", r#"{"format":99}"#.to_string(), false),
            ("this", format!(r#"{{"format":{INDEX_FORMAT}}}"#), true),
        ] {
            let path = dir.path().join(name);
            written(&path, &payload);
            match Store::open(&path) {
                Ok(_) => assert!(opens, "{name} opened"),
                Err(StoreError::Incompatible(_)) => assert!(!opens, "{name} refused"),
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
}
