//! The single index writer: delete-by-path then add, and atomic commits.
//!
//! A commit is the only moment the on-disk index changes. The writer commits every
//! [`COMMIT_INTERVAL`] or [`COMMIT_BYTES`] of text, so a long ingest keeps its progress; a killed
//! ingest loses only the work since the last commit, which the next run sees as not yet done.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::indexer::IndexWriterOptions;
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy, NoMergePolicy};
use tantivy::schema::Document;
use tantivy::{IndexWriter, SegmentMeta, Term};

use super::budget::Held;
use super::document::IndexDoc;
use crate::schema::Fields;
use crate::store::{CommitPayload, INDEX_FORMAT, Store, Unfinished};

const COMMIT_INTERVAL: Duration = Duration::from_secs(30);
const COMMIT_BYTES: u64 = 256 << 20;
/// Memory the writer may use for its in-memory segments, split among its threads.
const WRITER_MEMORY: usize = 128 << 20;
/// An ingest that leaves more segments than this merges all but the largest into one before it
/// exits. tantivy's merge policy only merges once 8 segments of a size have piled up, so a first
/// ingest of a large corpus left several and the next run, a small re-ingest, paid for merging
/// all of them; searches also open every segment. Keeping the largest out leaves two, so the
/// next small ingest adds a third without a merge, and a later one merges only the small
/// segments: merging everything made each small re-ingest rewrite the whole index (see
/// BENCHMARKS.md, "Figures behind the code").
const MAX_SEGMENTS: usize = 3;
/// The merging writer indexes nothing: tantivy's smallest memory budget.
const MERGER_MEMORY: usize = 15_000_000;
/// Bytes of segment files one merge reads at most, and merges run one at a time. A merge maps
/// every file it reads, and what it touched counts as the process's memory until the merge
/// ends: with merges of any size, several at once, memory grew with the index (a 4 GB mailbox
/// peaked at 1.1 GB of mapped files, against 190 MB of its own). Segments grow to about this
/// size and are then left alone.
const MERGE_BYTES: u64 = 192 << 20;

/// A document in tantivy's indexing queue, holding its file's share of the in-flight budget
/// until tantivy drops it, indexed (see [`Held`]).
struct Queued {
    doc: IndexDoc,
    _held: Arc<Held>,
}

impl Document for Queued {
    type Value<'a> = <IndexDoc as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <IndexDoc as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

pub struct Writer {
    writer: IndexWriter<Queued>,
    fields: Fields,
    payload: CommitPayload,
    last_commit: Instant,
    bytes_since_commit: u64,
    files_since_commit: usize,
    /// Commit after this many files too (`--commit-every`).
    commit_every: Option<usize>,
    holder_file: PathBuf,
    /// The index folder, named when a write fails.
    dir: PathBuf,
}

/// File in the index folder naming the process that holds the write lock.
pub const HOLDER_FILE: &str = "archivist-ingest.lock-holder";

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into())
}

