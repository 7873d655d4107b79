//! Search: query in, results out.
//!
//! [`parse`] reads the query language, [`query`] compiles it with the index's analyzers,
//! [`execute`] runs it and builds [`execute::Hit`]s, [`snippet`] finds each hit's best passage.
//! Beside them: [`words`] cuts text typed without spaces into words, [`expand`] finds the index
//! terms of prefix and fuzzy words, [`stopwords`] the function words `--any` leaves out,
//! [`segment_fields`] which fields each segment has (so clauses skip segments without theirs),
//! [`collapse`] makes identical files one hit, and [`facets`] counts the result set;
//! [`document`] reads one document whole, with every match in it; [`stored`] what the index
//! stores of a document.
//! Nothing here formats output or loads a language model.

pub mod collapse;
pub mod document;
pub mod execute;
pub mod expand;
pub mod facets;
pub mod parse;
pub mod query;
pub mod segment_fields;
pub mod snippet;
pub mod stopwords;
pub mod stored;
pub mod words;

pub use execute::{Hit, SearchRequest, SearchResults, annotate, marked, search_into, search_with};
pub use query::QueryOptions;
