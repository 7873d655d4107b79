//! The documents of one piece of a file read in pieces (see `ingest::pieces`): messages of a
//! mailbox, or one part of a large text.
//!
//! A piece's messages are read together under one CPU bound (`--max-read-time`, as a file's
//! reader is); if that reader is stopped or crashes, they are read again one at a time, each
//! under the bound, so a hostile message costs only itself.

use std::sync::Arc;
use std::time::Duration;

use super::container::Nesting;
use super::email::{self, Messages};
use super::ocr::Ocr;
use super::pst::{self, Item};
use super::{Extracted, Format, MemberProblem, Rejection, finish, text, watched};

/// What a piece gave: its documents, normalized (none empty), and what could not be read.
#[derive(Debug, Default)]
pub struct PieceDocuments {
    pub documents: Vec<Extracted>,
    pub problems: Vec<MemberProblem>,
    /// A mailbox's piece: each message's part in order, `None` for one not read.
    pub parts: Vec<Option<String>>,
}

/// The messages of `bytes` (whole messages from their `From ` lines; the first at byte
/// `offset` of the file, which names a message that could not be read).
pub fn messages(bytes: Vec<u8>, offset: u64, ocr: &Ocr, cpu: Duration) -> PieceDocuments {
    let bytes = Arc::new(bytes);
    let all = read_messages(&bytes, 0..bytes.len(), ocr, cpu);
    let read = match all {
        Ok(Ok(messages)) => messages,
        // A message broke its reader: each on its own.
        Ok(Err(_)) | Err(_) => return one_at_a_time(&bytes, offset, ocr, cpu),
    };
    PieceDocuments {
        documents: finished(read.unpacked.documents),
        problems: read.unpacked.problems,
        parts: read.parts,
    }
}

/// `bytes[range]` read as messages on a watched reader.
fn read_messages(
    bytes: &Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
    ocr: &Ocr,
    cpu: Duration,
) -> Result<Result<Messages, Rejection>, watched::Overrun> {
    let (bytes, ocr) = (Arc::clone(bytes), ocr.clone());
    watched::watched("reader", cpu, move || {
        let mut nesting = Nesting::default();
        nesting.ocr = ocr;
        email::extract_messages(bytes.get(range).unwrap_or_default(), &mut nesting)
    })
}

fn one_at_a_time(bytes: &Arc<Vec<u8>>, offset: u64, ocr: &Ocr, cpu: Duration) -> PieceDocuments {
    let mut out = PieceDocuments::default();
    for range in message_ranges(bytes) {
        let at = offset + range.start as u64;
        match read_messages(bytes, range, ocr, cpu) {
            Ok(Ok(read)) => {
                out.documents.extend(finished(read.unpacked.documents));
                out.problems.extend(read.unpacked.problems);
                out.parts.extend(read.parts);
            }
            Ok(Err(rejection)) => {
                out.parts.push(None);
                out.problems.push(MemberProblem {
                    member: format!("message at byte {at}"),
                    rejection,
                });
            }
            Err(overrun) => {
                out.parts.push(None);
                out.problems.push(MemberProblem {
                    member: format!("message at byte {at}"),
                    rejection: Rejection::Fail(super::overrun_reason(Format::Mbox, cpu, overrun)),
                });
            }
        }
    }
    out
}

/// The documents of an Outlook file's items: each item and its attachments, read together
/// under one CPU bound, and one at a time if that reader is stopped or crashes.
pub fn outlook(items: Vec<Item>, ocr: &Ocr, cpu: Duration) -> PieceDocuments {
    let items = Arc::new(items);
    let all = read_items(&items, 0..items.len(), ocr, cpu);
    if let Ok(Ok(read)) = all {
        return read;
    }
    let mut out = PieceDocuments::default();
    for i in 0..items.len() {
        match read_items(&items, i..i + 1, ocr, cpu) {
            Ok(Ok(read)) => {
                out.documents.extend(read.documents);
                out.problems.extend(read.problems);
                out.parts.extend(read.parts);
            }
            failed => {
                let rejection = match failed {
                    Ok(Err(rejection)) => rejection,
                    Err(overrun) => {
                        Rejection::Fail(super::overrun_reason(Format::Pst, cpu, overrun))
                    }
                    Ok(Ok(_)) => continue,
                };
                out.parts.push(None);
                out.problems.push(MemberProblem {
                    member: items[i].member(),
                    rejection,
                });
            }
        }
    }
    out
}

fn read_items(
    items: &Arc<Vec<Item>>,
    range: std::ops::Range<usize>,
    ocr: &Ocr,
    cpu: Duration,
) -> Result<Result<PieceDocuments, Rejection>, watched::Overrun> {
    let (items, ocr) = (Arc::clone(items), ocr.clone());
    watched::watched("reader", cpu, move || {
        let mut out = PieceDocuments::default();
        for item in items.get(range).unwrap_or_default() {
            let mut nesting = Nesting::default();
            nesting.ocr = ocr.clone();
            let read = pst::documents(item, &mut nesting)?;
            out.parts.push(Some(item.member()));
            out.documents.extend(finished(read.documents));
            out.problems.extend(read.problems);
        }
        Ok(out)
    })
}

/// Where each message of `bytes` starts and ends: at lines beginning with `From `.
fn message_ranges(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"From ") {
            starts.push(at);
        }
        at = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
    }
    let ends = starts.iter().skip(1).copied().chain([bytes.len()]);
    starts.iter().zip(ends).map(|(&s, e)| s..e).collect()
}

/// Lines of a text (`first` is the number of the first, from 1, and `count` how many) as one
/// document whose part names them (`lines 1-52340`), decoded as `encoding` says when the bytes
/// fit it (the encoding its first part was found in), else as [`super::decode`] finds.
pub fn lines(
    bytes: &[u8],
    first: u64,
    count: u64,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<Extracted, Rejection> {
    let last = first + count.max(1) - 1;
    let mut doc = text::extract_declared(bytes, encoding)?;
    doc.part = Some(format!("lines {first}-{last}"));
    Ok(finish(doc))
}

/// Text already extracted (a large XML file's part) as one document named `part`; none when
/// it has no text.
pub fn xml_text(bytes: Vec<u8>, part: &str) -> Option<Extracted> {
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let doc = finish(Extracted {
        text,
        part: Some(part.to_string()),
        encoding: Some("UTF-8"),
        ..Extracted::default()
    });
    (!doc.text.is_empty()).then_some(doc)
}

fn finished(documents: Vec<Extracted>) -> Vec<Extracted> {
    documents
        .into_iter()
        .map(finish)
        .filter(|d| !d.text.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_start_at_from_lines() {
        let bytes = b"From a\nx\nFrom b\n>From c\nFrom d";
        let ranges = message_ranges(bytes);
        assert_eq!(ranges, [0..9, 9..24, 24..30]);
    }

    #[test]
    fn a_piece_names_messages_and_lines() {
        let mbox = b"From a@x Mon Jan  1 00:00:00 1990\nMessage-ID: <1@x>\nSubject: One\n\n\
            Maizuru\nFrom b@x Mon Jan  1 00:00:00 1990\nSubject: Two\n\n>From the port\n"
            .to_vec();
        let read = messages(mbox, 0, &Ocr::Off, Duration::from_secs(10));
        assert_eq!(read.documents.len(), 2);
        assert_eq!(read.parts[0].as_deref(), Some("<1@x>"));
        assert!(read.documents[1].text.contains("From the port"), "unquoted");
        let doc = lines(b"a\nb\n", 41, 2, None).expect("lines");
        assert_eq!(doc.part.as_deref(), Some("lines 41-42"));
    }
}
