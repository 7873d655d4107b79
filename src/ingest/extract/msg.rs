//! Outlook `.msg`: a message saved by Outlook, an OLE compound file of MAPI properties. Its
//! subject, sender and body (plain text, else HTML as text), and each attachment read like a
//! container's member (`memo.msg!/inventory.docx`).
//!
//! Properties are streams named `__substg1.0_` + the property tag: `0037` subject, `0C1A`
//! sender's name, `1000` plain body, `1013` HTML body, `1035`, `1039` and `1042` the message's
//! id, `References` and `In-Reply-To` (for threads), `007D` the headers it was received with;
//! type `001F` is UTF-16LE, `001E` 8-bit in the message's code page (here windows-1252), `0102`
//! bytes. Attachments are storages
//! `__attach_version1.0_#N` with `3707` (long file name), `3704` (short) and `3701` (data).

use std::io::{Cursor, Read};

use super::container::{self, Nesting, Unpacked};
use super::{Extracted, Rejection, html};
use crate::thread::Mail;

/// A message's attachments read at most: a message is not a container to unpack whole.
const MAX_ATTACHMENTS: usize = 1000;

pub fn extract(bytes: &[u8], nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Rejection::Fail(format!("not an Outlook message ({e})")))?;
    let root = std::path::Path::new("/");
    let body = string(&mut file, root, "1000").or_else(|| {
        bytes_of(&mut file, root, "10130102")
            .and_then(|h| html::extract(&h).ok())
            .map(|h| h.text)
    });
    let mut doc = Extracted {
        text: body.unwrap_or_default(),
        title: string(&mut file, root, "0037"),
        author: string(&mut file, root, "0C1A"),
        ..Extracted::default()
    };
    // The sender's and each recipient's SMTP address (else the address property when it is
    // one: not an Exchange DN), for the message's e-mail entities.
    let address = |file: &mut cfb::CompoundFile<_>, storage: &std::path::Path, smtp, other| {
        string(file, storage, smtp)
            .or_else(|| string(file, storage, other))
            .filter(|a: &String| a.contains('@'))
    };
    doc.addresses
        .extend(address(&mut file, root, "5D01", "0C1F"));
    let recipients: Vec<std::path::PathBuf> = file
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with("__recip_version1.0_#"))
        .map(|e| e.path().to_path_buf())
        .take(MAX_ATTACHMENTS)
        .collect();
    for storage in recipients {
        doc.addresses
            .extend(address(&mut file, &storage, "39FE", "3003"));
    }
    doc.mail = Some(mail(&mut file, &doc));
    if doc.text.is_empty() && doc.title.is_none() {
        return Err(Rejection::Fail(
            "not an Outlook message (no subject and no body)".into(),
        ));
    }
    // A message without a body is still its subject.
    if doc.text.is_empty() {
        doc.text = doc.title.clone().unwrap_or_default();
    }
    let mut out = Unpacked {
        documents: vec![doc],
        problems: Vec::new(),
    };
    let storages: Vec<std::path::PathBuf> = file
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
        .map(|e| e.path().to_path_buf())
        .take(MAX_ATTACHMENTS)
        .collect();
    for storage in storages {
        let name = string(&mut file, &storage, "3707")
            .or_else(|| string(&mut file, &storage, "3704"))
            .map(|n| n.replace(['/', '\\'], "_"));
        let (Some(name), Some(data)) = (name, bytes_of(&mut file, &storage, "37010102")) else {
            continue;
        };
        container::member(&name, &mut data.as_slice(), nesting, &mut out)?;
    }
    super::attach(&mut out.documents[1..], None);
    Ok(out)
}

/// A message's links to others: its internet message id (`1035`), `References` (`1039`) and
/// `In-Reply-To` (`1042`), else those of the headers it was received with (`007D`), which
/// also give its date.
fn mail<F: Read + std::io::Seek>(file: &mut cfb::CompoundFile<F>, doc: &Extracted) -> Mail {
    let root = std::path::Path::new("/");
    let received = string(file, root, "007D");
    let headers = received
        .as_deref()
        .and_then(|h| mail_parser::MessageParser::default().parse(h.as_bytes()));
    let header = |name: &str| {
        headers
            .as_ref()
            .and_then(|h| h.header_raw(name).map(str::to_string))
    };
    let id = string(file, root, "1035").or_else(|| header("Message-ID"));
    let references = string(file, root, "1039").or_else(|| header("References"));
    let in_reply_to = string(file, root, "1042").or_else(|| header("In-Reply-To"));
    Mail {
        subject: doc.title.clone(),
        people: doc.addresses.clone(),
        time: headers
            .as_ref()
            .and_then(|h| h.date())
            .map(|d| d.to_timestamp()),
        ..Mail::from_headers(id.as_deref(), references.as_deref(), in_reply_to.as_deref())
    }
}

