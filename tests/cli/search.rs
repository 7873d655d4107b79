//! Searching the bundled corpus: words, folding, phrases and operators, stems, paging,
//! colour, variant names, prefix and fuzzy words, filters, snippets, facets and explanations.

use super::*;

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
    // Measured, and in milliseconds (a search of six files takes well under a second).
    assert!(
        results.elapsed_ms > 0.0 && results.elapsed_ms < 1000.0,
        "{}",
        results.elapsed_ms
    );
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
    // 003 and 004 only say "prisoners": found by the stem, highlighted in the original text.
    let only_stem = results.hit(SEEDS[4]);
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

/// `--fuzzy` reaches into phrases: each word also as the words a few letters off, the
/// phrase highlighted whole where it stands.
#[test]
fn a_fuzzy_phrase_finds_its_words_misread() {
    let env = Env::ingested();
    let exact = env.search("\"Kwantnng Army\"");
    assert_eq!(exact.total_hits, 0);
    let out = env.run(&["search", "--json", "--fuzzy", "\"Kwantnng Army\""]);
    let fuzzy: Search = json(&out);
    assert_eq!(fuzzy.total_hits, 3, "{fuzzy}");
    let hit = fuzzy.hit(SEEDS[1]);
    let marked = highlighted(hit);
    assert!(
        marked.iter().any(|m| m == "Kwantung Army"),
        "the phrase as one span: {marked:?}"
    );
    assert!(
        !marked.iter().any(|m| m == "Army"),
        "no lone word: {marked:?}"
    );
}
