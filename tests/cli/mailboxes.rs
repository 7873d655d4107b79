//! Mailboxes and large texts, read in pieces: memory that does not follow the file, a mailbox
//! that grew read from where it ended, an ingest cut off in a mailbox going on from its last
//! commit, messages named by their Message-ID so that tags survive an edited mailbox (and move
//! from the numbers earlier versions named messages by), Thunderbird's folders, and a large
//! CSV whose last line is found. The files are made at test time.

use std::io::Write;
use std::time::{Duration, Instant};

use super::hostile::measured;
use super::json::Report;
use super::*;

/// Message `i` of the test mailboxes: its Message-ID is `<m{i}@archive.test>` and its body has
/// the word `token{i}` and some 2 kB of real prose (the bundled corpus's first letter).
fn message(i: usize, prose: &str) -> String {
    format!(
        "From sender{i}@archive.test Mon Jan  5 09:00:00 1948\n\
         From: Sender {i} <sender{i}@archive.test>\nTo: archive@archive.test\n\
         Subject: Report number {i}\nMessage-ID: <m{i}@archive.test>\n\
         Date: Mon, 5 Jan 1948 09:00:00 +0900\n\n\
         token{i} {prose}\n>From the harbour office, line {i}.\n\n"
    )
}

fn prose() -> String {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(SEEDS[1]);
    let text = std::fs::read_to_string(seed).expect("seed");
    text.chars().take(2000).collect()
}

/// Writes messages `range` to `path` (appending).
fn write_messages(path: &Path, range: std::ops::Range<usize>) {
    let prose = prose();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("mailbox");
    let mut chunk = String::new();
    for i in range {
        chunk.push_str(&message(i, &prose));
        if chunk.len() > 1 << 20 {
            file.write_all(chunk.as_bytes()).expect("write");
            chunk.clear();
        }
    }
    file.write_all(chunk.as_bytes()).expect("write");
}

