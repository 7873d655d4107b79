//! The search page for people who do not read English or do not use a mouse or a screen:
//! its interface in the browser's language (and each other, by its switch), dates in the
//! reader's conventions, the keyboard alone with what a screen reader announces, and axe-core's
//! accessibility rules at a desktop's width, a phone's and a 200% zoom. Runs Debian's Chromium
//! (see `browser`) and axe-core from the npm registry (`tests/browser/`, installed by
//! `tests/run.sh`).

use std::path::Path;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::browser::{WAIT, in_browser_with, letters, texts, until};
use super::serve::{Server, header};
use super::*;

type Outcome = Result<(), fantoccini::error::CmdError>;

async fn script(client: &Client, code: &str) -> Result<Value, fantoccini::error::CmdError> {
    client.execute(code, Vec::new()).await
}

async fn lang(client: &Client) -> Result<String, fantoccini::error::CmdError> {
    Ok(script(client, "return document.documentElement.lang")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// The `id` (or else the tag) of the element with the focus.
async fn focused(client: &Client) -> Result<String, fantoccini::error::CmdError> {
    let code = "const a = document.activeElement; return a.id || a.tagName.toLowerCase()";
    Ok(script(client, code)
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// Types `keys` where the focus is, as a keyboard would.
async fn press(client: &Client, keys: &str) -> Outcome {
    client.active_element().await?.send_keys(keys).await
}

/// The page as the server sends it to a browser asking for `accept` (and with `cookie`), and
/// its `Vary` header.
fn page(server: &Server, accept: &str, cookie: Option<&str>) -> (String, String) {
    let mut headers = vec![("Accept-Language", accept)];
    headers.extend(cookie.map(|c| ("Cookie", c)));
    let (status, answer, body) = server.get_with("", &headers);
    assert_eq!(status, 200, "GET /");
    let vary = header(&answer, "vary").unwrap_or("").to_string();
    (String::from_utf8(body).expect("UTF-8"), vary)
}

#[test]
fn each_language_comes_to_a_browser_that_asks_for_it() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    for (accept, lang, skip) in [
        ("ja", "ja", "検索結果へ移動"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru", "К результатам"),
        ("zh-CN,zh;q=0.9", "zh-Hans", "跳到搜索结果"),
        ("zh-TW", "zh-Hant", "跳到搜尋結果"),
        ("de-AT", "de", "Zu den Ergebnissen"),
        ("fr-CA,fr;q=0.8", "fr", "Aller aux résultats"),
        ("pt-BR,pt;q=0.9", "en", "Skip to the results"),
        ("en;q=0.2,ja;q=0.9", "ja", "検索結果へ移動"),
    ] {
        let (html, vary) = page(&server, accept, None);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}"
        );
        assert!(html.contains(&format!(">{skip}</a>")), "{accept}");
        assert!(vary.contains("Accept-Language"), "{vary}");
    }
    // The language chosen on the page wins over the browser's.
    let (html, _) = page(&server, "ja", Some("archivist_lang=de"));
    assert!(html.contains("<html lang=\"de\">"));
}

#[test]
fn the_page_speaks_the_browser_s_language_and_switches_to_each_other() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    in_browser_with(&env, &["--accept-lang=ja,en;q=0.5"], async |client| {
        client.goto(&server.url("?q=Maizuru")).await?;
        until(client, "#summary", |s| {
            s.first().is_some_and(|s| s.starts_with("2 件 · "))
        })
        .await?;
        assert_eq!(lang(client).await?, "ja");
        // The words the server puts in the page and those the script writes, in Japanese.
        let field = client.find(Locator::Id("q")).await?;
        assert_eq!(
            field.attr("placeholder").await?.as_deref(),
            Some("アーカイブを検索（/ キーでここに戻ります）")
        );
        assert_eq!(
            texts(client, "#search label").await?,
            ["いずれかの語", "あいまい", "ほぼ同じ文書をまとめる"]
        );
        let groups = texts(client, "#facets h2").await?;
        assert!(groups.contains(&"言語".to_string()), "{groups:?}");
        // Languages and years by their Japanese names; the filter stays the query's.
        let japanese = client
            .find(Locator::Css("#facets button[data-filter='lang:ja']"))
            .await?;
        assert_eq!(japanese.text().await?, "日本語");
        let year = client
            .find(Locator::Css("#facets button[data-filter='year:1946']"))
            .await?;
        assert_eq!(year.text().await?, "1946年");
        // What the documents say keeps their language, for a screen reader's voice.
        let title = client.find(Locator::Css(".hit a.title")).await?;
        assert_eq!(title.attr("lang").await?.as_deref(), Some("en"));
        let footer = texts(client, "footer").await?;
        assert!(footer[0].contains("次・前の一致箇所"), "{footer:?}");
        // An error the API answers with, in Japanese too.
        client.goto(&server.url("?q=%22unclosed")).await?;
        until(client, "#summary .error", |s| {
            s == ["1 文字目の引用符が閉じていません。"]
        })
        .await?;
        // The switch: each language, kept for the pages after (over the browser's).
        for (tag, count) in [
            ("ru", "2 результата"),
            ("zh-Hans", "2 条结果"),
            ("zh-Hant", "2 筆結果"),
            ("de", "2 Ergebnisse"),
            ("fr", "2 résultats"),
            ("en", "2 results"),
        ] {
            client.goto(&server.url("?q=Maizuru")).await?;
            client
                .wait()
                .at_most(WAIT)
                .for_element(Locator::Css("#page-language summary"))
                .await?
                .click()
                .await?;
            client
                .find(Locator::Css(&format!(
                    "#page-language button[data-lang='{tag}']"
                )))
                .await?
                .click()
                .await?;
            let started = std::time::Instant::now();
            while lang(client).await.unwrap_or_default() != tag {
                assert!(started.elapsed() < WAIT, "the page did not switch to {tag}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            until(client, "#summary", |s| {
                s.first().is_some_and(|s| s.starts_with(count))
            })
            .await?;
            client.goto(&server.url("?q=Maizuru")).await?;
            assert_eq!(lang(client).await?, tag, "kept in the cookie");
        }
        Ok(())
    });
}

#[test]
fn dates_and_counts_are_written_in_the_reader_s_conventions() {
    let env = letters(&[
        ("a.txt", "Reached Maizuru on 15 July 1946."),
        ("b.txt", "Die Liste vom 20.07.1946 nennt 1.204 Namen."),
        ("c.txt", "引揚船は昭和21年7月12日に舞鶴港へ入港した。"),
    ]);
    let server = Server::start(&env, &[]);
    in_browser_with(&env, &["--accept-lang=de-DE,de"], async |client| {
        client.goto(&server.url("?filter=year:1946")).await?;
        let july = client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#timeline button[data-filter='date:1946-07']"))
            .await?;
        // German month names and plural, from the browser's Intl and the catalogue.
        assert_eq!(
            july.attr("title").await?.as_deref(),
            Some("Juli 1946: 3 Dokumente")
        );
        let summary = texts(client, "#summary").await?;
        assert!(summary[0].starts_with("3 Ergebnisse · "), "{summary:?}");
        let labels = texts(client, "#timeline .label").await?;
        assert_eq!(labels.get(2).map(String::as_str), Some("Mär"), "{labels:?}");
        Ok(())
    });
}

#[test]
fn dates_follow_the_reader_s_variant_of_the_page_s_language() {
    let env = super::threads::archive();
    let server = Server::start(&env, &[]);
    in_browser_with(&env, &["--accept-lang=en-GB,en"], async |client| {
        client.goto(&server.url("?q=Taishet")).await?;
        until(client, ".hit", |h| h.len() == 2).await?;
        client
            .find(Locator::Css(".hit a.title"))
            .await?
            .click()
            .await?;
        // British English: the page's words are English, its dates day first (16 Oct 1947).
        let bylines = until(client, "#thread-list .byline", |b| !b.is_empty()).await?;
        assert_eq!(lang(client).await?, "en");
        let day_first = regex::Regex::new(r"^\d{1,2} Oct 1947").expect("a pattern");
        assert!(bylines.iter().any(|b| day_first.is_match(b)), "{bylines:?}");
        // The conversation and the similar documents open pass axe-core too.
        client
            .find(Locator::Css("#similar-box summary"))
            .await?
            .click()
            .await?;
        until(client, "#similar-state", |s| {
            s.first().is_some_and(|s| s != "…")
        })
        .await?;
        accessible(client, &axe(), "a conversation and similar documents").await?;
        Ok(())
    });
}

#[test]
fn a_search_and_its_matches_by_keyboard_alone_are_announced() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    in_browser_with(&env, &["--accept-lang=ja"], async |client| {
        client.goto(&server.url("")).await?;
        // The field has the focus from the start: type, Enter.
        until(client, "#summary", |s| !s.is_empty() && !s[0].is_empty()).await?;
        assert_eq!(focused(client).await?, "q");
        press(client, "Soviet").await?;
        press(client, &Key::Enter).await?;
        // The count is announced: the summary is a status region.
        let summary = until(client, "#summary", |s| {
            s.first().is_some_and(|s| s.contains(" 件 · "))
        })
        .await?;
        let status = client.find(Locator::Id("summary")).await?;
        assert_eq!(status.attr("role").await?.as_deref(), Some("status"));
        let total: usize = summary[0]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count");
        assert!(total >= 2, "{summary:?}");
        // Esc leaves the field; j goes to the first hit, Enter opens it at its first match.
        press(client, &Key::Escape).await?;
        assert_eq!(focused(client).await?, "body");
        press(client, "j").await?;
        let first = client.active_element().await?.text().await?;
        assert!(!first.is_empty());
        press(client, "j").await?;
        let second = client.active_element().await?.text().await?;
        assert_ne!(first, second, "j moves to the next hit");
        press(client, "k").await?;
        assert_eq!(client.active_element().await?.text().await?, first);
        press(client, &Key::Enter).await?;
        let position = until(client, "#where", |w| {
            w.first().is_some_and(|w| w.ends_with(" 箇所中 1 箇所目"))
        })
        .await?;
        // The document's title has the focus; the current match is announced as it moves.
        assert_eq!(focused(client).await?, "doc-title");
        let place = client.find(Locator::Id("where")).await?;
        assert_eq!(place.attr("role").await?.as_deref(), Some("status"));
        let matches = position[0].split(' ').next().unwrap_or("").to_string();
        press(client, "n").await?;
        until(client, "#where", |w| {
            w.first() == Some(&format!("{matches} 箇所中 2 箇所目"))
        })
        .await?;
        assert_eq!(texts(client, "mark.current").await?, ["Soviet"]);
        press(client, "p").await?;
        until(client, "#where", |w| {
            w.first() == Some(&format!("{matches} 箇所中 1 箇所目"))
        })
        .await?;
        // Esc goes back to the results, to the hit that was opened; / back to the field.
        press(client, &Key::Escape).await?;
        until(client, "#list", |l| !l.is_empty() && !l[0].is_empty()).await?;
        assert_eq!(client.active_element().await?.text().await?, first);
        press(client, "/").await?;
        assert_eq!(focused(client).await?, "q");
        // The language menu opens with Enter and closes with Esc, the focus back on it.
        let menu = client.find(Locator::Css("#page-language summary")).await?;
        menu.send_keys(&Key::Enter).await?;
        let open = "return document.getElementById('page-language').open";
        assert_eq!(script(client, open).await?, Value::Bool(true));
        press(client, &Key::Escape).await?;
        assert_eq!(script(client, open).await?, Value::Bool(false));
        let on_menu = "return document.activeElement.tagName";
        assert_eq!(script(client, on_menu).await?, "SUMMARY");
        Ok(())
    });
}

