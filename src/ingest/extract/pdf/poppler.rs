//! The PDF reader: poppler's `pdftotext`, run as a program (as OCR runs Tesseract; poppler is
//! GPL and is not linked). It reads what lopdf gets wrong: Type 1 fonts with built-in or custom
//! encodings (LaTeX's Cyrillic fonts), CID fonts with ToUnicode maps, glyph names it maps to
//! letters; it orders two-column pages column by column, and opens encrypted files that need no
//! password. Recoll reads PDFs the same way.
//!
//! One run gives every page (a form feed after each) and, with `-htmlmeta`, the title, author
//! and date; `pdfimages -list` is asked, of those pages only, when a page may be a scan. A page
//! of vertical CJK text, which the layout analysis cuts into one- and two-character lines, is
//! taken from a second reading in the order the text was drawn (`-raw`). Every run is bounded
//! in time, output and memory.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use super::Layer;
use crate::ingest::extract::Rejection;
use crate::ingest::extract::garbled::Judgement;
use crate::ingest::extract::program::{self, Limits, RunError, last_line};

/// How long pdftotext may take over a file: the largest real PDFs (manuals of a thousand pages)
/// take a few seconds; a file whose page tree or content loops is stopped here.
const TIME: Duration = Duration::from_secs(120);

/// Text one PDF may yield (a 64 MB text is ten thousand dense pages).
const OUTPUT: usize = 256 << 20;

/// Address space for one run: poppler holds a page's objects and a file's cross references.
const MEMORY: u64 = 2 << 30;

const LIMITS: Limits = Limits {
    time: TIME,
    output: OUTPUT,
    memory: MEMORY,
};

/// Whether poppler's `pdftotext` is installed; asked once per process.
pub fn installed() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| {
        Command::new("pdftotext")
            .arg("-v")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok()
    })
}

/// The text of every page of the PDF at `path`, and its title, author and date.
pub fn read(path: &Path) -> Result<Layer, Rejection> {
    let ran = program::run(
        Command::new("pdftotext")
            .args(["-htmlmeta", "-enc", "UTF-8", "-eol", "unix"])
            .arg(path)
            .arg("-"),
        &LIMITS,
    )
    .map_err(|e| failure("pdftotext", e))?;
    if !ran.status.success() {
        let why = last_line(&ran.stderr);
        // pdftotext: "Command Line Error: Incorrect password"
        return Err(if why.contains("password") {
            Rejection::Skip("encrypted PDF: it needs a password".into())
        } else if why.is_empty() {
            Rejection::Fail("pdftotext cannot read it".into())
        } else {
            Rejection::Fail(format!("cannot parse PDF: {why}"))
        });
    }
    let html = String::from_utf8_lossy(&ran.stdout);
    let (head, body) = split_html(&html)
        .ok_or_else(|| Rejection::Fail("pdftotext gave no text (unexpected output)".into()))?;
    // A form feed ends every page: what follows the last is not a page.
    let mut pages: Vec<String> = body.split('\u{c}').map(str::to_string).collect();
    if body.is_empty() || body.ends_with('\u{c}') {
        pages.pop();
    }
    let vertical: Vec<usize> = (0..pages.len())
        .filter(|&i| looks_vertical(&pages[i]))
        .collect();
    if let (Some(&first), Some(&last)) = (vertical.first(), vertical.last())
        && let Ok(raw) = in_drawing_order(path, first, last)
    {
        for (i, raw) in (first..=last).zip(raw) {
            // Latin words set sideways in vertical text come without their spaces in drawing
            // order: when that makes the page garbage, the layout's reading stays.
            if vertical.binary_search(&i).is_ok() && Judgement::of(&raw).garbled().is_none() {
                pages[i] = raw;
            }
        }
    }
    Ok(Layer {
        pages,
        title: meta(head, "title"),
        author: meta(head, "Author"),
        date: meta(head, "CreationDate"),
    })
}

/// Ranges of pages asked of `pdfimages` one run each, before the rest go in one run: a run
/// reads the file's cross references and its pages' resources, not every page.
const IMAGE_RUNS: usize = 8;

/// Numbers (from 1) of the pages among `pages` (indexes from 0, ascending) that draw images
/// of their own, by `pdfimages -list` over those pages only.
pub fn pages_with_images(path: &Path, pages: &[usize]) -> Result<Vec<u32>, Rejection> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &page in pages {
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == page => *last = page,
            _ => ranges.push((page, page)),
        }
    }
    if ranges.len() > IMAGE_RUNS {
        ranges = vec![(pages[0], pages[pages.len() - 1])];
    }
    let mut found = Vec::new();
    for (first, last) in ranges {
        let (first, last) = ((first + 1).to_string(), (last + 1).to_string());
        let ran = program::run(
            Command::new("pdfimages")
                .args(["-list", "-f", &first, "-l", &last])
                .arg(path),
            &LIMITS,
        )
        .map_err(|e| failure("pdfimages", e))?;
        // "page num type width ..." then a rule, then a line per image; the page first.
        found.extend(
            String::from_utf8_lossy(&ran.stdout)
                .lines()
                .skip(2)
                .filter_map(|line| line.split_whitespace().next()?.parse::<u32>().ok()),
        );
    }
    found.dedup();
    Ok(found)
}

/// Pages `first` to `last` (indexes from 0) read in the order their text was drawn, vertical
/// columns joined.
fn in_drawing_order(path: &Path, first: usize, last: usize) -> Result<Vec<String>, Rejection> {
    let (first, last) = ((first + 1).to_string(), (last + 1).to_string());
    let ran = program::run(
        Command::new("pdftotext")
            .args([
                "-raw", "-enc", "UTF-8", "-eol", "unix", "-f", &first, "-l", &last,
            ])
            .arg(path)
            .arg("-"),
        &LIMITS,
    )
    .map_err(|e| failure("pdftotext", e))?;
    if !ran.status.success() {
        return Err(Rejection::Fail(last_line(&ran.stderr)));
    }
    Ok(String::from_utf8_lossy(&ran.stdout)
        .split('\u{c}')
        .map(|page| join_vertical(page.trim_end_matches('\n')))
        .collect())
}

