//! Ingest: files in, index out.
//!
//! The pipeline, one module per stage: [`discover`] walks the inputs, [`changes`] compares them
//! with the index, worker threads [`read`] each new or changed file (read, hash,
//! [`extract`], detect its [`language`]) and hand [`document`]s through a bounded channel to the
//! single [`mod@write`]r, which commits atomically. Every file ends as exactly one outcome in the
//! [`IngestReport`] ([`report`]), told as it is decided through a [`Notice`].
//! Beside the stages: [`budget`] bounds the bytes of files in flight, [`progress`] draws the bar,
//! and [`memory`] gives back memory the process holds without needing it.

pub mod budget;
pub mod changes;
pub mod discover;
pub mod document;
pub mod extract;
pub mod language;
pub mod memory;
pub mod pieces;
pub mod progress;
pub mod read;
pub mod report;
mod streamed;
pub mod workers;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::parallel;
use crate::store::{CommitPayload, Store};
use crate::variants::{FILE_NAME, Variants};
use budget::{Budget, Held, IN_FLIGHT_BYTES};
use changes::{ChangeSet, Work};
use discover::Discovery;
use extract::ocr::{Hooks, Ocr};
use extract::{MemberProblem, Rejection};
use language::Detector;
use progress::Progress;
use read::{ReadDocument, ReadFile};
use report::outcome;
pub use report::{FileOutcome, IngestReport, Kept, Notice, Outcome, RereadPage};
use streamed::{Arrived, Reassembly};
use workers::{Prepared, Shared};
use write::Writer;

/// What to ingest, into which index, and how: all ingest needs of the command line.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The index folder (made when missing).
    pub index: PathBuf,
    pub inputs: Vec<PathBuf>,
    pub max_file_size: u64,
    /// `--follow-links`: symbolic links followed wherever they lead, not only inside the input.
    pub follow_links: bool,
    /// `--max-read-time`: CPU time a reader may spend on one file.
    pub max_read_time: std::time::Duration,
    /// Commit after this many files as well as by time and size.
    pub commit_every: Option<usize>,
    /// Read scans and images by OCR (not with `--no-ocr`).
    pub ocr: bool,
    /// `--ocr-languages`: these Tesseract models for every page.
    pub ocr_languages: Option<Vec<String>>,
    /// `--ocr-cache DIR`, else the user's cache folder.
    pub ocr_cache: Option<PathBuf>,
    /// A progress bar on stderr.
    pub progress: bool,
    /// `--phone-region`: national phone numbers are this country's, whatever the document's
    /// language.
    pub phone_region: Option<crate::entities::Region>,
    /// `--date-order`: how a date written `07/12/1946` reads, whatever the document's language.
    pub date_order: Option<crate::entities::dates::Order>,
}

/// Files larger than this are not read whole unless `--max-file-size` says more.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;
/// CPU time a reader may spend on one file unless `--max-read-time` says otherwise.
pub const DEFAULT_MAX_READ_TIME: std::time::Duration = std::time::Duration::from_secs(120);

impl IngestOptions {
    /// `inputs` into `index`, with the defaults of the command line and no progress bar.
    pub fn new(index: PathBuf, inputs: Vec<PathBuf>) -> IngestOptions {
        IngestOptions {
            index,
            inputs,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_links: false,
            max_read_time: DEFAULT_MAX_READ_TIME,
            commit_every: None,
            ocr: true,
            ocr_languages: None,
            ocr_cache: None,
            progress: false,
            phone_region: None,
            date_order: None,
        }
    }
}

/// Queue length between the workers and the writer: bounds the documents held in memory.
const QUEUE: usize = 32;

