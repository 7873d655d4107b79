//! E-mail addresses and URLs, found by `linkify`, and the domains they name.
//!
//! A URL needs its scheme (`https://…`): without one, file names and versions (`README.md`,
//! `libc.so.6`) would pass for domains. An address is kept lowercase; a domain is the host of a
//! URL or the part of an address after `@`, lowercase, without a leading `www.`.

use linkify::{LinkFinder, LinkKind};

use super::{Found, Kind};

/// Addresses and URLs in `text`, each followed by its domain (at the same place).
pub fn find(text: &str) -> Vec<Found> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url, LinkKind::Email]);
    let mut out = Vec::new();
    for link in finder.links(text) {
        // A full stop or comma of CJK text ends a link, though IDNA reads `。` as a domain's
        // dot (`help@gnu.org。参见` would be a domain whose last label is `参见`).
        let written = link
            .as_str()
            .split(CJK_PUNCTUATION)
            .next()
            .unwrap_or_default();
        if written.is_empty() {
            continue;
        }
        let range = link.start()..link.start() + written.len();
        let (kind, value, host) = match link.kind() {
            LinkKind::Email => {
                let Some(address) = email(written) else {
                    continue;
                };
                let host = address.rsplit_once('@').map(|(_, d)| d.to_string());
                (Kind::Email, address, host)
            }
            LinkKind::Url => {
                let url = written.to_string();
                let host = host_of(&url).map(str::to_string);
                (Kind::Url, url, host)
            }
            _ => continue,
        };
        out.push(Found {
            kind,
            value,
            range: range.clone(),
        });
        if let Some(domain) = host.as_deref().and_then(domain_of_host) {
            out.push(Found {
                kind: Kind::Domain,
                value: domain,
                range,
            });
        }
    }
    out
}

/// Punctuation of CJK text that ends a sentence or clause.
const CJK_PUNCTUATION: &[char] = &[
    '。', '．', '｡', '、', '，', '：', '；', '！', '？', '）', '」', '』',
];

/// An e-mail address as the index holds it: lowercase; `None` when `text` is not one.
pub fn email(text: &str) -> Option<String> {
    let (local, domain) = text.rsplit_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace);
    ok.then(|| text.to_lowercase())
}

/// The host of a URL: after `scheme://` and any `user@`, before the port, path, query or
/// fragment.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        // An IPv6 address: no domain.
        Some(_) => return None,
        None => host.split(':').next()?,
    };
    Some(host)
}

/// A host as a domain: lowercase, without a leading `www.` or a trailing dot; `None` for an IP
/// address or a name without a dot (`localhost`).
pub fn domain_of_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let is_ip = host.chars().all(|c| c.is_ascii_digit() || c == '.');
    (host.contains('.') && !is_ip && !host.starts_with('.')).then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, kind: Kind) -> Vec<String> {
        find(text)
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.value)
            .collect()
    }

    #[test]
    fn addresses_and_urls_in_several_languages() {
        let ja =
            "連絡先は taro.yamada@example.jp です。詳細は https://example.jp/舞鶴/引揚 を参照。";
        assert_eq!(values(ja, Kind::Email), ["taro.yamada@example.jp"]);
        assert_eq!(values(ja, Kind::Url), ["https://example.jp/舞鶴/引揚"]);
        assert_eq!(values(ja, Kind::Domain), ["example.jp", "example.jp"]);
        // IDNA reads `。` as a dot; a sentence's end is not the domain's.
        let zh = "错误报告请寄至 help-texinfo@gnu.org。参见 https://www.gnu.org/software/texinfo/，谢谢。";
        assert_eq!(values(zh, Kind::Email), ["help-texinfo@gnu.org"]);
        assert_eq!(
            values(zh, Kind::Url),
            ["https://www.gnu.org/software/texinfo/"]
        );
        let ru = "Пишите на адрес archive@Мемориал.example (или http://memo.example:8080/list).";
        assert_eq!(values(ru, Kind::Email), ["archive@мемориал.example"]);
        assert_eq!(values(ru, Kind::Url), ["http://memo.example:8080/list"]);
        let de =
            "Siehe <https://www.bundesarchiv.example/>, E-Mail: poststelle@bundesarchiv.example.";
        assert_eq!(values(de, Kind::Email), ["poststelle@bundesarchiv.example"]);
        assert_eq!(
            values(de, Kind::Domain),
            ["bundesarchiv.example", "bundesarchiv.example"]
        );
    }

    #[test]
    fn file_names_and_hosts_without_a_domain_are_not_taken() {
        assert!(find("see README.md and libc.so.6, version 1.2.3").is_empty());
        assert_eq!(
            values(
                "http://localhost:8080/ and http://192.168.1.1/",
                Kind::Domain
            ),
            Vec::<String>::new()
        );
        assert_eq!(email("a@b"), None);
        assert_eq!(domain_of_host("Example.ORG."), Some("example.org".into()));
    }
}
