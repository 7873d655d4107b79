//! Time stamps as people read them, shared by what ingest writes (the lock holder's note) and
//! what the renderers print.

use std::time::{Duration, UNIX_EPOCH};

/// RFC 3339 (UTC, seconds) for a Unix time in seconds.
pub fn rfc3339(unix_seconds: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(u64::try_from(unix_seconds).unwrap_or(0));
    humantime::format_rfc3339_seconds(t).to_string()
}
