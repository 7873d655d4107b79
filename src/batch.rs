//! The queries of `search --batch FILE`: one per line (blank lines and `#` comments skipped),
//! or of a `.csv` file the first column of each row, a header `query` skipped.

use std::path::Path;

use anyhow::{Context, Result};

use crate::bounded::TextError;

/// Largest batch file read (a million names fit in a few tens of MB).
const MAX_FILE: u64 = 256 << 20;

pub fn queries(file: &Path) -> Result<Vec<String>> {
    let text = match crate::bounded::read_text(file, MAX_FILE) {
        Ok(text) => text,
        Err(TextError::Io(e)) => {
            return Err(e)
                .with_context(|| format!("cannot read the batch file {}", file.display()));
        }
        Err(TextError::TooLarge) => anyhow::bail!(
            "the batch file {} is larger than {} MB",
            file.display(),
            MAX_FILE >> 20
        ),
        Err(TextError::NotUtf8) => {
            anyhow::bail!("the batch file {} is not UTF-8", file.display())
        }
    };
    let is_csv = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut out = Vec::new();
    if is_csv {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for (n, record) in reader.records().enumerate() {
            let record = record.with_context(|| format!("{}: row {}", file.display(), n + 1))?;
            let first = record.get(0).unwrap_or("").trim();
            if n == 0 && first.eq_ignore_ascii_case("query") {
                continue;
            }
            keep(first, &mut out);
        }
    } else {
        for line in text.lines() {
            keep(line.trim(), &mut out);
        }
    }
    Ok(out)
}

fn keep(query: &str, out: &mut Vec<String>) {
    if !query.is_empty() && !query.starts_with('#') {
        out.push(query.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_csv_columns() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let list = dir.path().join("names.txt");
        std::fs::write(&list, "# names\nMaizuru\n\n  Otozō Yamada \n#done\n")?;
        assert_eq!(queries(&list)?, ["Maizuru", "Otozō Yamada"]);
        let table = dir.path().join("names.csv");
        std::fs::write(&table, "query,note\n\"Kwantung Army\",x\n抑留,\"a, b\"\n")?;
        assert_eq!(queries(&table)?, ["Kwantung Army", "抑留"]);
        Ok(())
    }
}
