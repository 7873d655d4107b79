//! Function words ("the", "und", "les", "och", "się") of each language, by ISO 639-1 code:
//! the lists language detection counts to narrow a script's languages before lingua decides
//! (`ingest::language::narrow`), and that `--any` leaves out of a query
//! (`search::stopwords`). They come from the `stop-words` crate (NLTK's where it has one, else
//! Stopwords ISO), embedded at build time, and for eight Latin-script languages it lacks (Welsh,
//! Icelandic, Maori and five Bantu languages) from lingua's own test sentences.

use std::sync::OnceLock;

/// The function words of the language with ISO 639-1 code `code`, if it has a list. Stopwords
/// lists have one Norwegian (`no`); lingua has Bokmål and Nynorsk (`nb`, `nn`). The Latin-script
/// languages the crate has no list for have one of [`OWN_LISTS`], except Bosnian: given
/// Croatian's words, it stayed next to Croatian in every piece, and lingua (which, even alone,
/// takes its own Bosnian test sentences for Croatian) then took two Croatian pages of `multi`
/// for Bosnian; without a list, plain Croatian prose rules it out.
pub fn list(code: &str) -> Option<&'static [&'static str]> {
    let code = match code {
        "nb" | "nn" => "no",
        other => other,
    };
    crate_list(code).or_else(|| {
        OWN_LISTS
            .iter()
            .find(|(listed, _)| *listed == code)
            .map(|(_, words)| *words)
    })
}

/// Every list, by code: the crate's, then [`OWN_LISTS`].
pub fn all() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    crate_lists()
        .iter()
        .filter_map(|list| Some((list.code, crate_list(list.code)?)))
        .chain(OWN_LISTS)
}

/// The `stop-words` crate's list for `code`, as it lists it.
fn crate_list(code: &str) -> Option<&'static [&'static str]> {
    let list = crate_lists().iter().find(|list| list.code == code)?;
    Some(
        list.words
            .get_or_init(|| list.text.lines().collect())
            .as_slice(),
    )
}

/// One of the `stop-words` crate's lists, as `build.rs` wrote it out: one text rather than the
/// crate's arrays of string slices, whose 20,000 pointers the loader patched at every start
/// (see `build.rs`). Its words are read out of the text when the list is first asked for.
struct CrateList {
    code: &'static str,
    /// The words, a line each.
    text: &'static str,
    words: OnceLock<Vec<&'static str>>,
}

/// Every list of the crate, in the text `build.rs` wrote: a NUL, the code and a line break
/// before each list's words (no word has a NUL or a line break in it).
fn crate_lists() -> &'static [CrateList] {
    static TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/stop_words.txt"));
    static LISTS: OnceLock<Vec<CrateList>> = OnceLock::new();
    LISTS.get_or_init(|| {
        TEXT.split('\0')
            .filter_map(|section| {
                let (code, text) = section.split_once('\n')?;
                Some(CrateList {
                    code,
                    text,
                    words: OnceLock::new(),
                })
            })
            .collect()
    })
}

