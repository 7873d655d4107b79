//! Near-duplicates at search time: a document's near copies (the documents sharing a band of its
//! MinHash signature whose estimated similarity reaches the threshold; see [`crate::near`]),
//! and the folding of near copies among ranked documents (`--collapse near`). Nothing is
//! grouped at ingest: the relation is read from each document's own terms and signature, so a
//! document added, changed or removed changes only its own.

use std::collections::HashMap;
use std::sync::Mutex;

use anyhow::Result;
use tantivy::columnar::Column;
use tantivy::{DocAddress, Searcher};

use super::bands::{self, SharedBands};
use super::memo::{self, NearAsk, NearFound, Snapshot};
use super::postings::postings;
use crate::near::{DEFAULT_THRESHOLD, Signature};
use crate::parallel::lock;
use crate::schema::Fields;

/// Near copies named per hit at most (the closest): each is a path read from its column.
pub const HIT_NEAR: usize = 5;
/// Near copies named for a document opened whole.
pub const DOCUMENT_NEAR: usize = 50;
/// Candidates (documents sharing a band) read per document at most: a band of boilerplate
/// thousands of documents share costs no more than this.
const MAX_CANDIDATES: usize = 5_000;

/// How near a document must be to count (`--near-threshold`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold(pub f32);

impl Default for Threshold {
    fn default() -> Self {
        Threshold(DEFAULT_THRESHOLD)
    }
}

/// A near copy of a hit.
#[derive(Debug, Clone, PartialEq)]
pub struct NearCopy {
    pub id: String,
    /// The path key of its file.
    pub path: String,
    pub part: Option<String>,
    /// Its estimated similarity to the hit (0-1).
    pub similarity: f32,
}

/// The signatures of an index's documents, each read once for a whole search: a hit's
/// candidates are often the next hit's (a group of near copies), and reading one from its
/// column (a multi-valued fast field) costs far more than comparing it. Shared by the threads
/// that build hits.
pub struct Signatures<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    name: &'a str,
    columns: Mutex<HashMap<u32, Option<Column<u64>>>>,
    read: Mutex<HashMap<DocAddress, Option<Signature>>>,
    /// What the searcher sees, which near copies found are kept for (see [`memo`]).
    snapshot: Snapshot,
    /// Every shared band, read at once when many hits need their near copies.
    shared: Option<SharedBands>,
}

/// Signatures kept for a search at most (128 bytes each).
const MAX_KEPT: usize = 500_000;

impl<'a> Signatures<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> Signatures<'a> {
        Signatures {
            searcher,
            fields,
            name: searcher.schema().get_field_name(fields.near),
            columns: Mutex::new(HashMap::new()),
            read: Mutex::new(HashMap::new()),
            snapshot: Snapshot::of(searcher),
            shared: None,
        }
    }

    /// For `hits` hits' near copies: with the bands documents share read at once when there
    /// are enough hits for that to cost less than looking up each hit's bands.
    pub fn for_hits(
        searcher: &'a Searcher,
        fields: &'a Fields,
        hits: usize,
    ) -> Result<Signatures<'a>> {
        let mut signatures = Signatures::new(searcher, fields);
        if hits >= bands::WORTH_READING {
            signatures.shared = Some(SharedBands::read(searcher, fields, MAX_CANDIDATES)?);
        }
        Ok(signatures)
    }

    /// The signature of the document at `address`, if it has one.
    pub fn at(&self, address: DocAddress) -> Option<Signature> {
        if let Some(known) = lock(&self.read).get(&address) {
            return known.clone();
        }
        let column = lock(&self.columns)
            .entry(address.segment_ord)
            .or_insert_with(|| {
                // An index written before signatures has no column: no near copies.
                let fast = self
                    .searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields();
                fast.u64(self.name).ok()
            })
            .clone();
        let signature =
            column.and_then(|c| Signature::from_values(c.values_for_doc(address.doc_id)));
        let mut read = lock(&self.read);
        if read.len() < MAX_KEPT {
            read.insert(address, signature.clone());
        }
        signature
    }
}

/// How many near copies the document at `address` with `signature` has, and the `limit`
/// nearest, closest first: not the document itself, nor its identical copies (same `sha256`,
/// listed as copies).
pub fn near_copies(
    signatures: &Signatures<'_>,
    address: DocAddress,
    signature: &Signature,
    sha256: &str,
    threshold: Threshold,
    limit: usize,
) -> Result<NearFound> {
    let key = (
        signatures.snapshot,
        address,
        NearAsk {
            threshold_bits: threshold.0.to_bits(),
            limit,
        },
    );
    if let Some(known) = memo::near(&key) {
        return Ok(known);
    }
    let found = find_near_copies(signatures, address, signature, sha256, threshold, limit)?;
    memo::keep_near(key, &found);
    Ok(found)
}

