//! The store owns its SQL: no other crate of the workspace writes an SQL statement in its code
//! or depends on rusqlite (their tests may: they open the database file to check what the
//! store wrote). Everything else goes through the store's typed API, so the schema can change
//! in one place.
//!
//! The check reads every `.rs` file of every other crate (all but its `tests/`), takes each
//! string literal — plain, byte or raw, comments and char literals skipped — and fails on one
//! that starts with an SQL keyword in capitals followed by a space, a line break, `;` or its
//! end. It reads each `Cargo.toml` for rusqlite among the dependencies that are not
//! dev-dependencies.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Keywords a statement starts with, in capitals as the store writes them (so English prose in
/// a message, "Select a volume", does not count).
const SQL_KEYWORDS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "REPLACE",
    "CREATE",
    "ALTER",
    "DROP",
    "PRAGMA",
    "WITH",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "VACUUM",
    "ATTACH",
    "DETACH",
    "EXPLAIN",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The crates that must not speak SQL: every crate directory but the store's.
fn other_crates() -> Vec<PathBuf> {
    let mut crates: Vec<PathBuf> = std::fs::read_dir(workspace().join("crates"))
        .expect("list crates/")
        .map(|e| e.expect("crates/ entry").path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .filter(|p| !p.ends_with("store"))
        .collect();
    crates.sort();
    assert!(
        crates.len() >= 5,
        "found only {crates:?}: is the workspace where this test thinks?"
    );
    crates
}

/// Every `.rs` file under `dir`, leaving out `tests/` directories.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list a crate directory")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "tests" && name != "target" {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The string literals of Rust source, each with the line it starts on.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if chars[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '\'' => {
                // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
                if next == Some('\\') {
                    // Past the quote, the backslash and the escaped char, to the closing quote.
                    i += 3;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            'r' if (i == 0 || !is_ident(chars[i - 1]) || matches!(chars[i - 1], 'b' | 'c'))
                && matches!(next, Some('#' | '"')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    // `r#ident`, a raw identifier.
                    i = j;
                    continue;
                }
                let start_line = line;
                let mut text = String::new();
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    if chars[j] == '\n' {
                        line += 1;
                    }
                    text.push(chars[j]);
                    j += 1;
                }
                out.push((start_line, text));
                i = j;
            }
            '"' => {
                let start_line = line;
                let mut text = String::new();
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' {
                        text.push(chars[j]);
                        j += 1;
                    }
                    if let Some(&ch) = chars.get(j) {
                        if ch == '\n' {
                            line += 1;
                        }
                        text.push(ch);
                    }
                    j += 1;
                }
                out.push((start_line, text));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The SQL keyword a literal starts with, if it does (after leading blanks and `\n`/`\t`
/// escapes).
fn sql_statement(literal: &str) -> Option<&'static str> {
    let mut rest = literal;
    loop {
        let trimmed = rest.trim_start();
        let trimmed = trimmed
            .strip_prefix("\\n")
            .or_else(|| trimmed.strip_prefix("\\t"))
            .or_else(|| trimmed.strip_prefix("\\r"))
            .or_else(|| trimmed.strip_prefix("\\\n"));
        match trimmed {
            Some(t) => rest = t,
            None => break,
        }
    }
    let rest = rest.trim_start();
    SQL_KEYWORDS.iter().copied().find(|keyword| {
        rest.strip_prefix(keyword).is_some_and(|after| {
            after.is_empty()
                || after.starts_with(char::is_whitespace)
                || after.starts_with(';')
                || after.starts_with("\\n")
        })
    })
}

/// `file:line: keyword` for every SQL statement in `source`.
fn statements_in(path: &Path, source: &str) -> Vec<String> {
    string_literals(source)
        .into_iter()
        .filter_map(|(line, text)| {
            sql_statement(&text).map(|keyword| format!("{}:{line}: {keyword} …", path.display()))
        })
        .collect()
}

