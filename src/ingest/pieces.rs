//! Files read in pieces: a mailbox some messages at a time, a large text some lines at a time,
//! a large XML file as its text streams, an Outlook PST some items at a time.
//!
//! A mail export or a log can be many gigabytes; holding it whole (as every other format is
//! held) made memory follow the file. Such a file is read sequentially from disk and cut into
//! [`Piece`]s of about [`PIECE_BYTES`] at message, line or element boundaries (a PST's items
//! come from a walker of its folders). Any worker takes the next piece of an open file, so one
//! large mailbox keeps every core busy, and the writer puts the pieces back in order. Each
//! piece is a few documents: the messages or items it holds, or one part of the text named by
//! its lines (or, for XML, its bytes).
//!
//! Before its pieces, the file is [`survey`]ed in one pass: its SHA-256 (every document records
//! the file's hash), the hash of the bytes an earlier ingest read, and for a text its line
//! count there and its longest line. That decides where reading starts ([`Start`]): a mailbox or
//! log that only grew is read from where the last ingest ended, and a file whose ingest was cut
//! off (killed, or the disk full) from where its last commit ended (its
//! [`Unfinished`](crate::store::Unfinished) mark).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Take};
use std::sync::mpsc::{Receiver, RecvTimeoutError, sync_channel};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::changes::Work;
use super::extract::pst::{self, Item, Walked};
use super::extract::xml;
use super::extract::{MemberProblem, Rejection};
use super::read::Runs;
use crate::digest::hex;

/// Bytes of a file in one piece: the last message or line that starts below it ends the piece.
/// At most the text snippets are taken from (`STORED_TEXT_BYTES`), so each part of a text has
/// a snippet for every word in it.
pub const PIECE_BYTES: usize = 4 << 20;

/// A line longer than this is not text (see `read::MAX_LINE`); in a mailbox, the message
/// holding it is left out.
const MAX_LINE: usize = super::read::MAX_LINE as usize;

/// What a file read in pieces holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An mbox mailbox: messages, each starting at a line that begins with `From `.
    Mailbox,
    /// A text: lines.
    Lines,
    /// A large XML file: its text as a stream of XML events gives it, cut where elements end.
    Markup,
    /// An Outlook PST or OST: items, read by a walker of the file's folders (see
    /// [`pst`]), never by byte.
    Outlook,
}

/// Where reading starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    pub offset: u64,
    /// Messages, lines or PST items before `offset`.
    pub count: u64,
    /// From the beginning: the file's earlier documents are replaced. Otherwise they are kept
    /// and the pieces add to them.
    pub fresh: bool,
}

/// What [`survey`] found.
#[derive(Debug, Clone)]
pub struct Survey {
    pub sha256: String,
    /// `None` when the content is the one already indexed: nothing to read.
    pub start: Option<Start>,
}

/// Hashes the file (as listed: no further than its size then) and decides where reading
/// starts; fails a text with a line too long to be text.
pub fn survey(work: &Work, kind: Kind) -> Result<Survey, Rejection> {
    let file = &work.file;
    let previous = work.previous.as_ref();
    // An earlier ingest's end, when the file is longer now: has only more been added?
    // An XML parser's state cannot be resumed; a PST's walk skips the items written. Only a
    // mailbox or a text can have grown at its end.
    let resume = work.resume.as_ref().filter(|_| kind != Kind::Markup);
    let grows = matches!(kind, Kind::Mailbox | Kind::Lines);
    let grown_from = previous
        .filter(|p| p.size < file.size && resume.is_none() && grows)
        .map(|p| p.size);
    let mut handle = File::open(&file.path)
        .map_err(|e| Rejection::Fail(format!("cannot open: {e}")))?
        .take(file.size);
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let (mut at, mut lines) = (0u64, 0u64);
    // A line, or an XML text or tag, runs up to the next of these.
    let mut runs = Runs::new(match kind {
        Kind::Markup => |b| b == b'<',
        _ => |b| b == b'\n',
    });
    let mut at_grown: Option<(String, u64)> = None;
    loop {
        let n = match handle.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Rejection::Fail(format!("cannot read: {e}"))),
        };
        let mut chunk = &buffer[..n];
        if let Some(mark) = grown_from.filter(|&m| at_grown.is_none() && m <= at + n as u64) {
            // The hash and line count of exactly the bytes the last ingest read.
            let (head, tail) = chunk.split_at((mark - at) as usize);
            hash.update(head);
            lines += memchr::memchr_iter(b'\n', head).count() as u64;
            at_grown = Some((hex(&hash.clone().finalize()), lines));
            hash.update(tail);
            chunk = tail;
            at = mark;
        } else {
            hash.update(chunk);
            if at_grown.is_none() {
                lines += memchr::memchr_iter(b'\n', chunk).count() as u64;
            }
        }
        if matches!(kind, Kind::Lines | Kind::Markup) && runs.longest_after(chunk) > MAX_LINE as u64
        {
            let what = if kind == Kind::Lines {
                "a line"
            } else {
                "an XML text or tag"
            };
            return Err(Rejection::Fail(format!(
                "{what} longer than {} MB (near byte {at}): not a text that can be read",
                MAX_LINE >> 20
            )));
        }
        at += chunk.len() as u64;
    }
    let sha256 = hex(&hash.finalize());
    let start = if previous.is_some_and(|p| p.sha256 == sha256) && work.resume.is_none() {
        None
    } else if let Some(resume) = resume.filter(|r| r.sha256 == sha256) {
        Some(Start {
            offset: resume.offset,
            count: resume.count,
            fresh: false,
        })
    } else {
        match (previous, at_grown) {
            (Some(p), Some((prefix, lines))) if prefix == p.sha256 => Some(Start {
                offset: p.size,
                // A mailbox's messages are named by their ids, not counted.
                count: if kind == Kind::Lines { lines } else { 0 },
                fresh: false,
            }),
            _ => Some(Start {
                offset: 0,
                count: 0,
                fresh: true,
            }),
        }
    };
    Ok(Survey { sha256, start })
}

