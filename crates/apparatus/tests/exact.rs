//! Hand-written exact-field tests on real notes and headings of every era.
//! Both seeds are checked field by field.

use chancery_apparatus::heading::{self, Party};
use chancery_apparatus::source_note::{
    self, Addressee, Classification, NoteSegment, Precedence, ReadingMarkKind, SegmentKind,
    SourceNote,
};
use chancery_apparatus::telegram::{self, CableKeyword};
use chancery_apparatus::{citation, xref};

fn s(v: &str) -> String {
    v.to_string()
}

fn seg(text: &str, kind: SegmentKind, t: &str) -> NoteSegment {
    let start = text.find(t).unwrap_or(usize::MAX);
    NoteSegment {
        kind,
        text: s(t),
        start,
        end: start + t.len(),
    }
}

const SEED0_NOTE: &str = "Source: National Archives and Records Administration, RG 59, A/IM Files: Lot 93 D 82, HARVAN-(Incoming)-October 1968. Secret; Immediate; Nodis/HARVAN/Plus. Repeated to USUN for Secretary Rusk.";
const SEED3_NOTE: &str = "Source: Library of Congress, Manuscript Divison, Harriman Papers, Secretary Rusk, 1963-1966. No classification marking. Drafted by Harriman.";

#[test]
fn seed_000_source_note_every_field() {
    let t = SEED0_NOTE;
    let expected = SourceNote {
        text: s(t),
        repository: Some(s("National Archives and Records Administration")),
        repository_as_written: Some(s("National Archives and Records Administration")),
        record_group: Some(s("RG 59")),
        archive_path: vec![s("A/IM Files: Lot 93 D 82"), s("HARVAN-(Incoming)-October 1968")],
        lot: Some(s("93 D 82")),
        frc_accession: None,
        job: None,
        subject_file: None,
        decimal_files: vec![],
        document_type_hint: None,
        classification: Some(Classification::Secret),
        classification_as_written: Some(s("Secret")),
        precedence: Some(Precedence::Immediate),
        caveats: vec![s("Nodis")],
        code_words: vec![s("HARVAN"), s("Plus")],
        sent_to: vec![],
        also_sent_to: vec![],
        repeated_to: vec![Addressee {
            name: s("USUN"),
            detail: Some(s("for Secretary Rusk")),
        }],
        drafted_by: vec![],
        cleared_by: vec![],
        approved_by: vec![],
        received: None,
        reading_marks: vec![],
        printed_from: None,
        editorial_marks: vec![],
        segments: vec![
            seg(t, SegmentKind::Citation, "Source: National Archives and Records Administration, RG 59, A/IM Files: Lot 93 D 82, HARVAN-(Incoming)-October 1968."),
            seg(t, SegmentKind::Classification, "Secret; Immediate; Nodis/HARVAN/Plus."),
            seg(t, SegmentKind::Distribution, "Repeated to USUN for Secretary Rusk."),
        ],
        remainder: vec![],
    };
    assert_eq!(source_note::parse(t), expected);
    // The repository revision spells the code word "Harvan": same canonical form.
    let tei = source_note::parse(&t.replace("Nodis/HARVAN/Plus", "Nodis/Harvan/Plus"));
    assert_eq!(tei.code_words, vec![s("HARVAN"), s("Plus")]);
}

