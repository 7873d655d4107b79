//! Search: query in, results out.
//!
//! A [`request::SearchRequest`] says what to find and show; [`parse`] reads the query
//! language, [`query`] compiles it with the index's analyzers, [`execute`] runs it and builds
//! [`execute::Hit`]s, handing them to a [`sink::Sink`] (a printer, or a collector), and
//! [`snippet`] finds each hit's best passage.
//! Beside them: [`words`] cuts text typed without spaces into words, [`expand`] finds the index
//! terms of prefix and fuzzy words, [`stopwords`] the function words `--any` leaves out,
//! [`segment_fields`] which fields each segment has (so clauses skip segments without theirs),
//! [`collapse`] makes identical files one hit, and [`facets`] counts the result set;
//! [`whole`] reads one document whole, with every match in it; [`stored`] what the index
//! stores of a document; [`near`] and [`similar`] relate documents by their text, [`thread`]
//! e-mails by their headers (read term by term through [`postings`]), and [`conversation`]
//! shows a thread.
//! Nothing here formats output or loads a language model.

pub mod bands;
pub mod collapse;
pub mod conversation;
pub mod execute;
pub mod expand;
pub mod facets;
pub mod memo;
pub mod near;
pub mod parse;
pub mod postings;
pub mod query;
pub mod request;
pub mod segment_fields;
pub mod similar;
pub mod sink;
pub mod snippet;
pub mod stopwords;
pub mod stored;
pub mod thread;
pub mod whole;
pub mod words;

pub use execute::{Hit, SearchResults, search_into, search_with};
pub use query::QueryOptions;
pub use request::{SearchRequest, lang_list};
pub use sink::{Annotated, Sink, annotate, doc_ref};
