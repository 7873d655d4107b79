//! `xref`'s output: for each name of the list, how many documents mention it and the best of
//! them, each with how it matched. Terminal text; one JSON object (`{"names": [...],
//! "elapsed_ms"}`); a JSON line per name; or CSV, a row per match (every copy of a file its
//! own row, as `search` exports) and one row for a name no document mentions, so that the
//! table lists the whole list. Cells that a spreadsheet would run as formulas are made text
//! as `search`'s CSV makes them (see [`super::export`]).

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use super::export::neutralize;
use super::json::{HitJson, hit_json};
use super::printer::Format;
use super::terminal::{self, inert};
use crate::xref::{Match, Outcome};

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 18] = [
    "name",
    "aliases",
    "note",
    "documents",
    "rank",
    "how",
    "form",
    "found",
    "distance",
    "score",
    "id",
    "path",
    "part",
    "page",
    "title",
    "lang",
    "date",
    "snippet",
];

/// A name's outcome as JSON.
#[derive(Serialize)]
pub struct NameJson<'a> {
    name: &'a str,
    aliases: &'a [String],
    note: &'a str,
    query: &'a str,
    documents: usize,
    matches: Vec<MatchJson<'a>>,
}

/// A match: how, then the hit as `search --json` gives it.
#[derive(Serialize)]
struct MatchJson<'a> {
    how: &'static str,
    form: &'a str,
    found: &'a str,
    distance: Option<usize>,
    #[serde(flatten)]
    hit: HitJson<'a>,
}

pub fn name_json(outcome: &Outcome) -> NameJson<'_> {
    NameJson {
        name: &outcome.entry.name,
        aliases: &outcome.entry.aliases,
        note: &outcome.entry.note,
        query: &outcome.query,
        documents: outcome.documents,
        matches: outcome.matches.iter().map(match_json).collect(),
    }
}

fn match_json(m: &Match) -> MatchJson<'_> {
    MatchJson {
        how: m.how.name(),
        form: &m.form,
        found: &m.found,
        distance: m.how.distance(),
        hit: hit_json(&m.hit),
    }
}

/// Writes outcomes as they come, in one format.
pub struct XrefPrinter<W: Write> {
    out: Out<W>,
    color: bool,
    raw: bool,
    /// JSON: a name written already (the next needs a comma).
    started: bool,
}

enum Out<W: Write> {
    Terminal(W),
    Json(W),
    Jsonl(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> XrefPrinter<W> {
    /// A printer of `format` on `out`; CSV's header and JSON's opening are written at once.
    pub fn new(format: Format, mut out: W, color: bool, raw: bool) -> io::Result<XrefPrinter<W>> {
        let out = match format {
            Format::Terminal => Out::Terminal(out),
            Format::Json => {
                write!(out, "{{\"names\":[")?;
                Out::Json(out)
            }
            Format::Jsonl => Out::Jsonl(out),
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(CSV_COLUMNS)?;
                Out::Csv(Box::new(writer))
            }
        };
        Ok(XrefPrinter {
            out,
            color,
            raw,
            started: false,
        })
    }

    pub fn outcomes(&mut self, outcomes: &[Outcome]) -> io::Result<()> {
        for outcome in outcomes {
            match &mut self.out {
                Out::Terminal(out) => write_terminal(out, outcome, self.color)?,
                Out::Json(out) => {
                    if self.started {
                        write!(out, ",")?;
                    }
                    serde_json::to_writer(&mut *out, &name_json(outcome))?;
                }
                Out::Jsonl(out) => {
                    serde_json::to_writer(&mut *out, &name_json(outcome))?;
                    writeln!(out)?;
                }
                Out::Csv(writer) => {
                    for mut row in rows(outcome) {
                        if !self.raw {
                            row.iter_mut().for_each(neutralize);
                        }
                        writer.write_record(row)?;
                    }
                }
            }
            self.started = true;
        }
        Ok(())
    }

    /// Closes the output (JSON's object, with the time taken) and flushes it.
    pub fn finish(&mut self, elapsed: Duration) -> io::Result<()> {
        match &mut self.out {
            Out::Terminal(out) | Out::Jsonl(out) => out.flush(),
            Out::Json(out) => {
                let ms = elapsed.as_secs_f64() * 1000.0;
                writeln!(out, "],\"elapsed_ms\":{ms:.1}}}")?;
                out.flush()
            }
            Out::Csv(writer) => writer.flush(),
        }
    }
}

impl XrefPrinter<Vec<u8>> {
    /// What was written (a server's answer).
    pub fn into_inner(self) -> Vec<u8> {
        match self.out {
            Out::Terminal(out) | Out::Json(out) | Out::Jsonl(out) => out,
            Out::Csv(writer) => writer.into_inner().unwrap_or_default(),
        }
    }
}

/// A name's rows: a row per match and copy, or one with empty match cells.
fn rows(outcome: &Outcome) -> Vec<[String; 18]> {
    let entry = &outcome.entry;
    let first = [
        entry.name.clone(),
        entry.aliases.join("; "),
        entry.note.clone(),
        outcome.documents.to_string(),
    ];
    if outcome.matches.is_empty() {
        let mut row: [String; 18] = Default::default();
        row[..4].clone_from_slice(&first);
        return vec![row];
    }
    let mut out = Vec::new();
    for m in &outcome.matches {
        let hit = &m.hit;
        let part = hit.about.part.as_deref();
        let copies = std::iter::once(None).chain(hit.copies.iter().map(Some));
        for copy in copies {
            let (id, path) = match copy {
                Some(copy) => (crate::schema::document_id(copy, part), copy.as_str()),
                None => (hit.about.id.clone(), hit.about.path.as_str()),
            };
            out.push([
                first[0].clone(),
                first[1].clone(),
                first[2].clone(),
                first[3].clone(),
                hit.rank.to_string(),
                m.how.name().to_string(),
                m.form.clone(),
                m.found.clone(),
                m.how.distance().map(|d| d.to_string()).unwrap_or_default(),
                format!("{:.4}", hit.score),
                id,
                crate::path_key::shown(path),
                part.unwrap_or_default().to_string(),
                hit.snippet.page.map(|p| p.to_string()).unwrap_or_default(),
                hit.about.title.clone(),
                hit.about.lang.clone(),
                hit.about.date.clone().unwrap_or_default(),
                hit.snippet.text.clone(),
            ]);
        }
    }
    out
}

/// `== name (aliases): N documents`, then each match: how, and the hit as `search` shows it.
fn write_terminal(out: &mut impl Write, outcome: &Outcome, color: bool) -> io::Result<()> {
    let entry = &outcome.entry;
    let aliases = if entry.aliases.is_empty() {
        String::new()
    } else {
        format!(" ({})", entry.aliases.join("; "))
    };
    let count = match outcome.documents {
        0 => "no documents".to_string(),
        1 => "1 document".to_string(),
        n => format!("{n} documents"),
    };
    writeln!(out, "== {}{}: {count}", inert(&entry.name), inert(&aliases))?;
    for m in &outcome.matches {
        let distance = m
            .how
            .distance()
            .map(|d| format!(" at {d}"))
            .unwrap_or_default();
        let found = if m.found.is_empty() || m.found == m.form {
            String::new()
        } else {
            format!(", found {:?}", m.found)
        };
        writeln!(
            out,
            "    {}{distance}: {}{}",
            m.how.name(),
            inert(&m.form),
            inert(&found)
        )?;
        terminal::hits(out, std::slice::from_ref(&m.hit), color)?;
    }
    if outcome.matches.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}