#[test]
fn seed_003_source_note_every_field() {
    let t = SEED3_NOTE;
    let expected = SourceNote {
        text: s(t),
        repository: Some(s("Library of Congress")),
        repository_as_written: Some(s("Library of Congress")),
        record_group: None,
        // The source's typo "Divison" is kept.
        archive_path: vec![
            s("Manuscript Divison"),
            s("Harriman Papers"),
            s("Secretary Rusk"),
            s("1963-1966"),
        ],
        lot: None,
        frc_accession: None,
        job: None,
        subject_file: None,
        decimal_files: vec![],
        document_type_hint: None,
        classification: Some(Classification::NoClassificationMarking),
        classification_as_written: Some(s("No classification marking")),
        precedence: None,
        caveats: vec![],
        code_words: vec![],
        sent_to: vec![],
        also_sent_to: vec![],
        repeated_to: vec![],
        drafted_by: vec![s("Harriman")],
        cleared_by: vec![],
        approved_by: vec![],
        received: None,
        reading_marks: vec![],
        printed_from: None,
        editorial_marks: vec![],
        segments: vec![
            seg(t, SegmentKind::Citation, "Source: Library of Congress, Manuscript Divison, Harriman Papers, Secretary Rusk, 1963-1966."),
            seg(t, SegmentKind::Classification, "No classification marking."),
            seg(t, SegmentKind::Drafting, "Drafted by Harriman."),
        ],
        remainder: vec![],
    };
    assert_eq!(source_note::parse(t), expected);
}

/// (specific type, family) of a parsed heading.
fn kind(h: &heading::HeadingInfo) -> (Option<&str>, Option<&str>) {
    (
        h.kind.as_ref().map(|k| k.doc_type.as_str()),
        h.kind.as_ref().map(|k| k.family.as_str()),
    )
}

#[test]
fn seed_headings() {
    let h = heading::parse("45. Telegram From the Embassy in France to the Department of State 1");
    assert_eq!(h.number, Some(45));
    assert_eq!(
        h.title,
        "Telegram From the Embassy in France to the Department of State"
    );
    assert_eq!(kind(&h), (Some("telegram"), Some("telegram")));
    assert_eq!(
        h.from,
        Some(Party {
            text: s("Embassy in France"),
            office: Some(s("Embassy in France")),
            person: None
        })
    );
    assert_eq!(h.to.map(|p| p.text), Some(s("Department of State")));
    assert!(!h.circular);

    let h = heading::parse("261. Memorandum for Personal Files1");
    assert_eq!(h.number, Some(261));
    assert_eq!(
        kind(&h),
        (Some("memorandum for personal files"), Some("memorandum"))
    );
    assert_eq!(h.from, None);
    assert_eq!(h.to, None);
}

#[test]
fn seed_000_body_and_notes() {
    let ids = telegram::parse_identity(
        "21737/Delto 788. From Harriman and Vance.\n\nThuy and Lau joined us",
    );
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].number.as_deref(), Some("21737"));
    assert_eq!(ids[0].series.as_deref(), Some("Delto 788"));
    assert_eq!((ids[0].start, ids[0].end), (0, 15));

    let fn2 = "The summary account of the 24th formal session was transmitted in telegram 21742/Delto 789 from Paris, October 2. (Ibid.)";
    let r = telegram::find_references(fn2);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].raw, "telegram 21742/Delto 789");
    assert_eq!(r[0].number.as_deref(), Some("21742"));
    assert_eq!(r[0].series.as_deref(), Some("Delto 789"));
    assert_eq!(r[0].origin.as_deref(), Some("Paris"));
    assert_eq!(r[0].sender.as_deref(), Some("Embassy in France"));
    assert_eq!(&fn2[r[0].start..r[0].end], r[0].raw);

    let x = xref::find_text_references("See Document 40.");
    assert_eq!(x[0].document, Some(40));
    assert_eq!(x[0].volume, None);
    assert_eq!((x[0].start, x[0].end), (4, 15));
}

#[test]
fn seed_003_notes() {
    let x = xref::find_text_references("See footnote 6, Document 236.");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].footnote, Some(6));
    assert_eq!(x[0].document, Some(236));
    assert_eq!(x[0].key(), "#d236fn6");
    assert!(xref::find_text_references("Llewellyn E. Thompson.").is_empty());
}

