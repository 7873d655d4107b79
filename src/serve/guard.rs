//! What every request passes first: the token (when one is set), bounds on its size and time,
//! and the headers that keep a browser from treating anything served as more than it is.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::api::error;

/// Longest a request may take before it is answered 503.
const REQUEST_TIME: Duration = Duration::from_secs(20);
/// Longest request target (path and query) accepted.
const MAX_TARGET: usize = 8 << 10;
/// The cookie a page opened with `?token=` keeps the token in.
const COOKIE: &str = "archivist_token";
/// Longest note a request may carry (the only body a request may have).
const MAX_NOTE: u64 = 16 << 10;
/// A request that writes (tags, notes) must carry this header: a page of another site cannot
/// send it without asking first, which this server never allows.
pub const WRITE_HEADER: &str = "x-archivist-write";

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if request
        .uri()
        .path_and_query()
        .is_some_and(|p| p.as_str().len() > MAX_TARGET)
    {
        return error(StatusCode::URI_TOO_LONG, "the request is too long");
    }
    let length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.parse::<u64>().unwrap_or(u64::MAX));
    let has_body =
        length.is_some_and(|n| n > 0) || request.headers().contains_key(header::TRANSFER_ENCODING);
    let note =
        request.method() == axum::http::Method::PUT && request.uri().path().ends_with("/note");
    if has_body && !(note && length.is_some_and(|n| n <= MAX_NOTE)) {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requests carry no body here, but a note of up to 16 KB",
        );
    }
    let writes = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if writes && !request.headers().contains_key(WRITE_HEADER) {
        return error(
            StatusCode::FORBIDDEN,
            "a request that writes needs the header X-Archivist-Write: 1",
        );
    }
    let mut set_cookie = None;
    if let Some(token) = &shared.token {
        match presented(&request, token) {
            Presented::No => {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "this server needs its token: open the address it printed (…/?token=…), \
                     or send Authorization: Bearer TOKEN",
                );
            }
            Presented::InQuery => set_cookie = Some(token.clone()),
            Presented::Yes => {}
        }
    }
    let mut response = match tokio::time::timeout(REQUEST_TIME, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error(StatusCode::SERVICE_UNAVAILABLE, "the request took too long"),
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Some(token) = set_cookie
        && let Ok(value) = HeaderValue::from_str(&format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        ))
    {
        headers.insert(header::SET_COOKIE, value);
    }
    response.into_response()
}

enum Presented {
    No,
    /// In the address (`?token=`): the page keeps it in a cookie for what it asks next.
    InQuery,
    /// In the `Authorization` header or the cookie.
    Yes,
}

/// Whether the request carries the token, and where.
fn presented(request: &Request, token: &str) -> Presented {
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='));
    if bearer.into_iter().chain(cookie).any(|t| same(t, token)) {
        return Presented::Yes;
    }
    let in_query = request
        .uri()
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.strip_prefix("token="))
        .any(|t| same(t, token));
    if in_query {
        Presented::InQuery
    } else {
        Presented::No
    }
}

/// Compares in time that does not depend on where the first difference is.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