/// Ingests `options.inputs` into the index, in four steps: [`Batch::plan`] (what changed since
/// the last ingest), [`Batch::prepare_and_write`] (every new or changed file read, extracted
/// and detected on all cores, and written by the one writer), [`Outcomes::record`] (each file's
/// outcome, as it is decided) and [`Batch::finish`] (the last commit, the merge, the variant
/// names). `tell` words a notice for stderr, or says nothing of it (see [`Notice`]).
pub fn run(
    options: &IngestOptions,
    tell: &dyn Fn(&Notice) -> Option<String>,
) -> Result<IngestReport> {
    let started = Instant::now();
    memory::return_freed_memory();
    let store = Store::open_or_create(&options.index)?;
    let mut batch = Batch {
        writer: Writer::new(&store, options.commit_every)?,
        store: &store,
        outcomes: Outcomes {
            report: IngestReport::default(),
            tell,
        },
        by_hash: HashMap::new(),
        collection: Vec::new(),
        latest_ingest: 0,
        reassembly: Reassembly::default(),
    };
    let discovery = discover::discover(&options.inputs, &options.index, options.follow_links);
    let plan = batch.plan(&discovery)?;
    batch.prepare_and_write(&plan.work, options)?;
    let mut report = batch.finish(&discovery.variants_files)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// One ingest under way: the writer, the outcomes so far, and the content already indexed.
struct Batch<'a> {
    store: &'a Store,
    writer: Writer,
    outcomes: Outcomes<'a>,
    /// Content already indexed, by hash: to notice identical files under other paths.
    by_hash: HashMap<String, String>,
    /// Languages (ISO 639-1) the index holds already: OCR reads Latin pages with theirs.
    collection: Vec<String>,
    /// When the latest document in the index was ingested (Unix seconds; 0 when empty).
    latest_ingest: i64,
    /// The files being read in pieces, put back in order.
    reassembly: Reassembly,
}

/// Each file's outcome, counted in the report and told as it is decided.
struct Outcomes<'a> {
    report: IngestReport,
    tell: &'a dyn Fn(&Notice) -> Option<String>,
}