#[test]
fn file_number_note_1949() {
    let n = source_note::parse("851G.00/1–1449: Telegram");
    assert_eq!(n.decimal_files, vec![s("851G.00/1–1449")]);
    assert_eq!(n.document_type_hint.as_deref(), Some("Telegram"));
    assert_eq!(n.classification, None);
    assert!(n.remainder.is_empty());
    let n = source_note::parse("File No. 763.72/1173");
    assert_eq!(n.decimal_files, vec![s("763.72/1173")]);
    let n = source_note::parse("763.72/1507½: Telegram");
    assert_eq!(n.decimal_files, vec![s("763.72/1507½")]);
    assert_eq!(
        source_note::classification_from_opener("confidential Paris, January 14, 1949—2 p. m."),
        Some(Classification::Confidential)
    );
    assert_eq!(
        source_note::classification_from_opener("restricted Paris, January 19, 1949—9 p. m."),
        Some(Classification::Restricted)
    );
}

#[test]
fn heading_1949_and_1861() {
    let h = heading::parse("The Ambassador in France (Caffery) to the Acting Secretary of State");
    assert_eq!(h.number, None);
    assert_eq!(h.kind, None);
    let f = h.from.unwrap_or_default();
    assert_eq!(f.text, "Ambassador in France (Caffery)");
    assert_eq!(f.office.as_deref(), Some("Ambassador in France"));
    assert_eq!(f.person.as_deref(), Some("Caffery"));
    assert_eq!(h.to.map(|p| p.text), Some(s("Acting Secretary of State")));

    let h =
        heading::parse("Mr. Black (Secretary of State) to all the ministers of the United States.");
    let f = h.from.unwrap_or_default();
    assert_eq!(f.person.as_deref(), Some("Black"));
    assert_eq!(f.office.as_deref(), Some("Secretary of State"));
    assert_eq!(
        h.to.map(|p| p.text),
        Some(s("all the ministers of the United States"))
    );

    let h = heading::parse("Mr. Seward to Mr. Adams");
    assert_eq!(h.from.map(|p| p.text), Some(s("Mr. Seward")));
    assert_eq!(h.to.map(|p| p.text), Some(s("Mr. Adams")));

    let n = source_note::parse("[Extract.]");
    assert_eq!(n.editorial_marks, vec![s("Extract")]);
    assert!(n.remainder.is_empty());
}

#[test]
fn berlin_1962_rusk_telegram_note() {
    // frus1961-63v15 d11
    let n = source_note::parse("Source: Department of State, Rusk Files: Lot 72 D 192, Chron. Secret. Drafted and initialed by Rusk and concurred in by Kohler. Repeated to Berlin.");
    assert_eq!(n.repository.as_deref(), Some("Department of State"));
    assert_eq!(n.lot.as_deref(), Some("72 D 192"));
    assert_eq!(
        n.archive_path,
        vec![s("Rusk Files: Lot 72 D 192"), s("Chron")]
    );
    assert_eq!(n.classification, Some(Classification::Secret));
    assert_eq!(n.drafted_by, vec![s("Rusk")]);
    assert_eq!(n.cleared_by, vec![s("Kohler")]);
    assert_eq!(
        n.repeated_to,
        vec![Addressee {
            name: s("Berlin"),
            detail: None
        }]
    );
    assert!(n.reading_marks.is_empty());
}

#[test]
fn khrushchev_letter_note_keeps_remainder() {
    // frus1961-63v15 d3
    let t = "Source: Department of State, Presidential Correspondence: Lot 66 D 204. No classification marking. In a memorandum to the President on March 12, Sorensen explained that he had picked up this letter. A copy of the letter was transmitted to Secretary Rusk in Geneva at 9:30 p.m. on March 10 in Tosecs 9 and 10. (Department of State, Presidential Correspondence: Lot 77 D 163) The full texts of all the Kennedy-Khrushchev messages are printed in volume VI.";
    let n = source_note::parse(t);
    assert_eq!(n.lot.as_deref(), Some("66 D 204"));
    assert_eq!(
        n.classification,
        Some(Classification::NoClassificationMarking)
    );
    assert_eq!(n.remainder.len(), 3);
    let refs: Vec<String> = telegram::find_references(t)
        .iter()
        .map(|r| r.key())
        .collect();
    assert_eq!(refs, vec![s("Tosec 9"), s("Tosec 10")]);
    let mut sc = xref::XrefScanner::new(xref::XrefContext {
        volume_id: Some(s("frus1961-63v15")),
    });
    let x = sc.scan(t);
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].key(), "frus1961-63v06");
}

