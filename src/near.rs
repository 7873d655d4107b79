//! Near-duplicates: documents whose text is nearly the same (the typed letter and its scan, a
//! draft and its final version, a report forwarded with a header above it), told by a MinHash
//! signature of the text's shingles, shared by ingest (which writes each document's signature
//! and its bands) and search (which finds a document's near copies from them).
//!
//! - **Shingles**: every run of [`SHINGLE`] letters and digits, lowercased and folded, with
//!   spaces and punctuation left out: OCR that splits or joins words, drops a comma or reads
//!   `ō` as `o` changes no shingle, and a misread letter only the few around it. Scripts
//!   written without spaces are shingled the same way.
//! - **Signature**: one-permutation MinHash (Li, Owen and Zhang 2012): each shingle is hashed
//!   once and falls in one of [`HASHES`] bins by its hash, each bin keeping its least hash;
//!   empty bins take the next full one's (densification, Shrivastava 2017). One hash a shingle
//!   where classic MinHash takes one per bin: ingest's cost stays a fraction of its analysis.
//!   The share of equal bins of two signatures estimates the Jaccard similarity of their
//!   shingle sets.
//! - **Bands** (locality-sensitive hashing): the signature cut in [`BANDS`] runs of [`ROWS`]
//!   bins, each hashed into a term of the `near_bands` field; documents sharing a band are
//!   candidates, kept when their estimated similarity reaches the threshold. The relation is a
//!   term lookup, so adding or removing a document changes nothing else.

/// Letters (and digits) a shingle spans.
pub const SHINGLE: usize = 5;
/// Bins of a signature.
pub const HASHES: usize = 64;
/// Bands of [`ROWS`] bins (the first 60 of the 64): with 20 of 3, documents of similarity
/// 0.5 share a band with probability 0.93, of 0.6 with 0.99, of 0.2 with 0.15, of 0.1 with
/// 0.02. With 16 of 4 a draft of similarity 0.55 shared none one time in five.
pub const BANDS: usize = 20;
pub const ROWS: usize = 3;
/// Fewer distinct shingles than this (about a short paragraph) make no signature: two short
/// notes alike in a few words are not copies of each other.
pub const MIN_SHINGLES: usize = 200;
/// The default least estimated similarity of near-duplicates (`--near-threshold`); chosen on
/// the set `bench/near_set.py` builds (see BENCHMARKS.md, "Near-duplicates").
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// A document's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature([u16; HASHES]);

impl Signature {
    /// The signature of `text`, or `None` when it has too few shingles.
    pub fn of(text: &str) -> Option<Signature> {
        let mut bins = [u64::MAX; HASHES];
        // The last SHINGLE characters, and their polynomial hash, rolled one character on:
        // one multiply and one mix a character, where hashing each window anew took five.
        let mut window = [0u64; SHINGLE];
        let mut rolling: u64 = 0;
        let mut filled = 0usize;
        let mut shingles = 0usize;
        for c in text.chars() {
            if !c.is_alphanumeric() {
                continue;
            }
            let c = u64::from(crate::analysis::fold::first_folded(c));
            let slot = filled % SHINGLE;
            rolling = rolling
                .wrapping_mul(BASE)
                .wrapping_add(c)
                .wrapping_sub(window[slot].wrapping_mul(BASE_TO_SHINGLE));
            window[slot] = c;
            filled += 1;
            if filled < SHINGLE {
                continue;
            }
            let hash = mix(rolling);
            let bin = (hash >> 58) as usize;
            if hash < bins[bin] {
                bins[bin] = hash;
            }
            shingles += 1;
        }
        if shingles < MIN_SHINGLES {
            return None;
        }
        // A repeated shingle counts once in a set: a page of one word over and over is short.
        let full = bins.iter().filter(|&&b| b != u64::MAX).count();
        if full < HASHES / 2 {
            return None;
        }
        // Each bin keeps 16 bits of its least hash (b-bit MinHash, Li and König 2010): two
        // different least hashes agree by chance once in 65,536 bins, and the signature takes
        // a quarter of the room.
        let mut out = [0u16; HASHES];
        for (i, slot) in out.iter_mut().enumerate() {
            // An empty bin takes the next full bin's value, marked with the distance, so that
            // two documents' empty bins agree only when their neighbours do.
            let (distance, value) = (0..HASHES)
                .map(|d| (d, bins[(i + d) % HASHES]))
                .find(|&(_, b)| b != u64::MAX)
                .unwrap_or((0, 0));
            *slot = (value as u16) ^ (distance as u16).wrapping_mul(0x9E37);
        }
        Some(Signature(out))
    }

