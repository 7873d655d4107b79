//! Running the helper programs that read what no crate reads as well (poppler's `pdftotext`,
//! `pdfimages` and `pdftoppm`, Tesseract), within bounds that do not depend on the program's
//! goodwill: a hostile file can make a reader loop, allocate without end or print without end,
//! and the batch must go on. Each run has a deadline (the program is killed past it), a cap on
//! what it may print (it is killed past that too), and a cap on its address space.
//!
//! Also the scratch folders those programs read and write in: made exclusively with mode 0700
//! under the temporary folder (`tempfile`), so another local user cannot plant a folder or a
//! link where a page is written, and removed when dropped, when a reader panics, and when the
//! process is interrupted ([`remove_scratch`]). A program dies with the thread waiting for it.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

use super::Rejection;

/// What a run may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall time before the program is killed.
    pub time: Duration,
    /// Bytes of standard output kept; the program is killed when it prints more.
    pub output: usize,
    /// Address space the program may map (`RLIMIT_AS`), in bytes.
    pub memory: u64,
}

/// A program that ran to its end, within its limits.
#[derive(Debug)]
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// The last few kilobytes of what it wrote to standard error.
    pub stderr: Vec<u8>,
}

/// Why a run gave no result.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The program is not installed (or cannot be started).
    #[error("cannot start it ({0})")]
    Missing(std::io::Error),
    /// It ran past its deadline and was killed.
    #[error("it took over {} s and was stopped", .0.as_secs())]
    TimedOut(Duration),
    /// It printed more than its cap and was killed.
    #[error("it printed over {} MB and was stopped", .0 >> 20)]
    TooMuchOutput(usize),
    /// Reading its output or waiting for it failed.
    #[error("{0}")]
    Io(std::io::Error),
}

/// Standard error kept for the message of a failed run.
const STDERR_KEPT: usize = 4096;

/// Runs `command` with no standard input, within `limits`.
pub fn run(command: &mut Command, limits: &Limits) -> Result<Ran, RunError> {
    let ran = run_once(command, limits);
    *ENDED.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    ran
}

/// When a helper program last ended.
static ENDED: Mutex<Option<Instant>> = Mutex::new(None);

/// When a helper program last ended, if one has: a reader waiting on helpers that keep ending
/// (a scanned book, a page at a time) is making progress, not hung.
pub fn last_ended() -> Option<Instant> {
    *ENDED.lock().unwrap_or_else(|e| e.into_inner())
}

fn run_once(command: &mut Command, limits: &Limits) -> Result<Ran, RunError> {
    let memory = limits.memory;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec the closure only calls setrlimit and prctl, which are
    // async-signal-safe, and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: memory as libc::rlim_t,
                rlim_max: memory as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            // The program ends with the thread that waits for it, and so with the process
            // however it ends (killed, interrupted): it never writes on into a removed folder.
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let mut child = command.spawn().map_err(RunError::Missing)?;
    let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(RunError::Io(std::io::Error::other(
            "no pipes to the program",
        )));
    };
    let cap = limits.output;
    let (done, finished) = mpsc::channel();
    // Standard output is read until the program closes it (it exits) or passes the cap; the
    // deadline is kept by waiting for that on a channel.
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = (&mut stdout).take(cap as u64 + 1).read_to_end(&mut out);
        let _ = done.send(());
        read.map(|_| out)
    });
    // Standard error in a thread of its own, so that a program writing many warnings never
    // blocks on a full pipe; only its end is kept.
    let errors = std::thread::spawn(move || {
        let mut kept: Vec<u8> = Vec::new();
        let mut buffer = [0u8; 8192];
        while let Ok(n) = stderr.read(&mut buffer) {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&buffer[..n]);
            if kept.len() > 2 * STDERR_KEPT {
                kept.drain(..kept.len() - STDERR_KEPT);
            }
        }
        kept
    });
    let timed_out = finished.recv_timeout(limits.time).is_err();
    let stdout = if timed_out {
        let _ = child.kill();
        let _ = child.wait();
        let _ = reader.join();
        let _ = errors.join();
        return Err(RunError::TimedOut(limits.time));
    } else {
        reader
            .join()
            .map_err(|_| RunError::Io(std::io::Error::other("reader thread panicked")))?
            .map_err(RunError::Io)?
    };
    if stdout.len() > cap {
        let _ = child.kill();
        let _ = child.wait();
        let _ = errors.join();
        return Err(RunError::TooMuchOutput(cap));
    }
    // Output closed: the program has exited or is about to; it gets the rest of its deadline.
    let status = child.wait().map_err(RunError::Io)?;
    let stderr = errors.join().unwrap_or_default();
    Ok(Ran {
        status,
        stdout,
        stderr,
    })
}

/// The last line a program wrote, for its error message.
pub fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A folder of its own for one file's pages, removed when done (also when a reader panics:
/// the panic unwinds through its drop), or by [`remove_scratch`] when the process is
/// interrupted.
pub struct Scratch(tempfile::TempDir);

