//! Every ranking weight of the query compiler, in one place. docs/internals.md's "How results are
//! ranked" states them too; a test below reads it and fails when the two disagree.

/// Weight of an exact match in `body`, on top of the stemmed field's (which every form of the
/// word matches, the exact one too), so that exact forms rank first (2.4 against 2).
/// Prefix and fuzzy expansions, which have no stemmed clause, weigh 1 there instead.
pub const BODY_BOOST: f32 = 0.4;

/// Weight of a title match. A title is also part of the body (its first line, or an HTML
/// `<h1>`), so a title word already counts there and this is a bonus.
pub const TITLE_BOOST: f32 = 0.4;

/// Weight of a match in the word's stemmed field (`stem_xx`, or `nostem` for languages without
/// a stemmer): the main signal, so that a word weighs the same in every language. Measured on
/// SciFact and Cranfield with bench/relevance.py; see BENCHMARKS.md, "Relevance".
pub const STEM_BOOST: f32 = 2.0;

/// Weight of a `--fuzzy` match relative to the exact word, before its closeness weight.
pub const FUZZY_BOOST: f32 = 0.5;

/// Weight of a match through another form of a variant name, relative to the typed form.
pub const VARIANT_BOOST: f32 = 0.8;

/// Weight of a match through romanization (a Latin word against kana, Cyrillic or Greek text):
/// a quarter of an exact Latin match (body and stem).
pub const ROMAN_BOOST: f32 = 0.6;

/// Weight of the words of a run typed without spaces standing near each other (within
/// [`NEAR_SLOP`] positions, a character each in Han and kana) in `body`: a bonus on top of each
/// word's own match.
pub const NEAR_BOOST: f32 = 1.0;

/// How far apart the words of a run typed without spaces may stand for [`NEAR_BOOST`].
pub const NEAR_SLOP: u32 = 8;

/// Weight of a run typed without spaces standing in `body` exactly as typed, on top of its
/// words' matches: three times a word's exact match, so that documents with a compound the
/// segmenter cuts (`文件系统`) come before those with its words apart (measured in
/// BENCHMARKS.md, "Text typed without spaces").
pub const AS_TYPED_BOOST: f32 = 3.0 * (STEM_BOOST + BODY_BOOST);

/// `--any`: weight of each bigram of a run typed without spaces, on top of its words' matches.
pub const BIGRAM_BOOST: f32 = 1.5;

/// `--any`: a run typed without spaces scores its words and bigrams as if documents were this
/// many times their average length, which is BM25 with b 0.4 (and k1 0.5) instead of tantivy's
/// b 0.75 (see `lengths.rs`): the answer to a Chinese or Japanese question is often a longer
/// sentence among short ones. Measured with bench/relevance.py on the CJK sets; see
/// BENCHMARKS.md, "Relevance".
pub const SPACELESS_LENGTH_SCALE: f32 = 4.5;

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights of docs/internals.md's table "How results are ranked", by name.
    fn documented() -> Vec<(String, f32)> {
        include_str!("../../../docs/internals.md")
            .lines()
            .filter_map(|line| {
                let mut cells = line.split('|').map(str::trim).skip(1);
                let name = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
                let value = cells.next()?.parse().ok()?;
                let weight =
                    name.ends_with("_BOOST") || name.ends_with("_SLOP") || name.ends_with("_SCALE");
                weight.then(|| (name.to_string(), value))
            })
            .collect()
    }

    #[test]
    fn readme_states_the_weights_the_code_uses() {
        let code = [
            ("STEM_BOOST", STEM_BOOST),
            ("BODY_BOOST", BODY_BOOST),
            ("TITLE_BOOST", TITLE_BOOST),
            ("ROMAN_BOOST", ROMAN_BOOST),
            ("VARIANT_BOOST", VARIANT_BOOST),
            ("FUZZY_BOOST", FUZZY_BOOST),
            ("AS_TYPED_BOOST", AS_TYPED_BOOST),
            ("NEAR_BOOST", NEAR_BOOST),
            ("NEAR_SLOP", NEAR_SLOP as f32),
            ("BIGRAM_BOOST", BIGRAM_BOOST),
            ("SPACELESS_LENGTH_SCALE", SPACELESS_LENGTH_SCALE),
        ];
        let readme = documented();
        assert_eq!(
            readme.len(),
            code.len(),
            "docs/internals.md's table: {readme:?}"
        );
        for (name, value) in code {
            let stated = readme.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
            assert!(
                stated.is_some_and(|v| (v - value).abs() < 1e-4),
                "docs/internals.md states {name} = {stated:?}, the code has {value}"
            );
        }
    }
}
