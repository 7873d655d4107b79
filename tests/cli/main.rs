//! CLI tests: the real binary on real files (the bundled corpus, the language samples, and the
//! format, encoding and bad-input fixtures). One test binary; `archival` holds the ingest
//! robustness tests.

mod archival;
mod json;
mod spaceless;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::de::DeserializeOwned;

use json::{Hit, Search, Status};

const SEEDS: [&str; 5] = [
    "000_6e8e82b7c2a2fad8.txt",
    "001_def77d6c715c9dca.txt",
    "002_32edfc6f972ab332.txt",
    "003_6a3fca12401d4398.txt",
    "004_379e556dd82759a7.txt",
];

/// The variant-names file shipped with the corpus.
const VARIANTS: &str = "archivist-variants.txt";

/// A temporary working folder with a copy of the bundled corpus in `corpus/`.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus dir");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for seed in SEEDS.iter().chain(&[VARIANTS]) {
            std::fs::copy(source.join(seed), corpus.join(seed)).expect("copy seed");
        }
        Env { dir }
    }

    /// An Env whose index already holds the corpus.
    fn ingested() -> Env {
        let env = Env::new();
        let out = env.run(&["ingest"]);
        assert!(out.status.success(), "ingest failed: {}", stderr(&out));
        env
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_archivist"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .output()
            .expect("run archivist")
    }

    fn search(&self, query: &str) -> Search {
        let out = self.run(&["search", "--json", "--", query]);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{}",
            stderr(&out)
        );
        json(&out)
    }
}

