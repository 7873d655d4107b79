//! The list `xref` reads: one name a row, with optional aliases and a note. A `.csv` file (or
//! `.tsv`) is a table: with a header naming its columns (`name`, `aliases`, `note`, in any
//! order, other columns ignored) or without one (name, aliases, note, in that order); aliases
//! are separated by `;` or `|`. Any other file is one name a line, blank lines and `#`
//! comments skipped. The same text comes as the body of `POST /api/v1/xref`.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::bounded::TextError;

/// Largest list read: a million names fit in a few tens of MB.
const MAX_FILE: u64 = 256 << 20;

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub name: String,
    /// Other ways the list writes the same person or body, searched as the name is.
    pub aliases: Vec<String>,
    /// The list's note on the name, passed through to the output.
    pub note: String,
}

impl Entry {
    /// The name, then each alias that is not the name again.
    pub fn forms(&self) -> Vec<&str> {
        let mut forms = vec![self.name.as_str()];
        for alias in &self.aliases {
            if !forms.iter().any(|f| f.eq_ignore_ascii_case(alias)) {
                forms.push(alias);
            }
        }
        forms
    }
}

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A table, its cells separated by this byte.
    Table(u8),
    /// One name a line.
    Lines,
}

impl Shape {
    /// The shape a file's extension says: `.csv`, `.tsv`, or lines.
    pub fn of(file: &Path) -> Shape {
        let extension = file
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("csv") => Shape::Table(b','),
            Some("tsv") => Shape::Table(b'\t'),
            _ => Shape::Lines,
        }
    }
}

/// Reads the list in `file`.
pub fn read(file: &Path) -> Result<Vec<Entry>> {
    let text = match crate::bounded::read_text(file, MAX_FILE) {
        Ok(text) => text,
        Err(TextError::Io(e)) => {
            return Err(e).with_context(|| format!("cannot read the list {}", file.display()));
        }
        Err(TextError::TooLarge) => anyhow::bail!(
            "the list {} is larger than {} MB",
            file.display(),
            MAX_FILE >> 20
        ),
        Err(TextError::NotUtf8) => anyhow::bail!("the list {} is not UTF-8", file.display()),
    };
    parse(&text, Shape::of(file)).with_context(|| format!("in the list {}", file.display()))
}

/// The entries of a list's text; rows without a name are skipped.
pub fn parse(text: &str, shape: Shape) -> Result<Vec<Entry>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Shape::Table(delimiter) = shape else {
        return Ok(text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|name| Entry {
                name: name.to_string(),
                aliases: Vec::new(),
                note: String::new(),
            })
            .collect());
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut columns = Columns::default();
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("row {}", n + 1))?;
        if n == 0
            && let Some(named) = Columns::of_header(&record)
        {
            columns = named;
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let name = cell(Some(columns.name));
        if name.is_empty() {
            continue;
        }
        let aliases = cell(columns.aliases)
            .split([';', '|'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        out.push(Entry {
            name: name.to_string(),
            aliases,
            note: cell(columns.note).to_string(),
        });
    }
    Ok(out)
}

/// Which column holds what.
struct Columns {
    name: usize,
    aliases: Option<usize>,
    note: Option<usize>,
}

impl Default for Columns {
    fn default() -> Columns {
        Columns {
            name: 0,
            aliases: Some(1),
            note: Some(2),
        }
    }
}

impl Columns {
    /// The columns a header row names, when it names a `name` column.
    fn of_header(record: &csv::StringRecord) -> Option<Columns> {
        let find = |names: &[&str]| {
            record
                .iter()
                .position(|cell| names.iter().any(|n| cell.trim().eq_ignore_ascii_case(n)))
        };
        Some(Columns {
            name: find(&["name", "names"])?,
            aliases: find(&["aliases", "alias", "also known as", "aka", "variants"]),
            note: find(&["note", "notes", "comment", "comments"]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, aliases: &[&str], note: &str) -> Entry {
        Entry {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            note: note.into(),
        }
    }

    #[test]
    fn a_table_with_a_header_in_any_order() -> Result<()> {
        let text = "\u{feff}note,Name,Aliases,extra\n\
                    general,Otozō Yamada,山田乙三; Otozo Yamada,x\n\
                    ,,,\n\
                    \"a, b\",Kwantung Army,Kantōgun|関東軍,\n";
        assert_eq!(
            parse(text, Shape::Table(b','))?,
            [
                entry("Otozō Yamada", &["山田乙三", "Otozo Yamada"], "general"),
                entry("Kwantung Army", &["Kantōgun", "関東軍"], "a, b"),
            ]
        );
        Ok(())
    }

    #[test]
    fn a_table_without_a_header_and_short_rows() -> Result<()> {
        let text = "Maizuru\nNakhodka,Находка,port\n";
        assert_eq!(
            parse(text, Shape::Table(b','))?,
            [
                entry("Maizuru", &[], ""),
                entry("Nakhodka", &["Находка"], "port")
            ]
        );
        let tabs = "name\tnote\nMaizuru\tport\n";
        assert_eq!(
            parse(tabs, Shape::Table(b'\t'))?,
            [entry("Maizuru", &[], "port")]
        );
        Ok(())
    }

    #[test]
    fn lines_keep_commas_and_skip_comments() -> Result<()> {
        let text = "# suspects\nSmith, John\n\n  Иванов  \n";
        assert_eq!(
            parse(text, Shape::Lines)?,
            [entry("Smith, John", &[], ""), entry("Иванов", &[], "")]
        );
        Ok(())
    }

    #[test]
    fn forms_skip_an_alias_that_is_the_name() {
        let e = entry("Maizuru", &["MAIZURU", "舞鶴"], "");
        assert_eq!(e.forms(), ["Maizuru", "舞鶴"]);
    }

    #[test]
    fn shape_by_extension() {
        assert_eq!(Shape::of(Path::new("a.CSV")), Shape::Table(b','));
        assert_eq!(Shape::of(Path::new("a.tsv")), Shape::Table(b'\t'));
        assert_eq!(Shape::of(Path::new("names.txt")), Shape::Lines);
    }
}
