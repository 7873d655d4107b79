//! What every request passes first: the host it is addressed to, the token (when one is set),
//! the origin of a write, bounds on its size and time, and the headers that keep a browser from
//! treating anything served as more than it is.
//!
//! On loopback without a token, the address is all that keeps other sites out, and DNS
//! rebinding gets around it: a page of `evil.example` points that name at 127.0.0.1, and the
//! browser then sends the page's requests here as same-origin, `Host: evil.example:7557`. So
//! without a token, only requests addressed to the listening address, a loopback name or
//! address, or a name of `--allow-host` are answered (421 otherwise). With a token, the token
//! guards: a rebound page does not have it. A write must also come from this server's own page
//! when the browser says where it comes from (`Origin`).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::problem::{Code, error};

/// Longest a request may take before it is answered 503.
const REQUEST_TIME: Duration = Duration::from_secs(20);
/// Longest request target (path and query) accepted.
const MAX_TARGET: usize = 8 << 10;
/// The cookie a page opened with `?token=` keeps the token in.
const COOKIE: &str = "archivist_token";
/// Longest note a request may carry.
const MAX_NOTE: u64 = 16 << 10;
/// Longest list `POST /api/v1/xref` may carry (the other body a request may have).
pub const MAX_LIST: u64 = 1 << 20;
/// Longest a cross-referencing may take: a list of a thousand names takes seconds, but a
/// megabyte of them, fuzzy, minutes.
pub const XREF_TIME: Duration = Duration::from_secs(120);
/// A request that writes (tags, notes) must carry this header: a page of another site cannot
/// send it without asking first, which this server never allows.
pub const WRITE_HEADER: &str = "x-archivist-write";

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if request
        .uri()
        .path_and_query()
        .is_some_and(|p| p.as_str().len() > MAX_TARGET)
    {
        return error(
            StatusCode::URI_TOO_LONG,
            Code::Request,
            "the request is too long",
        );
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
    let xref =
        request.method() == axum::http::Method::POST && request.uri().path() == "/api/v1/xref";
    let most = match (note, xref) {
        (true, _) => MAX_NOTE,
        (_, true) => MAX_LIST,
        _ => 0,
    };
    if has_body && length.is_none_or(|n| n > most) {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::Request,
            "requests carry no body here, but a note of up to 16 KB or a list of names of up \
             to 1 MB (with its Content-Length)",
        );
    }
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    if shared.token.is_none()
        && let Some(host) = host
        && !host_allowed(host, &shared.hosts)
    {
        return error(
            StatusCode::MISDIRECTED_REQUEST,
            Code::Host,
            "this server answers only requests addressed to its own address or a loopback \
             name (a page of another site may have pointed its name here); a reverse proxy's \
             name can be allowed with --allow-host",
        );
    }
    let writes = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if writes && !request.headers().contains_key(WRITE_HEADER) {
        return error(
            StatusCode::FORBIDDEN,
            Code::Forbidden,
            "a request that writes needs the header X-Archivist-Write: 1",
        );
    }
    if writes
        && let Some(origin) = request.headers().get(header::ORIGIN)
        && !same_origin(origin.as_bytes(), host)
    {
        return error(
            StatusCode::FORBIDDEN,
            Code::Forbidden,
            "a request that writes must come from this server's own page",
        );
    }
    let mut set_cookie = None;
    if let Some(token) = &shared.token {
        match presented(&request, token) {
            Presented::No => {
                return error(
                    StatusCode::UNAUTHORIZED,
                    Code::Token,
                    "this server needs its token: open the address it printed (…/?token=…), \
                     or send Authorization: Bearer TOKEN",
                );
            }
            Presented::InQuery => set_cookie = Some(token.clone()),
            Presented::Yes => {}
        }
    }
    let time = if xref { XREF_TIME } else { REQUEST_TIME };
    let mut response = match tokio::time::timeout(time, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            Code::TooLong,
            "the request took too long",
        ),
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
    let cookie = super::cookies(headers, COOKIE);
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

/// Whether a request addressed to `host` (the `Host` header: a name or address, and maybe a
/// port) is for this server: a loopback name (`localhost`, `*.localhost`, which browsers
/// never resolve elsewhere) or address, or one of `allowed`.
fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = host_name(host);
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    if let Ok(ip) = name.parse::<std::net::IpAddr>()
        && ip.is_loopback()
    {
        return true;
    }
    allowed.iter().any(|a| {
        let a = host_name(a).trim_end_matches('.');
        a.eq_ignore_ascii_case(&name)
            || matches!(
                (a.parse::<std::net::IpAddr>(), name.parse::<std::net::IpAddr>()),
                (Ok(x), Ok(y)) if x == y
            )
    })
}

/// The name or address of a `Host` header, without its port or an IPv6 address's brackets.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Whether `Origin` names the site the request is addressed to (`Host`).
fn same_origin(origin: &[u8], host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    [b"http://".as_slice(), b"https://"].iter().any(|scheme| {
        origin
            .strip_prefix(*scheme)
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host.as_bytes()))
    })
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
    use super::{host_allowed, same, same_origin};

    #[test]
    fn only_this_servers_names_are_answered() {
        let bound = ["127.0.0.1".to_string()];
        for host in [
            "127.0.0.1:7557",
            "127.0.0.1",
            "localhost:7557",
            "LOCALHOST.",
            "archive.localhost:7557",
            "[::1]:7557",
            "127.0.0.2",
        ] {
            assert!(host_allowed(host, &bound), "{host}");
        }
        for host in [
            "evil.example:7557",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.evil.example:7557",
            "10.0.0.5:7557",
            "",
        ] {
            assert!(!host_allowed(host, &bound), "{host}");
        }
        let proxied = ["archive.example.org".to_string(), "10.0.0.5".to_string()];
        assert!(host_allowed("archive.example.org", &proxied));
        assert!(host_allowed("Archive.Example.Org:443", &proxied));
        assert!(host_allowed("10.0.0.5:7557", &proxied));
        assert!(!host_allowed("example.org", &proxied));
    }

    #[test]
    fn writes_come_from_the_same_origin() {
        assert!(same_origin(
            b"http://127.0.0.1:7557",
            Some("127.0.0.1:7557")
        ));
        assert!(same_origin(
            b"https://archive.example.org",
            Some("archive.example.org")
        ));
        assert!(!same_origin(b"http://evil.example", Some("127.0.0.1:7557")));
        assert!(!same_origin(b"null", Some("127.0.0.1:7557")));
        assert!(!same_origin(b"http://127.0.0.1:7557", None));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
