//! `docs/schema.md` is a public API: researchers query the archive with `sqlite3` from it. This
//! test keeps it true to the database a fresh archive holds, by reading the document the way
//! its conventions (stated at the top of its "Tables" part) promise:
//!
//! * a table or view is documented by a `### ` heading whose name(s) come first, in backticks
//!   (`` ### `persons`, `terms` — … ``); a heading that says "view" documents a view;
//! * the first Markdown table after the heading (header `| column | meaning |`) lists the
//!   columns: the first cell of each row names one or more columns in backticks;
//! * a paragraph starting `**Indexes**` in the section names the table's indexes in backticks;
//! * `PRAGMA user_version` is given as "currently **N**";
//! * every ```sql block is an example that must run against an archive of the bundled sample
//!   (`sample/`) and return rows, unless it holds the line `-- may return no rows`.
//!
//! Both ways: everything in the database is documented, and nothing documented is missing from
//! the database (including `table.column` written anywhere outside the examples).
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chancery_formats::capture::{read_text, TextOptions};
use chancery_model::SourceFormat;
use chancery_store::{Archive, DB_FILE, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags};

const MAY_BE_EMPTY: &str = "-- may return no rows";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files of `sample/{sub}` ending in `ext`, by name.
fn sample_files(sub: &str, ext: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("sample").join(sub);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// The path as `chancery ingest sample/…` would record it.
fn shown(path: &Path) -> String {
    let root = repo_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Store the bundled sample the way `chancery ingest sample` does, through the store API: the
/// TEI volumes, the catalogue records, the text captures (documents of their own, or second
/// witnesses of TEI documents) and seed 000 (a capture of frus1964-68v07 d45 filed under no
/// volume).
fn ingest_sample(dir: &Path) {
    let mut archive = Archive::open(dir).expect("open a fresh archive");
    for path in sample_files("tei", "xml") {
        let bytes = std::fs::read(&path).expect("read TEI");
        let parsed = chancery_formats::read_xml(&bytes, &shown(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        archive
            .store_volume(&parsed)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    for path in sample_files("bibliography", "xml") {
        let bytes = std::fs::read(&path).expect("read catalogue record");
        let parsed = chancery_formats::read_xml(&bytes, &shown(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(parsed.volume.origin.format, SourceFormat::Bibliography);
        archive
            .store_catalogue(&parsed)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let seed = repo_root().join("sample/seeds/000_b59939755342e843.txt");
    for path in sample_files("text", "txt").into_iter().chain([seed]) {
        let bytes = std::fs::read(&path).expect("read text capture");
        let parsed = read_text(&bytes, &shown(&path), &TextOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        archive
            .store_documents(&parsed, false)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// One `### ` section of the document that documents tables or views.
#[derive(Debug, Default)]
struct Section {
    /// Line of the heading (1-based), for messages.
    line: usize,
    names: Vec<String>,
    /// The heading says the section documents a view.
    view: bool,
    columns: Vec<String>,
    indexes: Vec<String>,
}

/// One ```sql block.
#[derive(Debug)]
struct Example {
    line: usize,
    sql: String,
}

#[derive(Debug, Default)]
struct SchemaDoc {
    sections: Vec<Section>,
    examples: Vec<Example>,
    /// The "currently **N**" of the `PRAGMA user_version` line(s).
    versions: Vec<String>,
    /// The text outside code blocks other than the relationships diagram is included; the SQL
    /// examples are not (they are run instead).
    prose: String,
}

/// The texts between backticks on a line.
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !s.as_bytes()[0].is_ascii_digit()
}

fn parse_doc(text: &str) -> SchemaDoc {
    let mut doc = SchemaDoc::default();
    let mut current: Option<Section> = None;
    // 0: before the section's column table, 1: inside it, 2: after it.
    let mut column_table = 0;
    let mut in_indexes = false;
    let mut fence: Option<(String, usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(info) = line.trim_start().strip_prefix("```") {
            match fence.take() {
                Some((lang, start, body)) => {
                    if lang == "sql" {
                        doc.examples.push(Example {
                            line: start,
                            sql: body,
                        });
                    } else {
                        doc.prose.push_str(&body);
                    }
                }
                None => fence = Some((info.trim().to_string(), n, String::new())),
            }
            continue;
        }
        if let Some((_, _, body)) = &mut fence {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        doc.prose.push_str(line);
        doc.prose.push('\n');
        if line.contains("PRAGMA user_version") {
            if let Some((_, rest)) = line.split_once("currently **") {
                if let Some((v, _)) = rest.split_once("**") {
                    doc.versions.push(v.to_string());
                }
            }
        }
        if line.starts_with('#') {
            doc.sections.extend(current.take());
            in_indexes = false;
            if let Some(h) = line.strip_prefix("### ") {
                if h.starts_with('`') {
                    let names_part = h.split(" — ").next().unwrap_or(h);
                    current = Some(Section {
                        line: n,
                        names: backticked(names_part),
                        // "view" outside the backticks: a table may have it in its name.
                        view: names_part.split('`').step_by(2).any(|t| t.contains("view")),
                        ..Section::default()
                    });
                    column_table = 0;
                }
            }
            continue;
        }
        let Some(section) = current.as_mut() else {
            continue;
        };
        if line.trim().is_empty() {
            in_indexes = false;
        }
        if line.starts_with("**Indexes**") {
            in_indexes = true;
        }
        if in_indexes {
            section
                .indexes
                .extend(backticked(line).into_iter().filter(|t| is_identifier(t)));
        }
        match column_table {
            0 if line.starts_with("| column") => column_table = 1,
            1 if line.starts_with('|') => {
                let cells: Vec<&str> = line.split('|').collect();
                let first = cells.get(1).copied().unwrap_or("");
                if !first.trim_start().starts_with("---") {
                    section.columns.extend(backticked(first));
                }
            }
            1 => column_table = 2,
            _ => {}
        }
    }
    doc.sections.extend(current);
    doc
}

/// `table.column` written anywhere in `text` where `table` is a table or view of the database.
fn qualified_names<'a>(
    text: &'a str,
    objects: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<(&'a str, &'a str)> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !ident(bytes[i]) || (i > 0 && (ident(bytes[i - 1]) || bytes[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && ident(bytes[i]) {
            i += 1;
        }
        let word = &text[start..i];
        if i + 1 < bytes.len() && bytes[i] == b'.' && ident(bytes[i + 1]) {
            let cstart = i + 1;
            let mut j = cstart;
            while j < bytes.len() && ident(bytes[j]) {
                j += 1;
            }
            if objects.contains_key(word) {
                out.push((word, &text[cstart..j]));
            }
            i = j;
        }
    }
    out
}

/// The statements of an SQL block, split at `;` outside quotes and comments.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == '-' && chars.peek() == Some(&'-') => {
                // A comment, to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        cur.push('\n');
                        break;
                    }
                }
            }
            None if c == ';' => out.push(std::mem::take(&mut cur)),
            None => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Tables and views (with their columns) and indexes (with their table) of the database,
/// SQLite's own objects left out.
struct Schema {
    objects: BTreeMap<String, BTreeSet<String>>,
    views: BTreeSet<String>,
    indexes: BTreeMap<String, String>,
}

fn read_schema(conn: &Connection) -> Schema {
    let mut rows: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT type, name, tbl_name FROM sqlite_master
              WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .expect("read sqlite_master")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query sqlite_master")
        .collect::<Result<_, _>>()
        .expect("sqlite_master rows");
    rows.sort();
    let mut schema = Schema {
        objects: BTreeMap::new(),
        views: BTreeSet::new(),
        indexes: BTreeMap::new(),
    };
    for (kind, name, table) in rows {
        match kind.as_str() {
            "table" | "view" => {
                let columns: BTreeSet<String> = conn
                    .prepare(&format!("PRAGMA table_info(\"{name}\")"))
                    .expect("table_info")
                    .query_map([], |r| r.get::<_, String>(1))
                    .expect("table_info rows")
                    .collect::<Result<_, _>>()
                    .expect("columns");
                if kind == "view" {
                    schema.views.insert(name.clone());
                }
                schema.objects.insert(name, columns);
            }
            "index" => {
                schema.indexes.insert(name, table);
            }
            other => panic!("unexpected schema object {other} {name}"),
        }
    }
    schema
}

/// What disagrees between the document and the database: one line per problem.
fn disagreements(doc: &SchemaDoc, schema: &Schema) -> Vec<String> {
    let mut problems = Vec::new();

    match doc.versions.as_slice() {
        [v] if *v == SCHEMA_VERSION.to_string() => {}
        [v] => problems.push(format!(
            "the document gives schema version {v}; the store is at {SCHEMA_VERSION}"
        )),
        other => problems.push(format!(
            "the document should give `PRAGMA user_version` as \"currently **N**\" once, found {other:?}"
        )),
    }

    // Each table and view: documented once, as what it is, with exactly its columns.
    let mut documented: BTreeMap<&str, &Section> = BTreeMap::new();
    for s in &doc.sections {
        for name in &s.names {
            if documented.insert(name, s).is_some() {
                problems.push(format!("line {}: `{name}` is documented twice", s.line));
            }
        }
    }
    for (name, columns) in &schema.objects {
        let Some(s) = documented.get(name.as_str()) else {
            problems.push(format!(
                "table or view `{name}` is not documented (no `### \\`{name}\\`` section)"
            ));
            continue;
        };
        let is_view = schema.views.contains(name);
        if s.view != is_view {
            problems.push(format!(
                "line {}: `{name}` is a {}, the heading says otherwise",
                s.line,
                if is_view { "view" } else { "table" }
            ));
        }
        let listed: BTreeSet<String> = s.columns.iter().cloned().collect();
        if s.columns.is_empty() {
            problems.push(format!("line {}: `{name}` has no column table", s.line));
        }
        for c in columns.difference(&listed) {
            problems.push(format!(
                "line {}: column `{name}.{c}` is not in the section's column table",
                s.line
            ));
        }
        for c in listed.difference(columns) {
            problems.push(format!(
                "line {}: the document lists column `{c}` of `{name}`, which has no such column",
                s.line
            ));
        }
    }
    for (name, s) in &documented {
        if !schema.objects.contains_key(*name) {
            problems.push(format!(
                "line {}: the document describes `{name}`, which is not in the database",
                s.line
            ));
        }
    }

    // Each index: named in its table's section, and nothing else named as one.
    for (index, table) in &schema.indexes {
        match documented.get(table.as_str()) {
            Some(s) if s.indexes.contains(index) => {}
            Some(s) => problems.push(format!(
                "line {}: index `{index}` on `{table}` is not in the section's **Indexes**",
                s.line
            )),
            None => problems.push(format!("index `{index}` on undocumented `{table}`")),
        }
    }
    for s in &doc.sections {
        for index in &s.indexes {
            match schema.indexes.get(index) {
                Some(table) if s.names.contains(table) => {}
                Some(table) => problems.push(format!(
                    "line {}: index `{index}` is on `{table}`, not on {:?}",
                    s.line, s.names
                )),
                None => problems.push(format!(
                    "line {}: the document names index `{index}`, which is not in the database",
                    s.line
                )),
            }
        }
    }

    // `table.column` anywhere in the prose and the diagram.
    let mut seen = BTreeSet::new();
    for (table, column) in qualified_names(&doc.prose, &schema.objects) {
        if !schema.objects[table].contains(column) && seen.insert((table, column)) {
            problems.push(format!(
                "the document mentions `{table}.{column}`, which is not a column"
            ));
        }
    }
    problems
}

/// Run every example against the sample archive: it must be read-only, succeed, and return a
/// row unless marked as possibly empty.
fn run_examples(doc: &SchemaDoc, conn: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    for ex in &doc.examples {
        let may_be_empty = ex.sql.contains(MAY_BE_EMPTY);
        let stmts = statements(&ex.sql);
        if stmts.is_empty() {
            problems.push(format!("line {}: an empty ```sql block", ex.line));
        }
        for sql in stmts {
            let mut stmt = match conn.prepare(&sql) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(format!("line {}: {e}\n{sql}", ex.line));
                    continue;
                }
            };
            if !stmt.readonly() {
                problems.push(format!("line {}: the example writes\n{sql}", ex.line));
                continue;
            }
            let rows = stmt.query([]).and_then(|mut rows| {
                let mut n = 0usize;
                while rows.next()?.is_some() {
                    n += 1;
                }
                Ok(n)
            });
            match rows {
                Err(e) => problems.push(format!("line {}: {e}\n{sql}", ex.line)),
                Ok(0) if !may_be_empty => problems.push(format!(
                    "line {}: no rows from the sample archive (mark the block `{MAY_BE_EMPTY}` \
                     if that is expected)\n{sql}",
                    ex.line
                )),
                Ok(_) => {}
            }
        }
    }
    problems
}

#[test]
fn schema_doc_matches_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    ingest_sample(dir.path());
    let conn = Connection::open_with_flags(
        dir.path().join(DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open the sample archive read-only");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    assert_eq!(version, SCHEMA_VERSION);

    let path = repo_root().join("docs/schema.md");
    let text = std::fs::read_to_string(&path).expect("read docs/schema.md");
    let doc = parse_doc(&text);
    assert!(
        doc.sections.len() >= 10 && doc.examples.len() >= 10,
        "docs/schema.md no longer follows the conventions this test reads ({} sections, {} examples)",
        doc.sections.len(),
        doc.examples.len()
    );
    let schema = read_schema(&conn);
    let mut problems = disagreements(&doc, &schema);
    problems.extend(run_examples(&doc, &conn));
    assert!(
        problems.is_empty(),
        "docs/schema.md disagrees with the database:\n- {}",
        problems.join("\n- ")
    );
}

#[test]
fn the_reader_sees_what_the_conventions_say() {
    let doc = parse_doc(
        "* **Schema version**: `PRAGMA user_version` (currently **7**).\n\
         ## Tables\n\
         ### `a`, `b` — two tables\n\
         | column | meaning |\n\
         |---|---|\n\
         | `x` | X. |\n\
         | `y`, `z` | Y and Z. |\n\
         \n\
         | column | meaning |\n\
         | `not_a_column` | a second table in the section is prose |\n\
         \n\
         **Indexes**: `a_x` (x),\n\
         `a_y` (y).\n\
         \n\
         ### `v` (a view) — a view\n\
         ### Not a table\n\
         | column | meaning |\n\
         | `w` | ignored |\n\
         ```sql\n\
         SELECT 1; -- may return no rows\n\
         SELECT ';' FROM a\n\
         ```\n",
    );
    assert_eq!(doc.versions, ["7"]);
    assert_eq!(doc.sections.len(), 2);
    assert_eq!(doc.sections[0].names, ["a", "b"]);
    assert_eq!(doc.sections[0].columns, ["x", "y", "z"]);
    assert_eq!(doc.sections[0].indexes, ["a_x", "a_y"]);
    assert!(!doc.sections[0].view);
    assert_eq!(doc.sections[1].names, ["v"]);
    assert!(doc.sections[1].view);
    assert_eq!(doc.examples.len(), 1);
    assert_eq!(
        statements(&doc.examples[0].sql),
        ["SELECT 1", "SELECT ';' FROM a"]
    );
}
