//! The web API and the CLI give identical results for the same request: on the sample archive,
//! `GET /api/v1/search?…` (the URL form), `POST /api/v1/search` (the request as JSON, built by
//! the CLI's own argument mapping) and `chancery search … --json` answer the same
//! `SearchResponse`, timing aside. Filters, facets, dates, sorts, paging, the query language and
//! more-like-this are covered.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use common::{json, ok, sample};

fn build_archive(tmp: &Path) -> PathBuf {
    let dir = tmp.join("archive");
    ok(
        &dir,
        &[
            "ingest",
            sample("tei").to_str().expect("path"),
            sample("text").to_str().expect("path"),
        ],
    );
    ok(
        &dir,
        &[
            "ingest",
            "--volume",
            "seeds",
            sample("seeds").to_str().expect("path"),
        ],
    );
    dir
}

/// The response without its timing, which differs from run to run.
fn untimed(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("took_ms");
    }
    v
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `chancery search` arguments as clap reads them, for the CLI's own request mapping.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    search: chancery_cli::search_cmd::SearchArgs,
}

struct Server {
    base: String,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
}

impl Server {
    async fn get(&self, path_and_query: &str) -> Value {
        let uri: hyper::Uri = format!("{}{path_and_query}", self.base)
            .parse()
            .expect("uri");
        let resp = self.client.get(uri).await.expect("GET");
        let status = resp.status();
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(
            status,
            hyper::StatusCode::OK,
            "{path_and_query}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).expect("JSON")
    }

    async fn post(&self, body: String) -> Value {
        let req = hyper::Request::post(format!("{}/api/v1/search", self.base))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let resp = self.client.request(req).await.expect("POST");
        let status = resp.status();
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(
            status,
            hyper::StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).expect("JSON")
    }
}

#[test]
fn web_api_and_cli_answer_the_same_search() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let archive = build_archive(tmp.path());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let state = chancery_web::open_state(
        &archive,
        &chancery_web::Options {
            access_log: false,
            ..chancery_web::Options::default()
        },
    )
    .expect("open state");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(SocketAddr::from((
            [127, 0, 0, 1],
            0,
        ))))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(chancery_web::serve_listener(listener, state));
    let server = Server {
        base: format!("http://{addr}"),
        client: Client::builder(TokioExecutor::new()).build_http(),
    };

    // Facet values taken from the archive itself, so the filtered cases have results.
    let all = rt.block_on(server.get("/api/v1/search?q=bombing&facet_limit=10&per_page=10"));
    let top = |facet: &str| -> String {
        all["facets"][facet][0]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("no {facet} value for bombing"))
            .to_string()
    };
    let (volume, doc_type, year) = (top("volume"), top("type"), top("year"));

    // (URL query string, CLI arguments): the same request in both forms.
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            "q=bombing&facet_limit=10&per_page=10".into(),
            vec!["bombing".into(), "--facets".into()],
        ),
        (
            format!(
                "q=bombing&volume={}&type={}&sort=date&per_page=5&page=2&facet_limit=10",
                enc(&volume),
                enc(&doc_type)
            ),
            vec![
                "bombing".into(),
                format!("--filter=volume={volume}"),
                format!("--filter=type={doc_type}"),
                "--sort=date".into(),
                "--limit=5".into(),
                "--offset=5".into(),
                "--facets".into(),
            ],
        ),
        (
            format!("q=&year={year}&year=1967&facet_limit=5&per_page=20&sort=date-desc"),
            vec![
                format!("--filter=year={year}"),
                "--filter=year=1967".into(),
                "--facets".into(),
                "--facet-limit=5".into(),
                "--limit=20".into(),
                "--sort=-date".into(),
            ],
        ),
        (
            "q=bombing&from=1968-10&to=1968-11&date_mode=within&sort=date-desc&facets=false&per_page=10"
                .into(),
            vec![
                "bombing".into(),
                "--from=1968-10".into(),
                "--to=1968-11".into(),
                "--date-mode=within".into(),
                "--sort=-date".into(),
            ],
        ),
        (
            format!(
                "q={}&facets=false&per_page=20",
                enc("(harriman OR vance) NOT paris")
            ),
            vec!["(harriman OR vance) NOT paris".into(), "--limit=20".into()],
        ),
        (
            format!(
                "q={}&filter={}&facet_limit=10&per_page=10",
                enc("title:telegram"),
                enc("from=Embassy in France")
            ),
            vec![
                "title:telegram".into(),
                "--filter=from=Embassy in France".into(),
                "--facets".into(),
            ],
        ),
        (
            "like=frus1964-68v07/d45&facets=false&per_page=10".into(),
            vec!["--like=frus1964-68v07/d45".into()],
        ),
    ];
    for (query, args) in &cases {
        let mut argv: Vec<&str> = vec!["search"];
        argv.extend(args.iter().map(String::as_str));
        argv.push("--json");
        let cli = json(&archive, &argv);
        let web = rt.block_on(server.get(&format!("/api/v1/search?{query}")));
        assert_eq!(
            untimed(web),
            untimed(cli.clone()),
            "GET ?{query} vs {args:?}"
        );
        // The CLI's own request, sent as JSON.
        let parsed =
            Args::try_parse_from(std::iter::once("search").chain(args.iter().map(String::as_str)))
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let req = chancery_cli::search_cmd::request(&parsed.search).expect("request");
        let posted = rt.block_on(server.post(serde_json::to_string(&req).expect("JSON")));
        assert_eq!(untimed(posted), untimed(cli.clone()), "POST {args:?}");
        assert!(
            cli["total"].as_u64().is_some_and(|n| n > 0),
            "{args:?} finds something"
        );
    }
}
