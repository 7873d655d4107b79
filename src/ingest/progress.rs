//! The ingest progress bar (stderr, terminals only) and the per-file lines printed around it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
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
            "{spinner} [{bar:30}] {msg} files, {decimal_bytes}/{decimal_total_bytes} ({decimal_bytes_per_sec}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(format!("0/{total_files}"));
        Progress { bar }
    }

    pub fn advance(&self, files_done: usize, total_files: usize, bytes: u64) {
        self.bar.inc(bytes);
        self.bar.set_message(format!("{files_done}/{total_files}"));
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
