//! When: full dates written in several languages and calendars, normalized to ISO 8601 at their
//! precision, `date:` ranges, the month facet, and years counted only where they read as years.

use super::json::Facets;
use super::*;

/// Letters dating the same voyage in English, German, French, Russian, Japanese (an era date),
/// Chinese (the Republic's calendar) and Korean.
fn letters() -> Env {
    let env = Env::new();
    for (name, text) in [
        (
            "voyage-en.txt",
            "The ship left Nakhodka on 12 July 1946 and reached Maizuru on July 15, 1946; the \
             list is dated 07/20/1946. Another convoy sailed in September 1946. The disk \
             image holds 1024 bytes per sector and 2048 x 1536 pixels.\n",
        ),
        (
            "reise-de.txt",
            "Das Schiff erreichte Maizuru am 12. Juli 1946. Die Liste ist vom 20.07.1946 und \
             wurde im August 1946 ergänzt.\n",
        ),
        (
            "voyage-fr.txt",
            "Le navire est arrivé à Maizuru le 12 juillet 1946 ; la liste date du 1er août 1946.\n",
        ),
        (
            "plavanie-ru.txt",
            "Пароход прибыл в Майдзуру 12 июля 1946 г., список составлен 20.07.1946.\n",
        ),
        (
            "koukai-ja.txt",
            "引揚船は昭和21年7月12日に舞鶴港へ入港した。名簿は1946年7月20日付である。\n",
        ),
        ("hangxing-zh.txt", "民國35年7月12日，船抵舞鶴港。\n"),
        (
            "hanghae-ko.txt",
            "배는 1946년 7월 12일에 마이즈루 항에 도착했다.\n",
        ),
    ] {
        std::fs::write(env.path("corpus").join(name), text).expect("write");
    }
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    env
}

#[test]
fn dates_in_every_form_are_one_date() {
    let env = letters();
    let twelfth = env.search("date:1946-07-12");
    assert_eq!(
        file_names(&twelfth),
        set(&[
            "voyage-en.txt",
            "reise-de.txt",
            "voyage-fr.txt",
            "plavanie-ru.txt",
            "koukai-ja.txt",
            "hangxing-zh.txt",
            "hanghae-ko.txt"
        ])
    );
    let en = env.search("path:*voyage-en.txt");
    // `07/20/1946` in an English letter is July 20; `September 1946` a month.
    assert_eq!(
        en.hits[0].dates,
        ["1946-07-12", "1946-07-15", "1946-07-20", "1946-09"]
    );
    let de = env.search("path:*reise-de.txt");
    assert_eq!(de.hits[0].dates, ["1946-07-12", "1946-07-20", "1946-08"]);
    let fr = env.search("path:*voyage-fr.txt");
    assert_eq!(fr.hits[0].dates, ["1946-07-12", "1946-08-01"]);
}

#[test]
fn date_ranges_months_and_years_in_context() {
    let env = letters();
    // A range of months holds the days and months written in it, not a bare year.
    let summer = env.search("date:1946-08..1946-09");
    assert_eq!(
        file_names(&summer),
        set(&["voyage-en.txt", "reise-de.txt", "voyage-fr.txt"])
    );
    // The 20th of July in English, German, Russian and Japanese.
    assert_eq!(env.search("date:1946-07-16..1946-07-31").total_hits, 4);
    let out = env.run(&["search", "--json", "--facets", "--", "date:1946"]);
    let results: Search = json(&out);
    let facets: &Facets = results.facets.as_ref().expect("facets");
    assert_eq!(facets.month.get("1946-07"), Some(&7));
    assert_eq!(facets.month.get("1946-09"), Some(&1));
    // `1024 bytes` and `2048 x 1536 pixels` are quantities, not years.
    assert_eq!(env.search("year:1024").total_hits, 0);
    assert_eq!(env.search("year:1536").total_hits, 0);
    assert_eq!(
        file_names(&env.search("year:1946 path:*voyage-en.txt")),
        set(&["voyage-en.txt"])
    );
    let out = env.run(&["search", "date:1946-13"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("give a date"), "{}", stderr(&out));
}

#[test]
fn a_date_order_reads_slashes_as_asked() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/list.txt"),
        "List of returnees, 07/12/1946.\n",
    )
    .expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(env.search("path:*list.txt").hits[0].dates, ["1946-07-12"]);
    let out = env.run(&["ingest", "--date-order", "dmy", "--index", "dmy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&["search", "--json", "--index", "dmy", "--", "path:*list.txt"]);
    let found: Search = json(&out);
    assert_eq!(found.hits[0].dates, ["1946-12-07"]);
}
