//! Files with identical content (same SHA-256, and the same message of a mailbox) are one hit
//! listing all their paths: an archive that holds three copies of a letter should not show it
//! three times. With `--collapse near`, near copies fold into the best ranked of them too
//! ([`super::near::Folding`]). Enough top documents are fetched to fill the page after
//! collapsing.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use anyhow::{Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use super::memo;
use super::near::{Folding, Signatures, Threshold};
use crate::schema::{Fields, first_str};

/// Copies of one content listed per hit at most.
const MAX_COPIES: usize = 100;

/// The number of matching documents and the best `wanted` of them, one per distinct content,
/// best first. The count is taken in the same pass as the first top documents.
pub fn collapsed_top(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    fields: &Fields,
    query: &dyn Query,
    wanted: usize,
    near: Option<Threshold>,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    if wanted == 0 {
        return Ok((searcher.search(query, &Count)?, Vec::new()));
    }
    // Room for a ranking of `fetch` is allocated up front: never more than there are documents.
    let documents = usize::try_from(searcher.num_docs())
        .unwrap_or(usize::MAX)
        .max(1);
    let mut fetch = wanted.saturating_mul(2).saturating_add(16).min(documents);
    let (total, mut top) = searcher
        .search_with_statistics_provider(
            query,
            &(Count, TopDocs::with_limit(fetch).order_by_score()),
            statistics,
        )
        .context("search failed")?;
    loop {
        let fetched = top.len();
        let mut distinct = Distinct::new(searcher, fields);
        let mut folding = near.map(Folding::new);
        let signatures = Signatures::new(searcher, fields);
        let mut out = Vec::new();
        for (score, address) in top {
            if !distinct.insert(address)? {
                continue;
            }
            let folded = match &mut folding {
                Some(folding) => folding.is_near_copy(signatures.at(address)),
                None => false,
            };
            if !folded {
                out.push((score, address));
                if out.len() == wanted {
                    return Ok((total, out));
                }
            }
        }
        if fetched < fetch || fetched >= total {
            return Ok((total, out));
        }
        fetch = fetch.saturating_mul(4).min(documents);
        top = searcher
            .search_with_statistics_provider(
                query,
                &TopDocs::with_limit(fetch).order_by_score(),
                statistics,
            )
            .context("search failed")?;
    }
}

/// The documents kept so far, one per distinct content. Two documents can only be the same
/// content when their files are the same size, and sizes are read in place, so the content key
/// (the hash, from a string column's dictionary: a block of it scanned for every lookup) is
/// read only for documents whose size an earlier one shares. Kept
/// documents are found by size, not compared with each in turn: an export of every hit keeps
/// thousands.
struct Distinct<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// Each segment's column of file sizes, opened once.
    sizes: HashMap<u32, Option<Column<u64>>>,
    /// The kept documents by file size, each with its content key once read.
    kept: HashMap<Option<u64>, Vec<(DocAddress, Option<String>)>>,
}

impl<'a> Distinct<'a> {
    fn new(searcher: &'a Searcher, fields: &'a Fields) -> Self {
        Distinct {
            searcher,
            fields,
            sizes: HashMap::new(),
            kept: HashMap::new(),
        }
    }

    /// Keeps `address` unless a kept document has the same content; whether it was kept.
    fn insert(&mut self, address: DocAddress) -> Result<bool> {
        let (searcher, fields) = (self.searcher, self.fields);
        let column = match self.sizes.entry(address.segment_ord) {
            Entry::Occupied(column) => column.into_mut(),
            Entry::Vacant(slot) => slot.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64(searcher.schema().get_field_name(fields.size))
                    .ok(),
            ),
        };
        let size = column.as_ref().and_then(|c| c.first(address.doc_id));
        let same_size = self.kept.entry(size).or_default();
        let mut key = None;
        for (other, other_key) in same_size.iter_mut() {
            if other_key.is_none() {
                *other_key = Some(content_key(searcher, fields, *other)?);
            }
            if key.is_none() {
                key = Some(content_key(searcher, fields, address)?);
            }
            if *other_key == key {
                return Ok(false);
            }
        }
        same_size.push((address, key));
        Ok(true)
    }
}

