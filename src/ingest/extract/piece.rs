//! The documents of one piece of a file read in pieces (see `ingest::pieces`): messages of a
//! mailbox, or one part of a large text.
//!
//! A piece's messages (or a PST's items) are read together under one CPU bound
//! (`--max-read-time`, as a file's reader is); if that reader is stopped or crashes, they are
//! read again one at a time, each under the bound, so a hostile message costs only itself.

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use super::container::Nesting;
use super::email;
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
    let read = |range: Range<usize>| {
        let (bytes, ocr) = (Arc::clone(&bytes), ocr.clone());
        watched::watched("reader", cpu, move || {
            let mut nesting = Nesting::default();
            nesting.ocr = ocr;
            let read = email::extract_messages(bytes.get(range).unwrap_or_default(), &mut nesting)?;
            Ok(PieceDocuments {
                documents: finished(read.unpacked.documents),
                problems: read.unpacked.problems,
                parts: read.parts,
            })
        })
    };
    let name = |range: &Range<usize>| format!("message at byte {}", offset + range.start as u64);
    all_or_each(
        0..bytes.len(),
        || message_ranges(&bytes),
        read,
        name,
        (Format::Mbox, cpu),
    )
}

/// The documents of an Outlook file's items: each item and its attachments.
pub fn outlook(items: Vec<Item>, ocr: &Ocr, cpu: Duration) -> PieceDocuments {
    let items = Arc::new(items);
    let read = |range: Range<usize>| {
        let (items, ocr) = (Arc::clone(&items), ocr.clone());
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
    };
    let each = || (0..items.len()).map(|i| i..i + 1).collect();
    let name = |range: &Range<usize>| {
        items
            .get(range.start)
            .map_or_else(String::new, Item::member)
    };
    all_or_each(0..items.len(), each, read, name, (Format::Pst, cpu))
}

/// What a watched reader of a piece's parts gives.
type Watched = Result<Result<PieceDocuments, Rejection>, watched::Overrun>;

/// Reads the parts in `all` together, under one CPU bound; if that reader fails, stops or
/// crashes, the parts `each` gives are read one at a time, each under the bound, and one that
/// fails is a problem named by `name`, in place of its part.
fn all_or_each(
    all: Range<usize>,
    each: impl FnOnce() -> Vec<Range<usize>>,
    read: impl Fn(Range<usize>) -> Watched,
    name: impl Fn(&Range<usize>) -> String,
    (format, cpu): (Format, Duration),
) -> PieceDocuments {
    if let Ok(Ok(together)) = read(all) {
        return together;
    }
    let mut out = PieceDocuments::default();
    for range in each() {
        let rejection = match read(range.clone()) {
            Ok(Ok(part)) => {
                out.documents.extend(part.documents);
                out.problems.extend(part.problems);
                out.parts.extend(part.parts);
                continue;
            }
            Ok(Err(rejection)) => rejection,
            Err(overrun) => Rejection::Fail(super::overrun_reason(format, cpu, overrun)),
        };
        out.parts.push(None);
        out.problems.push(MemberProblem {
            member: name(&range),
            rejection,
        });
    }
    out
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
    fn a_part_that_breaks_the_reader_costs_only_itself() {
        // Reading parts 0..3 together fails; alone, part 1 fails and the others are read.
        let read = |range: Range<usize>| -> Watched {
            if range.len() > 1 {
                return Err(watched::Overrun::Crashed);
            }
            if range.start == 1 {
                return Ok(Err(Rejection::Fail("broken".into())));
            }
            Ok(Ok(PieceDocuments {
                documents: vec![Extracted {
                    text: format!("part {}", range.start),
                    ..Extracted::default()
                }],
                parts: vec![Some(format!("p{}", range.start))],
                ..PieceDocuments::default()
            }))
        };
        let each = || (0..3).map(|i| i..i + 1).collect();
        let name = |range: &Range<usize>| format!("part {}", range.start);
        let out = all_or_each(
            0..3,
            each,
            read,
            name,
            (Format::Mbox, Duration::from_secs(1)),
        );
        let texts: Vec<&str> = out.documents.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["part 0", "part 2"]);
        assert_eq!(out.parts, [Some("p0".into()), None, Some("p2".into())]);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].member, "part 1");
    }

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
