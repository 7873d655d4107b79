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
use super::{Extracted, Rejection};

pub fn extract_eml(bytes: &[u8], nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| Rejection::Fail("not a readable e-mail message".into()))?;
    let mut out = Unpacked {
        documents: vec![from_message(&message)],
        problems: Vec::new(),
    };
    attachments(&message, nesting, &mut out)?;
    Ok(out)
}

/// Every message of a mailbox; a message that does not parse is left out, and a mailbox in which
/// none does fails.
pub fn extract_mbox(bytes: &[u8], nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let parser = MessageParser::default();
    let mut out = Unpacked::default();
    let mut total = 0;
    for (n, item) in MessageIterator::new(bytes).enumerate() {
        total += 1;
        let Ok(raw) = item else { continue };
        if let Some(message) = parser.parse(raw.contents()) {
            let part = format!("message {}", n + 1);
            let mut doc = from_message(&message);
            doc.part = Some(part.clone());
            out.documents.push(doc);
            let mut attached = Unpacked::default();
            attachments(&message, nesting, &mut attached)?;
            out.nest(&part, attached);
        }
    }
    if out.documents.is_empty() {
        return Err(Rejection::Fail(if total == 0 {
            "not an mbox mailbox (no \"From \" line)".to_string()
        } else {
            format!("none of its {total} messages could be read")
        }));
    }
    Ok(out)
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
        container::member(&name, &mut part.contents(), nesting, out)?;
    }
    Ok(())
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
    Extracted {
        text,
        title: message.subject().map(str::to_string),
        author,
        date: message.date().map(|d| d.to_rfc3339()),
        ..Extracted::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "From: Kenji Sato <sato@example.org>\r\nTo: archive@example.org\r\n\
        Subject: Letter from Nakhodka\r\nDate: Tue, 10 Dec 1946 09:00:00 +0900\r\n\
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
        assert_eq!(docs[1].part.as_deref(), Some("message 2"));
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
        let mbox = format!("From sato@example.org Tue Dec 10 09:00:00 1946\n{WITH_ATTACHMENTS}");
        let m = extract_mbox(mbox.as_bytes(), &mut Nesting::default())?;
        assert_eq!(
            m.documents[1].part.as_deref(),
            Some("!/message 1!/inventory.txt")
        );
        assert_eq!(m.problems[0].member, "message 1!/photo.png");
        Ok(())
    }
}