/// axe-core's source, installed from the npm registry by `tests/run.sh`.
fn axe() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): run npm ci --prefix tests/browser (tests/run.sh does; Debian's \
             package npm brings npm)",
            path.display()
        )
    })
}

/// axe-core's violations on the page as it is, each with its impact and where: none is
/// allowed, minor or moderate ones either (the issue asked for no serious or critical one).
async fn violations(
    client: &Client,
    axe: &str,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    script(client, axe).await?;
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then((r) => done(r.violations
                 .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)))
               .catch((e) => done([`axe failed: ${e}`]));",
            Vec::new(),
        )
        .await?;
    Ok(found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("axe answered {found}")]))
}

/// axe-core finds nothing on the page as it is, and the page is no wider than the window.
async fn accessible(client: &Client, axe: &str, what: &str) -> Outcome {
    assert_eq!(
        violations(client, axe).await?,
        Vec::<String>::new(),
        "{what}"
    );
    assert!(!overflows(client).await?, "{what}: wider than the window");
    Ok(())
}

/// Whether the page is wider than the window (a reader would have to scroll sideways).
async fn overflows(client: &Client) -> Result<bool, fantoccini::error::CmdError> {
    let code = "return document.documentElement.scrollWidth > window.innerWidth + 1";
    Ok(script(client, code).await?.as_bool().unwrap_or(true))
}

