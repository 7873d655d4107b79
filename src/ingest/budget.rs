//! A bound on the bytes of files in the pipeline at once, so that memory does not grow with the
//! size of the files that happen to be processed together.
//!
//! A large text costs several times its size while it is read, extracted and normalized, and two
//! such files prepared side by side by two workers add up (see BENCHMARKS.md, "Figures behind the
//! code"). Each worker takes a file's size from the budget before reading it, and it is given back
//! once tantivy has indexed the file's documents (see [`Held`]), so a file larger than the whole
//! budget is prepared alone and small files still flow in parallel.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// File bytes in the pipeline at once (read, being prepared, or queued for the writer or for
/// tantivy's indexing threads).
pub const IN_FLIGHT_BYTES: u64 = 48 << 20;

#[derive(Debug)]
pub struct Budget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
    closed: AtomicBool,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
            closed: AtomicBool::new(false),
        }
    }

    /// Waits until `bytes` fit, or until nothing else is in flight (a file larger than the
    /// limit goes alone), and takes them.
    pub fn take(&self, bytes: u64) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + bytes > self.limit && !self.closed.load(Ordering::Relaxed) {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
    }

    /// Takes `bytes` without waiting: what a piece of a file read in pieces needed beyond what
    /// was taken for it before it was cut (one message larger than a piece). Waiting here could
    /// wait forever: the writer may be holding later pieces until this one comes.
    pub fn overdraw(&self, bytes: u64) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        *used += bytes;
    }

    /// A guard that closes the budget when dropped: the writer's loop holds it, so workers never
    /// wait for a writer that has stopped, on an error or at the end.
    pub fn closer(&self) -> Closer<'_> {
        Closer(self)
    }

    /// Lets every waiting and later [`Budget::take`] through: the writer has stopped.
    pub fn close(&self) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = 0;
        self.closed.store(true, Ordering::Relaxed);
        self.freed.notify_all();
    }

    /// Gives back what [`Budget::take`] took.
    pub fn give(&self, bytes: u64) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(bytes);
        self.freed.notify_all();
    }
}

/// A file's share of the budget, given back when the last holder drops it. The writer hands
/// one to each of the file's documents, and tantivy drops a document once it has indexed it.
/// tantivy queues up to 10,000 documents for its indexing threads, outside any bound of ours:
/// once detection got faster than indexing, that queue filled (10,000 documents of a few
/// hundred kB would be gigabytes); now the budget covers it.
#[derive(Debug)]
pub struct Held {
    budget: Arc<Budget>,
    bytes: u64,
}

impl Held {
    /// Holds `bytes` that [`Budget::take`] took from `budget`.
    pub fn new(budget: Arc<Budget>, bytes: u64) -> Arc<Held> {
        Arc::new(Held { budget, bytes })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.give(self.bytes);
    }
}

/// See [`Budget::closer`].
pub struct Closer<'a>(&'a Budget);

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_file_over_the_limit_goes_alone_and_small_ones_share() {
        let budget = Arc::new(Budget::new(100));
        budget.take(30);
        budget.take(60); // both fit
        let waiting = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || {
                budget.take(500); // larger than the limit: waits until the pipeline is empty
                budget.give(500);
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiting.is_finished(), "a large file started beside others");
        budget.give(30);
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !waiting.is_finished(),
            "a large file started beside another"
        );
        budget.give(60);
        waiting.join().expect("the large file ran once alone");
        budget.take(100);
        budget.give(100);
    }

    /// What a file took comes back when the last of its documents is dropped.
    #[test]
    fn held_bytes_come_back_with_the_last_holder() {
        let budget = Arc::new(Budget::new(100));
        budget.take(80);
        let held = Held::new(Arc::clone(&budget), 80);
        let document = Arc::clone(&held);
        drop(held);
        let waiting = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || budget.take(50))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !waiting.is_finished(),
            "given back while a document held it"
        );
        drop(document);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !waiting.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(
            waiting.is_finished(),
            "not given back with the last document"
        );
    }

    #[test]
    fn closing_lets_waiting_takers_through() {
        let budget = Arc::new(Budget::new(10));
        budget.take(10);
        let waiting = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || budget.take(10))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiting.is_finished());
        drop(budget.closer());
        waiting.join().expect("released by close");
    }
}
