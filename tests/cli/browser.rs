//! The search page in a real browser: Debian's Chromium, headless, driven over WebDriver by
//! Debian's chromedriver (packages `chromium` and `chromium-driver`, which `tests/run.sh`
//! installs), against a real `archivist serve`.

use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::serve::Server;
use super::*;

const PACKAGES: &str = "chromium chromium-driver (tests/run.sh installs them)";
pub(super) const WAIT: Duration = Duration::from_secs(10);

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run chromedriver ({e}): apt-get install {PACKAGES}")
            });
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < WAIT, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `test` with a headless Chromium session on `server`'s page.
pub(super) fn in_browser(
    env: &Env,
    test: impl AsyncFnOnce(&Client) -> Result<(), fantoccini::error::CmdError>,
) {
    in_browser_with(env, &[], test)
}

/// As [`in_browser`], with more of Chromium's switches.
pub(super) fn in_browser_with(
    env: &Env,
    switches: &[&str],
    test: impl AsyncFnOnce(&Client) -> Result<(), fantoccini::error::CmdError>,
) {
    let driver = Driver::start();
    let profile = env.path("chromium-profile");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1200,900",
        ]
        .iter()
        .chain(switches)
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium ({e}): apt-get install {PACKAGES}"));
        let outcome = test(&client).await;
        let _ = client.close().await;
        outcome.expect("the browser test");
    });
}

/// Texts of the elements `css` selects, once there are any (within [`WAIT`]).
pub(super) async fn texts(
    client: &Client,
    css: &str,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await?;
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await? {
        out.push(element.text().await?);
    }
    Ok(out)
}

/// Waits until `check` holds of the texts `css` selects.
pub(super) async fn until(
    client: &Client,
    css: &str,
    check: impl Fn(&[String]) -> bool,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    let started = Instant::now();
    loop {
        let found = match client.find_all(Locator::Css(css)).await {
            Ok(elements) => {
                let mut out = Vec::new();
                for e in elements {
                    out.push(e.text().await.unwrap_or_default());
                }
                out
            }
            Err(_) => Vec::new(),
        };
        if check(&found) {
            return Ok(found);
        }
        assert!(started.elapsed() < WAIT, "{css}: still {found:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the hit whose title contains `title` and waits for the document view at its first match.
pub(super) async fn open_document(
    client: &Client,
    title: &str,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(&format!(
            "//a[contains(@class,'title')][contains(.,'{title}')]"
        )))
        .await?
        .click()
        .await?;
    until(client, "#where", |w| {
        w.first().is_some_and(|t| t.starts_with("1 of "))
    })
    .await
}

#[test]
fn the_page_searches_filters_and_opens_documents_at_their_matches() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        // A shared address shows its results, matches marked.
        client.goto(&server.url("?q=Maizuru")).await?;
        let marks = texts(client, ".hit mark").await?;
        assert!(
            !marks.is_empty() && marks.iter().all(|m| m == "Maizuru"),
            "{marks:?}"
        );
        assert_eq!(until(client, ".hit", |h| h.len() == 2).await?.len(), 2);
        // Typing a new query updates the list and the address.
        let input = client.find(Locator::Id("q")).await?;
        input.clear().await?;
        input.send_keys("Otozo").await?;
        let marks = until(client, ".hit mark", |m| m.iter().any(|t| t == "Otozō")).await?;
        assert!(marks.iter().any(|t| t == "Otozō"), "{marks:?}");
        assert!(client.current_url().await?.as_str().contains("q=Otozo"));
        // A facet filters: only the documents with Japanese text are left.
        client.goto(&server.url("?q=prisoners")).await?;
        let all = until(client, ".hit", |h| h.len() >= 2).await?.len();
        let facet = client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("button[data-filter='lang:ja']"))
            .await?;
        facet.click().await?;
        let left = until(client, ".hit", |h| !h.is_empty() && h.len() < all).await?;
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(texts(client, ".chip").await?, ["lang:ja ×"]);
        // The document view opens at the first match and steps through all of them.
        client.goto(&server.url("?q=Soviet")).await?;
        let where_ = open_document(client, "Japanese prisoners").await?;
        let total: usize = where_[0]
            .trim_start_matches("1 of ")
            .parse()
            .expect("a count");
        assert!(total >= 5, "{where_:?}");
        client
            .find(Locator::Css("body"))
            .await?
            .send_keys("n")
            .await?;
        until(client, "#where", |w| {
            w.first().is_some_and(|t| t == &format!("2 of {total}"))
        })
        .await?;
        let current = texts(client, "mark.current").await?;
        assert_eq!(current, ["Soviet"]);
        client
            .find(Locator::Css("body"))
            .await?
            .send_keys("p")
            .await?;
        until(client, "#where", |w| {
            w.first().is_some_and(|t| t == &format!("1 of {total}"))
        })
        .await?;
        assert!(client.current_url().await?.as_str().contains("doc="));
        Ok(())
    });
}

