//! Ingest: files in, index out.
//!
//! The pipeline, one module per stage: [`discover`] walks the inputs, [`changes`] compares them
//! with the index, worker threads [`prepare`] each new or changed file (read, hash,
//! [`extract`], detect its [`language`]) and hand [`document`]s through a bounded channel to the
//! single [`write`]r, which commits atomically. Every file ends as exactly one outcome in the
//! [`IngestReport`].

pub mod budget;
pub mod changes;
pub mod discover;
pub mod document;
pub mod extract;
pub mod language;
pub mod mapped;
pub mod prepare;
pub mod progress;
pub mod write;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::settings::{Settings, Verbosity};
use crate::store::{CommitPayload, Store};
use budget::{Budget, Held, IN_FLIGHT_BYTES};
use changes::Work;
use extract::Rejection;
use language::Detector;
use prepare::Prepared;
use progress::Progress;
use write::Writer;

/// What the user asked to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub inputs: Vec<PathBuf>,
    pub max_file_size: u64,
    /// Commit after this many files as well as by time and size.
    pub commit_every: Option<usize>,
}

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
    Removed,
    Skipped,
    Failed,
}

impl Outcome {
    pub fn verb(self) -> &'static str {
        match self {
            Outcome::Added => "added",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Removed => "removed",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }
}

/// One file's outcome, as `--report` writes it.
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub path: String,
    pub outcome: Outcome,
    /// Why it was skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// Documents indexed from it (several for an mbox).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<usize>,
    /// Another indexed file with identical content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

/// How the batch went; every file considered is counted exactly once.
#[derive(Debug, Default, Clone)]
pub struct IngestReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Files read whose content is identical to another indexed file's.
    pub duplicates: usize,
    /// Bytes of files read.
    pub bytes: u64,
    pub elapsed: Duration,
    /// Every file's outcome, in the order they were decided.
    pub files: Vec<FileOutcome>,
}

impl IngestReport {
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} added, {} updated, {} unchanged, {} removed, {} failed, {} skipped ({:.1} MB in {:.2} s)",
            self.added,
            self.updated,
            self.unchanged,
            self.removed,
            self.failed,
            self.skipped,
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64()
        );
        if self.duplicates > 0 {
            line.push_str(&format!(
                "; {} with the same content as another file",
                self.duplicates
            ));
        }
        line
    }

    /// Counts and records one file's outcome.
    fn record(&mut self, outcome: FileOutcome) {
        let counter = match outcome.outcome {
            Outcome::Added => &mut self.added,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
            Outcome::Removed => &mut self.removed,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Failed => &mut self.failed,
        };
        *counter += 1;
        self.duplicates += usize::from(outcome.duplicate_of.is_some());
        self.files.push(outcome);
    }

    /// The `--report` JSON: `{"summary": {...counts}, "files": [{path, outcome, reason?,
    /// format?, documents?, duplicate_of?}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "summary": {
                "added": self.added,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "removed": self.removed,
                "skipped": self.skipped,
                "failed": self.failed,
                "duplicates": self.duplicates,
                "bytes": self.bytes,
                "seconds": self.elapsed.as_secs_f64(),
            },
            "files": self.files,
        })
    }
}

fn outcome(path: impl Into<String>, outcome: Outcome) -> FileOutcome {
    FileOutcome {
        path: path.into(),
        outcome,
        reason: None,
        format: None,
        documents: None,
        duplicate_of: None,
    }
}

/// Queue length between the workers and the writer: bounds the documents held in memory.
const QUEUE: usize = 32;

