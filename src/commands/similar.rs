//! `archivist similar PATH|ID`: the documents most like one, from the index (built from the
//! bundled corpus on first use).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Result;

use super::index::{open_for_search, variants_for};
use crate::cli::SimilarArgs;
use crate::path_key;
use crate::render::terminal::inert;
use crate::search::{self, QueryOptions};
use crate::settings::Settings;
use crate::store::Store;

/// 0 when documents like it were found, 1 when none was.
pub fn run(args: &SimilarArgs, settings: &Settings) -> Result<u8> {
    let store = open_for_search(settings)?;
    let variants = variants_for(args.variants.as_deref(), &settings.index_dir)?;
    let options = QueryOptions::of_index(variants, None)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let id = id_of(&store, &searcher, &args.document)?;
    let Some(similar) = search::similar::similar(&store, &searcher, &id, args.limit, &options)?
    else {
        anyhow::bail!("no document with id {}", inert(&id));
    };
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        crate::render::similar::json(&mut out, &similar)?;
    } else {
        crate::render::similar::terminal(&mut out, &similar, settings.color)?;
    }
    out.flush()?;
    Ok(if similar.hits.is_empty() { 1 } else { 0 })
}

/// The id of the document `target` names: an indexed file holding one document, or an id.
fn id_of(store: &Store, searcher: &tantivy::Searcher, target: &str) -> Result<String> {
    let path = Path::new(target);
    if path.exists() {
        let absolute = std::fs::canonicalize(path).or_else(|_| std::path::absolute(path))?;
        let found = search::whole::at_path(store, searcher, &path_key::key_of(&absolute))?;
        return match found.as_slice() {
            [] => anyhow::bail!("{} is not in the index", inert(target)),
            [one] => Ok(one.id.clone()),
            many => anyhow::bail!(
                "{} holds {} documents: name one by its id (the `id` of `archivist search --json`)",
                inert(target),
                many.len()
            ),
        };
    }
    let is_id = target.len() == 20 && target.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_id {
        anyhow::bail!(
            "{} is neither a file nor a document id (20 hexadecimal digits)",
            inert(target)
        );
    }
    Ok(target.to_ascii_lowercase())
}
