//! Containers: ZIP, tar, gzip'd tar and gzip files, each member read as a document of its own
//! format (`donation.zip!/letters/1947.docx`), nested containers too; and e-mail attachments,
//! which `email` hands here the same way.
//!
//! A member's documents carry its path inside the container as their `part` (`!/letters/
//! 1947.docx`; `!/inner.zip!/a.txt` when nested), so that the path of the file on disk stays
//! the key that updates and deletes go by: re-ingesting a changed container replaces all its
//! members, and a deleted one takes them along. A member that cannot be read is a
//! [`MemberProblem`], reported on its own line; the rest of the container is still indexed.
//!
//! Bounded like DOCX: members are streamed one at a time, each read up to
//! [`MAX_MEMBER_BYTES`], all of them (nested ones included) through one budget of
//! [`MAX_EXPANDED_BYTES`] and [`MAX_MEMBERS`], nesting [`MAX_DEPTH`] deep: a zip bomb is one
//! clear error, not an exhausted machine.

use std::io::{Cursor, Read};
use std::path::Path;

use flate2::read::GzDecoder;

use super::{Extracted, Format, MemberProblem, Rejection, read_nested};

/// Bytes all members of one file may expand to, nested containers included.
pub const MAX_EXPANDED_BYTES: u64 = 1 << 30;
/// Bytes one member may have; a larger member is skipped (the `--max-file-size` of files).
pub const MAX_MEMBER_BYTES: u64 = 64 << 20;
/// Members of one file, nested ones included.
pub const MAX_MEMBERS: usize = 50_000;
/// Containers within containers: `a.zip!/b.zip!/c.zip!/d.txt` is as deep as it goes.
pub const MAX_DEPTH: usize = 3;

/// Where a reader stands in a file: how deep in containers and attachments, and what is left
/// of the file's budget. One per file, passed down to every member.
#[derive(Debug)]
pub struct Nesting {
    /// How scans and images in the file are read.
    pub ocr: super::ocr::Ocr,
    depth: usize,
    bytes: u64,
    members: usize,
    /// The budget ran out: the whole file stops, however deep that happened.
    spent: bool,
}

impl Default for Nesting {
    fn default() -> Nesting {
        Nesting {
            ocr: super::ocr::Ocr::Off,
            depth: 0,
            bytes: MAX_EXPANDED_BYTES,
            members: MAX_MEMBERS,
            spent: false,
        }
    }
}

impl Nesting {
    /// A budget of its own for one message of a mailbox, as deep as the mailbox.
    pub fn for_message(&self) -> Nesting {
        Nesting {
            ocr: self.ocr.clone(),
            depth: self.depth,
            ..Nesting::default()
        }
    }
}

#[cfg(test)]
impl Nesting {
    /// A budget small enough for a test to spend.
    fn with_budget(bytes: u64, members: usize) -> Nesting {
        Nesting {
            bytes,
            members,
            ..Nesting::default()
        }
    }
}

/// The documents of a container's members, and the members that could not be read; a
/// member's documents have its path in their `part` (`!/letters/1947.docx`), a problem names
/// the member (`letters/photo.jpg`).
#[derive(Debug, Default)]
pub struct Unpacked {
    pub documents: Vec<Extracted>,
    pub problems: Vec<MemberProblem>,
}

impl Unpacked {
    /// Adds what was found inside `outer` (a member, or `message 3` of a mailbox), with
    /// `outer` in front of each path: `!/a.txt` inside `inner.zip` is `!/inner.zip!/a.txt`.
    pub fn nest(&mut self, outer: &str, inner: Unpacked) {
        let nested = |part: Option<String>| match part {
            Some(part) if part.starts_with("!/") => format!("!/{outer}{part}"),
            Some(part) => format!("!/{outer} ({part})"),
            None => format!("!/{outer}"),
        };
        for mut doc in inner.documents {
            doc.part = Some(nested(doc.part));
            if let Some(message) = doc.attached_to.take() {
                doc.attached_to = Some(super::MessagePart(Some(nested(message.0))));
            }
            self.documents.push(doc);
        }
        for problem in inner.problems {
            self.problems.push(MemberProblem {
                member: format!("{outer}!/{}", problem.member),
                rejection: problem.rejection,
            });
        }
    }
}

