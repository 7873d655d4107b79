//! E-mail: one `.eml` message, or an `.mbox` mailbox as one document per message.
//!
//! mail-parser decodes MIME, transfer encodings and legacy charsets (ISO-2022-JP, KOI8-R, ...);
//! the text is the message's text bodies (HTML bodies converted to text), the title its
//! subject, the author its sender, the date its `Date:` header. Attachments are not indexed.

use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Message, MessageParser};

use super::{Extracted, Rejection};

pub fn extract_eml(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| Rejection::Fail("not a readable e-mail message".into()))?;
    Ok(from_message(&message))
}

/// Every message of a mailbox; a message that does not parse is left out, and a mailbox in which
/// none does fails.
pub fn extract_mbox(bytes: &[u8]) -> Result<Vec<Extracted>, Rejection> {
    let parser = MessageParser::default();
    let mut out = Vec::new();
    let mut total = 0;
    for (n, item) in MessageIterator::new(bytes).enumerate() {
        total += 1;
        let Ok(raw) = item else { continue };
        if let Some(message) = parser.parse(raw.contents()) {
            let mut doc = from_message(&message);
            doc.part = Some(format!("message {}", n + 1));
            out.push(doc);
        }
    }
    if out.is_empty() {
        return Err(Rejection::Fail(if total == 0 {
            "not an mbox mailbox (no \"From \" line)".to_string()
        } else {
            format!("none of its {total} messages could be read")
        }));
    }
    Ok(out)
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
        let e = extract_eml(MESSAGE.as_bytes())?;
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
        let docs = extract_mbox(mbox.as_bytes())?;
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].title.as_deref(), Some("Second"));
        assert_eq!(docs[1].part.as_deref(), Some("message 2"));
        Ok(())
    }
}