#[test]
fn the_page_passes_axe_and_fits_a_phone_and_a_200_percent_zoom() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let axe = axe();
    for language in ["en", "ru"] {
        let accept = format!("--accept-lang={language}");
        in_browser_with(&env, &[&accept], async |client| {
            // A desktop window; a phone (390 CSS pixels); a 1280-pixel window at 200% zoom,
            // which lays the page out in 640 CSS pixels.
            for (width, height) in [(1200, 900), (390, 844), (640, 450)] {
                client.set_window_size(width, height).await?;
                let inner = script(client, "return window.innerWidth").await?;
                assert!(
                    inner.as_u64().is_some_and(|w| w <= u64::from(width)),
                    "{inner}"
                );
                let at = format!("{language} at {width} px");
                client.goto(&server.url("?q=Maizuru")).await?;
                until(client, ".hit", |h| h.len() == 2).await?;
                accessible(client, &axe, &format!("{at}: results")).await?;
                client
                    .find(Locator::Css("#page-language summary"))
                    .await?
                    .click()
                    .await?;
                accessible(client, &axe, &format!("{at}: the language menu")).await?;
                client
                    .find(Locator::Css(".hit a.title"))
                    .await?
                    .click()
                    .await?;
                until(client, "#doc-text mark", |m| !m.is_empty()).await?;
                accessible(client, &axe, &format!("{at}: a document")).await?;
                client.goto(&server.url("?view=xref")).await?;
                client
                    .wait()
                    .at_most(WAIT)
                    .for_element(Locator::Css("#xref:not([hidden])"))
                    .await?;
                accessible(client, &axe, &format!("{at}: xref")).await?;
            }
            // The keyboard's place is drawn: Tab from the field to the next control.
            client.goto(&server.url("?q=Maizuru")).await?;
            until(client, ".hit", |h| h.len() == 2).await?;
            press(client, &Key::Tab).await?;
            let outline = script(
                client,
                "const s = getComputedStyle(document.activeElement);
                 return [document.activeElement.id, s.outlineStyle, parseFloat(s.outlineWidth)]",
            )
            .await?;
            assert_eq!(outline[0], "any", "{outline}");
            assert_ne!(outline[1], "none", "{outline}");
            assert!(outline[2].as_f64().is_some_and(|w| w >= 2.0), "{outline}");
            Ok(())
        });
    }
}
