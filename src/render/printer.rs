//! The printers of search results, one [`Sink`] for every way of searching: `search` (one query
//! or a batch, a page or `--all`) and saved searches print through a [`Printer`] in the format
//! asked for. Hits are printed as they come where the format allows (terminal, CSV, JSON
//! lines) and held until the query's end where it does not (one JSON object per query, a saved
//! search's heading that counts its new hits).

use std::io::{self, Write};

use anyhow::Result;

use super::export::Export;
use super::inert::inert;
use super::{json, terminal};
use crate::search::words::Cut;
use crate::search::{Hit, SearchResults, Sink};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people: hits, passages, facets, and a count on stderr.
    Terminal,
    /// One JSON object per query (README.md, "JSON output").
    Json,
    /// One JSON object per hit, a line each.
    Jsonl,
    /// A header, then a row per hit (see [`super::export`]).
    Csv,
}

/// What the terminal prints above each query's hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    /// Nothing: one query.
    None,
    /// `== query`: each query of a batch.
    Query,
    /// `== name: query (N new)`: each saved search, its hits held until they are counted.
    Saved,
}

/// How a [`Printer`] prints, beyond its format.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Colour escapes in the terminal.
    pub color: bool,
    /// CSV cells as they are, formulas and all (`--csv-raw`).
    pub csv_raw: bool,
    pub heading: Heading,
    /// The terminal's count line on stderr after each query (not with `--quiet`).
    pub count_line: bool,
    /// Every hit is printed (`--all`): the count line gives the count alone, not which ranks
    /// were shown.
    pub every_hit: bool,
}

impl Style {
    /// Plain text, one query, nothing on stderr.
    pub fn plain() -> Style {
        Style {
            color: false,
            csv_raw: false,
            heading: Heading::None,
            count_line: false,
            every_hit: false,
        }
    }
}

pub struct Printer<W: Write> {
    out: Out<W>,
    style: Style,
    /// The saved search under way: its name labels its rows and heads its hits.
    name: Option<String>,
    /// The query under way.
    query: String,
    /// Hits held until the query's end (JSON, a saved search in the terminal).
    held: Vec<Hit>,
    /// Hits printed of the query under way, and the first one's rank.
    shown: usize,
    first: usize,
}

enum Out<W: Write> {
    Terminal(W),
    Json(W),
    Export(Export<W>),
}

impl<W: Write> Printer<W> {
    /// A printer of `format` on `out` (a CSV header is written at once).
    pub fn new(format: Format, out: W, style: Style) -> io::Result<Printer<W>> {
        let out = match format {
            Format::Terminal => Out::Terminal(out),
            Format::Json => Out::Json(out),
            Format::Jsonl => Out::Export(Export::jsonl(out)),
            Format::Csv => Out::Export(Export::csv(out, style.csv_raw)?),
        };
        Ok(Printer {
            out,
            style,
            name: None,
            query: String::new(),
            held: Vec::new(),
            shown: 0,
            first: 0,
        })
    }

    /// The next queries are the saved search `name`'s.
    pub fn saved_search(&mut self, name: &str) {
        self.name = Some(name.to_string());
    }

    /// Writes out what is buffered.
    pub fn finish(&mut self) -> io::Result<()> {
        match &mut self.out {
            Out::Terminal(out) | Out::Json(out) => out.flush(),
            Out::Export(export) => export.flush(),
        }
    }
}

impl<W: Write> Sink for Printer<W> {
    fn begin(&mut self, query: &str) -> Result<()> {
        self.query = query.to_string();
        self.held.clear();
        (self.shown, self.first) = (0, 0);
        if let (Out::Terminal(out), Heading::Query) = (&mut self.out, self.style.heading) {
            writeln!(out, "== {}", inert(query))?;
        }
        Ok(())
    }

    fn ranked(&mut self, words: &[Cut]) -> Result<()> {
        if let Out::Terminal(out) = &mut self.out {
            terminal::words(out, words, self.style.color)?;
        }
        Ok(())
    }

    fn hits(&mut self, hits: Vec<Hit>) -> Result<()> {
        if self.first == 0 {
            self.first = hits.first().map_or(0, |h| h.rank);
        }
        self.shown += hits.len();
        let label = self.name.as_deref().unwrap_or(&self.query);
        match &mut self.out {
            Out::Terminal(out) if self.style.heading != Heading::Saved => {
                terminal::hits(out, &hits, self.style.color)?
            }
            Out::Terminal(_) | Out::Json(_) => self.held.extend(hits),
            Out::Export(export) => export.hits(label, &hits)?,
        }
        Ok(())
    }

    fn end(&mut self, results: &SearchResults) -> Result<()> {
        let held = std::mem::take(&mut self.held);
        match &mut self.out {
            Out::Json(out) => {
                let shown = SearchResults {
                    hits: held,
                    ..results.clone()
                };
                json::search(out, &shown)?;
            }
            Out::Terminal(out) if self.style.heading == Heading::Saved => {
                let name = self.name.as_deref().unwrap_or(&self.query);
                writeln!(
                    out,
                    "== {}: {} ({} new)",
                    inert(name),
                    inert(&self.query),
                    results.total
                )?;
                terminal::hits(out, &held, self.style.color)?;
            }
            Out::Terminal(out) => {
                if let Some(facets) = &results.facets {
                    terminal::facets(out, facets)?;
                }
                if self.style.count_line {
                    // The results first, then their count: in that order on a terminal.
                    out.flush()?;
                    let shown = if self.style.every_hit { 0 } else { self.shown };
                    eprintln!("{}", terminal::search_footer(results, shown, self.first));
                }
            }
            Out::Export(_) => {}
        }
        Ok(())
    }
}