#[test]
fn a_hostile_document_shows_its_markup_and_runs_nothing() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/hostile.txt"),
        "Report on Wakkanai <img src=x onerror=\"window.pwned=1\"> \
         <script>window.pwned=2</script> <b onmouseover=\"window.pwned=3\">bold</b>\n\n\
         The ship reached Wakkanai at dawn.",
    )
    .expect("write");
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=Wakkanai")).await?;
        let snippets = texts(client, ".hit .snippet").await?;
        assert!(
            snippets
                .iter()
                .any(|s| s.contains("<script>window.pwned=2</script>")),
            "{snippets:?}"
        );
        open_document(client, "").await?;
        let text = texts(client, "#doc-text").await?;
        assert!(text[0].contains("<img src=x onerror="), "{text:?}");
        // Nothing ran, and nothing of the document became an element.
        let ran = client.execute("return window.pwned === undefined && document.querySelectorAll('#doc-text img, #doc-text script, #doc-text b, .snippet img').length === 0", vec![]).await?;
        assert_eq!(ran, json!(true));
        Ok(())
    });
}

/// Each line of a document runs in its script's direction: in an English letter, an Arabic line
/// is set right to left, against the right edge.
#[test]
fn a_right_to_left_line_runs_right_to_left() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/letter.txt"),
        "A letter from Basra about the convoy.\n\nوصلت القافلة إلى البصرة في الصباح\n\nThe convoy reached Basra.",
    )
    .expect("write");
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=Basra")).await?;
        open_document(client, "").await?;
        let gaps = client
            .execute(
                r#"const box = document.getElementById('doc-text').getBoundingClientRect();
                   const edges = (word) => {
                     const walker = document.createTreeWalker(
                       document.getElementById('doc-text'), NodeFilter.SHOW_TEXT);
                     for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                       const at = n.data.indexOf(word);
                       if (at < 0) continue;
                       const r = document.createRange();
                       r.setStart(n, at); r.setEnd(n, at + word.length);
                       const rect = r.getBoundingClientRect();
                       return [rect.left - box.left, box.right - rect.right];
                     }
                     return null;
                   };
                   return [edges('وصلت'), edges('reached')];"#,
                vec![],
            )
            .await?;
        let gaps: Vec<Vec<f64>> = serde_json::from_value(gaps).expect("two edges");
        let (arabic, english) = (&gaps[0], &gaps[1]);
        // The first Arabic word stands at the right edge, the English one at the left.
        assert!(arabic[1] < 40.0 && arabic[0] > 200.0, "{gaps:?}");
        assert!(english[0] < 200.0 && english[1] > 200.0, "{gaps:?}");
        Ok(())
    });
}

/// Tags and notes from the page: added in the document view, shown on the hit, and a facet
/// that filters by them.
#[test]
fn the_page_tags_notes_and_filters_by_tag() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=Kwantung")).await?;
        let all = until(client, ".hit", |h| h.len() >= 2).await?.len();
        open_document(client, "End of the Kwantung").await?;
        let input = client.find(Locator::Id("new-tag")).await?;
        input.send_keys("to-check\u{E007}").await?;
        until(client, "#doc-tags .chip", |c| c == ["#to-check ×"]).await?;
        client
            .find(Locator::Css("#note-box summary"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Id("note"))
            .await?
            .send_keys("Photo dated <b>1956</b>")
            .await?;
        client.find(Locator::Id("save-note")).await?.click().await?;
        until(client, "#note-state", |s| s == ["saved"]).await?;
        // Back in the results: the tag and the note on the hit, and a facet to filter by.
        client.goto(&server.url("?q=Kwantung")).await?;
        until(client, ".hit .badge.tag", |b| b == ["#to-check"]).await?;
        let notes = texts(client, ".hit .note").await?;
        assert_eq!(notes, ["Photo dated <b>1956</b>"]);
        client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("button[data-filter='tag:to-check']"))
            .await?
            .click()
            .await?;
        let left = until(client, ".hit", |h| h.len() == 1).await?;
        assert!(left.len() < all);
        Ok(())
    });
}

