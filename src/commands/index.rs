//! `status` and `verify`, which report on an index, and opening an index to search: the default
//! one is built from the bundled corpus on first use.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::ingest::{self, IngestOptions};
use crate::render;
use crate::settings::{DEFAULT_CORPUS, Settings, Verbosity};
use crate::store::{Store, StoreError};
use crate::{status, variants, verify as fixity};

/// `archivist status`: 0.
pub fn status(json: bool, settings: &Settings) -> Result<u8> {
    let status = status::gather(&Store::open(&settings.index_dir)?)?;
    print(
        json,
        |out| render::json::status(out, &status),
        |out| render::terminal::status(out, &status),
    )?;
    Ok(0)
}

/// `archivist verify`: 0 when every file is as it was indexed, else 1.
pub fn verify(json: bool, settings: &Settings) -> Result<u8> {
    let verification = fixity::verify(&Store::open(&settings.index_dir)?)?;
    print(
        json,
        |out| render::json::verify(out, &verification),
        |out| render::terminal::verify(out, &verification),
    )?;
    Ok(if verification.all_ok() { 0 } else { 1 })
}

type Stdout = BufWriter<io::StdoutLock<'static>>;

/// A report on stdout, as JSON or as text.
fn print(
    json: bool,
    as_json: impl FnOnce(&mut Stdout) -> io::Result<()>,
    as_text: impl FnOnce(&mut Stdout) -> io::Result<()>,
) -> Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    if json {
        as_json(&mut out)?;
    } else {
        as_text(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// The index to search: the default one is built from the bundled corpus on first use, and
/// one written by a version of archivist that analyzed text differently is rebuilt rather than
/// refused; any other is opened as it is.
pub fn open_for_search(settings: &Settings) -> Result<Store> {
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
pub fn variants_for(chosen: Option<&Path>, index_dir: &Path) -> Result<variants::Variants> {
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
        progress: settings.progress,
        ..IngestOptions::new(settings.index_dir.clone(), vec![corpus.to_path_buf()])
    };
    let report = ingest::run(&options, &|n| {
        render::terminal::ingest_notice(n, settings.verbosity)
    })?;
    if settings.verbosity > Verbosity::Quiet {
        eprintln!("{}", render::terminal::ingest_summary(&report));
    }
    Ok(Store::open(&settings.index_dir)?)
}
