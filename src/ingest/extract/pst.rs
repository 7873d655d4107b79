//! Outlook PST and OST files (Unicode and ANSI), read with Microsoft's `outlook-pst` crate: every
//! item of every folder, with its attachments.
//!
//! A PST is a database that the reader walks, not bytes to hold: [`walk`] runs on a thread of
//! its own (the crate's store is not `Send`), visits the folders from the top of the user's
//! folders depth first, and hands each item over as an owned [`Item`], a message at a time, so a
//! PST of any size is read in bounded memory; the workers turn items into documents
//! ([`documents`]) like the messages of a mailbox. An item is named by its folder path, its
//! subject and its node id, which is what its entry ID adds to the store's
//! (`mail.pst!/Inbox/Shipping schedule #200024.msg`); its attachments are members under it.
//! Messages, contacts, calendar items and notes are items alike: the subject (or the name) is
//! the title, the body (plain, else HTML, else compressed RTF) the text, with the recipients and,
//! for items other than messages, their other text fields (a contact's company and numbers, an
//! appointment's location). Messages keep their internet headers' links (`Message-ID`,
//! `References`, `In-Reply-To`) for threads; other items join none.
//!
//! A folder seen twice (a loop in the hierarchy) is walked once, nesting stops at 64 folders, an
//! item keeps at most [`MAX_ATTACHMENTS`] attachments and `--max-file-size` of their bytes.

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::rc::Rc;

use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::{TableContext, TableRowData};
use outlook_pst::messaging::attachment::{
    AnsiAttachment, Attachment, AttachmentData, UnicodeAttachment,
};
use outlook_pst::messaging::message::{AnsiMessage, Message, UnicodeMessage};
use outlook_pst::messaging::store::{AnsiStore, EntryId, Store, UnicodeStore};
use outlook_pst::ndb::node_id::NodeId;
use outlook_pst::{AnsiPstFile, UnicodePstFile};

use super::container::{self, Nesting, Unpacked};
use super::{Extracted, MemberProblem, Rejection, html, rtf};
use crate::thread::Mail;

/// Attachments of one item read at most.
pub const MAX_ATTACHMENTS: usize = 1000;
/// Folders within folders walked at most.
const MAX_DEPTH: usize = 64;
/// Embedded messages within embedded messages read at most.
const MAX_EMBEDDED: usize = 3;

/// An item of a PST, as [`walk`] read it.
#[derive(Debug, Default)]
pub struct Item {
    /// Its folder's path (`Inbox/Projects`).
    pub folder: String,
    /// Its node id: what names it in its file.
    pub node: u32,
    /// `IPM.Note`, `IPM.Contact`, `IPM.Appointment`, `IPM.StickyNote`...
    pub class: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
    /// The sender's SMTP address, for the message's e-mail entities.
    pub sender_address: Option<String>,
    /// `To: …` and `Cc: …` lines.
    pub recipients: Vec<String>,
    /// RFC 3339.
    pub date: Option<String>,
    /// When it was sent (or delivered), in seconds since the Unix epoch.
    pub time: Option<i64>,
    /// Its internet headers that link it to other messages, as written: `Message-ID`,
    /// `References`, `In-Reply-To` (see [`crate::thread`]).
    pub links: [Option<String>; 3],
    pub body: Body,
    /// Other text fields of items that are not messages.
    pub fields: Vec<String>,
    pub attachments: Vec<Attached>,
    /// Attachments left out (over the bounds).
    pub left_out: Vec<MemberProblem>,
}

impl Item {
    /// Bytes it holds, about.
    pub fn bytes(&self) -> usize {
        let body = match &self.body {
            Body::None => 0,
            Body::Text(t) => t.len(),
            Body::Html(b) | Body::Rtf(b) => b.len(),
        };
        let attached: usize = self
            .attachments
            .iter()
            .map(|a| match &a.content {
                Content::Data(d) => d.len(),
                Content::Message(m) => m.bytes(),
            })
            .sum();
        body + attached + self.fields.iter().map(String::len).sum::<usize>() + 256
    }

