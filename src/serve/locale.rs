//! Which of the page's languages a request gets: the one chosen on the page (kept in a
//! cookie), else the first of the browser's `Accept-Language` the page speaks, else English.

use axum::http::{HeaderMap, header};

/// A language of the page: its tag (BCP 47, as `<html lang>` and `Intl` take it), its own
/// name (the switch lists each language in itself) and its catalogue.
pub struct Locale {
    pub tag: &'static str,
    pub name: &'static str,
    pub source: &'static str,
}

/// English first: the fallback, and the catalogue the others follow.
pub const LOCALES: [Locale; 7] = [
    Locale {
        tag: "en",
        name: "English",
        source: include_str!("page/locales/en.ftl"),
    },
    Locale {
        tag: "ja",
        name: "日本語",
        source: include_str!("page/locales/ja.ftl"),
    },
    Locale {
        tag: "ru",
        name: "Русский",
        source: include_str!("page/locales/ru.ftl"),
    },
    Locale {
        tag: "zh-Hans",
        name: "简体中文",
        source: include_str!("page/locales/zh-Hans.ftl"),
    },
    Locale {
        tag: "zh-Hant",
        name: "繁體中文",
        source: include_str!("page/locales/zh-Hant.ftl"),
    },
    Locale {
        tag: "de",
        name: "Deutsch",
        source: include_str!("page/locales/de.ftl"),
    },
    Locale {
        tag: "fr",
        name: "Français",
        source: include_str!("page/locales/fr.ftl"),
    },
];

/// The cookie the page's language switch sets (read by the server, so the page comes in the
/// chosen language from its first byte).
pub const COOKIE: &str = "archivist_lang";

/// The index in [`LOCALES`] of the language a request gets.
pub fn chosen(headers: &HeaderMap) -> usize {
    let cookie =
        super::cookies(headers, COOKIE).find_map(|tag| LOCALES.iter().position(|l| l.tag == tag));
    if let Some(index) = cookie {
        return index;
    }
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(accept_language::parse)
        .unwrap_or_default();
    accepted
        .iter()
        .find_map(|range| matching(range))
        .unwrap_or(0)
}

/// The page's language for one language range of `Accept-Language` (`ja-JP`, `zh-TW`,
/// `zh-Hant-HK`, `de`), if it speaks it. Chinese without a script takes the script CLDR's likely
/// subtags give its region: traditional for Taiwan, Hong Kong and Macau, else simplified.
fn matching(range: &str) -> Option<usize> {
    let range = range.to_ascii_lowercase();
    let mut subtags = range.split(['-', '_']);
    let language = subtags.next()?;
    let tag = match language {
        "zh" => {
            let rest: Vec<&str> = subtags.collect();
            let traditional = rest.contains(&"hant")
                || (!rest.contains(&"hans")
                    && rest.iter().any(|s| matches!(*s, "tw" | "hk" | "mo")));
            if traditional { "zh-Hant" } else { "zh-Hans" }
        }
        other => other,
    };
    LOCALES.iter().position(|l| l.tag == tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn tag(accept: &str, cookie: Option<&str>) -> &'static str {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).expect("a header"),
        );
        if let Some(cookie) = cookie {
            headers.insert(
                header::COOKIE,
                HeaderValue::from_str(cookie).expect("a header"),
            );
        }
        LOCALES[chosen(&headers)].tag
    }

    #[test]
    fn the_first_accepted_language_the_page_speaks_is_chosen() {
        assert_eq!(tag("ja,en-US;q=0.9,en;q=0.8", None), "ja");
        assert_eq!(tag("pt-BR,ru;q=0.8,en;q=0.5", None), "ru");
        assert_eq!(tag("en;q=0.3, de-AT;q=0.9", None), "de", "by quality");
        assert_eq!(tag("fr-CA", None), "fr");
        assert_eq!(tag("pt, es", None), "en");
        assert_eq!(tag("", None), "en");
        assert_eq!(tag("*", None), "en");
    }

    #[test]
    fn chinese_takes_its_script_from_the_tag_or_the_region() {
        assert_eq!(tag("zh-TW", None), "zh-Hant");
        assert_eq!(tag("zh-HK,zh;q=0.9", None), "zh-Hant");
        assert_eq!(tag("zh-Hant", None), "zh-Hant");
        assert_eq!(tag("zh-Hans-HK", None), "zh-Hans");
        assert_eq!(tag("zh-CN", None), "zh-Hans");
        assert_eq!(tag("zh", None), "zh-Hans");
        assert_eq!(tag("zh-SG", None), "zh-Hans");
    }

    #[test]
    fn the_language_chosen_on_the_page_wins() {
        assert_eq!(tag("ja", Some("archivist_lang=fr")), "fr");
        assert_eq!(
            tag("ja", Some("archivist_token=x; archivist_lang=zh-Hant")),
            "zh-Hant"
        );
        assert_eq!(tag("ja", Some("archivist_lang=xx")), "ja", "not spoken");
    }
}
