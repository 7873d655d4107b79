//! Pattern entities: e-mail addresses, URLs and their domains, phone numbers and IBANs written
//! in a text, found at ingest and normalized once (addresses and domains lowercase, phone
//! numbers in E.164, IBANs in their electronic form), so that `email:`, `domain:`, `phone:` and
//! `iban:` are term lookups and their facets fast-field counts. Shared by ingest, which finds
//! them, and search, which normalizes what is typed after those fields the same way.
//!
//! Each kind is found by the tool made for it: e-mail addresses and URLs by `linkify` (which
//! gets their ends right beside punctuation), phone numbers checked by `phonenumber` (Google's
//! libphonenumber metadata: a number must be valid for its country, not only look like one),
//! IBANs by `iban_validate` (the country's length and format, and the checksum). What is
//! written by hand is only where a candidate may start and end ([`phone`], [`iban`]).

pub mod dates;
pub mod iban;
pub mod link;
pub mod phone;

use std::ops::Range;

pub use phone::Region;

/// A kind of entity, named as its query field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Url,
    Domain,
    Phone,
    Iban,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Email,
        Kind::Url,
        Kind::Domain,
        Kind::Phone,
        Kind::Iban,
    ];

    /// The query field and facet: `email`, `url`, `domain`, `phone`, `iban`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Url => "url",
            Kind::Domain => "domain",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
        }
    }

    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One entity where it is written: its kind, its normalized value and its bytes in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub value: String,
    pub range: Range<usize>,
}

/// Most values of one kind kept for a document: a mailing-list archive or a phone book stays a
/// document, not ten thousand terms.
pub const MAX_PER_KIND: usize = 1000;

/// A document's entities: each kind's distinct values, in the order first written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entities {
    pub emails: Vec<String>,
    pub urls: Vec<String>,
    pub domains: Vec<String>,
    pub phones: Vec<String>,
    pub ibans: Vec<String>,
}

impl Entities {
    /// The values of `kind`.
    pub fn of(&self, kind: Kind) -> &[String] {
        match kind {
            Kind::Email => &self.emails,
            Kind::Url => &self.urls,
            Kind::Domain => &self.domains,
            Kind::Phone => &self.phones,
            Kind::Iban => &self.ibans,
        }
    }

    /// Adds `value` of `kind` once, up to [`MAX_PER_KIND`].
    pub fn add(&mut self, kind: Kind, value: String) {
        let values = match kind {
            Kind::Email => &mut self.emails,
            Kind::Url => &mut self.urls,
            Kind::Domain => &mut self.domains,
            Kind::Phone => &mut self.phones,
            Kind::Iban => &mut self.ibans,
        };
        if values.len() < MAX_PER_KIND && !values.contains(&value) {
            values.push(value);
        }
    }

    /// Every entity written in `text`; national phone numbers are read as `region`'s.
    pub fn in_text(text: &str, region: Option<Region>) -> Entities {
        let mut entities = Entities::default();
        for found in find(text, region) {
            entities.add(found.kind, found.value);
        }
        entities
    }
}

/// Every entity written in `text`, in text order (a URL's or an address's domain at the URL's
/// or the address's place); national phone numbers are read as `region`'s, and without one
/// only numbers written with their country code are taken.
pub fn find(text: &str, region: Option<Region>) -> Vec<Found> {
    let mut out = link::find(text);
    out.extend(phone::find(text, region, &out));
    out.extend(iban::find(text, &out));
    out.sort_by_key(|f| (f.range.start, f.kind));
    out
}

/// What a query's `kind:` value means, normalized as the index holds it; `None` when it cannot
/// be one (then nothing matches). A phone number is given as digits (see [`phone::query`]).
pub fn normalize(kind: Kind, typed: &str) -> Option<String> {
    let typed = typed.trim();
    match kind {
        Kind::Email => link::email(typed),
        Kind::Url => Some(typed.to_string()).filter(|t| !t.is_empty()),
        Kind::Domain => link::domain_of_host(typed),
        Kind::Phone => phone::query(typed),
        Kind::Iban => iban::normalize(typed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_with_every_kind() {
        let text = "Write to Kenji.Sato@Example.ORG or see https://www.maizuru.example/hikiage?x=1. \
                    Call +81 773-68-0836. Pay to DE89 3704 0044 0532 0130 00, not DE89 3704 0044 0532 0130 01.";
        let e = Entities::in_text(text, None);
        assert_eq!(e.emails, ["kenji.sato@example.org"]);
        assert_eq!(e.urls, ["https://www.maizuru.example/hikiage?x=1"]);
        assert_eq!(e.domains, ["example.org", "maizuru.example"]);
        assert_eq!(e.phones, ["+81773680836"]);
        assert_eq!(
            e.ibans,
            ["DE89370400440532013000"],
            "the bad checksum is not one"
        );
        let found = find(text, None);
        let phone = found.iter().find(|f| f.kind == Kind::Phone).expect("phone");
        assert_eq!(&text[phone.range.clone()], "+81 773-68-0836");
    }

    #[test]
    fn values_are_kept_once_and_bounded() {
        let mut e = Entities::default();
        for n in 0..(MAX_PER_KIND + 10) {
            e.add(Kind::Email, format!("a{n}@example.org"));
            e.add(Kind::Email, "a0@example.org".into());
        }
        assert_eq!(e.emails.len(), MAX_PER_KIND);
        assert_eq!(e.of(Kind::Email).len(), MAX_PER_KIND);
        assert!(e.of(Kind::Phone).is_empty());
    }

    #[test]
    fn typed_values_are_normalized_as_indexed() {
        assert_eq!(
            normalize(Kind::Email, " Sato@Example.org "),
            Some("sato@example.org".into())
        );
        assert_eq!(
            normalize(Kind::Domain, "WWW.Example.org"),
            Some("example.org".into())
        );
        assert_eq!(
            normalize(Kind::Iban, "de89 3704 0044 0532 0130 00"),
            Some("DE89370400440532013000".into())
        );
        assert_eq!(normalize(Kind::Iban, "DE00 1234"), None);
        assert_eq!(normalize(Kind::Email, "not an address"), None);
        assert_eq!(Kind::named("phone"), Some(Kind::Phone));
        assert_eq!(Kind::named("fax"), None);
    }
}
