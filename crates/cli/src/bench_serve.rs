//! `chancery bench serve`: load on the reading room over loopback.
//!
//! N clients (default 16), each with its own keep-alive HTTP/1.1 connection, request one URL as
//! fast as answers come back for a fixed time; then the same for the next URL. Prints requests
//! per second, p50/p99 latency and the error count (any status other than 200, any transport
//! error or timeout). Bounded in time (`--seconds` per target) and in count (at most
//! `MAX_REQUESTS` per target), so it always ends.
//!
//! Without `--url` the server runs in this process, on its own runtime and threads, over the
//! archive given; with `--url` it measures a server already running elsewhere.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// Requests per target at most, whatever the duration.
const MAX_REQUESTS: u64 = 50_000_000;
/// One request taking longer than this counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub struct BenchOptions {
    pub seconds: u64,
    pub clients: usize,
    /// Base URL of a running server (`http://127.0.0.1:8080`); `None` starts one in-process.
    pub url: Option<String>,
    pub targets: Vec<String>,
}

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

pub fn run(archive: &Path, opts: &BenchOptions) -> Result<Vec<TargetResult>> {
    if opts.clients == 0 || opts.seconds == 0 {
        bail!("--clients and --seconds must be at least 1");
    }
    // The server, when in-process, gets its own runtime so client and server tasks do not share
    // one scheduler queue (as they would not across processes).
    let mut server_rt = None;
    let base = match &opts.url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let state = chancery_web::open_state(
                archive,
                &chancery_web::Options {
                    access_log: false,
                    ..chancery_web::Options::default()
                },
            )
            .map_err(|e| anyhow::anyhow!("cannot open the archive {}: {e}", archive.display()))?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_name("bench-server")
                .build()?;
            let listener = rt.block_on(tokio::net::TcpListener::bind(SocketAddr::from((
                [127, 0, 0, 1],
                0,
            ))))?;
            let addr = listener.local_addr()?;
            rt.spawn(async move {
                let _ = chancery_web::serve_listener(listener, state).await;
            });
            server_rt = Some(rt);
            format!("http://{addr}")
        }
    };
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("bench-client")
        .build()?;
    let mut results = Vec::new();
    for path in &opts.targets {
        let url = format!("{base}{path}");
        let r = client_rt.block_on(load(&url, path, opts.clients, opts.seconds))?;
        println!(
            "{:<70} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.1} ms  {:>8} requests  {} errors  {} B/response",
            r.path, r.rps, r.p50_ms, r.p99_ms, r.max_ms, r.requests, r.errors, r.bytes_per_response
        );
        results.push(r);
    }
    drop(server_rt);
    Ok(results)
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
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return 0.0;
        }
        let i = ((all.len() as f64 - 1.0) * p).round() as usize;
        all[i.min(all.len() - 1)] as f64 / 1000.0
    };
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
