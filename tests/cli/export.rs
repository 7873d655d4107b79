//! Batch search and export: `search --batch`, `--batch-variants`, `--format csv|jsonl` and
//! `--all`, read back with a CSV parser and as typed JSON.

use serde::Deserialize;

use super::json::Hit;
use super::*;

/// A JSON line of `--format jsonl`: the query, then the hit as `search --json` gives it.
#[derive(Debug, Deserialize)]
struct Line {
    query: String,
    #[serde(flatten)]
    hit: Hit,
}

const COLUMNS: [&str; 24] = [
    "query",
    "rank",
    "score",
    "id",
    "path",
    "part",
    "page",
    "title",
    "lang",
    "langs",
    "date",
    "format",
    "sha256",
    "ocr_confidence",
    "snippet",
    "email",
    "url",
    "domain",
    "phone",
    "iban",
    "near_count",
    "near_ids",
    "thread",
    "thread_position",
];

/// The rows of `search`'s CSV output, by column name.
pub fn rows(out: &Output) -> Vec<std::collections::HashMap<String, String>> {
    table(&out.stdout, &COLUMNS)
}

/// The rows of CSV text whose header must be `columns`, by column name.
pub fn table(csv: &[u8], columns: &[&str]) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv);
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, columns);
    reader
        .records()
        .map(|r| {
            let r = r.expect("an RFC 4180 row");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn ok(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
}

#[test]
fn a_batch_of_queries_exports_as_csv_with_every_script_intact() {
    let env = Env::ingested();
    std::fs::write(
        env.path("names.csv"),
        "query,note\nMaizuru,port\n抑留,\"Japanese, spaceless\"\nВоеннопленные,\nNowhereword,\n",
    )
    .expect("write");
    let out = env.run(&["search", "--batch", "names.csv", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = rows(&out);
    let by = |q: &str| rows.iter().filter(|r| r["query"] == q).count();
    assert_eq!(by("Maizuru"), 2);
    assert!(by("抑留") >= 1 && by("Военнопленные") >= 1, "{rows:?}");
    assert_eq!(by("Nowhereword"), 0);
    let japanese = rows.iter().find(|r| r["query"] == "抑留").expect("a row");
    assert!(japanese["snippet"].contains("抑留"), "{japanese:?}");
    let snippet = &japanese["snippet"];
    assert!(
        !snippet.contains("[抑留]") && !snippet.contains('\u{1b}'),
        "no markup: {snippet}"
    );
    let russian = rows
        .iter()
        .find(|r| r["query"] == "Военнопленные")
        .expect("a row");
    assert!(russian["snippet"].contains("Военнопленные"), "{russian:?}");
    assert_eq!(russian["sha256"].len(), 64);
    // The same as the JSON of each query, hit for hit.
    let json_hits = env.search("Maizuru").hits;
    let csv_paths: Vec<&str> = rows
        .iter()
        .filter(|r| r["query"] == "Maizuru")
        .map(|r| r["path"].as_str())
        .collect();
    let json_paths: Vec<&str> = json_hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(csv_paths, json_paths);
}

#[test]
fn batch_exit_codes_say_whether_anything_was_found() {
    let env = Env::ingested();
    std::fs::write(env.path("none.txt"), "# nothing\nNowhereword\n\nZzyzxq\n").expect("write");
    let out = env.run(&["search", "--batch", "none.txt", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // A malformed query is told with its text; the others still run; the exit says error.
    std::fs::write(env.path("bad.txt"), "\"unclosed\nMaizuru\n").expect("write");
    let out = env.run(&["search", "--batch", "bad.txt", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("query \"\\\"unclosed\""),
        "{}",
        stderr(&out)
    );
    let lines: Vec<Line> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a documented JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l.query == "Maizuru"));
    assert_eq!(lines[0].hit.rank, 1);
}

#[test]
fn every_group_of_the_variants_file_is_a_query() {
    let env = Env::ingested();
    let out = env.run(&["search", "--batch-variants", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<Line> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let kwantung: Vec<&Line> = lines
        .iter()
        .filter(|l| l.query.contains("\"Kwantung Army\""))
        .collect();
    assert!(!kwantung.is_empty(), "{lines:?}");
    // A group finds documents by any of its forms: the Japanese one too.
    assert!(kwantung[0].query.contains("関東軍"));
}

#[test]
fn all_streams_every_hit_past_the_limit() {
    let env = Env::new();
    // More hits than one chunk of hits built at once.
    for n in 0..600 {
        std::fs::write(
            env.path(&format!("corpus/card-{n:03}.txt")),
            format!("Index card {n}: a prisoner repatriated through Maizuru."),
        )
        .expect("write");
    }
    let out = env.run(&["-q", "ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let total = env.search("Maizuru").total_hits;
    assert_eq!(total, 602);
    let out = env.run(&["search", "--all", "--format", "csv", "Maizuru"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = rows(&out);
    assert_eq!(all.len() as u64, total);
    let ranks: Vec<usize> = all
        .iter()
        .map(|r| r["rank"].parse().expect("rank"))
        .collect();
    assert_eq!(ranks, (1..=602).collect::<Vec<_>>());
    let scores: Vec<f64> = all
        .iter()
        .map(|r| r["score"].parse().expect("score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "rank order");
    let out = env.run(&["search", "--all", "--format", "jsonl", "Maizuru"]);
    assert_eq!(stdout(&out).lines().count() as u64, total);
    // An identical copy is one hit in search, and a row of its own in an export.
    std::fs::copy(
        env.path("corpus/card-007.txt"),
        env.path("corpus/copy-of-card-007.txt"),
    )
    .expect("copy");
    ok(&env.run(&["-q", "ingest"]));
    assert_eq!(env.search("Maizuru").total_hits, 603);
    let exported = rows(&env.run(&["search", "--all", "--format", "csv", "Maizuru"]));
    assert_eq!(exported.len(), 603);
    let copies: Vec<_> = exported
        .iter()
        .filter(|r| r["path"].ends_with("card-007.txt"))
        .collect();
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0]["rank"], copies[1]["rank"]);
    assert_ne!(copies[0]["id"], copies[1]["id"]);
    // JSON is one object: --all says to stream instead.
    let out = env.run(&["search", "--all", "--json", "Maizuru"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--format jsonl"), "{}", stderr(&out));
}
