//! The only place that formats output: terminal text (optionally coloured) and JSON.
//!
//! Renderers consume finished results ([`crate::search::SearchResults`], [`crate::status::Status`])
//! and write to stdout; progress and diagnostics never come through here.

pub mod json;
pub mod terminal;

use std::time::{Duration, UNIX_EPOCH};

/// RFC 3339 (UTC, seconds) for a Unix time in seconds.
pub fn rfc3339(unix_seconds: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(u64::try_from(unix_seconds).unwrap_or(0));
    humantime::format_rfc3339_seconds(t).to_string()
}
