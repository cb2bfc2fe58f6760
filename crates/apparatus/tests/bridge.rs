//! The bridge from stored documents: seed 000's TEI counterpart, read by the real TEI reader.

use chancery_apparatus::analyze_document;
use chancery_apparatus::source_note::Classification;

#[test]
fn d45_from_tei_yields_its_markings_and_telegrams() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../sample/tei/frus1964-68v07-excerpt.xml"
    );
    let bytes = std::fs::read(path).unwrap();
    let parsed = chancery_formats::tei::read_tei(&bytes, path).unwrap();
    let d45 = parsed.documents.iter().find(|d| d.id == "d45").unwrap();
    let a = analyze_document(d45);

    assert_eq!(a.doc_type(), Some("telegram"));
    assert_eq!(a.dateline.place.as_deref(), Some("Paris"));
    assert_eq!(a.dateline.time.map(|t| t.iso()).as_deref(), Some("14:10Z"));
    assert_eq!(a.classification, Some(Classification::Secret));
    assert_eq!(a.source.record_group.as_deref(), Some("RG 59"));
    assert_eq!(a.source.lot.as_deref(), Some("93 D 82"));
    assert_eq!(a.source.caveats, ["Nodis"]);
    assert_eq!(a.source.code_words, ["HARVAN", "Plus"]);
    assert_eq!(a.source.repeated_to.len(), 1);
    assert_eq!(a.source.repeated_to[0].name, "USUN");
    let identity: Vec<(Option<&str>, Option<&str>)> = a
        .telegram_numbers
        .iter()
        .map(|t| (t.number.as_deref(), t.series.as_deref()))
        .collect();
    assert_eq!(identity, [(Some("21737"), Some("Delto 788"))]);
    assert!(
        a.cable_references
            .iter()
            .any(|r| r.item.raw.contains("21742/Delto 789")),
        "{:?}",
        a.cable_references
    );
    let docs: Vec<String> = a
        .text_references
        .iter()
        .map(|r| format!("{:?}", r.item))
        .collect();
    assert!(
        docs.iter().any(|d| d.contains("40")) && docs.iter().any(|d| d.contains("32")),
        "{docs:?}"
    );
}
