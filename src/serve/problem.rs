//! What an error answers: a status, a message in English (the CLI's, for a malformed query),
//! and a `code` with its `args` that stay the same across versions, so that a script can tell
//! errors apart and the page can say each in its reader's language (docs/api.md lists them).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::search::parse::ParseError;
use crate::search::query::QueryError;

/// What went wrong, as a word programs can rely on; the page shows each in its reader's
/// language (`error-CODE` in its catalogues) with the `args` it comes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// A parameter, header or body is wrong or too large (`args.detail`: which and how).
    Request,
    NotFound,
    NoDocument,
    /// The query cannot be read (`args.column`, and the `word`, `field` or `value` at fault).
    QueryEmpty,
    QueryQuote,
    QueryParen,
    QueryUnexpectedParen,
    QueryDangling,
    QueryField,
    QueryYear,
    QueryDate,
    QueryNothing,
    /// The list of names to cross-reference cannot be read (`args.detail`).
    List,
    TooLarge,
    Link,
    Unreadable,
    Changed,
    Token,
    Forbidden,
    Host,
    TooLong,
    Stopping,
    NoIndex,
    Busy,
    Storage,
    /// The server's own failure (`args.detail`).
    Internal,
}

impl Code {
    #[cfg(test)]
    pub const ALL: [Code; 26] = [
        Code::Request,
        Code::NotFound,
        Code::NoDocument,
        Code::QueryEmpty,
        Code::QueryQuote,
        Code::QueryParen,
        Code::QueryUnexpectedParen,
        Code::QueryDangling,
        Code::QueryField,
        Code::QueryYear,
        Code::QueryDate,
        Code::QueryNothing,
        Code::List,
        Code::TooLarge,
        Code::Link,
        Code::Unreadable,
        Code::Changed,
        Code::Token,
        Code::Forbidden,
        Code::Host,
        Code::TooLong,
        Code::Stopping,
        Code::NoIndex,
        Code::Busy,
        Code::Storage,
        Code::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Request => "request",
            Code::NotFound => "not-found",
            Code::NoDocument => "no-document",
            Code::QueryEmpty => "query-empty",
            Code::QueryQuote => "query-quote",
            Code::QueryParen => "query-paren",
            Code::QueryUnexpectedParen => "query-unexpected-paren",
            Code::QueryDangling => "query-dangling",
            Code::QueryField => "query-field",
            Code::QueryYear => "query-year",
            Code::QueryDate => "query-date",
            Code::QueryNothing => "query-nothing",
            Code::List => "list",
            Code::TooLarge => "too-large",
            Code::Link => "link",
            Code::Unreadable => "unreadable",
            Code::Changed => "changed",
            Code::Token => "token",
            Code::Forbidden => "forbidden",
            Code::Host => "host",
            Code::TooLong => "too-long",
            Code::Stopping => "stopping",
            Code::NoIndex => "no-index",
            Code::Busy => "busy",
            Code::Storage => "storage",
            Code::Internal => "internal",
        }
    }

    /// Whether the message itself is the detail the page shows inside its own words.
    fn has_detail(self) -> bool {
        matches!(self, Code::Request | Code::List | Code::Internal)
    }
}

/// A JSON error: `{"error": message, "code": code, "args": {…}}` with `status`.
pub fn error(status: StatusCode, code: Code, message: &str) -> Response {
    let args = if code.has_detail() {
        serde_json::json!({ "detail": message })
    } else {
        serde_json::json!({})
    };
    problem(status, code, message, args)
}

/// A malformed query: 400 with the CLI's message, and what the page needs to say it in
/// another language.
pub fn query_error(query: &QueryError, message: &str) -> Response {
    let (code, args) = query_code(query);
    problem(StatusCode::BAD_REQUEST, code, message, args)
}

/// A malformed query's code and the parts of the query its message names.
fn query_code(query: &QueryError) -> (Code, serde_json::Value) {
    use serde_json::json;
    match query {
        QueryError::NothingSearchable => (Code::QueryNothing, json!({})),
        QueryError::Parse(parse) => match parse {
            ParseError::Empty => (Code::QueryEmpty, json!({})),
            ParseError::UnclosedQuote(column) => (Code::QueryQuote, json!({ "column": column })),
            ParseError::UnclosedParen(column) => (Code::QueryParen, json!({ "column": column })),
            ParseError::UnexpectedParen(column) => {
                (Code::QueryUnexpectedParen, json!({ "column": column }))
            }
            ParseError::Dangling { word, column } => (
                Code::QueryDangling,
                json!({ "word": word, "column": column }),
            ),
            ParseError::EmptyField { field, column } => (
                Code::QueryField,
                json!({ "field": field, "column": column }),
            ),
            ParseError::BadYear { value, column } => {
                (Code::QueryYear, json!({ "value": value, "column": column }))
            }
            ParseError::BadDate { value, column } => {
                (Code::QueryDate, json!({ "value": value, "column": column }))
            }
        },
    }
}

