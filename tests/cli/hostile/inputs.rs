//! What an archive holds besides documents (pipes, links out, a variants file), and numbers
//! and files a user types.

use super::*;

#[test]
fn pipes_and_devices_are_passed_over_with_a_line_never_read() {
    let env = Env::new();
    let fifo =
        std::ffi::CString::new(env.path("corpus/pipe.txt").to_str().expect("path")).expect("path");
    // SAFETY: a valid C string; mkfifo only makes the node.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0, "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", env.path("corpus/zero.txt")).expect("symlink");
    // Followed (asked to), the link leads to a device.
    let run = measured(&env, &["ingest", "--follow-links"]);
    assert!(run.wall < STATED_TIME, "{:?}: {}", run.wall, run.stderr);
    for line in [
        "skipped ", // the prefix of both lines
        "pipe.txt: a named pipe: not read",
        "zero.txt: a device: not read",
        "5 added",
    ] {
        assert!(run.stderr.contains(line), "{line}: {}", run.stderr);
    }
}

#[test]
fn a_variants_file_from_an_archive_cannot_make_searches_crawl() {
    // One group of 50,001 forms: a search for Maizuru took 404 s and 2.2 GB before the bound.
    let env = Env::new();
    let forms: Vec<String> = std::iter::once("Maizuru".to_string())
        .chain((0..50_000).map(|i| format!("form{i}")))
        .collect();
    std::fs::write(env.path(&format!("corpus/{VARIANTS}")), forms.join(" | ")).expect("variants");
    let ingest = env.run(&["ingest"]);
    assert!(
        stderr(&ingest).contains("a group of 50001 forms; at most 256"),
        "{}",
        stderr(&ingest)
    );
    let started = Instant::now();
    let found = env.search("Maizuru");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(found.hits.len(), 2);
}

#[test]
fn links_out_of_the_archive_are_not_followed_unless_asked() {
    let env = Env::new();
    std::fs::create_dir(env.path("private")).expect("private");
    std::fs::write(env.path("private/key.txt"), "Maizuru private key").expect("key");
    std::os::unix::fs::symlink(env.path("private"), env.path("corpus/home")).expect("link");
    std::os::unix::fs::symlink(env.path("private/key.txt"), env.path("corpus/key.txt"))
        .expect("link");
    std::os::unix::fs::symlink("/", env.path("corpus/root")).expect("link");
    // A link that stays inside is followed.
    std::os::unix::fs::symlink(
        env.path(&format!("corpus/{}", SEEDS[0])),
        env.path("corpus/same.txt"),
    )
    .expect("link");
    let run = measured(&env, &["ingest"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for link in ["home", "key.txt", "root"] {
        assert!(
            run.stderr
                .contains(&format!("corpus/{link}: a symbolic link to "))
                && run
                    .stderr
                    .contains("not followed (--follow-links follows it)"),
            "{link}: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("6 added"), "{}", run.stderr);
    assert!(
        env.search("private").hits.is_empty(),
        "nothing from outside is indexed"
    );
    // Asked, links are followed wherever they lead.
    std::fs::remove_file(env.path("corpus/root")).expect("unlink");
    let out = env.run(&["ingest", "--follow-links"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // home/key.txt and key.txt: one hit, the same content twice.
    let found = env.search("private");
    assert_eq!(found.hits.len(), 1, "{found}");
}

#[test]
fn any_number_or_file_a_user_types_is_answered() {
    // `-n 1000000000` asked the ranking for room for a billion hits up front: 32 GB, an abort.
    let env = Env::ingested();
    for args in [
        &["search", "Maizuru", "-n", "1000000000"][..],
        &["search", "Maizuru", "-n", "18446744073709551615"],
        &["search", "Maizuru", "--offset", "18446744073709551615"],
        &[
            "search",
            "Maizuru",
            "-n",
            "18446744073709551615",
            "--offset",
            "18446744073709551615",
        ],
    ] {
        let run = measured(&env, args);
        assert!(matches!(run.code, Some(0 | 1)), "{args:?}: {}", run.stderr);
        assert!(
            run.max_rss_kb < 200 << 10,
            "{args:?}: {} MB",
            run.max_rss_kb >> 10
        );
    }
    // Files named on the command line are read through a bound, whatever their size says.
    for args in [
        &["search", "--variants", "/dev/zero", "Maizuru"][..],
        &["search", "--batch", "/dev/zero"],
    ] {
        let run = measured(&env, args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is larger than"), "{}", run.stderr);
        assert!(run.wall < STATED_TIME && run.max_rss_kb < STATED_MEMORY_KB);
    }
    let out = env.run(&["search", "--json", "Maizuru", "-n", "1000000000"]);
    let found: Search = json(&out);
    assert_eq!(found.hits.len(), 2);
}
