//! Text typed without spaces: Japanese and Chinese queries of several words, questions, quoted
//! exact strings, Korean words with particles, Thai, mixed queries, and the highlights of
//! phrases and variant names.
//!
//! `tests/fixtures/cjk/`: `jsquad-*` are two paragraphs of JGLUE JSQuAD v1.3 (validation split)
//! and `cmrc-*` two of the CMRC 2018 development set, both CC BY-SA 4.0, as in
//! `../shared/eval/cjk/` (title line, then the paragraph); the Korean and Thai files were
//! written for these tests.

use super::*;

/// The bundled corpus and the CJK fixtures in one index.
fn cjk_ingested() -> Env {
    let env = Env::ingested();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cjk");
    let out = env.run(&["ingest", &fixtures.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    env
}

fn any(env: &Env, query: &str) -> Search {
    json(&env.run(&["search", "--json", "--any", "--", query]))
}

#[test]
fn japanese_words_typed_without_spaces_are_each_required() {
    let env = cjk_ingested();
    // A particle between two words that stand together in 004 as `シベリア抑留`.
    let particle = env.search("シベリアの抑留");
    assert_eq!(seeds(&particle), set(&["004"]));
    assert_eq!(particle.ignored, ["の"]);
    let marked = highlighted(&particle.hits[0]);
    assert!(
        marked
            .iter()
            .any(|m| m.contains("シベリア") && m.contains("抑留")),
        "{marked:?}"
    );
    // Two words that stand apart in the paragraph, typed as one.
    assert_eq!(
        ranked_names(&env.search("北海道台湾")),
        ["jsquad-a0000-p000.txt"]
    );
    // A quoted string stays an exact phrase.
    let out = env.run(&["search", "--json", "\"シベリアの抑留\""]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // Characters the dictionary knows no word for stay together as typed.
    let out = env.run(&["search", "--json", "抑シ"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn questions_find_the_paragraph_that_answers_them() {
    let env = cjk_ingested();
    // JSQuAD a10336p0q0, judged against a0000-p000.
    let question = "日本で梅雨がないのは北海道とどこか。";
    assert_eq!(
        ranked_names(&env.search(question)),
        ["jsquad-a0000-p000.txt"]
    );
    assert_eq!(
        ranked_names(&any(&env, question))[0],
        "jsquad-a0000-p000.txt"
    );
    // JSQuAD a10336p1q0's paragraph: the other one on the same subject.
    let question = "梅雨の時期が始まることを何という？";
    assert_eq!(
        ranked_names(&any(&env, question))[0],
        "jsquad-a0000-p001.txt"
    );
    // CMRC 2018 DEV_0_QUERY_0 and DEV_1_QUERY_0, judged against DEV_0 and DEV_1.
    let question = "《战国无双3》是由哪两个公司合作开发的？";
    assert_eq!(ranked_names(&any(&env, question))[0], "cmrc-DEV_0.txt");
    let question = "锣鼓经是什么？";
    assert_eq!(ranked_names(&any(&env, question))[0], "cmrc-DEV_1.txt");
    // Chinese words without spaces, all required, function words not.
    assert_eq!(
        ranked_names(&env.search("战国无双的系列")),
        ["cmrc-DEV_0.txt"]
    );
}

#[test]
fn explain_shows_the_words_a_query_was_cut_into() {
    let env = cjk_ingested();
    let out = env.run(&["search", "--json", "--explain", "シベリアの抑留"]);
    let results: Search = json(&out);
    let words = results.words.expect("--explain lists the words");
    assert_eq!(words.len(), 1);
    assert_eq!(words[0].typed, "シベリアの抑留");
    assert_eq!(words[0].words, ["シベリア", "抑留"]);
    assert!(words[0].optional.is_empty());
    assert_eq!(words[0].left_out, ["の"]);
    let out = env.run(&["search", "--explain", "--color", "never", "シベリアの抑留"]);
    assert!(
        stdout(&out).starts_with("words: シベリアの抑留 -> シベリア | 抑留 (left out: の)\n"),
        "{}",
        stdout(&out)
    );
    // Without --explain the JSON has no `words`.
    assert!(env.search("シベリアの抑留").words.is_none());
}

#[test]
fn korean_words_with_particles_and_thai_are_found() {
    let env = cjk_ingested();
    // `서울에서` ("in Seoul") stands nowhere; `서울` does, with other particles.
    let seoul = env.search("서울에서");
    assert_eq!(ranked_names(&seoul), ["ko-seoul.txt"]);
    assert!(highlighted(&seoul.hits[0]).contains(&"서울".to_string()));
    assert_eq!(ranked_names(&env.search("부산에서")), ["ko-busan.txt"]);
    // Thai is cut into words at index and query time: "capital of Thailand".
    let thai = env.search("เมืองหลวงของไทย");
    assert_eq!(ranked_names(&thai), ["th-bangkok.txt"]);
    assert_eq!(thai.ignored, ["ของ"]);
}

#[test]
fn mixed_queries_match_each_script() {
    let env = cjk_ingested();
    assert_eq!(seeds(&env.search("シベリア抑留 Maizuru")), set(&["004"]));
    let mixed = env.search("関東軍 Kwantung");
    assert!(seeds(&mixed).contains("001"), "{mixed}");
    assert_eq!(ranked_names(&env.search("梅雨 Tokyo")).len(), 0);
}

#[test]
fn a_phrase_highlights_only_where_it_stands_and_the_typed_form_first() {
    let env = Env::ingested();
    let results = env.search("\"Kwantung Army\"");
    for hit in &results.hits {
        for marked in highlighted(hit) {
            assert!(
                ["kwantung army", "kanto army", "kantō army"]
                    .contains(&marked.to_lowercase().as_str()),
                "a lone word of the phrase is marked: {marked:?} in {hit}"
            );
        }
    }
    // 002 has `Kwantung Army` 17 times and `Kanto Army` too: the typed form is shown.
    let hit = results.hit(SEEDS[2]);
    assert!(
        highlighted(hit).contains(&"Kwantung Army".to_string()),
        "{hit}"
    );
}
