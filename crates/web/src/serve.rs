//! The connection loop: accept, serve each connection with hyper's HTTP/1 server, and stop.
//!
//! Written here rather than with `axum::serve` because that one cannot bound slow clients:
//! it sets no timer on hyper's connections (so no header-read timeout: a client that opens a
//! connection and sends nothing, or half a header, holds it for ever), and its graceful
//! shutdown waits for every connection with no deadline (so one unfinished header keeps the
//! process alive after SIGTERM). Here:
//!
//! * hyper's own `header_read_timeout` (only the parser knows when a header is complete) closes
//!   a connection whose next request header has not arrived in time; hyper starts that clock
//!   again after every response, so it also ends idle keep-alive connections;
//! * request bodies are bounded per read by tower-http's `RequestBodyTimeoutLayer` (in
//!   [`crate::router`]);
//! * at shutdown the listener closes, idle connections are closed at once (hyper-util's
//!   `GracefulShutdown`), in-flight requests get [`crate::Limits::shutdown_grace`] to finish,
//!   and whatever is still open then is dropped;
//! * at most [`crate::Limits::max_connections`] connections are served at once.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::AppState;

/// Bind `addr` and serve until Ctrl-C or SIGTERM. The address bound is logged (INFO); callers
/// that print it themselves bind their own listener and call [`serve_until`].
pub async fn serve(state: Arc<AppState>, addr: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!("reading room on http://{local}/ (Ctrl-C to stop)");
    serve_until(listener, state, shutdown_signal()).await
}

/// Serve on an already bound listener until the task is dropped (benchmarks and tests).
pub async fn serve_listener(listener: TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    serve_until(listener, state, std::future::pending()).await
}

/// Serve on `listener` until `shutdown` completes, then stop as described in the module docs.
pub async fn serve_until(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = state.limits.clone();
    let app = crate::router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = Arc::clone(&slots).acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: the listener itself is fine, so
                    // wait a moment rather than spin or give up.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small responses go out without waiting for Nagle's timer.
        let _ = stream.set_nodelay(true);
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        connections.spawn(async move {
            if let Err(e) = conn.await {
                // Timeouts and clients going away are routine; nothing to answer.
                tracing::debug!("connection ended: {e}");
            }
            drop(slot);
        });
        // Reap finished connections so the set holds only live ones.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let open = connections.len();
    if open > 0 {
        tracing::info!("stopping: {open} connection(s) open");
    }
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "connections still open {:.1} s after the stop signal; dropping them",
            limits.shutdown_grace.as_secs_f64()
        );
    }
    connections.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed there is no way to be told; wait forever then.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
