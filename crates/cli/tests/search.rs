//! Search on the real sample: the acceptance list. Expected sets and counts are computed
//! from the SQLite tables, independently of the index.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chancery_index::SearchIndex;
use chancery_model::date::{parse_iso, year_of};
use chancery_query::{parse, search, DateMode, SearchRequest, SearchResponse, Sort};
use chancery_store::Archive;
use common::{chancery, ok, sample};

/// The sample (TEI volumes, text captures, and the seeds filed in their real volumes) in one
/// archive shared by the read-only tests.
fn archive() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("archive");
        let a = dir.to_str().expect("utf-8 path");
        ok(
            &dir,
            &[
                "ingest",
                sample("tei").to_str().expect("path"),
                sample("text").to_str().expect("path"),
            ],
        );
        let _ = a;
        // The seeds, in their real volumes: 000 is a second witness of v07's d45.
        for (file, volume) in [
            ("000_b59939755342e843.txt", "frus1964-68v07"),
            ("003_5b44302af4495d90.txt", "frus1964-68v03"),
        ] {
            ok(
                &dir,
                &[
                    "ingest",
                    "--volume",
                    volume,
                    sample("seeds").join(file).to_str().expect("path"),
                ],
            );
        }
        (tmp, dir)
    });
    path
}

/// A connection of the test's own to the archive's database, as any SQLite client would open.
fn db(archive: &Archive) -> rusqlite::Connection {
    rusqlite::Connection::open(archive.db_path()).expect("open the database")
}

fn open() -> (Archive, SearchIndex) {
    let dir = archive();
    let archive = Archive::open_existing(dir).expect("archive");
    let index = SearchIndex::open(dir).expect("index");
    assert!(
        index.is_current(&archive).expect("state"),
        "ingest left the index in step with the store"
    );
    (archive, index)
}

fn run(index: &SearchIndex, req: SearchRequest) -> SearchResponse {
    search(index, &req).unwrap_or_else(|e| panic!("{:?}: {e}", req.query))
}

fn all(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        include_matter: true,
        limit: 1000,
        snippets: 0,
        ..SearchRequest::default()
    }
}

fn paths(resp: &SearchResponse) -> BTreeSet<String> {
    resp.hits.iter().map(|h| h.path.clone()).collect()
}

/// Words as the index defines them: runs of letters and digits, lower case.
fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_phrase_from_seed_000_finds_d45_first() {
    let (_, index) = open();
    let seed = std::fs::read_to_string(sample("seeds/000_b59939755342e843.txt")).expect("seed");
    assert!(seed.contains("President Johnson is responsible for US foreign policy"));
    for phrase in [
        "\"President Johnson is responsible for US foreign policy\"",
        // Curly quotes and the seed's curly apostrophe, as pasted from the web page.
        "\u{201C}Why doesn\u{2019}t he stop the bombing\u{201D}",
    ] {
        let resp = run(
            &index,
            SearchRequest {
                query: phrase.into(),
                ..SearchRequest::default()
            },
        );
        assert_eq!(
            resp.hits.first().map(|h| h.path.as_str()),
            Some("frus1964-68v07/d45"),
            "{phrase}: {:?}",
            paths(&resp)
        );
        // The capture of the same document is its second witness, not a second hit.
        assert_eq!(resp.total, 1, "{phrase}: {:?}", paths(&resp));
        let s = &resp.hits[0].snippets[0];
        assert_eq!(s.location, "body");
        assert!(s.marked.contains("<mark>"), "{s:?}");
    }
}

