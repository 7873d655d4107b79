//! `archivist serve`: the search page and a JSON API over the index, in the same binary, with
//! no other process (Datashare needs Elasticsearch beside it, Aleph a docker stack).
//!
//! The server only reads the index: it opens it, follows its commits (a concurrent ingest's
//! new documents are searchable within a second), and never writes it; the one thing it
//! writes is the archivist's tags and notes, kept beside the index. What it serves comes from the
//! index: document text is inserted by the page as text, never as HTML, and a file is served
//! only by its document's id, only if its bytes are still those indexed.
//! - `api`: the JSON API under `/api/v1/`.
//! - `guard`: the token, the bounds on requests, and the security headers, on every request.
//! - `problem`: what an error answers (a message, and a code the page translates).
//! - `listen`: connections, closed when idle.
//! - `page`: the page's files, embedded in the binary, in the reader's language (`locale`,
//!   with each language's messages in a `catalogue`).

mod api;
mod catalogue;
mod guard;
mod listen;
mod locale;
mod page;
mod problem;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::routing::get;
use tantivy::IndexReader;

use crate::store::Store;

/// What `serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    /// Every request must carry it (`--token`, or made up with `--new-token`).
    pub token: Option<String>,
    /// `--allow-host`: names besides the listening address and loopback that requests may be
    /// addressed to.
    pub allow_hosts: Vec<String>,
}

/// What every request is answered from.
pub struct Shared {
    pub store: Store,
    /// Follows the index's commits.
    pub reader: IndexReader,
    pub index_dir: PathBuf,
    pub token: Option<String>,
    /// The host names requests may be addressed to when there is no token: the listening
    /// address, and `--allow-host`'s (loopback names always).
    pub hosts: Vec<String>,
    /// Searches and document reads at once: each holds a blocking thread.
    pub work: tokio::sync::Semaphore,
    /// The page in each of its languages.
    pub pages: page::Pages,
}

/// Searches and reads run at once at most this many; others wait their turn.
const CONCURRENT_WORK: usize = 32;

impl Shared {
    /// Threads for a search's hits: every core while it runs alone, one when others run
    /// beside it, whose threads would only take turns on the same cores, each started and
    /// ended for a page of hits (BENCHMARKS.md, issue 35).
    pub fn hit_threads(&self) -> usize {
        if self.work.available_permits() + 1 < CONCURRENT_WORK {
            1
        } else {
            crate::parallel::cores()
        }
    }
}

/// The values of the cookie `name` a request carries (the token's, the page's language).
fn cookies<'a>(
    headers: &'a axum::http::HeaderMap,
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(move |c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// Serves until interrupted (Ctrl-C). Refuses an address beyond loopback without a token.
pub fn run(store: Store, options: ServeOptions) -> Result<u8> {
    if !options.bind.ip().is_loopback() && options.token.is_none() {
        bail!(
            "refusing to serve on {} without a token: anyone who can reach that address could \
             read the index. Give --token TOKEN (or --new-token), or bind to 127.0.0.1",
            options.bind
        );
    }
    let reader = store
        .following_reader()
        .context("cannot open the index for reading")?;
    let mut hosts = options.allow_hosts.clone();
    hosts.push(options.bind.ip().to_string());
    let shared = Arc::new(Shared {
        index_dir: store.dir.clone(),
        store,
        reader,
        token: options.token.clone(),
        hosts,
        work: tokio::sync::Semaphore::new(CONCURRENT_WORK),
        pages: page::Pages::build().context("cannot make the page")?,
    });
    listen::raise_open_files_limit();
    // A file-size limit (ulimit -f) reached while writing a note must fail that write, not end
    // the server: SQLite then gets an error it reports, instead of the process a signal.
    // SAFETY: ignoring a signal installs no handler code.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .with_context(|| format!("cannot listen on {}", options.bind))?;
        let address = listener.local_addr()?;
        // The address on stdout, first: scripts and tests read it (with port 0, the port).
        let token = options
            .token
            .as_deref()
            .map(|t| format!("?token={t}"))
            .unwrap_or_default();
        println!("http://{address}/{token}");
        eprintln!(
            "archivist: serving {} at http://{address}/ (Ctrl-C stops)",
            shared.index_dir.display()
        );
        listen::serve(listener, router(shared)).await;
        Ok(0)
    })
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/status", get(api::status))
        .route("/api/v1/xref", axum::routing::post(api::xref))
        .route("/api/v1/documents/{id}", get(api::document))
        .route("/api/v1/documents/{id}/original", get(api::original))
        .route("/api/v1/documents/{id}/similar", get(api::similar))
        .route("/api/v1/documents/{id}/thread", get(api::thread))
        .route(
            "/api/v1/documents/{id}/tags",
            axum::routing::post(api::add_tag).delete(api::remove_tag),
        )
        .route(
            "/api/v1/documents/{id}/note",
            axum::routing::put(api::set_note).delete(api::clear_note),
        )
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            guard::guard,
        ))
        .with_state(shared)
}

/// A token for `--new-token`: 128 random bits from the system, as hex.
pub fn new_token() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("cannot read /dev/urandom for a token")?;
    Ok(crate::digest::hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search alone builds its hits on every core; one beside others, on its own thread.
    #[test]
    fn a_search_beside_others_builds_its_hits_on_one_thread() -> Result<()> {
        let store = Store::in_ram();
        let reader = store.reader()?;
        let shared = Shared {
            store,
            reader,
            index_dir: PathBuf::from(":memory:"),
            token: None,
            hosts: Vec::new(),
            work: tokio::sync::Semaphore::new(CONCURRENT_WORK),
            pages: page::Pages::build()?,
        };
        let alone = shared.work.try_acquire()?;
        assert_eq!(shared.hit_threads(), crate::parallel::cores());
        let beside = shared.work.try_acquire()?;
        assert_eq!(shared.hit_threads(), 1);
        drop((alone, beside));
        Ok(())
    }
}
