//! Language detection: which languages a document is written in, and which one dominates.
//!
//! lingua is accurate but costs about 2 µs per byte over all 75 languages, so the script decides
//! wherever it can: kana means Japanese, Hangul Korean, Greek Greek, Han without kana Chinese,
//! and so on. lingua only runs for scripts shared by several languages (Latin, Cyrillic, Arabic,
//! Devanagari), restricted to that script's languages, on a bounded sample of that script's
//! words. A document with text in several scripts gets a language for each (the seed 004 is
//! English with Japanese and Russian citations). Detection never runs on the search path.

use std::collections::HashMap;
use std::sync::OnceLock;

use icu_properties::props::Script;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use crate::analysis::script::{is_mark, script};

/// Code for "undetermined" (ISO 639-2), used when no language can be decided.
pub const UNDETERMINED: &str = "und";

/// Characters of one script fed to lingua at most.
const SAMPLE_CHARS: usize = 600;
/// Letters a script needs before a language is claimed for it.
const MIN_LETTERS: usize = 20;
/// A Han, kana or Hangul character counts as this many letters: it carries about as much text as
/// a short word, so shares and thresholds compare like with like.
const CJK_WEIGHT: usize = 3;

/// The languages of one document: ISO 639-1 codes with their share of the letters.
#[derive(Debug, Clone, PartialEq)]
pub struct Languages {
    pub main: String,
    /// Every language found, largest share first (never empty: `und` at worst).
    pub all: Vec<(String, f32)>,
}

/// Groups of scripts that decide a language the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Family {
    Latin,
    Cyrillic,
    Arabic,
    Devanagari,
    Han,
    Kana,
    /// A script used by exactly one language we know: its ISO 639-1 code.
    Unique(&'static str),
}

fn family(s: Script) -> Option<Family> {
    Some(match s {
        Script::Latin => Family::Latin,
        Script::Cyrillic => Family::Cyrillic,
        Script::Arabic => Family::Arabic,
        Script::Devanagari => Family::Devanagari,
        Script::Han => Family::Han,
        Script::Hiragana | Script::Katakana => Family::Kana,
        Script::Hangul => Family::Unique("ko"),
        Script::Greek => Family::Unique("el"),
        Script::Hebrew => Family::Unique("he"),
        Script::Thai => Family::Unique("th"),
        Script::Armenian => Family::Unique("hy"),
        Script::Georgian => Family::Unique("ka"),
        Script::Bengali => Family::Unique("bn"),
        Script::Tamil => Family::Unique("ta"),
        Script::Telugu => Family::Unique("te"),
        Script::Gujarati => Family::Unique("gu"),
        Script::Gurmukhi => Family::Unique("pa"),
        _ => return None,
    })
}

fn family_of(c: char) -> Option<Family> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Family::Latin);
    }
    if !c.is_alphabetic() {
        return None;
    }
    family(script(c))
}

/// Shared by all ingest workers; lingua's models are loaded on first use of each language and
/// kept in lingua's process-wide cache.
#[derive(Default)]
pub struct Detector {
    latin: OnceLock<LanguageDetector>,
    cyrillic: OnceLock<LanguageDetector>,
    arabic: OnceLock<LanguageDetector>,
    devanagari: OnceLock<LanguageDetector>,
}

impl Detector {
    pub fn new() -> Self {
        Self::default()
    }

    fn lingua(&self, family: Family) -> Option<&LanguageDetector> {
        let (cell, languages) = match family {
            Family::Latin => (&self.latin, Language::all_with_latin_script()),
            Family::Cyrillic => (&self.cyrillic, Language::all_with_cyrillic_script()),
            Family::Arabic => (&self.arabic, Language::all_with_arabic_script()),
            Family::Devanagari => (&self.devanagari, Language::all_with_devanagari_script()),
            _ => return None,
        };
        Some(cell.get_or_init(|| {
            let languages: Vec<Language> = languages.into_iter().collect();
            LanguageDetectorBuilder::from_languages(&languages).build()
        }))
    }

    /// Detects the languages of a normalized text.
    pub fn detect(&self, text: &str) -> Languages {
        let mut counts: HashMap<Family, usize> = HashMap::new();
        for c in text.chars() {
            if let Some(f) = family_of(c) {
                let weight = match f {
                    Family::Han | Family::Kana | Family::Unique("ko") => CJK_WEIGHT,
                    _ => 1,
                };
                *counts.entry(f).or_default() += weight;
            }
        }
        // Han with kana around it is Japanese; alone it is Chinese.
        let kana = counts.remove(&Family::Kana).unwrap_or(0);
        let han = counts.remove(&Family::Han).unwrap_or(0);
        let japanese = kana > 0 && kana * 20 >= han + kana;
        let total: usize = counts.values().sum::<usize>() + kana + han;
        let mut found: HashMap<String, usize> = HashMap::new();
        let mut add = |code: &str, letters: usize| {
            if letters >= MIN_LETTERS || letters * 2 >= total.max(1) {
                *found.entry(code.to_string()).or_default() += letters;
            }
        };
        if japanese {
            add("ja", kana + han);
        } else {
            add("ja", kana);
            add("zh", han);
        }
        for (&fam, &letters) in &counts {
            if letters < MIN_LETTERS && letters * 2 < total {
                continue;
            }
            let code = match fam {
                Family::Unique(code) => Some(code.to_string()),
                multi => self.detect_in_family(text, multi),
            };
            if let Some(code) = code {
                add(&code, letters);
            }
        }
        let mut all: Vec<(String, f32)> = found
            .into_iter()
            .map(|(code, letters)| (code, letters as f32 / total.max(1) as f32))
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if all.is_empty() {
            all.push((UNDETERMINED.to_string(), 1.0));
        }
        Languages {
            main: all[0].0.clone(),
            all,
        }
    }

