//! Who and how to reach them: e-mail addresses, URLs and domains, phone numbers and IBANs found
//! at ingest in several languages, as query fields, facets, highlights and output fields.

use super::export::rows;
use super::json::Facets;
use super::*;

/// Files naming people's addresses, numbers and accounts, in English, Japanese, German,
/// Russian and French, and a message whose addresses are only in its headers.
fn archive() -> Env {
    let env = Env::new();
    let files = [
        (
            "letter.txt",
            "Dear Mr Sato,\n\nPlease write to the repatriation office at Hikiage@Maizuru.example \
             or call +81 773-68-0836. Donations: DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX); \
             not DE89 3704 0044 0532 0130 01, a typo. Details: \
             https://www.maizuru.example/archive?lang=en\n",
        ),
        (
            "memo-ja.txt",
            "舞鶴引揚記念館への問い合わせは、電話0773-68-0836まで。メールは kinenkan@maizuru.example へ。\
             引揚船は舞鶴港へ入港し、引揚者の記録は記念館に保管されている。\n",
        ),
        (
            "brief-de.txt",
            "Sehr geehrte Damen und Herren, das Bundesarchiv erreichen Sie unter Tel. (030) 18665-0 \
             oder per E-Mail an poststelle@bundesarchiv.example. Mit freundlichen Grüßen\n",
        ),
        (
            "pismo-ru.txt",
            "Уважаемые коллеги, списки военнопленных можно запросить по телефону +7 495 123-45-67 \
             или по адресу archive@memorial.example. С уважением, архив.\n",
        ),
        (
            "lettre-fr.txt",
            "Madame, Monsieur, les Archives nationales répondent au 01 40 27 60 00 du lundi au \
             vendredi ; le virement se fait sur FR14 2004 1010 0505 0001 3M02 606. Cordialement.\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(env.path("corpus").join(name), text).expect("write");
    }
    std::fs::write(
        env.path("corpus/lists.eml"),
        "From: Kenji Sato <sato@example.org>\r\nTo: archive@memorial.example\r\n\
         Cc: Ivanov <ivanov@memorial.example>\r\nSubject: Lists of prisoners\r\n\
         Message-ID: <lists-1@example.org>\r\n\r\nThe lists are attached.\r\n",
    )
    .expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    env
}

#[test]
fn entities_are_found_in_every_language_and_normalized() {
    let env = archive();
    let letter = env.search("path:*letter.txt");
    let e = &letter.hits[0].entities;
    assert_eq!(e.email, ["hikiage@maizuru.example"]);
    assert_eq!(e.url, ["https://www.maizuru.example/archive?lang=en"]);
    assert_eq!(e.domain, ["maizuru.example"]);
    assert_eq!(e.phone, ["+81773680836"]);
    assert_eq!(
        e.iban,
        ["DE89370400440532013000"],
        "the typo fails its checksum"
    );
    // National numbers, read as the country of each document's language.
    for (file, phone) in [
        ("memo-ja.txt", "+81773680836"),
        ("brief-de.txt", "+4930186650"),
        ("pismo-ru.txt", "+74951234567"),
        ("lettre-fr.txt", "+33140276000"),
    ] {
        let found = env.search(&format!("path:*{file}"));
        assert_eq!(found.hits[0].entities.phone, [phone], "{file}");
    }
    let fr = env.search("path:*lettre-fr.txt");
    assert_eq!(fr.hits[0].entities.iban, ["FR1420041010050500013M02606"]);
    // A message's correspondents, from its headers.
    let message = env.search("path:*lists.eml");
    assert_eq!(
        message.hits[0].entities.email,
        [
            "sato@example.org",
            "archive@memorial.example",
            "ivanov@memorial.example"
        ]
    );
    // The seeds write no phone number: a date with a time glued on (`2025/04/1808:12:39`) and
    // book numbers (`ISBN 5-88439-093-9`) are none.
    let seeds = env.search("Kwantung OR Nomonhan OR Siberia");
    assert!(seeds.hits.len() >= 3);
    for hit in &seeds.hits {
        assert!(
            hit.entities.phone.is_empty(),
            "{}: {:?}",
            hit.path,
            hit.entities.phone
        );
    }
}

#[test]
fn entity_fields_filter_in_any_written_form_and_are_highlighted() {
    let env = archive();
    // Typed as written in either document, or in E.164: the same number.
    for typed in [
        "phone:0773-68-0836",
        "phone:\"+81 773 68 0836\"",
        "phone:+81773680836",
    ] {
        let found = env.search(typed);
        assert_eq!(
            file_names(&found),
            set(&["letter.txt", "memo-ja.txt"]),
            "{typed}"
        );
    }
    let letter = env.search("phone:0773-68-0836 repatriation");
    assert_eq!(file_names(&letter), set(&["letter.txt"]));
    assert!(
        highlighted(&letter.hits[0]).contains(&"+81 773-68-0836".to_string()),
        "{:?}",
        highlighted(&letter.hits[0])
    );
    let memo = env.search("phone:0773-68-0836 -repatriation");
    assert_eq!(highlighted(&memo.hits[0]), ["0773-68-0836"]);
    let iban = env.search("iban:\"de89 3704 0044 0532 0130 00\"");
    assert_eq!(file_names(&iban), set(&["letter.txt"]));
    assert_eq!(highlighted(&iban.hits[0]), ["DE89 3704 0044 0532 0130 00"]);
    assert_eq!(env.search("iban:DE89370400440532013001").total_hits, 0);
    assert_eq!(
        file_names(&env.search("email:ARCHIVE@memorial.example")),
        set(&["pismo-ru.txt", "lists.eml"])
    );
    assert_eq!(
        file_names(&env.search("domain:memorial.example")),
        set(&["pismo-ru.txt", "lists.eml"])
    );
    assert_eq!(
        file_names(&env.search("domain:maizuru.example -phone:+81773680836")),
        set(&[])
    );
}

#[test]
fn facets_csv_and_the_terminal_show_them() {
    let env = archive();
    let out = env.run(&[
        "search",
        "--json",
        "--facets",
        "--",
        "domain:memorial.example OR phone:0773-68-0836",
    ]);
    let results: Search = json(&out);
    let facets: &Facets = results.facets.as_ref().expect("facets");
    assert_eq!(facets.domain.get("memorial.example"), Some(&2));
    assert_eq!(facets.phone.get("+81773680836"), Some(&2));
    assert_eq!(facets.email.get("ivanov@memorial.example"), Some(&1));
    // A cell starting with `+` is a formula to a spreadsheet: text with `'`, as every such
    // cell, unless asked for raw.
    let csv = env.run(&["search", "--format", "csv", "--", "phone:0773-68-0836"]);
    let rows = rows(&csv);
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row["phone"], "'+81773680836");
    }
    let raw = env.run(&[
        "search",
        "--format",
        "csv",
        "--csv-raw",
        "--",
        "phone:0773-68-0836",
    ]);
    assert!(
        super::export::rows(&raw)
            .iter()
            .all(|r| r["phone"] == "+81773680836")
    );
    let letter = rows
        .iter()
        .find(|r| r["path"].ends_with("letter.txt"))
        .expect("the letter's row");
    assert_eq!(letter["iban"], "DE89370400440532013000");
    assert_eq!(letter["email"], "hikiage@maizuru.example");
    let text = stdout(&env.run(&["--color", "never", "search", "iban:DE89370400440532013000"]));
    assert!(
        text.contains(
            "e-mail: hikiage@maizuru.example · phone: +81773680836 · IBAN: DE89370400440532013000"
        ),
        "{text}"
    );
}

