//! Outlook PST files (the fixtures in `tests/fixtures/pst/`, whose SOURCES.md says where each
//! comes from and what other readers list in them): every message of every folder a document
//! under its folder path, with its sender, date and body (plain, HTML or RTF); an attachment
//! the reader cannot open named on its own line; broken files failing with a reason.

use super::json::Report;
use super::*;

fn fixtures(env: &Env, names: &[&str]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pst");
    for name in names {
        std::fs::copy(dir.join(name), env.path(&format!("corpus/{name}"))).expect("fixture");
    }
}

fn ingest(env: &Env) -> Report {
    let out = env.run(&["ingest", "--report", "report.json"]);
    assert!(out.status.code().is_some_and(|c| c < 3), "{}", stderr(&out));
    serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
        .expect("the report is the documented JSON")
}

fn file<'a>(report: &'a Report, name: &str) -> &'a super::json::FileOutcome {
    report
        .files
        .iter()
        .find(|f| f.path.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in the report"))
}

#[test]
fn every_message_of_a_pst_is_a_document_under_its_folder() {
    let env = Env::new();
    fixtures(
        &env,
        &["testPST.pst", "testPST_variousBodyTypes.pst", "Empty.pst"],
    );
    let report = ingest(&env);
    // As many messages as readpst and pffexport list (SOURCES.md).
    assert_eq!(file(&report, "/testPST.pst").documents, Some(7));
    assert_eq!(
        file(&report, "/testPST_variousBodyTypes.pst").documents,
        Some(4)
    );
    assert_eq!(file(&report, "/Empty.pst").outcome, "skipped");
    // The folder path, the subject and the node id name a message; the sender's SMTP address
    // (not the Exchange name) and the date come with it.
    let forwarded = env.search("Forwarded Allison");
    assert_eq!(forwarded.total_hits, 3, "the three forwarded messages");
    let hit = &forwarded.hits[0];
    let part = hit.part.clone().unwrap_or_default();
    assert!(
        part.starts_with("!/Inbox/tmp/FW: original email #") && part.ends_with(".msg"),
        "{part}"
    );
    assert_eq!(
        hit.author.as_deref(),
        Some("Allison, Timothy B. <tallison@mitre.org>")
    );
    assert!(
        hit.entities
            .email
            .contains(&"tallison@mitre.org".to_string()),
        "{:?}",
        hit.entities.email
    );
    assert!(
        hit.date
            .as_deref()
            .is_some_and(|d| d.starts_with("2017-08-30"))
    );
    // Plain, HTML and RTF bodies are all text.
    for body in ["plain", "html", "rtf"] {
        let found = env.search(&format!("Forwarded {body}"));
        assert!(found.total_hits >= 1, "{body}");
    }
    // The attached message outlook-pst cannot open is named, under its message, with why.
    let attached = report
        .files
        .iter()
        .find(|f| f.path.contains(".msg!/"))
        .expect("the attached message");
    assert!(
        attached.path.contains("testPST.pst!/FW: First email #"),
        "{}",
        attached.path
    );
    assert_eq!(attached.outcome, "skipped");
    assert!(
        attached
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("attached Outlook message")),
        "{:?}",
        attached.reason
    );
    // Contacts and calendar items are documents too, with their fields; an ANSI PST (the
    // format before Outlook 2003) reads like a Unicode one.
    fixtures(&env, &["dist-list.pst", "32-bit.pst"]);
    ingest(&env);
    let contact = env.search("contact1@rjohnson.id.au");
    assert_eq!(contact.hits.len(), 1);
    let part = contact.hits[0].part.clone().unwrap_or_default();
    assert!(part.starts_with("!/Contacts/contact name 1 #"), "{part}");
    let appointment = env.search("\"Test appointment\"");
    let part = appointment.hits[0].part.clone().unwrap_or_default();
    assert!(part.starts_with("!/Calendar/Test appointment #"), "{part}");
    let ansi = env.search("Olympus training");
    let part = ansi.hits[0].part.clone().unwrap_or_default();
    assert!(
        part.starts_with("!/Calendar/Updated: Olympus training for new hires #"),
        "{part}"
    );
    // A reply is in its message's thread (by their internet headers); contacts and calendar
    // items are in none.
    let reply = env.search("\"Feature Generators\"");
    let places: Vec<(String, usize, usize)> = reply
        .hits
        .iter()
        .filter_map(|h| {
            h.thread
                .as_ref()
                .map(|t| (t.id.clone(), t.position, t.messages))
        })
        .collect();
    assert_eq!(places.len(), 2, "{places:?}");
    assert_eq!(places[0].0, places[1].0, "{places:?}");
    assert!(places.iter().all(|p| p.2 == 2), "{places:?}");
    assert_eq!(
        (
            contact.hits[0].thread.clone(),
            appointment.hits[0].thread.clone()
        ),
        (None, None)
    );
    // Re-ingest of an unchanged PST reads nothing.
    let again = ingest(&env);
    assert_eq!(file(&again, "/testPST.pst").outcome, "unchanged");
}

#[test]
fn a_broken_pst_fails_with_its_reason_and_the_batch_goes_on() {
    let env = Env::new();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pst/testPST.pst");
    let bytes = std::fs::read(good).expect("fixture");
    // Cut short, and bytes that only say they are a PST.
    std::fs::write(env.path("corpus/cut.pst"), &bytes[..bytes.len() / 10]).expect("cut");
    let mut fake = b"!BDN".to_vec();
    fake.extend(std::iter::repeat_n(0x5a, 300_000));
    std::fs::write(env.path("corpus/fake.ost"), fake).expect("fake");
    let run = super::hostile::measured(&env, &["ingest"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    for name in ["fake.ost", "cut.pst"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains("failed") && l.contains(name)),
            "{name}: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("5 added"), "{}", run.stderr);
    assert!(
        run.wall < std::time::Duration::from_secs(10),
        "{:?}",
        run.wall
    );
}
