//! Search: query in, results out.
//!
//! [`parse`] reads the query language, [`query`] compiles it with the index's analyzers,
//! [`execute`] runs it and builds [`execute::Hit`]s, [`snippet`] finds each hit's best passage.
//! Nothing here formats output or loads a language model.

pub mod execute;
pub mod expand;
pub mod parse;
pub mod present;
pub mod query;
pub mod snippet;
pub mod stopwords;
pub mod words;

pub use execute::{Hit, SearchRequest, SearchResults, search};
pub use query::QueryOptions;