/// stdout read as one of the documented JSON formats (see `json`); a field the format does not
/// document, or one it documents missing, fails the test.
fn json<T: DeserializeOwned>(out: &Output) -> T {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not the documented JSON ({e}): {}\nstderr: {}",
            stdout(out),
            stderr(out)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The seed numbers ("001", ...) of the hits.
fn seeds(results: &Search) -> BTreeSet<String> {
    hit_seeds(&results.hits)
}

/// The seed numbers of some hits.
fn hit_seeds<'a>(hits: impl IntoIterator<Item = &'a Hit>) -> BTreeSet<String> {
    hits.into_iter()
        .map(|h| {
            let name = Path::new(&h.path)
                .file_name()
                .expect("file name")
                .to_string_lossy();
            name.chars().take(3).collect()
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The highlighted strings of a hit's snippet.
fn highlighted(hit: &Hit) -> Vec<String> {
    hit.snippet.marked()
}

#[test]
fn maizuru_finds_exactly_001_and_004_with_highlights() {
    let env = Env::ingested();
    let results = env.search("Maizuru");
    assert_eq!(seeds(&results), set(&["001", "004"]));
    assert_eq!(results.total_hits, 2);
    for hit in &results.hits {
        assert_eq!(highlighted(hit), ["Maizuru"], "{hit}");
        assert_eq!(hit.lang, "en");
        assert!(hit.score > 0.0);
    }
    assert_eq!(results.query, "Maizuru");
    assert!(results.elapsed_ms >= 0.0);
}

#[test]
fn folding_fullwidth_and_cjk() {
    let env = Env::ingested();
    let otozo = env.search("Otozo");
    assert_eq!(seeds(&otozo), set(&["001"]));
    assert_eq!(highlighted(&otozo.hits[0]), ["Otozō"]);
    assert_eq!(seeds(&env.search("ＭＡＩＺＵＲＵ")), set(&["001", "004"]));
    let cjk = env.search("抑留");
    assert_eq!(seeds(&cjk), set(&["004"]));
    assert_eq!(highlighted(&cjk.hits[0]), ["抑留"]);
    // A CJK word matches only adjacent characters.
    assert_eq!(seeds(&env.search("シベリア抑留")), set(&["004"]));
    assert_eq!(seeds(&env.search("抑シ")), set(&[]));
}

#[test]
fn phrases_boolean_operators_and_negation() {
    let env = Env::ingested();
    assert_eq!(
        seeds(&env.search("\"Kwantung Army\"")),
        set(&["000", "001", "002"])
    );
    assert_eq!(
        seeds(&env.search("Maizuru OR Stalin")),
        set(&["000", "001", "003", "004"])
    );
    assert_eq!(seeds(&env.search("Stalin -Maizuru")), set(&["000", "003"]));
    assert_eq!(
        seeds(&env.search("(Maizuru OR Stalin) Kwantung")),
        set(&["000", "001"])
    );
    // A query that starts with `-` after `--`: every document without the word.
    assert_eq!(seeds(&env.search("-Maizuru")), set(&["000", "002", "003"]));
}

#[test]
fn stems_match_other_forms_below_exact_matches() {
    let env = Env::ingested();
    let results = env.search("prisoner");
    assert_eq!(seeds(&results), set(&["001", "002", "003", "004"]));
    let hits = &results.hits;
    // 003 and 004 only say "prisoners": found by the stem, highlighted in the original text.
    let only_stem = hits
        .iter()
        .find(|h| h.path.ends_with(SEEDS[4]))
        .expect("004 is a hit");
    assert!(
        highlighted(only_stem)
            .iter()
            .all(|h| h.eq_ignore_ascii_case("prisoners"))
    );
}

/// Word forms that analyze into several tokens (`T-cells`, `Alzheimer's`) still find the other
/// forms of their words, and a language without a stemmer gets the same stand-in weight.
#[test]
fn compound_words_and_languages_without_a_stemmer_match_stemmed_forms() {
    let env = Env::new();
    let write = |name: &str, text: &str| {
        std::fs::write(env.path(&format!("corpus/{name}")), text).expect("write");
    };
    write(
        "cells.txt",
        "Patients with Alzheimer disease showed weaker T cell responses in this clinical study \
         of older adults, compared with healthy people of the same age.",
    );
    write(
        "pl.txt",
        "Więźniowie zostali przewiezieni do obozów pracy na Syberii, gdzie pracowali przez wiele \
         lat przy budowie kolei. Wielu z nich wróciło do Japonii przez port Maizuru dopiero po \
         latach niewoli.",
    );
    assert!(env.run(&["ingest"]).status.success());
    // Before, these needed the exact sequence ("t cells") or a separate "s" token.
    assert_eq!(ranked_names(&env.search("T-cells")), ["cells.txt"]);
    assert_eq!(ranked_names(&env.search("Alzheimer's")), ["cells.txt"]);
    // The exact sequence still ranks first.
    write(
        "exact.txt",
        "Responses of T-cells were measured in a second small study.",
    );
    assert!(env.run(&["ingest"]).status.success());
    assert_eq!(ranked_names(&env.search("T-cells"))[0], "exact.txt");
    // Polish has no stemmer: its words are scored through `nostem`, like a stem field.
    let out = env.run(&["search", "--json", "--explain", "Maizuru"]);
    let results: Search = json(&out);
    let polish = results
        .hits
        .iter()
        .find(|h| h.lang == "pl")
        .expect("the Polish document is a hit");
    let clauses: Vec<&str> = polish
        .explanation
        .iter()
        .flatten()
        .map(|c| c.clause.as_str())
        .collect();
    assert!(clauses.contains(&"nostem:maizuru"), "{clauses:?}");
}

#[test]
fn nothing_found_exits_1_and_bad_queries_exit_2() {
    let env = Env::ingested();
    let out = env.run(&["search", "xylophonequagmire"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let out = env.run(&["search", "\"unclosed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unclosed quote at column 1"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
    let out = env.run(&["search", "--index", "no-such-index", "Maizuru"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no index at no-such-index"),
        "{}",
        stderr(&out)
    );
}

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
    assert!(env.path("other/meta.json").exists());
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
fn limit_and_offset_page_through_results() {
    let env = Env::ingested();
    let out = env.run(&["search", "--json", "--limit", "2", "Soviet"]);
    let page1: Search = json(&out);
    let out = env.run(&[
        "search", "--json", "--limit", "2", "--offset", "2", "Soviet",
    ]);
    let page2: Search = json(&out);
    assert_eq!(page1.total_hits, 5);
    assert_eq!(page1.hits.len(), 2);
    assert_eq!(page2.hits[0].rank, 3);
    assert!(seeds(&page1).is_disjoint(&seeds(&page2)));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let env = Env::ingested();
    let plain = stdout(&env.run(&["search", "Maizuru"]));
    assert!(!plain.contains('\x1b') && plain.contains("[Maizuru]"));
    let coloured = stdout(&env.run(&["search", "--color", "always", "Maizuru"]));
    assert!(coloured.contains("\x1b["));
}

#[test]
fn languages_of_other_scripts_are_detected_and_searchable() {
    let env = Env::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let out = env.run(&[
        "ingest",
        &samples.join("ru").to_string_lossy(),
        &samples.join("ja").to_string_lossy(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status: Status = json(&env.run(&["status", "--json"]));
    assert_eq!(status.languages["ru"], 6);
    assert_eq!(status.languages["ja"], 6);
    let results = env.search("ディレクトリ");
    assert!(results.total_hits >= 1);
    assert!(results.hits.iter().all(|h| h.lang == "ja"));
    assert!(highlighted(&results.hits[0]).contains(&"ディレクトリ".to_string()));
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
fn a_russian_citation_in_an_english_document_is_stemmed_as_russian() {
    let env = Env::ingested();
    let results = env.search("военнопленный");
    assert_eq!(seeds(&results), set(&["004"]));
    assert_eq!(results.hits[0].lang, "en");
    assert_eq!(highlighted(&results.hits[0]), ["Военнопленные"]);
    assert_eq!(seeds(&env.search("lang:ru")), set(&["004"]));
    assert_eq!(seeds(&env.search("lang:ja")), set(&["004"]));
    // --lang filters like lang:, several codes meaning any of them.
    let out = env.run(&["search", "--json", "--lang", "ru", "Japanese"]);
    let results: Search = json(&out);
    assert_eq!(seeds(&results), set(&["004"]));
    let out = env.run(&["search", "--json", "--lang", "de,fr", "Japanese"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bad_file_is_reported_and_the_batch_goes_on() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let bad_name = std::ffi::OsStr::from_bytes(b"bad-\xff-name.txt");
    std::fs::write(env.path("corpus").join(bad_name), "Maizuru again").expect("write");
    std::fs::write(env.path("corpus/blob.txt"), [0u8, 159, 146, 150, 0, 1]).expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.contains("failed") && l.contains("bad-") && l.contains("not valid UTF-8")),
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
fn latin_queries_find_kana_and_cyrillic_through_romanization() {
    let env = Env::ingested();
    for (typed, native) in [
        ("shiberia", "シベリア"),
        ("voennoplennye", "Военнопленные"),
        ("Voennoplennyje", "Военнопленные"),
    ] {
        let results = env.search(typed);
        assert_eq!(seeds(&results), set(&["004"]), "{typed}");
        let hit = &results.hits[0];
        assert!(hit.romanized, "{typed}");
        assert!(highlighted(hit).contains(&native.to_string()), "{hit}");
    }
    assert!(!env.search("Maizuru").hits[0].romanized);
    let plain = stdout(&env.run(&["search", "shiberia"]));
    assert!(
        plain.contains("romanized") && plain.contains("[シベリア]"),
        "{plain}"
    );
}

#[test]
fn romanized_matches_rank_below_native_script_matches() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/kana.txt"),
        "シベリアからの手紙。シベリアの冬は長かった。",
    )
    .expect("write");
    std::fs::write(
        env.path("corpus/latin.txt"),
        "Letters from Shiberia: the camp the prisoners called Shiberia.",
    )
    .expect("write");
    assert!(env.run(&["ingest"]).status.success());
    let results = env.search("shiberia");
    let hits = &results.hits;
    let names = ranked_names(&results);
    assert_eq!(
        names.first().map(String::as_str),
        Some("latin.txt"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "kana.txt"), "{names:?}");
    assert!(!hits[0].romanized);
    assert!(hits[1..].iter().all(|h| h.romanized));
}

#[test]
fn greek_is_found_by_its_romanized_form() {
    let env = Env::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages/el");
    assert!(
        env.run(&["ingest", &samples.to_string_lossy()])
            .status
            .success()
    );
    let results = env.search("biblio");
    let hits = &results.hits;
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(hit.lang, "el");
        assert!(hit.romanized);
        let marked = highlighted(hit);
        assert!(
            marked.iter().any(|m| m.to_lowercase() == "βιβλίο"),
            "{marked:?}"
        );
    }
}

/// An Env whose index holds all 153 language samples.
fn samples_ingested() -> Env {
    let env = Env::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let out = env.run(&["ingest", &samples.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    env
}

/// Files under the language samples whose text contains `needle` (what `grep -l -F` finds).
fn samples_containing(needle: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let mut count = 0;
    for lang in std::fs::read_dir(root).expect("samples") {
        for file in std::fs::read_dir(lang.expect("entry").path()).expect("language dir") {
            let text = std::fs::read_to_string(file.expect("entry").path()).expect("sample");
            count += usize::from(text.contains(needle));
        }
    }
    count
}

#[test]
fn each_language_is_stemmed_with_its_own_stemmer() {
    let env = samples_ingested();
    // (language, a form that occurs in no sample of it, documents it must find through stems)
    for (lang, form, at_least) in [
        ("de", "Entscheidungen", 2),
        ("fr", "configurerons", 3),
        ("tr", "yüklemeler", 1),
        ("ru", "пакеты", 2),
        ("it", "pacchetti", 2),
        ("pt", "processos", 3),
        ("el", "βιβλία", 3),
        ("ro", "distribuție", 3),
    ] {
        let out = env.run(&["search", "--json", "--lang", lang, "--", form]);
        let results: Search = json(&out);
        let hits = &results.hits;
        assert!(hits.len() >= at_least, "{lang} {form}: {results}");
        for hit in hits {
            assert_eq!(hit.lang, lang);
            assert!(!highlighted(hit).is_empty(), "{lang} {form}: {hit}");
        }
    }
    // Polish has no stemmer in tantivy: exact forms are still found.
    assert_eq!(env.search("lang:pl programu").hits[0].lang, "pl");
}

#[test]
fn cjk_words_are_found_wherever_grep_finds_them_and_languages_stay_apart() {
    let env = samples_ingested();
    for (word, langs) in [
        ("计算机", &["zh"][..]),
        ("文件", &["zh"]),
        ("ディレクトリ", &["ja"]),
        ("設定", &["ja", "zh"]),
    ] {
        let results = env.search(word);
        assert_eq!(
            results.total_hits,
            samples_containing(word) as u64,
            "{word}"
        );
        let found: BTreeSet<String> = results.hits.iter().map(|h| h.lang.to_string()).collect();
        assert_eq!(found, set(langs), "{word}");
    }
}

#[test]
fn any_makes_every_word_optional_and_ranks_by_how_many_match() {
    let env = Env::ingested();
    let out = env.run(&["search", "--json", "Maizuru Kwantung zzzunknown"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "all words are required by default"
    );
    let out = env.run(&["search", "--json", "--any", "Maizuru Kwantung zzzunknown"]);
    let results: Search = json(&out);
    // 001 has both Maizuru and Kwantung, so it ranks first; the others have one of them.
    assert_eq!(first_seed(&results), set(&["001"]));
    assert_eq!(seeds(&results), set(&["000", "001", "002", "004"]));
    // Negations still exclude.
    let out = env.run(&["search", "--json", "--any", "Maizuru zzzunknown -Kwantung"]);
    let results: Search = json(&out);
    assert_eq!(seeds(&results), set(&["004"]));
}

fn any_search(env: &Env, query: &str) -> Search {
    let out = env.run(&["search", "--json", "--any", "--", query]);
    assert_eq!(out.status.code(), Some(0), "{query}: {}", stderr(&out));
    json(&out)
}

fn ignored(results: &Search) -> Vec<String> {
    results.ignored.clone()
}

#[test]
fn any_leaves_out_the_function_words_of_the_collections_languages() {
    let env = Env::ingested();
    let results = any_search(&env, "the prisoners of Maizuru");
    assert_eq!(ignored(&results), ["the", "of"]);
    // 000 has neither `prisoners` nor `Maizuru`: it matched only `the` and `of` before.
    assert_eq!(seeds(&results), set(&["001", "002", "003", "004"]));
    let out = env.run(&["search", "--any", "the prisoners of Maizuru"]);
    assert!(
        stderr(&out).contains("left out as function words: the of"),
        "{}",
        stderr(&out)
    );
    // Typed without --any, every word is required and none is left out.
    assert!(ignored(&env.search("the prisoners of Maizuru")).is_empty());
    // A query of function words only is searched as typed.
    let results = any_search(&env, "the of");
    assert!(ignored(&results).is_empty());
    assert!(results.total_hits > 0);
    // `war` is German for "was": kept while the collection has no German...
    assert!(ignored(&any_search(&env, "war Maizuru")).is_empty());
    // ...and left out once it does.
    std::fs::write(
        env.path("corpus/heimkehr.txt"),
        "Die Heimkehrer aus Sibirien kamen im Hafen Maizuru an. Viele von ihnen waren \
         jahrelang in sowjetischen Lagern gewesen, und die Familien warteten am Kai auf sie, \
         denn es war nicht bekannt, wer noch lebte.",
    )
    .expect("write");
    assert!(env.run(&["ingest"]).status.success());
    assert_eq!(ignored(&any_search(&env, "war Maizuru")), ["war"]);
}

#[test]
fn any_matches_the_parts_of_hyphenated_words_and_acronym_plurals() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/receptors.txt"),
        "The RXR heterodimer binds DNA at the response element, and it is found in the \
         nucleus of the cell.",
    )
    .expect("write");
    assert!(env.run(&["ingest"]).status.success());
    // The plural of an acronym meets the acronym, which Snowball alone does not do.
    assert_eq!(ranked_names(&env.search("RXRs")), ["receptors.txt"]);
    // Without --any, a hyphenated word needs all its parts; with it, each part counts.
    let out = env.run(&["search", "--json", "PPAR-RXRs"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        ranked_names(&any_search(&env, "PPAR-RXRs")),
        ["receptors.txt"]
    );
}

/// The seed of the first hit.
fn first_seed(results: &Search) -> BTreeSet<String> {
    hit_seeds(results.hits.first())
}

#[test]
fn variant_names_find_each_other_and_say_which_matched() {
    let env = Env::ingested();
    let results = env.search("Nomonhan");
    assert_eq!(seeds(&results), set(&["002", "003"]));
    let mut via: Vec<String> = results
        .hits
        .iter()
        .flat_map(|h| h.variants.iter().cloned())
        .collect();
    via.sort();
    assert_eq!(via, ["Halexin River", "Nomenkan", "Nomonham"]);
    let marked: Vec<String> = results.hits.iter().flat_map(highlighted).collect();
    assert!(marked.iter().any(|m| m == "Nomonham"), "{marked:?}");
    // A multi-word form typed as a phrase finds the others ("Kanto Army" -> Kwantung Army).
    let kanto = env.search("\"Kanto Army\"");
    assert_eq!(seeds(&kanto), set(&["000", "001", "002"]));
    // The typed form ranks above a variant, other things equal.
    std::fs::write(
        env.path("corpus/typed.txt"),
        "Reports of the battle at Nomonhan.",
    )
    .expect("write");
    std::fs::write(
        env.path("corpus/variant.txt"),
        "Reports of the battle at Nomonham.",
    )
    .expect("write");
    assert!(env.run(&["ingest"]).status.success());
    let ranked = ranked_names(&env.search("Nomonhan"));
    let at = |name: &str| ranked.iter().position(|r| r == name);
    assert!(
        at("typed.txt") < at("variant.txt") && at("variant.txt").is_some(),
        "{ranked:?}"
    );
    // Without the variants file the query is plain again.
    std::fs::write(env.path("empty-variants.txt"), "# none\n").expect("write");
    let out = env.run(&[
        "search",
        "--json",
        "--variants",
        "empty-variants.txt",
        "Nomonhan",
    ]);
    let plain: Search = json(&out);
    assert!(
        seeds(&plain).iter().all(|s| !s.starts_with("00")),
        "{plain}"
    );
    // A malformed file is an error naming its line.
    std::fs::write(env.path("bad-variants.txt"), "a | b\nlonely\n").expect("write");
    let out = env.run(&["search", "--variants", "bad-variants.txt", "Nomonhan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
}

/// File names (without folders) of the hits, in rank order.
fn ranked_names(results: &Search) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| h.path.rsplit('/').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn prefix_fuzzy_and_proximity_are_scored_and_highlighted() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/exact.txt"),
        "The ship reached Maizuru at dawn.",
    )
    .expect("w");
    std::fs::write(
        env.path("corpus/ocr.txt"),
        "The ship reached Maizaru at dawn.",
    )
    .expect("w");
    assert!(env.run(&["ingest"]).status.success());
    // Prefix: every word starting with it, highlighted.
    let results = env.search("repatriat*");
    assert_eq!(seeds(&results), set(&["001", "002", "003", "004"]));
    let marked: Vec<String> = results
        .hits
        .iter()
        .flat_map(highlighted)
        .map(|m| m.to_lowercase())
        .collect();
    assert!(
        marked.iter().all(|m| m.starts_with("repatriat")),
        "{marked:?}"
    );
    // Fuzzy: the closer match ranks first, and both are highlighted.
    let fuzzy = env.search("Maizuru~1");
    let names = ranked_names(&fuzzy);
    let at = |name: &str| names.iter().position(|n| n == name);
    assert!(
        at("exact.txt") < at("ocr.txt") && at("ocr.txt").is_some(),
        "{names:?}"
    );
    assert!(fuzzy.hits.iter().all(|h| !highlighted(h).is_empty()));
    assert_eq!(
        seeds(&env.search("Nomonhan~1")),
        set(&["003"]),
        "Nomonham, one edit"
    );
    // --fuzzy forgives OCR errors in every word, exact matches first.
    let out = env.run(&["search", "--json", "--fuzzy", "Maizaru", "dawn"]);
    let forgiving: Search = json(&out);
    assert_eq!(ranked_names(&forgiving)[..2], ["ocr.txt", "exact.txt"]);
    let out = env.run(&["search", "--json", "Maizaru", "dawn"]);
    let strict: Search = json(&out);
    assert_eq!(ranked_names(&strict), ["ocr.txt"]);
    // Proximity: the words within N positions; a plain phrase needs them adjacent.
    assert_eq!(seeds(&env.search("\"soviet prisoners\"")), set(&["003"]));
    assert_eq!(
        seeds(&env.search("\"soviet prisoners\"~5")),
        set(&["002", "003"])
    );
    // A phrase is highlighted as one span (001 has it in its title and its text).
    let results = env.search("\"Kwantung Army\"");
    let hit = results
        .hits
        .iter()
        .find(|h| hit_seeds([*h]) == set(&["001"]))
        .expect("001 found");
    assert!(
        highlighted(hit).iter().any(|m| m == "Kwantung Army"),
        "{hit}"
    );
}

#[test]
fn a_word_past_the_stored_text_is_found_and_the_snippet_comes_from_the_stored_part() {
    let env = Env::new();
    // 5 MB of English, then a word that appears nowhere else: past the 4 MB that are stored.
    let mut text = "The prisoners were taken to the camps in the east. ".repeat(100_000);
    text.push_str("Finally the zyxomaru ship arrived at Maizuru.");
    std::fs::write(env.path("corpus/long.txt"), &text).expect("write");
    assert!(env.run(&["ingest"]).status.success());
    let results = env.search("zyxomaru");
    assert_eq!(ranked_names(&results), ["long.txt"]);
    let snippet = &results.hits[0].snippet.text;
    assert!(snippet.starts_with("The prisoners"), "{snippet}");
}

#[test]
fn path_extension_and_year_filters() {
    let env = Env::new();
    std::fs::create_dir(env.path("corpus/letters")).expect("dir");
    std::fs::write(env.path("corpus/letters/1947.md"), "Maizuru, spring 1947.").expect("w");
    assert!(env.run(&["ingest"]).status.success());
    assert_eq!(
        ranked_names(&env.search("Maizuru path:letters")),
        ["1947.md"]
    );
    assert_eq!(
        ranked_names(&env.search("Maizuru path:letters/*.md")),
        ["1947.md"]
    );
    assert_eq!(seeds(&env.search("Maizuru path:004*")), set(&["004"]));
    assert_eq!(ranked_names(&env.search("Maizuru ext:md")), ["1947.md"]);
    assert_eq!(env.search("Maizuru -ext:md").total_hits, 2);
    assert_eq!(ranked_names(&env.search("Maizuru year:1947")), ["1947.md"]);
    let decade = env.search("Maizuru year:1940..1949");
    assert!(ranked_names(&decade).contains(&"1947.md".to_string()));
    let out = env.run(&["search", "year:soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("year:soon"), "{}", stderr(&out));
}

#[test]
fn several_snippets_facets_and_explanations() {
    let env = Env::ingested();
    let out = env.run(&[
        "search",
        "--json",
        "--snippets",
        "3",
        "--facets",
        "--explain",
        "prisoners",
    ]);
    let results: Search = json(&out);
    let hits = &results.hits;
    // Several passages from different places, each with a highlight, the first being `snippet`.
    let longest = hits.iter().map(|h| h.snippets.len()).max();
    assert_eq!(longest, Some(3));
    for hit in hits {
        let snippets = &hit.snippets;
        assert_eq!(snippets[0], hit.snippet);
        let texts: BTreeSet<&str> = snippets.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts.len(), snippets.len(), "passages repeat");
        // The explanation's clauses add up to the score.
        let clauses = hit
            .explanation
            .as_ref()
            .expect("--explain gives an explanation");
        let sum: f64 = clauses.iter().map(|c| c.score).sum();
        let score = hit.score;
        assert!(
            (sum - score).abs() < 1e-3 * score.max(1.0),
            "{sum} vs {score}"
        );
        assert!(
            clauses
                .iter()
                .any(|c| c.clause == "body:prisoners" || c.clause == "stem_en:prison")
        );
    }
    // Facets count the whole result set.
    let facets = results.facets.as_ref().expect("--facets gives facets");
    assert_eq!(facets.lang["en"], results.total_hits);
    assert_eq!(facets.folder["."], results.total_hits);
    assert!(facets.year.get("1945").is_some_and(|n| *n >= 1), "{facets}");
    let plain = stdout(&env.run(&["search", "--facets", "prisoners"]));
    assert!(
        plain.contains("facets") && plain.contains("lang    en"),
        "{plain}"
    );
}