/// `file:line` for every rusqlite among the dependencies of a manifest that are not
/// dev-dependencies (`[dependencies]`, `[build-dependencies]`, per target, and the
/// `[dependencies.rusqlite]` and `package = "rusqlite"` forms).
fn rusqlite_dependencies(path: &Path, manifest: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_dependencies = false;
    for (n, raw) in manifest.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            let section = line.trim_matches(|c| c == '[' || c == ']').trim();
            let table = section.rsplit('.').next().unwrap_or("");
            let dependencies = |s: &str| s == "dependencies" || s == "build-dependencies";
            in_dependencies = dependencies(table)
                || section
                    .split('.')
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| dependencies(w[0]) && w[1] == "rusqlite");
            if in_dependencies && section.ends_with(".rusqlite") {
                found.push(format!("{}:{}: [{section}]", path.display(), n + 1));
            }
            continue;
        }
        if !in_dependencies {
            continue;
        }
        let key = line
            .split(|c: char| c == '=' || c == '.' || c.is_whitespace())
            .next()
            .unwrap_or("");
        let renamed = line.replace(' ', "").contains("package=\"rusqlite\"");
        if key == "rusqlite" || renamed {
            found.push(format!("{}:{}: {line}", path.display(), n + 1));
        }
    }
    found
}

#[test]
fn no_crate_but_the_store_writes_sql() {
    let mut found = Vec::new();
    let mut scanned = 0;
    for dir in other_crates() {
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        for path in files {
            let source = std::fs::read_to_string(&path).expect("read a source file");
            let shown = path.strip_prefix(workspace()).unwrap_or(&path);
            found.extend(statements_in(shown, &source));
            scanned += 1;
        }
    }
    assert!(scanned > 20, "only {scanned} files scanned");
    assert!(
        found.is_empty(),
        "SQL outside crates/store (add a typed call to the store instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn no_crate_but_the_store_depends_on_rusqlite() {
    let mut found = Vec::new();
    for dir in other_crates() {
        let path = dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&path).expect("read a manifest");
        let shown = path.strip_prefix(workspace()).unwrap_or(&path);
        found.extend(rusqlite_dependencies(shown, &manifest));
    }
    assert!(
        found.is_empty(),
        "rusqlite outside crates/store (dev-dependencies are fine):\n{}",
        found.join("\n")
    );
}

/// The checks see what they are meant to: planted statements and dependencies are found, with
/// their lines, and prose, comments, tests' dependencies and look-alikes are not.
#[test]
fn the_checks_find_what_is_planted() {
    let source = r####"
// "SELECT * FROM documents" in a comment is no statement.
/* nor "DELETE FROM x" in /* a nested */ block */
fn f<'a>(x: &'a str) -> char {
    let _ = "Select a volume";
    let _ = "SELECTED";
    let _ = ('"', '\'', "INSERT INTO but escaped \" inside");
    let a = "SELECT id FROM documents";
    let b = r#"
        UPDATE documents SET x = 1"#;
    let c = br##"PRAGMA user_version"##;
    let d = "\n    WITH t AS (SELECT 1) SELECT * FROM t";
    let e = "ROLLBACK";
    'x'
}
"####;
    let found = statements_in(Path::new("planted.rs"), source);
    assert_eq!(
        found,
        [
            "planted.rs:7: INSERT …",
            "planted.rs:8: SELECT …",
            "planted.rs:9: UPDATE …",
            "planted.rs:11: PRAGMA …",
            "planted.rs:12: WITH …",
            "planted.rs:13: ROLLBACK …",
        ]
    );

    let manifest = r#"
[package]
name = "planted"

[dependencies]
serde.workspace = true
rusqlite.workspace = true

[dependencies.rusqlite]
version = "0.32"

[target.'cfg(unix)'.dependencies]
db = { package = "rusqlite", version = "0.32" }

[dev-dependencies]
rusqlite.workspace = true
"#;
    let found = rusqlite_dependencies(Path::new("Cargo.toml"), manifest);
    assert_eq!(
        found,
        [
            "Cargo.toml:7: rusqlite.workspace = true",
            "Cargo.toml:9: [dependencies.rusqlite]",
            "Cargo.toml:13: db = { package = \"rusqlite\", version = \"0.32\" }",
        ]
    );
}