#[test]
fn rostow_telegram_caveats_and_reading_mark() {
    // frus1964-68v07 d14
    let n = source_note::parse("Source: Johnson Library, National Security File, Country File, Vietnam, Harvan Misc. & Memos, Vol. VI, 8/68-9/68. Secret; Sensitive; Literally Eyes Only. Received at 11:35 a.m. The notation “ps” on the telegram indicates that the President saw it. The President was at the Presidential retreat at Camp David, Maryland, September 14-16. (Ibid., President's Daily Diary)");
    assert_eq!(n.repository.as_deref(), Some("Johnson Library"));
    assert_eq!(n.archive_path.last().map(String::as_str), Some("8/68-9/68"));
    assert_eq!(n.caveats, vec![s("Sensitive"), s("Literally Eyes Only")]);
    assert_eq!(n.received.as_deref(), Some("11:35 a.m."));
    assert_eq!(n.reading_marks.len(), 1);
    assert_eq!(n.reading_marks[0].kind, ReadingMarkKind::Saw);
    assert_eq!(n.reading_marks[0].reader.as_deref(), Some("President"));
    assert_eq!(n.reading_marks[0].quoted.as_deref(), Some("ps"));
    assert_eq!(n.remainder.len(), 1);
}

#[test]
fn oslo_channel_drafting_with_semicolons() {
    // frus1964-68v07 d29
    let n = source_note::parse("Source: National Archives and Records Administration, RG 59, Central Files 1967-69, POL 27-14 VIET/OHIO. Secret; Priority; Nodis; Ohio/Plus. Drafted by Bundy; cleared in substance by Rusk, Katzenbach, and Rostow; and approved by Bundy and Read. Repeated to Paris for the delegation.");
    assert_eq!(n.subject_file.as_deref(), Some("POL 27-14 VIET/OHIO"));
    assert_eq!(n.precedence, Some(Precedence::Priority));
    assert_eq!(n.caveats, vec![s("Nodis")]);
    assert_eq!(n.code_words, vec![s("Ohio"), s("Plus")]);
    assert_eq!(n.drafted_by, vec![s("Bundy")]);
    assert_eq!(n.cleared_by, vec![s("Rusk"), s("Katzenbach"), s("Rostow")]);
    assert_eq!(n.approved_by, vec![s("Bundy"), s("Read")]);
    assert_eq!(
        n.repeated_to,
        vec![Addressee {
            name: s("Paris"),
            detail: Some(s("for the delegation"))
        }]
    );
}

#[test]
fn state_defense_message_drafting() {
    // frus1964-68v29p2 d128
    let n = source_note::parse("Source: National Archives and Records Administration, RG 59, Central Files 1967–69, DEF 15 JAPAN–US. Secret; Limdis. Drafted by Seligmann (DOD/ISA) and Sneider (EA/J); cleared by Halperin and Steadman (DOD/ISA), Adm. Vannoy (J–5), Wolf and Gammon at the Department of State; and approved by Sneider. Also sent to CINCPAC and repeated to COMUSFJ.");
    assert_eq!(n.drafted_by, vec![s("Seligmann"), s("Sneider")]);
    assert_eq!(
        n.cleared_by,
        vec![
            s("Halperin"),
            s("Steadman"),
            s("Vannoy"),
            s("Wolf"),
            s("Gammon")
        ]
    );
    assert_eq!(n.approved_by, vec![s("Sneider")]);
    assert_eq!(
        n.also_sent_to,
        vec![Addressee {
            name: s("CINCPAC"),
            detail: None
        }]
    );
    assert_eq!(
        n.repeated_to,
        vec![Addressee {
            name: s("COMUSFJ"),
            detail: None
        }]
    );
}

