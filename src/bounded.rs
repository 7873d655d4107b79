//! Text files a user names (`--batch`, `--variants`, the variants file an ingest finds), read
//! through a bound: the size a file claims is not trusted (a device such as `/dev/zero` claims
//! none and never ends), so no more than the bound and one byte is ever read.

use std::io::Read;
use std::path::Path;

/// Why such a file was not read.
#[derive(Debug)]
pub enum TextError {
    Io(std::io::Error),
    /// Longer than the bound.
    TooLarge,
    NotUtf8,
}

/// The text of `path`, if it is UTF-8 and at most `max` bytes long.
pub fn read_text(path: &Path, max: u64) -> Result<String, TextError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(TextError::Io)?;
    if bytes.len() as u64 > max {
        return Err(TextError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|_| TextError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_up_to_its_bound_and_no_further() {
        assert!(matches!(
            read_text(Path::new("/dev/zero"), 1 << 20),
            Err(TextError::TooLarge)
        ));
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("names.txt");
        std::fs::write(&path, "Maizuru\n").expect("write");
        assert_eq!(read_text(&path, 8).ok().as_deref(), Some("Maizuru\n"));
        assert!(matches!(read_text(&path, 7), Err(TextError::TooLarge)));
        std::fs::write(&path, b"caf\xe9").expect("write");
        assert!(matches!(read_text(&path, 8), Err(TextError::NotUtf8)));
    }
}