/// A file being cut into pieces, from its [`Start`] to the size it was listed with.
pub struct Cutter {
    pub kind: Kind,
    reader: BufReader<Take<File>>,
    /// Where in the file the reader is.
    pos: u64,
    /// Messages begun, or lines, before the next piece.
    count: u64,
    next_seq: u64,
    /// A mailbox: the `From ` line of the next piece's first message, read already.
    carried: Vec<u8>,
    /// Largest message kept (`--max-file-size`); a larger one is named and left out.
    max_message: u64,
    /// An Outlook file: the items its walker hands over, and how long to wait for one.
    items: Option<(Receiver<Walked>, Duration)>,
    /// A large XML file, as it streams.
    xml: Option<xml::Stream>,
    done: bool,
}

/// Some messages or lines of a file, whole.
#[derive(Debug)]
pub struct Piece {
    /// Pieces of a file are numbered from 0 in the order they were cut.
    pub seq: u64,
    /// The last piece of the file.
    pub last: bool,
    /// Where it starts in the file, and where the next one does.
    pub start: u64,
    pub end: u64,
    /// Messages, lines, XML parts or PST items before it (a line's number counts from 1).
    pub count: u64,
    /// Messages, lines, XML parts or PST items in it.
    pub counted: u64,
    pub bytes: Vec<u8>,
    /// An Outlook file's items.
    pub items: Vec<Item>,
    /// Messages left out for their size.
    pub problems: Vec<MemberProblem>,
}

impl Cutter {
    /// Opens the file where `start` says; an Outlook file's walker starts on a thread of its
    /// own, and an item it takes longer than `wait` to hand over fails the file.
    pub fn open(
        work: &Work,
        kind: Kind,
        start: Start,
        max_message: u64,
        wait: Duration,
    ) -> std::io::Result<Self> {
        use std::io::Seek;
        let mut file = File::open(&work.file.path)?;
        let items = match kind {
            Kind::Outlook => Some((walker(&work.file.path, start, max_message)?, wait)),
            _ => {
                file.seek(std::io::SeekFrom::Start(start.offset))?;
                None
            }
        };
        let xml = match kind {
            Kind::Markup => Some(xml::Stream::open(&work.file.path, work.file.size)?),
            _ => None,
        };
        let left = work.file.size.saturating_sub(start.offset);
        Ok(Cutter {
            kind,
            reader: BufReader::with_capacity(1 << 20, file.take(left)),
            pos: start.offset,
            count: start.count,
            next_seq: 0,
            carried: Vec::new(),
            max_message,
            items,
            xml,
            done: false,
        })
    }

