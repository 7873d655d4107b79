//! `--any`: every word optional, and the function words of the collection's languages left out.

use super::*;

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