/// [`near_copies`], looked for in the index.
fn find_near_copies(
    signatures: &Signatures<'_>,
    address: DocAddress,
    signature: &Signature,
    sha256: &str,
    threshold: Threshold,
    limit: usize,
) -> Result<NearFound> {
    let (searcher, fields) = (signatures.searcher, signatures.fields);
    // The documents of each band term, straight from the postings: no scores to compute, as
    // every candidate's similarity is read from its signature anyway.
    let mut found: Vec<DocAddress> = Vec::new();
    for band in signature.bands() {
        match &signatures.shared {
            Some(shared) => match shared.get(&band) {
                Some(documents) => found.extend_from_slice(documents),
                // A band no other live document has: only this one's.
                None => found.push(address),
            },
            None => found.extend(postings(
                searcher,
                fields.near_bands,
                &band,
                MAX_CANDIDATES,
            )?),
        }
        if found.len() >= MAX_CANDIDATES {
            break;
        }
    }
    let copies = postings(searcher, fields.sha256, sha256, MAX_CANDIDATES)?;
    found.sort_unstable();
    found.dedup();
    let mut near = Vec::new();
    for candidate in found {
        if candidate == address || copies.contains(&candidate) {
            continue;
        }
        if let Some(other) = signatures.at(candidate) {
            let similarity = signature.similarity(&other);
            if similarity >= threshold.0 {
                near.push((similarity, candidate));
            }
        }
    }
    // The closest, then by place in the index; only those kept are named (reading a path
    // decompresses a block of its column).
    near.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let count = near.len();
    near.truncate(limit);
    let mut out = Vec::with_capacity(near.len());
    for (similarity, candidate) in near {
        let (path, part) = memo::name(searcher, fields, candidate)?;
        out.push(NearCopy {
            id: crate::schema::document_id(&path, part.as_deref()),
            path,
            part,
            similarity,
        });
    }
    Ok((count, out))
}

/// Signatures found again by their bands: the documents among those added that a new one is
/// nearly the same as, comparing only those sharing a band with it.
struct BandIndex {
    threshold: Threshold,
    signatures: Vec<Signature>,
    /// Each band term: the signatures added that have it.
    by_band: HashMap<String, Vec<usize>>,
}

impl BandIndex {
    fn new(threshold: Threshold) -> BandIndex {
        BandIndex {
            threshold,
            signatures: Vec::new(),
            by_band: HashMap::new(),
        }
    }

    /// The signatures added that `signature` (whose band terms are `bands`) is near, comparing
    /// at most `compared` a band; one may come more than once.
    fn near<'s>(
        &'s self,
        signature: &'s Signature,
        bands: &'s [String],
        compared: usize,
    ) -> impl Iterator<Item = usize> + 's {
        bands.iter().flat_map(move |band| {
            self.by_band
                .get(band)
                .into_iter()
                .flatten()
                .take(compared)
                .copied()
                .filter(move |&i| signature.similarity(&self.signatures[i]) >= self.threshold.0)
        })
    }

    /// Adds `signature` with its band terms; its place.
    fn push(&mut self, signature: Signature, bands: Vec<String>) -> usize {
        let index = self.signatures.len();
        self.signatures.push(signature);
        for band in bands {
            self.by_band.entry(band).or_default().push(index);
        }
        index
    }
}

/// The ranked documents kept so far when near copies fold into the first of them.
pub struct Folding(BandIndex);

impl Folding {
    pub fn new(threshold: Threshold) -> Folding {
        Folding(BandIndex::new(threshold))
    }

    /// Whether a document with `signature` is a near copy of one kept; if not, it is kept. A
    /// document without a signature is never a near copy.
    pub fn is_near_copy(&mut self, signature: Option<Signature>) -> bool {
        let Some(signature) = signature else {
            return false;
        };
        let bands = signature.bands();
        if self.0.near(&signature, &bands, usize::MAX).next().is_some() {
            return true;
        }
        self.0.push(signature, bands);
        false
    }
}

/// How many groups of near copies a set of documents holds, and how many documents are in them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NearGroups {
    pub groups: u64,
    pub documents: u64,
}

/// Most documents of one band compared with a newcomer: a band every document shares (a
/// boilerplate page) costs no more than this.
const MAX_COMPARED: usize = 64;

/// Documents grouped as they come: each joins the groups of the near copies among those
/// sharing a band with it (union-find).
pub struct Grouping {
    index: BandIndex,
    parent: Vec<usize>,
}

impl Grouping {
    pub fn new(threshold: Threshold) -> Grouping {
        Grouping {
            index: BandIndex::new(threshold),
            parent: Vec::new(),
        }
    }

