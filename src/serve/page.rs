//! The search page: one HTML file, its script and its style, embedded in the binary, so that
//! nothing is fetched from anywhere but this server (the CSP allows nothing else either).
//!
//! The HTML is a template made once per language when the server starts: each `{{key}}` is
//! that language's message (escaped), `{{messages}}` its whole catalogue as JSON for the script,
//! which writes what depends on the results (counts, dates, numbers) in the reader's locale.

use anyhow::{Result, bail};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::Shared;
use super::catalogue::Catalogue;
use super::locale::{self, LOCALES, Locale};

const TEMPLATE: &str = include_str!("page/index.html");

/// The page in each of [`LOCALES`], in their order (shared, not copied, by each answer).
pub struct Pages(Vec<Bytes>);

impl Pages {
    pub fn build() -> Result<Pages> {
        let mut pages = Vec::new();
        for locale in &LOCALES {
            let catalogue = Catalogue::parse(&format!("{}.ftl", locale.tag), locale.source)?;
            pages.push(Bytes::from(render(locale, &catalogue)?));
        }
        Ok(Pages(pages))
    }
}

fn render(locale: &Locale, catalogue: &Catalogue) -> Result<String> {
    let tag = locale.tag;
    let mut out = String::with_capacity(TEMPLATE.len() * 2);
    let mut rest = TEMPLATE;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(length) = rest[start..].find("}}") else {
            bail!("the page's template has an unclosed {{{{");
        };
        let key = &rest[start + 2..start + length];
        match key {
            "lang" => out.push_str(tag),
            "messages" => {
                // Inside <script>, a `</script>` in a message would end it: JSON may write `<`
                // as an escape.
                out.push_str(&serde_json::to_string(catalogue)?.replace('<', "\\u003c"));
            }
            "language-name" => out.push_str(locale.name),
            // The switch: each language by its own name, a button the script makes choose it
            // (a select would reload the page at the first arrow key).
            "languages" => {
                for locale in &LOCALES {
                    let current = if locale.tag == tag {
                        " aria-current=\"true\""
                    } else {
                        ""
                    };
                    out.push_str(&format!(
                        "<li><button type=\"button\" data-lang=\"{0}\" lang=\"{0}\"{current}>{1}</button></li>",
                        locale.tag, locale.name
                    ));
                }
            }
            key => match catalogue.text(key) {
                Some(text) => escape(&mut out, &text),
                None => bail!("{tag}.ftl has no message {key} without variables"),
            },
        }
        rest = &rest[start + length + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Text for HTML content or a quoted attribute; a line break kept as a character reference
/// (a placeholder of two lines).
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

/// The page in the language the request gets (see [`locale::chosen`]).
pub async fn index(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let pages = &shared.pages.0;
    let page = pages.get(locale::chosen(&headers)).or(pages.first());
    let mut response = page.cloned().unwrap_or_default().into_response();
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("page/app.js"),
    )
}

pub async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("page/style.css"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::catalogue::{Part, variables};
    use icu_plurals::{PluralCategory, PluralRules};
    use std::collections::BTreeSet;

    fn catalogues() -> Result<Vec<(&'static str, Catalogue)>> {
        LOCALES
            .iter()
            .map(|l| Ok((l.tag, Catalogue::parse(l.tag, l.source)?)))
            .collect()
    }

    /// The keys the page uses: `{{key}}` in the template, `t("key"` or `nodes("key"` in the
    /// script (which names each message whole, never by a computed name), and `error-CODE` for
    /// each code the API answers with.
    fn used() -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        let mut rest = TEMPLATE;
        while let Some(start) = rest.find("{{") {
            let end = rest[start..].find("}}").expect("closed") + start;
            keys.insert(rest[start + 2..end].to_string());
            rest = &rest[end..];
        }
        let script = include_str!("page/app.js");
        for call in ["t(\"", "nodes(\""] {
            for (at, _) in script.match_indices(call) {
                let before = script[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue; // `set("q")`, not a message
                }
                let key = &script[at + call.len()..];
                keys.insert(key[..key.find('"').expect("closed")].to_string());
            }
        }
        for code in super::super::problem::Code::ALL {
            keys.insert(format!("error-{}", code.as_str()));
        }
        for special in ["lang", "messages", "languages", "language-name"] {
            keys.remove(special);
        }
        keys
    }

    #[test]
    fn every_language_has_every_message_of_the_english_catalogue_and_no_other() -> Result<()> {
        let all = catalogues()?;
        let english = &all[0].1;
        let keys: BTreeSet<&str> = english.keys().collect();
        for (tag, catalogue) in &all {
            let theirs: BTreeSet<&str> = catalogue.keys().collect();
            let missing: Vec<_> = keys.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&keys).collect();
            assert!(missing.is_empty(), "{tag}.ftl lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{tag}.ftl has {extra:?}, which en.ftl has not"
            );
            for key in &keys {
                let (Some(ours), Some(translated)) = (english.get(key), catalogue.get(key)) else {
                    continue;
                };
                let known = variables(ours);
                for variable in variables(translated) {
                    assert!(
                        known.contains(&variable),
                        "{tag}.ftl: {key} uses ${variable}, which the page does not give"
                    );
                }
                assert_eq!(
                    english.text(key).is_some(),
                    catalogue.text(key).is_some(),
                    "{tag}.ftl: {key} must need variables exactly when en.ftl's does"
                );
            }
        }
        Ok(())
    }

    #[test]
    fn each_number_choice_has_the_plural_forms_of_its_language() -> Result<()> {
        for (tag, catalogue) in catalogues()? {
            let locale: icu_locale_core::Locale = tag.parse()?;
            let rules = PluralRules::try_new_cardinal(locale.into())?;
            let needed: BTreeSet<&str> = rules
                .categories()
                .map(|c| match c {
                    PluralCategory::Zero => "zero",
                    PluralCategory::One => "one",
                    PluralCategory::Two => "two",
                    PluralCategory::Few => "few",
                    PluralCategory::Many => "many",
                    PluralCategory::Other => "other",
                })
                .collect();
            for key in catalogue.keys() {
                for part in catalogue.get(key).into_iter().flatten() {
                    let Part::Select { variants, .. } = part else {
                        continue;
                    };
                    let has: BTreeSet<&str> = variants.keys().map(String::as_str).collect();
                    let lacking: Vec<_> = needed.difference(&has).collect();
                    assert!(lacking.is_empty(), "{tag}.ftl: {key} lacks {lacking:?}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_page_uses_every_message_and_every_message_it_uses_exists() -> Result<()> {
        let english = Catalogue::parse("en", LOCALES[0].source)?;
        let used = used();
        let keys: BTreeSet<String> = english.keys().map(str::to_string).collect();
        let missing: Vec<_> = used.difference(&keys).collect();
        let unused: Vec<_> = keys.difference(&used).collect();
        assert!(missing.is_empty(), "used but not in en.ftl: {missing:?}");
        assert!(unused.is_empty(), "in en.ftl but not used: {unused:?}");
        Ok(())
    }

    #[test]
    fn each_page_is_in_its_language_with_its_messages_for_the_script() -> Result<()> {
        let pages = Pages::build()?;
        assert_eq!(pages.0.len(), LOCALES.len());
        let japanese = std::str::from_utf8(&pages.0[1])?;
        assert!(japanese.contains("<html lang=\"ja\">"));
        assert!(!japanese.contains("{{"), "every placeholder filled");
        assert!(japanese.contains(
            "<button type=\"button\" data-lang=\"ja\" lang=\"ja\" aria-current=\"true\">日本語</button>"
        ));
        assert!(
            japanese
                .contains("<button type=\"button\" data-lang=\"ru\" lang=\"ru\">Русский</button>")
        );
        assert!(japanese.contains("このページの言語: </span>日本語</summary>"));
        let start = japanese
            .find("type=\"application/json\">")
            .expect("messages")
            + 24;
        let end = japanese[start..].find("</script>").expect("closed") + start;
        let messages: serde_json::Value = serde_json::from_str(&japanese[start..end])?;
        assert!(messages["results-count"].is_array());
        Ok(())
    }

    #[test]
    fn text_is_escaped_and_a_message_cannot_end_the_script_block() -> Result<()> {
        let catalogue = Catalogue::parse("t", "page-title = a <b> & \"c\"\nx = </script>\n")?;
        let mut out = String::new();
        escape(&mut out, &catalogue.text("page-title").expect("text"));
        assert_eq!(out, "a &lt;b&gt; &amp; &quot;c&quot;");
        let json = serde_json::to_string(&catalogue)?.replace('<', "\\u003c");
        assert!(!json.contains("</script>"));
        let back: serde_json::Value = serde_json::from_str(&json)?;
        assert_eq!(back["x"][0], "</script>");
        Ok(())
    }
}