/// Every member of a container `format` (`Zip`, `Tar`, `TarGz` or `Gz`; `name` is the
/// container's file name, which names a gzip file's member). Fails only when the container
/// itself cannot be read or is a bomb; a member that cannot be read is a problem of its own.
pub fn unpack(
    format: Format,
    bytes: &[u8],
    name: &str,
    nesting: &mut Nesting,
) -> Result<Unpacked, Rejection> {
    let mut out = Unpacked::default();
    match format {
        Format::Zip => {
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
                .map_err(|e| Rejection::Fail(format!("corrupt ZIP ({e})")))?;
            for i in 0..archive.len() {
                let mut entry = archive
                    .by_index(i)
                    .map_err(|e| Rejection::Fail(format!("corrupt ZIP: member {i}: {e}")))?;
                if entry.is_dir() {
                    continue;
                }
                // A name that is not UTF-8 (nor flagged CP437) is shown as readably as it goes.
                let member_name = match entry.name() {
                    Ok(name) => name.into_owned(),
                    Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
                };
                member(&member_name, &mut entry, nesting, &mut out)?;
            }
        }
        Format::Tar | Format::TarGz => {
            let reader: Box<dyn Read + '_> = if format == Format::TarGz {
                Box::new(GzDecoder::new(bytes))
            } else {
                Box::new(bytes)
            };
            let mut archive = tar::Archive::new(reader);
            let entries = archive
                .entries()
                .map_err(|e| Rejection::Fail(format!("corrupt tar ({e})")))?;
            for entry in entries {
                let mut entry = entry.map_err(|e| Rejection::Fail(format!("corrupt tar ({e})")))?;
                if !entry.header().entry_type().is_file() {
                    continue;
                }
                let member_name = entry
                    .path()
                    .map_err(|e| Rejection::Fail(format!("corrupt tar ({e})")))?
                    .to_string_lossy()
                    .into_owned();
                member(&member_name, &mut entry, nesting, &mut out)?;
            }
        }
        Format::Gz => {
            // One file, named as the container without `.gz`: the name in the gzip header is
            // often absent or stale.
            let base = name.rsplit('/').next().unwrap_or(name);
            let inner = base
                .strip_suffix(".gz")
                .or_else(|| base.strip_suffix(".GZ"))
                .filter(|inner| !inner.is_empty())
                .unwrap_or("file");
            if !bytes.starts_with(&[0x1f, 0x8b]) {
                return Err(Rejection::Fail("not a gzip file".into()));
            }
            member(inner, &mut GzDecoder::new(bytes), nesting, &mut out)?;
            // Its one member unreadable is the file unreadable.
            if out.documents.is_empty()
                && let Some(MemberProblem {
                    rejection: Rejection::Fail(why),
                    ..
                }) = out.problems.first()
            {
                return Err(Rejection::Fail(format!("corrupt gzip ({why})")));
            }
        }
        other => {
            return Err(Rejection::Fail(format!(
                "{} is not a container",
                other.name()
            )));
        }
    }
    Ok(out)
}

/// Reads one member (of a container, or an e-mail attachment) and adds its documents or its
/// problem to `out`. Errs only when the whole file must stop: its budget is spent.
pub fn member(
    name: &str,
    reader: &mut dyn Read,
    nesting: &mut Nesting,
    out: &mut Unpacked,
) -> Result<(), Rejection> {
    member_declared(name, None, reader, nesting, out)
}