fn problem(status: StatusCode, code: Code, message: &str, args: serde_json::Value) -> Response {
    let body =
        serde_json::json!({ "error": message, "code": code.as_str(), "args": args }).to_string();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A failure of the tags and notes' storage that is not the server's fault, told as such:
/// another program holds the lock (503, try again), or the disk refuses the write (507).
/// SQLite's transactions leave what was saved before as it was, either way.
pub fn storage_trouble(e: &anyhow::Error) -> Option<(StatusCode, Code, &'static str)> {
    use rusqlite::ErrorCode;
    let code = e
        .chain()
        .find_map(|c| match c.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(failure, _)) => Some(failure.code),
            _ => None,
        })?;
    match code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some((
            StatusCode::SERVICE_UNAVAILABLE,
            Code::Busy,
            "another program holds the tags and notes; nothing was changed, try again",
        )),
        ErrorCode::DiskFull | ErrorCode::SystemIoFailure | ErrorCode::ReadOnly => Some((
            StatusCode::INSUFFICIENT_STORAGE,
            Code::Storage,
            "the tags and notes cannot be written (disk full or read-only); nothing was changed",
        )),
        _ => None,
    }
}

/// A request refused before any work: its status, code and why.
pub struct Refusal(StatusCode, Code, String);

impl Refusal {
    /// A parameter of the request is wrong: 400, saying which and how.
    pub fn request(why: String) -> Refusal {
        Refusal(StatusCode::BAD_REQUEST, Code::Request, why)
    }

    pub fn internal(why: String) -> Refusal {
        Refusal(StatusCode::INTERNAL_SERVER_ERROR, Code::Internal, why)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error(self.0, self.1, &self.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::catalogue::{Catalogue, variables};
    use crate::serve::locale::LOCALES;

    /// Each code's message in the page names only what the API's answer gives: a variable
    /// missing from `args` would show as nothing.
    #[test]
    fn each_error_s_message_in_the_page_is_filled_by_its_args() -> anyhow::Result<()> {
        let english = Catalogue::parse("en.ftl", LOCALES[0].source)?;
        let word = |s: &str| s.to_string();
        let queries = [
            QueryError::NothingSearchable,
            QueryError::Parse(ParseError::Empty),
            QueryError::Parse(ParseError::UnclosedQuote(3)),
            QueryError::Parse(ParseError::UnclosedParen(3)),
            QueryError::Parse(ParseError::UnexpectedParen(3)),
            QueryError::Parse(ParseError::Dangling {
                word: word("OR"),
                column: 3,
            }),
            QueryError::Parse(ParseError::EmptyField {
                field: word("title"),
                column: 3,
            }),
            QueryError::Parse(ParseError::BadYear {
                value: word("19x"),
                column: 3,
            }),
            QueryError::Parse(ParseError::BadDate {
                value: word("1946-13"),
                column: 3,
            }),
        ];
        let mut answers: Vec<(Code, Vec<String>)> = queries
            .iter()
            .map(|q| {
                let (code, args) = query_code(q);
                let keys = args.as_object().map(|o| o.keys().cloned().collect());
                (code, keys.unwrap_or_default())
            })
            .collect();
        for code in Code::ALL {
            if !code.as_str().starts_with("query-") {
                let keys = if code.has_detail() {
                    vec![word("detail")]
                } else {
                    Vec::new()
                };
                answers.push((code, keys));
            }
        }
        for (code, keys) in &answers {
            let key = format!("error-{}", code.as_str());
            let message = english.get(&key).expect("every code has a message");
            for variable in variables(message) {
                assert!(
                    keys.iter().any(|k| k == variable),
                    "{key}: ${variable} not in {keys:?}"
                );
            }
        }
        let mut codes: Vec<&str> = answers.iter().map(|(c, _)| c.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes.len(),
            Code::ALL.len(),
            "each code answered, none twice"
        );
        Ok(())
    }
}
