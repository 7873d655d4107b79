//! The only place that formats output: terminal text (optionally coloured) and JSON.
//!
//! Renderers consume finished results ([`crate::search::SearchResults`],
//! [`crate::status::Status`], [`crate::verify::Verification`], [`crate::ingest::IngestReport`])
//! and the notices ingest gives as it goes; they return lines or write them, and never search,
//! ingest or open the index. [`terminal`] writes text for people, [`json`] the stable JSON
//! formats (documented there and in README.md), [`export`] hits as CSV rows and JSON lines;
//! [`printer`] puts them together as the one sink every way of searching prints through;
//! [`xref`] writes `xref`'s names and matches in each format, [`similar`] the documents like one.
//! Terminal text from files passes through [`terminal::inert`] (see `inert`).

pub mod export;
mod inert;
pub mod json;
pub mod printer;
pub mod similar;
pub mod terminal;
pub mod xref;

pub use crate::timestamp::rfc3339;
