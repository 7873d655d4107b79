//! Saved searches: `watch add`, `list`, `remove`, and runs (`watch`, `watch run`,
//! `ingest --watch`) that print only what is new to each since it last ran.

use super::*;

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    stdout(out)
}

/// The files a terminal run listed under each saved search, in order.
fn listed(shown: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in shown.lines() {
        if let Some(rest) = line.strip_prefix("== ") {
            out.push((rest.split(':').next().unwrap_or("").to_string(), Vec::new()));
        } else if line.starts_with("    corpus/")
            && let Some(last) = out.last_mut()
        {
            last.1
                .push(line.trim().trim_start_matches("corpus/").to_string());
        }
    }
    out
}

#[test]
fn a_saved_search_reports_only_what_is_new_to_it() {
    let env = Env::ingested();
    ok(&env.run(&["watch", "add", "maizuru", "Maizuru"]));
    ok(&env.run(&["watch", "add", "nakhodka", "Nakhodka", "--lang", "en"]));
    let list = ok(&env.run(&["watch", "list"]));
    assert!(
        list.contains("maizuru\tMaizuru") && list.contains("--lang en"),
        "{list}"
    );
    // The first run: everything that matches is new.
    let first = listed(&ok(&env.run(&["watch"])));
    assert_eq!(first[0].0, "maizuru");
    assert_eq!(
        first[0].1,
        ["001_def77d6c715c9dca.txt", "004_379e556dd82759a7.txt"]
    );
    // Nothing new since: exit 1, the searches listed with nothing under them.
    let out = env.run(&["watch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        listed(&stdout(&out))
            .iter()
            .all(|(_, files)| files.is_empty())
    );
    // A new document and a changed one that now matches, straight after (same second too).
    std::fs::write(env.path("corpus/new.txt"), "A new letter from Maizuru.").expect("write");
    let changed = env.path(&format!("corpus/{}", SEEDS[2]));
    let text = std::fs::read_to_string(&changed).expect("read");
    std::fs::write(&changed, format!("{text}\nLater sent on to Maizuru.")).expect("write");
    let shown = listed(&ok(&env.run(&["-q", "ingest", "--watch"])));
    let mut maizuru = shown[0].1.clone();
    maizuru.sort();
    assert_eq!(maizuru, ["002_32edfc6f972ab332.txt", "new.txt"]);
    assert!(shown[1].1.is_empty(), "{shown:?}");
    // In any format: CSV with the saved search's name as the query.
    std::fs::write(env.path("corpus/newer.txt"), "Maizuru again.").expect("write");
    ok(&env.run(&["-q", "ingest"]));
    let out = env.run(&["watch", "run", "maizuru", "--format", "csv"]);
    let csv = ok(&out);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(
        rows[0].starts_with("maizuru,1,") && rows[0].contains("newer.txt"),
        "{csv}"
    );
    // Forgotten.
    ok(&env.run(&["watch", "remove", "maizuru"]));
    let out = env.run(&["watch", "run", "maizuru"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no saved search named"),
        "{}",
        stderr(&out)
    );
}