impl Writer {
    /// Takes the index's write lock; fails at once if another ingest holds it, saying which
    /// process (from the note the holder left in [`HOLDER_FILE`]).
    pub fn new(store: &Store, commit_every: Option<usize>) -> Result<Writer> {
        let holder_file = store.dir.join(HOLDER_FILE);
        // One merge at a time, each bounded (see `MERGE_BYTES`); indexing on every core, as
        // tantivy's default writer does.
        let threads = crate::parallel::cores().min(8);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(WRITER_MEMORY / threads)
            .num_merge_threads(1)
            .build();
        let writer: IndexWriter<Queued> =
            store
                .index
                .writer_with_options(options)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => anyhow!(
                        "another ingest is writing to {}{}; wait for it to finish (lock: {})",
                        store.dir.display(),
                        std::fs::read_to_string(&holder_file)
                            .map(|holder| format!(" ({})", holder.trim()))
                            .unwrap_or_default(),
                        store.dir.join(".tantivy-writer.lock").display()
                    ),
                    other => anyhow!(other).context(format!(
                        "cannot write to the index at {}",
                        store.dir.display()
                    )),
                })?;
        writer.set_merge_policy(Box::new(BoundedMerges {
            inner: LogMergePolicy::default(),
            dir: store.dir.clone(),
        }));
        // Best effort: the lock itself is tantivy's; this only names its holder.
        let _ = std::fs::write(
            &holder_file,
            format!(
                "process {} on {}, since {}\n",
                std::process::id(),
                hostname(),
                crate::timestamp::rfc3339(super::unix_seconds(std::time::SystemTime::now()))
            ),
        );
        Ok(Writer {
            writer,
            fields: store.fields.clone(),
            payload: store.payload(),
            last_commit: Instant::now(),
            bytes_since_commit: 0,
            files_since_commit: 0,
            commit_every,
            holder_file,
            dir: store.dir.clone(),
        })
    }

    /// Adds the documents of the file `key`, replacing any earlier ones of that file (`new`: the
    /// last commit has none, so there is nothing to delete). Each holds the file's share of the
    /// in-flight budget until tantivy has indexed it. A delete is looked up in every segment at
    /// each commit, those of a first ingest included: with one per new file, their cost grew
    /// with the number of files times the number of segments.
    pub fn upsert(
        &mut self,
        key: &str,
        new: bool,
        docs: Vec<IndexDoc>,
        text_bytes: u64,
        held: &Arc<Held>,
    ) -> Result<()> {
        if !new {
            self.writer
                .delete_term(Term::from_field_text(self.fields.path, key));
        }
        self.add(key, docs, text_bytes, held)
    }

    /// Adds documents of the file `key` beside its earlier ones: a piece of a file read in
    /// pieces. A piece counts as a file for `--commit-every`.
    pub fn add(
        &mut self,
        key: &str,
        docs: Vec<IndexDoc>,
        text_bytes: u64,
        held: &Arc<Held>,
    ) -> Result<()> {
        for doc in docs {
            let queued = Queued {
                doc,
                _held: Arc::clone(held),
            };
            self.writer
                .add_document(queued)
                .map_err(|e| self.failed(e, &format!("cannot index {key}")))?;
        }
        self.bytes_since_commit += text_bytes;
        self.files_since_commit += 1;
        Ok(())
    }

    fn failed(&self, e: tantivy::TantivyError, doing: &str) -> anyhow::Error {
        failure(e, &self.dir, doing)
    }

    pub fn remove(&mut self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, key));
        self.payload.unfinished.remove(key);
    }

    /// The files read in pieces that the last commit holds only the beginning of.
    pub fn unfinished(&self) -> &std::collections::BTreeMap<String, Unfinished> {
        &self.payload.unfinished
    }

    /// Records how far the file `key`, read in pieces, is written (`None`: to its end), for
    /// the commits that follow.
    pub fn progressed(&mut self, key: &str, unfinished: Option<Unfinished>) {
        match unfinished {
            Some(u) => self.payload.unfinished.insert(key.to_string(), u),
            None => self.payload.unfinished.remove(key),
        };
    }

    /// Commits if enough work or time has gone by since the last commit.
    pub fn commit_if_due(&mut self) -> Result<()> {
        let files_due = self
            .commit_every
            .is_some_and(|n| self.files_since_commit >= n.max(1));
        if files_due
            || self.bytes_since_commit >= COMMIT_BYTES
            || self.last_commit.elapsed() >= COMMIT_INTERVAL
        {
            let payload = CommitPayload {
                partial: true,
                ..self.payload.clone()
            };
            self.commit(&payload)?;
        }
        Ok(())
    }

    /// Commits everything written so far, recording `payload` with it, and with how far the
    /// files read in pieces are written.
    pub fn commit(&mut self, payload: &CommitPayload) -> Result<()> {
        let payload = CommitPayload {
            format: INDEX_FORMAT,
            unfinished: self.payload.unfinished.clone(),
            ..payload.clone()
        };
        let json = serde_json::to_string(&payload)?;
        let dir = self.dir.clone();
        let failed = |e| failure(e, &dir, "cannot commit to the index");
        let mut prepared = self.writer.prepare_commit().map_err(failed)?;
        prepared.set_payload(&json);
        prepared.commit().map_err(failed)?;
        self.last_commit = Instant::now();
        self.bytes_since_commit = 0;
        self.files_since_commit = 0;
        Ok(())
    }

    /// Waits for background merges, then merges all segments but the largest into one if there are
    /// more than [`MAX_SEGMENTS`], so the process exits with a tidy index. A merge replaces its
    /// segments in one atomic step and keeps the last commit's payload; a kill during it leaves
    /// them as they were. The merge needs a writer of its own: segments still in a background merge
    /// cannot be merged again, and only consuming the writer waits for those.
    pub fn finish(self) -> Result<()> {
        let holder_file = self.holder_file.clone();
        let dir = self.dir.clone();
        let index = self.writer.index().clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| failure(e, &dir, "cannot finish merging index segments"))?;
        // Only ids are kept: a segment's metadata held here keeps its files alive, and the
        // merged segments' files stayed on disk until the next ingest (one benchmark run
        // measured the index at twice its size).
        let (count, smaller) = {
            let mut segments = index
                .searchable_segment_metas()
                .context("cannot list the index segments")?;
            segments.sort_by_key(|s| std::cmp::Reverse(s.num_docs()));
            // The smaller segments, smallest first, as many as one merge may read.
            let mut smaller: Vec<_> = segments.iter().skip(1).collect();
            smaller.sort_by_key(|s| s.num_docs());
            let mut bytes = 0;
            let smaller: Vec<_> = smaller
                .into_iter()
                .take_while(|s| {
                    bytes += segment_bytes(&dir, s);
                    bytes <= MERGE_BYTES
                })
                .map(|s| s.id())
                .collect();
            (segments.len(), smaller)
        };
        // Another ingest may take the lock in between; it will merge on its way out.
        if count > MAX_SEGMENTS
            && smaller.len() > 1
            && let Ok(mut merger) =
                index.writer_with_num_threads::<tantivy::TantivyDocument>(1, MERGER_MEMORY)
        {
            // This merge only: tantivy's own policy would go on to merge what it made with
            // the rest, at any size.
            merger.set_merge_policy(Box::new(NoMergePolicy));
            merger
                .merge(&smaller)
                .wait()
                .map_err(|e| failure(e, &dir, "cannot merge index segments"))?;
            merger
                .wait_merging_threads()
                .map_err(|e| failure(e, &dir, "cannot finish merging index segments"))?;
        }
        let _ = std::fs::remove_file(holder_file);
        Ok(())
    }
}