/// Chinese in traditional characters gives Taiwan's numbers, simplified China's; Russia's
/// area codes starting with 8 are kept.
#[test]
fn the_script_of_chinese_and_russia_s_8xx_codes_give_the_right_numbers() {
    let env = Env::new();
    for (name, text) in [
        (
            "hsinchu.txt",
            "低收入戶喪葬費補助，請洽新竹市政府社會處。地址：30041新竹市中央路241號，             電話：03-5352386。本網站支援各種瀏覽器，歡迎市民多加利用。\n",
        ),
        (
            "beijing.txt",
            "增值税专用发票抬头：北京成为科技有限公司，邮寄地址：北京市朝阳区雅宝路12号，             联系电话：010-59306967，18518753260。收到发票并复核后将及时进行付款。\n",
        ),
        (
            "vologda.txt",
            "Найти нас можно в городе Вологда по адресу: ул. Первомайская 42. Контактный              телефон: +7 (8172) 75-51-33, справочная 8 (800) 100-00-11.\n",
        ),
    ] {
        std::fs::write(env.path("corpus").join(name), text).expect("write");
    }
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let phones = |file: &str| {
        env.search(&format!("path:*{file}")).hits[0]
            .entities
            .phone
            .clone()
    };
    assert_eq!(phones("hsinchu.txt"), ["+88635352386"]);
    assert_eq!(phones("beijing.txt"), ["+861059306967", "+8618518753260"]);
    assert_eq!(phones("vologda.txt"), ["+78172755133", "+78001000011"]);
    // Marked where written, read as the same country's.
    let taiwan = env.search("phone:+88635352386");
    assert_eq!(file_names(&taiwan), set(&["hsinchu.txt"]));
    assert_eq!(highlighted(taiwan.hit("hsinchu.txt")), ["03-5352386"]);
}

