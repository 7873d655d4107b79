//! A reader on a thread of its own, watched from outside: the bound on its time does not depend
//! on the reader's goodwill.
//!
//! Readers are third-party parsers (html5ever, lopdf, quick-xml, zip...) given files made by
//! strangers; one that loops or goes quadratic on a hostile file must fail that file, not hold
//! a worker for good. The watcher measures the reader thread's own CPU time (a reader waiting
//! for Tesseract or pdftotext uses none: those programs have bounds of their own, see
//! `program`), and gives up on it past the bound: the file fails, and the thread is left to
//! finish or spin on its own, its result thrown away, while the batch goes on (it ends with the
//! process) and the next file gets a new thread. Otherwise a worker's reader thread reads one
//! file after another. Its stack is large enough for the recursion of the parsers on deeply
//! nested files, so that a deep file is not a stack overflow, which would abort the whole batch.
//! A reader that panics fails its file; the thread goes on to the next.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Stack of a reader's thread: address space, mapped as it is touched.
const STACK: usize = 256 << 20;
/// How often the watcher looks at the reader's CPU clock.
const LOOK: Duration = Duration::from_millis(250);
/// Wall time allowed for each second of CPU time, counted from the last time a helper program
/// ended: a reader that waits on Tesseract page after page is not cut short, but one that
/// never returns still is.
const WALL_PER_CPU: u32 = 30;

/// Why a watched reader gave no result.
#[derive(Debug, PartialEq, Eq)]
pub enum Overrun {
    /// It used more CPU time than it may.
    Cpu(Duration),
    /// It took more wall time than it may.
    Wall(Duration),
    /// It panicked.
    Crashed,
    /// No thread could be started for it.
    NoThread(String),
}

/// A job for a reader thread.
type Job = Box<dyn FnOnce() + Send>;

/// The thread a calling thread (an ingest worker) has its files read on, kept from one file to
/// the next: a thread per file would cost more than many files take to read.
struct ReaderThread {
    jobs: mpsc::Sender<Job>,
    /// Kept, not joined: a joinable thread's CPU clock stays valid. Dropping it (with the
    /// sender) leaves the thread to end after its job.
    _thread: std::thread::JoinHandle<()>,
    clock: Option<Clock>,
}

