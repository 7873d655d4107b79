//! `archivist verify`: fixity check. Every indexed file is hashed again and compared with the
//! SHA-256 recorded at ingest, the way archives check that their holdings have not silently
//! changed or gone missing.
//!
//! Files are streamed through the hash (never read whole), on all cores.

use std::fs::File;
use std::io;

use anyhow::Result;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::parallel;
use crate::store::{Store, indexed_files};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fixity {
    /// Same bytes as at ingest.
    Ok,
    /// The file is there but its content differs.
    Changed,
    /// The file is gone.
    Missing,
    /// The file could not be read (permissions, I/O error).
    Unreadable,
}

#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub path: String,
    pub status: Fixity,
    pub expected: String,
    /// The hash found now (for `changed`), or the error (for `unreadable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Verification {
    pub ok: usize,
    pub changed: usize,
    pub missing: usize,
    pub unreadable: usize,
    /// Every file checked, sorted by path.
    pub files: Vec<Checked>,
}

impl Verification {
    pub fn all_ok(&self) -> bool {
        self.ok == self.files.len()
    }
}

pub fn verify(store: &Store) -> Result<Verification> {
    let reader = store.reader()?;
    let mut expected: Vec<(String, String)> = indexed_files(&reader, &store.fields)?
        .into_iter()
        .map(|(path, file)| (path, file.sha256))
        .collect();
    expected.sort();
    let mut files = parallel::map(parallel::cores(), &expected, |_, (path, sha)| {
        check(path, sha)
    })?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Verification::default();
    for file in &files {
        *match file.status {
            Fixity::Ok => &mut out.ok,
            Fixity::Changed => &mut out.changed,
            Fixity::Missing => &mut out.missing,
            Fixity::Unreadable => &mut out.unreadable,
        } += 1;
    }
    out.files = files;
    Ok(out)
}

fn check(path: &str, expected: &str) -> Checked {
    let (status, found) = match hash_file(path) {
        Ok(actual) if actual == expected => (Fixity::Ok, None),
        Ok(actual) => (Fixity::Changed, Some(actual)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (Fixity::Missing, None),
        Err(e) => (Fixity::Unreadable, Some(e.to_string())),
    };
    Checked {
        path: crate::path_key::shown(path),
        status,
        expected: expected.to_string(),
        found,
    }
}

fn hash_file(key: &str) -> io::Result<String> {
    let mut file = File::open(crate::path_key::path_of(key))?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}
