//! Filters: `path:` globs, `ext:`, `year:` ranges, `lang:`, `tag:`, `thread:`, the entities
//! (`email:`, `url:`, `domain:`, `phone:`, `iban:`) and `--lang`. They decide which
//! documents match and add nothing to the score.

use std::ops::Bound;

use tantivy::Searcher;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, RegexQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;

use super::{Compiler, Origin};
use crate::annotations::DocRef;
use crate::entities::{self, Kind};
use crate::schema::Fields;
use crate::search::parse::Node;
use crate::search::thread::Threads;

impl Compiler<'_> {
    /// A `path:`, `ext:`, `year:` or `lang:` node: documents that match it, unscored.
    pub(super) fn filter_of(&self, node: &Node) -> Box<dyn Query> {
        match node {
            Node::Path(glob) => {
                match RegexQuery::from_pattern(&glob_regex(glob), self.fields.path) {
                    Ok(q) => filter(Box::new(q)),
                    Err(_) => Box::new(EmptyQuery),
                }
            }
            Node::Ext(ext) => {
                let term = Term::from_field_text(self.fields.ext, ext);
                filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
            }
            Node::Year(from, to) => filter(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(self.fields.years, *from)),
                Bound::Included(Term::from_field_u64(self.fields.years, *to)),
            ))),
            Node::Date(from, to) => filter(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(self.fields.dates, *from)),
                Bound::Included(Term::from_field_u64(self.fields.dates, *to)),
            ))),
            Node::Lang(code) => {
                let term = Term::from_field_text(self.fields.langs, code);
                filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
            }
            Node::Tag(tag) => match self.tagged.get(tag) {
                Some(docs) => filter(tagged(self.fields, docs)),
                None => Box::new(EmptyQuery),
            },
            Node::Thread(typed) => match self.searcher {
                Some(searcher) => filter(in_threads(searcher, self.fields, typed)),
                // Threads are walked in the index; without it nothing is known to be in one.
                None => Box::new(EmptyQuery),
            },
            Node::Entity(kind, typed) => {
                let field = self.fields.entity(*kind);
                match entities::normalize(*kind, typed) {
                    // A national number typed: the numbers that end with its digits.
                    Some(digits) if *kind == Kind::Phone && !digits.starts_with('+') => {
                        match RegexQuery::from_pattern(&format!(r"\+[0-9]*{digits}"), field) {
                            Ok(q) => filter(Box::new(q)),
                            Err(_) => Box::new(EmptyQuery),
                        }
                    }
                    Some(value) => {
                        let term = Term::from_field_text(field, &value);
                        filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
                    }
                    None => Box::new(EmptyQuery),
                }
            }
            // Not a filter: nothing is kept out, nothing scored.
            _ => Box::new(AllQuery),
        }
    }

    /// `--lang a,b`: `query` in documents with text in one of `langs`, as
    /// `(lang:a OR lang:b) query` would be.
    pub(super) fn in_languages(
        &mut self,
        langs: &[String],
        query: Box<dyn Query>,
    ) -> Box<dyn Query> {
        let filter = Node::Or(
            langs
                .iter()
                .map(|l| Node::Lang(l.trim().to_lowercase()))
                .collect(),
        );
        match self.node(&filter, Origin::NEGATED) {
            Some(filter) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, filter),
                (Occur::Must, query),
            ])),
            None => query,
        }
    }
}

/// A filter: matches or not, adds nothing to the score.
/// The documents `docs` name: each by its id (its path and part), or by its file's content
/// and its part (a file moved or renamed since it was tagged).
pub fn tagged(fields: &crate::schema::Fields, docs: &[DocRef]) -> Box<dyn Query> {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for doc in docs {
        let part = (!doc.part.is_empty()).then_some(doc.part.as_str());
        let id = crate::schema::document_id(&doc.path, part);
        either.push((Occur::Should, term(fields.id, &id)));
        let mut same = vec![(Occur::Must, term(fields.sha256, &doc.sha256))];
        match part {
            Some(part) => same.push((Occur::Must, term(fields.part, part))),
            // A whole file, not a member that shares its container's hash.
            None => {
                if let Ok(any_part) = RegexQuery::from_pattern(".*", fields.part) {
                    same.push((Occur::MustNot, Box::new(any_part)));
                }
            }
        }
        either.push((Occur::Should, Box::new(BooleanQuery::new(same))));
    }
    Box::new(BooleanQuery::new(either))
}

/// The messages of the threads `typed` names, and what is attached to them: the documents
/// whose `in:` term is one of those messages' ids. An index that cannot be read finds none
/// here (the search itself reports it).
fn in_threads(searcher: &Searcher, fields: &Fields, typed: &str) -> Box<dyn Query> {
    let terms: Vec<Term> = thread_messages(searcher, fields, typed)
        .iter()
        .map(|id| Term::from_field_text(fields.mail, &crate::thread::attached_term(id)))
        .collect();
    if terms.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(TermSetQuery::new(terms))
}

/// `thread:ID` as the whole query: the thread's messages ranked in time order, each followed
/// by what is attached to it, as a conversation reads.
pub(super) fn conversation(searcher: &Searcher, fields: &Fields, typed: &str) -> Box<dyn Query> {
    let messages = thread_messages(searcher, fields, typed);
    let count = messages.len() as f32;
    let clauses: Vec<(Occur, Box<dyn Query>)> = messages
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let term = Term::from_field_text(fields.mail, &crate::thread::attached_term(id));
            let within = TermQuery::new(term, IndexRecordOption::Basic);
            let score = 1.0 - i as f32 / count;
            let q: Box<dyn Query> = Box::new(ConstScoreQuery::new(Box::new(within), score));
            (Occur::Should, q)
        })
        .collect();
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The document ids of the messages of the threads `typed` names, each thread in time order.
fn thread_messages(searcher: &Searcher, fields: &Fields, typed: &str) -> Vec<String> {
    let Ok(threads) = Threads::new(searcher, fields).named(typed) else {
        return Vec::new();
    };
    threads
        .iter()
        .flat_map(|t| &t.messages)
        .map(|m| m.id.clone())
        .collect()
}

fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// The regular expression for a `path:` glob: `*` any characters but `/`, `**` any characters,
/// `?` one character. A glob not starting with `/` may match from any folder boundary on and
/// needs not reach the end (`path:letters` matches every file under a folder `letters`).
fn glob_regex(glob: &str) -> String {
    let mut re = String::new();
    if !glob.starts_with('/') {
        re.push_str("(.*/)?");
    }
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                re.push_str(".*");
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c if c.is_alphanumeric() || c == '/' || c == '_' || c as u32 > 127 => re.push(c),
            c => {
                re.push('\\');
                re.push(c);
            }
        }
    }
    re.push_str("(/.*)?");
    re
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let re = glob_regex("letters/*.pdf");
        assert_eq!(re, "(.*/)?letters/[^/]*\\.pdf(/.*)?");
        assert_eq!(glob_regex("/abs/**"), "/abs/.*(/.*)?");
    }
}
