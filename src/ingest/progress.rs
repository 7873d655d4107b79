//! The ingest progress bar (stderr, terminals only) and the per-file lines printed around it.
//! It counts files and bytes, the messages of mailboxes, and the pages read by OCR, which take far longer than their
//! bytes say: a scanned book's pages tick while the file is read.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar; clones draw on the same one (OCR's threads count pages on it).
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
    counts: Arc<Counts>,
}

struct Counts {
    files_done: AtomicUsize,
    total_files: usize,
    pages: AtomicUsize,
    messages: AtomicUsize,
}

impl Progress {
    /// A bar over `total_bytes` of `total_files` files; hidden unless `visible`.
    pub fn new(visible: bool, total_files: usize, total_bytes: u64) -> Progress {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total_bytes), target);
        let style = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {msg}, {decimal_bytes}/{decimal_total_bytes} ({decimal_bytes_per_sec}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        let progress = Progress {
            bar,
            counts: Arc::new(Counts {
                files_done: AtomicUsize::new(0),
                total_files,
                pages: AtomicUsize::new(0),
                messages: AtomicUsize::new(0),
            }),
        };
        progress.show_counts();
        progress
    }

    pub fn advance(&self, files_done: usize, bytes: u64) {
        self.counts.files_done.store(files_done, Ordering::Relaxed);
        self.bar.inc(bytes);
        self.show_counts();
    }

    /// Bytes of a file read in pieces, as each piece is written.
    pub fn read_bytes(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    /// Messages of a mailbox written.
    pub fn messages_read(&self, messages: u64) {
        let n = usize::try_from(messages).unwrap_or(usize::MAX);
        self.counts.messages.fetch_add(n, Ordering::Relaxed);
        self.show_counts();
    }

    /// One more page read by OCR.
    pub fn page_read(&self) {
        self.counts.pages.fetch_add(1, Ordering::Relaxed);
        self.show_counts();
    }

    /// Pages read by OCR so far.
    pub fn pages(&self) -> usize {
        self.counts.pages.load(Ordering::Relaxed)
    }

    fn show_counts(&self) {
        let counts = &self.counts;
        let files = format!(
            "{}/{} files",
            counts.files_done.load(Ordering::Relaxed),
            counts.total_files
        );
        let mut message = files;
        let messages = counts.messages.load(Ordering::Relaxed);
        if messages > 0 {
            message.push_str(&format!(", {messages} messages"));
        }
        let pages = counts.pages.load(Ordering::Relaxed);
        if pages > 0 {
            message.push_str(&format!(", {pages} pages OCR'd"));
        }
        self.bar.set_message(message);
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
