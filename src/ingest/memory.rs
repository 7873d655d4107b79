//! Memory the process holds without needing it: the pages of lingua's language models once
//! language detection is over, and what glibc's allocator keeps after big documents.
//!
//! lingua reads its models in place from the executable, as FSTs embedded in its read-only
//! data: nothing is decompressed, but every page a lookup touches stays mapped into the process
//! and counts in its RSS, a few MB a language. Ingest needs
//! none of it after the last file is prepared, and its peak comes after that, while the final
//! segment merge maps the index files. Dropping the model pages from the process there (they
//! stay in the page cache, and would fault back in from the executable if read again) lowers
//! that peak by the models' pages (see BENCHMARKS.md, "Figures behind the code").

/// Unmaps the clean, read-only pages of the executable's own file from this process, which are
/// lingua's models in the main. Only mappings that were never written (no dirty or anonymous
/// pages, so not the relocated data) are touched: their contents are the file's, so a later
/// read finds the same bytes. Anything unexpected (no `/proc`, another layout) leaves all as it
/// was: this only ever saves memory.
pub fn release_executable_pages() {
    let (Ok(exe), Ok(smaps)) = (
        std::env::current_exe(),
        std::fs::read_to_string("/proc/self/smaps"),
    ) else {
        return;
    };
    let exe = exe.to_string_lossy().into_owned();
    for mapping in mappings(&smaps) {
        if mapping.path == exe && mapping.perms == "r--p" && mapping.written_kb == 0 {
            // SAFETY: the range is a whole mapping of this process, read-only and private, and
            // never written; MADV_DONTNEED on such a file mapping only drops pages that are
            // read back from the file on the next access. No Rust reference is invalidated.
            unsafe {
                libc::madvise(
                    mapping.start as *mut libc::c_void,
                    mapping.end - mapping.start,
                    libc::MADV_DONTNEED,
                );
            }
        }
    }
}

/// Has glibc's allocator give memory back rather than keep it: blocks of 1 MB and more are mapped
/// and unmapped on their own (glibc otherwise raises that threshold to the largest block freed, up
/// to 32 MB, so after one 40 MB document every big buffer stays in its heaps), the heap is trimmed
/// above 1 MB free, and two arenas serve all threads (see BENCHMARKS.md, "Figures behind the
/// code"). Other C libraries: nothing to do.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before the worker threads
    // start, and glibc accepts it at any time.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// One mapping of `/proc/self/smaps`.
#[derive(Debug, PartialEq)]
struct Mapping<'a> {
    start: usize,
    end: usize,
    perms: &'a str,
    path: &'a str,
    /// Private_Dirty plus Anonymous, in kB: pages that differ from the file.
    written_kb: u64,
}

fn mappings(smaps: &str) -> Vec<Mapping<'_>> {
    let mut out: Vec<Mapping<'_>> = Vec::new();
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let Some(first) = fields.next() else { continue };
        if let Some((start, end)) = first.split_once('-')
            && let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            )
        {
            let perms = fields.next().unwrap_or("");
            let path = fields.nth(3).unwrap_or("");
            out.push(Mapping {
                start,
                end,
                perms,
                path,
                written_kb: 0,
            });
        } else if matches!(first, "Private_Dirty:" | "Anonymous:")
            && let Some(last) = out.last_mut()
        {
            let kb: u64 = fields
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX);
            last.written_kb = last.written_kb.saturating_add(kb);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mappings_and_what_was_written() {
        let smaps = "\
5581a000-5590b000 r--p 00000000 fd:01 123 /usr/bin/archivist
Rss:                 100 kB
Private_Dirty:         0 kB
Anonymous:             0 kB
5590b000-5590c000 r--p 00100000 fd:01 123 /usr/bin/archivist
Private_Dirty:         4 kB
Anonymous:             4 kB
7f00-7f10 rw-p 00000000 00:00 0
Anonymous:             8 kB
";
        let found = mappings(smaps);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0],
            Mapping {
                start: 0x5581a000,
                end: 0x5590b000,
                perms: "r--p",
                path: "/usr/bin/archivist",
                written_kb: 0
            }
        );
        assert_eq!(found[1].written_kb, 8);
        assert_eq!(found[2].path, "");
    }

    #[test]
    fn releasing_keeps_the_program_working() {
        let before = crate::analysis::function_words::list("en").map(<[_]>::len);
        release_executable_pages();
        // Read-only data (here the embedded stop-word lists) reads the same afterwards.
        assert_eq!(
            crate::analysis::function_words::list("en").map(<[_]>::len),
            before
        );
        let detector = super::super::language::Detector::new();
        assert_eq!(
            detector
                .detect("The prisoners were taken to the camps in the east of the country.")
                .main,
            "en"
        );
    }
}