    /// The next piece; `None` once the last was cut. A read error ends the file: the piece
    /// that failed is the last, and what was written before it stays.
    pub fn next_piece(&mut self) -> Option<Result<Piece, (u64, Rejection)>> {
        if self.done {
            return None;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let cut = match self.kind {
            Kind::Mailbox => self.messages(seq),
            Kind::Lines => self.lines(seq),
            Kind::Markup => {
                let cut = self.markup(seq);
                if cut.as_ref().map_or(true, |piece| piece.last) {
                    self.done = true;
                }
                return Some(cut.map_err(|why| (seq, Rejection::Fail(why))));
            }
            Kind::Outlook => {
                let cut = self.outlook_items(seq);
                if cut.as_ref().map_or(true, |piece| piece.last) {
                    self.done = true;
                }
                return Some(cut.map_err(|why| (seq, Rejection::Fail(why))));
            }
        };
        if cut.as_ref().map_or(true, |piece| piece.last) {
            self.done = true;
        }
        Some(cut.map_err(|e| (seq, Rejection::Fail(format!("cannot read: {e}")))))
    }

    /// The text of an XML file's next elements, about [`PIECE_BYTES`] of it.
    fn markup(&mut self, seq: u64) -> Result<Piece, String> {
        let Some(stream) = self.xml.as_mut() else {
            return Err("no reader for this file".into());
        };
        let (text, end, last) = stream.next_text(PIECE_BYTES)?;
        let start = self.pos;
        self.pos = end;
        let count = self.count;
        self.count += 1;
        Ok(Piece {
            seq,
            last,
            start,
            end,
            count,
            counted: 1,
            bytes: text.into_bytes(),
            items: Vec::new(),
            problems: Vec::new(),
        })
    }

    /// Items of an Outlook file up to [`PIECE_BYTES`]. Its pieces span no bytes: the last
    /// spans the file.
    fn outlook_items(&mut self, seq: u64) -> Result<Piece, String> {
        let Some((receiver, wait)) = &self.items else {
            return Err("no reader for this file".into());
        };
        let (mut items, mut bytes) = (Vec::new(), 0);
        let last = loop {
            match receiver.recv_timeout(*wait) {
                Ok(Walked::Item(item)) => {
                    bytes += item.bytes();
                    items.push(*item);
                    if bytes >= PIECE_BYTES {
                        break false;
                    }
                }
                Ok(Walked::Done) => break true,
                Ok(Walked::Failed(why)) => return Err(why),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "the pst reader was stopped after {:.0} s without an item (see \
                         --max-read-time)",
                        wait.as_secs_f64()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the pst reader crashed on this file (malformed content)".into());
                }
            }
        };
        let counted = items.len() as u64;
        let count = self.count;
        self.count += counted;
        Ok(Piece {
            seq,
            last,
            start: self.pos,
            end: self.pos,
            count,
            counted,
            bytes: Vec::new(),
            items,
            problems: Vec::new(),
        })
    }

    /// Lines up to [`PIECE_BYTES`] (the survey refused lines too long to be text; one that
    /// grew since is cut short).
    fn lines(&mut self, seq: u64) -> std::io::Result<Piece> {
        let start = self.pos;
        let mut bytes = Vec::with_capacity(PIECE_BYTES + 4096);
        let mut lines = 0;
        let last = loop {
            let n = read_line(&mut self.reader, &mut bytes, MAX_LINE)?;
            if n == 0 {
                break true;
            }
            self.pos += n as u64;
            lines += 1;
            if bytes.len() >= PIECE_BYTES {
                break self.reader.fill_buf()?.is_empty();
            }
        };
        Ok(self.piece(seq, start, bytes, lines, last, Vec::new()))
    }

    /// Whole messages up to [`PIECE_BYTES`]. Bytes before the first `From ` line are no
    /// message and are passed over, as mail readers do. A message over `max_message` (or with
    /// a line over 16 MB) keeps only its `From ` line and is named among the piece's problems.
    fn messages(&mut self, seq: u64) -> std::io::Result<Piece> {
        let mut bytes = std::mem::take(&mut self.carried);
        let start = self.pos - bytes.len() as u64;
        bytes.reserve(PIECE_BYTES + 4096);
        let mut messages = u64::from(!bytes.is_empty());
        let mut problems = Vec::new();
        // The message being read: where it starts in `bytes` and in the file, its size so far,
        // and whether it was left out.
        let mut message = Message {
            at: 0,
            offset: self.pos - bytes.len() as u64,
            size: bytes.len() as u64,
            left_out: false,
        };
        let mut line = Vec::with_capacity(256);
        loop {
            line.clear();
            let n = read_line(&mut self.reader, &mut line, MAX_LINE)?;
            if n == 0 {
                message.close(self.max_message, &mut problems);
                return Ok(self.piece(seq, start, bytes, messages, true, problems));
            }
            self.pos += n as u64;
            if line.starts_with(b"From ") {
                message.close(self.max_message, &mut problems);
                if bytes.len() >= PIECE_BYTES {
                    // This line starts the next piece.
                    self.pos -= n as u64;
                    self.carried = std::mem::take(&mut line);
                    let piece = self.piece(seq, start, bytes, messages, false, problems);
                    self.pos += n as u64;
                    return Ok(piece);
                }
                messages += 1;
                message = Message {
                    at: bytes.len(),
                    offset: self.pos - n as u64,
                    size: 0,
                    left_out: false,
                };
            } else if messages == 0 {
                continue;
            }
            message.size += n as u64;
            if message.size > self.max_message || n > line.len() {
                message.leave_out(&mut bytes);
            }
            if !message.left_out {
                bytes.extend_from_slice(&line);
            }
        }
    }