pub fn run(settings: &Settings, options: &IngestOptions) -> Result<IngestReport> {
    let started = Instant::now();
    mapped::return_freed_memory();
    let store = Store::open_or_create(&settings.index_dir)?;
    let mut writer = Writer::new(&store, options.commit_every)?;
    let mut report = IngestReport::default();
    let say = |progress: Option<&Progress>, level: Verbosity, line: String| {
        if settings.verbosity >= level {
            match progress {
                Some(p) => p.println(&line),
                None => eprintln!("{line}"),
            }
        }
    };

    let discovery = discover::discover(&options.inputs, &settings.index_dir);
    for (problems, kind) in [
        (&discovery.skipped, Outcome::Skipped),
        (&discovery.failed, Outcome::Failed),
    ] {
        for problem in problems {
            let path = problem.path.display().to_string();
            say(
                None,
                Verbosity::Normal,
                format!("archivist: {} {path}: {}", kind.verb(), problem.reason),
            );
            report.record(FileOutcome {
                reason: Some(problem.reason.clone()),
                ..outcome(path, kind)
            });
        }
    }

    let reader = store.reader()?;
    let indexed = changes::indexed_files(&reader, &store.fields)
        .with_context(|| format!("cannot read the index at {}", store.dir.display()))?;
    // Content already indexed, by hash: to notice identical files under other paths.
    let mut by_hash: HashMap<String, String> = indexed
        .iter()
        .map(|(key, file)| (file.sha256.clone(), key.clone()))
        .collect();
    let plan = changes::plan(&discovery, indexed);
    for key in &plan.unchanged {
        report.record(outcome(key.as_str(), Outcome::Unchanged));
    }
    for key in &plan.removed {
        writer.remove(key);
        say(None, Verbosity::Verbose, format!("removed {key}"));
        report.record(outcome(key.as_str(), Outcome::Removed));
    }

    let total_bytes = plan.work.iter().map(|w| w.file.size).sum();
    let progress = Progress::new(settings.progress, plan.work.len(), total_bytes);
    let ingested_at = unix_seconds(SystemTime::now());
    let detector = Detector::new();
    let next = AtomicUsize::new(0);
    let budget = Arc::new(Budget::new(IN_FLIGHT_BYTES));
    // What a file takes from the budget, and gives back: never more than may be read of it.
    let cost = |item: &Work| item.file.size.min(options.max_file_size);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let result: Result<()> = std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(&Work, Result<Prepared, Rejection>)>(QUEUE);
        for _ in 0..workers {
            let sender = sender.clone();
            let (work, next, detector, budget, cost) =
                (&plan.work, &next, &detector, &*budget, &cost);
            scope.spawn(move || {
                while let Some(item) = work.get(next.fetch_add(1, Ordering::Relaxed)) {
                    budget.take(cost(item));
                    let outcome = prepare::prepare(item, detector, options.max_file_size);
                    if sender.send((item, outcome)).is_err() {
                        break; // the writer stopped on an error
                    }
                }
            });
        }
        drop(sender);
        // However the writer stops, workers waiting for the budget must not wait for it.
        let _release = budget.closer();
        for (done, (item, result)) in receiver.into_iter().enumerate() {
            let path = item.file.path.display().to_string();
            // The file's share of the budget, back when this and its documents are dropped.
            let held = Held::new(Arc::clone(&budget), cost(item));
            match result {
                Ok(mut prepared) => {
                    let text_bytes = prepared.text_bytes();
                    let docs = document::to_documents(&mut prepared, &store.fields, ingested_at);
                    writer.upsert(&prepared.file.key, docs, text_bytes, &held)?;
                    let kind = if prepared.same_content {
                        Outcome::Unchanged
                    } else if prepared.replaces {
                        Outcome::Updated
                    } else {
                        Outcome::Added
                    };
                    let duplicate_of = by_hash
                        .get(&prepared.sha256)
                        .filter(|other| **other != prepared.file.key)
                        .cloned();
                    by_hash
                        .entry(prepared.sha256.clone())
                        .or_insert_with(|| prepared.file.key.clone());
                    let languages = prepared
                        .documents
                        .first()
                        .map_or("", |d| d.languages.main.as_str());
                    let same = duplicate_of
                        .as_ref()
                        .map(|d| format!(", same content as {d}"))
                        .unwrap_or_default();
                    say(
                        Some(&progress),
                        Verbosity::Verbose,
                        format!(
                            "{} {path} ({}, {languages}{same})",
                            kind.verb(),
                            prepared.format.name()
                        ),
                    );
                    report.record(FileOutcome {
                        format: Some(prepared.format.name()),
                        documents: Some(prepared.documents.len()),
                        duplicate_of,
                        ..outcome(path, kind)
                    });
                }
                Err(rejection) => {
                    let (kind, reason) = match rejection {
                        Rejection::Skip(reason) => (Outcome::Skipped, reason),
                        Rejection::Fail(reason) => (Outcome::Failed, reason),
                    };
                    say(
                        Some(&progress),
                        Verbosity::Normal,
                        format!("archivist: {} {path}: {reason}", kind.verb()),
                    );
                    report.record(FileOutcome {
                        reason: Some(reason),
                        ..outcome(path, kind)
                    });
                }
            }
            drop(held);
            report.bytes += item.file.size;
            progress.advance(done + 1, plan.work.len(), item.file.size);
            writer.commit_if_due()?;
        }
        Ok(())
    });
    progress.finish();
    result?;
    // Detection is over; the commit and the final merge need none of lingua's models.
    drop(detector);
    mapped::release_executable_pages();
    writer.commit(&CommitPayload {
        last_ingest: Some(unix_seconds(SystemTime::now())),
        partial: false,
    })?;
    writer.finish()?;
    keep_variants(&discovery.variants_files, &store.dir, &mut report, &say);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Validates the variant-names files found in the inputs and keeps their groups, joined, in the
/// index folder, where `search` reads them.
fn keep_variants(
    files: &[PathBuf],
    index_dir: &std::path::Path,
    report: &mut IngestReport,
    say: &impl Fn(Option<&Progress>, Verbosity, String),
) {
    use crate::variants::{FILE_NAME, Variants};
    let mut joined = String::new();
    for file in files {
        let path = file.display().to_string();
        let checked = std::fs::read_to_string(file)
            .map_err(|source| crate::variants::VariantsError::Read {
                path: path.clone(),
                source,
            })
            .and_then(|text| Variants::parse(&text, &path).map(|_| text));
        match checked {
            Ok(text) => {
                joined.push_str(&text);
                joined.push('\n');
                say(None, Verbosity::Verbose, format!("variants {path}"));
            }
            Err(e) => {
                say(
                    None,
                    Verbosity::Normal,
                    format!("archivist: failed {path}: {e}"),
                );
                report.record(FileOutcome {
                    reason: Some(e.to_string()),
                    ..outcome(path, Outcome::Failed)
                });
            }
        }
    }
    if !joined.is_empty()
        && let Err(e) = std::fs::write(index_dir.join(FILE_NAME), joined)
    {
        say(
            None,
            Verbosity::Normal,
            format!(
                "archivist: cannot keep the variants in {}: {e}",
                index_dir.display()
            ),
        );
    }
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