    /// The estimated Jaccard similarity of two signatures' shingle sets: the share of equal bins.
    pub fn similarity(&self, other: &Signature) -> f32 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f32 / HASHES as f32
    }

    /// The terms of its bands: the band's number and a hash of its bins, in hex.
    pub fn bands(&self) -> Vec<String> {
        self.0[..BANDS * ROWS]
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let rows: Vec<u32> = rows.iter().map(|&r| u32::from(r)).collect();
                format!("{band:02x}{:012x}", hash(&rows) >> 16)
            })
            .collect()
    }

    /// As stored, one number a bin: its place above its value (`place << 16 | value`), so that
    /// a multi-valued fast field, whatever order it keeps, gives the signature back.
    pub fn to_values(&self) -> impl Iterator<Item = u64> + '_ {
        self.0
            .iter()
            .enumerate()
            .map(|(place, &value)| ((place as u64) << 16) | u64::from(value))
    }

    /// From stored values; `None` unless every bin is there once (an index of another layout).
    pub fn from_values(values: impl IntoIterator<Item = u64>) -> Option<Signature> {
        let mut out = [0u16; HASHES];
        let mut seen = 0u64;
        for value in values {
            let place = usize::try_from(value >> 16).ok().filter(|&p| p < HASHES)?;
            if seen & (1 << place) != 0 {
                return None;
            }
            seen |= 1 << place;
            out[place] = value as u16;
        }
        (seen == u64::MAX).then_some(Signature(out))
    }
}

// `from_values` marks the bins seen in one `u64`; the bands take bins of the signature.
const _: () = assert!(HASHES == 64 && BANDS * ROWS <= HASHES);

/// The rolling hash's base, and its power by which the character leaving the window counts.
const BASE: u64 = 0x100_0000_01B3;
const BASE_TO_SHINGLE: u64 = BASE.wrapping_pow(SHINGLE as u32);

/// splitmix64's finalizer: every bit of `h` spread over the result, the high bits (which pick
/// a bin) included.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// A 64-bit hash of a few 32-bit values (splitmix64's finalizer over a running mix): fast, and
/// well spread in its high bits, which pick the bin.
fn hash(values: &[u32]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &v in values {
        h = (h ^ u64::from(v)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    mix(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "Dear Mr Sato, the repatriation ship Koan Maru left Nakhodka on the \
        twelfth of July with eight hundred internees bound for Maizuru. The internees had \
        laboured in the camps of Taishet and Khabarovsk, felling timber through the winters of \
        Siberia, and the committee recorded each name on the quay. We write to ask whether \
        your brother was among them, and whether the records of the committee may be read \
        by his family at the archive in Maizuru or in Tokyo.";

    #[test]
    fn a_copy_read_by_ocr_is_near_and_another_letter_is_not() {
        let typed = Signature::of(LETTER).expect("long enough");
        // Words split and joined, a few letters misread, punctuation lost, accents and case.
        let scanned = LETTER
            .replace("repatriation", "repat riation")
            .replace("internees had", "intemees had")
            .replace("Khabarovsk,", "Khabar0vsk")
            .replace("Maizuru.", "MAIZURU")
            .replace("the committee", "thecommittee");
        let read = Signature::of(&scanned).expect("long enough");
        assert!(
            typed.similarity(&read) >= 0.7,
            "{}",
            typed.similarity(&read)
        );
        let other = Signature::of(
            "Dear Mrs Ito, the ship left Nakhodka in October with the last internees of the \
             Taishet camps. The committee at Maizuru asks families to write with the names of \
             those they wait for; the lists are kept in Tokyo and copies are sent to each \
             prefecture, where the families of the internees may read them on request.",
        )
        .expect("long enough");
        assert!(
            typed.similarity(&other) < 0.3,
            "{}",
            typed.similarity(&other)
        );
        assert_eq!(typed.similarity(&typed), 1.0);
    }

    #[test]
    fn the_same_shingles_hash_the_same_wherever_they_stand() {
        // Rolled on from different starts, the same text gives the same signature.
        let a = Signature::of(LETTER).expect("long enough");
        let b = Signature::of(&format!("Preface. {LETTER}")).expect("long enough");
        assert!(a.similarity(&b) > 0.9, "{}", a.similarity(&b));
    }

    #[test]
    fn near_documents_share_a_band() {
        let a = Signature::of(LETTER).expect("long enough");
        let b = Signature::of(&LETTER.replace("twelfth of July", "13th of July")).expect("long");
        let shared = a.bands().iter().filter(|t| b.bands().contains(t)).count();
        assert!(shared >= 4, "{shared}");
        assert_eq!(a.bands().len(), BANDS);
    }

    #[test]
    fn short_or_repetitive_texts_have_no_signature() {
        assert_eq!(Signature::of("A short note."), None);
        assert_eq!(Signature::of(&"word ".repeat(500)), None);
    }

    #[test]
    fn a_signature_survives_its_stored_values_in_any_order() {
        let a = Signature::of(LETTER).expect("long enough");
        let mut values: Vec<u64> = a.to_values().collect();
        values.reverse();
        assert_eq!(Signature::from_values(values.clone()), Some(a));
        assert_eq!(
            Signature::from_values(values[1..].to_vec()),
            None,
            "a bin missing"
        );
        assert_eq!(Signature::from_values([7u64 << 16]), None);
    }
}
