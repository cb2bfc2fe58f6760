//! Crude TEI extraction for test input: string scanning only, no XML
//! parser. Good enough to pull headings and source notes out of the
//! sample volumes.
#![allow(dead_code)]

use std::path::PathBuf;

pub struct SampleDoc {
    pub volume: String,
    pub id: String,
    /// Heading text without its notes.
    pub heading: String,
    /// Source notes (`note type="source"`), flattened.
    pub source_notes: Vec<String>,
}

pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample")
}

/// Remove every `<note …>…</note>` element (notes do not nest in these files).
fn drop_notes(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("<note") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</note>") {
            Some(j) => rest = &rest[i + j + "</note>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Strip tags, decode the few entities used, collapse whitespace.
pub fn flatten(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let i = tag.find(&pat)?;
    let rest = &tag[i + pat.len()..];
    let j = rest.find('"')?;
    Some(rest[..j].to_string())
}

pub fn load_volume(file: &str) -> Vec<SampleDoc> {
    let path = sample_dir().join("tei").join(file);
    let xml = std::fs::read_to_string(&path).unwrap_or_default();
    let volume = file
        .trim_end_matches(".xml")
        .trim_end_matches("-excerpt")
        .to_string();
    let mut docs = Vec::new();
    let parts: Vec<&str> = xml.split("<div type=\"document\"").collect();
    for part in parts.iter().skip(1) {
        let tag_end = part.find('>').unwrap_or(0);
        let tag = &part[..tag_end];
        let id = attr(tag, "xml:id").unwrap_or_default();
        // The document ends where the next one starts; good enough here.
        let body = &part[tag_end..];
        let heading = match (body.find("<head"), body.find("</head>")) {
            (Some(a), Some(b)) if a < b => flatten(&drop_notes(&body[a..b])),
            _ => String::new(),
        };
        let mut source_notes = Vec::new();
        let mut rest = body;
        while let Some(i) = rest.find("<note") {
            let open_end = rest[i..].find('>').map(|j| i + j).unwrap_or(i);
            let open = &rest[i..open_end];
            let close = rest[open_end..].find("</note>").map(|j| open_end + j);
            let Some(close) = close else { break };
            if open.contains("type=\"source\"") {
                source_notes.push(flatten(&rest[open_end + 1..close]));
            }
            rest = &rest[close + "</note>".len()..];
        }
        docs.push(SampleDoc {
            volume: volume.clone(),
            id,
            heading,
            source_notes,
        });
    }
    docs
}

pub const VOLUMES: &[&str] = &[
    "frus1861-excerpt.xml",
    "frus1949v07p1-excerpt.xml",
    "frus1961-63v15-excerpt.xml",
    "frus1964-68v07-excerpt.xml",
    "frus1964-68v29p2.xml",
];

pub fn all_docs() -> Vec<SampleDoc> {
    VOLUMES.iter().flat_map(|v| load_volume(v)).collect()
}
