//! Tags and notes on documents: the archivist's own marks, kept beside the index (not in it) in
//! SQLite, `<index>.annotations.sqlite` next to the index folder, so that they survive
//! re-ingest and the rebuild archivist does when its analysis changes.
//!
//! A mark names its document by path (and part, for a container's member or a message) and by
//! the SHA-256 of its file: a changed file keeps its marks by its path, a moved or renamed one
//! by its content. SQLite's transactions (WAL, and a wait when another process writes) make
//! tagging during an ingest, or from two commands at once, lose nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// A document as tags and notes name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRef {
    /// The file's key in the index.
    pub path: String,
    /// `""` for a whole file.
    pub part: String,
    pub sha256: String,
}

/// Tags and notes, open for reading or writing.
pub struct Annotations {
    db: Connection,
}

/// Where the marks of the index in `index_dir` are kept: beside it.
pub fn location(index_dir: &Path) -> PathBuf {
    let name = index_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let parent = index_dir.parent().unwrap_or(Path::new("."));
    parent.join(format!("{name}.annotations.sqlite"))
}

impl Annotations {
    /// The marks of the index in `index_dir`, made on first use.
    pub fn open(index_dir: &Path) -> Result<Annotations> {
        Annotations::open_waiting(index_dir, Duration::from_secs(30))
    }

