//! Hostile input: nothing may panic, offsets must be valid.

use chancery_apparatus::document::{analyze, DocumentInput};
use chancery_apparatus::{citation, dateline, eval, heading, source_note, telegram, xref};

fn run_all(t: &str) {
    let n = source_note::parse(t);
    for s in &n.segments {
        assert!(s.start <= s.end && s.end <= n.text.len());
        assert!(n.text.is_char_boundary(s.start) && n.text.is_char_boundary(s.end));
    }
    let _ = source_note::classification_from_opener(t);
    let _ = heading::parse(t);
    for r in telegram::parse_identity(t) {
        assert!(t.get(r.start..r.end).is_some());
    }
    for r in telegram::find_references(t) {
        assert_eq!(t.get(r.start..r.end), Some(r.raw.as_str()));
    }
    for r in xref::find_text_references(t) {
        assert_eq!(t.get(r.start..r.end), Some(r.raw.as_str()));
    }
    let _ = citation::parse_citation(t);
    let a = analyze(&DocumentInput {
        volume: Some("frus1961-63v15".into()),
        number: Some(t.into()),
        heading: t.into(),
        source_note: t.into(),
        heading_note: t.into(),
        opening: vec![t.into(), t.into()],
        body_opening: t.into(),
        body: t.into(),
        closing: vec![t.into()],
        notes: vec![t.into(), t.into()],
        encoded_from: vec![t.into()],
        encoded_to: vec![t.into()],
        encoded_date: Some(t.into()),
        encoded_refs: vec![t.into()],
    });
    let _ = a.labels();
    let _ = dateline::parse(t, Some(1968));
    let _ = dateline::parse_received(t, None, Some(1968));
}

#[test]
fn fixed_hostile_strings() {
    let cases = [
        "",
        " ",
        ".",
        "(",
        ")",
        "((((((",
        "))))]]]]",
        "“",
        "”",
        "“unclosed quote. Secret; Nodis.",
        "Source:",
        "Source: (",
        "[Source:",
        "[]",
        "[Extract.",
        "Ante, pp. 949950.",
        "p.",
        "pp. –",
        "Document",
        "Documents 5–",
        "footnote 3, Document",
        "ibid., Document 308",
        "Foreign Relations, 1964–",
        "Foreign Relations, 1964–1968, vol. MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM, Document 1",
        "telegram 99999999999999999999999999999999999999",
        "21737/Delto",
        "CAP",
        "Secret; ; ; /// ;;",
        "Drafted by",
        "Drafted by ; cleared by , and approved by .",
        "Repeated to",
        "Repeated to for",
        "45.",
        "0. ",
        "[410]",
        "[text not declassified]1",
        "Telegram From",
        "Telegram From to",
        "Mr. Seward to",
        "日本語のテキスト。秘密。",
        "Ünïcödé — “quoted” ’apostrophe’ ½ 851G.00/1–1449: Telegram",
        "\u{0}\u{1}\u{7f}",
        "a.m. p.m. p. m. U.S. J.B. Y. S.",
        "Source: Johnson Library, Vol. I. Vol. II. Part 3. No. 4.",
    ];
    for c in cases {
        run_all(c);
    }
}

#[test]
fn very_long_input() {
    let unit = "Source: National Archives and Records Administration, RG 59, A/IM Files: Lot 93 D 82, HARVAN-(Incoming)-October 1968. Secret; Immediate; Nodis/HARVAN/Plus. Repeated to USUN for Secretary Rusk. See Document 40. ibid., Document 3 (telegram 21742/Delto 789 from Paris";
    let long = unit.repeat(400);
    run_all(&long);
    let parens = "(".repeat(20_000) + &")".repeat(10_000);
    run_all(&parens);
}

/// Deterministic pseudo-random strings over a hostile alphabet.
#[test]
fn generated_strings() {
    let alphabet: Vec<char> = "abcXYZ 0123456789.,;:/()[]“”\"'’–—-½éü日 \n\tSecretNodisDeltoFromto"
        .chars()
        .collect();
    let words = [
        "Source:",
        "Secret;",
        "Document ",
        "footnote ",
        "ibid., ",
        "vol. ",
        "Part ",
        "p. ",
        "pp. ",
        "telegram ",
        "Embtel ",
        "Reftel",
        "Repeated to ",
        "Drafted by ",
        " and ",
        "Foreign Relations, ",
        "1964–1968, ",
        "Mr. ",
        " to ",
        "(",
        ")",
        "“",
        "”",
        "Paris ",
        "State ",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // HOSTILE_ITERS raises the count for a longer local soak.
    let iters: usize = std::env::var("HOSTILE_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    for _ in 0..iters {
        let len = (next() % 80) as usize;
        let mut s = String::new();
        for _ in 0..len {
            if next() % 3 == 0 {
                s.push_str(words[(next() % words.len() as u64) as usize]);
            } else {
                s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
        }
        run_all(&s);
    }
}

#[test]
fn an_empty_gold_scores_nothing_wrong() {
    let r = eval::score(std::iter::empty());
    assert_eq!(r.documents, 0);
    assert!(r.worst() >= 1.0);
    let _ = format!("{r}");
}