#[test]
fn long_repeat_list_with_detail() {
    // frus1964-68v29p2 d46 and d19
    let n = source_note::parse("Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 27 VIET S. Confidential. Repeated to Saigon, London, Seoul, Taipei, Hong Kong, Vientiane, Bangkok, Manila, Djakarta, New Delhi, Paris, Moscow, the High Commissioner of the Ryukyu Islands, and CINCPAC for POLAD.");
    assert_eq!(n.classification, Some(Classification::Confidential));
    assert_eq!(n.repeated_to.len(), 14);
    assert_eq!(
        n.repeated_to[12].name,
        "High Commissioner of the Ryukyu Islands"
    );
    assert_eq!(
        n.repeated_to[13],
        Addressee {
            name: s("CINCPAC"),
            detail: Some(s("for POLAD"))
        }
    );
    let n = source_note::parse("Source: National Archives and Records Administration, RG 59, Central Files 1964–66, DEF 7 JAPAN–US. Confidential. Repeated to CINCPAC for Polad and COMUSJAPAN.");
    assert_eq!(
        n.repeated_to,
        vec![
            Addressee {
                name: s("CINCPAC"),
                detail: Some(s("for Polad"))
            },
            Addressee {
                name: s("COMUSJAPAN"),
                detail: None
            }
        ]
    );
    let n = source_note::parse(
        "Source: X Files. Secret. Repeated to Paris for Harriman and Vance from Davidson.",
    );
    assert_eq!(
        n.repeated_to,
        vec![Addressee {
            name: s("Paris"),
            detail: Some(s("for Harriman and Vance from Davidson"))
        }]
    );
}

#[test]
fn letter_without_marking_and_attachment() {
    // frus1964-68v29p2 d30
    let n = source_note::parse("Source: Johnson Library, National Security Files, Subject File, Nuclear-Testing— China. The letter has no classification markings; the attachment is Secret, Eyes Only.");
    assert_eq!(
        n.classification,
        Some(Classification::NoClassificationMarking)
    );
    assert!(n.caveats.is_empty());
}

#[test]
fn wnrc_paper_with_notation() {
    // frus1964-68v07 d10 (shortened)
    let n = source_note::parse("Source: Washington National Records Center, Department of Defense, OSD Files: FRC 330 73 A 1250, VIET 092.2 (September-October 1968). Confidential. A notation on the paper reads: “Dep. Sec. has seen.” An attached note dated September 11 reads: “Clark—Some days ago you asked me. Bus.”");
    assert_eq!(
        n.repository.as_deref(),
        Some("Washington National Records Center")
    );
    assert_eq!(n.frc_accession.as_deref(), Some("330 73 A 1250"));
    assert_eq!(n.archive_path[2], "VIET 092.2 (September-October 1968)");
    assert_eq!(n.reading_marks.len(), 1);
    assert_eq!(n.reading_marks[0].key(), "saw:Dep. Sec.");
    assert_eq!(n.remainder.len(), 1);
}

#[test]
fn typo_source_comma_and_bracketed_source() {
    // frus1964-68v29p2 d47 ("Source," typo) and the "[Source: …]" paragraphs.
    let n = source_note::parse("Source, National Archives and Records Administration, RG 59, Central Files 1964–66, POL 7 JAPAN. Confidential.");
    assert_eq!(
        n.repository.as_deref(),
        Some("National Archives and Records Administration")
    );
    assert_eq!(n.classification, Some(Classification::Confidential));
    let n = source_note::parse("[Source: Department of State, INR/IL Historical Files, East Asia Country Files, Japan 1964. Secret; Eyes Only.]");
    assert_eq!(n.repository.as_deref(), Some("Department of State"));
    assert_eq!(n.caveats, vec![s("Eyes Only")]);
}

#[test]
fn iran_telegram_after_abbreviation() {
    // frus1964-68v22 d262: "U.S." must not swallow the marking line.
    let n = source_note::parse("Source: Department of State, Central Files, POL IRAN–U.S. Secret; Priority; Nodis. Drafted and approved by Rostow on March 4.");
    assert_eq!(n.subject_file.as_deref(), Some("POL IRAN–U.S"));
    assert_eq!(n.classification, Some(Classification::Secret));
    assert_eq!(n.precedence, Some(Precedence::Priority));
    assert_eq!(n.drafted_by, vec![s("Rostow")]);
    assert_eq!(n.approved_by, vec![s("Rostow")]);
}