/// Another site: every request to it gets `page`. Its port.
fn another_site(page: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            use std::io::{Read, Write};
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                request.push(byte[0]);
            }
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    port
}

/// What a script of the page in the browser got from the archive: whether it could read a
/// search, and what became of a write (a tag) with and without the write header.
const TRY_THE_ARCHIVE: &str = r#"
    const [base, id, done] = arguments;
    (async () => {
        const out = {};
        try {
            const r = await fetch(base + "api/v1/search?q=Maizuru");
            out.read = r.status + " " + (await r.text()).slice(0, 200);
        } catch (e) { out.read = "blocked"; }
        try {
            const r = await fetch(base + "api/v1/documents/" + id + "/tags?tag=pwned",
                { method: "POST", headers: { "X-Archivist-Write": "1" } });
            out.write = String(r.status);
        } catch (e) { out.write = "blocked"; }
        try {
            await fetch(base + "api/v1/documents/" + id + "/tags?tag=pwned", 
                { method: "POST", mode: "no-cors" });
            out.simple = "sent";
        } catch (e) { out.simple = "blocked"; }
        done(out);
    })();
"#;

#[test]
fn a_page_of_another_site_can_neither_read_the_archive_nor_write_a_tag() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let port = server
        .base
        .rsplit(':')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    let (_, found): (_, Search) = server.json("api/v1/search?q=Maizuru");
    let id = found.hits.first().expect("a hit").id.clone();
    let other = another_site("<html><body>another site</body></html>");
    // evil.example points at 127.0.0.1, as a rebinding site's name does after its page loaded.
    let rules = "--host-resolver-rules=MAP evil.example 127.0.0.1";
    in_browser_with(&env, &[rules], async |client| {
        // A page of another origin, reaching across to the archive.
        client.goto(&format!("http://localhost:{other}/")).await?;
        let out = client
            .execute_async(TRY_THE_ARCHIVE, vec![json!(server.base), json!(id)])
            .await?;
        assert_eq!(out["read"], "blocked", "{out}");
        assert_eq!(out["write"], "blocked", "{out}");
        // The same as the archive's own origin, by a name rebound to it: refused (421).
        let rebound = format!("http://evil.example:{port}/");
        client.goto(&rebound).await?;
        let body = client.find(Locator::Css("body")).await?.text().await?;
        assert!(body.contains("--allow-host"), "{body}");
        let out = client
            .execute_async(TRY_THE_ARCHIVE, vec![json!(rebound), json!(id)])
            .await?;
        assert!(
            out["read"].as_str().is_some_and(|r| r.starts_with("421 ")),
            "{out}"
        );
        assert!(
            !out["read"].as_str().unwrap_or("").contains("Maizuru"),
            "{out}"
        );
        assert_eq!(out["write"], "421", "{out}");
        Ok(())
    });
    // Nothing was written, by either.
    let (_, doc): (_, super::json::Document) = server.json(&format!("api/v1/documents/{id}"));
    assert!(doc.tags.is_empty(), "{:?}", doc.tags);
}

/// An archive of only `files` (name, text): no seed, so that counts are theirs.
pub(super) fn letters(files: &[(&str, &str)]) -> Env {
    let env = Env::new();
    for seed in SEEDS {
        std::fs::remove_file(env.path("corpus").join(seed)).expect("remove a seed");
    }
    for (name, text) in files {
        std::fs::write(env.path("corpus").join(name), text).expect("write");
    }
    env
}

