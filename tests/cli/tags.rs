//! Tags and notes: added by path or by query, searched with `tag:`, shown in every hit, and
//! kept beside the index so that they survive re-ingest, a changed file, a renamed one and a
//! rebuild of the index; concurrent tagging loses nothing.

use super::*;

fn tags_of(env: &Env, query: &str, file: &str) -> (Vec<String>, Option<String>) {
    let results = env.search(query);
    let hit = results.hit(file);
    (hit.tags.clone(), hit.note.clone())
}

fn ok(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
}

#[test]
fn tags_and_notes_follow_their_documents() {
    let env = Env::ingested();
    let letter = format!("corpus/{}", SEEDS[1]);
    ok(&env.run(&["tag", "add", "to-check", &letter]));
    ok(&env.run(&["tag", "add", "maizuru", "--query", "Maizuru"]));
    ok(&env.run(&["note", &letter, "Date on the photo differs"]));
    let expected = (
        vec!["maizuru".to_string(), "to-check".to_string()],
        Some("Date on the photo differs".to_string()),
    );
    assert_eq!(tags_of(&env, "Kwantung", SEEDS[1]), expected);
    // Every hit carries its tags (none here) and note (none).
    assert_eq!(tags_of(&env, "Kwantung", SEEDS[0]), (vec![], None));
    // tag: in queries, alone or with words; tags in the facets and the terminal.
    assert_eq!(env.search("tag:maizuru").total_hits, 2);
    assert_eq!(seeds(&env.search("tag:to-check Kwantung")), set(&["001"]));
    assert_eq!(env.search("tag:nonesuch").total_hits, 0);
    let facets: Search = json(&env.run(&["search", "--json", "--facets", "Kwantung"]));
    let facets = facets.facets.expect("facets");
    assert_eq!(facets.tag.get("to-check"), Some(&1));
    let shown = stdout(&env.run(&["search", "Kwantung"]));
    assert!(
        shown.contains("#to-check") && shown.contains("note: Date on the photo"),
        "{shown}"
    );
    assert_eq!(
        stdout(&env.run(&["tag", "list"])),
        "maizuru\t2\nto-check\t1\n"
    );
    // Re-ingest, then a change to the file: kept by its path.
    ok(&env.run(&["-q", "ingest"]));
    let path = env.path(&letter);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\nA line added later.")).expect("write");
    ok(&env.run(&["-q", "ingest"]));
    assert_eq!(tags_of(&env, "Kwantung", SEEDS[1]), expected);
    // Another file renamed (same content): kept by its content.
    let maizuru = (vec!["maizuru".to_string()], None);
    std::fs::rename(
        env.path(&format!("corpus/{}", SEEDS[4])),
        env.path("corpus/renamed.txt"),
    )
    .expect("rename");
    ok(&env.run(&["-q", "ingest"]));
    assert_eq!(tags_of(&env, "Maizuru", "renamed.txt"), maizuru);
    // The index rebuilt from scratch: the marks are beside it, not in it.
    std::fs::remove_dir_all(env.path("index")).expect("remove the index");
    ok(&env.run(&["-q", "ingest"]));
    assert_eq!(tags_of(&env, "Kwantung", SEEDS[1]), expected);
    assert_eq!(tags_of(&env, "Maizuru", "renamed.txt"), maizuru);
    // Taken off again.
    ok(&env.run(&["tag", "remove", "to-check", &letter]));
    ok(&env.run(&["note", &letter, "--clear"]));
    assert_eq!(tags_of(&env, "Kwantung", SEEDS[1]), maizuru);
    // A path not in the index is an error that says so.
    let out = env.run(&["tag", "add", "x", "corpus/nonexistent.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not"), "{}", stderr(&out));
}

#[test]
fn concurrent_tagging_during_an_ingest_loses_nothing() {
    let env = Env::ingested();
    for n in 0..300 {
        std::fs::write(
            env.path(&format!("corpus/card-{n:03}.txt")),
            format!("Index card {n} of the Maizuru register."),
        )
        .expect("write");
    }
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_archivist"))
            .args(args)
            .current_dir(env.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let ingest = spawn(&["-q", "ingest"]);
    let letter = format!("corpus/{}", SEEDS[1]);
    let taggers: Vec<_> = (0..8)
        .map(|n| spawn(&["tag", "add", &format!("t{n}"), &letter]))
        .collect();
    for child in taggers.into_iter().chain([ingest]) {
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (tags, _) = tags_of(&env, "Kwantung", SEEDS[1]);
    assert_eq!(tags, (0..8).map(|n| format!("t{n}")).collect::<Vec<_>>());
    assert_eq!(env.search("register").total_hits, 300);
}