impl ReaderThread {
    fn start(name: &str) -> std::io::Result<ReaderThread> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .stack_size(STACK)
            .spawn(move || {
                while let Ok(job) = queue.recv() {
                    // A panic ends the job, not the thread; the job's result channel is
                    // dropped on the way, which is how its caller learns of it.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })?;
        let clock = cpu_clock(&thread);
        Ok(ReaderThread {
            jobs,
            _thread: thread,
            clock,
        })
    }

    /// CPU time the thread has used so far.
    fn used(&self) -> Option<Duration> {
        self.clock.and_then(cpu_time)
    }
}

thread_local! {
    /// This thread's reader thread, when it has one that is idle.
    static READER: std::cell::RefCell<Option<ReaderThread>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `work` on a reader thread (this thread's own, kept for the next call), and returns its
/// result unless it uses more than `cpu` of CPU time (or `cpu` × 30 of wall time) or panics. A
/// reader thread that overruns is given up on, and the next call starts another.
pub fn watched<T: Send + 'static>(
    name: &str,
    cpu: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Overrun> {
    let reader = match READER.with(|r| r.borrow_mut().take()) {
        Some(reader) => reader,
        None => ReaderThread::start(name).map_err(|e| Overrun::NoThread(e.to_string()))?,
    };
    let (sender, receiver) = mpsc::sync_channel(1);
    let before = reader.used();
    let job: Job = Box::new(move || {
        let _ = sender.send(work());
    });
    if reader.jobs.send(job).is_err() {
        return Err(Overrun::NoThread("the reader thread ended".into()));
    }
    let started = Instant::now();
    let wall = cpu.saturating_mul(WALL_PER_CPU);
    let keep = |reader: ReaderThread| READER.with(|r| *r.borrow_mut() = Some(reader));
    loop {
        match receiver.recv_timeout(LOOK) {
            Ok(result) => {
                keep(reader);
                return Ok(result);
            }
            Err(RecvTimeoutError::Disconnected) => {
                keep(reader);
                return Err(Overrun::Crashed);
            }
            Err(RecvTimeoutError::Timeout) => {
                let used = reader
                    .used()
                    .zip(before)
                    .map(|(now, before)| now.saturating_sub(before));
                // Returning drops `reader`: its thread is left to end on its own.
                if let Some(used) = used.filter(|used| *used > cpu) {
                    return Err(Overrun::Cpu(used));
                }
                // Waiting is judged from the last sign of progress: a helper program ending.
                let since =
                    super::program::last_ended().map_or(started, |ended| ended.max(started));
                if since.elapsed() > wall {
                    return Err(Overrun::Wall(started.elapsed()));
                }
            }
        }
    }
}

#[cfg(unix)]
type Clock = libc::clockid_t;
#[cfg(not(unix))]
type Clock = i32;

/// The CPU clock of a thread that is still joinable (not yet joined nor detached).
#[cfg(unix)]
fn cpu_clock<T>(thread: &std::thread::JoinHandle<T>) -> Option<Clock> {
    use std::os::unix::thread::JoinHandleExt;
    let mut clock: libc::clockid_t = 0;
    // SAFETY: the handle keeps the thread joinable, so its pthread_t is valid here.
    let status = unsafe { libc::pthread_getcpuclockid(thread.as_pthread_t(), &mut clock) };
    (status == 0).then_some(clock)
}

#[cfg(not(unix))]
fn cpu_clock<T>(_thread: &std::thread::JoinHandle<T>) -> Option<Clock> {
    None
}

/// CPU time used so far on `clock` (the thread is kept joinable while it is read).
#[cfg(unix)]
fn cpu_time(clock: Clock) -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to.
    let status = unsafe { libc::clock_gettime(clock, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

#[cfg(not(unix))]
fn cpu_time(_clock: Clock) -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_that_returns_gives_its_result() {
        assert_eq!(watched("t", Duration::from_secs(5), || 7), Ok(7));
    }

    #[test]
    fn a_reader_that_spins_is_left_behind_past_its_cpu_time() {
        let started = Instant::now();
        let result = watched("t", Duration::from_millis(300), move || {
            // Spins well past the bound, then ends, not to burn a core for the other tests.
            let mut x = 0u64;
            while started.elapsed() < Duration::from_secs(10) {
                x = std::hint::black_box(x.wrapping_add(1));
            }
            x
        });
        assert!(matches!(result, Err(Overrun::Cpu(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_reader_that_waits_is_judged_by_wall_time() {
        let result = watched("t", Duration::from_millis(10), || {
            std::thread::sleep(Duration::from_secs(30));
        });
        assert!(matches!(result, Err(Overrun::Wall(_))), "{result:?}");
    }

    #[test]
    fn a_reader_that_panics_crashed_and_the_next_is_read() {
        let result: Result<(), _> = watched("t", Duration::from_secs(5), || panic!("hostile"));
        assert_eq!(result, Err(Overrun::Crashed));
        assert_eq!(watched("t", Duration::from_secs(5), || 8), Ok(8));
    }

    #[test]
    fn a_reader_thread_serves_one_file_after_another_and_is_replaced_when_given_up() {
        let thread = || std::thread::current().id();
        let first = watched("t", Duration::from_secs(5), thread);
        assert_eq!(first, watched("t", Duration::from_secs(5), thread));
        let spun = watched("t", Duration::from_millis(50), || {
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(2) {
                std::hint::black_box(0);
            }
        });
        assert!(matches!(spun, Err(Overrun::Cpu(_))), "{spun:?}");
        let next = watched("t", Duration::from_secs(5), thread);
        assert!(next.is_ok() && next != first, "a new reader thread");
    }

    #[test]
    fn a_file_is_charged_only_its_own_cpu_time() {
        let spin = || {
            let started = Instant::now();
            while started.elapsed() < Duration::from_millis(300) {
                std::hint::black_box(0);
            }
        };
        assert_eq!(watched("t", Duration::from_secs(5), spin), Ok(()));
        // The thread has used 300 ms; this file uses none while it waits past the first look.
        let waits = || std::thread::sleep(Duration::from_millis(400));
        assert_eq!(watched("t", Duration::from_millis(100), waits), Ok(()));
    }

    #[test]
    fn deep_recursion_fits_in_a_readers_stack() {
        // About 40 MB of stack: an overflow (an abort of the process) on an ordinary thread.
        fn down(n: u64) -> u64 {
            let frame = std::hint::black_box([n; 24]);
            if n == 0 {
                0
            } else {
                1 + std::hint::black_box(down(frame[0] - 1))
            }
        }
        assert_eq!(
            watched("t", Duration::from_secs(10), || down(200_000)),
            Ok(200_000)
        );
    }
}
