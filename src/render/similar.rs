//! `similar`'s output: the source document and its distinctive terms, then the closest
//! documents as `search` shows them, each with the terms it shares. JSON:
//! `{"document": {"id", "path", "part", "title"}, "terms": [...], "elapsed_ms",
//! "hits": [HIT]}`, each HIT a hit of `search --json` with `"shared": [...]`.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{HitJson, hit_json};
use super::terminal::{self, inert};
use crate::search::similar::Similar;

#[derive(Serialize)]
struct SimilarJson<'a> {
    document: Source<'a>,
    terms: &'a [String],
    elapsed_ms: f64,
    hits: Vec<Like<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    path: String,
    part: Option<&'a str>,
    title: &'a str,
}

#[derive(Serialize)]
struct Like<'a> {
    #[serde(flatten)]
    hit: HitJson<'a>,
    shared: &'a [String],
}

pub fn json(out: &mut impl Write, similar: &Similar) -> io::Result<()> {
    let source = &similar.source;
    let value = SimilarJson {
        document: Source {
            id: &source.id,
            path: crate::path_key::shown(&source.path),
            part: source.part.as_deref(),
            title: &source.title,
        },
        terms: &similar.terms,
        elapsed_ms: (similar.elapsed.as_secs_f64() * 10_000.0).round() / 10.0,
        hits: similar
            .hits
            .iter()
            .zip(&similar.shared)
            .map(|(hit, shared)| Like {
                hit: hit_json(hit),
                shared,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)
}

/// `like: TITLE (PATH)` and its terms, then each hit with a line of the terms it shares.
pub fn terminal(out: &mut impl Write, similar: &Similar, color: bool) -> io::Result<()> {
    let source = &similar.source;
    // Relative to the working folder, as the hits' paths are.
    let path = terminal::relative(&source.path, std::env::current_dir().ok().as_deref());
    let title = if source.title.is_empty() {
        &path
    } else {
        &source.title
    };
    writeln!(out, "like: {} ({})", inert(title), inert(&path))?;
    writeln!(out, "terms: {}", inert(&similar.terms.join(", ")))?;
    writeln!(out)?;
    for (hit, shared) in similar.hits.iter().zip(&similar.shared) {
        // The hit as `search` shows it, with the terms it shares before the blank line after it.
        let mut shown = Vec::new();
        terminal::hits(&mut shown, std::slice::from_ref(hit), color)?;
        if shown.ends_with(b"\n\n") {
            shown.pop();
        }
        out.write_all(&shown)?;
        writeln!(out, "    shared: {}", inert(&shared.join(", ")))?;
        writeln!(out)?;
    }
    Ok(())
}
