//! What the index holds: documents, languages, size on disk, last ingest.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Status {
    pub index: PathBuf,
    pub documents: u64,
    /// Main language -> number of documents.
    pub languages: BTreeMap<String, u64>,
    /// Language -> number of documents with any text in it.
    pub containing: BTreeMap<String, u64>,
    /// Language -> share of all text (bytes of its passages over all bytes), summing to 1.
    pub text_share: BTreeMap<String, f64>,
    pub size_bytes: u64,
    /// Unix seconds of the last complete ingest.
    pub last_ingest: Option<i64>,
    /// An ingest committed part of its work and did not finish (it was interrupted).
    pub partial: bool,
}

pub fn gather(store: &Store) -> Result<Status> {
    let searcher = store.reader()?.searcher();
    let schema = searcher.schema();
    let lang_name = schema.get_field_name(store.fields.lang).to_string();
    let bytes_name = schema.get_field_name(store.fields.lang_bytes).to_string();
    let mut languages = BTreeMap::new();
    let mut containing = BTreeMap::new();
    let mut bytes: BTreeMap<String, u64> = BTreeMap::new();
    let mut documents = 0;
    let mut buffer = String::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let main = fast.str(&lang_name)?.context("index has no lang column")?;
        let shares = fast
            .str(&bytes_name)?
            .context("index has no lang_bytes column")?;
        for doc in segment.doc_ids_alive() {
            documents += 1;
            buffer.clear();
            if let Some(ord) = main.term_ords(doc).next() {
                main.ord_to_str(ord, &mut buffer)?;
            }
            *languages.entry(buffer.clone()).or_insert(0) += 1;
            for ord in shares.term_ords(doc) {
                buffer.clear();
                shares.ord_to_str(ord, &mut buffer)?;
                if let Some((code, n)) = buffer.split_once(':') {
                    *containing.entry(code.to_string()).or_insert(0) += 1;
                    *bytes.entry(code.to_string()).or_insert(0) += n.parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    let all_bytes: u64 = bytes.values().sum();
    let text_share = bytes
        .into_iter()
        .map(|(code, n)| (code, n as f64 / all_bytes.max(1) as f64))
        .collect();
    let payload = store.payload();
    Ok(Status {
        index: store.dir.clone(),
        documents,
        languages,
        containing,
        text_share,
        size_bytes: folder_size(&store.dir),
        last_ingest: payload.last_ingest,
        partial: payload.partial,
    })
}

fn folder_size(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
