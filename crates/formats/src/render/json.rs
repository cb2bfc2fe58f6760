//! One document as JSON: its serde form plus fields derived for readers of the JSON.

use chancery_model::{
    plain_text, plain_text_blocks, walk_blocks, walk_inlines, Document, Inline, Volume,
};
use serde_json::{json, Value};

/// The document as JSON (its serde form) plus derived fields: `path` (`volume/id`), `pages`,
/// `persons` (distinct person ids mentioned, with the glossary name when `volume` has it) and
/// `references` (every cross-reference target, raw and parsed).
pub fn render_json(doc: &Document, volume: Option<&Volume>) -> Value {
    let mut v = serde_json::to_value(doc).unwrap_or(Value::Null);
    let mut persons: Vec<(String, usize)> = Vec::new();
    let mut refs: Vec<Value> = Vec::new();
    let mut visit = |i: &Inline| match i {
        Inline::Person {
            person_id: Some(pid),
            ..
        } => {
            let pid = pid.trim_start_matches('#').to_string();
            match persons.iter_mut().find(|(p, _)| *p == pid) {
                Some((_, n)) => *n += 1,
                None => persons.push((pid, 1)),
            }
        }
        Inline::Ref { target, children } => refs.push(json!({
            "raw": target.raw,
            "volume": target.volume,
            "element": target.element,
            "kind": target.kind,
            "text": plain_text(children),
        })),
        _ => {}
    };
    walk_inlines(&doc.heading, &mut visit);
    walk_blocks(&doc.body, &mut visit);
    for f in &doc.footnotes {
        walk_blocks(&f.blocks, &mut visit);
    }
    let persons: Vec<Value> = persons
        .into_iter()
        .map(|(id, n)| {
            let name = volume.and_then(|vol| {
                vol.persons
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| g.name.clone())
            });
            json!({ "id": id, "name": name, "mentions": n })
        })
        .collect();
    if let Value::Object(map) = &mut v {
        map.insert("path".into(), Value::String(doc.path()));
        map.insert("pages".into(), json!(doc.pages()));
        map.insert("persons".into(), Value::Array(persons));
        map.insert("references".into(), Value::Array(refs));
        map.insert(
            "footnote_text".into(),
            Value::Array(
                doc.footnotes
                    .iter()
                    .map(|f| json!({ "id": f.id, "mark": f.mark, "text": plain_text_blocks(&f.blocks) }))
                    .collect(),
            ),
        );
    }
    v
}
