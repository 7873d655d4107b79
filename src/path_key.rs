//! File paths as index keys. A path is the key of its documents, and keys are strings; most
//! paths are UTF-8 and are their own key. Old disks hold names in Shift_JIS, cp1251 or Latin-1
//! that are not: each byte of such a name that is not UTF-8 becomes a character of Unicode's
//! last private-use block (U+10FF80 to U+10FFFF), so the key keeps the exact bytes ([`path_of`]
//! gives them back, for `verify` to reopen the file) and [`shown`] writes them as `\xNN`.
//! Ingest makes keys; verify and the renderers read them.

use std::path::{Path, PathBuf};

/// Where the escaped bytes 0x80..=0xFF start (only bytes of 0x80 and above are ever invalid).
const ESCAPE_BASE: u32 = 0x10FF00;

/// The key of `path`: the path itself when it is UTF-8, else with every byte that is not
/// escaped.
pub fn key_of(path: &Path) -> String {
    if let Some(utf8) = path.to_str() {
        return utf8.to_string();
    }
    escaped(path)
}

#[cfg(unix)]
fn escaped(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for &byte in chunk.invalid() {
            out.push(char::from_u32(ESCAPE_BASE + u32::from(byte)).unwrap_or('\u{fffd}'));
        }
    }
    out
}

#[cfg(not(unix))]
fn escaped(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn escaped_byte(c: char) -> Option<u8> {
    let n = u32::from(c).checked_sub(ESCAPE_BASE)?;
    u8::try_from(n).ok().filter(|b| *b >= 0x80)
}

/// The path a key stands for, byte for byte.
#[cfg(unix)]
pub fn path_of(key: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    if !key.chars().any(|c| escaped_byte(c).is_some()) {
        return PathBuf::from(key);
    }
    let mut bytes = Vec::with_capacity(key.len());
    for c in key.chars() {
        match escaped_byte(c) {
            Some(byte) => bytes.push(byte),
            None => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
pub fn path_of(key: &str) -> PathBuf {
    PathBuf::from(key)
}

/// A key as people read it: the bytes that are not UTF-8 as `\xNN`.
pub fn shown(key: &str) -> String {
    if !key.chars().any(|c| escaped_byte(c).is_some()) {
        return key.to_string();
    }
    key.chars()
        .map(|c| match escaped_byte(c) {
            Some(byte) => format!("\\x{byte:02X}"),
            None => c.to_string(),
        })
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    use super::*;

    #[test]
    fn names_that_are_not_utf8_keep_their_bytes() {
        // `café` in Latin-1 and `日本` in Shift_JIS.
        for name in [&b"/old/caf\xe9.txt"[..], b"/old/\x93\xfa\x96\x7b.txt"] {
            let path = Path::new(OsStr::from_bytes(name));
            let key = key_of(path);
            assert_eq!(path_of(&key), path, "{key:?}");
        }
        assert_eq!(
            shown(&key_of(Path::new(OsStr::from_bytes(b"/old/caf\xe9.txt")))),
            "/old/caf\\xE9.txt"
        );
        assert_eq!(key_of(Path::new("/new/café.txt")), "/new/café.txt");
        assert_eq!(path_of("/new/café.txt"), Path::new("/new/café.txt"));
        assert_eq!(shown("/new/café.txt"), "/new/café.txt");
    }
}
