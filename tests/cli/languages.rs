//! Languages: detection on the real samples, each language's stemmer, CJK recall against
//! grep, and romanization (kana, Cyrillic and Greek found by Latin queries).

use super::*;

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
fn cjk_words_are_found_wherever_grep_finds_them_in_any_form_and_languages_stay_apart() {
    let env = samples_ingested();
    // Each word with its other forms (traditional, simplified, Japanese), which it finds too.
    for (word, forms, langs) in [
        ("计算机", &["計算機"][..], &["zh"][..]),
        ("文件", &[][..], &["zh"][..]),
        ("ディレクトリ", &[][..], &["ja"][..]),
        ("設定", &["设定"][..], &["ja", "zh"][..]),
    ] {
        let results = env.search(word);
        let grep: usize = std::iter::once(&word)
            .chain(forms)
            .map(|form| samples_containing(form))
            .sum();
        assert_eq!(results.total_hits, grep as u64, "{word}");
        // Searched by another form, the same documents.
        for form in forms {
            assert_eq!(env.search(form).total_hits, results.total_hits, "{form}");
        }
        let found: BTreeSet<String> = results.hits.iter().map(|h| h.lang.to_string()).collect();
        assert_eq!(found, set(langs), "{word}");
    }
}

/// A language joins `langs` (and `lang:`) only with evidence a reader would accept: a synopsis
/// of options, a row of Korean numerals and a number format in Chinese numerals add nothing to a
/// Japanese page, while a French paragraph in it is French. Each of these was given a language
/// of its own before (Latin, Korean, Chinese).
#[test]
fn commands_and_number_formats_add_no_language() {
    let env = Env::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let read = |rel: &str| std::fs::read_to_string(samples.join(rel)).expect("read sample");
    let japanese = read("ja/ja-JP-000.txt");
    let extras = "klogd [ -c n ] [ -d ] [ -f fname ] [ -iI ] [ -n ] [ -o ] [ -p ] [ -s ]\n\
                  SIGHUP, SIGINT, SIGKILL, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2, SIGCONT\n\n\
                  일이삼사오육칠팔구영\n\n=SEARCHB(\"ᄫᄬ\";\"ᄩᄔᄕᄜᄝᄞᄠgᄢᄣᄫᄬᄭᄮᄯᄲᄶ\";17)\n";
    std::fs::write(
        env.path("corpus/page.txt"),
        format!("{japanese}\n\n{extras}"),
    )
    .expect("write");
    let french = read("fr/fr-FR-000.txt");
    std::fs::write(
        env.path("corpus/cited.txt"),
        format!("{japanese}\n\n{french}\n\n{japanese}"),
    )
    .expect("write");
    assert!(env.run(&["ingest"]).status.success());
    let langs_of = |name: &str| -> Vec<String> {
        let results = env.search("lang:ja");
        let hit = results.hits.iter().find(|h| h.path.ends_with(name));
        hit.map(|h| h.langs.clone()).unwrap_or_default()
    };
    // The sample quotes an English sentence, as the man pages it comes from do.
    let page: Vec<String> = langs_of("page.txt")
        .into_iter()
        .filter(|l| l != "en")
        .collect();
    assert_eq!(page, ["ja"]);
    assert!(langs_of("cited.txt").contains(&"fr".to_string()));
    for other in ["lang:ko", "lang:la", "lang:zh"] {
        let found = env.search(other);
        assert!(
            !found.hits.iter().any(|h| h.path.ends_with("page.txt")),
            "{other}"
        );
    }
}

/// Traditional and simplified Chinese, and Japanese old and new forms, find each other, and the
/// highlight covers the characters as each document writes them.
#[test]
fn traditional_and_simplified_forms_find_each_other() {
    let env = Env::new();
    let files = [
        (
            "simplified.txt",
            "Linux 的文件系统把磁盘上的数据组织成目录。",
        ),
        (
            "traditional.txt",
            "Linux 的文件系統把磁碟上的資料組織成目錄和檔案。",
        ),
        ("japanese-new.txt", "舞鶴は国際港として引揚船を迎えた。"),
        ("japanese-old.txt", "舞鶴ハ國際港トシテ引揚船ヲ迎ヘタリ。"),
    ];
    for (name, text) in files {
        std::fs::write(env.path(&format!("corpus/{name}")), text).expect("write");
    }
    assert!(env.run(&["ingest"]).status.success());
    for (queries, written) in [
        (
            ["文件系统", "文件系統"],
            [
                ("simplified.txt", "文件系统"),
                ("traditional.txt", "文件系統"),
            ],
        ),
        (
            ["国際", "國際"],
            [("japanese-new.txt", "国際"), ("japanese-old.txt", "國際")],
        ),
    ] {
        for query in queries {
            let results = env.search(query);
            let marked: std::collections::BTreeMap<String, Vec<String>> = results
                .hits
                .iter()
                .map(|h| {
                    (
                        h.path.rsplit('/').next().unwrap_or("").to_string(),
                        highlighted(h),
                    )
                })
                .collect();
            let expected: std::collections::BTreeMap<String, Vec<String>> = written
                .iter()
                .map(|(name, form)| (name.to_string(), vec![form.to_string()]))
                .collect();
            assert_eq!(marked, expected, "{query}");
        }
    }
}
