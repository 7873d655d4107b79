//! Near-duplicates: a typed letter, its scan read by OCR, an edited draft and a forwarded copy
//! found as each other's near copies, folded into one hit by `--collapse near` and counted as
//! one group; two other letters on the same subject kept apart; a re-ingest that removes a copy
//! drops it from the others' lists. Needs the OCR tests' packages (`tests/run.sh`).

use super::json::{Document, Hit, NearGroups, Search};
use super::ocr::scan;
use super::serve::{ApiError, Server};
use super::*;

/// The letter, 14 lines, typed.
const LETTER: &str = "Maizuru, 14 October 1947\n\
    Dear Mrs Yamamoto,\n\
    The repatriation ship Koan Maru arrived at Maizuru this morning\n\
    with eight hundred and twelve men from the camps near Taishet.\n\
    Your husband's name is on the list the committee received from\n\
    Nakhodka, and the doctors on the quay say he is weak but walking.\n\
    He will stay two nights at the repatriation centre while his\n\
    papers are checked, and will then take the train to Kyoto.\n\
    Please do not travel to Maizuru: the centre cannot house families\n\
    and the trains from Osaka are full until the end of the month.\n\
    He asked me to write that he received none of your letters after\n\
    the spring of 1946 and that he thinks of the children every day.\n\
    With respect,\n\
    Hoshino Kenzo, repatriation committee";

/// A letter on the same subject, from the same office, in other words.
const OTHER: &str = "Maizuru, 2 November 1947\n\
    Dear Mr Fujita,\n\
    We regret that your son's name was not among those who landed\n\
    from the Eikoku Maru on the first of this month. The lists from\n\
    the camps of the Khabarovsk region are incomplete, and the Soviet\n\
    authorities have promised another transport before the harbour\n\
    freezes. The committee will write again as soon as a new list\n\
    arrives from Nakhodka. Families may ask at the prefectural office\n\
    in Kyoto, which keeps a copy of every list we receive, and may\n\
    send parcels through the Red Cross, though we cannot say whether\n\
    they reach the camps. We share your hope for his return.\n\
    With respect,\n\
    Hoshino Kenzo, repatriation committee";

/// The typed letter and its forms, and the other letter, beside the bundled corpus.
pub fn archive() -> Env {
    let env = Env::new();
    let corpus = env.path("corpus");
    std::fs::write(corpus.join("letter.txt"), format!("{LETTER}\n")).expect("write");
    scan(&corpus.join("letter-scan.png"), LETTER, &[]);
    let draft = LETTER
        .replace("eight hundred and twelve", "some eight hundred")
        .replace(
            "and the trains from Osaka are full until the end of the month.",
            "and the trains are full.",
        )
        .replace("With respect,", "With respect and sympathy,");
    std::fs::write(corpus.join("letter-draft.txt"), draft).expect("write");
    let forwarded = format!(
        "From: Hoshino Kenzo <hoshino@example.org>\nTo: Yamamoto Aiko <aiko@example.org>\n\
         Subject: Fwd: your husband\nDate: Wed, 15 Oct 1947 09:00:00 +0900\n\
         Message-ID: <fwd1@example.org>\n\nAs promised, my letter of yesterday.\n\n\
         ---------- Forwarded message ---------\n{}\n",
        LETTER
            .lines()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    std::fs::write(corpus.join("letter-fwd.eml"), forwarded).expect("write");
    std::fs::write(corpus.join("other.txt"), format!("{OTHER}\n")).expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    env
}

fn named<'a>(results: &'a Search, name: &str) -> &'a Hit {
    results
        .hits
        .iter()
        .find(|h| h.path.ends_with(name))
        .unwrap_or_else(|| panic!("no hit {name}: {:?}", file_names(results)))
}