    fn piece(
        &mut self,
        seq: u64,
        start: u64,
        bytes: Vec<u8>,
        counted: u64,
        last: bool,
        problems: Vec<MemberProblem>,
    ) -> Piece {
        let count = self.count;
        self.count += counted;
        Piece {
            seq,
            last,
            start,
            end: self.pos,
            count,
            counted,
            bytes,
            items: Vec::new(),
            problems,
        }
    }
}

/// Starts the walker of the Outlook file at `path` on a thread of its own (the reader's store
/// cannot move between threads), past the items before `start`; its items come through the
/// channel, a few at a time (a bounded queue). A walker that panics drops its end: the file
/// fails as crashed.
fn walker(
    path: &std::path::Path,
    start: Start,
    max_bytes: u64,
) -> std::io::Result<Receiver<Walked>> {
    let (sender, receiver) = sync_channel(8);
    let path = path.to_path_buf();
    std::thread::Builder::new()
        .name("pst reader".into())
        .stack_size(256 << 20)
        .spawn(move || {
            pst::walk(&path, start.count, max_bytes, &mut |walked| {
                sender.send(walked).is_ok()
            });
        })?;
    Ok(receiver)
}

/// The message of a mailbox being cut.
struct Message {
    /// Where it starts in the piece's bytes, and in the file.
    at: usize,
    offset: u64,
    size: u64,
    left_out: bool,
}

impl Message {
    /// Drops what was kept of it but its `From ` line.
    fn leave_out(&mut self, bytes: &mut Vec<u8>) {
        if !self.left_out {
            let from_line = bytes[self.at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| self.at + i + 1);
            bytes.truncate(from_line);
            self.left_out = true;
        }
    }

    /// Names it among `problems` if it was left out.
    fn close(&self, max: u64, problems: &mut Vec<MemberProblem>) {
        if self.left_out {
            problems.push(MemberProblem {
                member: format!("message at byte {}", self.offset),
                rejection: Rejection::Skip(if self.size > max {
                    format!(
                        "too large ({} bytes; the limit is {max}, see --max-file-size)",
                        self.size
                    )
                } else {
                    format!("a line longer than {} MB", MAX_LINE >> 20)
                }),
            });
        }
    }
}

