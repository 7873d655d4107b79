//! archivist: full-text search for multilingual archives.
//!
//! Parses the command line once into [`settings::Settings`], runs one subcommand, and maps the
//! outcome to an exit code the way grep does: 0 found (or done), 1 nothing found, 2 error.
//!
//! [`cli`] is what the user typed, [`settings`] what each stage receives. [`ingest`] (files in,
//! index out) and [`search`] (query in, results out) share only the rooms above them: [`analysis`],
//! [`schema`], [`store`], [`variants`], [`timestamp`], [`path_key`] and [`annotations`] (tags,
//! notes and saved searches, beside the index). [`status`] and [`verify`] read the index for
//! their commands, [`serve`] answers a browser and [`watch`] runs saved searches (both through
//! search), [`batch`] reads a `--batch` file; [`render`] formats every result.

mod analysis;
mod annotations;
mod batch;
mod bounded;
mod cli;
mod ingest;
mod path_key;
mod render;
mod schema;
mod search;
mod serve;
mod settings;
mod status;
mod store;
mod timestamp;
mod variants;
mod verify;
mod watch;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};

use annotations::{Annotations, Marked};
use cli::{
    Cli, Command, Format, IngestArgs, NoteArgs, SearchArgs, ServeArgs, TagAction, WatchAction,
    WatchArgs,
};
use ingest::IngestOptions;
use render::terminal::inert;
use settings::{DEFAULT_CORPUS, Settings, Verbosity};
use store::{Store, StoreError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings::resolve(&cli.global);
    match run(cli.command, &settings) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("archivist: error: {}", inert(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

fn run(command: Command, settings: &Settings) -> Result<u8> {
    match command {
        Command::Ingest(args) => run_ingest(&args, settings),
        Command::Search(args) => run_search(&args, settings),
        Command::Serve(args) => run_serve(&args, settings),
        Command::Tag { action } => run_tag(&action, settings),
        Command::Note(args) => run_note(&args, settings),
        Command::Watch(args) => run_watch(&args, settings),
        Command::Verify(args) => {
            let verification = verify::verify(&Store::open(&settings.index_dir)?)?;
            let mut out = BufWriter::new(io::stdout().lock());
            if args.json {
                render::json::verify(&mut out, &verification)?;
            } else {
                render::terminal::verify(&mut out, &verification)?;
            }
            out.flush()?;
            Ok(if verification.all_ok() { 0 } else { 1 })
        }
        Command::Status(args) => {
            let status = status::gather(&Store::open(&settings.index_dir)?)?;
            let mut out = BufWriter::new(io::stdout().lock());
            if args.json {
                render::json::status(&mut out, &status)?;
            } else {
                render::terminal::status(&mut out, &status)?;
            }
            out.flush()?;
            Ok(0)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "archivist", &mut io::stdout());
            Ok(0)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(0)
        }
    }
}

fn run_ingest(args: &IngestArgs, settings: &Settings) -> Result<u8> {
    let inputs = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    let options = IngestOptions {
        inputs,
        max_file_size: args.max_file_size,
        max_read_time: args.max_read_time,
        follow_links: args.follow_links,
        commit_every: args.commit_every,
        ocr: !args.no_ocr,
        ocr_languages: args.ocr_languages.clone(),
        ocr_cache: args.ocr_cache.clone(),
    };
    let report = ingest::run(settings, &options, &|n| {
        render::terminal::ingest_notice(n, settings.verbosity)
    })?;
    if settings.verbosity > Verbosity::Quiet {
        eprintln!("{}", render::terminal::ingest_summary(&report));
    }
    if let Some(path) = &args.report {
        let mut json = Vec::new();
        render::json::ingest_report(&mut json, &report)?;
        std::fs::write(path, json)
            .with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    if args.watch {
        let store = Store::open(&settings.index_dir)?;
        let mut marks = Annotations::open(&settings.index_dir)?;
        let printing = watch::Printing {
            format: Format::Terminal,
            color: settings.color,
            csv_raw: false,
        };
        let mut out = BufWriter::new(io::stdout().lock());
        watch::run(&store, &mut marks, &[], &printing, &mut out)?;
        out.flush()?;
    }
    Ok(if report.failed > 0 { 2 } else { 0 })
}

/// The index to search: the default one is built from the bundled corpus on first use, and
/// one written by a version of archivist that analyzed text differently is rebuilt rather than
/// refused; any other is opened as it is.
fn open_for_search(settings: &Settings) -> Result<Store> {
    let corpus = Path::new(DEFAULT_CORPUS);
    let bundled = settings.default_index && corpus.is_dir();
    Ok(match Store::open(&settings.index_dir) {
        Err(StoreError::Incompatible(_)) if bundled => {
            if settings.verbosity > Verbosity::Quiet {
                eprintln!(
                    "archivist: {}/ was built by another version of archivist; rebuilding it",
                    settings.index_dir.display()
                );
            }
            std::fs::remove_dir_all(&settings.index_dir)
                .with_context(|| format!("cannot remove {}", settings.index_dir.display()))?;
            build_from_corpus(settings, corpus)?
        }
        Err(StoreError::NotFound(_)) if bundled => build_from_corpus(settings, corpus)?,
        opened => opened?,
    })
}

/// `--variants FILE`, else the copy `ingest` keeps in the index, else none.
fn load_variants(chosen: Option<&Path>, index_dir: &Path) -> Result<variants::Variants> {
    match chosen {
        Some(path) => Ok(variants::Variants::load(path)?),
        None => Ok(variants::Variants::kept(index_dir)?),
    }
}

/// Ingests the bundled corpus into the default index and opens it.
fn build_from_corpus(settings: &Settings, corpus: &Path) -> Result<Store> {
    if settings.verbosity > Verbosity::Quiet {
        eprintln!(
            "archivist: no index yet; building {}/ from {}/ first",
            settings.index_dir.display(),
            corpus.display()
        );
    }
    let options = IngestOptions {
        inputs: vec![corpus.to_path_buf()],
        max_file_size: cli::DEFAULT_MAX_FILE_SIZE,
        max_read_time: cli::DEFAULT_MAX_READ_TIME,
        follow_links: false,
        commit_every: None,
        ocr: true,
        ocr_languages: None,
        ocr_cache: None,
    };
    let report = ingest::run(settings, &options, &|n| {
        render::terminal::ingest_notice(n, settings.verbosity)
    })?;
    if settings.verbosity > Verbosity::Quiet {
        eprintln!("{}", render::terminal::ingest_summary(&report));
    }
    Ok(Store::open(&settings.index_dir)?)
}

fn run_serve(args: &ServeArgs, settings: &Settings) -> Result<u8> {
    let token = match (&args.token, args.new_token) {
        (Some(token), _) => Some(token.clone()),
        (None, true) => Some(serve::new_token()?),
        (None, false) => None,
    };
    let store = open_for_search(settings)?;
    serve::run(
        store,
        serve::ServeOptions {
            bind: args.bind,
            token,
            allow_hosts: args.allow_host.clone(),
        },
    )
}

fn run_search(args: &SearchArgs, settings: &Settings) -> Result<u8> {
    let store = open_for_search(settings)?;
    let variants = load_variants(args.variants.as_deref(), &settings.index_dir)?;
    let marks = Annotations::existing(&settings.index_dir)?;
    let tagged = match &marks {
        Some(marks) => marks.tagged()?,
        None => Default::default(),
    };
    let queries = match (&args.batch, args.batch_variants) {
        (Some(file), _) => batch::queries(file)?,
        (None, true) => variants.group_queries(),
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
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut export = match format {
        Format::Csv => Some(render::export::Export::csv(&mut out, args.csv_raw)?),
        Format::Jsonl => Some(render::export::Export::jsonl(&mut out)),
        Format::Terminal | Format::Json => None,
    };
    let (mut found, mut failed) = (false, false);
    for query in &queries {
        let request = search::SearchRequest {
            query: query.clone(),
            limit: args.limit,
            offset: args.offset,
            options: search::QueryOptions {
                langs: args.lang.clone(),
                any: args.any,
                variants: variants.clone(),
                fuzzy: args.fuzzy,
                tagged: tagged.clone(),
            },
            snippets: args.snippets,
            facets: args.facets,
            explain: args.explain,
            all: args.all,
        };
        let outcome = match &mut export {
            Some(export) => {
                search::search_into(&store, &searcher, &request, &mut |mut hits: Vec<_>| {
                    if let Some(marks) = &marks {
                        search::annotate(marks, &mut hits)?;
                    }
                    Ok(export.hits(query, &hits)?)
                })
            }
            None => print_search(
                (&store, &searcher, marks.as_ref()),
                &request,
                format,
                batch,
                settings,
            ),
        };
        match outcome {
            Ok(results) => found |= results.total > 0,
            // In a batch a malformed query is told and the others still run.
            Err(e) if batch && is_query_error(&e) => {
                eprintln!(
                    "archivist: error: query {}",
                    inert(&format!("{query:?}: {e:#}"))
                );
                failed = true;
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(export) = &mut export {
        export.flush()?;
    }
    drop(export);
    out.flush()?;
    Ok(if failed {
        2
    } else if found {
        0
    } else {
        1
    })
}

/// One query's results in the terminal or as JSON, and its footer on stderr; in a batch, the
/// terminal shows each query above its hits. With `--all` the terminal gets every hit as it
/// is built.
fn print_search(
    (store, searcher, marks): (&Store, &tantivy::Searcher, Option<&Annotations>),
    request: &search::SearchRequest,
    format: Format,
    batch: bool,
    settings: &Settings,
) -> Result<search::SearchResults> {
    let mut out = BufWriter::new(io::stdout().lock());
    if batch && format == Format::Terminal {
        writeln!(out, "== {}", inert(&request.query))?;
    }
    let results = if request.all {
        search::search_into(store, searcher, request, &mut |mut hits: Vec<_>| {
            if let Some(marks) = marks {
                search::annotate(marks, &mut hits)?;
            }
            Ok(render::terminal::hits(&mut out, &hits, settings.color)?)
        })?
    } else {
        let mut results = search::search_with(store, searcher, request)?;
        if let Some(marks) = marks {
            search::annotate(marks, &mut results.hits)?;
        }
        results
    };
    match format {
        Format::Json => render::json::search(&mut out, &results)?,
        _ => render::terminal::search(&mut out, &results, settings.color)?,
    }
    out.flush()?;
    if format == Format::Terminal && settings.verbosity > Verbosity::Quiet {
        eprintln!("{}", render::terminal::search_footer(&results));
    }
    Ok(results)
}

/// Whether an error is the query's own (malformed), not the index's or the output's.
fn is_query_error(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<search::query::QueryError>().is_some())
}

fn run_tag(action: &TagAction, settings: &Settings) -> Result<u8> {
    let mut marks = Annotations::open(&settings.index_dir)?;
    let (args, adding) = match action {
        TagAction::List => {
            let mut out = BufWriter::new(io::stdout().lock());
            for (tag, count) in marks.tags()? {
                writeln!(out, "{}\t{count}", inert(&tag))?;
            }
            out.flush()?;
            return Ok(0);
        }
        TagAction::Add(args) => (args, true),
        TagAction::Remove(args) => (args, false),
    };
    if args.tag.trim().is_empty() {
        anyhow::bail!("a tag needs a name");
    }
    let store = Store::open(&settings.index_dir)?;
    let docs = match &args.query {
        Some(query) => every_hit(&store, settings, query)?,
        None => documents_at(&store, &args.paths)?,
    };
    let changed = if adding {
        marks.tag(&args.tag, &docs)?
    } else {
        marks.untag(&args.tag, &docs)?
    };
    if settings.verbosity > Verbosity::Quiet {
        let verb = if adding { "tagged" } else { "untagged" };
        eprintln!(
            "{verb} {changed} of {} documents: {}",
            docs.len(),
            inert(&args.tag)
        );
    }
    Ok(if docs.is_empty() { 1 } else { 0 })
}

fn run_note(args: &NoteArgs, settings: &Settings) -> Result<u8> {
    let store = Store::open(&settings.index_dir)?;
    let docs = documents_at(&store, std::slice::from_ref(&args.path))?;
    let mut marks = Annotations::open(&settings.index_dir)?;
    let text = if args.clear {
        None
    } else {
        args.text.as_deref()
    };
    for doc in &docs {
        marks.note(doc, text)?;
    }
    Ok(0)
}

/// Every document of each indexed file at `paths`; a path not in the index is an error.
fn documents_at(store: &Store, paths: &[PathBuf]) -> Result<Vec<Marked>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for path in paths {
        let absolute = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .with_context(|| format!("{}: not a usable path", path.display()))?;
        let key = path_key::key_of(&absolute);
        let found = search::document::at_path(store, &searcher, &key)?;
        if found.is_empty() {
            anyhow::bail!("{} is not in the index", path.display());
        }
        out.extend(found.iter().map(search::marked));
    }
    Ok(out)
}

/// Every hit of `query`, as marks name them.
fn every_hit(store: &Store, settings: &Settings, query: &str) -> Result<Vec<Marked>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let request = search::SearchRequest {
        query: query.to_string(),
        limit: 0,
        offset: 0,
        options: search::QueryOptions {
            variants: load_variants(None, &settings.index_dir)?,
            tagged: match Annotations::existing(&settings.index_dir)? {
                Some(marks) => marks.tagged()?,
                None => Default::default(),
            },
            ..Default::default()
        },
        snippets: 0,
        facets: false,
        explain: false,
        all: true,
    };
    let mut out = Vec::new();
    search::search_into(store, &searcher, &request, &mut |hits: Vec<search::Hit>| {
        out.extend(hits.iter().map(|h| search::marked(&h.about)));
        Ok(())
    })?;
    Ok(out)
}

fn run_watch(args: &WatchArgs, settings: &Settings) -> Result<u8> {
    let mut marks = Annotations::open(&settings.index_dir)?;
    let (names, format) = match &args.action {
        Some(WatchAction::Add(add)) => {
            marks.watch(&annotations::Watch {
                name: add.name.clone(),
                query: add.query.join(" "),
                any: add.any,
                fuzzy: add.fuzzy,
                langs: add.lang.join(","),
                mark: None,
            })?;
            return Ok(0);
        }
        Some(WatchAction::List) => {
            let mut out = BufWriter::new(io::stdout().lock());
            for w in marks.watches()? {
                let options: Vec<String> = [
                    w.any.then(|| "--any".to_string()),
                    w.fuzzy.then(|| "--fuzzy".to_string()),
                    (!w.langs.is_empty()).then(|| format!("--lang {}", w.langs)),
                ]
                .into_iter()
                .flatten()
                .collect();
                let last = w.mark.map_or("never run".to_string(), |m| {
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
            return Ok(0);
        }
        Some(WatchAction::Remove { name }) => {
            if !marks.unwatch(name)? {
                anyhow::bail!("no saved search named {name:?}");
            }
            return Ok(0);
        }
        Some(WatchAction::Run { names, format }) => (names.clone(), format.or(args.format)),
        None => (Vec::new(), args.format),
    };
    let store = Store::open(&settings.index_dir)?;
    let printing = watch::Printing {
        format: format.unwrap_or(Format::Terminal),
        color: settings.color,
        csv_raw: args.csv_raw,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let any_new = watch::run(&store, &mut marks, &names, &printing, &mut out)?;
    out.flush()?;
    Ok(if any_new { 0 } else { 1 })
}
