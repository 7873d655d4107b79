//! E-mail: one `.eml` message, or an `.mbox` mailbox as one document per message.
//!
//! mail-parser decodes MIME, transfer encodings and legacy charsets (ISO-2022-JP, KOI8-R, ...);
//! the text is the message's text bodies (HTML bodies converted to text), the title its
//! subject, the author its sender, the date its `Date:` header. Each attachment with a file
//! name (and each attached message) is read like a container's member, as a document of its
//! own: `mail.eml!/inventory.docx`, `box.mbox!/message 2!/inventory.docx`.

use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Message, MessageParser, MimeHeaders};

use super::container::{self, Nesting, Unpacked};
use super::{Extracted, Format, Rejection};
use crate::thread::Mail;

pub fn extract_eml(bytes: &[u8], nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| Rejection::Fail("not a readable e-mail message".into()))?;
    let mut out = Unpacked {
        documents: vec![from_message(&message)],
        problems: Vec::new(),
    };
    attachments(&message, nesting, &mut out)?;
    super::attach(&mut out.documents[1..], None);
    Ok(out)
}

/// Every message of a mailbox; a message that does not parse is left out, and a mailbox in which
/// none does fails. (A mailbox on disk is read in pieces, see [`extract_messages`]; this one is a
/// member of a container or an attachment.)
pub fn extract_mbox(bytes: &[u8], nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let messages = extract_messages(bytes, nesting)?;
    if messages.unpacked.documents.is_empty() {
        return Err(Rejection::Fail(if messages.parts.is_empty() {
            "not an mbox mailbox (no \"From \" line)".to_string()
        } else {
            format!(
                "none of its {} messages could be read",
                messages.parts.len()
            )
        }));
    }
    Ok(messages.unpacked)
}

/// The messages of a mailbox's bytes, and what names each.
#[derive(Debug, Default)]
pub struct Messages {
    pub unpacked: Unpacked,
    /// Each message's part, in the order of the mailbox (`None` for one that could not be
    /// read): the number a message had in earlier versions is its place here.
    pub parts: Vec<Option<String>>,
}

/// Each message of mbox `bytes` (whole messages, each from its `From ` line; `>From ` lines
/// unquoted as mboxrd says) as a document with its attachments. A message is named by its
/// `Message-ID` (its `part` is `<id@host>`), or without one by its content's hash
/// (`sha256:…`), never by its place in the mailbox: a mailbox that grows or loses a message
/// keeps the names, and the tags, of the others. Each message has a budget of its own for its
/// attachments.
pub fn extract_messages(bytes: &[u8], nesting: &mut Nesting) -> Result<Messages, Rejection> {
    let parser = MessageParser::default();
    let mut out = Messages::default();
    for item in MessageIterator::new(bytes) {
        let Ok(raw) = item else {
            out.parts.push(None);
            continue;
        };
        let Some(message) = parser.parse(raw.contents()) else {
            out.parts.push(None);
            continue;
        };
        let part = message_part(&message, raw.contents());
        let mut doc = from_message(&message);
        doc.part = Some(part.clone());
        out.unpacked.documents.push(doc);
        let mut attached = Unpacked::default();
        attachments(&message, &mut nesting.for_message(), &mut attached)?;
        let first = out.unpacked.documents.len();
        out.unpacked.nest(&part, attached);
        super::attach(&mut out.unpacked.documents[first..], Some(&part));
        out.parts.push(Some(part));
    }
    Ok(out)
}

/// Message-IDs longer than this are named by their hash (they are not ids but noise).
const MAX_ID_CHARS: usize = 256;

/// What names a message: `<its Message-ID>`, or `sha256:` and 20 hex digits of its bytes.
/// `!/` (which separates members in a part) and control characters are replaced.
pub fn message_part(message: &Message<'_>, raw: &[u8]) -> String {
    match message.message_id().map(str::trim) {
        Some(id) if !id.is_empty() && id.chars().count() <= MAX_ID_CHARS => format!(
            "<{}>",
            id.replace("!/", "!_")
                .replace(|c: char| c.is_control(), "_")
        ),
        _ => {
            use sha2::{Digest, Sha256};
            let hash = crate::digest::hex(&Sha256::digest(raw));
            format!("sha256:{}", &hash[..20])
        }
    }
}

