//! E-mail threads at search time: the messages a message's links connect (see
//! [`crate::thread`] for the rules), walked term by term through the `mail` field, with each
//! message's links read from its `mail_links` column. Nothing is grouped at ingest, so a message
//! added, changed or removed changes only its own terms, and the next search sees the threads
//! as they now are.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher};

use super::postings::postings;
use crate::parallel::lock;
use crate::schema::{Fields, first_str};
use crate::thread::{self, FALLBACK_WINDOW, Links};

/// Messages of one thread walked at most: past it the thread is cut (and says so), the
/// messages nearest the one walked from kept. A hit in a thread of this size costs about
/// 100 ms; real conversations, even a mailing list's longest, stay well under it.
pub const MAX_MESSAGES: usize = 2_000;
/// Documents read for one link term at most (an id a million messages reference is noise).
const MAX_LINKED: usize = MAX_MESSAGES;

/// A thread: the messages its links connect, in time order.
#[derive(Debug, Clone)]
pub struct Thread {
    /// Its id (see [`crate::thread`]): the root of its earliest message.
    pub id: String,
    /// Its messages by date (those without one last), then by document id.
    pub messages: Vec<Message>,
    /// More messages are linked than [`MAX_MESSAGES`].
    pub cut: bool,
}

/// A message of a thread.
#[derive(Debug, Clone)]
pub struct Message {
    pub address: DocAddress,
    /// Its document id.
    pub id: String,
    /// The message of the thread it answers (its place in `messages`): its parent, else its
    /// nearest ancestor the archive holds, else for a reply joined by subject the message
    /// joined; `None` for the first of a conversation.
    pub parent: Option<usize>,
    /// How many answers deep it is (0 for the first of a conversation).
    pub depth: usize,
}

/// Where a document is in its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The thread's id.
    pub thread: String,
    /// Its message's place in the thread, from 1, in time order.
    pub position: usize,
    /// Messages in the thread.
    pub messages: usize,
    /// For an attachment: the document id of the message it is attached to.
    pub attached_to: Option<String>,
}

/// The threads of an index, each walked once for a whole search (the hits of a query are often
/// messages of one thread). Shared by the threads that build hits.
pub struct Threads<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    columns: Mutex<HashMap<u32, Option<StrColumn>>>,
    links: Mutex<HashMap<DocAddress, Arc<Links>>>,
    /// Each message walked: its thread.
    walked: Mutex<HashMap<DocAddress, Arc<Thread>>>,
    /// Each reply joined by subject: the message it joins.
    joins: Mutex<HashMap<DocAddress, Option<DocAddress>>>,
    /// Each subject's dated messages (see [`Threads::dated`]).
    subjects: Mutex<HashMap<String, Arc<Dated>>>,
}

