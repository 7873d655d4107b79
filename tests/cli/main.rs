//! CLI tests: the real binary on real files (the bundled corpus, the language samples, and the
//! format, encoding and bad-input fixtures), in one test binary. `search`, `any` and
//! `spaceless` search; `languages` detects and romanizes; `commands` covers the index's life
//! (first search, rebuild, re-ingest, status, help); `archival` the robustness of ingest; `json`
//! holds the documented JSON formats as types. Here: the test environment and its helpers.

mod any;
mod archival;
mod browser;
mod commands;
mod containers;
mod dates;
mod entities;
mod export;
mod hostile;
mod json;
mod languages;
mod mailboxes;
mod near;
mod ocr;
mod ocr_models;
mod office;
mod outlook;
mod page;
mod pdf;
mod search;
mod serve;
mod similar;
mod spaceless;
mod tags;
mod threads;
mod watch;
mod xref;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::de::DeserializeOwned;

use json::{Hit, Search, Status};

const SEEDS: [&str; 5] = [
    "000_6e8e82b7c2a2fad8.txt",
    "001_def77d6c715c9dca.txt",
    "002_32edfc6f972ab332.txt",
    "003_6a3fca12401d4398.txt",
    "004_379e556dd82759a7.txt",
];

/// The variant-names file shipped with the corpus.
const VARIANTS: &str = "archivist-variants.txt";

/// A temporary working folder with a copy of the bundled corpus in `corpus/`.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus dir");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for seed in SEEDS.iter().chain(&[VARIANTS]) {
            std::fs::copy(source.join(seed), corpus.join(seed)).expect("copy seed");
        }
        Env { dir }
    }

    /// An Env whose index already holds the corpus.
    fn ingested() -> Env {
        let env = Env::new();
        let out = env.run(&["ingest"]);
        assert!(out.status.success(), "ingest failed: {}", stderr(&out));
        env
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_archivist"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            // OCR'd pages are cached per test, not in the user's cache folder.
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .output()
            .expect("run archivist")
    }

    fn search(&self, query: &str) -> Search {
        let out = self.run(&["search", "--json", "--", query]);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{}",
            stderr(&out)
        );
        json(&out)
    }
}

/// stdout read as one of the documented JSON formats (see `json`); a field the format does not
/// document, or one it documents missing, fails the test.
fn json<T: DeserializeOwned>(out: &Output) -> T {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not the documented JSON ({e}): {}\nstderr: {}",
            stdout(out),
            stderr(out)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The seed numbers ("001", ...) of the hits.
fn seeds(results: &Search) -> BTreeSet<String> {
    hit_seeds(&results.hits)
}

/// The seed numbers of some hits.
fn hit_seeds<'a>(hits: impl IntoIterator<Item = &'a Hit>) -> BTreeSet<String> {
    hits.into_iter()
        .map(|h| {
            let name = Path::new(&h.path)
                .file_name()
                .expect("file name")
                .to_string_lossy();
            name.chars().take(3).collect()
        })
        .collect()
}

/// The file names (last path component) of the hits.
fn file_names(results: &Search) -> BTreeSet<String> {
    results
        .hits
        .iter()
        .map(|h| h.path.rsplit('/').next().unwrap_or(&h.path).to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Search {
    /// The hit for the file whose path ends with `file`; the test fails, showing the results,
    /// when there is none.
    fn hit(&self, file: &str) -> &Hit {
        self.hits
            .iter()
            .find(|h| h.path.ends_with(file))
            .unwrap_or_else(|| panic!("{} finds no {file}: {self}", self.query))
    }
}

/// The highlighted strings of a hit's snippet.
fn highlighted(hit: &Hit) -> Vec<String> {
    hit.snippet.marked()
}

/// File names (without folders) of the hits, in rank order.
fn ranked_names(results: &Search) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| h.path.rsplit('/').next().unwrap_or("").to_string())
        .collect()
}
