//! `archivist similar PATH|ID` and `GET /api/v1/documents/{id}/similar`: the documents most like
//! one, by its distinctive terms and the variants file's names, each with the terms it shares.

use serde_json::Value;

use super::json::{Similar, SimilarHit};
use super::serve::{ApiError, Server};
use super::*;

/// Two letters on the repatriation through Nakhodka and Maizuru, a Japanese memoir of it (its
/// names in Japanese script only), an identical copy of one letter, two texts on bread, a text
/// whose every word is its own, and a mailbox of two messages, beside the bundled corpus.
fn archive() -> Env {
    let env = Env::new();
    let files = [
        (
            "letter.txt",
            "Letter from Nakhodka, 1947.\n\nThe repatriation ship left Nakhodka with eight \
             hundred internees bound for Maizuru. The internees had laboured in the camps of \
             Taishet and Khabarovsk, felling timber through the winters of Siberia. The repatriation \
             committee recorded each internee's name on the quay at Maizuru.\n",
        ),
        (
            "report.txt",
            "Report of the repatriation committee.\n\nInternees from the Taishet and Khabarovsk \
             camps reached Nakhodka by rail and waited for a repatriation ship. Timber felling had \
             worn them down. At Maizuru the committee took the internees' names and sent them \
             home.\n",
        ),
        (
            "memoir-ja.txt",
            "ナホトカの港で引揚船を待った。シベリアの収容所で三年を過ごし、\
             舞鶴に着いたのは冬の朝だった。\n",
        ),
        (
            "sourdough.txt",
            "Sourdough bread.\n\nFeed the starter with rye flour the night before. Mix the \
             leaven into the dough, fold it every half hour and proof the loaf overnight. \
             Bake the sourdough loaf in a hot oven.\n",
        ),
        (
            "rye.txt",
            "Rye bread from a starter.\n\nA sourdough starter of rye flour leavens the loaf; \
             the dough is sticky, so proof it in a tin and bake it long.\n",
        ),
        ("lonely.txt", "Quetzalcoatlus zyzzyva xenoglossophobia.\n"),
        (
            "two.mbox",
            "From a@example.org Mon Jan  6 10:00:00 1947\nFrom: a@example.org\nSubject: one\n\n\
             First message.\n\nFrom b@example.org Tue Jan  7 10:00:00 1947\nFrom: \
             b@example.org\nSubject: two\n\nSecond message.\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(env.path("corpus").join(name), text).expect("write file");
    }
    std::fs::copy(
        env.path("corpus/letter.txt"),
        env.path("corpus/letter-copy.txt"),
    )
    .expect("copy");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    env
}

fn name_of(hit: &SimilarHit) -> &str {
    hit.hit.path.rsplit('/').next().unwrap_or_default()
}

fn similar(env: &Env, target: &str) -> Similar {
    let out = env.run(&["similar", "--json", target]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json(&out)
}

#[test]
fn the_closest_documents_come_first_with_the_terms_they_share() {
    let env = archive();
    let like = similar(&env, "corpus/letter.txt");
    assert!(like.document.path.ends_with("/letter.txt"), "{like:?}");
    assert_eq!(like.document.part, None);
    assert!(like.elapsed_ms > 0.0 && like.elapsed_ms < 1000.0);
    let names: Vec<&str> = like.hits.iter().map(name_of).collect();
    assert_eq!(names[0], "report.txt", "{names:?}");
    // Neither the document nor its identical copy.
    assert!(
        !names.contains(&"letter.txt") && !names.contains(&"letter-copy.txt"),
        "{names:?}"
    );
    // Its distinctive words, as the letter writes them, not its function words.
    for term in ["Taishet", "Khabarovsk", "internees", "repatriation"] {
        assert!(
            like.terms.iter().any(|t| t == term),
            "{term}: {:?}",
            like.terms
        );
    }
    assert!(
        !like
            .terms
            .iter()
            .any(|t| ["The", "the", "with", "had"].contains(&t.as_str())),
        "{:?}",
        like.terms
    );
    let report = &like.hits[0];
    for term in ["Taishet", "Khabarovsk", "committee"] {
        assert!(
            report.shared.iter().any(|t| t == term),
            "{term}: {report:?}"
        );
    }
    assert!(!report.hit.snippets.is_empty() && !highlighted(&report.hit).is_empty());
    // The memoir shares no written word: the variants file's names bring it, across scripts.
    let memoir = like
        .hits
        .iter()
        .find(|h| name_of(h) == "memoir-ja.txt")
        .unwrap_or_else(|| panic!("the memoir is like the letter: {names:?}"));
    for name in ["Maizuru", "Nakhodka", "Siberia"] {
        assert!(
            memoir.shared.iter().any(|t| t == name),
            "{name}: {memoir:?}"
        );
    }
    // Bread comes after everything on the repatriation, if at all.
    let rank = |name: &str| names.iter().position(|n| *n == name);
    let last_on_topic = rank("memoir-ja.txt").max(rank("report.txt"));
    for bread in ["sourdough.txt", "rye.txt"] {
        assert!(
            rank(bread).is_none_or(|r| Some(r) > last_on_topic),
            "{names:?}"
        );
    }
}

#[test]
fn a_document_is_named_by_its_path_or_its_id_and_the_terminal_shows_what_is_shared() {
    let env = archive();
    let by_path = similar(&env, "corpus/sourdough.txt");
    assert_eq!(name_of(&by_path.hits[0]), "rye.txt", "{by_path:?}");
    let by_id = similar(&env, &by_path.document.id);
    let ids = |s: &Similar| s.hits.iter().map(|h| h.hit.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&by_path), ids(&by_id));
    assert_eq!(by_path.document.id, by_id.document.id);
    let out = env.run(&["similar", "-n", "1", "corpus/sourdough.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("like: ") && first.ends_with(" (corpus/sourdough.txt)"),
        "{text}"
    );
    assert!(text.contains(" 1. "), "{text}");
    assert!(!text.contains(" 2. "), "-n 1: {text}");
    let shared = text
        .lines()
        .find_map(|l| l.strip_prefix("    shared: "))
        .unwrap_or_else(|| panic!("a shared line: {text}"));
    assert!(
        shared.contains("starter") && shared.contains("rye"),
        "{shared}"
    );
}

#[test]
fn nothing_like_it_exits_1_and_what_names_no_document_is_an_error() {
    let env = archive();
    let out = env.run(&["similar", "--json", "corpus/lonely.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let like: Similar = json(&out);
    assert!(like.hits.is_empty() && like.terms.is_empty(), "{like:?}");
    for (target, says) in [
        ("corpus/nothing.txt", "is neither a file nor a document id"),
        (
            "00000000000000000000",
            "no document with id 00000000000000000000",
        ),
        ("corpus/two.mbox", "holds 2 documents"),
    ] {
        let out = env.run(&["similar", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(stderr(&out).contains(says), "{target}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    std::fs::write(env.path("corpus/later.txt"), "Written after the ingest.\n").expect("write");
    let out = env.run(&["similar", "corpus/later.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not in the index"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_api_answers_what_the_cli_prints() {
    let env = archive();
    let server = Server::start(&env, &[]);
    let printed = similar(&env, "corpus/letter.txt");
    let id = &printed.document.id;
    let (status, served): (_, Value) = server.json(&format!("api/v1/documents/{id}/similar"));
    assert_eq!(status, 200);
    let out = env.run(&["similar", "--json", id]);
    let mut cli: Value = serde_json::from_slice(&out.stdout).expect("CLI JSON");
    let mut api = served.clone();
    for value in [&mut cli, &mut api] {
        value.as_object_mut().map(|o| o.remove("elapsed_ms"));
    }
    assert_eq!(api, cli);
    let _: Similar = serde_json::from_value(served).expect("the documented JSON");
    let (status, two): (_, Similar) =
        server.json(&format!("api/v1/documents/{id}/similar?limit=2"));
    assert_eq!(status, 200);
    assert_eq!(two.hits.len(), 2);
    let (status, refused): (_, ApiError) =
        server.json("api/v1/documents/00000000000000000000/similar");
    assert_eq!(status, 404);
    assert!(refused.error.contains("no document with id"), "{refused:?}");
    let (status, refused): (_, ApiError) =
        server.json(&format!("api/v1/documents/{id}/similar?limit=many"));
    assert_eq!(status, 400);
    assert_eq!(refused.error, "limit must be a number from 0 to 200");
}
