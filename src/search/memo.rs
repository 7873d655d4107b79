//! What a search reads that stays true for as long as the index's segments do, kept for the
//! process: a server answers search after search from the same segments, and every hit names
//! its near copies, which cost more to find (twenty band look-ups in each segment, and a string
//! column opened and its dictionary read for each path) than to keep.
//!
//! Segments never change once written; a delete gives a segment a new delete stamp. So a
//! document's path and part are kept by its segment's id, valid until the segment is merged
//! away, and a document's near copies, which depend on every segment and every delete, by the
//! snapshot ([`Snapshot`]: the segments' ids and delete stamps), valid until the next commit
//! is seen. Both maps are bounded by bytes: when full they are emptied and filled again.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{LazyLock, Mutex};

use anyhow::Result;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId, Searcher};

use super::near::NearCopy;
use crate::parallel::lock;
use crate::schema::{Fields, first_str};

/// Bytes of names, and of near copies, kept at most each (a file or member name can be
/// kilobytes long).
const MAX_BYTES: usize = 16 << 20;
/// What an entry costs beyond its strings: the key, the map's share, the strings' headers.
const ENTRY_BYTES: usize = 96;

/// A document's path key and part.
pub type Name = (String, Option<String>);

/// The index a searcher sees: its segments and their deletes. Two searchers with the same
/// snapshot find the same documents at the same addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Snapshot(u64);

impl Snapshot {
    pub fn of(searcher: &Searcher) -> Snapshot {
        let mut hasher = DefaultHasher::new();
        for (segment, deletes) in searcher.generation().segments() {
            segment.hash(&mut hasher);
            deletes.hash(&mut hasher);
        }
        // The order of segment ordinals, which addresses use, is the searcher's.
        for reader in searcher.segment_readers() {
            reader.segment_id().hash(&mut hasher);
        }
        Snapshot(hasher.finish())
    }
}

/// What near copies were asked for: how near, how many named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NearAsk {
    pub threshold_bits: u32,
    pub limit: usize,
}

type NearKey = (Snapshot, DocAddress, NearAsk);
/// How many near copies a document has, and the nearest named.
pub type NearFound = (usize, Vec<NearCopy>);

static NAMES: LazyLock<Mutex<Kept<(SegmentId, DocId), Name>>> =
    LazyLock::new(|| Mutex::new(Kept::default()));
static NEAR: LazyLock<Mutex<Kept<NearKey, NearFound>>> =
    LazyLock::new(|| Mutex::new(Kept::default()));

/// A map of at most [`MAX_BYTES`] (as told by the caller), emptied when it would grow past.
struct Kept<K, V> {
    map: HashMap<K, V>,
    bytes: usize,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            map: HashMap::new(),
            bytes: 0,
        }
    }
}

impl<K: Hash + Eq, V: Clone> Kept<K, V> {
    fn get(&self, key: &K) -> Option<V> {
        self.map.get(key).cloned()
    }

    fn keep(&mut self, key: K, value: V, bytes: usize) {
        let bytes = bytes + ENTRY_BYTES;
        if self.bytes + bytes > MAX_BYTES {
            self.map.clear();
            self.bytes = 0;
        }
        if bytes <= MAX_BYTES && self.map.insert(key, value).is_none() {
            self.bytes += bytes;
        }
    }
}

/// The path key and part of the document at `address`: read from their columns once for the
/// process, then kept.
pub fn name(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<Name> {
    let reader = searcher.segment_reader(address.segment_ord);
    let key = (reader.segment_id(), address.doc_id);
    if let Some(known) = lock(&NAMES).get(&key) {
        return Ok(known);
    }
    let (schema, fast) = (searcher.schema(), reader.fast_fields());
    let (mut path, mut part) = (String::new(), String::new());
    if let Some(column) = fast.str(schema.get_field_name(fields.path))? {
        first_str(&column, address.doc_id, &mut path)?;
    }
    let part = match fast.str(schema.get_field_name(fields.part))? {
        Some(column) if first_str(&column, address.doc_id, &mut part)? => Some(part),
        _ => None,
    };
    let bytes = path.len() + part.as_ref().map_or(0, String::len);
    let name = (path, part);
    lock(&NAMES).keep(key, name.clone(), bytes);
    Ok(name)
}

/// The near copies kept for a document of a snapshot.
pub fn near(key: &NearKey) -> Option<NearFound> {
    lock(&NEAR).get(key)
}

pub fn keep_near(key: NearKey, found: &NearFound) {
    let bytes = found
        .1
        .iter()
        .map(|c| ENTRY_BYTES + c.id.len() + c.path.len() + c.part.as_ref().map_or(0, String::len))
        .sum();
    lock(&NEAR).keep(key, found.clone(), bytes);
}

#[cfg(test)]
mod tests {
    use tantivy::Term;

    use super::*;
    use crate::search::near::tests::{add, text};
    use crate::search::near::{Signatures, Threshold, near_copies};
    use crate::store::Store;

    /// What is kept stays under its bytes: past them the map starts over, and an entry larger
    /// than all of them is not kept.
    #[test]
    fn kept_entries_stay_under_their_bytes() {
        let mut kept: Kept<u32, String> = Kept::default();
        let entry = MAX_BYTES / 4;
        for key in 0..4 {
            kept.keep(key, "x".into(), entry);
        }
        assert!(
            kept.get(&0).is_none() && kept.get(&3).is_some(),
            "started over"
        );
        assert!(kept.bytes <= MAX_BYTES);
        kept.keep(9, "huge".into(), MAX_BYTES);
        assert!(kept.get(&9).is_none());
        assert!(kept.bytes <= MAX_BYTES);
    }

    /// A document's near copies are kept for the snapshot they were found in: after its near
    /// copy is deleted, a new searcher finds none, while the old one still names it.
    #[test]
    fn near_copies_follow_deletes_and_names_their_segment() -> Result<()> {
        let store = Store::in_ram();
        let f = &store.fields;
        let mut writer = store.index.writer_with_num_threads(1, 15_000_000)?;
        let first = text(1);
        add(&store, &mut writer, "/a/report.txt", &first)?;
        add(
            &store,
            &mut writer,
            "/b/draft.txt",
            &first.replacen('w', "v", 3),
        )?;
        add(&store, &mut writer, "/c/other.txt", &text(2))?;
        writer.commit()?;
        let reader = store.reader()?;
        let near_of_first = |searcher: &Searcher| -> Result<NearFound> {
            let signatures = Signatures::new(searcher, f);
            let address = DocAddress::new(0, 0);
            let signature = signatures.at(address).expect("stored signature");
            near_copies(
                &signatures,
                address,
                &signature,
                "/a/report.txt",
                Threshold(0.5),
                5,
            )
        };
        let before = reader.searcher();
        for _ in 0..2 {
            let (count, near) = near_of_first(&before)?;
            assert_eq!(count, 1);
            assert_eq!(near[0].path, "/b/draft.txt");
        }
        assert_eq!(
            name(&before, f, DocAddress::new(0, 2))?,
            ("/c/other.txt".to_string(), None)
        );

        writer.delete_term(Term::from_field_text(f.sha256, "/b/draft.txt"));
        writer.commit()?;
        reader.reload()?;
        let after = reader.searcher();
        assert_ne!(Snapshot::of(&before), Snapshot::of(&after));
        assert_eq!(near_of_first(&after)?.0, 0, "the deleted copy is not kept");
        assert_eq!(
            near_of_first(&before)?.0,
            1,
            "the old snapshot still has it"
        );
        Ok(())
    }
}
