//! Compare what is on disk with what the index holds and decide what to do with each file.
//!
//! Size and mtime decide cheaply; a file whose size or mtime moved is re-read, and if its
//! SHA-256 turns out unchanged it is only re-recorded (counted as unchanged). Indexed files under
//! an ingested input that are no longer there are removed; files that could not be looked at
//! this time are kept, so a disconnected drive or a permission error never empties the index.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, IndexReader};

use super::discover::{Discovery, SourceFile};
use crate::schema::Fields;

/// What the index remembers of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    pub size: u64,
    pub mtime: i64,
    pub sha256: String,
}

/// A file that has to be read: new, or possibly changed.
#[derive(Debug, Clone)]
pub struct Work {
    pub file: SourceFile,
    pub previous: Option<Indexed>,
}

#[derive(Debug, Default)]
pub struct ChangeSet {
    pub work: Vec<Work>,
    /// Keys of files whose size and mtime did not move: not read again.
    pub unchanged: Vec<String>,
    /// Keys of indexed documents whose files are gone.
    pub removed: Vec<String>,
}

/// Reads path, size, mtime and hash of every live document from the fast fields.
pub fn indexed_files(reader: &IndexReader, fields: &Fields) -> Result<HashMap<String, Indexed>> {
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
            out.insert(path, indexed);
        }
    }
    Ok(out)
}

/// The first value of a string column for each of `docs`, in order, resolved in one pass over
/// the column's dictionary in term order. Looking each up on its own decompresses a dictionary
/// block (zstd, with a new context each time) per document, which made listing a large
/// index most of a small re-ingest (see BENCHMARKS.md, "Figures behind the code").
fn first_strings(column: &StrColumn, docs: &[DocId]) -> Result<Vec<String>> {
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

pub fn plan(discovery: &Discovery, mut indexed: HashMap<String, Indexed>) -> ChangeSet {
    let mut changes = ChangeSet::default();
    for file in &discovery.files {
        match indexed.remove(&file.key) {
            Some(old) if old.size == file.size && old.mtime == file.mtime => {
                changes.unchanged.push(file.key.clone())
            }
            previous => changes.work.push(Work {
                file: file.clone(),
                previous,
            }),
        }
    }
    let unreachable: HashSet<&str> = discovery
        .failed
        .iter()
        .filter_map(|p| p.path.to_str())
        .collect();
    let mut removed: Vec<String> = indexed
        .into_keys()
        .filter(|key| discovery.covers(key) && !unreachable.iter().any(|u| key.starts_with(u)))
        .collect();
    removed.sort();
    changes.removed = removed;
    changes
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::ingest::discover::Problem;

    fn file(key: &str, size: u64, mtime: i64) -> SourceFile {
        SourceFile {
            path: PathBuf::from(key),
            key: key.into(),
            size,
            mtime,
            folder: ".".into(),
        }
    }

    fn indexed(size: u64, mtime: i64) -> Indexed {
        Indexed {
            size,
            mtime,
            sha256: "x".into(),
        }
    }

    #[test]
    fn classifies_add_update_unchanged_remove() {
        let discovery = Discovery {
            files: vec![
                file("/c/new", 1, 1),
                file("/c/same", 2, 2),
                file("/c/edit", 3, 9),
            ],
            roots: vec![PathBuf::from("/c")],
            failed: vec![Problem {
                path: PathBuf::from("/c/locked"),
                reason: "permission denied".into(),
            }],
            ..Discovery::default()
        };
        let mut index = HashMap::new();
        index.insert("/c/same".to_string(), indexed(2, 2));
        index.insert("/c/edit".to_string(), indexed(3, 3));
        index.insert("/c/gone".to_string(), indexed(1, 1));
        index.insert("/c/locked/x".to_string(), indexed(1, 1));
        index.insert("/elsewhere/kept".to_string(), indexed(1, 1));
        let changes = plan(&discovery, index);
        assert_eq!(changes.unchanged, ["/c/same"]);
        let work: Vec<_> = changes
            .work
            .iter()
            .map(|w| (w.file.key.as_str(), w.previous.is_some()))
            .collect();
        assert_eq!(work, [("/c/new", false), ("/c/edit", true)]);
        assert_eq!(changes.removed, ["/c/gone"]);
    }
}
