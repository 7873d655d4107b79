//! `archivist xref LIST`: a list of names cross-referenced with the bundled corpus, each
//! match saying how it matched; CSV read back with a parser, JSON as typed.

use std::collections::HashMap;

use super::json::{Xref, XrefName};
use super::*;

/// A list with a header in its own order, aliases, notes, a formula and a name no document has.
const LIST: &str = "note,name,aliases\n\
    army,Kwantung Army,\n\
    a variant only,Guandong Army,\n\
    =HYPERLINK(\"http://evil.example\"),Maizuru,舞鶴\n\
    declined,военнопленный,\n\
    in kana,Shiberia,\n\
    ,Nobody Atall,Nemo Nowhere\n";

fn env_with_list() -> Env {
    let env = Env::ingested();
    std::fs::write(env.path("names.csv"), LIST).expect("write list");
    env
}

fn by_name(names: &[XrefName]) -> HashMap<&str, &XrefName> {
    names.iter().map(|n| (n.name.as_str(), n)).collect()
}

#[test]
fn each_name_says_how_it_matched() {
    let env = env_with_list();
    let out = env.run(&["xref", "names.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xref: Xref = json(&out);
    let names: Vec<&str> = xref.names.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Kwantung Army",
            "Guandong Army",
            "Maizuru",
            "военнопленный",
            "Shiberia",
            "Nobody Atall"
        ],
        "in the list's order"
    );
    let by = by_name(&xref.names);
    let army = by["Kwantung Army"];
    assert_eq!(army.documents, 3);
    assert_eq!(army.matches.len(), 3, "the default limit");
    assert!(army.matches.iter().all(|m| m.how == "exact"), "{army:?}");
    assert_eq!(army.note, "army");
    // Only the variants file's other forms are in the corpus.
    let guandong = by["Guandong Army"];
    assert_eq!(guandong.documents, 3);
    let first = &guandong.matches[0];
    assert_eq!(first.how, "variant", "{guandong:?}");
    assert!(
        ["Kwantung Army", "Kanto Army", "Kantō Army", "関東軍"].contains(&first.form.as_str()),
        "{first:?}"
    );
    let maizuru = by["Maizuru"];
    assert_eq!(maizuru.aliases, ["舞鶴"]);
    assert!(
        maizuru
            .matches
            .iter()
            .all(|m| m.how == "exact" && m.form == "Maizuru")
    );
    let declined = by["военнопленный"];
    assert_eq!(declined.matches.len(), 1, "{declined:?}");
    assert_eq!(declined.matches[0].how, "stem");
    assert_eq!(declined.matches[0].found, "Военнопленные");
    assert!(declined.matches[0].hit.path.ends_with(SEEDS[4]));
    let kana = by["Shiberia"];
    assert_eq!(kana.matches.len(), 1, "{kana:?}");
    assert_eq!(kana.matches[0].how, "romanized");
    assert_eq!(kana.matches[0].found, "シベリア");
    let nobody = by["Nobody Atall"];
    assert_eq!(nobody.documents, 0);
    assert!(nobody.matches.is_empty());
    assert_eq!(nobody.query, "\"Nobody Atall\" OR \"Nemo Nowhere\"");
}

#[test]
fn fuzzy_names_give_their_distance() {
    let env = Env::ingested();
    std::fs::write(env.path("typos.txt"), "Kwantnng Army\nOtozo Yamda\n").expect("list");
    let plain = env.run(&["xref", "typos.txt", "--format", "json"]);
    assert_eq!(plain.status.code(), Some(1), "no name as written");
    let out = env.run(&["xref", "typos.txt", "--fuzzy", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xref: Xref = json(&out);
    let by = by_name(&xref.names);
    let army = by["Kwantnng Army"];
    assert_eq!(army.documents, 3);
    for m in &army.matches {
        assert_eq!((m.how.as_str(), m.distance), ("fuzzy", Some(1)), "{m:?}");
        assert_eq!(m.found.to_lowercase(), "kwantung army");
    }
    let yamada = &by["Otozo Yamda"].matches;
    assert_eq!(yamada.len(), 1);
    assert_eq!(yamada[0].found, "Otozō Yamada");
    assert_eq!(
        yamada[0].distance,
        Some(2),
        "the macron and the letter left out"
    );
}

#[test]
fn csv_lists_every_name_and_keeps_formulas_inert() {
    let env = env_with_list();
    let out = env.run(&["xref", "names.csv", "--format", "csv", "--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = super::export::table(
        &out.stdout,
        &[
            "name",
            "aliases",
            "note",
            "documents",
            "rank",
            "how",
            "form",
            "found",
            "distance",
            "score",
            "id",
            "path",
            "part",
            "page",
            "title",
            "lang",
            "date",
            "snippet",
        ],
    );
    let of = |name: &str| -> Vec<&HashMap<String, String>> {
        rows.iter().filter(|r| r["name"] == name).collect()
    };
    let siberia_rows = env.run(&["xref", "names.csv", "--format", "csv", "-n", "1"]);
    assert_eq!(
        csv::Reader::from_reader(&siberia_rows.stdout[..])
            .records()
            .count(),
        6,
        "one row a name with -n 1"
    );
    assert_eq!(of("Kwantung Army").len(), 3, "--all: every match");
    let maizuru = of("Maizuru");
    assert_eq!(maizuru.len(), 2);
    assert!(
        maizuru
            .iter()
            .all(|r| r["note"] == "'=HYPERLINK(\"http://evil.example\")" && r["aliases"] == "舞鶴"),
        "{maizuru:?}"
    );
    let nobody = of("Nobody Atall");
    assert_eq!(nobody.len(), 1, "a row for a name not found");
    assert_eq!(
        (nobody[0]["documents"].as_str(), nobody[0]["rank"].as_str()),
        ("0", "")
    );
    let raw = env.run(&["xref", "names.csv", "--format", "csv", "--csv-raw"]);
    assert!(stdout(&raw).contains("\n=HYPERLINK") || stdout(&raw).contains(",\"=HYPERLINK"));
}

#[test]
fn jsonl_and_terminal() {
    let env = env_with_list();
    let out = env.run(&["xref", "names.csv", "--format", "jsonl", "-n", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<XrefName> = stdout(&out)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a name a line"))
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(lines.iter().all(|n| n.matches.len() <= 1));
    let text = env.run(&["xref", "names.csv", "--color", "never"]);
    let shown = stdout(&text);
    assert!(shown.contains("== Kwantung Army: 3 documents"), "{shown}");
    assert!(
        shown.contains("== Nobody Atall (Nemo Nowhere): no documents"),
        "{shown}"
    );
    assert!(
        shown.contains("    stem: военнопленный, found \"Военнопленные\""),
        "{shown}"
    );
    assert!(
        stderr(&text).contains("5 of 6 names mentioned"),
        "{}",
        stderr(&text)
    );
}

#[test]
fn a_list_that_cannot_be_read_is_an_error() {
    let env = Env::ingested();
    let missing = env.run(&["xref", "absent.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("absent.csv"),
        "{}",
        stderr(&missing)
    );
    std::fs::write(env.path("latin1.txt"), b"M\xfcller\n").expect("list");
    let latin1 = env.run(&["xref", "latin1.txt"]);
    assert_eq!(latin1.status.code(), Some(2));
    assert!(stderr(&latin1).contains("not UTF-8"), "{}", stderr(&latin1));
}