/// Vertical text read in drawing order comes a character or two a line (the Latin words
/// set sideways in it too): the lines of a column are one line again.
fn join_vertical(raw: &str) -> String {
    let short = |line: &str| {
        let visible = line.chars().filter(|c| !c.is_whitespace()).count();
        (1..=3).contains(&visible)
    };
    let mut out = String::with_capacity(raw.len());
    let mut previous_short = false;
    for line in raw.lines() {
        let is_short = short(line);
        if !(out.is_empty() || is_short && previous_short) {
            out.push('\n');
        }
        out.push_str(if is_short { line.trim() } else { line });
        previous_short = is_short;
    }
    out
}

fn failure(program: &str, error: RunError) -> Rejection {
    match error {
        RunError::Missing(e) => Rejection::Fail(format!(
            "cannot run {program} ({e}; apt-get install poppler-utils)"
        )),
        RunError::TimedOut(limit) => Rejection::Fail(format!(
            "{program} took over {} s on it (a looping or enormous PDF)",
            limit.as_secs()
        )),
        RunError::TooMuchOutput(cap) => Rejection::Fail(format!(
            "its text is over {} MB (the limit of one PDF)",
            cap >> 20
        )),
        RunError::Io(e) => Rejection::Fail(format!("{program} failed: {e}")),
    }
}

/// Splits pdftotext's `-htmlmeta` output into the head (metadata, escaped) and the text
/// between `<pre>` and the last `</pre>` (not escaped: it is taken as it is).
fn split_html(html: &str) -> Option<(&str, &str)> {
    let (head, rest) = html.split_once("</head>")?;
    let start = rest.find("<pre>")? + "<pre>".len();
    let end = rest.rfind("</pre>")?;
    let body = rest.get(start..end.max(start))?;
    Some((head, body.strip_prefix('\n').unwrap_or(body)))
}

/// The title (`<title>`) or a `<meta name=... content=...>` value of the head, unescaped.
fn meta(head: &str, name: &str) -> Option<String> {
    let value = if name == "title" {
        let start = head.find("<title>")? + "<title>".len();
        let end = head[start..].find("</title>")? + start;
        &head[start..end]
    } else {
        let marker = format!("<meta name=\"{name}\" content=\"");
        let start = head.find(&marker)? + marker.len();
        let end = head[start..].find("\"/>")? + start;
        &head[start..end]
    };
    let value = unescape(value).trim().to_string();
    (!value.is_empty()).then_some(value)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether a page read by layout is vertical CJK text cut into pieces: most of its CJK
/// characters stand in runs of one or two between spaces and line breaks, where horizontal
/// text runs on for a line.
fn looks_vertical(page: &str) -> bool {
    let (mut cjk, mut in_short_runs, mut run) = (0usize, 0usize, 0usize);
    for c in page.chars().chain([' ']) {
        if is_cjk(c) {
            run += 1;
            continue;
        }
        cjk += run;
        if run <= 2 {
            in_short_runs += run;
        }
        run = 0;
    }
    cjk >= 20 && in_short_runs * 2 > cjk
}

/// Kana, Han, and CJK punctuation and full-width forms; not Hangul, whose words have spaces
/// between them (and are short), and which is seldom set vertically.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{ff00}'..='\u{ffef}' | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_metadata_is_unescaped_and_the_text_taken_as_it_is() {
        let html = "<html>\n<head>\n<title>a &lt;b&gt; &amp; &quot;q&quot;</title>\n\
                    <meta name=\"Author\" content=\"Kenji\nSato\"/>\n\
                    <meta name=\"CreationDate\" content=\"1947-03-01T12:00:00Z\"/>\n</head>\n\
                    <body>\n<pre>\n<b>&amp; </pre> x\n\u{c}page 2\n\u{c}</pre>\n</body>\n</html>\n";
        let (head, body) = split_html(html).expect("splits");
        assert_eq!(meta(head, "title").as_deref(), Some("a <b> & \"q\""));
        assert_eq!(meta(head, "Author").as_deref(), Some("Kenji\nSato"));
        assert_eq!(
            meta(head, "CreationDate").as_deref(),
            Some("1947-03-01T12:00:00Z")
        );
        assert_eq!(meta(head, "Subject"), None);
        assert_eq!(body, "<b>&amp; </pre> x\n\u{c}page 2\n\u{c}");
    }

    #[test]
    fn vertical_text_cut_into_short_lines_is_told() {
        assert!(looks_vertical(
            &"人民\n这\n共和\n文档\n件史\n。和\n国\n的\n历\n史\n".repeat(2)
        ));
        // Korean is written with spaces between short words.
        assert!(!looks_vertical(
            &"한국어 문서는 띄어 쓰기 를 하지만 조사 는 단어 에 ".repeat(3)
        ));
        assert!(!looks_vertical(
            "中华人民共和国的历史档案馆收藏了这些文件。\n第二行\n"
        ));
        assert!(!looks_vertical("a\nb\nc\n"));
        assert!(looks_vertical(
            ".etadpu egakcap a gnirud\nド\nる\nして しい 「 ァ\nは管 に現 ージ と古 る設 ッ\nパ 更新"
        ));
        assert_eq!(
            join_vertical("Title line\n中\n华\n人民\n。\nd\np\nk\ng\nnext line"),
            "Title line\n中华人民。dpkg\nnext line"
        );
    }
}