#[test]
fn a_phone_region_reads_national_numbers_as_that_country_s() {
    let env = Env::new();
    // An English note with a Japanese national number: the United States' by its language.
    std::fs::write(
        env.path("corpus/note.txt"),
        "Called the Maizuru office on 0773-68-0836 about the lists of returnees.\n",
    )
    .expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        env.search("path:*note.txt").hits[0]
            .entities
            .phone
            .is_empty()
    );
    let out = env.run(&["ingest", "--phone-region", "JP", "--index", "jp-index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&[
        "search",
        "--json",
        "--index",
        "jp-index",
        "--",
        "phone:+81773680836",
    ]);
    let found: Search = json(&out);
    assert_eq!(file_names(&found), set(&["note.txt"]));
    let out = env.run(&["ingest", "--phone-region", "Atlantis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a country code"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn names_of_the_variants_file_are_entities_in_any_form() {
    let env = Env::ingested();
    // Any form names the entity: the seeds write `Kwantung Army` and `関東軍`.
    let army = env.search("name:関東軍");
    let by_english = env.search("name:\"kwantung army\"");
    assert_eq!(seeds(&army), seeds(&by_english));
    assert!(!army.hits.is_empty());
    for hit in &army.hits {
        assert!(
            hit.names.contains(&"Kwantung Army".to_string()),
            "{:?}",
            hit.names
        );
    }
    assert_eq!(env.search("name:\"no such name\"").total_hits, 0);
    // The facet counts the documents naming each entity among the matches.
    let out = env.run(&["search", "--json", "--facets", "--", "Maizuru"]);
    let results: Search = json(&out);
    let facets = results.facets.as_ref().expect("facets");
    assert_eq!(facets.name.get("Maizuru"), Some(&results.total_hits));
    for hit in &results.hits {
        assert!(
            hit.names.contains(&"Maizuru".to_string()),
            "{:?}",
            hit.names
        );
    }
    // The file edited, no ingest: the names follow at once.
    std::fs::write(
        env.path("variants.txt"),
        "Maizuru Port | 舞鶴港 | Maizuru\nKwantung Army | 関東軍\n",
    )
    .expect("write");
    let out = env.run(&[
        "search",
        "--json",
        "--variants",
        "variants.txt",
        "--",
        "Maizuru",
    ]);
    let results: Search = json(&out);
    assert!(results.hits[0].names.contains(&"Maizuru Port".to_string()));
}
