//! `serve` against other sites' requests and under faults.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;

use super::super::json::{Document, Status};
use super::super::serve::{ApiError, Server};

use super::*;

/// One request over a raw connection, with whatever headers: the status and the body.
fn raw(server: &Server, request: &str) -> (u16, String) {
    let address = server
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn get_with_host(server: &Server, path: &str, host: &str) -> (u16, String) {
    raw(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

/// The id of the first hit for `query`, through the API.
fn first_id(server: &Server, query: &str) -> String {
    let (_, results): (_, Search) = server.json(&format!("api/v1/search?q={query}"));
    results.hits.first().expect("a hit").id.clone()
}

#[test]
fn without_a_token_only_this_servers_own_names_are_answered() {
    let env = Env::new();
    let server = Server::start(&env, &["--allow-host", "archive.example.org"]);
    let port = server
        .base
        .rsplit(':')
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    for path in ["/api/v1/status", "/api/v1/search?q=Maizuru", "/"] {
        // A page of evil.example that pointed its name at 127.0.0.1 (DNS rebinding).
        let (status, body) = get_with_host(&server, path, &format!("evil.example:{port}"));
        assert_eq!(status, 421, "{path}: {body}");
        let error: serde_json::Value = serde_json::from_str(&body).expect("a JSON error");
        assert!(
            error["error"]
                .as_str()
                .is_some_and(|e| e.contains("--allow-host"))
        );
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            "archive.example.org".to_string(),
        ] {
            assert_eq!(get_with_host(&server, path, &host).0, 200, "{path} {host}");
        }
    }
    // With a token, the token guards: a rebound page does not have it.
    let server = Server::start(&env, &["--token", "s3cret"]);
    let request = |authorization: &str| {
        raw(
            &server,
            &format!(
                "GET /api/v1/status HTTP/1.1\r\nHost: proxy.example\r\n{authorization}\
                 Connection: close\r\n\r\n"
            ),
        )
        .0
    };
    assert_eq!(request(""), 401);
    assert_eq!(request("Authorization: Bearer s3cret\r\n"), 200);
}

#[test]
fn a_write_from_another_origin_is_refused_and_changes_nothing() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let id = first_id(&server, "Maizuru");
    let host = server
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let post = |origin: &str| {
        raw(
            &server,
            &format!(
                "POST /api/v1/documents/{id}/tags?tag=pwned HTTP/1.1\r\nHost: {host}\r\n\
                 X-Archivist-Write: 1\r\n{origin}Content-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        )
    };
    assert_eq!(post("Origin: http://evil.example\r\n").0, 403);
    assert_eq!(post("Origin: null\r\n").0, 403);
    let (_, doc): (_, Document) = server.json(&format!("api/v1/documents/{id}"));
    assert!(doc.tags.is_empty(), "nothing was written: {:?}", doc.tags);
    // This server's own page may.
    let (status, body) = post(&format!("Origin: http://{host}\r\n"));
    assert_eq!(status, 200, "{body}");
    let (_, doc): (_, Document) = server.json(&format!("api/v1/documents/{id}"));
    assert_eq!(doc.tags, ["pwned"]);
}

#[test]
fn a_thousand_idle_connections_neither_crash_the_server_nor_keep_others_out() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    // This test's own limit of open files, raised for its thousand sockets.
    // SAFETY: reading and setting this process's own limit.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur = limit.rlim_max.min(8192);
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
    }
    let address = server
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let idle: Vec<TcpStream> = (0..1000)
        .map(|i| {
            let mut stream = TcpStream::connect(&address).expect("connect");
            if i % 2 == 0 {
                // Half a request, and then nothing (slowloris).
                let _ = stream.write_all(b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            }
            stream
        })
        .collect();
    let started = Instant::now();
    let (status, _): (_, Search) = server.json("api/v1/search?q=Maizuru");
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let pid = server.pid();
    let rss_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .expect("the server's memory");
    assert!(
        rss_kb < 200 << 10,
        "{} MB with 1000 connections",
        rss_kb >> 10
    );
    // Idle connections are closed by the server after its header time (10 s).
    std::thread::sleep(Duration::from_secs(12));
    let closed = idle
        .into_iter()
        .filter(|stream| {
            let mut stream = stream;
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buffer = [0u8; 512];
            // Closed: end of stream, or the 408 hyper sends to half a request, then the end.
            loop {
                match stream.read(&mut buffer) {
                    Ok(0) => return true,
                    Ok(_) => continue,
                    Err(_) => return false,
                }
            }
        })
        .count();
    assert_eq!(closed, 1000, "idle connections closed by the server");
    assert_eq!(server.json::<Status>("api/v1/status").0, 200);
}

#[test]
fn the_index_deleted_or_rebuilt_while_serving() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    std::fs::remove_dir_all(env.path("index")).expect("delete the index");
    // Searches answer from what the server read; the status says what happened.
    assert_eq!(server.json::<Search>("api/v1/search?q=Maizuru").0, 200);
    let (status, refused): (_, ApiError) = server.json("api/v1/status");
    assert_eq!(status, 503, "{}", refused.error);
    assert!(refused.error.contains("not there now"), "{}", refused.error);
    // Rebuilt with other files: the server follows.
    std::fs::write(env.path("corpus/zanzibar.txt"), "Zanzibar letters").expect("new file");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let started = Instant::now();
    loop {
        // An error while the index is rebuilt, then the search.
        let (status, found): (_, serde_json::Value) = server.json("api/v1/search?q=Zanzibar");
        if status == 200 && found["total_hits"] == 1 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{found}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.json::<Status>("api/v1/status").0, 200);
}

/// A write through the API: `method` on `path` with `body`, from the page.
fn write(server: &Server, method: &str, path: &str, body: &str) -> (u16, String) {
    let host = server
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    raw(
        server,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Archivist-Write: 1\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

#[test]
fn a_locked_annotations_database_is_told_and_loses_nothing() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let id = first_id(&server, "Maizuru");
    let tags = format!("/api/v1/documents/{id}/tags");
    assert_eq!(
        write(&server, "POST", &format!("{tags}?tag=kept"), "").0,
        200
    );
    // Another program holds the write lock.
    let db = rusqlite::Connection::open(env.path("index.annotations.sqlite")).expect("db");
    db.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let started = Instant::now();
    let (status, body) = write(&server, "POST", &format!("{tags}?tag=later"), "");
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("another program holds the tags and notes"),
        "{body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    db.execute_batch("COMMIT").expect("unlock");
    let (status, body) = write(&server, "POST", &format!("{tags}?tag=later"), "");
    assert_eq!(status, 200, "{body}");
    let (_, doc): (_, Document) = server.json(&format!("api/v1/documents/{id}"));
    assert_eq!(doc.tags, ["kept", "later"]);
}

#[test]
fn a_full_disk_while_writing_a_note_is_told_and_loses_nothing() {
    let env = Env::new();
    // Documents enough for the notes to outgrow the room.
    for n in 0..10 {
        std::fs::write(env.path(&format!("corpus/letter{n}.txt")), "Maizuru letter")
            .expect("letter");
    }
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The marks exist before the server starts (a tag from the command line).
    let out = env.run(&["tag", "add", "kept", "--query", "Maizuru"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // No file of the server may grow more than 40 KB past the marks' size now (nor stay under
    // SQLite's 32 KB of shared memory): the disk is full for it.
    let size = std::fs::metadata(env.path("index.annotations.sqlite"))
        .expect("the marks")
        .len();
    let room = (size.max(32 << 10) + (40 << 10)) as libc::rlim_t;
    let server = Server::start_with(&env, &[], move |command| {
        // SAFETY: setrlimit is async-signal-safe, and nothing is allocated.
        unsafe {
            command.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: room,
                    rlim_max: room,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
                Ok(())
            });
        }
    });
    let (_, found): (_, Search) = server.json("api/v1/search?q=Maizuru&limit=20");
    let ids: Vec<String> = found.hits.into_iter().map(|h| h.id).collect();
    // Notes of 16 KB on one document after another, until the files may grow no more.
    let mut saved: BTreeMap<String, String> = BTreeMap::new();
    let mut refused = None;
    for n in 0..40 {
        let id = &ids[n % ids.len()];
        let note = format!("{n} {}", "x".repeat(16_000));
        let (status, body) = write(
            &server,
            "PUT",
            &format!("/api/v1/documents/{id}/note"),
            &note,
        );
        match status {
            200 => {
                saved.insert(id.clone(), note);
            }
            _ => {
                refused = Some((status, body));
                break;
            }
        }
    }
    let (status, body) = refused.expect("the disk filled up");
    assert_eq!(status, 507, "{body}");
    assert!(body.contains("cannot be written"), "{body}");
    assert!(!saved.is_empty(), "some notes fitted");
    // The server goes on, and what was saved before is there, now and after a restart.
    let check = |server: &Server| {
        for id in &ids {
            let (status, doc): (_, Document) = server.json(&format!("api/v1/documents/{id}"));
            assert_eq!(status, 200);
            assert_eq!(
                doc.note.as_deref(),
                saved.get(id).map(String::as_str),
                "{id}"
            );
            assert_eq!(doc.tags, ["kept"]);
        }
    };
    check(&server);
    drop(server);
    check(&Server::start(&env, &[]));
}