/// A string property of `storage`: UTF-16LE (`001F`) or 8-bit (`001E`).
fn string<F: Read + std::io::Seek>(
    file: &mut cfb::CompoundFile<F>,
    storage: &std::path::Path,
    tag: &str,
) -> Option<String> {
    if let Some(bytes) = bytes_of(file, storage, &format!("{tag}001F")) {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        let text = String::from_utf16_lossy(&units);
        return Some(text.trim_end_matches('\0').to_string()).filter(|s| !s.is_empty());
    }
    let bytes = bytes_of(file, storage, &format!("{tag}001E"))?;
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    Some(text.trim_end_matches('\0').to_string()).filter(|s| !s.is_empty())
}

/// The stream `__substg1.0_{id}` of `storage`, if it has one.
fn bytes_of<F: Read + std::io::Seek>(
    file: &mut cfb::CompoundFile<F>,
    storage: &std::path::Path,
    id: &str,
) -> Option<Vec<u8>> {
    let path = storage.join(format!("__substg1.0_{id}"));
    let mut stream = file.open_stream(&path).ok()?;
    let mut bytes = Vec::new();
    // A property is at most the file: the file itself was read within its limit.
    stream.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// A .msg with a subject, a sender, a body and one attachment.
    pub fn message() -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        for (name, bytes) in [
            ("/__substg1.0_0037001F", utf16("Transport list")),
            ("/__substg1.0_0C1A001F", utf16("Hakodate office")),
            ("/__substg1.0_5D01001F", utf16("office@hakodate.example")),
            (
                "/__substg1.0_1000001F",
                utf16("Ships due at Maizuru in May."),
            ),
            ("/__substg1.0_1042001F", utf16("<q@hakodate.example>")),
            (
                "/__substg1.0_007D001F",
                utf16(
                    "Message-ID: <t@hakodate.example>\r\nReferences: <r@hakodate.example>\r\n\
                     In-Reply-To: <ignored@example>\r\nDate: Thu, 1 May 1947 09:00:00 +0000\r\n\r\n",
                ),
            ),
        ] {
            file.create_stream(name)
                .and_then(|mut s| s.write_all(&bytes))
                .expect("stream");
        }
        file.create_storage("/__recip_version1.0_#00000000")
            .expect("storage");
        file.create_stream("/__recip_version1.0_#00000000/__substg1.0_39FE001F")
            .and_then(|mut s| s.write_all(&utf16("Port@Maizuru.example")))
            .expect("stream");
        file.create_storage("/__attach_version1.0_#00000000")
            .expect("storage");
        for (name, bytes) in [
            (
                "/__attach_version1.0_#00000000/__substg1.0_3707001F",
                utf16("list.txt"),
            ),
            (
                "/__attach_version1.0_#00000000/__substg1.0_37010102",
                b"Koan Maru, Eian Maru".to_vec(),
            ),
        ] {
            file.create_stream(name)
                .and_then(|mut s| s.write_all(&bytes))
                .expect("stream");
        }
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    #[test]
    fn subject_sender_body_and_attachments() -> Result<(), Rejection> {
        let read = extract(&message(), &mut Nesting::default())?;
        let doc = &read.documents[0];
        assert_eq!(doc.title.as_deref(), Some("Transport list"));
        assert_eq!(doc.author.as_deref(), Some("Hakodate office"));
        assert_eq!(
            doc.addresses,
            ["office@hakodate.example", "Port@Maizuru.example"],
            "the sender's and the recipient's addresses"
        );
        assert_eq!(doc.text, "Ships due at Maizuru in May.");
        assert_eq!(read.documents[1].part.as_deref(), Some("!/list.txt"));
        assert!(read.documents[1].text.contains("Eian Maru"));
        // Its links: the properties first, else the headers it was received with.
        let mail = doc.mail.clone().expect("a message has links");
        assert_eq!(mail.id.as_deref(), Some("t@hakodate.example"));
        assert_eq!(mail.references, ["r@hakodate.example"]);
        assert_eq!(mail.in_reply_to, ["q@hakodate.example"]);
        assert_eq!(mail.time, Some(-715_446_000), "1947-05-01T09:00:00Z");
        assert_eq!(
            read.documents[1].attached_to,
            Some(crate::ingest::extract::MessagePart(None))
        );
        Ok(())
    }

    #[test]
    fn not_a_message_fails() {
        assert!(matches!(
            extract(b"hello", &mut Nesting::default()),
            Err(Rejection::Fail(_))
        ));
    }
}