impl<'a> Threads<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> Threads<'a> {
        Threads {
            searcher,
            fields,
            columns: Mutex::new(HashMap::new()),
            links: Mutex::new(HashMap::new()),
            walked: Mutex::new(HashMap::new()),
            joins: Mutex::new(HashMap::new()),
            subjects: Mutex::new(HashMap::new()),
        }
    }

    /// The links of the document at `address` (none for a document that is not e-mail).
    pub fn links(&self, address: DocAddress) -> Result<Arc<Links>> {
        if let Some(known) = lock(&self.links).get(&address) {
            return Ok(Arc::clone(known));
        }
        let column = lock(&self.columns)
            .entry(address.segment_ord)
            .or_insert_with(|| {
                let name = self
                    .searcher
                    .schema()
                    .get_field_name(self.fields.mail_links);
                let fast = self
                    .searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields();
                fast.str(name).ok().flatten()
            })
            .clone();
        let mut terms = String::new();
        if let Some(column) = column {
            first_str(&column, address.doc_id, &mut terms)?;
        }
        let links = Arc::new(Links::of(terms.lines()));
        lock(&self.links).insert(address, Arc::clone(&links));
        Ok(links)
    }

    /// Where the document at `address` is in its thread: a message's place, or an
    /// attachment's message's; `None` for a document that is not e-mail.
    pub fn place(&self, address: DocAddress) -> Result<Option<Place>> {
        let Some((message, attached_to)) = self.message_of(address)? else {
            return Ok(None);
        };
        let thread = self.of_message(message)?;
        let id = self.links(message)?.doc.clone().unwrap_or_default();
        let position = thread
            .messages
            .iter()
            .position(|m| m.id == id)
            .map_or(0, |i| i + 1);
        Ok(Some(Place {
            thread: thread.id.clone(),
            position,
            messages: thread.messages.len(),
            attached_to,
        }))
    }

    /// The thread of the document at `address` (a message, or an attachment of one).
    pub fn of(&self, address: DocAddress) -> Result<Option<Arc<Thread>>> {
        match self.message_of(address)? {
            Some((message, _)) => self.of_message(message).map(Some),
            None => Ok(None),
        }
    }

    /// The message whose thread the document at `address` is in: itself, or for an attachment
    /// its message (with that message's document id); `None` for a document that is not
    /// e-mail, or whose message is no longer indexed.
    fn message_of(&self, address: DocAddress) -> Result<Option<(DocAddress, Option<String>)>> {
        let links = self.links(address)?;
        if links.is_message() {
            return Ok(Some((address, None)));
        }
        let Some(id) = links.message() else {
            return Ok(None);
        };
        let doc = format!("{}{id}", thread::DOC);
        let found = postings(self.searcher, self.fields.mail, &doc, 1)?;
        Ok(found
            .first()
            .map(|&message| (message, Some(id.to_string()))))
    }

    /// The threads `typed` names (`thread:` in a query): a thread id (also one that two threads
    /// had before a message joined them), or a message's `Message-ID`.
    pub fn named(&self, typed: &str) -> Result<Vec<Arc<Thread>>> {
        let typed = typed.trim();
        let seeds = if thread::is_thread_id(typed) {
            let root = format!("{}{}", thread::ROOT, typed.to_ascii_lowercase());
            postings(self.searcher, self.fields.mail, &root, MAX_LINKED)?
        } else {
            let bare = typed
                .strip_prefix('<')
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(typed);
            let id = format!("{}{bare}", thread::ID);
            postings(self.searcher, self.fields.mail, &id, MAX_LINKED)?
        };
        let mut threads: Vec<Arc<Thread>> = Vec::new();
        let mut seen: HashSet<DocAddress> = HashSet::new();
        for seed in seeds {
            // Messages of one id's threads are bounded as one thread's are.
            if seen.len() >= MAX_MESSAGES {
                break;
            }
            if !seen.contains(&seed) {
                let thread = self.of_message(seed)?;
                seen.extend(thread.messages.iter().map(|m| m.address));
                // A seed that is a message kept twice finds the thread already walked.
                if !threads.iter().any(|t| Arc::ptr_eq(t, &thread)) {
                    threads.push(thread);
                }
            }
        }
        Ok(threads)
    }

    /// The documents attached to `message` (not the message itself).
    pub fn attachments(&self, message: &Message) -> Result<Vec<DocAddress>> {
        let within = thread::attached_term(&message.id);
        let mut out = postings(self.searcher, self.fields.mail, &within, MAX_LINKED)?;
        out.retain(|a| *a != message.address);
        Ok(out)
    }

    /// The thread of the message at `address`, walked once.
    fn of_message(&self, address: DocAddress) -> Result<Arc<Thread>> {
        if let Some(known) = lock(&self.walked).get(&address) {
            return Ok(Arc::clone(known));
        }
        let (thread, found) = self.walk(address)?;
        let thread = Arc::new(thread);
        let mut walked = lock(&self.walked);
        for message in found {
            walked.insert(message, Arc::clone(&thread));
        }
        Ok(thread)
    }

    /// Every message connected to `seed`: through each id it has or names, the messages that
    /// have or name it; through a subject, the replies joined by it.
    fn walk(&self, seed: DocAddress) -> Result<(Thread, Vec<DocAddress>)> {
        let mail = self.fields.mail;
        let mut found = Found {
            seen: HashSet::from([seed]),
            order: vec![seed],
            queue: VecDeque::from([seed]),
            cut: false,
        };
        let mut ids_seen: HashSet<String> = HashSet::new();
        // Each subject's replies without links, by the message each joins.
        let mut subjects: HashMap<String, HashMap<DocAddress, Vec<DocAddress>>> = HashMap::new();
        while let Some(at) = found.queue.pop_front() {
            let links = self.links(at)?;
            for id in links.id.iter().chain(&links.refs) {
                if !ids_seen.insert(id.clone()) {
                    continue;
                }
                for prefix in [thread::ID, thread::REF] {
                    let term = format!("{prefix}{id}");
                    for linked in postings(self.searcher, mail, &term, MAX_LINKED)? {
                        if self.links(linked)?.is_message() {
                            found.add(linked);
                        }
                    }
                }
            }
            if links.loose.is_some()
                && let Some(joined) = self.joined(at, &links)?
            {
                found.add(joined);
            }
            if let Some(subject) = &links.subject {
                if !subjects.contains_key(subject) {
                    let loose = format!("{}{subject}", thread::LOOSE);
                    let mut by_joined: HashMap<DocAddress, Vec<DocAddress>> = HashMap::new();
                    for reply in postings(self.searcher, mail, &loose, MAX_LINKED)? {
                        if let Some(joined) = self.joined(reply, &*self.links(reply)?)? {
                            by_joined.entry(joined).or_default().push(reply);
                        }
                    }
                    subjects.insert(subject.clone(), by_joined);
                }
                let replies = subjects.get(subject).and_then(|by| by.get(&at));
                for &reply in replies.into_iter().flatten() {
                    found.add(reply);
                }
            }
        }
        let thread = self.arrange(found.order.clone(), found.cut)?;
        Ok((thread, found.order))
    }

    /// The message a reply without links joins by its subject (see [`crate::thread`]): the
    /// latest earlier message with the same subject that shares an address with it, within
    /// [`FALLBACK_WINDOW`].
    fn joined(&self, reply: DocAddress, links: &Links) -> Result<Option<DocAddress>> {
        if let Some(known) = lock(&self.joins).get(&reply) {
            return Ok(*known);
        }
        let mut joined = None;
        if let (Some(subject), Some(time), Some(doc)) = (&links.loose, links.time, &links.doc) {
            let dated = self.dated(subject)?;
            let key = (time, doc.as_str());
            let before = dated.partition_point(|(when, id, _)| (*when, id.as_str()) < key);
            for (when, _, candidate) in dated[..before].iter().rev() {
                if time - when > FALLBACK_WINDOW {
                    break;
                }
                if links.shares_someone_with(&*self.links(*candidate)?) {
                    joined = Some(*candidate);
                    break;
                }
            }
        }
        lock(&self.joins).insert(reply, joined);
        Ok(joined)
    }

    /// The dated messages with `subject` (see [`crate::thread::subject_key`]), by time and
    /// document id: where a reply without links looks for the message it joins.
    fn dated(&self, subject: &str) -> Result<Arc<Dated>> {
        if let Some(known) = lock(&self.subjects).get(subject) {
            return Ok(Arc::clone(known));
        }
        let same = format!("{}{subject}", thread::SUBJECT);
        let mut dated = Vec::new();
        for candidate in postings(self.searcher, self.fields.mail, &same, MAX_LINKED)? {
            let other = self.links(candidate)?;
            if let (Some(when), Some(id)) = (other.time, &other.doc) {
                dated.push((when, id.clone(), candidate));
            }
        }
        dated.sort();
        let dated = Arc::new(dated);
        lock(&self.subjects).insert(subject.to_string(), Arc::clone(&dated));
        Ok(dated)
    }

    /// The messages found, in time order, each with the message it answers.
    fn arrange(&self, found: Vec<DocAddress>, cut: bool) -> Result<Thread> {
        let mut messages: Vec<(Arc<Links>, DocAddress)> = found
            .into_iter()
            .map(|a| Ok((self.links(a)?, a)))
            .collect::<Result<_>>()?;
        messages.sort_by(|(a, _), (b, _)| {
            (a.time.is_none(), a.time, &a.doc).cmp(&(b.time.is_none(), b.time, &b.doc))
        });
        // A message twice in one mailbox (the same delivery kept twice) is one document: its
        // copies are one hit, and one message of the thread.
        messages.dedup_by(|(a, _), (b, _)| a.doc == b.doc);
        let by_id: HashMap<&str, usize> = messages
            .iter()
            .enumerate()
            .filter_map(|(i, (l, _))| l.id.as_deref().map(|id| (id, i)))
            .collect();
        let mut out: Vec<Message> = Vec::with_capacity(messages.len());
        for (i, (links, address)) in messages.iter().enumerate() {
            // Its parent, else the nearest ancestor held, else the message joined by subject.
            let mut parent = links
                .parent
                .iter()
                .chain(links.refs.iter().rev())
                .find_map(|id| by_id.get(id.as_str()).copied())
                .filter(|&p| p != i);
            if parent.is_none() && links.loose.is_some() {
                let joined = self.joined(*address, links)?;
                parent = messages.iter().position(|(_, a)| Some(*a) == joined);
            }
            out.push(Message {
                address: *address,
                id: links.doc.clone().unwrap_or_default(),
                parent,
                depth: 0,
            });
        }
        for i in 0..out.len() {
            // Parents may come later (a clock set wrong) or loop (ids reused): count at most
            // the thread's length.
            let (mut depth, mut at) = (0, out[i].parent);
            while let Some(p) = at
                && depth < out.len()
            {
                depth += 1;
                at = out[p].parent;
            }
            out[i].depth = depth;
        }
        let id = messages
            .first()
            .and_then(|(l, _)| l.root.clone())
            .unwrap_or_default();
        Ok(Thread {
            id,
            messages: out,
            cut,
        })
    }
}

