//! Files made to hang, exhaust or crash a reader, and scratch folders on Ctrl-C.

use std::fs::File;
use std::io::Write;

use super::*;

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
        "links.eml",
        "200,000 ids in References, a subject of a megabyte",
        {
            let ids: String = (0..200_000).map(|i| format!("<{i}@x> ")).collect();
            format!(
                "Message-ID: <links@x>\r\nReferences: {ids}\r\nIn-Reply-To: {ids}\r\n\
             Subject: Re: {}\r\n\r\nMaizuru links\r\n",
                "x".repeat(1 << 20)
            )
            .into_bytes()
        },
    ));
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
        if name == "links.eml" {
            // Its ids read (the first and last kept), its thread found.
            let hit = env.search("links");
            assert!(
                hit.hits.iter().any(|h| h.thread.is_some()),
                "{:?}",
                file_names(&hit)
            );
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
