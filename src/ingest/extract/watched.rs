//! A reader on a thread of its own, watched from outside: the bound on its time does not depend
//! on the reader's goodwill.
//!
//! Readers are third-party parsers (html5ever, lopdf, quick-xml, zip...) given files made by
//! strangers; one that loops or goes quadratic on a hostile file must fail that file, not hold
//! a worker for good. The watcher measures the reader thread's own CPU time (a reader waiting
//! for Tesseract or pdftotext uses none: those programs have bounds of their own, see
//! `program`), and gives up on it past the bound: the file fails, and the thread is left to
//! finish or spin on its own, its result thrown away, while the batch goes on (it ends with the
//! process). The thread's stack is large enough for the recursion of the parsers on deeply
//! nested files, so that a deep file is not a stack overflow, which would abort the whole batch.
//! A reader that panics ends its thread, which is the same failure as any other.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Stack of a reader's thread: address space, mapped as it is touched.
const STACK: usize = 256 << 20;
/// How often the watcher looks at the reader's CPU clock.
const LOOK: Duration = Duration::from_millis(250);
/// Wall time allowed for each second of CPU time: a reader that waits (on a helper program, on
/// a slow disk) is not cut short, but one that never returns still is.
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

/// Runs `work` on a thread of its own, and returns its result unless it uses more than `cpu`
/// of CPU time (or `cpu` × 30 of wall time) or panics.
pub fn watched<T: Send + 'static>(
    name: &str,
    cpu: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Overrun> {
    let (sender, receiver) = mpsc::sync_channel(1);
    let thread = std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(STACK)
        .spawn(move || {
            let _ = sender.send(work());
        })
        .map_err(|e| Overrun::NoThread(e.to_string()))?;
    let clock = cpu_clock(&thread);
    let started = Instant::now();
    let wall = cpu.saturating_mul(WALL_PER_CPU);
    loop {
        match receiver.recv_timeout(LOOK) {
            Ok(result) => {
                let _ = thread.join();
                return Ok(result);
            }
            Err(RecvTimeoutError::Disconnected) => {
                let _ = thread.join();
                return Err(Overrun::Crashed);
            }
            Err(RecvTimeoutError::Timeout) => {
                // Dropping the handle detaches the thread: it is left to end on its own.
                if let Some(used) = clock.and_then(cpu_time).filter(|used| *used > cpu) {
                    return Err(Overrun::Cpu(used));
                }
                if started.elapsed() > wall {
                    return Err(Overrun::Wall(started.elapsed()));
                }
            }
        }
    }
}

/// The CPU clock of a thread that is still joinable (not yet joined nor detached).
#[cfg(unix)]
fn cpu_clock<T>(thread: &std::thread::JoinHandle<T>) -> Option<libc::clockid_t> {
    use std::os::unix::thread::JoinHandleExt;
    let mut clock: libc::clockid_t = 0;
    // SAFETY: the handle keeps the thread joinable, so its pthread_t is valid here.
    let status = unsafe { libc::pthread_getcpuclockid(thread.as_pthread_t(), &mut clock) };
    (status == 0).then_some(clock)
}

#[cfg(not(unix))]
fn cpu_clock<T>(_thread: &std::thread::JoinHandle<T>) -> Option<i32> {
    None
}

/// CPU time used so far on `clock` (the thread is kept joinable while it is read).
#[cfg(unix)]
fn cpu_time(clock: libc::clockid_t) -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to.
    let status = unsafe { libc::clock_gettime(clock, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

#[cfg(not(unix))]
fn cpu_time(_clock: i32) -> Option<Duration> {
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
    fn a_reader_that_panics_crashed() {
        let result: Result<(), _> = watched("t", Duration::from_secs(5), || panic!("hostile"));
        assert_eq!(result, Err(Overrun::Crashed));
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
