//! Letters by family of scripts: the script decides the language where one language uses it
//! (kana, Hangul, Greek), and shares and thresholds are counted in letters.

use icu_properties::props::Script;

use crate::analysis::script::script;

/// A Han, kana or Hangul character counts as this many letters: it carries about as much text as
/// a short word, so shares and thresholds compare like with like.
pub(super) const CJK_WEIGHT: usize = 3;

/// Groups of scripts that decide a language the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Family {
    Latin,
    Cyrillic,
    Arabic,
    Devanagari,
    /// Han and kana: Japanese when kana is around, Chinese otherwise.
    Cjk,
    /// A script used by exactly one language we know: its ISO 639-1 code.
    Unique(&'static str),
}

impl Family {
    /// How many letters one character of this family counts for (see [`CJK_WEIGHT`]).
    pub(super) fn weight(self) -> usize {
        match self {
            Family::Cjk | Family::Unique("ko") => CJK_WEIGHT,
            _ => 1,
        }
    }
}

pub(super) fn family(s: Script) -> Option<Family> {
    Some(match s {
        Script::Latin => Family::Latin,
        Script::Cyrillic => Family::Cyrillic,
        Script::Arabic => Family::Arabic,
        Script::Devanagari => Family::Devanagari,
        Script::Han | Script::Hiragana | Script::Katakana => Family::Cjk,
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

pub(super) fn family_of(c: char) -> Option<Family> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Family::Latin);
    }
    if !c.is_alphabetic() {
        return None;
    }
    family(script(c))
}

pub(super) fn is_kana(c: char) -> bool {
    matches!(script(c), Script::Hiragana | Script::Katakana)
}

/// Letter counts of a stretch of text, by family (CJK weighted) and kana apart. A small vector,
/// not a map: a stretch rarely has more than two families and this runs for every line.
#[derive(Debug, Default, Clone)]
pub(super) struct Letters {
    pub(super) by_family: Vec<(Family, usize)>,
    pub(super) kana: usize,
}

impl Letters {
    pub(super) fn of(text: &str) -> Letters {
        let mut letters = Letters::default();
        for c in text.chars() {
            letters.add(c);
        }
        letters
    }

    pub(super) fn add(&mut self, c: char) {
        let Some(f) = family_of(c) else { return };
        let weight = f.weight();
        self.add_count(f, weight);
        if f == Family::Cjk && is_kana(c) {
            self.kana += weight;
        }
    }

    pub(super) fn add_count(&mut self, family: Family, n: usize) {
        match self.by_family.iter_mut().find(|(f, _)| *f == family) {
            Some((_, count)) => *count += n,
            None => self.by_family.push((family, n)),
        }
    }

    pub(super) fn count(&self, family: Family) -> usize {
        self.by_family
            .iter()
            .find(|(f, _)| *f == family)
            .map_or(0, |(_, n)| *n)
    }

    pub(super) fn merge(&mut self, other: &Letters) {
        for &(f, n) in &other.by_family {
            self.add_count(f, n);
        }
        self.kana += other.kana;
    }

    pub(super) fn total(&self) -> usize {
        self.by_family.iter().map(|(_, n)| n).sum()
    }

    /// The family with the most letters (on a tie, the one seen first).
    pub(super) fn dominant(&self) -> Option<Family> {
        let mut best: Option<(Family, usize)> = None;
        for &(f, n) in &self.by_family {
            if best.is_none_or(|(_, b)| n > b) {
                best = Some((f, n));
            }
        }
        best.map(|(f, _)| f)
    }
}