#[test]
fn the_timeline_shows_years_then_a_year_s_months_and_filters() {
    let env = letters(&[
        (
            "a.txt",
            "Left Nakhodka on 12 July 1946, reached Maizuru on 15 July 1946.",
        ),
        (
            "b.txt",
            "Die Liste vom 20.07.1946 wurde im August 1946 ergänzt.",
        ),
        ("c.txt", "引揚船は昭和21年7月12日に舞鶴港へ入港した。"),
        ("d.txt", "The last ship came on 26 December 1956."),
    ]);
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=date:1946..1956")).await?;
        // A bar a year, the tallest for the year with most documents.
        let year = client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#timeline button[data-filter='year:1946']"))
            .await?;
        assert_eq!(
            year.attr("title").await?.as_deref(),
            Some("1946: 3 documents")
        );
        assert!(
            client
                .find(Locator::Css("#timeline button[data-filter='year:1956']"))
                .await
                .is_ok()
        );
        // A year's bar filters by it and shows its months.
        year.click().await?;
        until(client, ".chip", |c| c == ["year:1946 ×"]).await?;
        let july = client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#timeline button[data-filter='date:1946-07']"))
            .await?;
        assert_eq!(
            july.attr("title").await?.as_deref(),
            Some("Jul 1946: 3 documents")
        );
        let january = client
            .find(Locator::Css("#timeline button[data-filter='date:1946-01']"))
            .await?;
        assert!(
            january.attr("disabled").await?.is_some(),
            "no document in January"
        );
        // August: the German list only.
        client
            .find(Locator::Css("#timeline button[data-filter='date:1946-08']"))
            .await?
            .click()
            .await?;
        until(client, ".chip", |c| c == ["year:1946 ×", "date:1946-08 ×"]).await?;
        let hits = until(client, ".hit", |h| h.len() == 1).await?;
        assert!(hits[0].contains("Die Liste"), "{hits:?}");
        Ok(())
    });
}

/// The page's cross-referencing: a list pasted, a row a name with how each document matched,
/// and the table exported.
#[test]
fn the_page_cross_references_a_pasted_list() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("")).await?;
        client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id("xref-open"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Id("xref-list"))
            .await?
            .send_keys("name,aliases\nGuandong Army,\n<b>Nobody</b>,\n")
            .await?;
        client.find(Locator::Id("xref-run")).await?.click().await?;
        let rows = until(client, "#xref-rows tr", |r| r.len() == 2).await?;
        assert!(rows[0].starts_with("Guandong Army 3\n"), "{rows:?}");
        assert_eq!(rows[0].matches("variant: ").count(), 3, "{rows:?}");
        assert!(rows[1].contains("<b>Nobody</b>") && rows[1].contains("not mentioned"));
        until(client, "#xref-state", |s| {
            s.first()
                .is_some_and(|t| t.starts_with("1 of 2 names mentioned"))
        })
        .await?;
        assert!(client.current_url().await?.as_str().contains("view=xref"));
        client
            .find(Locator::Id("xref-export"))
            .await?
            .click()
            .await?;
        until(client, "#xref-state", |s| s == ["Exported xref.csv"]).await?;
        Ok(())
    });
}

#[test]
fn the_similar_panel_lists_documents_like_the_open_one_and_opens_them() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=Kwantung")).await?;
        open_document(client, "End of the Kwantung Army").await?;
        // Closed, the panel has asked nothing; opened, it lists the documents like this one.
        assert!(
            client
                .find_all(Locator::Css("#similar li"))
                .await?
                .is_empty()
        );
        client
            .find(Locator::Css("#similar-box summary"))
            .await?
            .click()
            .await?;
        let items = until(client, "#similar li", |l| l.len() >= 2).await?;
        assert!(
            items
                .iter()
                .all(|i| !i.contains("End of the Kwantung Army")),
            "not itself: {items:?}"
        );
        let shared = texts(client, "#similar .shared").await?;
        assert!(
            shared.iter().any(|s| s.contains("Kwantung Army")),
            "the variants file's name, shared: {shared:?}"
        );
        let state = texts(client, "#similar-state").await?;
        assert!(state[0].starts_with("Found by its terms "), "{state:?}");
        // A click opens that document, and the open panel follows it.
        let first = client.find(Locator::Css("#similar li a.title")).await?;
        let title = first.text().await?;
        first.click().await?;
        until(client, "#doc-title", |t| t.first() == Some(&title)).await?;
        let items = until(client, "#similar li", |l| {
            !l.is_empty() && l.iter().all(|i| !i.starts_with(&title))
        })
        .await?;
        assert!(
            items.iter().any(|i| i.contains("End of the Kwantung Army")),
            "{items:?}"
        );
        Ok(())
    });
}

