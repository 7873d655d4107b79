//! Tesseract's language models: which language each is for, its script, and the Debian package
//! that installs it, so that a page's script (from Tesseract) or language (from lingua) can be
//! turned into the models to read it with, and a missing model into the package to install.

/// One of Tesseract's language models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    /// ISO 639-1, as lingua and the index name languages.
    pub iso: &'static str,
    /// Tesseract's name for it (`-l deu`).
    pub code: &'static str,
    /// English name, for messages.
    pub name: &'static str,
    /// Written in Latin letters: such a page's script says little about its language.
    pub latin: bool,
}

const fn latin(iso: &'static str, code: &'static str, name: &'static str) -> Model {
    Model {
        iso,
        code,
        name,
        latin: true,
    }
}

const fn other(iso: &'static str, code: &'static str, name: &'static str) -> Model {
    Model {
        iso,
        code,
        name,
        latin: false,
    }
}

/// The languages lingua detects that Tesseract has a model for.
pub const MODELS: &[Model] = &[
    latin("en", "eng", "English"),
    latin("de", "deu", "German"),
    latin("fr", "fra", "French"),
    latin("es", "spa", "Spanish"),
    latin("it", "ita", "Italian"),
    latin("pt", "por", "Portuguese"),
    latin("nl", "nld", "Dutch"),
    latin("pl", "pol", "Polish"),
    latin("cs", "ces", "Czech"),
    latin("sk", "slk", "Slovak"),
    latin("sl", "slv", "Slovene"),
    latin("hr", "hrv", "Croatian"),
    latin("hu", "hun", "Hungarian"),
    latin("ro", "ron", "Romanian"),
    latin("sv", "swe", "Swedish"),
    latin("da", "dan", "Danish"),
    latin("nb", "nor", "Norwegian"),
    latin("nn", "nor", "Norwegian"),
    latin("fi", "fin", "Finnish"),
    latin("et", "est", "Estonian"),
    latin("lv", "lav", "Latvian"),
    latin("lt", "lit", "Lithuanian"),
    latin("tr", "tur", "Turkish"),
    latin("la", "lat", "Latin"),
    latin("ca", "cat", "Catalan"),
    latin("eu", "eus", "Basque"),
    latin("ga", "gle", "Irish"),
    latin("cy", "cym", "Welsh"),
    latin("sq", "sqi", "Albanian"),
    latin("af", "afr", "Afrikaans"),
    latin("id", "ind", "Indonesian"),
    latin("ms", "msa", "Malay"),
    latin("vi", "vie", "Vietnamese"),
    latin("eo", "epo", "Esperanto"),
    other("ru", "rus", "Russian"),
    other("uk", "ukr", "Ukrainian"),
    other("be", "bel", "Belarusian"),
    other("bg", "bul", "Bulgarian"),
    other("sr", "srp", "Serbian"),
    other("mk", "mkd", "Macedonian"),
    other("kk", "kaz", "Kazakh"),
    other("mn", "mon", "Mongolian"),
    other("ja", "jpn", "Japanese"),
    other("zh", "chi_sim", "Chinese"),
    other("ko", "kor", "Korean"),
    other("el", "ell", "Greek"),
    other("ar", "ara", "Arabic"),
    other("fa", "fas", "Persian"),
    other("he", "heb", "Hebrew"),
    other("th", "tha", "Thai"),
    other("hi", "hin", "Hindi"),
    other("mr", "mar", "Marathi"),
    other("bn", "ben", "Bengali"),
    other("ka", "kat", "Georgian"),
    other("hy", "hye", "Armenian"),
];

/// Models for the scripts Tesseract's orientation and script detection names, most likely
/// first. Latin is not here: its models come from the collection's languages, as do Cyrillic
/// ones other than Russian and Ukrainian. Han is Chinese: Japanese pages are `Japanese`, and
/// the Japanese model read together with the Chinese ones mistakes their forms.
pub const BY_SCRIPT: &[(&str, &[&str])] = &[
    ("Cyrillic", &["rus", "ukr"]),
    ("Japanese", &["jpn"]),
    ("Han", &["chi_sim", "chi_tra"]),
    ("Hangul", &["kor"]),
    ("Greek", &["ell"]),
    ("Arabic", &["ara"]),
    ("Hebrew", &["heb"]),
    ("Thai", &["tha"]),
    ("Devanagari", &["hin"]),
    ("Georgian", &["kat"]),
    ("Armenian", &["hye"]),
    ("Bengali", &["ben"]),
];

/// Models for vertical text, by script (`tesseract-ocr-jpn-vert`...).
pub const VERTICAL: &[(&str, &[&str])] = &[
    ("Japanese", &["jpn_vert"]),
    ("Han", &["chi_sim_vert", "chi_tra_vert"]),
];

impl Model {
    /// Written in Cyrillic letters.
    pub fn cyrillic(&self) -> bool {
        matches!(
            self.iso,
            "ru" | "uk" | "be" | "bg" | "sr" | "mk" | "kk" | "mn"
        )
    }
}

/// The model for a language (ISO 639-1).
pub fn for_language(iso: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| m.iso == iso)
}

/// The Debian package that installs the model `code` (`chi_sim` -> `tesseract-ocr-chi-sim`).
pub fn package(code: &str) -> String {
    format!("tesseract-ocr-{}", code.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_lookups() {
        assert_eq!(package("chi_sim"), "tesseract-ocr-chi-sim");
        assert_eq!(package("deu"), "tesseract-ocr-deu");
        assert_eq!(for_language("de").map(|m| m.code), Some("deu"));
        assert_eq!(for_language("ru").map(|m| m.latin), Some(false));
        assert!(for_language("xx").is_none());
        for (_, codes) in BY_SCRIPT {
            assert!(!codes.is_empty());
        }
    }
}
