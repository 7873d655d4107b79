//! E-mail threads: what a message's headers say of its place in a conversation, written by
//! ingest as terms of the `mail` field and read back by search (`search::thread`), which joins
//! the messages those links connect.
//!
//! - **Links**: `Message-ID`, `References` and `In-Reply-To` (each id `<left@right>`; anything
//!   else in those headers is not an id: `References: <yes>` joins nothing). A thread is what
//!   the links connect, through ids of messages the archive does not hold too, so a reply whose
//!   parent is missing still joins the messages its `References` name. Nothing is grouped at
//!   ingest: a message that comes later joins its thread by its own terms, and nothing already
//!   written is rewritten.
//! - **Subject fallback**: a message with neither `References` nor `In-Reply-To`, whose
//!   subject says it is a reply or a forward (`Re:`, `AW:`, `Fwd:`, `回复:`...), joins the
//!   latest earlier message with the same subject (prefixes and list tags left out) that shares
//!   one of its addresses, within [`FALLBACK_WINDOW`]. Nothing else is joined by subject.
//! - **Thread id**: 16 hex digits of the SHA-256 of the *root* of the thread's earliest message:
//!   its first `References` id (the conversation's first message, which clients keep first),
//!   else its `In-Reply-To`, else its own id. A reply that comes later names the same root, and
//!   so does the first message when it comes later: the id stays. Each message keeps the id of
//!   its own root as a term (`root:`), so an id still finds its thread after two threads became
//!   one.
//! - **Attachments** carry only `in:` and their message's document id: they go with their
//!   message and link nothing. Documents that are not messages carry nothing: they never join.

use sha2::{Digest, Sha256};

/// How far apart in time a reply found by its subject and the message it joins may be.
pub const FALLBACK_WINDOW: i64 = 30 * 24 * 3600;

/// Ids kept from `References` (a hostile header may hold a million): the first (the root) and
/// the last ones (the nearest ancestors).
const MAX_REFERENCES: usize = 64;
/// Ids kept from `In-Reply-To` (it names one message; some clients add the one before).
const MAX_IN_REPLY_TO: usize = 4;
/// Longer ids are noise, not ids.
const MAX_ID_CHARS: usize = 256;
/// Characters of a subject compared at most.
const MAX_SUBJECT_CHARS: usize = 256;
/// Addresses of a message kept for the subject fallback.
const MAX_PEOPLE: usize = 64;

/// What an e-mail message says of its place in a conversation, as its extractor read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mail {
    /// Its `Message-ID`, without the angle brackets.
    pub id: Option<String>,
    /// The ids of its `References`, in order.
    pub references: Vec<String>,
    /// The ids of its `In-Reply-To`.
    pub in_reply_to: Vec<String>,
    pub subject: Option<String>,
    /// Its sender's and recipients' addresses.
    pub people: Vec<String>,
    /// When it was sent, in seconds since the Unix epoch.
    pub time: Option<i64>,
}

impl Mail {
    /// A message's links from its headers as written: `message_id` (with or without its angle
    /// brackets), `references` and `in_reply_to` (as many ids as they hold).
    pub fn from_headers(
        message_id: Option<&str>,
        references: Option<&str>,
        in_reply_to: Option<&str>,
    ) -> Mail {
        let id = message_id.and_then(|raw| {
            let raw = raw.trim();
            let bare = raw
                .strip_prefix('<')
                .and_then(|r| r.strip_suffix('>'))
                .unwrap_or(raw);
            is_id(bare).then(|| bare.to_string())
        });
        let mut references = ids(references.unwrap_or(""));
        if references.len() > MAX_REFERENCES {
            let last = references.split_off(references.len() - (MAX_REFERENCES - 1));
            references.truncate(1);
            references.extend(last);
        }
        Mail {
            id,
            references,
            in_reply_to: ids(in_reply_to.unwrap_or(""))
                .into_iter()
                .take(MAX_IN_REPLY_TO)
                .collect(),
            ..Mail::default()
        }
    }

    /// Whether it names another message it answers or follows.
    pub fn has_links(&self) -> bool {
        !self.references.is_empty() || !self.in_reply_to.is_empty()
    }

    /// The message it answers: the last of its `References`, else its `In-Reply-To`.
    pub fn parent(&self) -> Option<&str> {
        self.references
            .last()
            .or(self.in_reply_to.first())
            .map(String::as_str)
    }

    /// What its thread is named by, as far as it knows: the first of its `References`, else its
    /// `In-Reply-To`, else its own id, else (a message with no ids) its document's id.
    pub fn root<'a>(&'a self, document_id: &'a str) -> &'a str {
        self.references
            .first()
            .or(self.in_reply_to.first())
            .or(self.id.as_ref())
            .map_or(document_id, String::as_str)
    }