/// Appends the next line (with its `\n`) to `out`, no more than `max` bytes of it, and
/// consumes all of it; the bytes consumed, 0 at the end.
fn read_line(reader: &mut impl BufRead, out: &mut Vec<u8>, max: usize) -> std::io::Result<usize> {
    let mut consumed = 0;
    let mut kept = 0;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(consumed);
        }
        let (take, ended) = match memchr::memchr(b'\n', buffer) {
            Some(i) => (i + 1, true),
            None => (buffer.len(), false),
        };
        let keep = take.min(max - kept);
        out.extend_from_slice(&buffer[..keep]);
        kept += keep;
        reader.consume(take);
        consumed += take;
        if ended {
            return Ok(consumed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::discover::SourceFile;
    use crate::store::{Indexed, Unfinished};

    fn work_on(path: &std::path::Path) -> Work {
        Work {
            file: SourceFile {
                path: path.to_path_buf(),
                key: path.display().to_string(),
                size: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
                mtime: 0,
                folder: ".".into(),
            },
            previous: None,
            resume: None,
        }
    }

    fn all_pieces(work: &Work, kind: Kind, start: Start, max: u64) -> Vec<Piece> {
        let mut cutter =
            Cutter::open(work, kind, start, max, Duration::from_secs(60)).expect("open");
        std::iter::from_fn(|| cutter.next_piece())
            .map(|p| p.map_err(|(_, e)| e).expect("piece"))
            .collect()
    }

    const FROM_START: Start = Start {
        offset: 0,
        count: 0,
        fresh: true,
    };

    #[test]
    fn a_mailbox_is_cut_between_messages_and_a_large_one_is_left_out() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("box");
        let body = "x".repeat(1000);
        let mut mbox = String::from("junk before the first message\r\n");
        for i in 0..(3 * PIECE_BYTES / 1000) {
            mbox.push_str(&format!(
                "From a@b Mon Jan  5 09:00:00 1948\r\nSubject: {i}\r\n\r\n{body}\r\n"
            ));
        }
        let huge_at = mbox.len() as u64;
        mbox.push_str(&format!(
            "From big@b Mon Jan  5 09:00:00 1948\r\n\r\n{}\r\n",
            "y".repeat(5000)
        ));
        mbox.push_str("From last@b Mon Jan  5 09:00:00 1948\r\n\r\nend\r\n");
        std::fs::write(&path, &mbox).expect("write");
        let pieces = all_pieces(&work_on(&path), Kind::Mailbox, FROM_START, 4000);
        assert!(pieces.len() >= 3, "{}", pieces.len());
        // Each piece starts where the one before ended, at a `From ` line, and the last ends
        // the file.
        for pair in pieces.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert_eq!(pair[1].count, pair[0].count + pair[0].counted);
            assert!(pair[1].bytes.starts_with(b"From a@b"));
            assert!(!pair[0].last);
        }
        let last = pieces.last().expect("last");
        assert!(last.last && last.end == mbox.len() as u64);
        let messages: u64 = pieces.iter().map(|p| p.counted).sum();
        assert_eq!(messages as usize, 3 * PIECE_BYTES / 1000 + 2);
        // The message over 4000 bytes keeps only its `From ` line, and is named.
        let problems: Vec<_> = pieces.iter().flat_map(|p| &p.problems).collect();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].member, format!("message at byte {huge_at}"));
        assert!(last.bytes.ends_with(b"From big@b Mon Jan  5 09:00:00 1948\r\nFrom last@b Mon Jan  5 09:00:00 1948\r\n\r\nend\r\n"));
        assert!(!pieces[0].bytes.starts_with(b"junk"));
    }

    #[test]
    fn a_grown_file_is_read_from_its_old_end_and_a_changed_one_from_the_start() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("log.txt");
        std::fs::write(&path, "one\ntwo\n").expect("write");
        let first = survey(&work_on(&path), Kind::Lines).expect("survey");
        assert_eq!(first.start.map(|s| s.fresh), Some(true));
        let previous = Indexed {
            size: 8,
            mtime: 0,
            sha256: first.sha256.clone(),
        };
        let with_previous = |path: &std::path::Path| Work {
            previous: Some(previous.clone()),
            ..work_on(path)
        };
        // Unchanged content: nothing to read.
        assert_eq!(
            survey(&with_previous(&path), Kind::Lines).expect("s").start,
            None
        );
        std::fs::write(&path, "one\ntwo\nthree\n").expect("write");
        let grown = survey(&with_previous(&path), Kind::Lines).expect("survey");
        let expected = Start {
            offset: 8,
            count: 2,
            fresh: false,
        };
        assert_eq!(grown.start, Some(expected));
        let pieces = all_pieces(&with_previous(&path), Kind::Lines, expected, u64::MAX);
        assert_eq!(pieces.len(), 1);
        assert_eq!((pieces[0].count, pieces[0].counted), (2, 1));
        assert_eq!(pieces[0].bytes, b"three\n");
        // An edit before the old end: from the start.
        std::fs::write(&path, "One\ntwo\nthree\n").expect("write");
        let changed = survey(&with_previous(&path), Kind::Lines).expect("survey");
        assert_eq!(changed.start, Some(FROM_START));
        // Where an ingest stopped, if the file is the one it read.
        let resumed = Work {
            resume: Some(Unfinished {
                sha256: changed.sha256.clone(),
                offset: 4,
                count: 1,
            }),
            ..with_previous(&path)
        };
        let start = survey(&resumed, Kind::Lines).expect("survey").start;
        assert_eq!(
            start.map(|s| (s.offset, s.count, s.fresh)),
            Some((4, 1, false))
        );
    }

    #[test]
    fn a_line_is_read_no_further_than_its_bound() {
        let mut reader = std::io::BufReader::with_capacity(4, &b"abcdefgh\nij"[..]);
        let mut line = Vec::new();
        assert_eq!(read_line(&mut reader, &mut line, 3).expect("read"), 9);
        assert_eq!(line, b"abc");
        line.clear();
        assert_eq!(read_line(&mut reader, &mut line, 3).expect("read"), 2);
        assert_eq!(line, b"ij");
        assert_eq!(read_line(&mut reader, &mut line, 3).expect("read"), 0);
    }
}