/// Function words of the Latin-script languages lingua knows and the `stop-words` crate lists
/// nothing for (but Bosnian, see [`list`]): the most frequent words of the first 500 of lingua's
/// own test sentences for each language (`testdata/sentences.txt` of its language model crates),
/// content words left out. Without them these languages could not be ruled out by function words,
/// and stayed candidates (eight more languages for lingua to score) for every piece that was not
/// plainly prose; they were also lost to a listed relative whose words they share: Maori pieces
/// were taken for Tagalog or Latin, Tswana for Sotho, Tsonga for Swahili (see the samples in
/// `tests/fixtures/languages/`, from the later test sentences).
const OWN_LISTS: [(&str, &[&str]); 8] = [
    (
        "cy",
        &[
            "yn", "y", "yr", "i", "o", "a", "ar", "ei", "mae", "ac", "gan", "oedd", "gyda", "fel",
            "am", "mewn", "yw", "wedi", "eu", "ond", "fod", "ym", "neu", "er", "hyn", "hyd",
            "dyma", "hefyd", "â", "sy", "bod", "yng", "at", "fe", "ef", "roedd", "sydd", "cyn",
            "pan", "wrth", "dros", "erbyn", "hynny", "nid", "na", "ni", "hi", "nhw", "chi", "fy",
            "dy", "ein", "eich", "rhwng", "drwy", "trwy", "heb", "dan", "ag", "ydy", "ydyw", "oes",
        ],
    ),
    (
        "is",
        &[
            "að", "og", "í", "á", "er", "sem", "til", "en", "ekki", "um", "ég", "með", "það",
            "við", "fyrir", "af", "var", "hann", "því", "frá", "eru", "þá", "verið", "eftir",
            "hafa", "hefur", "ef", "eða", "þeim", "svo", "þetta", "þeir", "hún", "þar", "eins",
            "verður", "þess", "úr", "þegar", "sér", "vegna", "nú", "vera", "þessu", "upp", "yfir",
            "sé", "væri", "hér", "þú", "sig", "undir", "voru", "hafi", "þau", "mér", "hefði",
            "einnig",
        ],
    ),
    (
        "mi",
        &[
            "te", "i", "ki", "ngā", "nga", "o", "e", "a", "ko", "ka", "he", "me", "ana", "hei",
            "nei", "atu", "kia", "mai", "ai", "ā", "kua", "tā", "hoki", "tēnei", "tenei", "ia",
            "mō", "rātou", "ratou", "nā", "rā", "kei", "tētahi", "tetahi", "tōna", "tona", "anō",
            "ano", "mā", "ake", "rātau", "ratau", "nō", "roto", "mātou", "matou", "tana", "tō",
            "tonu", "tērā", "tera", "reira",
        ],
    ),
    (
        "sn",
        &[
            "kuti", "asi", "kana", "uyu", "chete", "ari", "iri", "uye", "iyi", "wake", "vari",
            "ava", "sezvo", "uyo", "apo", "nekuti", "ichi", "aya", "pamwe", "kune", "vake", "saka",
            "chero", "iye", "mushure", "mumwe", "wavo", "kubva", "kwete", "avo", "kwake", "izvi",
            "yake", "izvo", "apa", "pakati",
        ],
    ),
    (
        "tn",
        &[
            "ba", "go", "a", "le", "ka", "e", "re", "ya", "fa", "mo", "ke", "ga", "o", "gore",
            "se", "di", "wa", "ne", "sa", "tsa", "kwa", "mme", "bo", "bone", "tse", "la", "nna",
            "jalo", "fela", "na", "jaaka", "tlaa", "jwa", "bangwe", "bona", "gagwe", "gone", "ene",
            "yo", "ntse", "jaana", "ja", "tsone", "neng", "kana", "pele", "gape", "mongwe", "teng",
        ],
    ),
    (
        "ts",
        &[
            "ku", "hi", "ya", "na", "eka", "va", "wa", "ka", "ta", "nga", "a", "yi", "swi", "ra",
            "ri", "swa", "xa", "leswaku", "bya", "leswi", "yo", "ndzi", "lava", "leyi", "le", "i",
            "loko", "u", "hina", "leri", "ti", "ni", "vona", "lowu", "laha", "ha", "wo", "kona",
            "kambe", "xi", "lexi", "eku", "yena", "swo", "wu",
        ],
    ),
    (
        "xh",
        &[
            "ukuba", "emva", "ke", "okanye", "kwaye", "xa", "eli", "nto", "ezi", "le", "kunye",
            "kuba", "enye", "kodwa", "bonke", "na", "abo", "aba", "esi", "apho", "eyona", "lo",
            "apha", "zabo", "akukho", "ukuya", "i", "ngenxa", "koko", "kakhulu", "kule", "ngo",
            "abanye", "kweli", "ngayo", "ukuze", "phambi", "kokuba", "phakathi", "kuphela", "ne",
            "yaye", "la", "oko", "nje", "oku", "ngoko",
        ],
    ),
    (
        "lg",
        &[
            "mu", "ku", "ne", "nga", "e", "nti", "era", "bwe", "ba", "wa", "buli", "ate", "oba",
            "ya", "omu", "bano", "aba", "be", "kyokka", "abamu", "kuba", "gye", "bya", "kye", "ye",
            "kya", "kino", "we", "naye", "nabo", "okuva", "zino", "eno",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_are_the_crates_own() {
        let mut compared = 0;
        for &code in stop_words::available_languages() {
            assert_eq!(crate_list(code), stop_words::lookup(code), "{code}");
            compared += 1;
        }
        assert_eq!(crate_lists().len(), compared);
        assert!(compared > 50, "{compared} lists");
        assert_eq!(list("nb"), stop_words::lookup("no"));
    }
}