fn near_names(hit: &Hit) -> BTreeSet<String> {
    hit.near_copies
        .iter()
        .map(|n| n.path.rsplit('/').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_scan_a_draft_and_a_forward_are_near_copies_of_the_typed_letter() {
    let env = archive();
    let results = env.search("Hoshino");
    let typed = named(&results, "letter.txt");
    assert_eq!(
        near_names(typed),
        set(&["letter-scan.png", "letter-draft.txt", "letter-fwd.eml"]),
        "{typed:?}"
    );
    assert!(
        typed
            .near_copies
            .iter()
            .all(|n| n.similarity >= 0.5 && n.similarity <= 1.0)
    );
    // Closest first; each names its document.
    let similarities: Vec<f64> = typed.near_copies.iter().map(|n| n.similarity).collect();
    assert!(
        similarities.windows(2).all(|w| w[0] >= w[1]),
        "{similarities:?}"
    );
    let scanned = named(&results, "letter-scan.png");
    assert!(near_names(scanned).contains("letter.txt"), "{scanned:?}");
    // The other letter, on the same subject from the same office, is nobody's near copy.
    let other = named(&results, "other.txt");
    assert!(other.near_copies.is_empty(), "{other:?}");
    assert!(near_names(typed).iter().all(|n| n != "other.txt"));
    // Identical copies stay `copies`, not near copies.
    assert!(typed.copies.is_empty());
}

#[test]
fn collapse_near_folds_them_into_one_hit_and_the_facet_counts_one_group() {
    let env = archive();
    let out = env.run(&[
        "search",
        "--json",
        "--facets",
        "--collapse",
        "near",
        "Hoshino",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let folded: Search = json(&out);
    let names = file_names(&folded);
    assert_eq!(
        folded.hits.len(),
        2,
        "the letter's four forms as one hit, and the other: {names:?}"
    );
    assert!(names.contains("other.txt"));
    let kept = folded
        .hits
        .iter()
        .find(|h| !h.path.ends_with("other.txt"))
        .expect("the letter");
    assert_eq!(kept.near_copies.len(), 3, "{kept:?}");
    let facets = folded.facets.expect("facets");
    assert_eq!(
        facets.near,
        NearGroups {
            groups: 1,
            documents: 4
        }
    );
    // Without folding: every form is a hit; the count is of documents either way.
    let plain = env.search("Hoshino");
    assert_eq!(plain.hits.len(), 5);
    assert_eq!(plain.total_hits, folded.total_hits);
    // The terminal says what is nearly the same; CSV counts them and names their ids.
    let out = env.run(&["search", "Hoshino"]);
    assert!(
        stdout(&out).contains("    nearly the same: corpus/"),
        "{}",
        stdout(&out)
    );
    let out = env.run(&["search", "--format", "csv", "Hoshino"]);
    let rows = super::export::rows(&out);
    let typed = rows
        .iter()
        .find(|r| r["path"].ends_with("/letter.txt"))
        .expect("the typed letter's row");
    assert_eq!(typed["near_count"], "3");
    let scan = rows
        .iter()
        .find(|r| r["path"].ends_with("/letter-scan.png"))
        .expect("the scan's row");
    assert!(
        typed["near_ids"].split(' ').any(|id| id == scan["id"]),
        "{typed:?}"
    );
    let other = rows
        .iter()
        .find(|r| r["path"].ends_with("/other.txt"))
        .expect("row");
    assert_eq!(
        (other["near_count"].as_str(), other["near_ids"].as_str()),
        ("0", "")
    );
}

#[test]
fn the_threshold_is_settable_and_checked() {
    let env = archive();
    let strict = env.run(&["search", "--json", "--near-threshold", "0.99", "Hoshino"]);
    let strict: Search = json(&strict);
    let typed = named(&strict, "letter.txt");
    assert!(
        !near_names(typed).contains("letter-draft.txt"),
        "the draft is not 99% the same: {typed:?}"
    );
    let out = env.run(&["search", "--near-threshold", "1.5", "Hoshino"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a similarity from 0 to 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_copy_removed_is_dropped_from_the_others_at_the_next_ingest() {
    let env = archive();
    std::fs::remove_file(env.path("corpus/letter-draft.txt")).expect("remove");
    let mut draft = LETTER.replace("Dear Mrs Yamamoto", "Dear Mrs Yamamoto Aiko");
    draft.push_str("\nP.S. The committee's office is open on Sunday.\n");
    std::fs::write(env.path("corpus/letter-second-draft.txt"), draft).expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let results = env.search("Hoshino");
    let typed = named(&results, "letter.txt");
    assert_eq!(
        near_names(typed),
        set(&[
            "letter-scan.png",
            "letter-second-draft.txt",
            "letter-fwd.eml"
        ]),
        "{typed:?}"
    );
}

#[test]
fn the_api_lists_near_copies_and_folds_them() {
    let env = archive();
    let server = Server::start(&env, &[]);
    let (status, folded): (_, Search) =
        server.json("api/v1/search?q=Hoshino&collapse=near&facets=1");
    assert_eq!(status, 200);
    assert_eq!(folded.hits.len(), 2);
    let typed = env.search("Hoshino");
    let typed = named(&typed, "letter.txt");
    let (status, doc): (_, Document) = server.json(&format!("api/v1/documents/{}", typed.id));
    assert_eq!(status, 200);
    assert_eq!(doc.near_copies.len(), 3, "{:?}", doc.near_copies);
    let (status, refused): (_, ApiError) = server.json("api/v1/search?q=Hoshino&collapse=all");
    assert_eq!(status, 400);
    assert_eq!(refused.error, "collapse must be near, not \"all\"");
    let (status, refused): (_, ApiError) = server.json("api/v1/search?q=Hoshino&near_threshold=2");
    assert_eq!(status, 400);
    assert!(refused.error.contains("near_threshold"), "{refused:?}");
}
