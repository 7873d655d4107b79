//! `archivist serve`: the JSON API against a real server on a loopback port (any free one),
//! started from the real binary on an index of the corpus.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::json::{Document, Status};
use super::*;

/// A running `archivist serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`.
    pub base: String,
}

impl Server {
    /// Serves `env`'s index (ingested first when it has none) with `extra` arguments.
    pub fn start(env: &Env, extra: &[&str]) -> Server {
        Server::start_with(env, extra, |_| {})
    }

    /// As [`Server::start`], with the command set up further by `configure` first.
    pub fn start_with(env: &Env, extra: &[&str], configure: impl FnOnce(&mut Command)) -> Server {
        if !env.path("index").is_dir() {
            let out = env.run(&["ingest"]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_archivist"));
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .current_dir(env.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        configure(&mut command);
        let mut child = command.spawn().expect("start archivist serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the address line");
        let base = line.trim().split('?').next().unwrap_or("").to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{line:?}");
        Server { child, base }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    /// GET `path`: the status, the response's headers and its body.
    pub fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        get(&self.url(path), &[])
    }

    /// GET `path` with `headers` (name, value): the status, headers and body.
    pub fn get_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        get(&self.url(path), headers)
    }

    /// GET `path`: the status and the body as `T` (the documented JSON, field for field).
    pub fn json<T: DeserializeOwned>(&self, path: &str) -> (u16, T) {
        let (status, _, body) = self.get(path);
        let value = serde_json::from_slice(&body).unwrap_or_else(|e| {
            panic!(
                "{path}: not the JSON expected ({e}): {}",
                String::from_utf8_lossy(&body)
            )
        });
        (status, value)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET `url` with `headers` (name, value), whatever the status.
fn get(url: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut request = agent.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .expect("body");
    (status, headers, body)
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An API error: the message, the code the page translates, and what fills its message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    pub error: String,
    pub code: String,
    pub args: serde_json::Map<String, Value>,
}

/// What a change of tags or note answers: the document's tags and note as they are then.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotations {
    pub tags: Vec<String>,
    pub note: Option<String>,
}

/// `search --json` output without its timing.
fn untimed(mut value: Value) -> Value {
    value.as_object_mut().map(|o| o.remove("elapsed_ms"));
    value
}

#[test]
fn search_answers_what_the_cli_prints_and_errors_are_json() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    for (api, cli) in [
        ("api/v1/search?q=Maizuru", vec!["Maizuru"]),
        (
            "api/v1/search?q=soviet%20prisoners&any=1&facets=1&snippets=2&limit=3&offset=1",
            vec![
                "--any",
                "--facets",
                "--snippets",
                "2",
                "--limit",
                "3",
                "--offset",
                "1",
                "soviet prisoners",
            ],
        ),
        ("api/v1/search?q=Otozo&fuzzy=1", vec!["--fuzzy", "Otozo"]),
        (
            "api/v1/search?q=%E6%8A%91%E7%95%99&lang=ja",
            vec!["--lang", "ja", "抑留"],
        ),
    ] {
        let (status, value): (_, Value) = server.json(api);
        assert_eq!(status, 200, "{api}");
        let out = env.run(&[&["search", "--json"][..], &cli].concat());
        let printed: Value = serde_json::from_slice(&out.stdout).expect("CLI JSON");
        assert_eq!(untimed(value.clone()), untimed(printed), "{api}");
        // The documented format, field for field.
        let _: Search = serde_json::from_value(value).expect("the documented JSON");
    }
    // A malformed query: 400, and the message the CLI gives.
    let (status, refused): (_, ApiError) = server.json("api/v1/search?q=%22unclosed");
    assert_eq!(status, 400);
    let out = env.run(&["search", "\"unclosed"]);
    assert_eq!(refused.error, "invalid query: unclosed quote at column 1");
    assert!(stderr(&out).contains(&refused.error), "{}", stderr(&out));
    assert_eq!(refused.code, "query-quote");
    assert_eq!(
        Value::Object(refused.args),
        serde_json::json!({ "column": 1 })
    );
    let (_, refused): (_, ApiError) = server.json("api/v1/search?q=year%3A19x%20ships");
    assert_eq!(refused.code, "query-year");
    assert_eq!(
        Value::Object(refused.args),
        serde_json::json!({ "value": "19x", "column": 1 })
    );
    let (status, refused): (_, ApiError) = server.json("api/v1/search?q=x&limit=lots");
    assert_eq!(status, 400);
    assert_eq!(refused.error, "limit must be a number from 0 to 200");
    assert_eq!(refused.code, "request");
    assert_eq!(refused.args["detail"], refused.error.as_str());
    let (status, refused): (_, ApiError) = server.json("api/v1/nothing");
    assert_eq!(status, 404);
    assert!(!refused.error.is_empty());
    assert_eq!(refused.code, "not-found");
    // Status as `status --json`, apart from where the index is named from.
    let (status, served): (_, Status) = server.json("api/v1/status");
    assert_eq!(status, 200);
    let printed: Status = json(&env.run(&["status", "--json"]));
    assert_eq!(
        (served.documents, served.languages, served.last_ingest),
        (printed.documents, printed.languages, printed.last_ingest)
    );
}

#[test]
fn a_document_comes_whole_with_every_match_and_its_original() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let (_, results): (_, Search) = server.json("api/v1/search?q=Maizuru");
    let hit = results
        .hits
        .iter()
        .find(|h| h.path.ends_with(SEEDS[4]))
        .expect("the seed about the prisoners");
    let id = &hit.id;
    let (status, doc): (_, Document) = server.json(&format!("api/v1/documents/{id}?q=Soviet"));
    assert_eq!(status, 200);
    let text = &doc.text;
    let matches = doc.matches.clone();
    // Every place the word stands, not only the snippet's.
    let occurrences = text.matches("Soviet").count();
    assert!(occurrences >= 5, "{occurrences}");
    assert_eq!(matches.len(), occurrences);
    for (from, to) in matches {
        assert_eq!(&text[from..to], "Soviet");
    }
    assert_eq!(doc.title, hit.title);
    assert_eq!(&doc.id, id);
    // The original: the file's bytes, as an attachment, with the headers that keep it inert.
    let (status, headers, body) = server.get(&doc.original);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        std::fs::read(env.path("corpus").join(SEEDS[4])).expect("seed")
    );
    assert!(header(&headers, "content-disposition").is_some_and(|v| v.starts_with("attachment")));
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert!(
        header(&headers, "content-security-policy")
            .is_some_and(|v| v.contains("default-src 'self'"))
    );
    // A file changed since it was indexed is not served as if it were the one indexed.
    std::fs::write(env.path("corpus").join(SEEDS[4]), "changed").expect("write");
    let (status, _, _) = server.get(&format!("api/v1/documents/{id}/original"));
    assert_eq!(status, 409);
    let (status, _): (_, ApiError) = server.json("api/v1/documents/0123456789abcdef0123");
    assert_eq!(status, 404);
}