/// What makes two documents the same content: the file hash and the part of the file.
fn content_key(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<String> {
    let mut key = String::new();
    for field in [fields.sha256, fields.part] {
        fast_str(searcher, field, address, &mut key)?;
        key.push('\u{0}');
    }
    Ok(key)
}

/// Appends the first value of a fast string field of a document to `out`; whether it had one.
/// Fast fields are read in place, where a stored document would be decompressed and decoded
/// whole, its text included.
fn fast_str(
    searcher: &Searcher,
    field: Field,
    address: DocAddress,
    out: &mut String,
) -> Result<bool> {
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let name = searcher.schema().get_field_name(field);
    match fast.str(name)? {
        Some(column) => Ok(first_str(&column, address.doc_id, out)?),
        None => Ok(false),
    }
}

/// Paths of the other documents with the same hash (and part) as the hit.
pub fn copies(
    searcher: &Searcher,
    fields: &Fields,
    hit: DocAddress,
    sha256: &str,
    path: &str,
    part: Option<&str>,
) -> Result<Vec<String>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.sha256, sha256),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(
        &query,
        &TopDocs::with_limit(MAX_COPIES + 1).order_by_score(),
    )?;
    let mut out = Vec::new();
    for (_, address) in found {
        if address == hit {
            continue;
        }
        let (other, other_part) = memo::name(searcher, fields, address)?;
        if other_part.as_deref() == part && !other.is_empty() && other != path {
            out.push(other);
        }
    }
    out.sort();
    out.truncate(MAX_COPIES);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use tantivy::query::AllQuery;
    use tantivy::{TantivyDocument, doc};

    use super::*;
    use crate::store::Store;

    /// An index of (path, sha256, size, part) documents, each with the body `letter`, committed
    /// in one segment.
    fn index(files: &[(&str, &str, u64, Option<&str>)]) -> Result<(Store, Searcher)> {
        let store = Store::in_ram();
        let f = &store.fields;
        let mut writer = store.index.writer_with_num_threads(1, 15_000_000)?;
        for &(path, sha, size, part) in files {
            let mut document: TantivyDocument = doc!(
                f.path => path, f.sha256 => sha, f.size => size, f.body => "letter"
            );
            if let Some(part) = part {
                document.add_text(f.part, part);
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let searcher = store.reader()?.searcher();
        Ok((store, searcher))
    }

    #[test]
    fn identical_files_are_one_hit_listing_the_others_as_copies() -> Result<()> {
        let (store, searcher) = index(&[
            ("/a/letter.txt", "aaaa", 10, None),
            ("/b/letter-copy.txt", "aaaa", 10, None),
            ("/c/other.txt", "bbbb", 10, None),
            ("/d/same-size.txt", "cccc", 10, None),
            ("/e/third-copy.txt", "aaaa", 10, None),
        ])?;
        let f = &store.fields;
        let (total, top) = collapsed_top(&searcher, &searcher, f, &AllQuery, 10, None)?;
        assert_eq!(total, 5, "every matching document is counted");
        assert_eq!(top.len(), 3, "one hit per content: {top:?}");
        let first = top[0].1;
        let mut path = String::new();
        fast_str(&searcher, f.path, first, &mut path)?;
        let others = copies(&searcher, f, first, "aaaa", &path, None)?;
        assert_eq!(others.len(), 2);
        assert!(!others.contains(&path), "a hit is not its own copy");
        assert!(others.windows(2).all(|w| w[0] < w[1]), "sorted: {others:?}");
        Ok(())
    }

    #[test]
    fn messages_of_one_mailbox_are_not_copies_of_each_other() -> Result<()> {
        let (store, searcher) = index(&[
            ("/mail/box.mbox", "mmmm", 99, Some("message 1")),
            ("/mail/box.mbox", "mmmm", 99, Some("message 2")),
            ("/copy/box.mbox", "mmmm", 99, Some("message 1")),
        ])?;
        let f = &store.fields;
        let (_, top) = collapsed_top(&searcher, &searcher, f, &AllQuery, 10, None)?;
        assert_eq!(top.len(), 2, "two messages, the copy of one collapsed");
        let (_, one) = collapsed_top(&searcher, &searcher, f, &AllQuery, 1, None)?;
        assert_eq!(one.len(), 1, "no more than asked for");
        Ok(())
    }

    #[test]
    fn a_page_is_filled_after_collapsing() -> Result<()> {
        // 40 copies of one content come first in document order; the 3 others still fill a
        // page of 4 though the first fetch holds only copies.
        let mut files: Vec<(String, &str)> = (0..40).map(|i| (format!("/c/{i}"), "same")).collect();
        files.extend([("/x".into(), "x"), ("/y".into(), "y"), ("/z".into(), "z")]);
        let files: Vec<(&str, &str, u64, Option<&str>)> = files
            .iter()
            .map(|(p, s)| (p.as_str(), *s, 1, None))
            .collect();
        let (store, searcher) = index(&files)?;
        let (total, top) = collapsed_top(&searcher, &searcher, &store.fields, &AllQuery, 4, None)?;
        assert_eq!((total, top.len()), (43, 4));
        Ok(())
    }
}
