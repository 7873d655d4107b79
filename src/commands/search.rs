//! `archivist search`: one query, or a batch (`--batch FILE`, `--batch-variants`), run on the
//! index (built from the bundled corpus on first use) and printed in the format asked for, all
//! through one [`Printer`].

use std::io::{self, BufWriter};

use anyhow::Result;

use super::index::{open_for_search, variants_for};
use crate::annotations::Annotations;
use crate::batch;
use crate::cli::{Collapse, Format, SearchArgs};
use crate::render::printer::{Heading, Printer, Style};
use crate::render::terminal::inert;
use crate::search::near::Threshold;
use crate::search::{self, Annotated, QueryOptions, SearchRequest};
use crate::settings::{Settings, Verbosity};

/// 0 when a query found something, 1 when none did, 2 when a query of a batch was malformed.
pub fn run(args: &SearchArgs, settings: &Settings) -> Result<u8> {
    let store = open_for_search(settings)?;
    let variants = variants_for(args.variants.as_deref(), &settings.index_dir)?;
    let annotations = Annotations::existing(&settings.index_dir)?;
    let options = QueryOptions::of_index(variants, annotations.as_ref())?
        .langs(args.lang.clone())
        .any(args.any)
        .fuzzy(args.fuzzy);
    let queries = match (&args.batch, args.batch_variants) {
        (Some(file), _) => batch::queries(file)?,
        (None, true) => options.variants.group_queries(),
        (None, false) => vec![args.query.join(" ")],
    };
    let batch = args.batch.is_some() || args.batch_variants;
    let format = match (args.json, args.format) {
        (true, _) => Format::Json,
        (false, chosen) => chosen.unwrap_or(Format::Terminal),
    };
    if args.all && format == Format::Json {
        anyhow::bail!("--all streams its hits: use --format jsonl or csv, or the terminal");
    }
    let style = Style {
        color: settings.color,
        csv_raw: args.csv_raw,
        heading: if batch { Heading::Query } else { Heading::None },
        count_line: format == Format::Terminal && settings.verbosity > Verbosity::Quiet,
        every_hit: args.all,
    };
    let out = BufWriter::new(io::stdout().lock());
    let mut printer = Printer::new(super::format(format), out, style)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let (mut found, mut failed) = (false, false);
    for query in &queries {
        let request = SearchRequest::new(query.clone())
            .limit(args.limit)
            .offset(args.offset)
            .options(options.clone())
            .snippets(args.snippets)
            .facets(args.facets)
            .explain(args.explain)
            .all(args.all)
            .collapse_near(args.collapse == Some(Collapse::Near))
            .near(Threshold(args.near_threshold));
        let mut sink = Annotated {
            annotations: annotations.as_ref(),
            inner: &mut printer,
        };
        match search::search_into(&store, &searcher, &request, &mut sink) {
            Ok(results) => found |= results.total > 0,
            // In a batch a malformed query is told and the others still run.
            Err(e) if batch && is_query_error(&e) => {
                printer.finish()?;
                eprintln!(
                    "archivist: error: query {}",
                    inert(&format!("{query:?}: {e:#}"))
                );
                failed = true;
            }
            Err(e) => return Err(e),
        }
    }
    printer.finish()?;
    Ok(if failed {
        2
    } else if found {
        0
    } else {
        1
    })
}

/// Whether an error is the query's own (malformed), not the index's or the output's.
fn is_query_error(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<search::query::QueryError>().is_some())
}