#[test]
fn modern_headings() {
    let h = heading::parse("46. Information Memorandum From the President's Special Assistant (Rostow) to President Johnson");
    assert_eq!(
        kind(&h),
        (Some("information memorandum"), Some("memorandum"))
    );
    assert_eq!(
        h.from.as_ref().and_then(|p| p.person.as_deref()),
        Some("Rostow")
    );
    assert_eq!(
        h.to.as_ref()
            .map(|p| (p.office.as_deref(), p.person.as_deref())),
        Some((Some("President"), Some("Johnson")))
    );

    let h = heading::parse("25. Telegram From the President's Special Assistant (Rostow) to President Johnson in Texas");
    assert_eq!(h.to.map(|p| p.text), Some(s("President Johnson")));
    assert_eq!(h.to_location.as_deref(), Some("Texas"));

    let h =
        heading::parse("4. Telegram From President Kennedy to Secretary of State Rusk, at Geneva");
    assert_eq!(h.to.map(|p| p.text), Some(s("Secretary of State Rusk")));
    assert_eq!(h.to_location.as_deref(), Some("Geneva"));

    let h = heading::parse("9. Letter From the Ambassador to Japan (Reischauer) to the Assistant Secretary of State for Far Eastern Affairs (Hilsman)");
    assert_eq!(
        h.from.map(|p| p.text),
        Some(s("Ambassador to Japan (Reischauer)"))
    );

    let h = heading::parse("27. Letter From W. Averell Harriman and Cyrus Vance of the Paris Delegation to Secretary of State Rusk");
    assert_eq!(h.to.map(|p| p.text), Some(s("Secretary of State Rusk")));

    let h = heading::parse("136. Memorandum of Conversation0");
    assert_eq!(h.number, Some(136));
    assert_eq!(kind(&h).0, Some("memorandum of conversation"));

    let h = heading::parse("64. National Intelligence Estimate");
    assert_eq!(
        kind(&h),
        (
            Some("national intelligence estimate"),
            Some("intelligence estimate")
        )
    );

    let h =
        heading::parse("112. Telegram 4858 From the Embassy in Japan to the Department of State");
    assert_eq!(h.telegram_number.as_deref(), Some("4858"));
    assert_eq!(h.from.map(|p| p.text), Some(s("Embassy in Japan")));

    let h = heading::parse(
        "67. Message From the Soviet Government to President Johnson, Moscow, November 3, 1964.",
    );
    assert_eq!(kind(&h).0, Some("message"));
    assert_eq!(h.to.map(|p| p.text), Some(s("President Johnson")));

    let h = heading::parse("The Secretary of State to the Ambassador in Russia ( Francis)");
    assert_eq!(
        h.to.map(|p| p.text),
        Some(s("Ambassador in Russia (Francis)"))
    );

    let h = heading::parse("15. Department of State Policy Paper");
    assert_eq!(kind(&h), (Some("policy paper"), Some("paper")));

    let h = heading::parse("40. Editorial Note");
    assert_eq!(kind(&h).1, Some("editorial note"));
}

