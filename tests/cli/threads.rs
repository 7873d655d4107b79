//! E-mail threads: messages joined by `Message-ID`, `References` and `In-Reply-To` (also
//! through a message the archive lacks), a reply without those headers joined by its subject
//! only when it shares an address and falls in the window, attachments with their message,
//! nothing else joining; `thread:`, each hit's place, the CSV columns, the conversation API;
//! a thread id that stays when its first message comes later; a real mailing list's threads.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::export::rows;
use super::json::{Conversation, Document, Search};
use super::serve::{ApiError, Server};
use super::*;

/// A message as an `.eml` file: headers (each `Name: value`), then the body.
fn message(headers: &[(&str, &str)], body: &str) -> String {
    let mut out = String::new();
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push('\n');
    out.push_str(body);
    out.push('\n');
    out
}

const HOSHINO: &str = "Hoshino Kenzo <hoshino@example.org>";
const AIKO: &str = "Yamamoto Aiko <aiko@example.org>";

/// The first message of the conversation (not in the archive at first).
fn first() -> String {
    message(
        &[
            ("From", HOSHINO),
            ("To", AIKO),
            ("Subject", "Repatriation lists"),
            ("Date", "Tue, 14 Oct 1947 09:00:00 +0900"),
            ("Message-ID", "<a@maizuru.example>"),
        ],
        "The lists of the Koan Maru will reach the committee on Friday.",
    )
}

/// A conversation whose second message is missing: the third names it and the first in its
/// `References`; the fourth answers the third; a fifth, in a ZIP, answers the fourth; a reply
/// with no links but its subject; and what must not join.
pub fn archive() -> Env {
    let env = Env::new();
    let mail = env.path("corpus/mail");
    std::fs::create_dir(&mail).expect("mail dir");
    let third = format!(
        "From: {AIKO}\nTo: {HOSHINO}\nSubject: Re: Repatriation lists\n\
         Date: Thu, 16 Oct 1947 10:00:00 +0900\nMessage-ID: <c@maizuru.example>\n\
         In-Reply-To: <b@maizuru.example>\nReferences: <a@maizuru.example> <b@maizuru.example>\n\
         MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nThank you. My list of the men from Taishet is attached.\n\
         --b\nContent-Type: text/plain; name=\"roster.txt\"\n\
         Content-Disposition: attachment; filename=\"roster.txt\"\n\n\
         Roster of the Taishet camp: Yamamoto Shigeru, Fujita Ichiro.\n--b--\n"
    );
    let fourth = message(
        &[
            ("From", HOSHINO),
            ("To", AIKO),
            ("Subject", "Re: Repatriation lists"),
            ("Date", "Fri, 17 Oct 1947 08:00:00 +0900"),
            ("Message-ID", "<d@maizuru.example>"),
            ("In-Reply-To", "<c@maizuru.example>"),
            (
                "References",
                "<a@maizuru.example> <b@maizuru.example> <c@maizuru.example>",
            ),
        ],
        "Both names are on the list of the Koan Maru.",
    );
    let mbox = format!(
        "From aiko@example.org Thu Oct 16 01:00:00 1947\n{third}\n\
         From hoshino@example.org Fri Oct 17 00:00:00 1947\n{fourth}\n"
    );
    std::fs::write(mail.join("conversation.mbox"), mbox).expect("write");
    let fifth = message(
        &[
            ("From", AIKO),
            ("To", HOSHINO),
            ("Subject", "Re: Repatriation lists"),
            ("Date", "Sat, 18 Oct 1947 08:00:00 +0900"),
            ("Message-ID", "<e@maizuru.example>"),
            ("In-Reply-To", "<d@maizuru.example>"),
        ],
        "I will be at the quay in Maizuru.",
    );
    let file = std::fs::File::create(mail.join("donation.zip")).expect("zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("letters/fifth.eml", options)
        .expect("member");
    zip.write_all(fifth.as_bytes()).expect("member");
    zip.finish().expect("zip");
    // No links: joined by its subject, to the latest earlier message that shares an address.
    let loose = message(
        &[
            ("From", AIKO),
            ("To", HOSHINO),
            ("Subject", "RE: Repatriation lists"),
            ("Date", "Mon, 20 Oct 1947 08:00:00 +0900"),
            ("Message-ID", "<loose@elsewhere.example>"),
        ],
        "My husband arrived in Kyoto yesterday.",
    );
    std::fs::write(mail.join("loose.eml"), loose).expect("write");
    // The same subject, but not theirs (no address shared), too late, or with links elsewhere.
    let stranger = message(
        &[
            ("From", "Fujita <fujita@example.org>"),
            ("To", "committee@example.org"),
            ("Subject", "Re: Repatriation lists"),
            ("Date", "Sun, 19 Oct 1947 08:00:00 +0900"),
            ("Message-ID", "<stranger@example.org>"),
        ],
        "Is my son on the lists?",
    );
    std::fs::write(mail.join("stranger.eml"), stranger).expect("write");
    let late = message(
        &[
            ("From", AIKO),
            ("To", HOSHINO),
            ("Subject", "Re: Repatriation lists"),
            ("Date", "Wed, 31 Dec 1947 08:00:00 +0900"),
            ("Message-ID", "<late@example.org>"),
        ],
        "A happy new year to the committee.",
    );
    std::fs::write(mail.join("late.eml"), late).expect("write");
    let elsewhere = message(
        &[
            ("From", AIKO),
            ("To", HOSHINO),
            ("Subject", "Re: Repatriation lists"),
            ("Date", "Tue, 21 Oct 1947 09:00:00 +0900"),
            ("Message-ID", "<other@example.org>"),
            ("In-Reply-To", "<unknown@example.org>"),
        ],
        "About the other committee's lists.",
    );
    std::fs::write(mail.join("elsewhere.eml"), elsewhere).expect("write");
    // Not e-mail: headers written in a text join nothing.
    std::fs::write(
        mail.join("notes.txt"),
        "Notes on the repatriation lists.\nMessage-ID: <c@maizuru.example>\n\
         References: <a@maizuru.example>\nSubject: Re: Repatriation lists\n",
    )
    .expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    env
}

/// The hit whose file or part ends with `name`.
fn named<'a>(results: &'a Search, name: &str) -> &'a super::json::Hit {
    results
        .hits
        .iter()
        .find(|h| h.path.ends_with(name) || h.part.as_deref().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no hit {name}: {:?}", file_names(results)))
}