    /// The values of the `mail` field for the message whose document id is `document_id`.
    pub fn terms(&self, document_id: &str) -> Vec<String> {
        let mut terms = vec![
            format!("{DOC}{document_id}"),
            format!("{IN}{document_id}"),
            format!("{ROOT}{}", thread_id(self.root(document_id))),
        ];
        if let Some(id) = &self.id {
            terms.push(format!("{ID}{id}"));
        }
        for reference in self.references.iter().chain(&self.in_reply_to) {
            terms.push(format!("{REF}{reference}"));
        }
        if let Some(parent) = self.parent() {
            terms.push(format!("{PARENT}{parent}"));
        }
        if let Some(subject) = self.subject.as_deref().map(subject_key)
            && !subject.key.is_empty()
        {
            if !self.has_links() && subject.follows {
                terms.push(format!("{LOOSE}{}", subject.key));
            }
            terms.push(format!("{SUBJECT}{}", subject.key));
        }
        if let Some(time) = self.time {
            terms.push(format!("{TIME}{time}"));
        }
        // One term a line in `mail_links`: an address with a line break in it is no address.
        let mut people: Vec<String> = self
            .people
            .iter()
            .filter(|p| !p.chars().any(|c| c.is_whitespace() || c.is_control()))
            .map(|p| p.to_lowercase())
            .collect();
        people.sort();
        people.dedup();
        for person in people.into_iter().take(MAX_PEOPLE) {
            terms.push(format!("{WHO}{person}"));
        }
        terms
    }
}

/// The value of the `mail` field of a document attached to a message (an attachment, or a
/// member of an attached archive): the message's document id.
pub fn attached_term(message_document_id: &str) -> String {
    format!("{IN}{message_document_id}")
}

/// Prefixes of the `mail` field's terms: one field holds every link, each term says which.
pub const DOC: &str = "doc:";
pub const IN: &str = "in:";
pub const ROOT: &str = "root:";
pub const ID: &str = "id:";
pub const REF: &str = "ref:";
pub const PARENT: &str = "parent:";
pub const SUBJECT: &str = "subject:";
pub const LOOSE: &str = "loose:";
pub const TIME: &str = "time:";
pub const WHO: &str = "who:";

/// Whether a term is looked up by its postings (the others, a message's parent, time and
/// addresses, are only read with its links): only those are indexed.
pub fn is_looked_up(term: &str) -> bool {
    ![PARENT, TIME, WHO]
        .iter()
        .any(|prefix| term.starts_with(prefix))
}

/// A document's links read back from its `mail` terms (in any order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// Its document id, when it is a message.
    pub doc: Option<String>,
    /// The document ids of the messages it goes with: itself when it is a message, and the
    /// message it is attached to (a forwarded message is both).
    pub within: Vec<String>,
    /// The thread id of its own root; only messages have one.
    pub root: Option<String>,
    pub id: Option<String>,
    pub refs: Vec<String>,
    pub parent: Option<String>,
    pub subject: Option<String>,
    /// Its subject when it may join by subject (see the module's doc).
    pub loose: Option<String>,
    pub time: Option<i64>,
    pub people: Vec<String>,
}

impl Links {
    pub fn of<'a>(terms: impl IntoIterator<Item = &'a str>) -> Links {
        let mut links = Links::default();
        for term in terms {
            let own = |prefix: &str| term.strip_prefix(prefix).map(str::to_string);
            if let Some(v) = own(DOC) {
                links.doc = Some(v);
            } else if let Some(v) = own(IN) {
                links.within.push(v);
            } else if let Some(v) = own(ROOT) {
                links.root = Some(v);
            } else if let Some(v) = own(ID) {
                links.id = Some(v);
            } else if let Some(v) = own(REF) {
                links.refs.push(v);
            } else if let Some(v) = own(PARENT) {
                links.parent = Some(v);
            } else if let Some(v) = own(SUBJECT) {
                links.subject = Some(v);
            } else if let Some(v) = own(LOOSE) {
                links.loose = Some(v);
            } else if let Some(v) = own(TIME) {
                links.time = v.parse().ok();
            } else if let Some(v) = own(WHO) {
                links.people.push(v);
            }
        }
        links
    }

    pub fn is_message(&self) -> bool {
        self.doc.is_some()
    }

    /// The document id of the message whose thread it is in: its own, or for an attachment
    /// its message's.
    pub fn message(&self) -> Option<&str> {
        self.doc
            .as_deref()
            .or(self.within.first().map(String::as_str))
    }

    /// Whether the two messages share an address.
    pub fn shares_someone_with(&self, other: &Links) -> bool {
        self.people.iter().any(|p| other.people.contains(p))
    }
}