    /// Adds a document; one without a signature is in no group.
    pub fn add(&mut self, signature: Option<Signature>) {
        let Some(signature) = signature else {
            return;
        };
        let bands = signature.bands();
        let mut joined: Vec<usize> = self.index.near(&signature, &bands, MAX_COMPARED).collect();
        joined.sort_unstable();
        joined.dedup();
        let index = self.index.push(signature, bands);
        self.parent.push(index);
        for other in joined {
            let (a, b) = (self.root(index), self.root(other));
            self.parent[a] = b;
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// The groups of two documents or more.
    pub fn groups(mut self) -> NearGroups {
        let mut sizes: HashMap<usize, u64> = HashMap::new();
        for i in 0..self.parent.len() {
            *sizes.entry(self.root(i)).or_default() += 1;
        }
        let grouped = sizes.values().filter(|&&n| n > 1);
        NearGroups {
            groups: grouped.clone().count() as u64,
            documents: grouped.sum(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use tantivy::{IndexWriter, TantivyDocument, Term, doc};

    use super::*;
    use crate::store::Store;

    /// Adds a document of `body` with its signature and bands, its path as its hash.
    pub(crate) fn add(
        store: &Store,
        writer: &mut IndexWriter,
        path: &str,
        body: &str,
    ) -> Result<()> {
        let f = &store.fields;
        let mut document: TantivyDocument = doc!(f.path => path, f.sha256 => path, f.body => body);
        let signature = Signature::of(body).expect("a long text has a signature");
        for band in signature.bands() {
            document.add_text(f.near_bands, band);
        }
        for value in signature.to_values() {
            document.add_u64(f.near, value);
        }
        writer.add_document(document)?;
        Ok(())
    }

    /// Near copies found through the bands read at once are those looked up hit by hit:
    /// across segments, without deleted documents, with a band no other document has.
    #[test]
    fn shared_bands_find_what_band_look_ups_find() -> Result<()> {
        let store = Store::in_ram();
        let f = &store.fields;
        let mut writer = store.index.writer_with_num_threads(1, 15_000_000)?;
        let first = text(1);
        add(&store, &mut writer, "/a", &first)?;
        add(&store, &mut writer, "/b", &first.replacen('w', "v", 3))?;
        add(&store, &mut writer, "/c", &text(2))?;
        writer.commit()?;
        add(&store, &mut writer, "/d", &first.replacen('w', "u", 2))?;
        add(&store, &mut writer, "/e", &first)?;
        add(&store, &mut writer, "/f", &text(3))?;
        writer.commit()?;
        writer.delete_term(Term::from_field_text(f.sha256, "/e"));
        writer.commit()?;
        let searcher = store.reader()?.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let one_by_one = Signatures::new(&searcher, f);
        let at_once = Signatures::for_hits(&searcher, f, bands::WORTH_READING)?;
        assert!(at_once.shared.is_some());
        let mut seen = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..segment.max_doc() {
                let address = DocAddress::new(ord as u32, doc);
                let Some(signature) = one_by_one.at(address) else {
                    continue;
                };
                let path = memo::name(&searcher, f, address)?.0;
                let ask = |s: &Signatures<'_>| {
                    find_near_copies(s, address, &signature, &path, Threshold(0.5), 5)
                };
                let (expected, found) = (ask(&one_by_one)?, ask(&at_once)?);
                assert_eq!(expected, found, "{path}");
                seen += expected.0;
            }
        }
        assert!(seen >= 6, "the copies of /a find each other: {seen}");
        Ok(())
    }

    pub(crate) fn text(seed: usize) -> String {
        (0..120)
            .map(|i| format!("w{}x{} ", (i * 7919 + seed * 104_729) % 1000, i % 13))
            .collect()
    }

    #[test]
    fn near_copies_fold_into_the_first_and_others_stay() {
        let mut folding = Folding::new(Threshold::default());
        let first = text(1);
        let edited = first.replacen("w", "v", 3);
        assert!(!folding.is_near_copy(Signature::of(&first)));
        assert!(folding.is_near_copy(Signature::of(&edited)));
        assert!(!folding.is_near_copy(Signature::of(&text(2))));
        assert!(!folding.is_near_copy(None), "a short text is nobody's copy");
        assert!(!folding.is_near_copy(None));
    }

    #[test]
    fn near_copies_make_groups_and_others_none() {
        let mut grouping = Grouping::new(Threshold::default());
        let first = text(1);
        for signature in [
            Signature::of(&first),
            Signature::of(&text(2)),
            Signature::of(&first.replacen("w", "v", 3)),
            Signature::of(&first.replacen("w", "u", 2)),
            Signature::of(&text(3)),
            Signature::of(&text(3)),
            None,
        ] {
            grouping.add(signature);
        }
        assert_eq!(
            grouping.groups(),
            NearGroups {
                groups: 2,
                documents: 5
            }
        );
    }
}
