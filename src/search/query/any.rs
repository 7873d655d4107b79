//! `--any`: the words of a query optional, ranked by how many match and how well, with the
//! function words of the collection's languages left out.

use tantivy::query::{BooleanQuery, Occur, Query};

use super::tokens::analyze;
use super::{Compiler, Origin};
use crate::search::parse::{Modifier, Node, Scope};
use crate::search::stopwords::Stopwords;

impl Compiler<'_> {
    /// `--any`: the children of a top-level AND as optional clauses (negations still exclude),
    /// but for the words that are function words of the collection's languages (see
    /// [`crate::search::stopwords`]), unless every word is one.
    pub(super) fn any_of(&mut self, children: &[Node]) -> Option<Box<dyn Query>> {
        // An index that cannot be read fails the search itself right after; here it only
        // means no word is left out.
        let stopwords = self
            .searcher
            .and_then(|s| Stopwords::of_collection(s, self.fields, &mut self.text).ok())
            .unwrap_or_default();
        let function_word = |compiler: &mut Self, node: &Node| match node {
            Node::Word {
                scope: Scope::All,
                text,
                modifier: Modifier::None,
            } => match analyze(&mut compiler.text, text).as_slice() {
                [(_, token)] => stopwords.contains(token),
                _ => false,
            },
            _ => false,
        };
        let mut kept = Vec::new();
        for child in children {
            if function_word(self, child) {
                if let Node::Word { text, .. } = child {
                    self.ignored.push(text.clone());
                }
            } else {
                kept.push(child);
            }
        }
        if !kept.iter().any(|c| !matches!(c, Node::Not(_))) {
            self.ignored.clear();
            kept = children.iter().collect();
        }
        let mut clauses = Vec::new();
        for child in kept {
            if let Node::Not(inner) = child {
                if let Some(q) = self.node(inner, Origin::NEGATED) {
                    clauses.push((Occur::MustNot, q));
                }
            } else if let Some(q) = self.node(child, Origin::TYPED) {
                clauses.push((Occur::Should, q));
            }
        }
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Should) {
            return None;
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}