#[test]
fn near_copies_show_on_the_hit_and_the_document_and_fold_on_request() {
    let env = super::near::archive();
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=Hoshino")).await?;
        until(client, ".hit", |h| h.len() == 5).await?;
        let badges = texts(client, ".hit .badge").await?;
        assert!(
            badges.iter().any(|b| b == "3 nearly the same"),
            "{badges:?}"
        );
        // The facet counts the group and folds it.
        let facet = texts(client, "#facets li").await?;
        assert!(
            facet
                .iter()
                .any(|f| f.starts_with("1 group of 4 documents")),
            "{facet:?}"
        );
        client
            .find(Locator::Id("near-facet"))
            .await?
            .click()
            .await?;
        until(client, ".hit", |h| h.len() == 2).await?;
        assert!(
            client
                .current_url()
                .await?
                .as_str()
                .contains("collapse=near")
        );
        assert!(
            client
                .find(Locator::Id("near"))
                .await?
                .is_selected()
                .await?
        );
        // The document lists its near copies; one opens.
        open_document(client, "Maizuru, 14 October 1947").await?;
        let summary = texts(client, "#near-box summary").await?;
        assert_eq!(summary, ["Nearly the same (3)"]);
        client
            .find(Locator::Css("#near-box summary"))
            .await?
            .click()
            .await?;
        let near = until(client, "#near-list li", |l| {
            l.len() == 3 && l.iter().all(|n| !n.is_empty())
        })
        .await?;
        assert!(near.iter().all(|n| n.contains("% the same")), "{near:?}");
        let title = client.find(Locator::Css("#near-list a")).await?;
        let target = title.text().await?;
        title.click().await?;
        until(client, "#doc-meta", |m| {
            m.first().is_some_and(|m| m.starts_with(&target))
        })
        .await?;
        Ok(())
    });
}

#[test]
fn an_e_mail_shows_its_thread_as_a_conversation_with_the_matching_messages_marked() {
    let env = super::threads::archive();
    let server = Server::start(&env, &[]);
    in_browser(&env, async |client| {
        client.goto(&server.url("?q=Taishet")).await?;
        until(client, ".hit", |h| h.len() == 2).await?;
        let badges = texts(client, ".hit .badge.thread").await?;
        assert_eq!(
            badges.iter().collect::<BTreeSet<_>>(),
            BTreeSet::from([
                &"message 1 of 4".to_string(),
                &"attached to message 1 of 4".to_string()
            ]),
        );
        // The message opened: its thread in time order, indented by answers, the attachment
        // under its message, the messages the search matches marked.
        open_document(client, "Re: Repatriation lists").await?;
        let summary = texts(client, "#thread-box summary").await?;
        assert_eq!(summary, ["Conversation (4 messages)"]);
        let messages = until(client, "#thread-list > li", |l| l.len() == 4).await?;
        assert!(
            messages[0].contains("Re: Repatriation lists"),
            "{messages:?}"
        );
        assert!(messages[0].contains("roster.txt"), "{messages:?}");
        let marked = texts(client, "#thread-list li.match > a").await?;
        assert_eq!(marked, ["Re: Repatriation lists", "roster.txt"]);
        let opened = client
            .find(Locator::Css("#thread-list li[aria-current='true'] > a"))
            .await?
            .text()
            .await?;
        assert_eq!(opened, "Re: Repatriation lists");
        let state = texts(client, "#thread-state").await?;
        assert!(state[0].starts_with("1 of them match"), "{state:?}");
        let indent = client
            .find(Locator::Css("#thread-list > li:nth-child(4)"))
            .await?
            .css_value("margin-inline-start")
            .await?;
        assert_ne!(indent, "0px", "the fourth answers the third: indented");
        // Another message of the thread opens from it.
        client
            .find(Locator::Css("#thread-list > li:nth-child(2) > a"))
            .await?
            .click()
            .await?;
        until(client, "#doc-meta", |m| {
            m.first().is_some_and(|m| m.contains("<d@maizuru.example>"))
        })
        .await?;
        // The thread as a filter of the results.
        client
            .find(Locator::Id("thread-only"))
            .await?
            .click()
            .await?;
        let chips = until(client, ".chip", |c| c.len() == 1).await?;
        assert!(chips[0].starts_with("thread:"), "{chips:?}");
        until(client, ".hit", |h| h.len() == 2).await?;
        Ok(())
    });
}
