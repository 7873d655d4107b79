//! A thread shown as a conversation: its messages in time order, each with how deep an answer
//! it is, what is attached to it and whether it matches a query. What `serve` shows beside an
//! e-mail opened from a hit.

use anyhow::Result;
use tantivy::query::EnableScoring;
use tantivy::{DocAddress, Searcher};

use super::execute::matches;
use super::query::{self, QueryOptions};
use super::stored::{self, About};
use super::thread::{Thread, Threads};
use super::whole::address_of;
use crate::store::Store;

/// Messages of a conversation shown at most (a thread may have thousands); the document
/// opened is always among them.
pub const MAX_SHOWN: usize = 500;

/// A thread as a conversation.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// The thread's id.
    pub id: String,
    /// Messages in the thread (more may be shown than kept: see `messages`).
    pub total: usize,
    /// The thread has more messages than could be walked, or than are shown.
    pub cut: bool,
    pub messages: Vec<Said>,
}

/// A message of a conversation.
#[derive(Debug, Clone)]
pub struct Said {
    pub about: About,
    /// Its place in the thread, from 1.
    pub position: usize,
    /// How many answers deep it is.
    pub depth: usize,
    /// The place of the message it answers, if the thread holds it.
    pub answers: Option<usize>,
    /// It matches the query.
    pub matches: bool,
    /// It is the document opened (or the message that is attached to).
    pub opened: bool,
    pub attachments: Vec<Attached>,
}

/// A document attached to a message.
#[derive(Debug, Clone)]
pub struct Attached {
    pub about: About,
    pub matches: bool,
    /// It is the document opened.
    pub opened: bool,
}

/// The conversation of the document with id `id` (a message, or a document attached to one),
/// with the messages and attachments `query` matches marked; `None` when no document has that
/// id, and an empty conversation when it is not e-mail.
pub fn conversation(
    store: &Store,
    searcher: &Searcher,
    id: &str,
    query: Option<(&str, &QueryOptions)>,
) -> Result<Option<Option<Conversation>>> {
    let fields = &store.fields;
    let Some(opened) = address_of(searcher, fields, id)? else {
        return Ok(None);
    };
    let threads = Threads::new(searcher, fields);
    let Some(thread) = threads.of(opened)? else {
        return Ok(Some(None));
    };
    let weight = match query {
        Some((query, options)) if !query.trim().is_empty() => {
            let compiled = query::compile(query, fields, options, Some(searcher))?;
            Some(
                compiled
                    .query
                    .weight(EnableScoring::disabled_from_searcher(searcher))?,
            )
        }
        _ => None,
    };
    let matching = |address: DocAddress| -> Result<bool> {
        match &weight {
            Some(weight) => matches(weight.as_ref(), searcher, address),
            None => Ok(false),
        }
    };
    // The opened document's message, by its id: a message kept twice is one.
    let opened_message = threads.links(opened)?.message().map(str::to_string);
    let shown = shown(&thread, opened_message.as_deref());
    let mut messages = Vec::with_capacity(shown.len());
    for i in shown {
        let message = &thread.messages[i];
        let mut attachments = Vec::new();
        let mut opened_here = opened_message.as_deref() == Some(message.id.as_str());
        for address in threads.attachments(message)? {
            opened_here |= address == opened;
            attachments.push(Attached {
                about: stored::about(searcher, fields, address)?,
                matches: matching(address)?,
                opened: address == opened,
            });
        }
        attachments.sort_by(|a, b| a.about.part.cmp(&b.about.part));
        messages.push(Said {
            about: stored::about(searcher, fields, message.address)?,
            position: i + 1,
            depth: message.depth,
            answers: message.parent.map(|p| p + 1),
            matches: matching(message.address)?,
            opened: opened_here,
            attachments,
        });
    }
    Ok(Some(Some(Conversation {
        id: thread.id.clone(),
        total: thread.messages.len(),
        cut: thread.cut || thread.messages.len() > MAX_SHOWN,
        messages,
    })))
}

/// The places of the messages shown: all, or in a long thread the [`MAX_SHOWN`] around the
/// opened document's message.
fn shown(thread: &Thread, opened: Option<&str>) -> Vec<usize> {
    let count = thread.messages.len();
    if count <= MAX_SHOWN {
        return (0..count).collect();
    }
    let at = thread
        .messages
        .iter()
        .position(|m| Some(m.id.as_str()) == opened)
        .unwrap_or(0);
    let start = at.saturating_sub(MAX_SHOWN / 2).min(count - MAX_SHOWN);
    (start..start + MAX_SHOWN).collect()
}