#[test]
fn person_queries_match_the_stored_mentions() {
    let (archive, index) = open();
    let conn = db(&archive);
    // (document path, target, words as written, glossary name)
    let mut stmt = conn
        .prepare(
            "SELECT m.volume_id || '/' || m.document_id, m.target, m.surface, p.name
             FROM mentions m LEFT JOIN persons p ON p.volume_id = m.volume_id AND p.id = m.target
             WHERE m.kind = 'person'",
        )
        .expect("sql");
    let rows: Vec<(String, Option<String>, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(rows.len() > 100, "the sample has person mentions");
    let mut checked = 0;
    for value in [
        "p_HWA1", "p_RDI1", "Harriman", "Rusk", "Seward", "Sato", "Vance", "Bunker", "Adams",
    ] {
        let v = value.to_lowercase();
        let want: BTreeSet<String> = rows
            .iter()
            .filter(|(_, target, surface, name)| {
                let id_match = target.as_deref().is_some_and(|t| {
                    let t = t.to_lowercase();
                    t == v || t.rsplit_once('#').is_some_and(|(_, id)| id == v)
                });
                let name_match = tokens(surface).contains(&v)
                    || name.as_deref().is_some_and(|n| tokens(n).contains(&v));
                id_match || name_match
            })
            .map(|(p, ..)| p.clone())
            .collect();
        let got = paths(&run(&index, all(&format!("person:{value}"))));
        assert_eq!(got, want, "person:{value}");
        if !want.is_empty() {
            checked += 1;
        }
    }
    assert!(checked >= 5, "most probes found someone");
}

#[test]
fn from_and_to_queries_match_the_stored_senders_and_recipients() {
    let (archive, index) = open();
    let conn = db(&archive);
    let mut stmt = conn
        .prepare("SELECT volume_id || '/' || id, senders, recipients FROM documents")
        .expect("sql");
    let rows: Vec<(String, Vec<String>, Vec<String>)> = stmt
        .query_map([], |r| {
            let s: String = r.get(1)?;
            let t: String = r.get(2)?;
            Ok((
                r.get(0)?,
                serde_json::from_str(&s).unwrap_or_default(),
                serde_json::from_str(&t).unwrap_or_default(),
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut nonempty = 0;
    for (field, value) in [
        ("from", "Embassy"),
        ("from", "Rostow"),
        ("from", "\"Embassy in France\""),
        ("from", "Seward"),
        ("to", "\"Department of State\""),
        ("to", "President"),
        ("to", "Johnson"),
    ] {
        let needle = tokens(value);
        let want: BTreeSet<String> = rows
            .iter()
            .filter(|(_, senders, recipients)| {
                let list = if field == "from" { senders } else { recipients };
                list.iter().any(|p| contains_seq(&tokens(p), &needle))
            })
            .map(|(p, ..)| p.clone())
            .collect();
        let got = paths(&run(&index, all(&format!("{field}:{value}"))));
        assert_eq!(got, want, "{field}:{value}");
        if !want.is_empty() {
            nonempty += 1;
        }
    }
    assert!(nonempty >= 5);
}

#[test]
fn facet_counts_equal_counts_from_the_store() {
    let (archive, index) = open();
    let conn = db(&archive);
    let count_map = |sql: &str, arg: Option<&str>| -> BTreeMap<String, u64> {
        let mut stmt = conn.prepare(sql).expect("sql");
        let map = |r: &rusqlite::Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64));
        match arg {
            Some(a) => stmt
                .query_map([a], map)
                .expect("q")
                .collect::<Result<_, _>>(),
            None => stmt
                .query_map([], map)
                .expect("q")
                .collect::<Result<_, _>>(),
        }
        .expect("rows")
    };
    let facet = |resp: &SearchResponse, name: &str| -> BTreeMap<String, u64> {
        resp.facets.as_ref().expect("facets")[name]
            .iter()
            .map(|f| (f.value.clone(), f.count))
            .collect()
    };
    // The whole archive, every kind.
    let resp = run(
        &index,
        SearchRequest {
            facets: true,
            facet_limit: 10_000,
            ..all("")
        },
    );
    let total: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .expect("count");
    assert_eq!(resp.total, total as u64);
    let volumes: BTreeMap<String, u64> = count_map(
        "SELECT lower(volume_id), count(*) FROM documents GROUP BY 1",
        None,
    );
    assert_eq!(facet(&resp, "volume"), volumes);
    assert_eq!(
        facet(&resp, "kind"),
        count_map("SELECT kind, count(*) FROM documents GROUP BY kind", None)
    );
    assert_eq!(
        facet(&resp, "from"),
        count_map(
            "SELECT s.value, count(DISTINCT d.key) FROM documents d, json_each(d.senders) s
             WHERE trim(s.value) != '' GROUP BY s.value",
            None
        )
    );
    // Years: of date_min in UTC (the index's documented convention), computed here from the
    // stored strings.
    let mut years: BTreeMap<String, u64> = BTreeMap::new();
    let mut undated = 0u64;
    let mut stmt = conn.prepare("SELECT date_min FROM documents").expect("sql");
    for d in stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .expect("q")
    {
        match d.expect("row").and_then(|s| parse_iso(&s).ok()) {
            Some(d) => *years.entry(year_of(d.start).to_string()).or_default() += 1,
            None => undated += 1,
        }
    }
    assert_eq!(facet(&resp, "year"), years);
    assert_eq!(resp.undated, Some(undated));

    // A filtered result set: one volume, historical documents only.
    let resp = run(
        &index,
        SearchRequest {
            query: "kind:document".into(),
            volumes: vec!["frus1964-68v29p2".into()],
            facets: true,
            facet_limit: 10_000,
            ..all("")
        },
    );
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM documents WHERE volume_id = 'frus1964-68v29p2' AND kind = 'historical-document'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(resp.total, n as u64);
    assert_eq!(
        facet(&resp, "to"),
        count_map(
            "SELECT s.value, count(DISTINCT d.key) FROM documents d, json_each(d.recipients) s
             WHERE d.volume_id = ?1 AND d.kind = 'historical-document' AND trim(s.value) != ''
             GROUP BY s.value",
            Some("frus1964-68v29p2")
        )
    );
    // Counts cover the whole result set, not the page.
    let paged = run(
        &index,
        SearchRequest {
            query: "kind:document".into(),
            volumes: vec!["frus1964-68v29p2".into()],
            facets: true,
            limit: 2,
            ..SearchRequest::default()
        },
    );
    assert_eq!(paged.hits.len(), 2);
    assert_eq!(paged.total, resp.total);
    assert_eq!(
        facet(&paged, "volume")["frus1964-68v29p2"],
        resp.total,
        "facets count all results"
    );
}

/// Facet filters narrow the results like the counts said, and each facet keeps the counts of
/// its other values (counted under every filter but its own), so a choice can be widened again.
#[test]
fn facet_filters_narrow_and_each_facet_keeps_its_other_values() {
    let (archive, index) = open();
    let conn = db(&archive);
    let facet = |resp: &SearchResponse, name: &str| -> BTreeMap<String, u64> {
        resp.facets.as_ref().expect("facets")[name]
            .iter()
            .map(|f| (f.value.clone(), f.count))
            .collect()
    };
    // (volume, year of date_min) of every document, from the store.
    type VolumeYear = (String, Option<String>);
    let mut stmt = conn
        .prepare("SELECT volume_id, date_min FROM documents")
        .expect("sql");
    let docs: Vec<VolumeYear> = stmt
        .query_map([], |r| {
            let d: Option<String> = r.get(1)?;
            Ok((
                r.get::<_, String>(0)?,
                d.and_then(|s| parse_iso(&s).ok())
                    .map(|d| year_of(d.start).to_string()),
            ))
        })
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("rows");
    let count = |keep: &dyn Fn(&VolumeYear) -> bool| -> u64 {
        docs.iter().filter(|d| keep(d)).count() as u64
    };
    let with = |filters: &[(&str, &[&str])]| -> SearchResponse {
        run(
            &index,
            SearchRequest {
                facets: true,
                facet_limit: 10_000,
                filters: filters
                    .iter()
                    .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
                    .collect(),
                ..all("")
            },
        )
    };

    let everything = with(&[]);
    let v29 = "frus1964-68v29p2";
    let one = with(&[("volume", &[v29])]);
    assert_eq!(one.total, count(&|d| d.0 == v29));
    assert!(one.total > 0 && one.total < everything.total);
    // The volume facet still lists every volume, with its count over the whole archive…
    assert_eq!(facet(&one, "volume"), facet(&everything, "volume"));
    // …while the other facets count the volume's documents only.
    let years_in_v29 = facet(&one, "year");
    assert_eq!(
        years_in_v29.values().sum::<u64>() + one.undated.unwrap_or(0),
        one.total
    );

    // A second facet: the year narrows, the year facet keeps the volume's other years, and the
    // volume facet now counts that year's documents in every volume.
    let (year, n) = years_in_v29
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(y, n)| (y.clone(), *n))
        .expect("a dated document");
    let both = with(&[("volume", &[v29]), ("year", &[year.as_str()])]);
    assert_eq!(both.total, n);
    assert_eq!(
        both.total,
        count(&|d| d.0 == v29 && d.1.as_deref() == Some(&year))
    );
    assert_eq!(facet(&both, "year"), years_in_v29);
    let volumes_that_year = facet(&both, "volume");
    assert_eq!(
        volumes_that_year.values().sum::<u64>(),
        count(&|d| d.1.as_deref() == Some(&year))
    );

    // Values of one facet are alternatives.
    let v07 = "frus1964-68v07";
    let two = with(&[("volume", &[v29, v07])]);
    assert_eq!(two.total, count(&|d| d.0 == v29 || d.0 == v07));
    // A decade is its ten years.
    let sixties = with(&[("decade", &["1960s"])]);
    assert_eq!(
        sixties.total,
        count(&|d| d.1.as_deref().is_some_and(|y| y.starts_with("196")))
    );
    assert_eq!(facet(&sixties, "decade"), facet(&everything, "decade"));

    // Mistakes are named, not silently ignored.
    for (name, value, expect) in [
        ("colour", "red", "filters: \"colour\" is not a facet"),
        ("year", "sixties", "filters: year \"sixties\" is not a year"),
    ] {
        let err = search(
            &index,
            &SearchRequest {
                filters: [(name.to_string(), vec![value.to_string()])].into(),
                ..all("")
            },
        )
        .expect_err("bad filter");
        assert!(err.to_string().contains(expect), "{err}");
    }
}

/// Facets counted through the warmed tables and global dictionaries (long-lived searchers) equal
/// facets counted from the columns, in full and cut to the top values, with and without filters.
#[test]
fn warmed_facets_equal_column_facets() {
    let (_archive, cold) = open();
    let warm = SearchIndex::open(archive()).expect("index");
    warm.warm().expect("warm");
    // The sample's markings fall into few combinations: the warmed tables count them by
    // profile, so this compares that path too.
    let searcher = warm.searcher();
    assert!(searcher.segment_readers().iter().any(|r| {
        warm.facet_tables(r.segment_id())
            .is_some_and(|w| w.tables.counters.profiles() > 1)
    }));
    for (query, filters) in [
        ("", vec![]),
        ("bombing", vec![]),
        ("telegram", vec![("year", "1968")]),
        ("", vec![("volume", "frus1964-68v07"), ("type", "telegram")]),
    ] {
        for limit in [10_000, 3] {
            let req = SearchRequest {
                facets: true,
                facet_limit: limit,
                filters: filters
                    .iter()
                    .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
                    .collect(),
                ..all(query)
            };
            let a = run(&cold, req.clone());
            let b = run(&warm, req);
            assert_eq!(a.total, b.total, "{query:?}");
            assert_eq!(a.facets, b.facets, "{query:?} {filters:?} limit {limit}");
            assert_eq!(a.undated, b.undated, "{query:?}");
        }
    }
}

/// Exact phrases with common words are looked up as word pairs; they must find exactly the
/// documents a word-by-word phrase query on the default field finds.
#[test]
fn phrases_looked_up_as_pairs_match_word_by_word_phrases() {
    use chancery_index::tantivy::collector::DocSetCollector;
    use chancery_index::tantivy::query::PhraseQuery;
    use chancery_index::tantivy::schema::Value;
    use chancery_index::tantivy::{TantivyDocument, Term};
    let (_archive, index) = open();
    let searcher = index.searcher();
    let f = index.fields();
    let mut nonempty = 0;
    for phrase in [
        "the president",
        "secretary of state",
        "department of state",
        "of the",
        "stop the bombing",
        "in paris",
        "the the",
        "to be or not to be",
    ] {
        let words: Vec<String> = phrase.split(' ').map(str::to_string).collect();
        let direct = PhraseQuery::new(
            words
                .iter()
                .map(|w| Term::from_field_text(f.all, w))
                .collect(),
        );
        let expected: BTreeSet<String> = searcher
            .search(&direct, &DocSetCollector)
            .expect("search")
            .into_iter()
            .map(|addr| {
                let doc: TantivyDocument = searcher.doc(addr).expect("doc");
                doc.get_first(f.key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let resp = run(&index, all(&format!("\"{phrase}\"")));
        assert_eq!(resp.total as usize, expected.len(), "{phrase}");
        assert_eq!(paths(&resp), expected, "{phrase}");
        nonempty += usize::from(!expected.is_empty());
    }
    assert!(nonempty >= 5, "the phrases occur in the sample");
}

#[test]
fn overlap_and_within_differ_on_a_document_spanning_the_boundary() {
    let (archive, index) = open();
    // frus1861/d1 is dated "1861" as a whole year.
    let (min, max): (String, String) = db(&archive)
        .query_row(
            "SELECT date_min, date_max FROM documents WHERE volume_id = 'frus1861' AND id = 'd1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("d1");
    assert!(min.starts_with("1861-01-01") && max.starts_with("1861-12-31"));
    let req = |mode| SearchRequest {
        volumes: vec!["frus1861".into()],
        date_from: Some("1861-06-01".into()),
        date_to: Some("1861-06-30".into()),
        date_mode: mode,
        ..all("")
    };
    let overlap = paths(&run(&index, req(DateMode::Overlap)));
    let within = paths(&run(&index, req(DateMode::Within)));
    assert!(overlap.contains("frus1861/d1"));
    assert!(!within.contains("frus1861/d1"));
    assert!(within.is_subset(&overlap));
    // The same through the query language.
    let q = |mode| SearchRequest {
        date_mode: mode,
        ..all("volume:frus1861 date:[1861-06-01 TO 1861-06-30]")
    };
    assert_eq!(paths(&run(&index, q(DateMode::Overlap))), overlap);
    assert_eq!(paths(&run(&index, q(DateMode::Within))), within);

    // Undated documents are left out of date filters, and counted.
    let undated: i64 = db(&archive)
        .query_row(
            "SELECT count(*) FROM documents WHERE date_min IS NULL AND kind IN ('historical-document', 'editorial-note')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(undated > 0);
    let resp = run(
        &index,
        SearchRequest {
            date_from: Some("1800".into()),
            date_to: Some("2100".into()),
            ..SearchRequest::default()
        },
    );
    assert_eq!(resp.undated_excluded, Some(undated as u64));
    assert!(resp.hits.iter().all(|h| h.date_min.is_some()));
}

/// The request's date interval (applied while collecting) selects and counts exactly what the
/// same interval in the query language (range clauses) does, in both modes.
#[test]
fn request_dates_equal_query_language_dates() {
    let (_, index) = open();
    for (from, to) in [
        ("1861-06-01", "1861-06-30"),
        ("1968-10-01", "1968-10-31"),
        ("1949", "1950"),
        ("1964", "1969"),
        ("1800", "1900"),
    ] {
        for mode in [DateMode::Overlap, DateMode::Within] {
            let by_request = run(
                &index,
                SearchRequest {
                    date_from: Some(from.into()),
                    date_to: Some(to.into()),
                    date_mode: mode,
                    facets: true,
                    ..all("")
                },
            );
            let by_query = run(
                &index,
                SearchRequest {
                    date_mode: mode,
                    facets: true,
                    ..all(&format!("date:[{from} TO {to}]"))
                },
            );
            assert!(by_request.total > 0, "{from}..{to} {mode:?}");
            assert_eq!(by_request.total, by_query.total, "{from}..{to} {mode:?}");
            assert_eq!(
                paths(&by_request),
                paths(&by_query),
                "{from}..{to} {mode:?}"
            );
            assert_eq!(by_request.facets, by_query.facets, "{from}..{to} {mode:?}");
            assert_eq!(by_request.undated, Some(0));
        }
    }
}

#[test]
fn a_proximity_query_highlights_both_words() {
    let (_, index) = open();
    let resp = run(
        &index,
        SearchRequest {
            query: "\"Thuy Lau\"~3".into(),
            volumes: vec!["frus1964-68v07".into()],
            ..SearchRequest::default()
        },
    );
    assert!(resp.total >= 1);
    let hit = &resp.hits[0];
    let s = hit
        .snippets
        .iter()
        .find(|s| s.marked.contains("<mark>Thuy</mark>") && s.marked.contains("<mark>Lau</mark>"))
        .unwrap_or_else(|| panic!("no snippet with both words: {:?}", hit.snippets));
    assert!(s.highlights.len() >= 2);
    for &(a, b) in &s.highlights {
        let w = &s.text[a..b];
        assert!(w == "Thuy" || w == "Lau", "{w}");
    }
}

#[test]
fn snippets_name_the_footnote() {
    let (_, index) = open();
    let resp = run(
        &index,
        SearchRequest {
            query: "footnotes:\"classified telephone\"".into(),
            ..SearchRequest::default()
        },
    );
    assert!(resp.total >= 1);
    let s = &resp.hits[0].snippets[0];
    assert_eq!(s.location, "footnote 5", "{s:?}");
    assert!(
        s.marked.contains("<mark>classified telephone</mark>"),
        "{s:?}"
    );
}

#[test]
fn every_query_form_matches_and_folds() {
    let (_, index) = open();
    let total = |q: &str| run(&index, all(q)).total;
    assert!(total("bombing") > 0);
    assert_eq!(total("bombing"), total("BOMBING"));
    assert_eq!(total("Debré"), total("debre"));
    assert!(total("bomb*") >= total("bombing"));
    assert!(total("bo?bing") >= total("bombing"));
    assert!(total("bombimg~1") >= total("bombing"));
    assert_eq!(total("bombing AND Thuy"), total("bombing Thuy"));
    assert!(total("bombing OR Seward") > total("bombing"));
    assert_eq!(
        total("bombing -Thuy") + total("bombing +Thuy"),
        total("bombing")
    );
    assert_eq!(total("bombing NOT Thuy"), total("bombing -Thuy"));
    assert!(total("title:(telegram OR memorandum)") > 0);
    assert!(total("year:1968") > 0);
    assert!(total("type:telegram") > 0);
    assert!(total("classification:secret") > 0);
    assert!(total("caveat:nodis") > 0);
    assert!(total("kind:note") < total("kind:document"));
    assert!(total("\"cuba submarine\"~10") <= total("cuba"));
}

#[test]
fn date_sort_and_paging_are_stable() {
    let (_, index) = open();
    let page = |sort, offset, limit| {
        run(
            &index,
            SearchRequest {
                query: "telegram".into(),
                sort,
                offset,
                limit,
                snippets: 0,
                ..SearchRequest::default()
            },
        )
    };
    for sort in [Sort::Date, Sort::DateDesc, Sort::Relevance] {
        let whole = page(sort, 0, 20);
        let a = page(sort, 0, 10);
        let b = page(sort, 10, 10);
        let joined: Vec<String> = a
            .hits
            .iter()
            .chain(&b.hits)
            .map(|h| h.path.clone())
            .collect();
        let expected: Vec<String> = whole.hits.iter().map(|h| h.path.clone()).collect();
        assert_eq!(joined, expected, "{sort:?}");
        assert_eq!(a.total, whole.total);
    }
    let asc = page(Sort::Date, 0, 1000);
    let dates: Vec<&str> = asc
        .hits
        .iter()
        .filter_map(|h| h.date_min.as_deref())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    // Undated last in both directions.
    for sort in [Sort::Date, Sort::DateDesc] {
        let r = page(sort, 0, 1000);
        let first_undated = r.hits.iter().position(|h| h.date_min.is_none());
        if let Some(i) = first_undated {
            assert!(r.hits[i..].iter().all(|h| h.date_min.is_none()), "{sort:?}");
        }
    }
}

#[test]
fn a_document_with_two_witnesses_is_one_hit() {
    let (archive, index) = open();
    // Seed 000 is a text capture of frus1964-68v07/d45: stored as its second witness, not as
    // a second document.
    assert!(archive.document("frus1964-68v07", "d45").unwrap().is_some());
    let resp = run(
        &index,
        SearchRequest {
            query: "\"had not talked to Humphrey\"".into(),
            ..SearchRequest::default()
        },
    );
    let d45: Vec<&str> = resp
        .hits
        .iter()
        .map(|h| h.path.as_str())
        .filter(|p| p.ends_with("/d45"))
        .collect();
    assert_eq!(d45, ["frus1964-68v07/d45"], "{:?}", resp.hits);
    // More like it: neither the document itself nor its capture.
    let resp = run(
        &index,
        SearchRequest {
            like: Some("frus1964-68v07/d45".into()),
            ..SearchRequest::default()
        },
    );
    assert!(!resp.hits.is_empty());
    assert!(resp.hits.iter().all(|h| !h.path.ends_with("/d45")));
}

#[test]
fn scopes_volume_and_matter() {
    let (archive, index) = open();
    let r = run(
        &index,
        SearchRequest {
            volumes: vec!["frus1861".into()],
            ..all("")
        },
    );
    assert!(r.hits.iter().all(|h| h.volume_id == "frus1861"));
    // Front and back matter: in scope only when asked for; the counts are the store's.
    let count = |sql: &str| -> u64 {
        db(&archive)
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .expect("count") as u64
    };
    let with = run(&index, all("")).total;
    assert_eq!(with, count("SELECT count(*) FROM documents"));
    let without = run(
        &index,
        SearchRequest {
            include_matter: false,
            ..all("")
        },
    )
    .total;
    assert_eq!(
        without,
        count("SELECT count(*) FROM documents WHERE kind NOT LIKE '%-matter'")
    );
    assert!(without < with);
    let back = run(
        &index,
        SearchRequest {
            kinds: vec!["back-matter".into()],
            ..all("")
        },
    )
    .total;
    assert_eq!(
        back,
        count("SELECT count(*) FROM documents WHERE kind = 'back-matter'")
    );
    let notes = run(
        &index,
        SearchRequest {
            kinds: vec!["editorial-note".into()],
            ..all("")
        },
    );
    assert!(notes.hits.iter().all(|h| h.kind == "editorial-note"));
    assert!(notes.total > 0);
}

/// At least 30 malformed queries: each is refused with its position and what was expected.
#[test]
fn hostile_queries_get_located_errors() {
    let (_, index) = open();
    let hostile = [
        "\"unterminated phrase",
        "(cuba",
        "cuba)",
        "()",
        "cuba AND",
        "AND cuba",
        "cuba OR",
        "OR cuba",
        "NOT",
        "cuba NOT",
        "+",
        "- cuba",
        "title:",
        "title: cuba",
        "nosuchfield:cuba",
        ":cuba",
        "date:[1968 TO",
        "date:[1968-13-01 TO 1969]",
        "date:[1969 TO 1968]",
        "date:[1968 1969]",
        "date:[1968 TO 1969 TO 1970]",
        "date:1968-02-30",
        "year:68",
        "year:abcd",
        "[1968 TO 1969]",
        "\"cuba submarine\"~",
        "\"cuba submarine\"~x",
        "cuba~7",
        "cuba~x",
        "*cuba",
        "?",
        "cu*ba~",
        "cuba^2",
        "cu\\ba",
        "{cuba}",
        "\"\"",
        "\"!!!\"",
        "&&",
        "kind:bogus",
        "title:title:cuba",
        "title:(text:cuba)",
        "\"cub* submarine\"",
        "cuba\u{0}",
        "((((((((((((((((((((((((((((((((((cuba))))))))))))))))))))))))))))))))))",
        "volume:fr~",
        "type:telegram~1",
        "\"cuba\"x",
    ];
    assert!(hostile.len() >= 30);
    for q in hostile {
        let err = match parse(q) {
            Ok(ast) => panic!("{q:?} parsed: {ast:?}"),
            Err(e) => e,
        };
        assert!(err.position <= q.len(), "{q:?}: {err:?}");
        assert!(
            !err.expected.is_empty() && !err.found.is_empty(),
            "{q:?}: {err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("position") && msg.contains("expected"),
            "{q:?}: {msg}"
        );
        // The search API refuses it the same way (no panic, no empty success).
        match search(
            &index,
            &SearchRequest {
                query: q.into(),
                ..SearchRequest::default()
            },
        ) {
            Err(chancery_query::SearchError::Parse(e)) => assert_eq!(e, err),
            other => panic!("{q:?}: {other:?}"),
        }
    }
    // Spot checks of positions.
    assert_eq!(parse("cuba AND").unwrap_err().position, 8);
    assert_eq!(parse("cuba nosuch:x").unwrap_err().position, 5);
    assert_eq!(
        parse("\u{201C}open").unwrap_err().position,
        "\u{201C}open".len()
    );
    // Non-ASCII before the error: the column counts characters.
    let e = parse("Debré AND").unwrap_err();
    assert_eq!((e.position, e.column), (10, 10));
}

#[test]
fn cli_search_reports_errors_and_prints_results() {
    let dir = archive();
    let bad = chancery(dir, &["search", "cuba AND"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("position 9"), "{}", bad.stderr);
    assert!(bad.stderr.contains('^'));
    let good = ok(
        dir,
        &["search", "\"stop the bombing\"", "--facets", "--limit", "3"],
    );
    assert!(
        good.stdout.contains("[[stop the bombing]]"),
        "{}",
        good.stdout
    );
    assert!(good.stdout.contains("facets:"));
    let json: serde_json::Value = serde_json::from_str(
        &ok(
            dir,
            &[
                "search",
                "bombing",
                "--volume",
                "frus1964-68v07",
                "--sort",
                "-date",
                "--json",
            ],
        )
        .stdout,
    )
    .expect("json");
    assert_eq!(json["sort"], "date-desc");
    assert!(json["total"].as_u64().unwrap_or(0) > 0);
    let like = ok(
        dir,
        &["search", "--like", "frus1964-68v07/d45", "--limit", "1"],
    );
    assert!(like.stdout.contains("frus1964-68v07/d"), "{}", like.stdout);
    assert!(!like.stdout.contains("/d45"), "{}", like.stdout);
}

/// A crash between the store's commit and the index's: the next open sees the mismatch and
/// rebuilds from the store.
#[test]
fn a_stale_index_is_rebuilt_from_the_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("archive");
    ok(
        &dir,
        &[
            "ingest",
            sample("tei/frus1861-excerpt.xml").to_str().expect("path"),
        ],
    );
    {
        let archive = Archive::open_existing(&dir).expect("archive");
        let index = SearchIndex::open(&dir).expect("index");
        assert!(index.is_current(&archive).expect("state"));
    }
    // The store moves on without the index (what a kill after the store commit leaves).
    let bytes = std::fs::read(sample("tei/frus1949v07p1-excerpt.xml")).expect("tei");
    let parsed =
        chancery_formats::tei::read_tei(&bytes, "frus1949v07p1-excerpt.xml").expect("parse");
    {
        let mut archive = Archive::open_existing(&dir).expect("archive");
        archive.store_volume(&parsed).expect("store");
        let index = SearchIndex::open(&dir).expect("index");
        assert!(!index.is_current(&archive).expect("state"));
        let before = search(
            &index,
            &SearchRequest {
                volumes: vec!["frus1949v07p1".into()],
                ..SearchRequest::default()
            },
        )
        .expect("search");
        assert_eq!(
            before.total, 0,
            "the stale index does not have the new volume"
        );
    }
    // The CLI notices and repairs.
    let run = ok(&dir, &["search", "volume:frus1949v07p1", "--json"]);
    assert!(run.stderr.contains("rebuilt"), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let archive = Archive::open_existing(&dir).expect("archive");
    let n: i64 = db(&archive)
        .query_row(
            "SELECT count(*) FROM documents WHERE volume_id = 'frus1949v07p1' AND kind IN ('historical-document', 'editorial-note')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(json["total"].as_i64(), Some(n));
    let index = SearchIndex::open(&dir).expect("index");
    assert!(index.is_current(&archive).expect("state"));

    // An ingest that starts on a stale index also repairs it, and `reindex` rebuilds on demand.
    db(&archive)
        .execute("UPDATE store_state SET generation = generation + 1", [])
        .expect("bump");
    assert!(!index.is_current(&archive).expect("state"));
    ok(
        &dir,
        &[
            "ingest",
            sample("text/frus1861_d67.txt").to_str().expect("path"),
        ],
    );
    index.reload().expect("reload");
    assert!(index.is_current(&archive).expect("state"));
    let r = search(
        &index,
        &SearchRequest {
            query: "volume:frus1861".into(),
            include_matter: true,
            limit: 1000,
            ..SearchRequest::default()
        },
    )
    .expect("search");
    assert!(r.hits.iter().any(|h| h.path == "frus1861/d67"));
    ok(&dir, &["reindex"]);
    assert!(index.is_current(&archive).expect("state"));
}

/// During ingest the index record is built from the store's preparation (its analysis and
/// flattened text) instead of flattening the document again: for every document of the sample,
/// TEI and text, the two ways must give the same record.
#[test]
fn index_records_from_the_store_preparation_equal_fresh_ones() {
    use chancery_index::IndexRecord;

    let mut checked = 0;
    let mut with_persons = 0;
    for (dir, is_tei) in [("tei", true), ("text", false)] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(sample(dir))
            .expect("sample dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "txt"))
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).expect("read");
            let name = path.display().to_string();
            let parsed = if is_tei {
                chancery_formats::tei::read_tei(&bytes, &name)
            } else {
                chancery_formats::capture::read_text(&bytes, &name, &Default::default())
            }
            .expect("sample parses");
            let prepared = chancery_store::prepare(&parsed, is_tei).expect("prepare");
            for (i, doc) in parsed.documents.iter().enumerate() {
                let Some(analysis) = prepared.analysis(i) else {
                    assert!(IndexRecord::from_prepared(doc, &prepared, i).is_none());
                    continue;
                };
                // The document as stored (dated from its dateline, parties parsed): what a
                // rebuild from the store reads.
                let stored = prepared.stored(i, doc);
                let fresh = IndexRecord::from_analysed(stored, analysis);
                let reused = IndexRecord::from_prepared(doc, &prepared, i).expect("analysed");
                assert_eq!(reused, fresh, "{name} {}", doc.id);
                assert_eq!(
                    IndexRecord::from_document(stored),
                    fresh,
                    "{name} {}",
                    doc.id
                );
                checked += 1;
                with_persons += usize::from(!fresh.persons.is_empty());
            }
        }
    }
    assert!(
        checked > 250,
        "only {checked} documents compared ({with_persons} with persons)"
    );
    assert!(
        with_persons > 100,
        "only {with_persons} with person mentions"
    );
}

/// A value a facet lists, given back as that facet's filter, selects exactly the documents it
/// counted: for every facet (the `name` facet's values once went through the keyword folding
/// that its shown-as-written values do not have, and matched nothing).
#[test]
fn every_listed_facet_value_filters_to_its_count() {
    let (_archive, index) = open();
    let everything = run(
        &index,
        SearchRequest {
            facets: true,
            facet_limit: 10_000,
            ..all("")
        },
    );
    let facets = everything.facets.as_ref().expect("facets");
    let mut checked = 0;
    for (name, values) in facets {
        // Up to three values per facet keep the test quick; the most and least common ones.
        let picks = values.iter().take(2).chain(values.iter().last());
        for f in picks {
            let filtered = run(
                &index,
                SearchRequest {
                    filters: [(name.to_string(), vec![f.value.clone()])]
                        .into_iter()
                        .collect(),
                    ..all("")
                },
            );
            assert_eq!(
                filtered.total, f.count,
                "facet {name} value {:?}: listed {} documents, filter found {}",
                f.value, f.count, filtered.total
            );
            checked += 1;
        }
    }
    assert!(
        facets.contains_key("name") && !facets["name"].is_empty(),
        "{:?}",
        facets.keys()
    );
    assert!(checked > 30, "{checked}");
}