impl Batch<'_> {
    /// Records what discovery could not take, compares the rest with the index, and removes
    /// what is gone: what is left to do is the plan's work.
    fn plan(&mut self, discovery: &Discovery) -> Result<ChangeSet> {
        for (problems, kind) in [
            (&discovery.skipped, Outcome::Skipped),
            (&discovery.failed, Outcome::Failed),
        ] {
            for problem in problems {
                let file = FileOutcome {
                    reason: Some(problem.reason.clone()),
                    ..outcome(problem.path.display().to_string(), kind)
                };
                self.outcomes.record(file, None, None);
            }
        }
        let reader = self.store.reader()?;
        let indexed = crate::store::indexed_files(&reader, &self.store.fields)
            .with_context(|| format!("cannot read the index at {}", self.store.dir.display()))?;
        self.by_hash = indexed
            .iter()
            .map(|(key, file)| (file.sha256.clone(), key.clone()))
            .collect();
        self.latest_ingest = crate::store::latest_ingest(&reader, &self.store.fields)
            .with_context(|| format!("cannot read the index at {}", self.store.dir.display()))?
            .unwrap_or(0);
        self.collection = crate::store::languages(&reader, &self.store.fields)
            .with_context(|| format!("cannot read the index at {}", self.store.dir.display()))?;
        let plan = changes::plan(discovery, indexed, self.writer.unfinished());
        for key in &plan.unchanged {
            self.outcomes
                .record(outcome(key.as_str(), Outcome::Unchanged), None, None);
        }
        for key in &plan.removed {
            self.writer.remove(key);
            self.outcomes
                .record(outcome(key.as_str(), Outcome::Removed), None, None);
        }
        Ok(plan)
    }

    /// Prepares `work` on every core (read, hash, extract, detect) within the memory budget,
    /// and writes each file read from this thread, the single writer, in the order they
    /// come; commits when due.
    fn prepare_and_write(&mut self, work: &[Work], options: &IngestOptions) -> Result<()> {
        let bounds = read::Bounds {
            max_size: options.max_file_size,
            read_time: options.max_read_time,
        };
        let total_bytes = work.iter().map(|w| w.file.size).sum();
        let progress = Progress::new(options.progress, work.len(), total_bytes);
        // Later than every document already in the index, even within the same second: saved
        // searches tell new documents by it (see `watch`).
        let ingested_at = unix_seconds(SystemTime::now()).max(self.latest_ingest + 1);
        let detector = Arc::new(Detector::new());
        let ocr = self.ocr(options, &detector, &progress);
        let budget = Arc::new(Budget::new(IN_FLIGHT_BYTES));
        let analysis = read::Analysis {
            detector: &detector,
            phone_region: options.phone_region,
            date_order: options.date_order,
        };
        let shared = Shared::new(work, &budget, analysis, &ocr, bounds);
        let mut files_done = 0;
        let work = |sender: &_| shared.run(sender);
        let result = parallel::workers(parallel::cores(), QUEUE, work, |receiver| {
            // However the writer stops, workers waiting for the budget must not wait for it.
            let _release = budget.closer();
            for prepared in receiver {
                match prepared {
                    Prepared::File { work, read, cost } => {
                        // The file's share of the budget, back when this and its documents
                        // are dropped.
                        let held = Held::new(Arc::clone(&budget), cost);
                        match read {
                            Ok(read) => {
                                ocr.saw_languages(found_languages(&read.documents));
                                self.write(work, read, ingested_at, &held, &progress)?
                            }
                            Err(rejection) => self.reject(work, rejection, &progress),
                        }
                        files_done += 1;
                        self.outcomes.report.bytes += work.file.size;
                        progress.advance(files_done, work.file.size);
                    }
                    Prepared::Piece {
                        work,
                        about,
                        piece,
                        cost,
                    } => {
                        let held = Held::new(Arc::clone(&budget), cost);
                        if let Ok(piece) = &piece {
                            ocr.saw_languages(found_languages(&piece.documents));
                        }
                        let piece = Arrived {
                            work,
                            about,
                            piece,
                            held,
                        };
                        files_done += self.arrived(piece, ingested_at, &progress)?;
                        progress.advance(files_done, 0);
                    }
                }
                for missing in ocr.new_missing_models() {
                    self.outcomes
                        .say(&Notice::OcrModelMissing(&missing), Some(&progress));
                    self.outcomes.report.ocr_models_missing.push(missing);
                }
                if let Some(missing) = extract::pdf::reader_missing() {
                    self.outcomes
                        .say(&Notice::ToolMissing(&missing), Some(&progress));
                    self.outcomes.report.tools_missing.push(missing);
                }
                self.writer.commit_if_due()?;
            }
            Ok::<(), anyhow::Error>(())
        });
        progress.finish();
        self.outcomes.report.ocr_pages = progress.pages();
        result??;
        // Detection is over; the commit and the final merge need none of lingua's models.
        drop(detector);
        memory::release_executable_pages();
        Ok(())
    }

    /// OCR as `options` ask, with lingua to name a page's language and the bar to count pages
    /// on, reading Latin pages with the languages the index holds (and, as they come, those
    /// of the files this ingest reads).
    fn ocr(&self, options: &IngestOptions, detector: &Arc<Detector>, progress: &Progress) -> Ocr {
        let (detector, progress) = (Arc::clone(detector), progress.clone());
        let hooks = Hooks {
            identify: Box::new(move |text| {
                Some(detector.detect(text).main).filter(|l| l != language::UNDETERMINED)
            }),
            page_read: Box::new(move || progress.page_read()),
        };
        let ocr = Ocr::new(
            options.ocr,
            options.ocr_languages.clone(),
            options.ocr_cache.clone(),
            hooks,
        );
        ocr.saw_languages(self.collection.iter().map(String::as_str));
        ocr
    }

    /// Writes a file's documents in place of its earlier ones, and records it.
    fn write(
        &mut self,
        item: &Work,
        mut read: ReadFile,
        ingested_at: i64,
        held: &Arc<Held>,
        progress: &Progress,
    ) -> Result<()> {
        let text_bytes = read.text_bytes();
        let docs = document::to_documents(&mut read, &self.store.fields, ingested_at);
        let new = item.previous.is_none() && item.resume.is_none();
        self.writer
            .upsert(&read.file.key, new, docs, text_bytes, held)?;
        let kind = if read.same_content {
            Outcome::Unchanged
        } else if read.replaces {
            Outcome::Updated
        } else {
            Outcome::Added
        };
        let duplicate_of = self.duplicate_of(&read.file.key, &read.sha256);
        let reread = read
            .documents
            .iter_mut()
            .flat_map(|d| {
                let part = d.part.clone();
                std::mem::take(&mut d.reread)
                    .into_iter()
                    .map(move |page| RereadPage {
                        part: part.clone(),
                        page,
                    })
            })
            .collect();
        let mut ocr_models: Vec<String> = Vec::new();
        for model in read
            .documents
            .iter_mut()
            .flat_map(|d| std::mem::take(&mut d.ocr_models))
        {
            if !ocr_models.contains(&model) {
                ocr_models.push(model);
            }
        }
        let language = read
            .documents
            .first()
            .map_or("", |d| d.languages.main.as_str());
        let file = FileOutcome {
            format: Some(read.format.name()),
            documents: Some(read.documents.len()),
            duplicate_of,
            reread,
            ocr_models,
            ..outcome(crate::path_key::shown(&item.file.key), kind)
        };
        let problems = std::mem::take(&mut read.problems);
        self.outcomes.record(file, Some(language), Some(progress));
        self.member_problems(&item.file.key, problems, progress);
        Ok(())
    }

    /// Another indexed file with the content `sha256`, if any; notes `key` as having it.
    fn duplicate_of(&mut self, key: &str, sha256: &str) -> Option<String> {
        let other = self
            .by_hash
            .get(sha256)
            .filter(|other| *other != key)
            .cloned();
        self.by_hash
            .entry(sha256.to_string())
            .or_insert_with(|| key.to_string());
        other
    }

    /// Members and attachments of the file `key` that could not be read: a line and an
    /// outcome each, under the path that names both (`donation.zip!/photo.jpg`).
    fn member_problems(&mut self, key: &str, problems: Vec<MemberProblem>, progress: &Progress) {
        for problem in problems {
            let (kind, reason) = match problem.rejection {
                Rejection::Skip(reason) => (Outcome::Skipped, reason),
                Rejection::Fail(reason) => (Outcome::Failed, reason),
            };
            let path = format!("{}!/{}", crate::path_key::shown(key), problem.member);
            let member = FileOutcome {
                reason: Some(reason),
                ..outcome(path, kind)
            };
            self.outcomes.record(member, None, Some(progress));
        }
    }

    /// Records a file that could not be read, with the reason.
    fn reject(&mut self, item: &Work, rejection: Rejection, progress: &Progress) {
        let (kind, reason) = match rejection {
            Rejection::Skip(reason) => (Outcome::Skipped, reason),
            Rejection::Fail(reason) => (Outcome::Failed, reason),
        };
        let file = FileOutcome {
            reason: Some(reason),
            ..outcome(crate::path_key::shown(&item.file.key), kind)
        };
        self.outcomes.record(file, None, Some(progress));
    }

    /// The last commit (marking the ingest complete), the merge of small segments, and the
    /// variant names found in the inputs.
    fn finish(self, variants_files: &[PathBuf]) -> Result<IngestReport> {
        let Batch {
            store,
            mut writer,
            mut outcomes,
            ..
        } = self;
        writer.commit(&CommitPayload {
            last_ingest: Some(unix_seconds(SystemTime::now())),
            partial: false,
            ..CommitPayload::default()
        })?;
        writer.finish()?;
        outcomes.keep_variants(variants_files, &store.dir);
        Ok(outcomes.report)
    }
}

