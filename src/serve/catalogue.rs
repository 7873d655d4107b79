//! A catalogue of the page's interface in one language: a Fluent file (`page/locales/*.ftl`,
//! parsed by Project Fluent's own `fluent-syntax`) made into patterns the page's script fills
//! in. The page formats in the browser, where its numbers and dates are, so the server hands
//! it each message as a small tree (text, variables, and selections by plural category, which
//! the browser's `Intl.PluralRules` picks) instead of shipping a Fluent runtime in JavaScript.
//! That is the whole of Fluent the catalogues may use: anything more (functions, references to
//! other messages or terms) is refused when the catalogue is read, so a test fails rather than
//! a page.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow, bail};
use fluent_syntax::ast;
use serde::Serialize;

/// A message's text, or one of its attributes' (`key.attribute`).
pub type Pattern = Vec<Part>;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Part {
    Text(String),
    /// A variable the script fills in: `{"var": "total"}`.
    Variable {
        var: String,
    },
    /// A choice by a variable: its value as written (`0`, a word) or else its plural category
    /// (`one`, `few`, `many`, `other`), else `default`.
    Select {
        select: String,
        variants: BTreeMap<String, Pattern>,
        default: String,
    },
}

/// Every message and attribute of one catalogue, by key.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Catalogue(BTreeMap<String, Pattern>);

impl Catalogue {
    /// Reads a Fluent file; `name` says which in errors.
    pub fn parse(name: &str, source: &str) -> Result<Catalogue> {
        let resource = fluent_syntax::parser::parse(source).map_err(|(_, errors)| {
            let first = errors.first().map(|e| format!("{e:?}")).unwrap_or_default();
            anyhow!(
                "{name}: {} Fluent syntax errors, first {first}",
                errors.len()
            )
        })?;
        let mut messages = BTreeMap::new();
        for entry in resource.body {
            let message = match entry {
                ast::Entry::Message(message) => message,
                ast::Entry::Comment(_)
                | ast::Entry::GroupComment(_)
                | ast::Entry::ResourceComment(_) => continue,
                ast::Entry::Term(term) => bail!("{name}: -{}: terms are not used", term.id.name),
                ast::Entry::Junk { content } => bail!("{name}: cannot read {content:?}"),
            };
            let id = message.id.name;
            let mut add = |key: String, pattern: &ast::Pattern<&str>| -> Result<()> {
                let compiled = compile(pattern).map_err(|e| anyhow!("{name}: {key}: {e}"))?;
                if messages.insert(key.clone(), compiled).is_some() {
                    bail!("{name}: {key} is given twice");
                }
                Ok(())
            };
            if let Some(value) = &message.value {
                add(id.to_string(), value)?;
            }
            for attribute in &message.attributes {
                add(format!("{id}.{}", attribute.id.name), &attribute.value)?;
            }
        }
        Ok(Catalogue(messages))
    }

    pub fn get(&self, key: &str) -> Option<&Pattern> {
        self.0.get(key)
    }

    #[cfg(test)]
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// A message that needs no variable, as text (what the server puts in the page itself).
    pub fn text(&self, key: &str) -> Option<String> {
        let mut out = String::new();
        for part in self.get(key)? {
            match part {
                Part::Text(text) => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }
}

fn compile(pattern: &ast::Pattern<&str>) -> Result<Pattern> {
    let mut out: Pattern = Vec::new();
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => text(&mut out, value),
            ast::PatternElement::Placeable { expression } => match expression {
                ast::Expression::Inline(inline) => match inline {
                    ast::InlineExpression::StringLiteral { value } => text(&mut out, value),
                    ast::InlineExpression::VariableReference { id } => out.push(Part::Variable {
                        var: id.name.to_string(),
                    }),
                    other => bail!("only text and variables may be placed: {other:?}"),
                },
                ast::Expression::Select { selector, variants } => {
                    let ast::InlineExpression::VariableReference { id } = selector else {
                        bail!("only a variable may select: {selector:?}");
                    };
                    let mut compiled = BTreeMap::new();
                    let mut default = None;
                    for variant in variants {
                        let key = match &variant.key {
                            ast::VariantKey::Identifier { name } => name.to_string(),
                            ast::VariantKey::NumberLiteral { value } => value.to_string(),
                        };
                        if variant.default {
                            default = Some(key.clone());
                        }
                        compiled.insert(key, compile(&variant.value)?);
                    }
                    out.push(Part::Select {
                        select: id.name.to_string(),
                        variants: compiled,
                        default: default.ok_or_else(|| anyhow!("a selection has no default"))?,
                    });
                }
            },
        }
    }
    Ok(out)
}

/// Appends text, joined to text just before it (a string literal splits a message's text).
fn text(out: &mut Pattern, value: &str) {
    match out.last_mut() {
        Some(Part::Text(last)) => last.push_str(value),
        _ => out.push(Part::Text(value.to_string())),
    }
}

/// The variables a pattern uses, its selections' included.
#[cfg(test)]
pub fn variables(pattern: &Pattern) -> Vec<&str> {
    let mut out = Vec::new();
    for part in pattern {
        match part {
            Part::Text(_) => {}
            Part::Variable { var } => out.push(var.as_str()),
            Part::Select {
                select, variants, ..
            } => {
                out.push(select.as_str());
                for variant in variants.values() {
                    out.extend(variables(variant));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_attributes_variables_and_plural_choices_are_read() -> Result<()> {
        let catalogue = Catalogue::parse(
            "test.ftl",
            "# a comment\nhello = Hello, { $name }!\n    .title = A greeting\n\
             count = { $n ->\n    [0] none\n    [one] { $n } hit\n   *[other] { $n } hits\n}\n\
             quoted = a {\"{\"} brace\n",
        )?;
        assert_eq!(
            catalogue.get("hello"),
            Some(&vec![
                Part::Text("Hello, ".into()),
                Part::Variable { var: "name".into() },
                Part::Text("!".into())
            ])
        );
        assert_eq!(catalogue.text("hello.title").as_deref(), Some("A greeting"));
        assert_eq!(catalogue.text("hello"), None, "it needs a variable");
        assert_eq!(catalogue.text("quoted").as_deref(), Some("a { brace"));
        let Some(
            [
                Part::Select {
                    select,
                    variants,
                    default,
                },
            ],
        ) = catalogue.get("count").map(Vec::as_slice)
        else {
            panic!("{:?}", catalogue.get("count"));
        };
        assert_eq!((select.as_str(), default.as_str()), ("n", "other"));
        assert_eq!(variants.keys().collect::<Vec<_>>(), ["0", "one", "other"]);
        assert_eq!(variables(&catalogue.0["count"]), ["n"]);
        let json = serde_json::to_value(&catalogue)?;
        assert_eq!(json["hello"][1], serde_json::json!({ "var": "name" }));
        assert_eq!(json["count"][0]["variants"]["one"][1], " hit");
        Ok(())
    }

    #[test]
    fn what_the_page_cannot_format_is_refused() {
        for source in [
            "a = { NUMBER($n) }\n",
            "a = { b }\nb = B\n",
            "-brand = x\na = { -brand }\n",
            "a = one\na = two\n",
            "a = {\n",
        ] {
            assert!(Catalogue::parse("t.ftl", source).is_err(), "{source:?}");
        }
    }
}