/// The scratch folders that exist now. The lock is held while one is made and while they are
/// all removed, so none is made after [`remove_scratch`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

impl Scratch {
    pub fn new() -> Result<Scratch, Rejection> {
        use std::os::unix::fs::PermissionsExt;
        remove_scratch_when_interrupted();
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::Builder::new()
            .prefix("archivist-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(|e| Rejection::Fail(format!("cannot make a scratch folder: {e}")))?;
        live.push(dir.path().to_path_buf());
        Ok(Scratch(dir))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    /// Writes `bytes` as `name` in the folder.
    pub fn file(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, Rejection> {
        let path = self.path(name);
        std::fs::File::create_new(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| Rejection::Fail(format!("cannot write to a scratch folder: {e}")))?;
        Ok(path)
    }

    #[cfg(test)]
    pub fn dir(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|p| p != self.0.path());
        // The folder itself goes when the `TempDir` is dropped, next.
    }
}

/// Makes Ctrl-C (and SIGTERM, SIGHUP) remove the scratch folders and end the process, from the
/// first folder made on: a process that never makes one (a search, `serve`, an ingest without
/// scans) keeps the default handling and pays nothing for it. Nothing else needs doing on
/// the way out: the index keeps its last commit, and the next ingest goes on from there.
fn remove_scratch_when_interrupted() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let _none_made_after = remove_scratch();
            std::process::exit(130);
        });
    });
}

/// Removes every scratch folder, for a process that is about to end without unwinding (on
/// Ctrl-C): returns holding the lock, so that no other is made before it exits.
fn remove_scratch() -> MutexGuard<'static, Vec<PathBuf>> {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    for dir in live.drain(..) {
        // A helper program may still be writing into it: try again while it is not empty.
        for _ in 0..10 {
            match std::fs::remove_dir_all(&dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => break,
            }
        }
    }
    live
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOMY: Limits = Limits {
        time: Duration::from_secs(10),
        output: 1 << 20,
        memory: 1 << 30,
    };

    #[test]
    fn a_scratch_folder_goes_when_its_reader_panics() {
        let mut made = None;
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let scratch = Scratch::new().map_err(|e| e.to_string())?;
            scratch.file("page.png", b"x").map_err(|e| e.to_string())?;
            made = Some(scratch.dir().to_path_buf());
            panic!("a reader's bug");
            #[allow(unreachable_code)]
            Ok::<(), String>(())
        }));
        assert!(panicked.is_err());
        let made = made.expect("a folder was made");
        assert!(!made.exists(), "{made:?} left behind");
        // Ctrl-C is the CLI test `ctrl_c_leaves_no_scratch_folder_behind`: removing every
        // live folder here would take those of the tests running beside this one.
    }

    #[test]
    fn output_and_status_are_returned() {
        let ran = run(
            Command::new("sh").args(["-c", "echo hi; echo oops >&2; exit 3"]),
            &ROOMY,
        )
        .expect("runs");
        assert_eq!(ran.stdout, b"hi\n");
        assert_eq!(last_line(&ran.stderr), "oops");
        assert_eq!(ran.status.code(), Some(3));
    }

    #[test]
    fn a_program_past_its_deadline_is_killed() {
        let limits = Limits {
            time: Duration::from_millis(200),
            ..ROOMY
        };
        let started = std::time::Instant::now();
        let ran = run(Command::new("sleep").arg("30"), &limits);
        assert!(matches!(ran, Err(RunError::TimedOut(_))), "{ran:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_program_printing_without_end_is_stopped() {
        let limits = Limits {
            output: 1000,
            ..ROOMY
        };
        let ran = run(&mut Command::new("yes"), &limits);
        assert!(matches!(ran, Err(RunError::TooMuchOutput(1000))), "{ran:?}");
    }

    #[test]
    fn memory_is_capped() {
        let limits = Limits {
            memory: 64 << 20,
            ..ROOMY
        };
        // Without the cap this prints 536870912.
        let ran = run(
            Command::new("python3").args(["-c", "print(len(bytearray(512 << 20)))"]),
            &limits,
        )
        .expect("runs");
        assert!(!ran.status.success(), "{ran:?}");
        assert!(!String::from_utf8_lossy(&ran.stdout).contains("536870912"));
    }

    #[test]
    fn a_missing_program_is_told_apart() {
        let ran = run(&mut Command::new("archivist-no-such-program"), &ROOMY);
        assert!(matches!(ran, Err(RunError::Missing(_))));
    }

    #[test]
    fn scratch_folders_are_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = Scratch::new().expect("scratch");
        let dir = scratch.dir().to_path_buf();
        let mode = std::fs::metadata(&dir).expect("dir").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        scratch.file("a", b"x").expect("write");
        assert!(
            scratch.file("a", b"y").is_err(),
            "an existing file is never written through"
        );
        drop(scratch);
        assert!(!dir.exists());
    }
}