impl Outcomes<'_> {
    /// Counts a file's outcome and tells it (above the progress bar while there is one).
    fn record(&mut self, file: FileOutcome, language: Option<&str>, progress: Option<&Progress>) {
        self.say(
            &Notice::File {
                file: &file,
                language,
            },
            progress,
        );
        self.report.record(file);
    }

    fn say(&self, notice: &Notice, progress: Option<&Progress>) {
        if let Some(line) = (self.tell)(notice) {
            match progress {
                Some(p) => p.println(&line),
                None => eprintln!("{line}"),
            }
        }
    }

    /// Validates the variant-names files found in the inputs and keeps their groups, joined, in
    /// the index folder, where `search` reads them.
    fn keep_variants(&mut self, files: &[PathBuf], dir: &Path) {
        let mut joined = String::new();
        for file in files {
            let path = file.display().to_string();
            let checked = crate::variants::text_of(file)
                .and_then(|text| Variants::parse(&text, &path).map(|_| text));
            match checked {
                Ok(text) => {
                    joined.push_str(&text);
                    joined.push('\n');
                    self.say(&Notice::Variants { path: &path }, None);
                }
                Err(e) => {
                    let file = FileOutcome {
                        reason: Some(e.to_string()),
                        ..outcome(path, Outcome::Failed)
                    };
                    self.record(file, None, None);
                }
            }
        }
        if !joined.is_empty()
            && let Err(error) = std::fs::write(dir.join(FILE_NAME), joined)
        {
            self.say(&Notice::VariantsNotKept { dir, error: &error }, None);
        }
    }
}

/// The languages documents read hold a fair share of (a stray quotation aside).
fn found_languages(documents: &[ReadDocument]) -> impl Iterator<Item = &str> {
    documents.iter().flat_map(|d| {
        d.languages
            .all
            .iter()
            .filter(|(_, share)| *share >= 0.1)
            .map(|(code, _)| code.as_str())
    })
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
