//! The single index writer: delete-by-path then add, and atomic commits.
//!
//! A commit is the only moment the on-disk index changes. The writer commits every
//! [`COMMIT_INTERVAL`] or [`COMMIT_BYTES`] of text, so a long ingest keeps its progress; a killed
//! ingest loses only the work since the last commit, which the next run sees as not yet done.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::schema::Fields;
use crate::store::{CommitPayload, Store};

const COMMIT_INTERVAL: Duration = Duration::from_secs(30);
const COMMIT_BYTES: u64 = 256 << 20;
/// Memory the writer may use for its in-memory segments, split among its threads.
const WRITER_MEMORY: usize = 128 << 20;

pub struct Writer {
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
    payload: CommitPayload,
    last_commit: Instant,
    bytes_since_commit: u64,
}

impl Writer {
    /// Takes the index's write lock; fails at once if another ingest holds it.
    pub fn new(store: &Store) -> Result<Writer> {
        let writer = store.index.writer(WRITER_MEMORY).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => anyhow!(
                "another ingest is writing to {} (it holds {}); wait for it to finish",
                store.dir.display(),
                store.dir.join(".tantivy-writer.lock").display()
            ),
            other => anyhow!(other).context(format!(
                "cannot write to the index at {}",
                store.dir.display()
            )),
        })?;
        Ok(Writer {
            writer,
            fields: store.fields.clone(),
            payload: store.payload(),
            last_commit: Instant::now(),
            bytes_since_commit: 0,
        })
    }

    /// Adds `doc` under `key`, replacing any earlier document with that key.
    pub fn upsert(&mut self, key: &str, doc: TantivyDocument, text_bytes: u64) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, key));
        self.writer
            .add_document(doc)
            .with_context(|| format!("cannot index {key}"))?;
        self.bytes_since_commit += text_bytes;
        Ok(())
    }

    pub fn remove(&mut self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, key));
    }

    /// Commits if enough work or time has gone by since the last commit.
    pub fn commit_if_due(&mut self) -> Result<()> {
        if self.bytes_since_commit >= COMMIT_BYTES || self.last_commit.elapsed() >= COMMIT_INTERVAL
        {
            let payload = CommitPayload {
                partial: true,
                ..self.payload.clone()
            };
            self.commit(&payload)?;
        }
        Ok(())
    }

    /// Commits everything written so far, recording `payload` with it.
    pub fn commit(&mut self, payload: &CommitPayload) -> Result<()> {
        let json = serde_json::to_string(payload)?;
        let mut prepared = self
            .writer
            .prepare_commit()
            .context("cannot commit to the index")?;
        prepared.set_payload(&json);
        prepared.commit().context("cannot commit to the index")?;
        self.last_commit = Instant::now();
        self.bytes_since_commit = 0;
        Ok(())
    }

    /// Waits for background merges so the process exits with a tidy index.
    pub fn finish(self) -> Result<()> {
        self.writer
            .wait_merging_threads()
            .context("cannot finish merging index segments")
    }
}