fn report(env: &Env, args: &[&str]) -> Report {
    let mut all = vec!["-q", "ingest", "--report", "report.json"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert!(out.status.code() == Some(0), "{}", stderr(&out));
    serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
        .expect("the report is the documented JSON")
}

/// The report's line for the file whose path ends with `name`: outcome and documents.
fn outcome_of(report: &Report, name: &str) -> (String, Option<u64>) {
    let file = report
        .files
        .iter()
        .find(|f| f.path.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in the report"));
    (file.outcome.clone(), file.documents)
}

fn parts(env: &Env, query: &str) -> Vec<String> {
    env.search(query)
        .hits
        .iter()
        .filter_map(|h| h.part.clone())
        .collect()
}

#[test]
fn a_large_mailbox_is_read_in_pieces_within_bounded_memory() {
    let env = Env::new();
    // About 100 MB, over the 64 MB that used to skip it by default.
    let messages = 40_000;
    write_messages(&env.path("corpus/export.mbox"), 0..messages);
    let size = std::fs::metadata(env.path("corpus/export.mbox"))
        .expect("size")
        .len();
    assert!(size > 64 << 20, "{size}");
    let run = measured(&env, &["ingest"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Memory does not follow the file: reading it whole took over four times its size.
    assert!(
        run.max_rss_kb < 300 << 10,
        "peak RSS {} MB for a {} MB mailbox",
        run.max_rss_kb >> 10,
        size >> 20
    );
    let status: Status = json(&env.run(&["status", "--json"]));
    assert_eq!(status.documents, 5 + messages as u64);
    for i in [0, 12_345, messages - 1] {
        assert_eq!(
            parts(&env, &format!("token{i}")),
            [format!("<m{i}@archive.test>")],
            "message {i}"
        );
    }
    // `>From ` quoting is undone.
    let shown = stdout(&env.run(&["search", "harbour office line 39999"]));
    assert!(
        shown.contains("From the [harbour]") && !shown.contains(">From"),
        "{shown}"
    );
}

#[test]
fn a_grown_mailbox_is_read_from_where_it_ended_and_tags_follow_message_ids() {
    let env = Env::new();
    let mailbox = env.path("corpus/box.mbox");
    write_messages(&mailbox, 0..3);
    report(&env, &[]);
    let ok = |out: Output| assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    ok(env.run(&["tag", "add", "second", "--query", "token1"]));
    // Mail appended: only the new messages are read.
    write_messages(&mailbox, 3..5);
    let grown = report(&env, &[]);
    assert_eq!(outcome_of(&grown, "box.mbox"), ("updated".into(), Some(2)));
    assert_eq!(env.search("token4").hits.len(), 1);
    assert_eq!(env.search("Report").total_hits, 5, "no message twice");
    assert_eq!(parts(&env, "tag:second"), ["<m1@archive.test>"]);
    // An edit before the end: the whole mailbox is read again, and the tag stays with its
    // message, now in another place.
    let text = std::fs::read_to_string(&mailbox).expect("read");
    let first = text.find("From sender1@").expect("message 1");
    std::fs::write(&mailbox, &text[first..]).expect("write");
    let edited = report(&env, &[]);
    assert_eq!(outcome_of(&edited, "box.mbox"), ("updated".into(), Some(4)));
    assert_eq!(env.search("Report").total_hits, 4);
    assert_eq!(parts(&env, "tag:second"), ["<m1@archive.test>"]);
    // Touched, not changed: nothing is written.
    let now = std::time::SystemTime::now();
    std::fs::File::options()
        .write(true)
        .open(&mailbox)
        .and_then(|f| f.set_modified(now + Duration::from_secs(5)))
        .expect("touch");
    let touched = report(&env, &[]);
    assert_eq!(outcome_of(&touched, "box.mbox").0, "unchanged");
    assert_eq!(env.search("Report").total_hits, 4);
}

#[test]
fn tags_on_numbered_messages_move_to_their_message_ids() {
    let env = Env::new();
    let mailbox = env.path("corpus/box.mbox");
    write_messages(&mailbox, 0..3);
    report(&env, &[]);
    // Marks as versions before Message-IDs wrote them: the second message by its number, and
    // an attachment of the third under it.
    let key = std::fs::canonicalize(&mailbox).expect("key");
    let key = key.to_string_lossy();
    let db = rusqlite::Connection::open(env.path("index.annotations.sqlite")).expect("open");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS tags (tag TEXT NOT NULL, path TEXT NOT NULL,
             part TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (tag, path, part));
         CREATE TABLE IF NOT EXISTS notes (path TEXT NOT NULL, part TEXT NOT NULL,
             sha256 TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (path, part));",
    )
    .expect("tables");
    for (table, part, value) in [
        ("tags", "message 2", "numbered"),
        ("notes", "!/message 3!/a.txt", "attachment note"),
    ] {
        let sql = match table {
            "tags" => "INSERT INTO tags (tag, path, part, sha256) VALUES (?3, ?1, ?2, '')",
            _ => "INSERT INTO notes (path, part, sha256, text) VALUES (?1, ?2, '', ?3)",
        };
        db.execute(sql, rusqlite::params![key, part, value])
            .expect("insert");
    }
    drop(db);
    // An edit makes the next ingest read the mailbox from its beginning, counting messages.
    let text = std::fs::read_to_string(&mailbox).expect("read");
    std::fs::write(&mailbox, text.replace("token0 ", "token0 edited ")).expect("write");
    report(&env, &[]);
    assert_eq!(parts(&env, "tag:numbered"), ["<m1@archive.test>"]);
    let db = rusqlite::Connection::open(env.path("index.annotations.sqlite")).expect("open");
    let moved: String = db
        .query_row("SELECT part FROM notes", [], |row| row.get(0))
        .expect("note");
    assert_eq!(moved, "!/<m2@archive.test>!/a.txt");
}

#[test]
fn an_ingest_cut_off_in_a_mailbox_goes_on_from_its_last_commit() {
    let env = Env::new();
    let messages = 16_000; // about 40 MB: ten pieces
    write_messages(&env.path("corpus/export.mbox"), 0..messages);
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(["-q", "ingest", "--commit-every", "1"])
        .current_dir(env.dir.path())
        .env("XDG_CACHE_HOME", env.path("cache"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ingest");
    // Killed once a commit holds part of the mailbox.
    let started = Instant::now();
    let meta = env.path("index/meta.json");
    while !std::fs::read_to_string(&meta).is_ok_and(|m| m.contains("unfinished")) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no partial commit"
        );
        assert!(child.try_wait().expect("wait").is_none(), "ingest ended");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let partial: Status = json(&env.run(&["status", "--json"]));
    assert!(partial.documents < messages as u64, "{}", partial.documents);
    let again = report(&env, &[]);
    let (outcome, read) = outcome_of(&again, "export.mbox");
    assert_eq!(outcome, "updated");
    // Only what the cut-off ingest had not committed was read.
    let read = read.expect("documents");
    assert!(read < messages as u64, "{read}");
    let status: Status = json(&env.run(&["status", "--json"]));
    assert_eq!(status.documents, 5 + messages as u64, "each message once");
    assert_eq!(env.search("token15999").hits.len(), 1);
    let meta = std::fs::read_to_string(&meta).expect("meta");
    assert!(!meta.contains("unfinished"), "{meta}");
}

#[test]
fn thunderbird_folders_are_mailboxes_and_their_summaries_are_named() {
    let env = Env::new();
    let folders = env.path("corpus/Mail/Local Folders");
    std::fs::create_dir_all(folders.join("Archives.sbd")).expect("folders");
    write_messages(&folders.join("Inbox"), 0..2);
    std::fs::write(
        folders.join("Inbox.msf"),
        "// <!-- <mdb:mork:z v=\"1.4\"/> -->\n",
    )
    .expect("msf");
    // CRLF line ends, as some exports write them.
    let prose = prose();
    let crlf = message(7, &prose).replace('\n', "\r\n");
    std::fs::write(folders.join("Archives.sbd/1948"), crlf).expect("archive");
    let report = report(&env, &[]);
    assert_eq!(parts(&env, "token1"), ["<m1@archive.test>"]);
    assert_eq!(parts(&env, "token7"), ["<m7@archive.test>"]);
    let (outcome, _) = outcome_of(&report, "Inbox.msf");
    assert_eq!(outcome, "skipped");
    let why = report
        .files
        .iter()
        .find(|f| f.path.ends_with("Inbox.msf"))
        .and_then(|f| f.reason.clone())
        .unwrap_or_default();
    assert!(why.contains("Thunderbird"), "{why}");
}

#[test]
fn a_large_csv_is_indexed_in_parts_and_its_last_line_is_found() {
    let env = Env::new();
    let path = env.path("corpus/ledger.csv");
    let mut file = std::fs::File::create(&path).expect("csv");
    let lines = 600_000; // about 40 MB
    let mut chunk = String::from("date,ship,port,passengers\n");
    for i in 1..lines {
        chunk.push_str(&format!(
            "1947-{:02}-01,ship{i},Maizuru,{}\n",
            i % 12 + 1,
            i % 997
        ));
        if chunk.len() > 1 << 20 {
            file.write_all(chunk.as_bytes()).expect("write");
            chunk.clear();
        }
    }
    chunk.push_str("1958-09-07,Hakusan Maru,lastlineword,472\n");
    file.write_all(chunk.as_bytes()).expect("write");
    drop(file);
    let run = measured(&env, &["ingest", "--report", "report.json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.max_rss_kb < 300 << 10, "{} MB", run.max_rss_kb >> 10);
    let found = env.search("lastlineword");
    assert_eq!(found.hits.len(), 1);
    let part = found.hits[0].part.clone().unwrap_or_default();
    // The header, the lines of the loop and the last: `lines + 1` lines.
    assert!(part.ends_with(&format!("-{}", lines + 1)), "{part}");
    assert!(part.starts_with("lines "), "{part}");
    // Every word of the hit's part has a snippet: a part is no longer than what is stored.
    let shown = stdout(&env.run(&["search", "lastlineword"]));
    assert!(shown.contains("Hakusan"), "{shown}");
    assert_eq!(env.search("ship123456").hits.len(), 1);
    // Lines appended: only they are read, as one more part.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(b"1958-09-08,Koan Maru,appendedword,1\n"))
        .expect("append");
    let grown = report(&env, &[]);
    assert_eq!(
        outcome_of(&grown, "ledger.csv"),
        ("updated".into(), Some(1))
    );
    let part = parts(&env, "appendedword");
    assert_eq!(part, [format!("lines {}-{}", lines + 2, lines + 2)]);
}

#[test]
fn hostile_mailboxes_end_in_bounded_time_and_memory() {
    let env = Env::new();
    // 100,000 empty messages.
    let empty = "From x@y Mon Jan  5 09:00:00 1948\n\n".repeat(100_000);
    std::fs::write(env.path("corpus/empty.mbox"), empty).expect("empty");
    // One message with 10,000 attachments.
    let mut many = String::from(
        "From a@b Mon Jan  5 09:00:00 1948\nMessage-ID: <many@archive.test>\nSubject: Many\n\
         MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
         Content-Type: text/plain\n\nSee the attached lists.\n",
    );
    for i in 0..10_000 {
        many.push_str(&format!(
            "--b\nContent-Type: text/plain; name=\"list{i}.txt\"\n\
             Content-Disposition: attachment; filename=\"list{i}.txt\"\n\nattachedword{i}\n"
        ));
    }
    many.push_str("--b--\n");
    std::fs::write(env.path("corpus/many.mbox"), many).expect("many");
    let run = measured(&env, &["ingest", "--report", "report.json"]);
    assert!(run.code.is_some_and(|c| c < 3), "{}", run.stderr);
    assert!(
        run.wall < Duration::from_secs(60) && run.max_rss_kb < 600 << 10,
        "{:?}, {} MB",
        run.wall,
        run.max_rss_kb >> 10
    );
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("report");
    let (outcome, _) = outcome_of(&report, "empty.mbox");
    assert_eq!(outcome, "skipped");
    assert_eq!(
        outcome_of(&report, "many.mbox"),
        ("added".into(), Some(10_001))
    );
    assert_eq!(
        parts(&env, "attachedword9999"),
        ["!/<many@archive.test>!/list9999.txt"]
    );
}

#[test]
fn a_large_xml_file_streams_in_parts_of_its_text() {
    let env = Env::new();
    let path = env.path("corpus/export.xml");
    let mut file = std::fs::File::create(&path).expect("xml");
    file.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<register>\n")
        .expect("write");
    let mut chunk = String::new();
    for i in 0..250_000 {
        chunk.push_str(&format!(
            "<zzentry n=\"{i}\"><zzship>ship{i}</zzship><port>Maizuru</port><note>arrived \
             &amp; registered</note></zzentry>\n"
        ));
        if chunk.len() > 1 << 20 {
            file.write_all(chunk.as_bytes()).expect("write");
            chunk.clear();
        }
    }
    chunk.push_str("<zzentry><note>xmllastword</note></zzentry>\n</register>\n");
    file.write_all(chunk.as_bytes()).expect("write");
    drop(file);
    // Over 16 MB, and over the size limit of files read whole: it streams.
    let run = measured(&env, &["ingest", "--max-file-size", "4M"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let found = env.search("xmllastword");
    assert_eq!(found.hits.len(), 1);
    let part = found.hits[0].part.clone().unwrap_or_default();
    assert!(part.starts_with("bytes "), "{part}");
    // Markup is not text: no tag or attribute is a word.
    assert_eq!(env.search("zzentry").total_hits, 0);
    assert_eq!(env.search("ship123456").hits.len(), 1);
    assert!(run.max_rss_kb < 300 << 10, "{} MB", run.max_rss_kb >> 10);
}
