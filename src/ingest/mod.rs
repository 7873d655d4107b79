//! Ingest: files in, index out.
//!
//! The pipeline, one module per stage: [`discover`] walks the inputs, [`changes`] compares them
//! with the index, worker threads [`prepare`] each new or changed file (read, hash,
//! [`extract`], detect its [`language`]) and hand [`document`]s through a bounded channel to the
//! single [`write`]r, which commits atomically. Every file ends as exactly one outcome in the
//! [`IngestReport`].

pub mod changes;
pub mod discover;
pub mod document;
pub mod extract;
pub mod language;
pub mod prepare;
pub mod progress;
pub mod write;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::settings::{Settings, Verbosity};
use crate::store::{CommitPayload, Store};
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
    /// Bytes of files read.
    pub bytes: u64,
    pub elapsed: Duration,
}

impl IngestReport {
    pub fn summary(&self) -> String {
        format!(
            "{} added, {} updated, {} unchanged, {} removed, {} failed, {} skipped ({:.1} MB in {:.2} s)",
            self.added,
            self.updated,
            self.unchanged,
            self.removed,
            self.failed,
            self.skipped,
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Queue length between the workers and the writer: bounds the documents held in memory.
const QUEUE: usize = 32;

pub fn run(settings: &Settings, options: &IngestOptions) -> Result<IngestReport> {
    let started = Instant::now();
    let store = Store::open_or_create(&settings.index_dir)?;
    let mut writer = Writer::new(&store)?;
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
    for problem in &discovery.skipped {
        say(
            None,
            Verbosity::Verbose,
            format!(
                "archivist: skipped {}: {}",
                problem.path.display(),
                problem.reason
            ),
        );
    }
    for problem in &discovery.failed {
        say(
            None,
            Verbosity::Normal,
            format!(
                "archivist: failed {}: {}",
                problem.path.display(),
                problem.reason
            ),
        );
    }
    report.skipped += discovery.skipped.len();
    report.failed += discovery.failed.len();

    let reader = store.reader()?;
    let indexed = changes::indexed_files(&reader, &store.fields)
        .with_context(|| format!("cannot read the index at {}", store.dir.display()))?;
    let plan = changes::plan(&discovery, indexed);
    report.unchanged += plan.unchanged;
    for key in &plan.removed {
        writer.remove(key);
        say(None, Verbosity::Verbose, format!("removed {key}"));
    }
    report.removed = plan.removed.len();

    let total_bytes = plan.work.iter().map(|w| w.file.size).sum();
    let progress = Progress::new(settings.progress, plan.work.len(), total_bytes);
    let ingested_at = unix_seconds(SystemTime::now());
    let detector = Detector::new();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let result: Result<()> = std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(&Work, Result<Prepared, Rejection>)>(QUEUE);
        for _ in 0..workers {
            let sender = sender.clone();
            let (work, next, detector) = (&plan.work, &next, &detector);
            scope.spawn(move || {
                while let Some(item) = work.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let outcome = prepare::prepare(item, detector, options.max_file_size);
                    if sender.send((item, outcome)).is_err() {
                        break; // the writer stopped on an error
                    }
                }
            });
        }
        drop(sender);
        for (done, (item, outcome)) in receiver.into_iter().enumerate() {
            let path = item.file.path.display();
            match outcome {
                Ok(prepared) => {
                    let doc = document::to_document(&prepared, &store.fields, ingested_at);
                    writer.upsert(&prepared.file.key, doc, prepared.text.len() as u64)?;
                    let verb = if prepared.same_content {
                        report.unchanged += 1;
                        "unchanged"
                    } else if prepared.replaces {
                        report.updated += 1;
                        "updated"
                    } else {
                        report.added += 1;
                        "added"
                    };
                    say(
                        Some(&progress),
                        Verbosity::Verbose,
                        format!("{verb} {path} ({})", prepared.languages.main),
                    );
                }
                Err(Rejection::Skip(reason)) => {
                    report.skipped += 1;
                    say(
                        Some(&progress),
                        Verbosity::Normal,
                        format!("archivist: skipped {path}: {reason}"),
                    );
                }
                Err(Rejection::Fail(reason)) => {
                    report.failed += 1;
                    say(
                        Some(&progress),
                        Verbosity::Normal,
                        format!("archivist: failed {path}: {reason}"),
                    );
                }
            }
            report.bytes += item.file.size;
            progress.advance(done + 1, plan.work.len(), item.file.size);
            writer.commit_if_due()?;
        }
        Ok(())
    });
    progress.finish();
    result?;
    writer.commit(&CommitPayload {
        last_ingest: Some(unix_seconds(SystemTime::now())),
        partial: false,
    })?;
    writer.finish()?;
    report.elapsed = started.elapsed();
    Ok(report)
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