    /// Its path in the file: folder, subject and node id (`Inbox/Schedule #200024.msg`).
    pub fn member(&self) -> String {
        let subject: String = self
            .subject
            .as_deref()
            .unwrap_or("")
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .take(80)
            .collect();
        let name = format!("{} #{:X}.msg", subject.trim(), self.node);
        match self.folder.as_str() {
            "" => name.trim_start().to_string(),
            folder => format!("{folder}/{}", name.trim_start()),
        }
    }
}

/// A message's body, as the item has it.
#[derive(Debug, Default)]
pub enum Body {
    #[default]
    None,
    Text(String),
    Html(Vec<u8>),
    /// Compressed RTF (`PR_RTF_COMPRESSED`).
    Rtf(Vec<u8>),
}

#[derive(Debug)]
pub struct Attached {
    pub name: String,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    Data(Vec<u8>),
    /// An attached Outlook item (a forwarded message).
    Message(Box<Item>),
}

/// What the walker hands over.
#[derive(Debug)]
pub enum Walked {
    Item(Box<Item>),
    /// The file cannot be read (not a PST, or its structure is broken): the reason.
    Failed(String),
    Done,
}

/// Walks the PST at `path`, handing each item to `send` after the first `skip` (items an
/// earlier ingest wrote); attachments above `max_bytes` together are left out. Stops when
/// `send` says so (the ingest ended).
pub fn walk(path: &Path, skip: u64, max_bytes: u64, send: &mut dyn FnMut(Walked) -> bool) {
    let walked = match UnicodePstFile::open(path) {
        Ok(pst) => UnicodeStore::read(Rc::new(pst))
            .and_then(|store| Walker::<Unicode>::new(store, skip, max_bytes).run(send)),
        Err(_) => AnsiPstFile::open(path)
            .and_then(|pst| AnsiStore::read(Rc::new(pst)))
            .and_then(|store| Walker::<Ansi>::new(store, skip, max_bytes).run(send)),
    };
    let last = match walked {
        Ok(()) => Walked::Done,
        Err(e) => Walked::Failed(format!("not a readable Outlook data file ({e})")),
    };
    send(last);
}

/// The two kinds of PST, Unicode (Outlook 2003 and later, and OST) and ANSI (before), as
/// concrete types: attachments are opened through their message's concrete type.
trait Flavor {
    type Store: Store + 'static;
    type Message: Message + 'static;
    fn message(store: &Rc<Self::Store>, id: &EntryId) -> io::Result<Rc<Self::Message>>;
    fn attachment(message: &Rc<Self::Message>, node: NodeId) -> io::Result<Rc<dyn Attachment>>;
}

struct Unicode;
struct Ansi;

impl Flavor for Unicode {
    type Store = UnicodeStore;
    type Message = UnicodeMessage;
    fn message(store: &Rc<UnicodeStore>, id: &EntryId) -> io::Result<Rc<UnicodeMessage>> {
        UnicodeMessage::read(Rc::clone(store), id, None)
    }
    fn attachment(message: &Rc<UnicodeMessage>, node: NodeId) -> io::Result<Rc<dyn Attachment>> {
        Ok(UnicodeAttachment::read(Rc::clone(message), node, None)?)
    }
}

impl Flavor for Ansi {
    type Store = AnsiStore;
    type Message = AnsiMessage;
    fn message(store: &Rc<AnsiStore>, id: &EntryId) -> io::Result<Rc<AnsiMessage>> {
        AnsiMessage::read(Rc::clone(store), id, None)
    }
    fn attachment(message: &Rc<AnsiMessage>, node: NodeId) -> io::Result<Rc<dyn Attachment>> {
        Ok(AnsiAttachment::read(Rc::clone(message), node, None)?)
    }
}

struct Walker<F: Flavor> {
    store: Rc<F::Store>,
    skip: u64,
    max_bytes: u64,
}

impl<F: Flavor> Walker<F> {
    fn new(store: Rc<F::Store>, skip: u64, max_bytes: u64) -> Self {
        Walker {
            store,
            skip,
            max_bytes,
        }
    }