/// tantivy's merge policy, with no merge reading more than [`MERGE_BYTES`] of segments: a
/// merge it proposes is cut into merges of neighbours under that size.
#[derive(Debug)]
struct BoundedMerges {
    inner: LogMergePolicy,
    dir: PathBuf,
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sizes: HashMap<SegmentId, u64> = segments
            .iter()
            .map(|s| (s.id(), segment_bytes(&self.dir, s)))
            .collect();
        let mergeable: Vec<SegmentMeta> = segments
            .iter()
            .filter(|s| sizes.get(&s.id()).is_some_and(|&b| b < MERGE_BYTES / 2))
            .cloned()
            .collect();
        let mut out = Vec::new();
        for candidate in self.inner.compute_merge_candidates(&mergeable) {
            let (mut group, mut bytes) = (Vec::new(), 0);
            for id in candidate.0 {
                let size = sizes.get(&id).copied().unwrap_or(0);
                if bytes + size > MERGE_BYTES && group.len() > 1 {
                    out.push(MergeCandidate(std::mem::take(&mut group)));
                    bytes = 0;
                }
                group.push(id);
                bytes += size;
            }
            if group.len() > 1 {
                out.push(MergeCandidate(group));
            }
        }
        out
    }
}

/// Bytes of a segment's files in the index folder `dir`.
fn segment_bytes(dir: &Path, segment: &SegmentMeta) -> u64 {
    use SegmentComponent as C;
    [
        C::Postings,
        C::Positions,
        C::FastFields,
        C::FieldNorms,
        C::Terms,
        C::Store,
    ]
    .into_iter()
    .map(|c| std::fs::metadata(dir.join(segment.relative_path(c))).map_or(0, |m| m.len()))
    .sum()
}

/// What a failed write says. A full disk shows up in tantivy as an I/O error when a commit
/// writes, but as `An index writer was killed` when an indexing thread hit it first; either
/// way the file system is checked, and a full one is said so, with what to do.
fn failure(e: tantivy::TantivyError, dir: &Path, doing: &str) -> anyhow::Error {
    let io_full = matches!(&e, tantivy::TantivyError::IoError(io)
        if io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(libc::ENOSPC));
    if io_full || e.to_string().contains("No space left") || nearly_full(dir) {
        return anyhow!(
            "no space left on device writing the index at {}: the last commit is intact; free \
             some space and run ingest again to finish",
            dir.display()
        );
    }
    anyhow!(e).context(doing.to_string())
}

/// Whether the file system holding `dir` has less than 1 MB left for this user.
fn nearly_full(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `path` is a NUL-terminated string and `stat` a zeroed struct statvfs fills.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64) < 1 << 20
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_measured_by_its_files() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_or_create(dir.path()).expect("store");
        let mut writer: IndexWriter = store.index.writer(15_000_000).expect("writer");
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(store.fields.path, "/a.txt");
        doc.add_text(store.fields.body, "Maizuru ".repeat(1000));
        writer.add_document(doc).expect("add");
        writer.commit().expect("commit");
        let segments = store.index.searchable_segment_metas().expect("segments");
        let bytes = segment_bytes(dir.path(), &segments[0]);
        assert!(bytes > 100, "{bytes}");
    }
}
