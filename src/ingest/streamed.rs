//! The writer's side of files read in pieces (see [`super::pieces`]): the pieces put back in the
//! order they were cut (workers finish them in any order), written beside the file's earlier
//! documents, and the file's outcome told at its last piece.
//!
//! Written in order, what a commit holds of a file is always its beginning; each piece written
//! moves the file's [`Unfinished`] mark in the commit payload to its end, and the last removes
//! it. A mailbox read from its beginning also moves the tags and notes of messages named by
//! their number (as earlier versions named them) to their Message-ID names.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{Context, Result};

use super::budget::Held;
use super::changes::Work;
use super::extract::{Format, Rejection};
use super::progress::Progress;
use super::read::{ReadFile, ReadPiece, StreamAbout};
use super::report::{FileOutcome, Outcome, outcome};
use super::{Batch, document};
use crate::annotations::{self, Annotations};
use crate::store::Unfinished;

/// A piece as a worker hands it over, with its share of the budget.
pub struct Arrived<'w> {
    pub work: &'w Work,
    pub about: Arc<StreamAbout>,
    /// The piece, or the read error that ended the file at piece `seq`.
    pub piece: Result<ReadPiece, (u64, Rejection)>,
    pub held: Arc<Held>,
}

/// The files whose pieces are arriving, by key.
#[derive(Default)]
pub struct Reassembly {
    open: HashMap<String, Open>,
}

/// A file whose pieces are arriving.
#[derive(Default)]
struct Open {
    /// The piece to write next.
    next: u64,
    /// Pieces that came before their turn.
    early: BTreeMap<u64, Waiting>,
    /// Documents written, messages read and not read, so far.
    documents: usize,
    messages: u64,
    unread: u64,
    /// The main language of its first document.
    language: Option<String>,
    /// The tags and notes, while some name messages by number.
    numbered: Option<Annotations>,
}

type Waiting = (Result<ReadPiece, (u64, Rejection)>, Arc<Held>);