    fn run(&self, send: &mut dyn FnMut(Walked) -> bool) -> io::Result<()> {
        let properties = self.store.properties();
        let top = properties.ipm_sub_tree_entry_id()?;
        let mut seen: HashSet<u32> = HashSet::new();
        seen.insert(u32::from(top.node_id()));
        // Folders to walk: entry, path, depth; the first child is walked first.
        let mut stack = vec![(top, String::new(), 0usize)];
        let mut items = 0u64;
        while let Some((entry, path, depth)) = stack.pop() {
            let Ok(folder) = self.store.open_folder(&entry) else {
                continue;
            };
            if let Some(contents) = folder.contents_table() {
                for row in contents.rows_matrix() {
                    let node = NodeId::from(u32::from(row.id()));
                    items += 1;
                    if items <= self.skip {
                        continue;
                    }
                    let item = self.item(node, &path);
                    if !send(Walked::Item(Box::new(item))) {
                        return Ok(());
                    }
                }
            }
            let Some(hierarchy) = folder.hierarchy_table() else {
                continue;
            };
            let mut children = Vec::new();
            for row in hierarchy.rows_matrix() {
                let node = NodeId::from(u32::from(row.id()));
                if depth >= MAX_DEPTH || !seen.insert(u32::from(node)) {
                    continue;
                }
                let Ok(entry) = properties.make_entry_id(node) else {
                    continue;
                };
                let name = self
                    .store
                    .open_folder(&entry)
                    .ok()
                    .and_then(|f| f.properties().display_name().ok())
                    .unwrap_or_else(|| format!("folder {:X}", u32::from(node)));
                let name = name.replace(['/', '\\'], "_");
                let child = if path.is_empty() {
                    name
                } else {
                    format!("{path}/{name}")
                };
                children.push((entry, child, depth + 1));
            }
            stack.extend(children.into_iter().rev());
        }
        Ok(())
    }

    /// The item at `node` of the folder `path`; one that cannot be read is an item with no
    /// text, which the worker names as not read.
    fn item(&self, node: NodeId, path: &str) -> Item {
        let mut item = Item {
            folder: path.to_string(),
            node: u32::from(node),
            ..Item::default()
        };
        let read = self
            .store
            .properties()
            .make_entry_id(node)
            .and_then(|entry| F::message(&self.store, &entry));
        if let Ok(message) = read {
            self.fill(&mut item, &message, 0);
        }
        item
    }

    fn fill(&self, item: &mut Item, message: &Rc<F::Message>, embedded: usize) {
        read_properties(item, message.properties().iter());
        let Some(table) = message.attachment_table() else {
            return;
        };
        let mut bytes = 0u64;
        for (i, row) in table.rows_matrix().enumerate() {
            let node = NodeId::from(u32::from(row.id()));
            // outlook-pst 1.2 waits forever on its own lock when it opens an attached message
            // (outlook-pst-rs pull request 65): those are named, never opened.
            if row_value(table.as_ref(), row, 0x3705)
                .is_some_and(|m| matches!(m, PropertyValue::Integer32(5)))
            {
                let name = row_text(table.as_ref(), row, &[0x3707, 0x3704, 0x3001])
                    .unwrap_or_else(|| format!("attachment {}", i + 1));
                item.left_out.push(MemberProblem {
                    member: name.replace(['/', '\\'], "_"),
                    rejection: Rejection::Skip(
                        "an attached Outlook message, which the PST reader cannot open yet".into(),
                    ),
                });
                continue;
            }
            let attachment = match F::attachment(message, node) {
                Ok(attachment) => attachment,
                Err(e) => {
                    // Named by the attachment table's row, which the reader could read.
                    let name = row_text(table.as_ref(), row, &[0x3707, 0x3704, 0x3001])
                        .unwrap_or_else(|| format!("attachment {}", i + 1));
                    item.left_out.push(MemberProblem {
                        member: name.replace(['/', '\\'], "_"),
                        rejection: Rejection::Fail(format!("cannot be read ({e})")),
                    });
                    continue;
                }
            };
            let props = attachment.properties();
            let name = [0x3707, 0x3704, 0x3001]
                .iter()
                .find_map(|&id| props.get(id).and_then(text_of))
                .map(|n| n.replace(['/', '\\'], "_"))
                .unwrap_or_else(|| format!("attachment {}", i + 1));
            if i >= MAX_ATTACHMENTS {
                item.left_out
                    .push(left_out(&name, "more attachments than are read"));
                continue;
            }
            match attachment.data() {
                Some(AttachmentData::Binary(data)) => {
                    let data = data.buffer();
                    bytes += data.len() as u64;
                    if bytes > self.max_bytes {
                        item.left_out
                            .push(left_out(&name, "too large (see --max-file-size)"));
                        continue;
                    }
                    item.attachments.push(Attached {
                        name,
                        content: Content::Data(data.to_vec()),
                    });
                }
                Some(AttachmentData::Message(inner)) if embedded < MAX_EMBEDDED => {
                    let mut inner_item = Item {
                        node: u32::from(node),
                        ..Item::default()
                    };
                    read_properties(&mut inner_item, inner.properties().iter());
                    item.attachments.push(Attached {
                        name: format!("{name}.msg"),
                        content: Content::Message(Box::new(inner_item)),
                    });
                }
                _ => {}
            }
        }
    }
}

