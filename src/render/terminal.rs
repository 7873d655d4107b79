//! Human-readable output, coloured only when the settings say so.

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

pub use super::inert::inert;
use crate::entities::Entities;
use crate::ingest::{IngestReport, Kept, Notice, Outcome};
use crate::search::snippet::Snippet;
use crate::search::words::Cut;
use crate::search::{Hit, SearchResults};
use crate::settings::Verbosity;
use crate::status::Status;

struct Palette {
    title: Style,
    path: Style,
    meta: Style,
    hit: Style,
}

impl Palette {
    fn new(color: bool) -> Palette {
        if !color {
            let plain = Style::new();
            return Palette {
                title: plain,
                path: plain,
                meta: plain,
                hit: plain,
            };
        }
        Palette {
            title: Style::new().bold(),
            path: Style::new().fg_color(Some(AnsiColor::Magenta.into())),
            meta: Style::new().dimmed(),
            hit: Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        }
    }
}

/// Writes `text` from a file or the index in `style`, made [`inert`] first: every piece of
/// terminal output that holds words from a file goes through here or through [`inert`].
fn styled(out: &mut impl Write, style: Style, text: &str) -> io::Result<()> {
    write!(
        out,
        "{}{}{}",
        style.render(),
        inert(text),
        style.render_reset()
    )
}

/// The typed words `--explain` shows cut into several, above the hits.
pub fn words(out: &mut impl Write, words: &[Cut], color: bool) -> io::Result<()> {
    let palette = Palette::new(color);
    for cut in words {
        write_cut(out, cut, &palette)?;
    }
    Ok(())
}

/// Hits, as `search` shows them, a chunk at a time.
pub fn hits(out: &mut impl Write, hits: &[Hit], color: bool) -> io::Result<()> {
    let palette = Palette::new(color);
    let cwd = std::env::current_dir().ok();
    for hit in hits {
        write_hit(out, hit, &palette, cwd.as_deref())?;
    }
    Ok(())
}

