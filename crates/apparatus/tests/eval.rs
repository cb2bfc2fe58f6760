//! Scores the parsers against the hand-built gold set and prints the
//! per-field table with every miss. Fails below 95% precision or recall
//! on any field.

use chancery_apparatus::eval;

#[test]
fn gold_set_scores() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold/gold.json");
    let json = std::fs::read_to_string(path).expect("gold.json is readable");
    let report = eval(&json);
    println!("{report}");
    assert!(report.error.is_none(), "gold set error: {:?}", report.error);
    assert!(
        report.documents >= 60,
        "gold set has {} documents",
        report.documents
    );
    for f in &report.fields {
        assert!(
            f.precision() >= 0.95 && f.recall() >= 0.95,
            "{}: precision {:.1}% recall {:.1}% (see the misses above)",
            f.field,
            f.precision() * 100.0,
            f.recall() * 100.0
        );
    }
}