/// As [`member`], read as `declared` when its name does not say its format (an attachment's
/// `text/x-patch` type for `fix.patch`).
pub fn member_declared(
    name: &str,
    declared: Option<Format>,
    reader: &mut dyn Read,
    nesting: &mut Nesting,
    out: &mut Unpacked,
) -> Result<(), Rejection> {
    if nesting.members == 0 {
        nesting.spent = true;
        return Err(Rejection::Fail(format!(
            "more than {MAX_MEMBERS} members (nested ones included); not indexed"
        )));
    }
    nesting.members -= 1;
    let problem = |rejection| MemberProblem {
        member: name.to_string(),
        rejection,
    };
    let Some(format) = Format::of_path(Path::new(name)).or(declared) else {
        let ext = Path::new(name)
            .extension()
            .map(|e| format!(" (.{})", e.to_string_lossy()))
            .unwrap_or_default();
        out.problems
            .push(problem(Rejection::Skip(format!("unsupported format{ext}"))));
        return Ok(());
    };
    let limit = MAX_MEMBER_BYTES.min(nesting.bytes);
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
        out.problems
            .push(problem(Rejection::Fail(format!("cannot unpack: {e}"))));
        return Ok(());
    }
    if bytes.len() as u64 > limit {
        if limit < MAX_MEMBER_BYTES {
            nesting.spent = true;
            return Err(Rejection::Fail(format!(
                "expands past {} MB when unpacked (a zip bomb?); not indexed",
                MAX_EXPANDED_BYTES >> 20
            )));
        }
        out.problems.push(problem(Rejection::Skip(format!(
            "too large (over {} MB unpacked)",
            MAX_MEMBER_BYTES >> 20
        ))));
        return Ok(());
    }
    nesting.bytes -= bytes.len() as u64;
    if bytes.is_empty() {
        out.problems
            .push(problem(Rejection::Skip("empty file".into())));
        return Ok(());
    }
    let format = match format {
        Format::Text => Format::sniff(&bytes),
        other => other,
    };
    if format.holds_files() && nesting.depth + 1 >= MAX_DEPTH {
        out.problems.push(problem(Rejection::Skip(format!(
            "nested more than {MAX_DEPTH} deep; not opened"
        ))));
        return Ok(());
    }
    nesting.depth += 1;
    // A reader that panics on this member loses this member only.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_nested(format, &bytes, name, nesting)
    }));
    nesting.depth -= 1;
    match read {
        Ok(Ok(mut inner)) => {
            for doc in &mut inner.documents {
                doc.format.get_or_insert(format);
            }
            out.nest(name, inner);
        }
        // The budget is the whole file's: spent inside, spent for all.
        Ok(Err(rejection)) if nesting.spent => return Err(rejection),
        Ok(Err(rejection)) => out.problems.push(problem(rejection)),
        Err(_) => out.problems.push(problem(Rejection::Fail(format!(
            "the {} reader crashed on this member (malformed content)",
            format.name()
        )))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    /// A ZIP of (name, bytes) members.
    fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in members {
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            writer.start_file(*name, options).expect("zip member");
            writer.write_all(bytes).expect("zip write");
        }
        writer.finish().expect("zip finish").into_inner()
    }

    fn tar_gz(members: &[(&str, &[u8])]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let mut builder = tar::Builder::new(gz);
        for (name, bytes) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, name, *bytes)
                .expect("tar member");
        }
        builder
            .into_inner()
            .and_then(|gz| gz.finish())
            .expect("tar.gz")
    }

    fn parts(unpacked: &Unpacked) -> Vec<(String, String)> {
        unpacked
            .documents
            .iter()
            .map(|d| {
                (
                    d.part.clone().unwrap_or_default(),
                    d.text.trim().to_string(),
                )
            })
            .collect()
    }

    fn problems(unpacked: &Unpacked) -> Vec<String> {
        unpacked
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.member, p.rejection))
            .collect()
    }

    #[test]
    fn members_nested_containers_and_problems() -> Result<(), Rejection> {
        let inner = zip(&[("letters/1947.txt", b"Arrived at Maizuru.")]);
        let outer = zip(&[
            ("roster.md", b"Nakhodka roster"),
            ("inner.zip", &inner),
            ("song.mp3", b"\xff\xfb\x90"),
            ("empty.txt", b""),
            ("folder/", b""),
        ]);
        let unpacked = unpack(Format::Zip, &outer, "donation.zip", &mut Nesting::default())?;
        assert_eq!(
            parts(&unpacked),
            [
                ("!/roster.md".to_string(), "Nakhodka roster".to_string()),
                (
                    "!/inner.zip!/letters/1947.txt".to_string(),
                    "Arrived at Maizuru.".to_string()
                ),
            ]
        );
        assert_eq!(unpacked.documents[1].format, Some(Format::Text));
        assert_eq!(
            problems(&unpacked),
            [
                "song.mp3: unsupported format (.mp3)",
                "empty.txt: empty file"
            ]
        );
        Ok(())
    }

    #[test]
    fn tar_gz_and_gz() -> Result<(), Rejection> {
        let tgz = tar_gz(&[("a/notes.txt", b"Siberia"), ("b.html", b"<p>Dalian</p>")]);
        let unpacked = unpack(Format::TarGz, &tgz, "d.tar.gz", &mut Nesting::default())?;
        assert_eq!(
            parts(&unpacked),
            [
                ("!/a/notes.txt".to_string(), "Siberia".to_string()),
                ("!/b.html".to_string(), "Dalian".to_string()),
            ]
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"Hakodate").expect("gz");
        let gz = gz.finish().expect("gz");
        let unpacked = unpack(Format::Gz, &gz, "/x/notes.md.gz", &mut Nesting::default())?;
        assert_eq!(
            parts(&unpacked),
            [("!/notes.md".to_string(), "Hakodate".to_string())]
        );
        Ok(())
    }

    #[test]
    fn a_bomb_stops_the_whole_file_however_deep() {
        let inner = zip(&[("zeros.txt", &[b'0'; 5000])]);
        let outer = zip(&[("a.txt", b"fine"), ("inner.zip", &inner)]);
        let result = unpack(
            Format::Zip,
            &outer,
            "bomb.zip",
            &mut Nesting::with_budget(4000, 10),
        );
        assert!(
            matches!(&result, Err(Rejection::Fail(why)) if why.contains("zip bomb")),
            "{result:?}"
        );
        let many = zip(&[("1.txt", b"a"), ("2.txt", b"b"), ("3.txt", b"c")]);
        let result = unpack(
            Format::Zip,
            &many,
            "many.zip",
            &mut Nesting::with_budget(1000, 2),
        );
        assert!(
            matches!(&result, Err(Rejection::Fail(why)) if why.contains("more than")),
            "{result:?}"
        );
    }

    #[test]
    fn containers_nest_only_so_deep() -> Result<(), Rejection> {
        let mut bytes = zip(&[("deepest.txt", b"found")]);
        for level in 0..MAX_DEPTH {
            bytes = zip(&[(&format!("level{level}.zip"), &bytes)]);
        }
        let unpacked = unpack(Format::Zip, &bytes, "top.zip", &mut Nesting::default())?;
        assert!(unpacked.documents.is_empty());
        assert_eq!(unpacked.problems.len(), 1);
        assert!(
            unpacked.problems[0]
                .rejection
                .to_string()
                .contains("nested more than"),
            "{:?}",
            unpacked.problems
        );
        Ok(())
    }

    #[test]
    fn corrupt_containers_fail() {
        for format in [Format::Zip, Format::TarGz, Format::Gz] {
            let result = unpack(
                format,
                b"not a container at all",
                "x",
                &mut Nesting::default(),
            );
            assert!(
                matches!(result, Err(Rejection::Fail(_))),
                "{format:?}: {result:?}"
            );
        }
    }
}