    /// As [`Annotations::open`], waiting at most `wait` for another process's write lock
    /// each time (the server answers within its request time rather than wait long).
    pub fn open_waiting(index_dir: &Path, wait: Duration) -> Result<Annotations> {
        let path = location(index_dir);
        let db = Connection::open(&path)
            .with_context(|| format!("cannot open the tags and notes at {}", path.display()))?;
        db.busy_timeout(wait)?;
        // Readers never wait for a writer. Switching a new file to WAL needs it alone: another
        // process setting it up at the same moment is waited for.
        let started = std::time::Instant::now();
        while let Err(e) = db.pragma_update(None, "journal_mode", "WAL") {
            if started.elapsed() > wait {
                return Err(e).with_context(|| format!("{} stays locked", path.display()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        db.execute_batch(
            "BEGIN IMMEDIATE;
             CREATE TABLE IF NOT EXISTS tags (
                 tag TEXT NOT NULL, path TEXT NOT NULL, part TEXT NOT NULL, sha256 TEXT NOT NULL,
                 PRIMARY KEY (tag, path, part));
             CREATE INDEX IF NOT EXISTS tags_by_sha ON tags (sha256, part);
             CREATE INDEX IF NOT EXISTS tags_by_path ON tags (path, part);
             CREATE TABLE IF NOT EXISTS notes (
                 path TEXT NOT NULL, part TEXT NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL,
                 PRIMARY KEY (path, part));
             CREATE INDEX IF NOT EXISTS notes_by_sha ON notes (sha256, part);
             CREATE TABLE IF NOT EXISTS watches (
                 name TEXT PRIMARY KEY, query TEXT NOT NULL, any INTEGER NOT NULL,
                 fuzzy INTEGER NOT NULL, langs TEXT NOT NULL, mark INTEGER);
             COMMIT;",
        )
        .with_context(|| format!("cannot set up {}", path.display()))?;
        Ok(Annotations { db })
    }

    /// The marks of the index in `index_dir` if any were ever made, for reading only (a
    /// search makes none, and takes no lock that a writer would wait for).
    pub fn existing(index_dir: &Path) -> Result<Option<Annotations>> {
        let path = location(index_dir);
        if !path.is_file() {
            return Ok(None);
        }
        let db = Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the tags and notes at {}", path.display()))?;
        db.busy_timeout(Duration::from_secs(30))?;
        Ok(Some(Annotations { db }))
    }

    /// Whether any mark names a message of the mailbox `path` by its number (`message 3`,
    /// as versions before Message-IDs named them), or a member of one.
    pub fn has_numbered_messages(&self, path: &str) -> Result<bool> {
        let numbered = "(part GLOB 'message [0-9]*' OR part GLOB '!/message [0-9]*')";
        let query = format!(
            "SELECT EXISTS (SELECT 1 FROM tags WHERE path = ?1 AND {numbered}) \
             OR EXISTS (SELECT 1 FROM notes WHERE path = ?1 AND {numbered})"
        );
        Ok(self.db.query_row(&query, params![path], |row| row.get(0))?)
    }

    /// Moves the marks of `path`'s parts from each old name to its new one, with the members
    /// under them (`!/message 3!/a.pdf` to `!/<id@host>!/a.pdf`), in one transaction; a mark
    /// the new name already has is kept once. How many marks moved.
    pub fn rename_parts(&mut self, path: &str, renames: &[(String, String)]) -> Result<usize> {
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut moved = 0;
        for table in ["tags", "notes"] {
            let whole =
                format!("UPDATE OR REPLACE {table} SET part = ?3 WHERE path = ?1 AND part = ?2");
            let members = format!(
                "UPDATE OR REPLACE {table} SET part = ?3 || substr(part, length(?2) + 1) \
                 WHERE path = ?1 AND substr(part, 1, length(?2)) = ?2"
            );
            for (old, new) in renames {
                moved += tx.execute(&whole, params![path, old, new])?;
                let (old, new) = (format!("!/{old}!/"), format!("!/{new}!/"));
                moved += tx.execute(&members, params![path, old, new])?;
            }
        }
        tx.commit()?;
        Ok(moved)
    }

    /// Tags `docs` with `tag`, in one transaction; how many were not tagged so before.
    pub fn tag(&mut self, tag: &str, docs: &[DocRef]) -> Result<usize> {
        self.each(
            "INSERT OR IGNORE INTO tags (tag, path, part, sha256) VALUES (?1, ?2, ?3, ?4)",
            tag,
            docs,
        )
    }

    /// Takes `tag` off `docs` (found by path or by content); how many marks went.
    pub fn untag(&mut self, tag: &str, docs: &[DocRef]) -> Result<usize> {
        self.each(
            "DELETE FROM tags WHERE tag = ?1 AND part = ?3 AND (path = ?2 OR sha256 = ?4)",
            tag,
            docs,
        )
    }

    /// Runs `statement` with `tag` and each of `docs` (path, part, SHA-256), in one
    /// transaction; the rows it changed.
    fn each(&mut self, statement: &str, tag: &str, docs: &[DocRef]) -> Result<usize> {
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = 0;
        for doc in docs {
            changed += tx.execute(statement, params![tag, doc.path, doc.part, doc.sha256])?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Every tag with how many documents carry it, by name.
    pub fn tags(&self) -> Result<Vec<(String, u64)>> {
        let mut statement = self
            .db
            .prepare("SELECT tag, COUNT(*) FROM tags GROUP BY tag ORDER BY tag")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The documents each tag marks, for `tag:` in queries.
    pub fn tagged(&self) -> Result<BTreeMap<String, Vec<DocRef>>> {
        let mut statement = self
            .db
            .prepare("SELECT tag, path, part, sha256 FROM tags")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                DocRef {
                    path: row.get(1)?,
                    part: row.get(2)?,
                    sha256: row.get(3)?,
                },
            ))
        })?;
        let mut out: BTreeMap<String, Vec<DocRef>> = BTreeMap::new();
        for row in rows {
            let (tag, doc) = row?;
            out.entry(tag).or_default().push(doc);
        }
        Ok(out)
    }

    /// Sets the note on `doc` (`None` clears it).
    pub fn note(&mut self, doc: &DocRef, text: Option<&str>) -> Result<()> {
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM notes WHERE part = ?2 AND (path = ?1 OR sha256 = ?3)",
            params![doc.path, doc.part, doc.sha256],
        )?;
        if let Some(text) = text {
            tx.execute(
                "INSERT INTO notes (path, part, sha256, text) VALUES (?1, ?2, ?3, ?4)",
                params![doc.path, doc.part, doc.sha256, text],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A document's tags (sorted) and note: those made on its path, or on its content.
    pub fn of(&self, doc: &DocRef) -> Result<(Vec<String>, Option<String>)> {
        let mut statement = self.db.prepare_cached(
            "SELECT tag FROM tags WHERE part = ?2 AND (path = ?1 OR sha256 = ?3)",
        )?;
        let tags: BTreeSet<String> = statement
            .query_map(params![doc.path, doc.part, doc.sha256], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let note = self
            .db
            .prepare_cached(
                "SELECT text FROM notes WHERE part = ?2 AND (path = ?1 OR sha256 = ?3)
                 ORDER BY path = ?1 DESC LIMIT 1",
            )?
            .query_row(params![doc.path, doc.part, doc.sha256], |row| row.get(0))
            .optional()?;
        Ok((tags.into_iter().collect(), note))
    }
}

/// A saved search: its query and options, and how far it has seen (the latest ingest time of
/// the documents it was last run on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub name: String,
    pub query: String,
    pub any: bool,
    pub fuzzy: bool,
    /// `--lang`, comma-separated.
    pub langs: String,
    /// Documents ingested after this (Unix seconds) are new to it; `None`: never run. (Its
    /// column is `mark`, as the first version named it.)
    pub seen_to: Option<i64>,
}

impl Annotations {
    /// Saves a search (replacing one of the same name, which then starts afresh).
    pub fn watch(&mut self, watch: &Watch) -> Result<()> {
        self.db.execute(
            "INSERT OR REPLACE INTO watches (name, query, any, fuzzy, langs, mark)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
            params![watch.name, watch.query, watch.any, watch.fuzzy, watch.langs],
        )?;
        Ok(())
    }

    /// Forgets a saved search; whether there was one.
    pub fn unwatch(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .db
            .execute("DELETE FROM watches WHERE name = ?1", params![name])?
            > 0)
    }

    /// The saved searches, by name.
    pub fn watches(&self) -> Result<Vec<Watch>> {
        let mut statement = self
            .db
            .prepare("SELECT name, query, any, fuzzy, langs, mark FROM watches ORDER BY name")?;
        let rows = statement.query_map([], |row| {
            Ok(Watch {
                name: row.get(0)?,
                query: row.get(1)?,
                any: row.get(2)?,
                fuzzy: row.get(3)?,
                langs: row.get(4)?,
                seen_to: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records how far a saved search has seen.
    pub fn set_seen_to(&mut self, name: &str, seen_to: i64) -> Result<()> {
        self.db.execute(
            "UPDATE watches SET mark = ?2 WHERE name = ?1",
            params![name, seen_to],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, sha: &str) -> DocRef {
        DocRef {
            path: path.into(),
            part: String::new(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn marks_follow_a_document_by_path_or_by_content() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let index = dir.path().join("index");
        assert!(Annotations::existing(&index)?.is_none());
        let mut marks = Annotations::open(&index)?;
        assert!(location(&index).ends_with("index.annotations.sqlite"));
        assert_eq!(
            marks.tag("camp", &[doc("/a.txt", "1"), doc("/b.txt", "2")])?,
            2
        );
        assert_eq!(marks.tag("camp", &[doc("/a.txt", "1")])?, 0, "once");
        marks.note(&doc("/a.txt", "1"), Some("check the dates"))?;
        // Changed (same path, new content) and moved (new path, same content).
        assert_eq!(marks.of(&doc("/a.txt", "9"))?.0, ["camp"]);
        let moved = marks.of(&doc("/moved/a.txt", "1"))?;
        assert_eq!(
            moved,
            (
                vec!["camp".to_string()],
                Some("check the dates".to_string())
            )
        );
        assert_eq!(marks.tags()?, [("camp".to_string(), 2)]);
        assert_eq!(marks.untag("camp", &[doc("/b.txt", "2")])?, 1);
        marks.note(&doc("/a.txt", "1"), None)?;
        assert_eq!(
            marks.of(&doc("/a.txt", "1"))?,
            (vec!["camp".to_string()], None)
        );
        Ok(())
    }
}
