//! Walk the inputs and list the files to consider, with the size and mtime that change detection
//! compares. Nothing is read here.
//!
//! Paths are made absolute (they are the index key). Symbolic links are followed, with loops
//! reported rather than followed forever. The index folder itself is never walked into.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::extract::Format;

/// A file found on disk that may be indexed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The index key: the absolute path, as [`crate::path_key`] writes it.
    pub key: String,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i64,
    /// The first folder below the ingested input it was found under (`.` for files directly
    /// in it or given by name).
    pub folder: String,
}

/// A file or folder that could not be considered, and why.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<SourceFile>,
    /// Inputs that exist, made absolute: indexed files under them that were not found are gone.
    pub roots: Vec<PathBuf>,
    /// Files passed over on purpose (format not handled), not errors.
    pub skipped: Vec<Problem>,
    /// Inputs, folders and files that could not be read.
    pub failed: Vec<Problem>,
    /// Variant-names files found (configuration, not documents).
    pub variants_files: Vec<PathBuf>,
}

/// Whether the file name says this may be a document of a format we read (files without an
/// extension are sniffed when read).
pub fn is_candidate(path: &Path) -> bool {
    Format::of_path(path).is_some()
}

/// Walks `inputs`; symbolic links are followed only where they lead inside the input they
/// were found under, unless `follow_links` says wherever they lead.
pub fn discover(inputs: &[PathBuf], index_dir: &Path, follow_links: bool) -> Discovery {
    let mut found = Discovery::default();
    let index_dir = std::fs::canonicalize(index_dir).ok();
    for input in inputs {
        let root = match std::fs::canonicalize(input) {
            Ok(root) => root,
            Err(e) => {
                found.failed.push(Problem {
                    path: input.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        found.roots.push(root.clone());
        let mut walker = WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| index_dir.as_deref() != Some(e.path()));
        while let Some(entry) = walker.next() {
            if let Ok(entry) = &entry
                && entry.path_is_symlink()
                && !follow_links
                && let Some(target) = leads_outside(entry.path(), &root)
            {
                found.skipped.push(Problem {
                    path: entry.path().to_path_buf(),
                    reason: format!(
                        "a symbolic link to {}, outside {}: not followed (--follow-links \
                         follows it)",
                        target.display(),
                        root.display()
                    ),
                });
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            match entry {
                Ok(entry) if entry.file_type().is_file() => found.consider(entry.path(), &root),
                Ok(entry) if !entry.file_type().is_dir() => found.skipped.push(Problem {
                    path: entry.path().to_path_buf(),
                    reason: format!("{}: not read", special(&entry.file_type())),
                }),
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    };
                    found.failed.push(Problem { path, reason });
                }
            }
        }
    }
    found
}

/// Where the link at `path` leads, when that is outside `root`. An archive from elsewhere can
/// hold a link to `/` or to the user's home: followed, it would index (and `serve` would
/// show) files that were never given. A link that cannot be resolved is left to the walk,
/// which reports it.
fn leads_outside(path: &Path, root: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(path).ok()?;
    (!target.starts_with(root)).then_some(target)
}

/// What a file that is neither a regular file nor a folder is: reading a named pipe would wait
/// for a writer for ever, and a device (`/dev/zero`, a link to it) never ends.
fn special(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = kind;
    "not a regular file"
}

/// Why a file of a format not read is skipped.
fn unsupported(path: &Path) -> String {
    match path.extension().map(|e| e.to_string_lossy()) {
        Some(ext) if ext.eq_ignore_ascii_case("msf") => "Thunderbird's summary of a mail \
            folder (the folder itself, the file beside it without .msf, is the mailbox read)"
            .into(),
        Some(ext) => format!("unsupported format (.{ext})"),
        None => "unsupported format".into(),
    }
}

impl Discovery {
    fn consider(&mut self, path: &Path, root: &Path) {
        if path.file_name().and_then(|n| n.to_str()) == Some(crate::variants::FILE_NAME) {
            self.variants_files.push(path.to_path_buf());
            return;
        }
        if !is_candidate(path) {
            self.skipped.push(Problem {
                path: path.to_path_buf(),
                reason: unsupported(path),
            });
            return;
        }
        let key = crate::path_key::key_of(path);
        match std::fs::metadata(path) {
            Ok(meta) => {
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
                    .unwrap_or(0);
                let folder = path
                    .strip_prefix(root)
                    .ok()
                    .and_then(|rel| rel.parent())
                    .and_then(|parent| parent.components().next())
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .unwrap_or_else(|| ".".to_string());
                self.files.push(SourceFile {
                    path: path.to_path_buf(),
                    key,
                    size: meta.len(),
                    mtime,
                    folder,
                });
            }
            Err(e) => self.failed.push(Problem {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        }
    }

    /// Whether `key` lies under one of the walked inputs.
    pub fn covers(&self, key: &str) -> bool {
        let path = crate::path_key::path_of(key);
        self.roots.iter().any(|root| path.starts_with(root))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_by_extension() {
        assert!(is_candidate(Path::new("a/notes.txt")));
        assert!(is_candidate(Path::new("README.MD")));
        assert!(is_candidate(Path::new("a/LICENSE")));
        assert!(is_candidate(Path::new("a/scan.JPG")), "read by OCR");
        assert!(!is_candidate(Path::new("a/song.mp3")));
    }

    #[test]
    fn walks_and_skips_index_folder() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("sub"))?;
        std::fs::create_dir_all(dir.path().join("idx"))?;
        std::fs::write(dir.path().join("sub/a.txt"), "alpha")?;
        std::fs::write(dir.path().join("idx/meta"), "not a document")?;
        std::fs::write(dir.path().join("b.mp3"), [0u8, 1, 2])?;
        let found = discover(&[dir.path().to_path_buf()], &dir.path().join("idx"), false);
        assert_eq!(found.files.len(), 1);
        assert!(found.files[0].key.ends_with("a.txt"));
        assert_eq!(found.skipped.len(), 1);
        assert!(found.failed.is_empty());
        Ok(())
    }
}