/// The first of the properties `ids` a table row has as text.
fn row_text(table: &dyn TableContext, row: &TableRowData, ids: &[u16]) -> Option<String> {
    ids.iter()
        .find_map(|&id| row_value(table, row, id).as_ref().and_then(text_of))
}

/// The property `id` of a table row, if the table has it.
fn row_value(table: &dyn TableContext, row: &TableRowData, id: u16) -> Option<PropertyValue> {
    let context = table.context();
    let values = row.columns(context).ok()?;
    let (column, value) = context
        .columns()
        .iter()
        .zip(&values)
        .find(|(column, _)| column.prop_id() == id)?;
    table.read_column(value.as_ref()?, column.prop_type()).ok()
}

fn left_out(name: &str, why: &str) -> MemberProblem {
    MemberProblem {
        member: name.to_string(),
        rejection: Rejection::Skip(why.to_string()),
    }
}

/// The properties of a message (or an embedded one) that make its document.
fn read_properties<'a>(
    item: &mut Item,
    properties: impl Iterator<Item = (&'a u16, &'a PropertyValue)>,
) {
    let mut sender = (None, None);
    let mut body = (None, None, None);
    let mut dates = (None, None);
    let mut fields = Vec::new();
    for (&id, value) in properties {
        match id {
            0x001A => item.class = text_of(value).unwrap_or_default(),
            0x0037 => item.subject = text_of(value).map(|s| subject(&s)),
            0x0C1A => sender.0 = text_of(value),
            // The SMTP address, else the sender's address if it is one (not an Exchange DN).
            0x5D01 => sender.1 = text_of(value),
            0x0C1F if sender.1.is_none() => {
                sender.1 = text_of(value).filter(|a| a.contains('@'));
            }
            0x0E04 => push_line(&mut item.recipients, "To", value),
            0x0E03 => push_line(&mut item.recipients, "Cc", value),
            0x0039 => dates.0 = seconds_of(value),
            0x0E06 => dates.1 = seconds_of(value),
            0x1035 => item.links[0] = text_of(value),
            0x1039 => item.links[1] = text_of(value),
            0x1042 => item.links[2] = text_of(value),
            0x1000 => body.0 = text_of(value),
            0x1013 => body.1 = bytes_of(value),
            0x1009 => body.2 = bytes_of(value),
            // A contact's name, company, title, numbers and addresses; named properties
            // (an appointment's location, a contact's e-mail addresses).
            0x3001 | 0x3A00..=0x3AFF | 0x8000.. => {
                if let Some(text) = text_of(value).filter(|t| !t.trim().is_empty()) {
                    fields.push(text);
                }
            }
            _ => {}
        }
    }
    item.sender_address = sender.1.clone().filter(|a| a.contains('@'));
    item.sender = match sender {
        (Some(name), Some(address)) if name != address => Some(format!("{name} <{address}>")),
        (name, address) => name.or(address),
    };
    item.time = dates.0.or(dates.1);
    item.date = item.time.map(crate::timestamp::rfc3339);
    item.body = match body {
        (Some(text), _, _) if !text.trim().is_empty() => Body::Text(text),
        (_, Some(html), _) => Body::Html(html),
        (_, _, Some(rtf)) => Body::Rtf(rtf),
        _ => Body::None,
    };
    if !item.class.starts_with("IPM.Note") {
        item.fields = fields;
    }
}

