//! The Office of the Historian's catalogue record of a volume (`bibliography/{id}.xml` in
//! HistoryAtState/frus): `<volume id="…">` with titles, editors, publication, administrations,
//! coverage and a summary.
//!
//! The record is the authority for what a TEI header often lacks (a placeholder volume file, a
//! volume the archive has only text captures of): the archive stores it beside the volume and
//! fills titles and editors only where the volume has none. Records differ across the years they
//! were written in (`volume-number` / `volumenumber`, `location` / `external-location`, a
//! single `coverage`, empty editors); all of those are read.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use chancery_model::volume_id::is_valid_id;
use chancery_model::{
    collapse_ws, Catalogue, Census, Editor, Idno, Origin, ParsedVolume, SourceFormat, Volume,
};

use crate::{decode, ReadError, ReadErrorKind};

/// Read one catalogue record. `path` is used for messages and the record's origin.
pub fn read_record(bytes: &[u8], path: &str) -> Result<ParsedVolume, ReadError> {
    let (base, src) = decode(bytes, path)?;
    let mut reader = Reader::from_str(src);
    reader.config_mut().check_end_names = true;
    let mut volume = Volume::default();
    let mut catalogue = Catalogue {
        source_path: path.to_string(),
        ..Catalogue::default()
    };
    let mut summary: Vec<String> = Vec::new();
    // The element whose text is being collected, with its attributes of interest.
    let mut open: Vec<(String, Option<String>)> = Vec::new();
    let mut text = String::new();
    let mut saw_root = false;
    let error = |kind: ReadErrorKind, at: usize, message: String| {
        ReadError::new(kind, path, message).at_offset(bytes, base + at)
    };
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            error(
                ReadErrorKind::Malformed,
                reader.error_position() as usize,
                format!("malformed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if !saw_root && local(&e) != "volume" => {
                return Err(error(
                    ReadErrorKind::UnknownLayout,
                    pos,
                    format!(
                        "not a volume catalogue record: the root element is <{}>, not <volume>",
                        local(&e)
                    ),
                ));
            }
            Event::Start(e) => {
                let name = local(&e);
                if !saw_root {
                    saw_root = true;
                    volume.id = root_id(&e, pos, &error)?;
                    continue;
                }
                open.push((name, key_attribute(&e)));
                text.clear();
            }
            Event::Empty(e) => {
                let name = local(&e);
                if !saw_root {
                    saw_root = true;
                    volume.id = root_id(&e, pos, &error)?;
                    break;
                }
                if name == "media" {
                    if let Some(t) = attribute(&e, "type").filter(|t| !t.is_empty()) {
                        catalogue.media.push(t);
                    }
                }
            }
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| {
                    error(ReadErrorKind::Malformed, pos, format!("malformed XML: {e}"))
                })?;
                text.push_str(&s);
            }
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::End(_) => {
                let Some((name, key)) = open.pop() else {
                    break;
                };
                let value = collapse_ws(&text);
                text.clear();
                if name == "p" {
                    if !value.is_empty() {
                        summary.push(value);
                    }
                    continue;
                }
                if value.is_empty() {
                    continue;
                }
                let key = key.as_deref().unwrap_or("");
                let t = &mut volume.titles;
                match (name.as_str(), key) {
                    ("title", "complete") => t.complete = Some(value),
                    ("title", "series") => t.series = Some(value),
                    ("title", "sub-series") => t.sub_series = Some(value),
                    ("title", "volume") => t.volume = Some(value),
                    ("title", "volume-number" | "volumenumber") => t.volume_number = Some(value),
                    ("editor", role) => volume.editors.push(Editor {
                        name: value,
                        role: (!role.is_empty()).then(|| role.to_string()),
                    }),
                    ("isbn10", _) => volume.idnos.push(Idno {
                        kind: "isbn-10".into(),
                        value,
                    }),
                    ("isbn13", _) => volume.idnos.push(Idno {
                        kind: "isbn-13".into(),
                        value,
                    }),
                    ("publication-status", _) => catalogue.publication_status = Some(value),
                    ("published-year", _) => volume.publication_year = Some(value),
                    ("published-date", _) => catalogue.published_date = Some(value),
                    ("administration", _) => catalogue.administrations.push(value),
                    ("coverage", "from") => catalogue.coverage_from = Some(value),
                    ("coverage", "to") => catalogue.coverage_to = Some(value),
                    ("coverage", _) => {
                        catalogue.coverage_from = Some(value.clone());
                        catalogue.coverage_to = Some(value);
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(error(
            ReadErrorKind::UnknownLayout,
            0,
            "not a volume catalogue record: no <volume> element".into(),
        ));
    }
    if !open.is_empty() {
        return Err(error(
            ReadErrorKind::Malformed,
            src.len(),
            "malformed XML: the file ends inside an element".into(),
        ));
    }
    if !summary.is_empty() {
        catalogue.summary = Some(summary.join("\n\n"));
    }
    volume.catalogue = Some(catalogue);
    volume.origin = Origin {
        path: path.to_string(),
        format: SourceFormat::Bibliography,
        sha256: crate::sha256_hex(bytes),
        bytes: bytes.len() as u64,
    };
    Ok(ParsedVolume {
        volume,
        documents: Vec::new(),
        warnings: Vec::new(),
        census: Census::default(),
    })
}

/// The local name of an element ("tei:p" → "p").
fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

/// The attribute that says which title, editor or coverage an element is.
fn key_attribute(e: &BytesStart<'_>) -> Option<String> {
    attribute(e, "type").or_else(|| attribute(e, "role"))
}

fn root_id(
    e: &BytesStart<'_>,
    pos: usize,
    error: &impl Fn(ReadErrorKind, usize, String) -> ReadError,
) -> Result<String, ReadError> {
    match attribute(e, "id") {
        Some(id) if is_valid_id(&id) => Ok(id),
        Some(id) => Err(error(
            ReadErrorKind::UnknownLayout,
            pos,
            format!("the record's volume id {id:?} is not a valid volume id"),
        )),
        None => Err(error(
            ReadErrorKind::UnknownLayout,
            pos,
            "the <volume> element has no id attribute".into(),
        )),
    }
}

/// The local name of a document's root element, to tell a TEI volume from a catalogue record
/// without parsing either (`None` when there is no element before the first few kilobytes end).
pub fn root_element(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut reader = Reader::from_reader(head);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => return Some(local(&e)),
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sample(id: &str) -> ParsedVolume {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../sample/bibliography")
            .join(format!("{id}.xml"));
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        read_record(&bytes, &p.display().to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_modern_record() {
        let v = sample("frus1964-68v07").volume;
        assert_eq!(v.id, "frus1964-68v07");
        assert_eq!(
            v.titles.complete.as_deref(),
            Some(
                "Foreign Relations of the United States, 1964–1968, Volume VII, Vietnam, \
                 September 1968–January 1969"
            )
        );
        assert_eq!(v.titles.volume_number.as_deref(), Some("Volume VII"));
        assert_eq!(v.titles.sub_series.as_deref(), Some("1964–1968"));
        assert_eq!(v.editors[0].name, "Kent Sieg");
        assert_eq!(v.editors[0].role.as_deref(), Some("primary"));
        assert_eq!(v.publication_year.as_deref(), Some("2003"));
        let c = v.catalogue.expect("catalogue");
        assert_eq!(c.administrations, ["johnson"]);
        assert_eq!(c.coverage_from.as_deref(), Some("1964"));
        assert_eq!(c.coverage_to.as_deref(), Some("1968"));
        assert_eq!(c.publication_status.as_deref(), Some("published"));
        assert_eq!(c.media, ["print"]);
        assert!(c
            .summary
            .as_deref()
            .is_some_and(|s| s.starts_with("The editor of the volume sought")
                && s.ends_with("peace talks in Paris.")));
        assert_eq!(v.origin.format, SourceFormat::Bibliography);
    }

    #[test]
    fn old_and_irregular_records() {
        // A namespace declared on the root, an empty editor, no summary.
        let v = sample("frus1861").volume;
        assert!(v.editors.is_empty());
        assert_eq!(v.catalogue.as_ref().and_then(|c| c.summary.clone()), None);
        assert_eq!(
            v.catalogue.map(|c| c.administrations),
            Some(vec!["pre-truman".to_string()])
        );
        // A volume in production: no year, empty length.
        let v = sample("frus1981-88v06").volume;
        assert_eq!(v.publication_year, None);
        assert_eq!(
            v.catalogue.and_then(|c| c.publication_status).as_deref(),
            Some("in-production")
        );
        // An ebook-only volume.
        let v = sample("frus1969-76ve08").volume;
        assert!(v
            .catalogue
            .is_some_and(|c| c.media.contains(&"epub".to_string())));
    }

    #[test]
    fn hostile_records_name_the_place() {
        let e = read_record(b"<volume id=\"../etc\"><title/></volume>", "r.xml").unwrap_err();
        assert_eq!(e.kind, ReadErrorKind::UnknownLayout);
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
        let e = read_record(b"<volume id=\"frus1861\">\n<title>x</volume>", "r.xml").unwrap_err();
        assert_eq!(e.kind, ReadErrorKind::Malformed);
        assert_eq!(e.line, Some(2));
        let e = read_record(b"<TEI/>", "r.xml").unwrap_err();
        assert_eq!(e.kind, ReadErrorKind::UnknownLayout);
        let e = read_record(b"<volume>", "r.xml").unwrap_err();
        assert_eq!(e.kind, ReadErrorKind::UnknownLayout);
        assert_eq!(
            read_record(b"", "r.xml").unwrap_err().kind,
            ReadErrorKind::Empty
        );
        assert_eq!(
            root_element(b"<?xml version=\"1.0\"?>\n<!-- c -->\n<volume id=\"x\"/>").as_deref(),
            Some("volume")
        );
        assert_eq!(
            root_element(b"<tei:TEI xmlns:tei=\"u\">").as_deref(),
            Some("TEI")
        );
    }
}
