//! The variant-names file (an authority file): groups of names that mean the same thing, in any
//! script, so that a query for one form also finds the others.
//!
//! Format, one group per line, forms separated by `|`, `#` starting a comment:
//! ```text
//! Nomonhan | Nomonham | Nomenkan | Khalkhin Gol | ノモンハン
//! Kwantung Army | Kanto Army | Guandong Army | 関東軍
//! ```
//! Forms are compared after the same analysis as queries (case, accents and width do not
//! matter). A query word, or a quoted phrase, equal to a form is searched as all forms of its
//! group; the others rank a little below the typed one.

use std::path::Path;

use tantivy::tokenizer::TextAnalyzer;
use thiserror::Error;

use crate::analysis::{Mode, normalize, text_analyzer};
use crate::bounded::TextError;

/// The file `ingest` picks up at the top of an ingested folder, and the copy kept in the index.
pub const FILE_NAME: &str = "archivist-variants.txt";

#[derive(Debug, Error)]
pub enum VariantsError {
    #[error("cannot read the variants file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("variants file {path}, line {line}: a group needs at least two forms separated by `|`")]
    Group { path: String, line: usize },
    #[error(
        "variants file {path}, line {line}: a group of {forms} forms; at most {MAX_FORMS} are \
         allowed (every search for one form searches them all)"
    )]
    TooManyForms {
        path: String,
        line: usize,
        forms: usize,
    },
    #[error("variants file {path} is larger than {MAX_FILE} bytes")]
    TooLarge { path: String },
}

/// Forms a group may have. A query for one form searches every form of its group, so a file
/// from an archive (picked up by `ingest`) with one group of 50,000 forms made a search take
/// minutes; real authority files have tens.
pub const MAX_FORMS: usize = 256;
/// Largest variants file read.
pub const MAX_FILE: u64 = 16 << 20;

/// One form: as written, and its analyzed tokens.
#[derive(Debug, Clone)]
struct Form {
    text: String,
    tokens: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Variants {
    groups: Vec<Vec<Form>>,
}

/// No variant names.
pub static NONE: Variants = Variants { groups: Vec::new() };

impl Variants {
    pub fn load(path: &Path) -> Result<Variants, VariantsError> {
        Variants::parse(&text_of(path)?, &path.display().to_string())
    }

    /// The copy `ingest` keeps in the index folder `index_dir`, else none.
    pub fn kept(index_dir: &Path) -> Result<Variants, VariantsError> {
        let kept = index_dir.join(FILE_NAME);
        if kept.is_file() {
            Variants::load(&kept)
        } else {
            Ok(Variants::default())
        }
    }

    pub fn parse(text: &str, path: &str) -> Result<Variants, VariantsError> {
        let mut analyzer = text_analyzer(Mode::Query);
        let mut groups = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let forms: Vec<Form> = line
                .split('|')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| Form {
                    text: f.to_string(),
                    tokens: tokens(&mut analyzer, f),
                })
                .filter(|f| !f.tokens.is_empty())
                .collect();
            if forms.len() < 2 {
                return Err(VariantsError::Group {
                    path: path.to_string(),
                    line: n + 1,
                });
            }
            if forms.len() > MAX_FORMS {
                return Err(VariantsError::TooManyForms {
                    path: path.to_string(),
                    line: n + 1,
                    forms: forms.len(),
                });
            }
            groups.push(forms);
        }
        Ok(Variants { groups })
    }

    /// The other forms of the group whose form analyzes like `typed`, if any.
    pub fn others(&self, typed: &[String]) -> Vec<&str> {
        for group in &self.groups {
            if group.iter().any(|f| f.tokens == typed) {
                return group
                    .iter()
                    .filter(|f| f.tokens != typed)
                    .map(|f| f.text.as_str())
                    .collect();
            }
        }
        Vec::new()
    }

    /// One query per group, matching any of its forms: `"Otozō Yamada" OR "山田乙三"`.
    pub fn group_queries(&self) -> Vec<String> {
        (0..self.groups.len())
            .map(|i| self.group_query(i))
            .collect()
    }

    /// The query of group `i`: any of its forms, each as a phrase.
    pub fn group_query(&self, i: usize) -> String {
        self.groups.get(i).map_or_else(String::new, |group| {
            group
                .iter()
                .map(|f| format!("\"{}\"", f.text.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" OR ")
        })
    }

    /// The name of group `i`, an entity: its first form, as the file writes it.
    pub fn group_name(&self, i: usize) -> &str {
        self.groups
            .get(i)
            .and_then(|g| g.first())
            .map_or("", |f| f.text.as_str())
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// The group one of whose forms analyzes like `text` (`name:"kwantung army"`, `name:関東軍`).
    pub fn group_of(&self, text: &str) -> Option<usize> {
        let typed = tokens(&mut text_analyzer(Mode::Query), text);
        self.groups
            .iter()
            .position(|group| group.iter().any(|f| f.tokens == typed))
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// The text of the variants file at `path`, read through [`MAX_FILE`] (`ingest` reads one
/// it finds in an archive, which may be anything).
pub fn text_of(path: &Path) -> Result<String, VariantsError> {
    let shown = || path.display().to_string();
    crate::bounded::read_text(path, MAX_FILE).map_err(|e| match e {
        TextError::Io(source) => VariantsError::Read {
            path: shown(),
            source,
        },
        TextError::TooLarge => VariantsError::TooLarge { path: shown() },
        TextError::NotUtf8 => VariantsError::Read {
            path: shown(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            ),
        },
    })
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyzer
        .token_stream(&normalize(text))
        .process(&mut |t| out.push(t.text.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_comments_and_lookup() -> Result<(), VariantsError> {
        let v = Variants::parse(
            "# names\nNomonhan | Nomonham | Nomenkan # the battle\n\nKwantung Army | 関東軍\n",
            "v",
        )?;
        let typed = |s: &str| tokens(&mut text_analyzer(Mode::Query), s);
        assert_eq!(v.others(&typed("NOMONHAN")), ["Nomonham", "Nomenkan"]);
        assert_eq!(v.others(&typed("kwantung army")), ["関東軍"]);
        assert!(v.others(&typed("kwantung")).is_empty());
        assert_eq!(v.group_of("関東軍"), Some(1));
        assert_eq!(v.group_of("NOMONHAM"), Some(0));
        assert_eq!(v.group_of("Kwantung"), None);
        assert_eq!(v.group_name(1), "Kwantung Army");
        assert_eq!(v.group_query(1), "\"Kwantung Army\" OR \"関東軍\"");
        Ok(())
    }

    #[test]
    fn a_group_too_large_to_search_is_an_error() {
        let forms: Vec<String> = (0..=MAX_FORMS).map(|i| format!("form{i}")).collect();
        let Err(VariantsError::TooManyForms { line, forms, .. }) =
            Variants::parse(&format!("a | b\n{}\n", forms.join(" | ")), "v")
        else {
            panic!("a group of {} forms must be rejected", MAX_FORMS + 1);
        };
        assert_eq!((line, forms), (2, MAX_FORMS + 1));
        let fits: Vec<String> = (0..MAX_FORMS).map(|i| format!("form{i}")).collect();
        assert!(Variants::parse(&fits.join(" | "), "v").is_ok());
    }

    #[test]
    fn a_group_of_one_is_an_error_with_its_line() {
        let Err(VariantsError::Group { line, .. }) = Variants::parse("a | b\nlonely\n", "v") else {
            panic!("a one-form group must be rejected");
        };
        assert_eq!(line, 2);
    }
}