/// Each attachment of `message` that has a file name, and each attached message, read as a
/// member; inline parts without a name (signatures, images of the body) are left out.
fn attachments(
    message: &Message<'_>,
    nesting: &mut Nesting,
    out: &mut Unpacked,
) -> Result<(), Rejection> {
    for (i, part) in message.attachments().enumerate() {
        let name = match (part.attachment_name(), part.is_message()) {
            (Some(name), _) => name.replace(['/', '\\'], "_"),
            (None, true) => format!("attached message {}.eml", i + 1),
            (None, false) => continue,
        };
        container::member_declared(&name, declared(part), &mut part.contents(), nesting, out)?;
    }
    Ok(())
}

/// The format an attachment's MIME type says, for a name that does not: any `text/` type is
/// text (`text/x-patch`, `text/x-csrc`), HTML aside.
fn declared(part: &mail_parser::MessagePart<'_>) -> Option<Format> {
    let kind = part.content_type()?;
    if !kind.ctype().eq_ignore_ascii_case("text") {
        return None;
    }
    Some(match kind.subtype() {
        Some(sub) if sub.eq_ignore_ascii_case("html") => Format::Html,
        _ => Format::Text,
    })
}

fn from_message(message: &Message<'_>) -> Extracted {
    let mut text = String::new();
    for i in 0..message.text_body_count() {
        if let Some(body) = message.body_text(i) {
            text.push_str(&body);
            text.push_str("\n\n");
        }
    }
    let author = message.from().and_then(|from| from.first()).map(|addr| {
        match (addr.name(), addr.address()) {
            (Some(name), Some(address)) => format!("{name} <{address}>"),
            (Some(name), None) => name.to_string(),
            (None, Some(address)) => address.to_string(),
            (None, None) => String::new(),
        }
    });
    let addresses: Vec<String> = [message.from(), message.to(), message.cc(), message.bcc()]
        .into_iter()
        .flatten()
        .flat_map(|list| list.iter())
        .filter_map(|addr| addr.address().map(str::to_string))
        .collect();
    let title = message.subject().map(str::to_string);
    // A reply with nothing but an attachment is still its subject (and its place in a thread).
    if text.trim().is_empty() {
        text = title.clone().unwrap_or_default();
    }
    let mail = Mail {
        subject: title.clone(),
        people: addresses.clone(),
        time: message.date().map(|d| d.to_timestamp()),
        ..Mail::from_headers(
            message.header_raw("Message-ID"),
            message.header_raw("References"),
            message.header_raw("In-Reply-To"),
        )
    };
    Extracted {
        text,
        title,
        author,
        addresses,
        date: message.date().map(|d| d.to_rfc3339()),
        mail: Some(mail),
        ..Extracted::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::MessagePart;

    const MESSAGE: &str = "From: Kenji Sato <sato@example.org>\r\nTo: archive@example.org\r\n\
        Message-ID: <n1@example.org>\r\nSubject: Letter from Nakhodka\r\nDate: Tue, 10 Dec 1946 09:00:00 +0900\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\r\nWe sail for Maizuru tomorrow.\r\n";

    #[test]
    fn eml_headers_and_body() -> Result<(), Rejection> {
        let e = extract_eml(MESSAGE.as_bytes(), &mut Nesting::default())?;
        assert!(e.problems.is_empty());
        let e = &e.documents[0];
        assert_eq!(e.title.as_deref(), Some("Letter from Nakhodka"));
        assert_eq!(e.author.as_deref(), Some("Kenji Sato <sato@example.org>"));
        assert!(
            e.date
                .as_deref()
                .is_some_and(|d| d.starts_with("1946-12-10"))
        );
        assert!(e.text.contains("We sail for Maizuru tomorrow."));
        Ok(())
    }

    #[test]
    fn mbox_is_one_document_per_message() -> Result<(), Rejection> {
        let mbox = format!(
            "From sato@example.org Tue Dec 10 09:00:00 1946\n{}\nFrom b@example.org Wed Dec 11 09:00:00 1946\nSubject: Second\n\nArrived.\n",
            MESSAGE.replace("\r\n", "\n")
        );
        let docs = extract_mbox(mbox.as_bytes(), &mut Nesting::default())?.documents;
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].title.as_deref(), Some("Second"));
        // Named by its id, or without one by its content.
        assert_eq!(docs[0].part.as_deref(), Some("<n1@example.org>"));
        let second = docs[1].part.as_deref().unwrap_or("");
        assert!(
            second.starts_with("sha256:") && second.len() == 27,
            "{second}"
        );
        Ok(())
    }

    const WITH_ATTACHMENTS: &str = "From: Kenji Sato <sato@example.org>\r\nSubject: Inventory\r\n\
        MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: text/plain\r\n\r\nSee the inventory attached.\r\n\
        --b\r\nContent-Type: text/plain; name=\"inventory.txt\"\r\n\
        Content-Disposition: attachment; filename=\"inventory.txt\"\r\n\r\n\
        Blankets 40, rice 12 sacks, shipped from Nakhodka.\r\n\
        --b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"photo.png\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";

    #[test]
    fn attachments_are_members_of_the_message() -> Result<(), Rejection> {
        let e = extract_eml(WITH_ATTACHMENTS.as_bytes(), &mut Nesting::default())?;
        assert_eq!(e.documents.len(), 2);
        assert!(e.documents[0].text.contains("See the inventory attached."));
        assert!(
            !e.documents[0].text.contains("Blankets"),
            "an attachment is not the body"
        );
        assert_eq!(e.documents[1].part.as_deref(), Some("!/inventory.txt"));
        assert!(e.documents[1].text.contains("Blankets 40"));
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].member, "photo.png");
        // In a mailbox the message's number comes first.
        let mbox = format!(
            "From sato@example.org Tue Dec 10 09:00:00 1946\nMessage-ID: <inv@x>\n{WITH_ATTACHMENTS}"
        );
        let m = extract_mbox(mbox.as_bytes(), &mut Nesting::default())?;
        assert_eq!(
            m.documents[1].part.as_deref(),
            Some("!/<inv@x>!/inventory.txt")
        );
        assert_eq!(m.problems[0].member, "<inv@x>!/photo.png");
        Ok(())
    }

    #[test]
    fn a_message_has_its_links_and_its_attachments_go_with_it() -> Result<(), Rejection> {
        let reply = format!(
            "Message-ID: <inv@x>\r\nIn-Reply-To: <n1@example.org>\r\n\
             References: <root@example.org>\r\n  <n1@example.org>\r\n\
             Date: Wed, 11 Dec 1946 09:00:00 +0900\r\nTo: Archive <archive@example.org>\r\n{WITH_ATTACHMENTS}"
        );
        let e = extract_eml(reply.as_bytes(), &mut Nesting::default())?;
        let mail = e.documents[0].mail.clone().expect("a message has links");
        assert_eq!(mail.id.as_deref(), Some("inv@x"));
        assert_eq!(mail.references, ["root@example.org", "n1@example.org"]);
        assert_eq!(mail.in_reply_to, ["n1@example.org"]);
        assert_eq!(mail.subject.as_deref(), Some("Inventory"));
        assert_eq!(mail.people, ["sato@example.org", "archive@example.org"]);
        assert_eq!(mail.time, Some(-727_660_800), "1946-12-11T00:00:00Z");
        assert_eq!(e.documents[0].attached_to, None);
        assert_eq!(e.documents[1].mail, None, "an attachment links nothing");
        assert_eq!(e.documents[1].attached_to, Some(MessagePart(None)));
        // In a mailbox in a ZIP, the attachment still names its message's part.
        let mbox = format!("From sato@example.org Tue Dec 10 09:00:00 1946\n{reply}");
        let mut nesting = Nesting::default();
        let mut zipped = Unpacked::default();
        zipped.nest("box.mbox", extract_mbox(mbox.as_bytes(), &mut nesting)?);
        let (message, attachment) = (&zipped.documents[0], &zipped.documents[1]);
        assert_eq!(message.part.as_deref(), Some("!/box.mbox (<inv@x>)"));
        assert_eq!(
            attachment.attached_to,
            Some(MessagePart(message.part.clone()))
        );
        Ok(())
    }
}