#[test]
fn files_are_served_by_id_only_never_by_a_path() {
    let env = Env::new();
    // A link in the corpus to a file outside it: indexed (asked to follow links), never served.
    let outside = env.path("outside.txt");
    std::fs::write(
        &outside,
        "A secret outside the corpus about Maizuru harbour",
    )
    .expect("write");
    std::os::unix::fs::symlink(&outside, env.path("corpus/link.txt")).expect("link");
    let out = env.run(&["ingest", "--follow-links"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let server = Server::start(&env, &[]);
    for path in [
        "../outside.txt",
        "api/v1/documents/..%2f..%2foutside.txt/original",
        "api/v1/documents/%2e%2e%2f%2e%2e%2foutside.txt/original",
        "api/v1/documents/%2Fetc%2Fpasswd/original",
        "api/v1/documents//etc/passwd/original",
        "api/v1/documents/../../../../etc/passwd",
        "corpus/001_def77d6c715c9dca.txt",
        "index/meta.json",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}: {}", String::from_utf8_lossy(&body));
        assert!(!String::from_utf8_lossy(&body).contains("secret"), "{path}");
    }
    let (_, results): (_, Search) = server.json("api/v1/search?q=secret");
    let id = &results.hits.first().expect("the linked file is indexed").id;
    let (status, _, body) = server.get(&format!("api/v1/documents/{id}/original"));
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn a_running_server_sees_a_new_commit_within_a_second() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let (_, before): (_, Search) = server.json("api/v1/search?q=Shimonoseki");
    assert_eq!(before.total_hits, 0);
    std::fs::write(
        env.path("corpus/new.txt"),
        "A later letter from Shimonoseki about the returning ships.",
    )
    .expect("write");
    let out = env.run(&["-q", "ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let committed = Instant::now();
    loop {
        let (_, after): (_, Search) = server.json("api/v1/search?q=Shimonoseki");
        if after.total_hits == 1 {
            break;
        }
        assert!(
            committed.elapsed() < Duration::from_millis(1500),
            "not seen after {:?}",
            committed.elapsed()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn beyond_loopback_a_token_is_required_and_checked() {
    let env = Env::ingested();
    let out = env.run(&["serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("without a token"), "{}", stderr(&out));
    let server = Server::start(&env, &["--token", "s3cret"]);
    let url = server.url("api/v1/search?q=Maizuru");
    assert_eq!(get(&url, &[]).0, 401);
    assert_eq!(get(&url, &[("Authorization", "Bearer wrong")]).0, 401);
    assert_eq!(get(&url, &[("Authorization", "Bearer s3cret")]).0, 200);
    let (status, headers, _) = get(&server.url("?token=s3cret"), &[]);
    assert_eq!(status, 200);
    assert!(header(&headers, "set-cookie").is_some_and(|c| c.contains("HttpOnly")));
    let (status, _, _) = get(&server.url("api/v1/status?token=s3cret"), &[]);
    assert_eq!(status, 200);
}

#[test]
fn tags_and_notes_are_written_only_with_the_write_header() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let (_, results): (_, Search) = server.json("api/v1/search?q=Kwantung");
    let id = results.hits.first().expect("a hit").id.clone();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = server.url(&format!("api/v1/documents/{id}/tags?tag=to-check"));
    // Without the header (what a page of another site would send): refused.
    let refused = agent.post(&url).send_empty().expect("post");
    assert_eq!(refused.status().as_u16(), 403);
    let mut added = agent
        .post(&url)
        .header("X-Archivist-Write", "1")
        .send_empty()
        .expect("post");
    assert_eq!(added.status().as_u16(), 200);
    let annotations: Annotations = added.body_mut().read_json().expect("json");
    assert_eq!(annotations.tags, ["to-check"]);
    assert_eq!(annotations.note, None);
    let note = server.url(&format!("api/v1/documents/{id}/note"));
    let saved = agent
        .put(&note)
        .header("X-Archivist-Write", "1")
        .send("Check the dates")
        .expect("put");
    assert_eq!(saved.status().as_u16(), 200);
    let (_, doc): (_, Document) = server.json(&format!("api/v1/documents/{id}"));
    assert_eq!(doc.tags, ["to-check"]);
    assert_eq!(doc.note.as_deref(), Some("Check the dates"));
    let (_, tagged): (_, Search) = server.json("api/v1/search?q=tag:to-check");
    assert_eq!(tagged.total_hits, 1);
    assert_eq!(tagged.hits[0].note.as_deref(), Some("Check the dates"));
    // The same marks as the command line sees.
    let cli: Search = json(&env.run(&["search", "--json", "tag:to-check"]));
    assert_eq!(cli.hits[0].note.as_deref(), Some("Check the dates"));
    // A body anywhere else, or a note too long, is refused.
    let long = agent
        .put(&note)
        .header("X-Archivist-Write", "1")
        .send("x".repeat(20_000))
        .expect("put");
    assert_eq!(long.status().as_u16(), 413);
}

#[test]
fn ctrl_c_stops_the_server_at_once_when_nothing_is_under_way() {
    let env = Env::new();
    let mut server = Server::start(&env, &[]);
    assert_eq!(server.json::<Status>("api/v1/status").0, 200);
    let started = Instant::now();
    // SAFETY: signalling our own child.
    unsafe { libc::kill(server.pid() as i32, libc::SIGINT) };
    let status = server.child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    // Not the 25 s the drain allows requests under way.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// `POST /api/v1/xref`: the list as the body, with the write header; what `xref` prints.
#[test]
fn a_list_is_cross_referenced_through_the_api() {
    use std::io::{Read, Write};
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = server.url("api/v1/xref");
    let list = "name,aliases\nKwantung Army,\nNobody Atall,Nemo\n";
    let refused = agent.post(&url).send(list).expect("post");
    assert_eq!(refused.status().as_u16(), 403, "without the write header");
    let mut answered = agent
        .post(&format!("{url}?list=csv&limit=1"))
        .header("X-Archivist-Write", "1")
        .send(list)
        .expect("post");
    assert_eq!(answered.status().as_u16(), 200);
    let xref: super::json::Xref = answered.body_mut().read_json().expect("json");
    let counts: Vec<(&str, usize, usize)> = xref
        .names
        .iter()
        .map(|n| (n.name.as_str(), n.documents, n.matches.len()))
        .collect();
    assert_eq!(counts, [("Kwantung Army", 3, 1), ("Nobody Atall", 0, 0)]);
    assert_eq!(xref.names[1].aliases, ["Nemo"]);
    // One name a line unless told; CSV as an attachment.
    let mut csv_answer = agent
        .post(&format!("{url}?format=csv"))
        .header("X-Archivist-Write", "1")
        .send("Maizuru\n=1+1\n")
        .expect("post");
    assert_eq!(csv_answer.status().as_u16(), 200);
    assert_eq!(
        csv_answer
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"xref.csv\"")
    );
    let body = csv_answer.body_mut().read_to_string().expect("text");
    let names: Vec<String> = csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("a row")[0].to_string())
        .collect();
    assert_eq!(names, ["Maizuru", "Maizuru", "'=1+1"]);
    // A list over 1 MB is refused from its length, before it is read.
    let mut stream = std::net::TcpStream::connect(
        server
            .url("")
            .trim_start_matches("http://")
            .trim_end_matches('/'),
    )
    .expect("connect");
    write!(
        stream,
        "POST /api/v1/xref HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Archivist-Write: 1\r\n\
         Content-Length: 1048577\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // A wrong parameter too.
    let mut wrong = agent
        .post(&format!("{url}?format=xml"))
        .header("X-Archivist-Write", "1")
        .send("Maizuru")
        .expect("post");
    assert_eq!(wrong.status().as_u16(), 400);
    let error: ApiError = wrong.body_mut().read_json().expect("json");
    assert!(error.error.contains("format"), "{}", error.error);
}
