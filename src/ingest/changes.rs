//! Compare what is on disk with what the index holds and decide what to do with each file.
//!
//! Size and mtime decide cheaply; a file whose size or mtime moved is re-read, and if its
//! SHA-256 turns out unchanged it is only re-recorded (counted as unchanged). Indexed files under
//! an ingested input that are no longer there are removed; files that could not be looked at
//! this time are kept, so a disconnected drive or a permission error never empties the index.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::discover::{Discovery, SourceFile};
use crate::store::{Indexed, Unfinished};

/// A file that has to be read: new, or possibly changed.
#[derive(Debug, Clone)]
pub struct Work {
    pub file: SourceFile,
    pub previous: Option<Indexed>,
    /// An earlier ingest wrote this file's first pieces and was stopped (see [`super::pieces`]).
    pub resume: Option<Unfinished>,
}

#[derive(Debug, Default)]
pub struct ChangeSet {
    pub work: Vec<Work>,
    /// Keys of files whose size and mtime did not move: not read again.
    pub unchanged: Vec<String>,
    /// Keys of indexed documents whose files are gone.
    pub removed: Vec<String>,
}

pub fn plan(
    discovery: &Discovery,
    mut indexed: HashMap<String, Indexed>,
    unfinished: &BTreeMap<String, Unfinished>,
) -> ChangeSet {
    let mut changes = ChangeSet::default();
    // A file given twice (`ingest a a/b`) is read once: a new file is written without first
    // deleting its earlier documents, so a second copy would double it.
    let mut seen: HashSet<&str> = HashSet::with_capacity(discovery.files.len());
    for file in &discovery.files {
        if !seen.insert(&file.key) {
            continue;
        }
        let resume = unfinished.get(&file.key).cloned();
        match indexed.remove(&file.key) {
            Some(old) if old.size == file.size && old.mtime == file.mtime && resume.is_none() => {
                changes.unchanged.push(file.key.clone())
            }
            previous => changes.work.push(Work {
                file: file.clone(),
                previous,
                resume,
            }),
        }
    }
    let unreachable: HashSet<String> = discovery
        .failed
        .iter()
        .map(|p| crate::path_key::key_of(&p.path))
        .collect();
    let mut removed: Vec<String> = indexed
        .into_keys()
        .filter(|key| {
            discovery.covers(key) && !unreachable.iter().any(|u| key.starts_with(u.as_str()))
        })
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
                file("/c/new", 1, 1),
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
        let changes = plan(&discovery, index, &BTreeMap::new());
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
