//! The only place that formats output: terminal text (optionally coloured) and JSON.
//!
//! Renderers consume finished results ([`crate::search::SearchResults`], [`crate::status::Status`])
//! and write to stdout; progress and diagnostics never come through here.

pub mod json;
pub mod terminal;

pub use crate::timestamp::rfc3339;
