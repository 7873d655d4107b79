//! `archivist watch`: saved searches added, listed, removed, and run (see [`crate::watch`]).

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use crate::annotations::{self, Annotations};
use crate::cli::{Format, WatchAction, WatchArgs};
use crate::render::printer::{Heading, Printer, Style};
use crate::render::terminal::inert;
use crate::settings::Settings;
use crate::store::Store;
use crate::{timestamp, watch};

/// 0, or for a run 1 when no saved search had anything new.
pub fn run(args: &WatchArgs, settings: &Settings) -> Result<u8> {
    let mut annotations = Annotations::open(&settings.index_dir)?;
    let (names, format) = match &args.action {
        Some(WatchAction::Add(add)) => {
            annotations.watch(&annotations::Watch {
                name: add.name.clone(),
                query: add.query.join(" "),
                any: add.any,
                fuzzy: add.fuzzy,
                langs: add.lang.join(","),
                seen_to: None,
            })?;
            return Ok(0);
        }
        Some(WatchAction::List) => {
            list(&annotations)?;
            return Ok(0);
        }
        Some(WatchAction::Remove { name }) => {
            if !annotations.unwatch(name)? {
                anyhow::bail!("no saved search named {name:?}");
            }
            return Ok(0);
        }
        Some(WatchAction::Run { names, format }) => (names.clone(), format.or(args.format)),
        None => (Vec::new(), args.format),
    };
    let store = Store::open(&settings.index_dir)?;
    let style = Style {
        color: settings.color,
        csv_raw: args.csv_raw,
        heading: Heading::Saved,
        ..Style::plain()
    };
    let format = super::format(format.unwrap_or(Format::Terminal));
    let mut printer = Printer::new(format, BufWriter::new(io::stdout().lock()), style)?;
    let any_new = watch::run(&store, &mut annotations, &names, &mut printer)?;
    Ok(if any_new { 0 } else { 1 })
}

/// A line per saved search: name, query, options, how far it has seen.
fn list(annotations: &Annotations) -> Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for w in annotations.watches()? {
        let options: Vec<String> = [
            w.any.then(|| "--any".to_string()),
            w.fuzzy.then(|| "--fuzzy".to_string()),
            (!w.langs.is_empty()).then(|| format!("--lang {}", w.langs)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let last = w.seen_to.map_or("never run".to_string(), |m| {
            format!("seen to {}", timestamp::rfc3339(m))
        });
        writeln!(
            out,
            "{}\t{}\t{}\t{last}",
            inert(&w.name),
            inert(&w.query),
            options.join(" ")
        )?;
    }
    out.flush()?;
    Ok(())
}
