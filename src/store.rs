//! Opening and creating the on-disk index, with analyzers registered and schema checked.
//!
//! Both halves of the program come through here, so the analyzers (which tantivy does not store)
//! are registered on every open. What an ingest wants to remember between runs (when it last
//! finished) travels in the commit payload, so it changes atomically with the index itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};
use thiserror::Error;

use crate::analysis;
use crate::schema::{self, Fields};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no index at {0} (run `archivist ingest` first)")]
    NotFound(PathBuf),
    #[error(
        "the index at {0} was written by an incompatible version of archivist; delete it and ingest again"
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

/// What an ingest records in each commit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommitPayload {
    /// Unix seconds at which the last complete ingest finished.
    pub last_ingest: Option<i64>,
    /// True while an ingest has committed part of its work but not finished.
    #[serde(default)]
    pub partial: bool,
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
        Ok(Self::wrap(dir, index, fields))
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
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
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