/// A thread's id: 16 hex digits of the SHA-256 of its root (see the module's doc).
pub fn thread_id(root: &str) -> String {
    let hash = Sha256::digest(root.as_bytes());
    crate::digest::hex(&hash[..8])
}

/// Whether `typed` has the shape of a thread id.
pub fn is_thread_id(typed: &str) -> bool {
    typed.len() == 16 && typed.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Every message id written in a header: each `<left@right>`, without its brackets, once.
pub fn ids(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Seen ids, so that a hostile header of a million ids costs a million steps, not a
    // million squared.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(['>', '<']) else {
            break;
        };
        let candidate = after[..close].trim();
        if after[close..].starts_with('>') && is_id(candidate) && seen.insert(candidate) {
            out.push(candidate.to_string());
        }
        rest = &after[close..];
    }
    out
}

/// `left@right`, with no spaces or control characters, of a sane length.
fn is_id(id: &str) -> bool {
    matches!(id.split_once('@'), Some((left, right)) if !left.is_empty() && !right.is_empty())
        && id.chars().count() <= MAX_ID_CHARS
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A subject as threads compare it.
#[derive(Debug, PartialEq, Eq)]
pub struct SubjectKey {
    /// Without reply and forward prefixes and list tags, lowercase, spaces collapsed.
    pub key: String,
    /// It had a reply or forward prefix.
    pub follows: bool,
}

/// Reply and forward prefixes mail clients write, in many languages (lowercase; a counter
/// `[2]` or `(2)` and a colon, ASCII or full-width, follow).
const PREFIXES: [&str; 24] = [
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "sv",
    "vs",
    "antw",
    "doorst",
    "tr",
    "rif",
    "r",
    "res",
    "enc",
    "odp",
    "pd",
    "ynt",
    "ilt",
    "отв",
    "ответ",
    "пересл",
    "回复",
    "回覆",
    "答复",
];
/// Prefixes written without a colon after them (CJK clients).
const BARE_PREFIXES: [&str; 4] = ["转发", "轉寄", "返信", "転送"];

/// The subject `subject` is compared by, and whether it said it follows another message.
pub fn subject_key(subject: &str) -> SubjectKey {
    let mut rest = subject.trim();
    let mut follows = false;
    loop {
        let before = rest;
        // A list's tag: `[notmuch]`, `[PATCH 2/3]` is kept (it tells patches apart).
        if let Some(inner) = rest.strip_prefix('[')
            && let Some(close) = inner.find(']')
            && !inner[..close].to_lowercase().contains("patch")
            && close <= 40
        {
            rest = inner[close + 1..].trim_start();
        }
        if let Some(after) = strip_prefix(rest) {
            rest = after.trim_start();
            follows = true;
        }
        if rest == before {
            break;
        }
    }
    let mut key = rest
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    // A subject is compared by its beginning: a hostile one of a megabyte makes a term of
    // sane length (longer terms are not indexed at all).
    if let Some((cut, _)) = key.char_indices().nth(MAX_SUBJECT_CHARS) {
        key.truncate(cut);
    }
    SubjectKey { key, follows }
}

/// `rest` without one reply or forward prefix at its start.
fn strip_prefix(rest: &str) -> Option<&str> {
    for bare in BARE_PREFIXES {
        if let Some(after) = rest.strip_prefix(bare) {
            return Some(after.trim_start_matches([':', '：']));
        }
    }
    let word_end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    let word = rest[..word_end].to_lowercase();
    if !PREFIXES.contains(&word.as_str()) {
        return None;
    }
    let mut after = &rest[word_end..];
    // A counter: `Re[2]:`, `Re(2):`, `RE^2:`.
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = after.strip_prefix(open)
            && let Some(end) = inner.find(close)
            && inner[..end].bytes().all(|b| b.is_ascii_digit())
        {
            after = &inner[end + 1..];
        }
    }
    after = after.trim_start_matches(' ');
    after.strip_prefix(':').or_else(|| after.strip_prefix('：'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_left_at_right_in_brackets() {
        assert_eq!(
            ids("<yes> <1258848661-4660-1-git-send-email-stefan@datenfreihafen.org>"),
            ["1258848661-4660-1-git-send-email-stefan@datenfreihafen.org"]
        );
        assert_eq!(
            ids("Your message of \"Mon, 1 Jan\" <a@b>\r\n\t<c@d> <a@b> <broken@x <e@f>"),
            ["a@b", "c@d", "e@f"]
        );
        assert!(ids("mumble").is_empty());
        let mail = Mail::from_headers(Some(" <n1@example.org> "), None, Some("<p@x>"));
        assert_eq!(mail.id.as_deref(), Some("n1@example.org"));
        assert_eq!(Mail::from_headers(Some("no id"), None, None).id, None);
    }

    #[test]
    fn a_hostile_references_header_is_cut() {
        // 200,000 ids (read once each: a quadratic reading would not end in minutes).
        let header: String = (0..200_000).map(|i| format!("<{i}@x>")).collect();
        let mail = Mail::from_headers(None, Some(&header), Some(&header));
        assert_eq!(mail.references.len(), MAX_REFERENCES);
        assert_eq!(mail.in_reply_to.len(), MAX_IN_REPLY_TO);
    }

    #[test]
    fn a_long_references_keeps_its_root_and_last_ancestors() {
        let header: String = (0..1000).map(|i| format!("<{i}@x> ")).collect();
        let mail = Mail::from_headers(None, Some(&header), None);
        assert_eq!(mail.references.len(), MAX_REFERENCES);
        assert_eq!(mail.references[0], "0@x");
        assert_eq!(mail.parent(), Some("999@x"));
        assert_eq!(mail.root("doc"), "0@x");
    }

    #[test]
    fn the_root_is_the_first_reference_then_the_reply_then_itself() {
        let reply = Mail::from_headers(Some("c@x"), Some("<a@x> <b@x>"), Some("<b@x>"));
        assert_eq!((reply.root("d"), reply.parent()), ("a@x", Some("b@x")));
        let short = Mail::from_headers(Some("c@x"), None, Some("<b@x>"));
        assert_eq!(short.root("d"), "b@x");
        assert_eq!(Mail::from_headers(Some("a@x"), None, None).root("d"), "a@x");
        assert_eq!(Mail::default().root("d"), "d");
        // The first message and its replies name the same thread.
        let first = Mail::from_headers(Some("a@x"), None, None);
        assert_eq!(thread_id(first.root("1")), thread_id(reply.root("2")));
    }

    #[test]
    fn subjects_lose_prefixes_and_list_tags() {
        let key = |s| subject_key(s);
        assert_eq!(
            key("Re: [notmuch] Re: AW:  Shipping   list"),
            SubjectKey {
                key: "shipping list".into(),
                follows: true
            }
        );
        assert_eq!(key("RE[2]: Meeting").key, "meeting");
        assert_eq!(key("回复：会议").key, "会议");
        assert_eq!(key("転送 会議").key, "会議");
        assert_eq!(key("Ответ: Письмо").key, "письмо");
        let plain = key("Meeting");
        assert_eq!((plain.key.as_str(), plain.follows), ("meeting", false));
        // A word that only starts like a prefix is the subject's.
        assert_eq!(key("Reading list").key, "reading list");
        assert!(!key("Reading list").follows);
        // Patch series keep their tag.
        assert_eq!(key("Re: [PATCH 2/3] fix").key, "[patch 2/3] fix");
        // A hostile subject is compared by its beginning.
        let long = format!("Re: {}", "ж".repeat(100_000));
        assert_eq!(key(&long).key.chars().count(), MAX_SUBJECT_CHARS);
    }

    #[test]
    fn terms_read_back_as_links() {
        let mut mail = Mail::from_headers(Some("<c@x>"), Some("<a@x> <b@x>"), Some("<b@x>"));
        mail.subject = Some("Re: Plans".into());
        mail.people = vec![
            "Sato@Example.org".into(),
            "b@x".into(),
            "c@x\nroot:0".into(),
        ];
        mail.time = Some(1_000);
        let links = Links::of(mail.terms("doc1").iter().map(String::as_str));
        assert_eq!(
            (links.doc.as_deref(), links.message()),
            (Some("doc1"), Some("doc1"))
        );
        assert_eq!(links.within, ["doc1"]);
        assert_eq!(links.root, Some(thread_id("a@x")));
        assert_eq!(links.id.as_deref(), Some("c@x"));
        assert_eq!(links.refs, ["a@x", "b@x", "b@x"]);
        assert_eq!(links.parent.as_deref(), Some("b@x"));
        assert_eq!(links.subject.as_deref(), Some("plans"));
        assert_eq!(links.loose, None, "it has links: it never joins by subject");
        assert_eq!(links.time, Some(1_000));
        assert_eq!(links.people, ["b@x", "sato@example.org"]);
        // Without links, a reply's subject may join.
        let loose = Mail {
            subject: Some("Re: Plans".into()),
            ..Mail::default()
        };
        let links = Links::of(loose.terms("doc2").iter().map(String::as_str));
        assert_eq!(links.loose.as_deref(), Some("plans"));
        assert_eq!(links.root, Some(thread_id("doc2")));
        let attached = Links::of([attached_term("doc1").as_str()]);
        assert!(!attached.is_message());
        assert_eq!(attached.message(), Some("doc1"));
    }
}