impl Batch<'_> {
    /// Takes a piece as it arrives, and writes it and the pieces that were waiting for it;
    /// how many files ended (0 or 1).
    pub(super) fn arrived(
        &mut self,
        arrived: Arrived,
        ingested_at: i64,
        progress: &Progress,
    ) -> Result<usize> {
        let Arrived {
            work,
            about,
            piece,
            held,
        } = arrived;
        let key = &work.file.key;
        let seq = match &piece {
            Ok(piece) => piece.seq,
            Err((seq, _)) => *seq,
        };
        let open = self.reassembly.open.entry(key.clone()).or_default();
        open.early.insert(seq, (piece, held));
        loop {
            let Some(open) = self.reassembly.open.get_mut(key) else {
                return Ok(0);
            };
            let Some((piece, held)) = open.early.remove(&open.next) else {
                return Ok(0);
            };
            open.next += 1;
            let ended = match piece {
                Ok(piece) => self.write_piece(work, &about, piece, &held, ingested_at, progress)?,
                Err((_, rejection)) => {
                    // What was written stays; the next ingest goes on from it.
                    self.reject(work, rejection, progress);
                    true
                }
            };
            if ended {
                self.reassembly.open.remove(key);
                return Ok(1);
            }
        }
    }

    /// Writes a piece, in its turn; whether it was the file's last.
    fn write_piece(
        &mut self,
        work: &Work,
        about: &StreamAbout,
        piece: ReadPiece,
        held: &Arc<Held>,
        ingested_at: i64,
        progress: &Progress,
    ) -> Result<bool> {
        let key = &work.file.key;
        let Some(start) = about.start else {
            // The content indexed already: nothing was cut.
            self.outcomes.report.bytes += work.file.size;
            progress.read_bytes(work.file.size);
            let file = outcome(crate::path_key::shown(key), Outcome::Unchanged);
            self.outcomes.record(file, None, Some(progress));
            return Ok(true);
        };
        if piece.seq == 0 {
            // Bytes read by an earlier ingest count as done.
            progress.read_bytes(start.offset);
            if start.fresh && (work.previous.is_some() || work.resume.is_some()) {
                self.writer.remove(key);
            }
            if start.fresh && work.previous.is_some() && about.format == Format::Mbox {
                let numbered = self.numbered_marks(key)?;
                if let Some(open) = self.reassembly.open.get_mut(key) {
                    open.numbered = numbered;
                }
            }
        }
        let Some(open) = self.reassembly.open.get_mut(key) else {
            return Ok(true);
        };
        if let Some(annotations) = open.numbered.as_mut() {
            let renames: Vec<(String, String)> = piece
                .parts
                .iter()
                .enumerate()
                .filter_map(|(i, part)| {
                    let number = piece.count + i as u64 + 1;
                    part.clone().map(|part| (format!("message {number}"), part))
                })
                .collect();
            annotations.rename_parts(key, &renames).with_context(|| {
                format!(
                    "cannot move the tags of {}'s messages to their Message-IDs",
                    crate::path_key::shown(key)
                )
            })?;
        }
        let read_messages = piece.parts.iter().filter(|p| p.is_some()).count() as u64;
        open.messages += read_messages;
        open.unread += piece.parts.len() as u64 - read_messages;
        open.documents += piece.documents.len();
        if open.language.is_none() {
            open.language = piece.documents.first().map(|d| d.languages.main.clone());
        }
        progress.messages_read(read_messages);
        let ReadPiece {
            documents,
            problems,
            last,
            end,
            count,
            counted,
            bytes,
            ..
        } = piece;
        let mut read = ReadFile {
            file: work.file.clone(),
            sha256: about.sha256.clone(),
            format: about.format,
            documents,
            problems: Vec::new(),
            same_content: false,
            replaces: true,
        };
        let text_bytes = read.text_bytes();
        let docs = document::to_documents(&mut read, &self.store.fields, ingested_at);
        self.writer.add(key, docs, text_bytes, held)?;
        self.member_problems(key, problems, progress);
        self.outcomes.report.bytes += bytes;
        progress.read_bytes(bytes);
        let unfinished = (!last).then(|| Unfinished {
            sha256: about.sha256.clone(),
            offset: end,
            count: count + counted,
        });
        self.writer.progressed(key, unfinished);
        if last {
            self.ended(work, about, start.fresh, progress);
        }
        Ok(last)
    }

    /// Tells the outcome of a file whose last piece is written.
    fn ended(&mut self, work: &Work, about: &StreamAbout, fresh: bool, progress: &Progress) {
        let key = &work.file.key;
        let Some(open) = self.reassembly.open.get(key) else {
            return;
        };
        let (documents, messages, unread) = (open.documents, open.messages, open.unread);
        let language = open.language.clone();
        let shown = crate::path_key::shown(key);
        if fresh && documents == 0 {
            let (kind, reason) = if work.file.size == 0 {
                (Outcome::Skipped, "empty file".to_string())
            } else if about.format != Format::Mbox || messages > 0 {
                (Outcome::Skipped, "no text".to_string())
            } else if unread == 0 {
                let reason = "not an mbox mailbox (no \"From \" line)".to_string();
                (Outcome::Failed, reason)
            } else {
                let reason = format!("none of its {unread} messages could be read");
                (Outcome::Failed, reason)
            };
            let file = FileOutcome {
                reason: Some(reason),
                ..outcome(shown, kind)
            };
            self.outcomes.record(file, None, Some(progress));
            return;
        }
        let kind = if work.previous.is_none() && work.resume.is_none() {
            Outcome::Added
        } else {
            Outcome::Updated
        };
        let file = FileOutcome {
            format: Some(about.format.name()),
            documents: Some(documents),
            duplicate_of: self.duplicate_of(key, &about.sha256),
            ..outcome(shown, kind)
        };
        self.outcomes
            .record(file, language.as_deref(), Some(progress));
    }

    /// The tags and notes, if any of them name a message of the mailbox `key` by its number.
    fn numbered_marks(&self, key: &str) -> Result<Option<Annotations>> {
        if !annotations::location(&self.store.dir).is_file() {
            return Ok(None);
        }
        let annotations = Annotations::open(&self.store.dir)?;
        Ok(annotations
            .has_numbered_messages(key)?
            .then_some(annotations))
    }
}
