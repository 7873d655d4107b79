//! Hostile input, made at test time (no binary blobs): files made to hang, exhaust or trick the
//! readers; names and titles made to act on a terminal or a spreadsheet; requests of another
//! site (DNS rebinding, cross-origin writes); and `serve` under faults. Each test would fail
//! without the guard it names. The browser's side of the cross-site cases is in `browser`.

use std::fs::File;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::*;

mod inputs;
mod output;
mod readers;
mod serving;

/// Bounds every hostile file is read within (README, "Safe by default").
const STATED_TIME: Duration = Duration::from_secs(10);
const STATED_MEMORY_KB: i64 = 600 << 10;

/// A run of the binary with its wall time and peak memory (its own, from `wait4`).
pub(crate) struct Measured {
    pub code: Option<i32>,
    pub stderr: String,
    pub wall: Duration,
    pub max_rss_kb: i64,
}

/// Runs archivist in `env` with `args`, measuring it.
pub(crate) fn measured(env: &Env, args: &[&str]) -> Measured {
    let err_path = env.path("measured.err");
    let started = Instant::now();
    #[allow(clippy::zombie_processes)] // waited for by wait4, for its rusage
    let child = Command::new(env!("CARGO_BIN_EXE_archivist"))
        .args(args)
        .current_dir(env.dir.path())
        .env("XDG_CACHE_HOME", env.path("cache"))
        .stdout(Stdio::null())
        .stderr(File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("run archivist");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet waited for.
    let waited = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as i32, "wait4");
    // Waited for above, by pid; `Child` is not told, and must not wait again.
    std::mem::forget(child);
    let wall = started.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Measured {
        code,
        stderr: read(&err_path),
        wall,
        max_rss_kb: usage.ru_maxrss,
    }
}