/// Messages with a date, as `(time, document id, address)`, in that order.
type Dated = Vec<(i64, String, DocAddress)>;

/// The messages a walk has found, and those whose links are still to follow.
struct Found {
    seen: HashSet<DocAddress>,
    order: Vec<DocAddress>,
    /// Breadth first: when a thread is cut, the messages nearest the first are kept.
    queue: VecDeque<DocAddress>,
    cut: bool,
}

impl Found {
    fn add(&mut self, message: DocAddress) {
        if self.seen.contains(&message) {
            return;
        }
        if self.order.len() >= MAX_MESSAGES {
            self.cut = true;
            return;
        }
        self.seen.insert(message);
        self.order.push(message);
        self.queue.push_back(message);
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{Index, TantivyDocument};

    use super::*;
    use crate::thread::Mail;

    /// An index of messages, each `(document id, Message-ID, References, In-Reply-To,
    /// subject, addresses, time)`.
    type Row<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        &'a str,
        &'a str,
        &'a [&'a str],
        Option<i64>,
    );

    fn index(rows: &[Row<'_>]) -> (Index, Fields) {
        let (schema, fields) = crate::schema::build();
        let index = Index::create_in_ram(schema);
        crate::analysis::register(index.tokenizers());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for &(doc_id, id, references, in_reply_to, subject, people, time) in rows {
            let mail = Mail {
                subject: Some(subject.to_string()),
                people: people.iter().map(|p| p.to_string()).collect(),
                time,
                ..Mail::from_headers(id, Some(references), Some(in_reply_to))
            };
            let mut doc = TantivyDocument::new();
            doc.add_text(fields.id, doc_id);
            // As ingest writes them.
            let terms = mail.terms(doc_id);
            doc.add_text(fields.mail_links, terms.join("\n"));
            for term in terms.iter().filter(|t| crate::thread::is_looked_up(t)) {
                doc.add_text(fields.mail, term);
            }
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        (index, fields)
    }

    /// Each thread of the index as the document ids of its messages, in thread order.
    fn threads(index: &Index, fields: &Fields) -> Vec<Vec<String>> {
        let searcher = index.reader().expect("reader").searcher();
        let threads = Threads::new(&searcher, fields);
        let mut out: Vec<Vec<String>> = Vec::new();
        for doc in 0..searcher.num_docs() as u32 {
            let thread = threads
                .of(DocAddress::new(0, doc))
                .expect("walk")
                .expect("a thread");
            let ids: Vec<String> = thread.messages.iter().map(|m| m.id.clone()).collect();
            if !out.contains(&ids) {
                out.push(ids);
            }
        }
        out
    }

    #[test]
    fn ids_that_name_each_other_in_a_loop_end_and_undated_messages_come_last() {
        let (index, fields) = index(&[
            (
                "m1",
                Some("<a@x>"),
                "<b@x>",
                "",
                "Plans",
                &["p@x"],
                Some(100),
            ),
            (
                "m2",
                Some("<b@x>"),
                "<a@x>",
                "",
                "Re: Plans",
                &["p@x"],
                Some(50),
            ),
            (
                "m3",
                Some("<c@x>"),
                "<a@x>",
                "<a@x>",
                "Re: Plans",
                &["q@x"],
                None,
            ),
        ]);
        let found = threads(&index, &fields);
        assert_eq!(found, [vec!["m2", "m1", "m3"]]);
        let searcher = index.reader().expect("reader").searcher();
        let thread = Threads::new(&searcher, &fields)
            .of(DocAddress::new(0, 0))
            .expect("walk")
            .expect("thread");
        // m2 and m1 answer each other: depths stay bounded by the thread's length.
        assert!(thread.messages.iter().all(|m| m.depth <= 3));
        assert_eq!(thread.messages[2].parent, Some(1), "m3 answers m1");
    }

    #[test]
    fn a_reply_without_links_joins_the_latest_earlier_message_sharing_an_address() {
        let day = 24 * 3600;
        let (index, fields) = index(&[
            (
                "first",
                Some("<f@x>"),
                "",
                "",
                "Lists",
                &["a@x", "b@x"],
                Some(0),
            ),
            (
                "second",
                Some("<s@x>"),
                "<f@x>",
                "",
                "Re: Lists",
                &["a@x", "b@x"],
                Some(day),
            ),
            // Joins `second`, the latest earlier one with an address in common.
            ("loose", None, "", "", "AW: Lists", &["b@x"], Some(2 * day)),
            // No address in common; past the window; no reply prefix: each alone.
            (
                "stranger",
                None,
                "",
                "",
                "Re: Lists",
                &["c@x"],
                Some(3 * day),
            ),
            ("late", None, "", "", "Re: Lists", &["a@x"], Some(40 * day)),
            ("new", None, "", "", "Lists", &["a@x"], Some(4 * day)),
        ]);
        let found = threads(&index, &fields);
        assert_eq!(
            found,
            [
                vec!["first", "second", "loose"],
                vec!["stranger"],
                vec!["late"],
                vec!["new"]
            ]
        );
    }
}
