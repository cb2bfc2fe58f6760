//! `cargo test -p chancery-apparatus --test dump -- --ignored --nocapture`
//! prints what the parsers make of every sample heading and source note.
mod common;

use chancery_apparatus::{heading, source_note};

#[test]
#[ignore]
fn dump_samples() {
    for d in common::all_docs() {
        let h = heading::parse(&d.heading);
        println!(
            "== {} {} | {:?} | {:?}/{:?} | from {:?} | to {:?} | loc {:?}",
            d.volume,
            d.id,
            d.heading,
            h.doc_type,
            h.doc_subtype,
            h.from.as_ref().map(|p| (&p.text, &p.office, &p.person)),
            h.to.as_ref().map(|p| &p.text),
            h.to_location
        );
        for n in &d.source_notes {
            let s = source_note::parse(n);
            let mut v = serde_json::to_value(&s).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("segments");
                o.remove("text");
                o.retain(|_, val| !(val.is_null() || val.as_array().is_some_and(|a| a.is_empty())));
            }
            println!("   {}", v);
        }
    }
}
