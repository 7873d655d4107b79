//! The commands around search: the first search building the index, rebuilding it for a new
//! version, incremental ingest, `status`, `--index`, help, completions and the man page.

use super::*;

#[test]
fn first_search_builds_the_index_from_the_default_corpus() {
    let env = Env::new();
    assert!(!env.path("index").exists());
    let out = env.run(&["search", "Maizuru"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("building index/ from corpus/"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("001_def77d6c715c9dca.txt"));
    assert!(env.path("index/meta.json").exists());
    // The second search uses the index and says nothing about building.
    let out = env.run(&["search", "Maizuru"]);
    assert!(!stderr(&out).contains("building"));
}

#[test]
fn a_default_index_from_another_version_is_rebuilt_and_any_other_refused() {
    let env = Env::new();
    // An index whose schema is not this version's, as an older archivist would leave.
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("body", tantivy::schema::TEXT);
    let schema = builder.build();
    for dir in ["index", "other"] {
        std::fs::create_dir(env.path(dir)).expect("dir");
        tantivy::Index::create_in_dir(env.path(dir), schema.clone()).expect("old index");
    }
    let out = env.run(&["search", "Maizuru"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("rebuilding"), "{}", stderr(&out));
    assert!(stdout(&out).contains("001_def77d6c715c9dca.txt"));
    // An index the user chose is never deleted: the error says what to do.
    let out = env.run(&["--index", "other", "search", "Maizuru"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("incompatible version"),
        "{}",
        stderr(&out)
    );
    // It names the commands that rebuild it.
    assert!(
        stderr(&out).contains("`rm -r other` then `archivist ingest --index other FOLDER...`"),
        "{}",
        stderr(&out)
    );
    assert!(env.path("other/meta.json").exists());
    // One of this schema but of an older layout of its files (its commits name no format).
    let out = env.run(&["--index", "older", "ingest", "corpus"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let meta = std::fs::read_to_string(env.path("older/meta.json")).expect("meta.json");
    assert!(meta.contains(r#"\"format\":1"#), "{meta}");
    std::fs::write(
        env.path("older/meta.json"),
        meta.replace(r#"\"format\":1,"#, ""),
    )
    .expect("older meta.json");
    let out = env.run(&["--index", "older", "search", "Maizuru"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("incompatible version"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reingest_is_incremental() {
    let env = Env::ingested();
    let out = env.run(&["ingest"]);
    assert!(
        stderr(&out).contains("0 added, 0 updated, 5 unchanged, 0 removed, 0 failed"),
        "{}",
        stderr(&out)
    );

    std::fs::write(
        env.path("corpus/001_def77d6c715c9dca.txt"),
        "Rewritten: the Amur flotilla.",
    )
    .expect("edit");
    std::fs::write(
        env.path("corpus/new.md"),
        "# Nakhodka\n\nShips left from Nakhodka.",
    )
    .expect("add");
    std::fs::remove_file(env.path("corpus/003_6a3fca12401d4398.txt")).expect("delete");
    let out = env.run(&["ingest"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("1 added, 1 updated, 3 unchanged, 1 removed, 0 failed"),
        "{}",
        stderr(&out)
    );

    assert_eq!(seeds(&env.search("Maizuru")), set(&["004"]));
    assert_eq!(seeds(&env.search("flotilla")), set(&["001"]));
    assert_eq!(seeds(&env.search("Nakhodka")), set(&["new"]));
    assert_eq!(env.search("Nakhodka").hits[0].title, "Nakhodka");
    assert_eq!(seeds(&env.search("Stalin")), set(&["000"]));

    // Touching a file without changing it re-reads it but counts it unchanged.
    let out = env.run(&["status", "--json"]);
    let status: Status = json(&out);
    assert_eq!(status.documents, 5);
}

/// A file given twice (a folder and a folder inside it) is read and indexed once: a first
/// ingest writes new files without deleting earlier documents first.
#[test]
fn a_file_given_twice_is_indexed_once() {
    let env = Env::new();
    std::fs::create_dir(env.path("corpus/inner")).expect("dir");
    std::fs::write(
        env.path("corpus/inner/note.txt"),
        "Ships left from Nakhodka.",
    )
    .expect("note");
    let out = env.run(&["ingest", "corpus", "corpus/inner", "corpus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("6 added, 0 updated, 0 unchanged, 0 removed, 0 failed"),
        "{}",
        stderr(&out)
    );
    let status: Status = json(&env.run(&["status", "--json"]));
    assert_eq!(status.documents, 6);
    assert_eq!(env.search("Nakhodka").total_hits, 1);
}

#[test]
fn status_reports_documents_languages_and_last_ingest() {
    let env = Env::ingested();
    let out = env.run(&["status", "--json"]);
    assert!(out.status.success());
    let status: Status = json(&out);
    assert_eq!(status.documents, 5);
    assert_eq!(status.languages["en"], 5);
    assert_eq!(status.documents_containing["ru"], 1);
    assert_eq!(status.documents_containing["ja"], 1);
    let share = |l: &str| status.text_share.get(l).copied().unwrap_or(0.0);
    assert!(
        share("en") > 0.9 && share("ru") > 0.0 && share("ja") > 0.0,
        "{status}"
    );
    assert!(status.size_bytes > 10_000);
    assert!(
        status
            .last_ingest
            .as_deref()
            .is_some_and(|t| t.starts_with("20"))
    );
    let text = stdout(&env.run(&["status"]));
    assert!(
        text.contains("documents    5")
            && text
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["en", "5", "5", "98.1%"]),
        "{text}"
    );
}

#[test]
fn index_option_before_or_after_the_subcommand() {
    let env = Env::new();
    let out = env.run(&["--index", "elsewhere", "ingest", "corpus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.path("elsewhere/meta.json").exists());
    let out = env.run(&["search", "Maizuru", "--index", "elsewhere", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!env.path("index").exists());
}

#[test]
fn help_ends_with_examples_and_completions_and_man_page_exist() {
    let env = Env::new();
    for sub in ["ingest", "search", "status", "completions", "man"] {
        let help = stdout(&env.run(&[sub, "--help"]));
        let tail = help.rsplit("Examples:").next().unwrap_or_default();
        assert!(
            help.contains("Examples:") && tail.contains("archivist"),
            "{sub}: {help}"
        );
    }
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        assert!(
            out.status.success() && stdout(&out).contains("ingest"),
            "{shell}"
        );
    }
    let man = stdout(&env.run(&["man"]));
    assert!(man.contains(".TH") && man.contains("archivist"));
}

#[test]
fn a_bad_file_is_reported_and_the_batch_goes_on() {
    let env = Env::new();
    std::fs::write(env.path("corpus/blob.txt"), [0u8, 159, 146, 150, 0, 1]).expect("write");
    std::fs::write(env.path("corpus/cut.pdf"), b"%PDF-1.4\n1 0 obj <<").expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.contains("failed") && l.contains("cut.pdf")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("skipped") && l.contains("blob.txt") && l.contains("binary")),
        "{err}"
    );
    assert!(
        err.contains("5 added, 0 updated, 0 unchanged, 0 removed, 1 failed, 1 skipped"),
        "{err}"
    );
    assert_eq!(seeds(&env.search("Maizuru")), set(&["001", "004"]));
}

#[test]
fn a_file_whose_name_is_not_utf8_is_indexed_and_verified_by_its_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    // `café` in Latin-1 and `日本` in Shift_JIS, as old disks wrote them.
    for name in [&b"caf\xe9.txt"[..], b"\x93\xfa\x96\x7b.txt"] {
        let path = env.path("corpus").join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, "Letter about the Tachibana Maru").expect("write");
    }
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let found = env.search("Tachibana");
    let mut shown: Vec<&str> = found
        .hits
        .iter()
        .flat_map(|h| {
            std::iter::once(h.path.rsplit('/').next().unwrap_or(""))
                .chain(h.copies.iter().map(|c| c.rsplit('/').next().unwrap_or("")))
        })
        .collect();
    shown.sort();
    assert_eq!(shown, ["\\x93\\xFA\\x96{.txt", "caf\\xE9.txt"]);
    let plain = stdout(&env.run(&["search", "--color", "never", "Tachibana"]));
    assert!(
        plain.contains("caf\\xE9.txt") || plain.contains("\\x93\\xFA"),
        "{plain}"
    );
    // verify reopens each by its exact bytes; a re-ingest finds them unchanged.
    let out = env.run(&["verify"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let out = env.run(&["ingest"]);
    assert!(
        stderr(&out).contains("0 added, 0 updated, 7 unchanged, 0 removed"),
        "{}",
        stderr(&out)
    );
}
