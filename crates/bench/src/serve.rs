//! `chancery-bench serve`: load on the reading room over loopback, beside a bare HTTP server.
//!
//! N clients (default 16), each with its own keep-alive HTTP/1.1 connection, request one URL as
//! fast as answers come back for a fixed time; then the same for the next URL. Prints requests
//! per second, p50/p99 latency and the error count (any status other than 200, any transport
//! error or timeout). Bounded in time (`--seconds` per target) and in count (at most
//! `MAX_REQUESTS` per target), so it always ends.
//!
//! Without `--url` the server runs in this process, on its own runtime and threads, over the
//! archive given; with `--url` it measures a server already running elsewhere.
//!
//! The baseline, run after each target with the same clients for the same time: a bare hyper
//! HTTP/1 server in this process, on loopback, answering every request with a page from memory
//! as long as the target's. The distance between the two rows is what the reading room
//! costs per request (routing, reading the archive, searching, rendering, its middleware).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// Requests per target at most, whatever the duration.
const MAX_REQUESTS: u64 = 50_000_000;
/// One request taking longer than this counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Options of `chancery-bench serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Seconds of load per target (and as many for its baseline).
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Concurrent clients, each with its own connection.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// A running server (`http://127.0.0.1:8080`); by default one is started in-process
    /// over --archive (built from the bundled sample if absent).
    #[arg(long)]
    url: Option<String>,
    /// Paths to load (default: frus1964-68v07/d45 and a faceted search).
    #[arg(long = "path")]
    paths: Vec<String>,
    /// The archive the in-process server reads.
    #[arg(long, env = "CHANCERY_ARCHIVE", default_value = "archive")]
    archive: PathBuf,
}

/// What the load on one path measured.
#[derive(Debug, Clone)]
pub struct TargetResult {
    pub path: String,
    pub requests: u64,
    pub errors: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub bytes_per_response: u64,
}

impl TargetResult {
    fn print(&self, label: &str) {
        println!(
            "{label:<70} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.1} ms  {:>8} requests  {} errors  {} B/response",
            self.rps, self.p50_ms, self.p99_ms, self.max_ms, self.requests, self.errors, self.bytes_per_response
        );
    }
}

/// Load every target, each followed by its baseline; returns the targets' results (the
/// baselines' are only printed).
pub fn run(args: &ServeArgs) -> Result<Vec<TargetResult>> {
    if args.clients == 0 || args.seconds == 0 {
        bail!("--clients and --seconds must be at least 1");
    }
    let targets = if args.paths.is_empty() {
        vec![
            "/historicaldocuments/frus1964-68v07/d45".to_string(),
            "/search?q=bombing&volume=frus1964-68v07&kind=historical-document".to_string(),
        ]
    } else {
        args.paths.clone()
    };
    // Servers get a runtime of their own so client and server tasks do not share one
    // scheduler queue (as they would not across processes).
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("bench-server")
        .build()?;
    let base = match &args.url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            chancery_cli::sample::ensure_archive(&args.archive)?;
            let state = chancery_web::open_state(
                &args.archive,
                &chancery_web::Options {
                    access_log: false,
                    ..chancery_web::Options::default()
                },
            )
            .map_err(|e| {
                anyhow::anyhow!("cannot open the archive {}: {e}", args.archive.display())
            })?;
            let listener = server_rt.block_on(bind_loopback())?;
            let addr = listener.local_addr()?;
            server_rt.spawn(async move {
                if let Err(e) = chancery_web::serve_listener(listener, state).await {
                    eprintln!("bench server stopped: {e}");
                }
            });
            format!("http://{addr}")
        }
    };
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("bench-client")
        .build()?;
    let mut results = Vec::new();
    for path in &targets {
        let url = format!("{base}{path}");
        let r = client_rt.block_on(load(&url, path, args.clients, args.seconds))?;
        r.print(&r.path);
        // The baseline answers every request with a page of the same size as the target's.
        let page = Bytes::from(vec![b'x'; usize::try_from(r.bytes_per_response)?]);
        let listener = server_rt.block_on(bind_loopback())?;
        let bare_url = format!("http://{}/", listener.local_addr()?);
        let bare = server_rt.spawn(serve_bare(listener, page));
        let b = client_rt.block_on(load(&bare_url, "/", args.clients, args.seconds))?;
        bare.abort();
        b.print("  baseline: bare hyper server, same bytes, same process");
        println!(
            "  reading room / baseline: {:.2}× the throughput, {:.2}× the p50 latency",
            r.rps / b.rps.max(1e-9),
            r.p50_ms / b.p50_ms.max(1e-9)
        );
        results.push(r);
    }
    drop(server_rt);
    Ok(results)
}

async fn bind_loopback() -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await
}

/// The baseline server: HTTP/1 keep-alive connections, every request answered with `page`
/// from memory.
async fn serve_bare(listener: tokio::net::TcpListener, page: Bytes) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors and the like: wait a moment rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // As the reading room does: small responses go out without waiting for Nagle's timer.
        let _ = stream.set_nodelay(true);
        let page = page.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |_: hyper::Request<hyper::body::Incoming>| {
                    let mut resp = hyper::Response::new(Full::new(page.clone()));
                    resp.headers_mut().insert(
                        hyper::header::CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
                    );
                    std::future::ready(Ok::<_, Infallible>(resp))
                });
            // A client going away ends its connection; nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn load(url: &str, path: &str, clients: usize, seconds: u64) -> Result<TargetResult> {
    let uri: hyper::Uri = url.parse().with_context(|| format!("bad URL {url}"))?;
    // One warm-up request: fail fast (and clearly) if the target does not answer 200.
    let probe = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let resp = probe
        .get(uri.clone())
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    if resp.status() != hyper::StatusCode::OK {
        bail!("{url} answered {}", resp.status());
    }
    let bytes = resp.into_body().collect().await?.to_bytes().len() as u64;

    let count = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let uri = uri.clone();
        let count = Arc::clone(&count);
        // One client (and so one keep-alive connection) per task, like 16 separate users.
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(1)
            .build_http::<Empty<Bytes>>();
        tasks.push(tokio::spawn(async move {
            let mut lat: Vec<u32> = Vec::with_capacity(1 << 16);
            let mut errors = 0u64;
            while Instant::now() < deadline && count.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS
            {
                let t = Instant::now();
                let ok = match tokio::time::timeout(REQUEST_TIMEOUT, async {
                    let resp = client.get(uri.clone()).await.ok()?;
                    let status = resp.status();
                    let body = resp.into_body().collect().await.ok()?;
                    Some(status == hyper::StatusCode::OK && !body.to_bytes().is_empty())
                })
                .await
                {
                    Ok(Some(ok)) => ok,
                    _ => false,
                };
                lat.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                if !ok {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut all: Vec<u32> = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.context("a client task failed")?;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| -> f64 { crate::stats::nearest_rank(&all, p) as f64 / 1000.0 };
    Ok(TargetResult {
        path: path.to_string(),
        requests: all.len() as u64,
        errors,
        rps: all.len() as f64 / elapsed.max(1e-9),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: all.last().map(|v| *v as f64 / 1000.0).unwrap_or(0.0),
        bytes_per_response: bytes,
    })
}