    fn detect_in_family(&self, text: &str, family: Family) -> Option<String> {
        let detector = self.lingua(family)?;
        let sample = sample_words(text, family, SAMPLE_CHARS);
        detector
            .detect_language_of(sample)
            .map(|lang| lang.iso_code_639_1().to_string())
    }
}

/// Up to `max_chars` characters of the words of `family`, taken from four evenly spaced stretches
/// of the text so that a long document is not judged by its first page alone.
fn sample_words(text: &str, family: Family, max_chars: usize) -> String {
    const STRETCHES: usize = 4;
    // A short text is sampled whole from its start; a long one in evenly spaced stretches.
    let (stretches, per_stretch) = if text.len() <= max_chars * 2 {
        (1, max_chars)
    } else {
        (STRETCHES, max_chars / STRETCHES)
    };
    let mut sample = String::with_capacity(max_chars + 64);
    let step = (text.len() / stretches).max(1);
    for i in 0..stretches {
        let mut start = (i * step).min(text.len());
        while !text.is_char_boundary(start) {
            start += 1;
        }
        let mut taken = 0;
        for word in text[start..].split_whitespace() {
            if taken >= per_stretch {
                break;
            }
            // Only prose words: commands, paths, numbers and identifiers (`apt-get`,
            // `/etc/fstab`, `6.1.3`) are the same in every language and mislead detection.
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            let prose = !word.is_empty() && word.chars().all(|c| c.is_alphabetic() || is_mark(c));
            if prose && word.chars().next().and_then(family_of) == Some(family) {
                sample.push_str(word);
                sample.push(' ');
                taken += word.chars().count() + 1;
            }
        }
    }
    sample
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_decides_without_lingua() {
        let d = Detector::new();
        assert_eq!(
            d.detect("シベリア抑留は第二次世界大戦の終結後に行われた")
                .main,
            "ja"
        );
        assert_eq!(
            d.detect("第二次世界大战结束后苏联把日本战俘送到西伯利亚劳动")
                .main,
            "zh"
        );
        assert_eq!(
            d.detect("한국어는 대한민국과 조선민주주의인민공화국의 공용어이다")
                .main,
            "ko"
        );
        assert_eq!(d.detect("1945 — 1956 ...").main, UNDETERMINED);
    }

    #[test]
    fn mixed_document_lists_every_language() {
        let d = Detector::new();
        let text = "Japanese prisoners of war were held in the Soviet Union for many years after \
                    the end of the war, and most of them returned through the port of Maizuru. \
                    Военнопленные японцы работали в лагерях Сибири до середины пятидесятых годов. \
                    シベリア抑留、露に76万人分の資料";
        let langs = d.detect(text);
        assert_eq!(langs.main, "en");
        let codes: Vec<&str> = langs.all.iter().map(|(c, _)| c.as_str()).collect();
        assert!(codes.contains(&"ru") && codes.contains(&"ja"), "{codes:?}");
    }

    /// The labeled real passages of `tests/fixtures/languages/<code>/`.
    #[test]
    fn labeled_samples_are_detected() -> std::io::Result<()> {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
        let d = Detector::new();
        let (mut total, mut wrong) = (0, Vec::new());
        for dir in std::fs::read_dir(&root)? {
            let dir = dir?;
            let label = dir.file_name().to_string_lossy().to_string();
            for file in std::fs::read_dir(dir.path())? {
                let path = file?.path();
                let text = crate::analysis::normalize(&std::fs::read_to_string(&path)?);
                total += 1;
                let got = d.detect(&text).main;
                if got != label {
                    wrong.push(format!("{}: {got}", path.display()));
                }
            }
        }
        assert!(total >= 150, "expected the 153 samples, found {total}");
        let accuracy = 1.0 - wrong.len() as f64 / total as f64;
        eprintln!(
            "language accuracy: {:.1}% ({} of {total} wrong)",
            accuracy * 100.0,
            wrong.len()
        );
        assert!(
            accuracy >= 0.99,
            "accuracy {accuracy:.3}; wrong: {wrong:#?}"
        );
        Ok(())
    }
}
