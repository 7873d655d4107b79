//! Connections: accepted, served over HTTP/1.1, and closed when idle, so that clients that
//! connect and say nothing (a slowloris, a thousand forgotten tabs) cost a little memory for a
//! little while and never keep the server from others.
//!
//! axum's own `serve` keeps a silent connection open for as long as the client likes; here each
//! connection must finish sending a request's headers within [`HEADERS_TIME`] of the server
//! waiting for them (hyper's header read timeout, which also runs while a kept-alive
//! connection waits for its next request). The process's limit of open files is raised to what
//! the system allows, and when it is reached anyway, accepting waits a moment rather than
//! failing. Ctrl-C stops accepting, lets the requests under way finish, and returns.

use std::pin::pin;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// Time a connection has to send a request's headers, counted from when the server waits for
/// them.
pub const HEADERS_TIME: Duration = Duration::from_secs(10);
/// Time the requests under way get to finish after Ctrl-C.
const DRAIN_TIME: Duration = Duration::from_secs(25);

/// Serves `router` on `listener` until Ctrl-C.
pub async fn serve(listener: TcpListener, router: Router) {
    let (closing, closed) = tokio::sync::watch::channel(false);
    let mut interrupted = pin!(tokio::signal::ctrl_c());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors or the like: what is open closes in time.
                    if !matches!(e.kind(), std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset)
                    {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            _ = &mut interrupted => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADERS_TIME);
            let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closed.changed() => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    let _ = closing.send(true);
    // Each connection holds a receiver; all dropped means all closed. This one is not a
    // connection's: kept, it would make every stop wait the whole drain time.
    drop(closed);
    let _ = tokio::time::timeout(DRAIN_TIME, closing.closed()).await;
}

/// Raises the soft limit of open files to the hard one: each connection is a descriptor, and
/// the usual soft limit of 1024 would turn clients away while memory is plentiful.
pub fn raise_open_files_limit() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `limit` is a valid rlimit to read into and from.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0
                && limit.rlim_cur < limit.rlim_max
            {
                limit.rlim_cur = limit.rlim_max;
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}