fn write_hit(out: &mut impl Write, hit: &Hit, p: &Palette, cwd: Option<&Path>) -> io::Result<()> {
    write!(out, "{:>2}. ", hit.rank)?;
    styled(out, p.title, &hit.about.title)?;
    write!(out, "  ")?;
    styled(
        out,
        p.meta,
        &format!(
            "[{}] {:.2}{}{}{}{}",
            hit.about.langs.join(","),
            hit.score,
            hit.tags
                .iter()
                .map(|t| format!(" #{t}"))
                .collect::<String>(),
            if hit.about.ocr.is_some() {
                " [ocr]"
            } else {
                ""
            },
            if hit.romanized { " romanized" } else { "" },
            if hit.variants.is_empty() {
                String::new()
            } else {
                format!(" via {}", hit.variants.join(", "))
            }
        ),
    )?;
    writeln!(out)?;
    let relative = |key: &str| relative(key, cwd);
    write!(out, "    ")?;
    match hit.about.part.as_deref() {
        // A container's member: the path that names both, `donation.zip!/letters/1947.docx`.
        Some(member) if member.starts_with("!/") => {
            styled(
                out,
                p.path,
                &format!("{}{member}", relative(&hit.about.path)),
            )?;
        }
        Some(part) => {
            styled(out, p.path, &relative(&hit.about.path))?;
            styled(out, p.meta, &format!(" ({part})"))?;
        }
        None => styled(out, p.path, &relative(&hit.about.path))?,
    }
    let byline: Vec<&str> = [hit.about.author.as_deref(), hit.about.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !byline.is_empty() {
        styled(out, p.meta, &format!("  {}", byline.join(", ")))?;
    }
    writeln!(out)?;
    for copy in &hit.copies {
        write!(out, "    ")?;
        styled(out, p.meta, &format!("same content: {}", relative(copy)))?;
        writeln!(out)?;
    }
    if !hit.near_copies.is_empty() {
        const SHOWN: usize = 3;
        let mut near: Vec<String> = hit
            .near_copies
            .iter()
            .take(SHOWN)
            .map(|n| {
                let part = match n.part.as_deref() {
                    Some(member) if member.starts_with("!/") => member.to_string(),
                    Some(part) => format!(" ({part})"),
                    None => String::new(),
                };
                format!("{}{part} {:.0}%", relative(&n.path), n.similarity * 100.0)
            })
            .collect();
        if hit.near_count > near.len() {
            near.push(format!("+{} more", hit.near_count - near.len()));
        }
        write!(out, "    ")?;
        styled(
            out,
            p.meta,
            &format!("nearly the same: {}", near.join(", ")),
        )?;
        writeln!(out)?;
    }
    if let Some(place) = &hit.thread {
        let what = match place.attached_to {
            Some(_) => "attached to message",
            None => "message",
        };
        write!(out, "    ")?;
        styled(
            out,
            p.meta,
            &format!(
                "thread {}: {what} {} of {}",
                place.thread, place.position, place.messages
            ),
        )?;
        writeln!(out)?;
    }
    write_entities(out, &hit.about.entities, p)?;
    if let Some(note) = &hit.note {
        write!(out, "    ")?;
        // The archivist's own words, on one line (line breaks shown as `\n`).
        styled(out, p.meta, &format!("note: {note}"))?;
        writeln!(out)?;
    }
    for snippet in &hit.snippets {
        write_snippet(out, snippet, p)?;
    }
    if let Some(explanation) = &hit.explanation {
        write_explanation(out, explanation, p)?;
    }
    writeln!(out)
}

/// A path key as shown: relative to the working folder `cwd` when under it, and readable when
/// the name is not UTF-8.
pub fn relative(key: &str, cwd: Option<&Path>) -> String {
    let shown = crate::path_key::shown(key);
    let path = Path::new(&shown);
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Who and how to reach them: the e-mail addresses, phone numbers and IBANs a hit names, a
/// line (the first few of each; `--json` has them all). URLs and domains are left to `--json`
/// and the facets: manuals are full of them.
fn write_entities(out: &mut impl Write, entities: &Entities, p: &Palette) -> io::Result<()> {
    const SHOWN: usize = 3;
    let parts: Vec<String> = [
        ("e-mail", &entities.emails),
        ("phone", &entities.phones),
        ("IBAN", &entities.ibans),
    ]
    .into_iter()
    .filter(|(_, values)| !values.is_empty())
    .map(|(name, values)| {
        let more = values.len().saturating_sub(SHOWN);
        let more = if more > 0 {
            format!(" (+{more})")
        } else {
            String::new()
        };
        format!(
            "{name}: {}{more}",
            values[..values.len().min(SHOWN)].join(", ")
        )
    })
    .collect();
    if !parts.is_empty() {
        write!(out, "    ")?;
        styled(out, p.meta, &parts.join(" · "))?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_snippet(out: &mut impl Write, snippet: &Snippet, p: &Palette) -> io::Result<()> {
    write!(out, "    ")?;
    if let Some(page) = snippet.page {
        styled(out, p.meta, &format!("p. {page}"))?;
        write!(out, " ")?;
    }
    write!(out, "{}", if snippet.cut_start { "…" } else { "" })?;
    let mut at = 0;
    for &(from, to) in &snippet.highlights {
        write!(out, "{}", inert(&snippet.text[at..from]))?;
        if p.hit == Style::new() {
            // Without colour, mark matches so they are still visible.
            write!(out, "[{}]", inert(&snippet.text[from..to]))?;
        } else {
            styled(out, p.hit, &snippet.text[from..to])?;
        }
        at = to;
    }
    writeln!(
        out,
        "{}{}",
        inert(&snippet.text[at..]),
        if snippet.cut_end { "…" } else { "" }
    )
}

/// `--explain`: the words a typed word without spaces was cut into, the optional ones in
/// parentheses, and those left out.
fn write_cut(out: &mut impl Write, cut: &Cut, p: &Palette) -> io::Result<()> {
    let kept: Vec<String> = cut
        .pieces
        .iter()
        .filter(|piece| !cut.left_out(piece))
        .map(|piece| {
            if cut.optional(piece) {
                format!("({})", piece.text)
            } else {
                piece.text.clone()
            }
        })
        .collect();
    let left_out = cut.texts(Cut::left_out);
    let mut line = format!("words: {} -> {}", cut.typed, kept.join(" | "));
    if !left_out.is_empty() {
        line.push_str(&format!(" (left out: {})", left_out.join(" ")));
    }
    styled(out, p.meta, &line)?;
    writeln!(out)
}

/// `--explain`: what each matching clause added to the score.
fn write_explanation(
    out: &mut impl Write,
    clauses: &[(String, f32)],
    p: &Palette,
) -> io::Result<()> {
    for (clause, score) in clauses {
        write!(out, "      ")?;
        styled(out, p.meta, &format!("{score:>7.3}  {clause}"))?;
        writeln!(out)?;
    }
    Ok(())
}

/// `--facets`: counts over the whole result set.
pub fn facets(out: &mut impl Write, facets: &crate::search::execute::Facets) -> io::Result<()> {
    fn line<K: std::fmt::Display>(
        out: &mut impl Write,
        name: &str,
        counts: &[(K, u64)],
    ) -> io::Result<()> {
        let shown: Vec<String> = counts
            .iter()
            .take(20)
            .map(|(k, n)| format!("{} {n}", inert(&k.to_string())))
            .collect();
        let more = if counts.len() > 20 {
            format!(", … ({} more)", counts.len() - 20)
        } else {
            String::new()
        };
        writeln!(out, "  {name:<8}{}{more}", shown.join(", "))
    }
    writeln!(out, "facets")?;
    line(out, "lang", &facets.langs)?;
    line(out, "year", &facets.years)?;
    if !facets.months.is_empty() {
        line(out, "month", &facets.months)?;
    }
    line(out, "folder", &facets.folders)?;
    if !facets.tags.is_empty() {
        line(out, "tag", &facets.tags)?;
    }
    if !facets.names.is_empty() {
        line(out, "name", &facets.names)?;
    }
    for (kind, values) in &facets.entities {
        if !values.is_empty() {
            line(out, kind.name(), values)?;
        }
    }
    if facets.near.groups > 0 {
        writeln!(
            out,
            "  near    {} groups of near copies, {} documents (--collapse near folds them)",
            facets.near.groups, facets.near.documents
        )?;
    }
    Ok(())
}

/// The one-line count printed on stderr after the results: `shown` hits were printed from rank
/// `first` on (none: the count alone).
pub fn search_footer(results: &SearchResults, shown: usize, first: usize) -> String {
    let noun = if results.total == 1 {
        "result"
    } else {
        "results"
    };
    let count = if shown == 0 || shown == results.total {
        format!(
            "{} {noun} ({:.1} ms)",
            results.total,
            results.elapsed.as_secs_f64() * 1e3
        )
    } else {
        format!(
            "{} {noun}, showing {}-{} ({:.1} ms)",
            results.total,
            first,
            first + shown - 1,
            results.elapsed.as_secs_f64() * 1e3
        )
    };
    if results.ignored.is_empty() {
        count
    } else {
        format!(
            "{count}; left out as function words: {}",
            inert(&results.ignored.join(" "))
        )
    }
}

pub fn status(out: &mut impl Write, status: &Status) -> io::Result<()> {
    writeln!(
        out,
        "index        {}",
        inert(&status.index.display().to_string())
    )?;
    writeln!(out, "documents    {}", status.documents)?;
    writeln!(
        out,
        "languages    documents (main)  documents (any text)  share of text"
    )?;
    let mut langs: Vec<_> = status.containing.iter().collect();
    langs.sort_by(|a, b| {
        let share = |l: &str| status.text_share.get(l).copied().unwrap_or(0.0);
        share(b.0).total_cmp(&share(a.0)).then(a.0.cmp(b.0))
    });
    for (lang, any) in langs {
        let main = status.languages.get(lang).copied().unwrap_or(0);
        let share = status.text_share.get(lang).copied().unwrap_or(0.0) * 100.0;
        writeln!(out, "  {lang:<10} {main:>16}  {any:>20}  {share:>12.1}%")?;
    }
    writeln!(out, "size         {:.1} MB", status.size_bytes as f64 / 1e6)?;
    let last = status
        .last_ingest
        .map_or_else(|| "never".to_string(), super::rfc3339);
    let partial = if status.partial {
        " (a later ingest was interrupted; run ingest again)"
    } else {
        ""
    };
    writeln!(out, "last ingest  {last}{partial}")
}

/// `verify`: one line per file that is not ok, then the counts.
pub fn verify(out: &mut impl Write, verification: &crate::verify::Verification) -> io::Result<()> {
    use crate::verify::Fixity;
    for file in &verification.files {
        let what = match file.status {
            Fixity::Ok => continue,
            Fixity::Changed => "changed",
            Fixity::Missing => "missing",
            Fixity::Unreadable => "unreadable",
        };
        match &file.found {
            Some(detail) if file.status == Fixity::Unreadable => {
                writeln!(out, "{what:<10} {} ({})", inert(&file.path), inert(detail))?
            }
            _ => writeln!(out, "{what:<10} {}", inert(&file.path))?,
        }
    }
    writeln!(
        out,
        "{} ok, {} changed, {} missing, {} unreadable",
        verification.ok, verification.changed, verification.missing, verification.unreadable
    )
}

/// The line an ingest prints at the end of a batch.
pub fn ingest_summary(report: &IngestReport) -> String {
    let mut line = format!(
        "{} added, {} updated, {} unchanged, {} removed, {} failed, {} skipped ({:.1} MB in {:.2} s)",
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
        report.failed,
        report.skipped,
        report.bytes as f64 / 1e6,
        report.elapsed.as_secs_f64()
    );
    if report.too_large > 0 {
        line.push_str(&format!(
            "; {} of the skipped too large to be read whole (see --max-file-size)",
            report.too_large
        ));
    }
    if report.duplicates > 0 {
        line.push_str(&format!(
            "; {} with the same content as another file",
            report.duplicates
        ));
    }
    if report.ocr_pages > 0 {
        line.push_str(&format!("; {} pages read by OCR", report.ocr_pages));
    }
    line
}

/// The stderr line for what an ingest tells as it goes, if `verbosity` shows it: a file
/// skipped or failed (with the reason) always, but with `--quiet`; each file read, removed or
/// variants file kept only with `--verbose`.
pub fn ingest_notice(notice: &Notice, verbosity: Verbosity) -> Option<String> {
    let (level, line) = match notice {
        Notice::File { file, language } => match (&file.reason, file.outcome, file.format) {
            (Some(reason), kind, _) => (
                Verbosity::Normal,
                format!("archivist: {} {}: {reason}", kind.verb(), file.path),
            ),
            (None, Outcome::Removed, _) => (Verbosity::Verbose, format!("removed {}", file.path)),
            (None, kind, Some(format)) => {
                let same = file
                    .duplicate_of
                    .as_ref()
                    .map(|d| format!(", same content as {d}"))
                    .unwrap_or_default();
                let language = language.unwrap_or_default();
                let mut line =
                    format!("{} {} ({format}, {language}{same})", kind.verb(), file.path);
                let left_out = pages(file, |kept| kept == Kept::Nothing);
                if !left_out.is_empty() {
                    // Text that was not indexed is told at every verbosity but --quiet.
                    return (verbosity >= Verbosity::Normal).then(|| {
                        inert(&format!(
                            "archivist: {} {}: {left_out} not indexed: garbled text layer, \
                             and OCR cannot run",
                            kind.verb(),
                            file.path
                        ))
                        .into_owned()
                    });
                }
                let read_again = pages(file, |kept| kept != Kept::Nothing);
                if !read_again.is_empty() {
                    line.push_str(&format!("; {read_again} read by OCR: garbled text layer"));
                }
                (Verbosity::Verbose, line)
            }
            // Unchanged files that were not read.
            (None, _, None) => return None,
        },
        Notice::Variants { path } => (Verbosity::Verbose, format!("variants {path}")),
        Notice::ToolMissing(missing) => (
            Verbosity::Normal,
            format!(
                "archivist: read {} (apt-get install {})",
                missing.wanted_for, missing.package
            ),
        ),
        Notice::OcrModelMissing(missing) => (
            Verbosity::Normal,
            format!(
                "archivist: OCR read pages in {} without their own model (apt-get install {})",
                missing.wanted_for, missing.package
            ),
        ),
        Notice::VariantsNotKept { dir, error } => (
            Verbosity::Normal,
            format!(
                "archivist: cannot keep the variants in {}: {error}",
                dir.display()
            ),
        ),
    };
    // Names, reasons and members all come from the file.
    (verbosity >= level).then(|| inert(&line).into_owned())
}

/// `page 3` or `pages 2, 5, 7` (with their documents' parts) of a file's garbled pages that
/// `which` keeps; empty when none.
fn pages(file: &crate::ingest::FileOutcome, which: impl Fn(Kept) -> bool) -> String {
    let numbers: Vec<String> = file
        .reread
        .iter()
        .filter(|r| which(r.page.kept))
        .map(|r| match &r.part {
            Some(part) => format!("{} ({part})", r.page.page),
            None => r.page.page.to_string(),
        })
        .collect();
    match numbers.len() {
        0 => String::new(),
        1 => format!("page {}", numbers[0]),
        _ => format!("pages {}", numbers.join(", ")),
    }
}
