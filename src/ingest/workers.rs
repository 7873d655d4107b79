//! What each worker thread does: pieces of the files open for reading in pieces first, so that
//! one large mailbox keeps every core busy, then the next file; each read within the in-flight
//! budget and handed to the writer as a [`Prepared`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};

use super::budget::Budget;
use super::changes::Work;
use super::extract::Rejection;
use super::extract::ocr::Ocr;
use super::pieces::PIECE_BYTES;
use super::read::{self, Analysis, Bounds, ReadFile, ReadPiece, Stream, StreamAbout};

/// What a worker hands the writer, with the bytes it took from the budget (given back when
/// its documents are indexed).
pub enum Prepared<'w> {
    File {
        work: &'w Work,
        read: Result<ReadFile, Rejection>,
        cost: u64,
    },
    Piece {
        work: &'w Work,
        about: Arc<StreamAbout>,
        /// A piece, or the read error that ended the file at piece `seq`.
        piece: Result<ReadPiece, (u64, Rejection)>,
        cost: u64,
    },
}

/// What the workers share: the files to read, the files open in pieces, and what reading
/// needs.
pub struct Shared<'w> {
    pub work: &'w [Work],
    next: AtomicUsize,
    open: Mutex<Vec<Arc<OpenFile<'w>>>>,
    pub budget: &'w Budget,
    pub analysis: Analysis<'w>,
    pub ocr: &'w Ocr,
    pub bounds: Bounds,
}

/// A file being read in pieces by whichever workers come.
struct OpenFile<'w> {
    work: &'w Work,
    stream: Mutex<Stream>,
}

impl<'w> Shared<'w> {
    pub fn new(
        work: &'w [Work],
        budget: &'w Budget,
        analysis: Analysis<'w>,
        ocr: &'w Ocr,
        bounds: Bounds,
    ) -> Shared<'w> {
        Shared {
            work,
            next: AtomicUsize::new(0),
            open: Mutex::new(Vec::new()),
            budget,
            analysis,
            ocr,
            bounds,
        }
    }

    /// What the budget holds for a file read whole: never more than may be read of it.
    pub fn cost(&self, item: &Work) -> u64 {
        item.file.size.min(self.bounds.max_size)
    }

    /// A worker's loop, until nothing is left to read or the writer stopped.
    pub fn run(&self, sender: &SyncSender<Prepared<'w>>) {
        loop {
            let prepared = match self.open_file() {
                Some(open) => match self.next_piece(&open) {
                    Some(prepared) => prepared,
                    None => continue,
                },
                None => match self.work.get(self.next.fetch_add(1, Ordering::Relaxed)) {
                    Some(item) => match self.start(item) {
                        Some(prepared) => prepared,
                        None => continue,
                    },
                    None if self.has_open_files() => continue,
                    None => break,
                },
            };
            if sender.send(prepared).is_err() {
                break; // the writer stopped on an error
            }
        }
    }

    /// Reads a file whole, or opens it to be read in pieces (`None`: it is open now).
    fn start(&self, item: &'w Work) -> Option<Prepared<'w>> {
        let whole = |read, cost| Prepared::File {
            work: item,
            read,
            cost,
        };
        match read::pieces_of(item) {
            Err(rejection) => Some(whole(Err(rejection), 0)),
            Ok(None) => {
                let cost = self.cost(item);
                self.budget.take(cost);
                let read = read::read_file(item, self.analysis, self.bounds, self.ocr);
                Some(whole(read, cost))
            }
            Ok(Some(pieces)) => match read::open_pieces(item, pieces, self.bounds) {
                Err(rejection) => Some(whole(Err(rejection), 0)),
                Ok(stream) => {
                    let open = Arc::new(OpenFile {
                        work: item,
                        stream: Mutex::new(stream),
                    });
                    self.lock_open().push(open);
                    None
                }
            },
        }
    }

    /// The next piece of `open`, read; `None` when its last piece was taken already.
    fn next_piece(&self, open: &Arc<OpenFile<'w>>) -> Option<Prepared<'w>> {
        let allowance = PIECE_BYTES as u64;
        self.budget.take(allowance);
        let (cut, about) = {
            let mut stream = open.stream.lock().unwrap_or_else(|e| e.into_inner());
            (stream.cutter.next_piece(), Arc::clone(&stream.about))
        };
        let Some(cut) = cut else {
            self.budget.give(allowance);
            self.close(open);
            return None;
        };
        let cost = cut.as_ref().map_or(0, |p| p.bytes.len() as u64);
        if cost > allowance {
            self.budget.overdraw(cost - allowance);
        } else {
            self.budget.give(allowance - cost);
        }
        if cut.as_ref().map_or(true, |p| p.last) {
            self.close(open);
        }
        let piece = cut.map(|piece| {
            read::read_piece(
                open.work,
                &about,
                piece,
                self.analysis,
                self.bounds,
                self.ocr,
            )
        });
        Some(Prepared::Piece {
            work: open.work,
            about,
            piece,
            cost,
        })
    }

    fn lock_open(&self) -> std::sync::MutexGuard<'_, Vec<Arc<OpenFile<'w>>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A file open in pieces, the one opened first.
    fn open_file(&self) -> Option<Arc<OpenFile<'w>>> {
        self.lock_open().first().cloned()
    }

    fn has_open_files(&self) -> bool {
        !self.lock_open().is_empty()
    }

    fn close(&self, open: &Arc<OpenFile<'w>>) {
        self.lock_open().retain(|o| !Arc::ptr_eq(o, open));
    }
}
