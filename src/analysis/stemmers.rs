//! The languages tantivy has a Snowball stemmer for, and the index field each one writes to.
//!
//! tantivy picks one analyzer per field, so stemmed text for language `xx` lives in its own field
//! `stem_xx`, analyzed with that language's stemmer at index and query time alike.

use tantivy::tokenizer::Language;

/// A language with a stemmer, named by its ISO 639-1 code in fields and output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StemLang {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl StemLang {
    pub const ALL: [StemLang; 18] = [
        StemLang::Arabic,
        StemLang::Danish,
        StemLang::Dutch,
        StemLang::English,
        StemLang::Finnish,
        StemLang::French,
        StemLang::German,
        StemLang::Greek,
        StemLang::Hungarian,
        StemLang::Italian,
        StemLang::Norwegian,
        StemLang::Portuguese,
        StemLang::Romanian,
        StemLang::Russian,
        StemLang::Spanish,
        StemLang::Swedish,
        StemLang::Tamil,
        StemLang::Turkish,
    ];

    /// ISO 639-1 code. Norwegian Bokmål and Nynorsk (`nb`, `nn`) share the `no` stemmer.
    pub fn code(self) -> &'static str {
        match self {
            StemLang::Arabic => "ar",
            StemLang::Danish => "da",
            StemLang::Dutch => "nl",
            StemLang::English => "en",
            StemLang::Finnish => "fi",
            StemLang::French => "fr",
            StemLang::German => "de",
            StemLang::Greek => "el",
            StemLang::Hungarian => "hu",
            StemLang::Italian => "it",
            StemLang::Norwegian => "no",
            StemLang::Portuguese => "pt",
            StemLang::Romanian => "ro",
            StemLang::Russian => "ru",
            StemLang::Spanish => "es",
            StemLang::Swedish => "sv",
            StemLang::Tamil => "ta",
            StemLang::Turkish => "tr",
        }
    }

    /// The stemmer for a detected language code, if tantivy has one.
    pub fn for_code(code: &str) -> Option<StemLang> {
        match code {
            "nb" | "nn" => Some(StemLang::Norwegian),
            _ => Self::ALL.into_iter().find(|l| l.code() == code),
        }
    }

    pub fn field_name(self) -> String {
        format!("stem_{}", self.code())
    }

    /// The name is stored in the index's schema, and the version in it changes whenever the
    /// stemmed analysis does (v2: acronyms' plurals), so that an index analyzed the old way is
    /// refused as incompatible instead of being searched for terms it does not hold.
    pub fn analyzer_name(self) -> String {
        format!("archivist_stem_v3_{}", self.code())
    }

    pub fn tantivy_language(self) -> Language {
        match self {
            StemLang::Arabic => Language::Arabic,
            StemLang::Danish => Language::Danish,
            StemLang::Dutch => Language::Dutch,
            StemLang::English => Language::English,
            StemLang::Finnish => Language::Finnish,
            StemLang::French => Language::French,
            StemLang::German => Language::German,
            StemLang::Greek => Language::Greek,
            StemLang::Hungarian => Language::Hungarian,
            StemLang::Italian => Language::Italian,
            StemLang::Norwegian => Language::Norwegian,
            StemLang::Portuguese => Language::Portuguese,
            StemLang::Romanian => Language::Romanian,
            StemLang::Russian => Language::Russian,
            StemLang::Spanish => Language::Spanish,
            StemLang::Swedish => Language::Swedish,
            StemLang::Tamil => Language::Tamil,
            StemLang::Turkish => Language::Turkish,
        }
    }

    /// The script a query word must be in for this stemmer to apply to it.
    pub fn script(self) -> icu_properties::props::Script {
        use icu_properties::props::Script;
        match self {
            StemLang::Arabic => Script::Arabic,
            StemLang::Greek => Script::Greek,
            StemLang::Russian => Script::Cyrillic,
            StemLang::Tamil => Script::Tamil,
            _ => Script::Latin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in StemLang::ALL {
            assert_eq!(StemLang::for_code(lang.code()), Some(lang));
        }
        assert_eq!(StemLang::for_code("nb"), Some(StemLang::Norwegian));
        assert_eq!(StemLang::for_code("ja"), None);
        // Fields are looked up by discriminant, so ALL must list them in declaration order.
        for (i, lang) in StemLang::ALL.into_iter().enumerate() {
            assert_eq!(lang as usize, i);
        }
    }

    test_filter!(
        a_stemmer_keeps_the_offsets_of_the_word_it_stems,
        tantivy::tokenizer::Stemmer::new(tantivy::tokenizer::Language::Russian),
        [
            "Военнопленные вернулись" => [("военноплен", "Военнопленные"), ("вернул", "вернулись")],
        ]
    );
}