#[test]
fn cable_reference_forms() {
    let t = "Reference: State 254715, Paris 22390. Embtel 256 and Deptel 70; Urtel 2430. Telegram 1333 from Berlin. Circular telegram 1234.";
    let r = telegram::find_references(t);
    let keys: Vec<String> = r.iter().map(|c| c.key()).collect();
    assert_eq!(
        keys,
        ["254715", "22390", "256", "70", "2430", "1333", "1234"]
    );
    assert_eq!(r[0].sender.as_deref(), Some("Department of State"));
    assert_eq!(r[1].sender.as_deref(), Some("Embassy in France"));
    assert_eq!(r[2].keyword, CableKeyword::Embtel);
    assert_eq!(r[3].keyword, CableKeyword::Deptel);
    assert_eq!(r[4].keyword, CableKeyword::Urtel);
    assert_eq!(r[5].origin.as_deref(), Some("Berlin"));
    assert!(r[6].circular);
    for c in &r {
        assert_eq!(&t[c.start..c.end], c.raw);
    }
    // 1949 and 1940 forms.
    let keys: Vec<String> = telegram::find_references("See also Paris telegrams 1065, March 16, 2 p. m.; 1077–1078, March 16, 8 p. m.; and 1168, March 22, 8 p. m., none printed.")
        .iter()
        .map(|c| c.key())
        .collect();
    assert_eq!(keys, ["1065", "1077", "1078", "1168"]);
    let keys: Vec<String> =
        telegram::find_references("our immediately following telegram 4[48], June 12")
            .iter()
            .map(|c| c.key())
            .collect();
    assert_eq!(keys, ["448"]);
    assert_eq!(
        telegram::parse_identity("256008/Todel 1284. For Harriman")[0].key(),
        "256008/Todel 1284"
    );
    assert!(telegram::parse_identity("SecDelMC/4 Negotiations").is_empty());
}

#[test]
fn xref_forms() {
    let keys = |t: &str| -> Vec<String> {
        xref::find_text_references(t)
            .iter()
            .map(|r| r.key())
            .collect()
    };
    assert_eq!(
        keys("Foreign Relations, 1964–1968, vol. VI, Document 299"),
        ["frus1964-68v06#d299"]
    );
    assert_eq!(
        keys("See Foreign Relations, 1949, vol. VII, Part 1, p. 23."),
        ["frus1949v07p1#pg_23"]
    );
    assert_eq!(keys("Documents 31–53"), ["#d31-d53"]);
    assert_eq!(
        keys("Foreign Relations, Japan, 1931–1941, vol. ii, pp. 67, 71, 73, and 75."),
        [
            "frus1931-41v02#pg_67",
            "frus1931-41v02#pg_71",
            "frus1931-41v02#pg_73",
            "frus1931-41v02#pg_75"
        ]
    );
    let r = xref::find_text_references("pp. 949–950");
    assert_eq!((r[0].page, r[0].page_end), (Some(949), Some(950)));
    // Damaged "Ante, pp. 949950." must not crash; it yields one odd page.
    let r = xref::find_text_references("Ante, pp. 949950.");
    assert_eq!(r.len(), 1);
    // ibid. carries the volume across notes.
    let mut sc = xref::XrefScanner::new(xref::XrefContext::default());
    sc.scan("See Foreign Relations, 1964-1968, vol. XIV, Document 300.");
    let r = sc.scan("for the full text, see ibid., Document 308.");
    assert_eq!(r[0].key(), "frus1964-68v14#d308");
    assert!(r[0].ibid);
    // Archival "Vol. XXI" is not a FRUS volume.
    assert!(keys(
        "(Johnson Library, National Security File, Country File, Soviet Union, Vol. XXI)"
    )
    .is_empty());
    // Pages of other publications are not FRUS pages.
    assert!(keys("see Department of State Bulletin, March 26, 1962, pp. 494–497.").is_empty());
}

#[test]
fn citations() {
    let c = citation::parse_citation("FRUS, 1964–1968, vol. VII, doc. 45").unwrap_or_default();
    assert_eq!(
        (c.volume_id.as_str(), c.document),
        ("frus1964-68v07", Some(45))
    );
    let c = citation::parse_citation("Foreign Relations, 1949, vol. VII, Part 1, p. 23")
        .unwrap_or_default();
    assert_eq!((c.volume_id.as_str(), c.page), ("frus1949v07p1", Some(23)));
    let c = citation::parse_citation(
        "Foreign Relations of the United States, 1961–1963, Volume XV, Document 12",
    )
    .unwrap_or_default();
    assert_eq!(
        (c.volume_id.as_str(), c.document),
        ("frus1961-63v15", Some(12))
    );
    let c = citation::parse_citation("Foreign Relations, 1918, Russia, vol. I, p. 284")
        .unwrap_or_default();
    assert_eq!(c.volume_id, "frus1918Russiav01");
}
