//! The server over real sockets: slow and idle clients, shutdown with a deadline, body-read
//! timeouts, and search without an index. Each test serves a small archive (one TEI volume of
//! the sample) on a loopback port; clients are plain blocking sockets, so what they send is
//! exactly what a slow or broken client would.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chancery_store::Archive;
use chancery_web::{open_state, serve_until, AppState, Limits, Options};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample")
}

/// An archive holding the 1861 excerpt.
fn small_archive(dir: &Path) -> PathBuf {
    let path = dir.join("archive");
    let f = sample().join("tei").join("frus1861-excerpt.xml");
    let bytes = std::fs::read(&f).expect("read TEI");
    let parsed =
        chancery_formats::tei::read_tei(&bytes, &f.display().to_string()).expect("parse TEI");
    let mut archive = Archive::open(&path).expect("open archive");
    archive.store_volume(&parsed).expect("store TEI");
    path
}

fn state(path: &Path, limits: Limits) -> Arc<AppState> {
    open_state(
        path,
        &Options {
            connections: 2,
            access_log: false,
            limits,
        },
    )
    .expect("open state")
}

struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(state: Arc<AppState>) -> Running {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(serve_until(listener, state, async {
        let _ = rx.await;
    }));
    Running {
        addr,
        stop: Some(tx),
        done,
    }
}

impl Running {
    /// Send the stop signal; how long `serve_until` took to return after it.
    async fn stop(mut self, within: Duration) -> Duration {
        let t = Instant::now();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match tokio::time::timeout(within, &mut self.done).await {
            Ok(Ok(Ok(()))) => t.elapsed(),
            Ok(other) => panic!("serve ended badly: {other:?}"),
            Err(_) => panic!("serve still running {within:?} after the stop signal"),
        }
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s
}

/// Read until the server closes the connection (or resets it); what arrived.
fn read_to_close(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!("the connection is still open after the read timeout")
            }
            // Reset by the server: closed too.
            Err(_) => return out,
        }
    }
}

/// One request on a kept-alive connection; the response head and body as text.
fn request(s: &mut TcpStream, path: &str) -> String {
    write!(s, "GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").expect("write");
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    // Enough for the small responses asked for here: read until the body is complete.
    loop {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "closed before the response");
        out.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&out);
        if let Some(head_end) = text.find("\r\n\r\n") {
            let len = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                })
                .unwrap_or(0);
            if out.len() >= head_end + 4 + len {
                return text.into_owned();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_are_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = small_archive(dir.path());
    let limits = Limits {
        header_read_timeout: Duration::from_millis(400),
        ..Limits::default()
    };
    let server = start(state(&path, limits)).await;
    // 200 clients that connect and send nothing.
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..200).map(|_| connect(server.addr)).collect();
    // One that sends half a header and stops.
    let mut half = connect(server.addr);
    half.write_all(b"GET / HTTP/1.1\r\nHost: te")
        .expect("write");
    // One that made a request and keeps the connection alive without another.
    let mut kept = connect(server.addr);
    let first = request(&mut kept, "/api/v1/stats");
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    for s in idle.iter_mut().chain([&mut half, &mut kept]) {
        read_to_close(s);
    }
    let took = started.elapsed();
    // Held until the timeout, then closed: not refused, not kept.
    assert!(
        took >= Duration::from_millis(350) && took < Duration::from_secs(5),
        "all 202 connections closed in {took:?}"
    );
    // The server still serves new clients.
    let mut fresh = connect(server.addr);
    assert!(request(&mut fresh, "/api/v1/stats").starts_with("HTTP/1.1 200"));
    drop(fresh);
    server.stop(Duration::from_secs(15)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unfinished_header_does_not_keep_the_server_alive_after_stop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = small_archive(dir.path());
    // The header timeout is far away: only the shutdown deadline can end this connection.
    let limits = Limits {
        header_read_timeout: Duration::from_secs(120),
        shutdown_grace: Duration::from_millis(500),
        ..Limits::default()
    };
    let server = start(state(&path, limits)).await;
    let mut half = connect(server.addr);
    half.write_all(b"GET /historicaldocuments HTTP/1.1\r\nHost: te")
        .expect("write");
    std::thread::sleep(Duration::from_millis(200));
    let took = server.stop(Duration::from_secs(10)).await;
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "stopped after the grace period ({took:?})"
    );
    read_to_close(&mut half);
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_keep_alive_connections_close_at_once_on_stop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = small_archive(dir.path());
    let limits = Limits {
        header_read_timeout: Duration::from_secs(120),
        shutdown_grace: Duration::from_secs(30),
        ..Limits::default()
    };
    let server = start(state(&path, limits)).await;
    let mut kept: Vec<TcpStream> = (0..20).map(|_| connect(server.addr)).collect();
    for s in &mut kept {
        assert!(request(s, "/api/v1/stats").starts_with("HTTP/1.1 200"));
    }
    let took = server.stop(Duration::from_secs(10)).await;
    assert!(
        took < Duration::from_secs(3),
        "idle connections did not wait for the grace period ({took:?})"
    );
    for s in &mut kept {
        read_to_close(s);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_body_that_stops_arriving_is_a_408() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = small_archive(dir.path());
    let limits = Limits {
        body_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let server = start(state(&path, limits)).await;
    let mut s = connect(server.addr);
    let started = Instant::now();
    s.write_all(
        b"POST /api/v1/search HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"query\": ",
    )
    .expect("write");
    let got = String::from_utf8_lossy(&read_to_close(&mut s)).into_owned();
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.contains("\"code\":\"request_timeout\""), "{got}");
    assert!(started.elapsed() < Duration::from_secs(5));
    server.stop(Duration::from_secs(15)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_an_index_search_is_503_with_the_reason_and_the_rest_serves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = small_archive(dir.path());
    // An index directory whose metadata is not an index's: the index cannot be opened. (A
    // missing or misplaced index is built afresh beside it and moved in, so it must be there.)
    let index = path.join("index");
    if index.exists() {
        std::fs::remove_dir_all(&index).expect("remove index");
    }
    std::fs::create_dir_all(&index).expect("index dir");
    std::fs::write(index.join("meta.json"), b"not an index").expect("write");
    let server = start(state(&path, Limits::default())).await;
    let mut s = connect(server.addr);
    let page = request(&mut s, "/search?q=message");
    assert!(page.starts_with("HTTP/1.1 503"), "{page}");
    assert!(
        page.contains("search is unavailable: the search index cannot be opened"),
        "{page}"
    );
    assert!(
        page.contains("id=\"qerror\""),
        "the form is still there: {page}"
    );
    let api = request(&mut s, "/api/v1/search?q=message");
    assert!(api.starts_with("HTTP/1.1 503"), "{api}");
    assert!(api.contains("\"code\":\"unavailable\""), "{api}");
    assert!(
        api.contains("search is unavailable: the search index cannot be opened"),
        "{api}"
    );
    // An empty search page is only the form: no index needed.
    assert!(request(&mut s, "/search").starts_with("HTTP/1.1 200"));
    // Everything else is served from the store.
    assert!(request(&mut s, "/api/v1/stats").starts_with("HTTP/1.1 200"));
    assert!(request(&mut s, "/historicaldocuments/frus1861").starts_with("HTTP/1.1 200"));
    drop(s);
    server.stop(Duration::from_secs(15)).await;
}