fn push_line(lines: &mut Vec<String>, label: &str, value: &PropertyValue) {
    if let Some(text) = text_of(value).filter(|t| !t.trim().is_empty()) {
        lines.push(format!("{label}: {text}"));
    }
}

/// A subject without the prefix marker Outlook may store before it (`\u{1}` and a length).
fn subject(raw: &str) -> String {
    match raw.strip_prefix('\u{1}') {
        Some(rest) => rest.chars().skip(1).collect(),
        None => raw.to_string(),
    }
}

/// A string property: UTF-16, or 8-bit in the file's code page (decoded as its bytes say).
fn text_of(value: &PropertyValue) -> Option<String> {
    let text = match value {
        PropertyValue::Unicode(s) => String::from_utf16_lossy(s.buffer()),
        PropertyValue::String8(s) => super::decode::decode(s.buffer(), None).text,
        _ => return None,
    };
    Some(text.trim_end_matches('\0').to_string())
}

fn bytes_of(value: &PropertyValue) -> Option<Vec<u8>> {
    match value {
        PropertyValue::Binary(b) => Some(b.buffer().to_vec()),
        PropertyValue::String8(s) => Some(s.buffer().to_vec()),
        PropertyValue::Unicode(s) => Some(String::from_utf16_lossy(s.buffer()).into_bytes()),
        _ => None,
    }
}

/// A FILETIME (100 ns since 1601) as seconds since the Unix epoch.
fn seconds_of(value: &PropertyValue) -> Option<i64> {
    let PropertyValue::Time(filetime) = value else {
        return None;
    };
    let seconds = filetime / 10_000_000 - 11_644_473_600;
    (seconds > 0).then_some(seconds)
}

/// The documents of an item: itself, and its attachments as members under it.
pub fn documents(item: &Item, nesting: &mut Nesting) -> Result<Unpacked, Rejection> {
    let member = item.member();
    let mut out = Unpacked::default();
    let mut inner = Unpacked::default();
    let mut doc = document_of(item);
    doc.part = Some(format!("!/{member}"));
    doc.format = Some(super::Format::Msg);
    out.documents.push(doc);
    for attached in &item.attachments {
        match &attached.content {
            Content::Data(data) => {
                container::member(&attached.name, &mut data.as_slice(), nesting, &mut inner)?;
            }
            Content::Message(message) => {
                let mut doc = document_of(message);
                doc.part = Some(format!("!/{}", attached.name));
                doc.format = Some(super::Format::Msg);
                inner.documents.push(doc);
            }
        }
    }
    inner.problems.extend(item.left_out.iter().cloned());
    out.nest(&member, inner);
    super::attach(&mut out.documents[1..], Some(&format!("!/{member}")));
    Ok(out)
}

fn document_of(item: &Item) -> Extracted {
    let body = match &item.body {
        Body::None => String::new(),
        Body::Text(text) => text.clone(),
        Body::Html(bytes) => html::extract(bytes).map(|d| d.text).unwrap_or_default(),
        Body::Rtf(bytes) => compressed_rtf::decompress_rtf(bytes)
            .ok()
            .and_then(|rtf| rtf::extract(rtf.as_bytes()).ok())
            .map(|d| d.text)
            .unwrap_or_default(),
    };
    let mut text = String::new();
    for line in item.recipients.iter().chain(&item.fields) {
        text.push_str(line);
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&body);
    // An item with no text is still its subject.
    if text.trim().is_empty() {
        text = item.subject.clone().unwrap_or_default();
    }
    let title = item.subject.clone().filter(|s| !s.trim().is_empty());
    let addresses: Vec<String> = item.sender_address.iter().cloned().collect();
    // Only messages join threads: not contacts, appointments or notes.
    let mail = item.class.starts_with("IPM.Note").then(|| {
        let [id, references, in_reply_to] = &item.links;
        Mail {
            subject: title.clone(),
            people: addresses.clone(),
            time: item.time,
            ..Mail::from_headers(id.as_deref(), references.as_deref(), in_reply_to.as_deref())
        }
    });
    Extracted {
        text,
        title,
        author: item.sender.clone(),
        addresses,
        date: item.date.clone(),
        mail,
        ..Extracted::default()
    }
}