/// Each hit of `thread:ID` as `file part -> (position, attached)`; they come in conversation
/// order, each message's attachments after it.
fn members(env: &Env, id: &str) -> BTreeMap<String, (usize, bool)> {
    let results = env.search(&format!("thread:{id}"));
    let order: Vec<usize> = results
        .hits
        .iter()
        .filter_map(|h| h.thread.as_ref().map(|t| t.position))
        .collect();
    assert!(order.is_sorted(), "not in conversation order: {order:?}");
    results
        .hits
        .iter()
        .map(|h| {
            let place = h.thread.as_ref().expect("a place in the thread");
            assert_eq!(place.id, id, "{h:?}");
            let name = h.path.rsplit('/').next().unwrap_or("").to_string();
            let key = format!("{name} {}", h.part.as_deref().unwrap_or(""));
            (
                key.trim().to_string(),
                (place.position, place.attached_to.is_some()),
            )
        })
        .collect()
}

#[test]
fn a_thread_joins_through_a_missing_middle_message_with_its_attachments() {
    let env = archive();
    let results = env.search("Taishet");
    let third = named(&results, "<c@maizuru.example>");
    let place = third
        .thread
        .clone()
        .expect("the third message is in a thread");
    assert_eq!((place.position, place.messages), (1, 4), "{place:?}");
    let roster = named(&results, "roster.txt");
    let attached = roster
        .thread
        .clone()
        .expect("the attachment goes with its message");
    assert_eq!(attached.attached_to.as_deref(), Some(third.id.as_str()));
    assert_eq!(
        (attached.id.as_str(), attached.position),
        (place.id.as_str(), 1)
    );
    let expected: BTreeMap<String, (usize, bool)> = [
        ("conversation.mbox <c@maizuru.example>", (1, false)),
        (
            "conversation.mbox !/<c@maizuru.example>!/roster.txt",
            (1, true),
        ),
        ("conversation.mbox <d@maizuru.example>", (2, false)),
        ("donation.zip !/letters/fifth.eml", (3, false)),
        ("loose.eml", (4, false)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(members(&env, &place.id), expected);
    // The same thread by one of its messages' ids, with or without brackets.
    let by_id = env.search("thread:<d@maizuru.example> Koan");
    assert_eq!(file_names(&by_id), set(&["conversation.mbox"]));
    assert_eq!(by_id.hits[0].part.as_deref(), Some("<d@maizuru.example>"));
    // What did not join: each alone, or nothing.
    let others = env.search("\"Repatriation lists\" OR lists OR year OR son");
    for (name, alone) in [
        ("stranger.eml", true),
        ("late.eml", true),
        ("elsewhere.eml", true),
    ] {
        let hit = named(&others, name);
        let own = hit.thread.as_ref().expect("a message has a thread");
        assert_ne!(own.id, place.id, "{name} joined");
        assert_eq!(own.messages == 1, alone, "{name}: {own:?}");
    }
    assert_eq!(named(&others, "notes.txt").thread, None);
    // Printed in the terminal and in CSV.
    let out = env.run(&["search", "Taishet", "--color", "never"]);
    assert!(
        stdout(&out).contains(&format!("thread {}: message 1 of 4", place.id)),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(&format!("thread {}: attached to message 1 of 4", place.id)),
        "{}",
        stdout(&out)
    );
    let out = env.run(&["search", "--format", "csv", "Koan"]);
    let csv = rows(&out);
    let fourth = csv
        .iter()
        .find(|r| r["part"] == "<d@maizuru.example>")
        .expect("the fourth message's row");
    assert_eq!(
        (
            fourth["thread"].as_str(),
            fourth["thread_position"].as_str()
        ),
        (place.id.as_str(), "2/4")
    );
    let unknown = env.run(&["search", "thread:0123456789abcdef"]);
    assert_eq!(unknown.status.code(), Some(1), "{}", stderr(&unknown));
}

#[test]
fn a_first_message_that_comes_later_keeps_the_thread_id_and_a_removed_one_leaves() {
    let env = archive();
    let before = env.search("Taishet");
    let id = named(&before, "<c@maizuru.example>")
        .thread
        .clone()
        .expect("thread")
        .id;
    std::fs::write(env.path("corpus/mail/first.eml"), first()).expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let now = members(&env, &id);
    assert_eq!(now.get("first.eml"), Some(&(1, false)), "{now:?}");
    assert_eq!(now.get("loose.eml"), Some(&(5, false)), "{now:?}");
    // A message removed leaves its thread at the next search; the others keep their id.
    std::fs::remove_file(env.path("corpus/mail/donation.zip")).expect("remove");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = members(&env, &id);
    assert!(
        !after.keys().any(|k| k.contains("donation.zip")),
        "{after:?}"
    );
    assert_eq!(after.get("loose.eml"), Some(&(4, false)), "{after:?}");
}

#[test]
fn the_api_shows_a_thread_as_a_conversation_with_matching_messages_marked() {
    let env = archive();
    let server = Server::start(&env, &[]);
    let results = env.search("Taishet");
    let roster = named(&results, "roster.txt");
    let (status, conversation): (_, Conversation) =
        server.json(&format!("api/v1/documents/{}/thread?q=Koan", roster.id));
    assert_eq!(status, 200);
    assert_eq!(conversation.total, 4);
    assert!(!conversation.cut);
    let parts: Vec<(Option<&str>, usize, Option<usize>, bool)> = conversation
        .messages
        .iter()
        .map(|m| (m.part.as_deref(), m.depth, m.answers, m.matches))
        .collect();
    assert_eq!(
        parts,
        [
            (Some("<c@maizuru.example>"), 0, None, false),
            (Some("<d@maizuru.example>"), 1, Some(1), true),
            (Some("!/letters/fifth.eml"), 2, Some(2), false),
            (None, 3, Some(3), false),
        ]
    );
    // The opened attachment is under its message, marked as opened.
    let third = &conversation.messages[0];
    assert!(third.opened);
    assert_eq!(third.attachments.len(), 1);
    assert_eq!(third.attachments[0].id, roster.id);
    assert!(third.attachments[0].opened && !third.attachments[0].matches);
    let (_, taishet): (_, Conversation) =
        server.json(&format!("api/v1/documents/{}/thread?q=Taishet", roster.id));
    assert!(taishet.messages[0].matches && taishet.messages[0].attachments[0].matches);
    // The document says where it is; a document that is not e-mail has no thread.
    let (_, doc): (_, Document) = server.json(&format!("api/v1/documents/{}", roster.id));
    assert_eq!(doc.thread, roster.thread);
    let notes = env.search("notes");
    let notes = named(&notes, "notes.txt");
    let (status, none): (_, Conversation) =
        server.json(&format!("api/v1/documents/{}/thread", notes.id));
    assert_eq!((status, none.thread, none.messages.len()), (200, None, 0));
    let (status, missing): (_, ApiError) = server.json("api/v1/documents/0000/thread");
    assert_eq!(status, 404);
    assert!(missing.error.contains("no document"), "{missing:?}");
    let (status, _): (_, ApiError) =
        server.json(&format!("api/v1/documents/{}/thread?q=%22open", roster.id));
    assert_eq!(status, 400);
}

#[test]
fn a_real_mailing_list_threads_as_its_headers_say() {
    // 263 messages of the notmuch and Linux kernel lists (tests/fixtures/mail/README.md);
    // `bench/threads_eval.py` compares every thread with the headers' own.
    let env = Env::new();
    let mbox = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail/mailing-lists.mbox");
    std::fs::copy(mbox, env.path("corpus/mailing-lists.mbox")).expect("copy");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&["search", "ext:mbox", "--all", "--format", "jsonl"]);
    let mut threads: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut counted: BTreeMap<String, u64> = BTreeMap::new();
    for line in stdout(&out).lines() {
        let hit: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let part = hit["part"].as_str().unwrap_or("").to_string();
        if part.starts_with('<') {
            let id = hit["thread"]["id"]
                .as_str()
                .expect("a thread id")
                .to_string();
            let messages = hit["thread"]["messages"].as_u64().expect("a count");
            counted.insert(id.clone(), messages);
            threads.entry(id).or_default().insert(part);
        }
    }
    // 35 messages are in the file twice: each is one message of its thread.
    for (id, parts) in &threads {
        assert_eq!(counted[id], parts.len() as u64, "thread {id}");
    }
    let sizes: Vec<usize> = threads.values().map(BTreeSet::len).collect();
    assert_eq!(threads.len(), 43, "{sizes:?}");
    assert_eq!(sizes.iter().max(), Some(&100));
    assert_eq!(sizes.iter().sum::<usize>(), 228);
    let patch = env.search("thread:<1258848661-4660-2-git-send-email-stefan@datenfreihafen.org>");
    assert_eq!(patch.hits.len(), 6, "{:?}", file_names(&patch));
}
