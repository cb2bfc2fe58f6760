//! The person authority scored against the blind labelled pairs in `gold/authority/`: each pair
//! of persons-list entries is "same person" or "keep apart"; the authority is run over every
//! entry of the labelled volumes' persons lists, and a pair is predicted the same when both
//! entries end in one group. Run with `--nocapture` for the table.
// The table a test prints for `--nocapture` is its report.
#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chancery_apparatus::authority::{cluster, Entry};
use chancery_model::GlossaryEntry;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every persons list of a directory of TEI files (and the named sample files).
fn persons_lists(files: &[PathBuf]) -> Vec<(String, Vec<GlossaryEntry>)> {
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let parsed = chancery_formats::tei::read_tei(&bytes, &f.display().to_string())
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (parsed.volume.id.clone(), parsed.volume.persons.clone())
        })
        .collect()
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "xml"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

struct Score {
    by_class: BTreeMap<String, [usize; 4]>, // tp, fp, fn, tn
    false_merges: Vec<String>,
    missed: Vec<String>,
    damaged: [usize; 3], // flagged & labelled, flagged only, labelled only
    wrongly_flagged: Vec<String>,
    unflagged: Vec<String>,
}

fn score(gold: &Value, lists: &[(String, Vec<GlossaryEntry>)]) -> Score {
    let entries: Vec<Entry> = lists
        .iter()
        .flat_map(|(v, list)| {
            list.iter().map(move |p| Entry {
                volume: v,
                id: &p.id,
                name: &p.name,
                description: &p.description,
            })
        })
        .collect();
    let members = cluster(&entries);
    let index: HashMap<(&str, &str), usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.volume, e.id), i))
        .collect();
    let at = |side: &Value| -> usize {
        let (v, id) = (
            side["volume"].as_str().unwrap_or(""),
            side["id"].as_str().unwrap_or(""),
        );
        *index
            .get(&(v, id))
            .unwrap_or_else(|| panic!("labelled entry {v}#{id} is not in the persons lists"))
    };
    let mut s = Score {
        by_class: BTreeMap::new(),
        false_merges: Vec::new(),
        missed: Vec::new(),
        damaged: [0; 3],
        wrongly_flagged: Vec::new(),
        unflagged: Vec::new(),
    };
    for p in gold["pairs"].as_array().into_iter().flatten() {
        let (a, b) = (at(&p["a"]), at(&p["b"]));
        let predicted = members[a].authority_id == members[b].authority_id;
        let truth = p["same"].as_bool().unwrap_or(false);
        let class = p["class"].as_str().unwrap_or("?").to_string();
        let cell = s.by_class.entry(class.clone()).or_default();
        let line = format!(
            "[{class}] {} ({}) / {} ({})",
            entries[a].name, entries[a].volume, entries[b].name, entries[b].volume
        );
        match (predicted, truth) {
            (true, true) => cell[0] += 1,
            (true, false) => {
                cell[1] += 1;
                s.false_merges.push(line);
            }
            (false, true) => {
                cell[2] += 1;
                s.missed.push(line);
            }
            (false, false) => cell[3] += 1,
        }
    }
    let labelled: HashSet<(&str, &str)> = gold["damaged"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["volume"].as_str().unwrap_or(""),
                d["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let volumes: HashSet<&str> = labelled.iter().map(|(v, _)| *v).collect();
    for (e, m) in entries.iter().zip(&members) {
        if !volumes.contains(e.volume) {
            continue;
        }
        let flagged = m.damage.is_some();
        let truth = labelled.contains(&(e.volume, e.id));
        match (flagged, truth) {
            (true, true) => s.damaged[0] += 1,
            (true, false) => {
                s.damaged[1] += 1;
                s.wrongly_flagged
                    .push(format!("{} ({}) {:?}", e.name, e.volume, m.damage));
            }
            (false, true) => {
                s.damaged[2] += 1;
                s.unflagged.push(format!("{} ({})", e.name, e.volume));
            }
            _ => {}
        }
    }
    s
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn report(title: &str, s: &Score) -> (f64, f64) {
    println!(
        "\n{title}\n{:<32} {:>4} {:>4} {:>4} {:>4}  {:>7} {:>7}",
        "class", "TP", "FP", "FN", "TN", "prec", "recall"
    );
    let mut total = [0usize; 4];
    for (class, c) in &s.by_class {
        for k in 0..4 {
            total[k] += c[k];
        }
        println!(
            "{class:<32} {:>4} {:>4} {:>4} {:>4}  {:>6.1}% {:>6.1}%",
            c[0],
            c[1],
            c[2],
            c[3],
            100.0 * ratio(c[0], c[0] + c[1]),
            100.0 * ratio(c[0], c[0] + c[2])
        );
    }
    let precision = ratio(total[0], total[0] + total[1]);
    let recall = ratio(total[0], total[0] + total[2]);
    println!(
        "{:<32} {:>4} {:>4} {:>4} {:>4}  {:>6.1}% {:>6.1}%",
        "all",
        total[0],
        total[1],
        total[2],
        total[3],
        100.0 * precision,
        100.0 * recall
    );
    let d = s.damaged;
    println!(
        "damaged entries flagged: {} of {} labelled (recall {:.1}%), {} flagged without a label (precision {:.1}%)",
        d[0],
        d[0] + d[2],
        100.0 * ratio(d[0], d[0] + d[2]),
        d[1],
        100.0 * ratio(d[0], d[0] + d[1])
    );
    for l in &s.false_merges {
        println!("  FALSE MERGE {l}");
    }
    for l in &s.missed {
        println!("  missed      {l}");
    }
    for l in &s.wrongly_flagged {
        println!("  flagged     {l}");
    }
    for l in &s.unflagged {
        println!("  unflagged   {l}");
    }
    (precision, recall)
}

fn labelled_lists(extra: &[&str]) -> Vec<(String, Vec<GlossaryEntry>)> {
    let r = root();
    let mut files = xml_files(&r.join("testdata/persons"));
    for f in [
        "sample/tei/frus1964-68v07-excerpt.xml",
        "sample/tei/frus1964-68v29p2.xml",
        "sample/tei/frus1961-63v15-excerpt.xml",
    ] {
        files.push(r.join(f));
    }
    for d in extra {
        files.extend(xml_files(&r.join(d)));
    }
    persons_lists(&files)
}

#[test]
fn development_pairs_precision_at_least_99_percent() {
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("gold/authority/pairs.json")).expect("pairs.json"),
    )
    .expect("pairs.json is JSON");
    let lists = labelled_lists(&[]);
    let s = score(&gold, &lists);
    let (precision, recall) = report("gold/authority/pairs.json (development)", &s);
    assert!(precision >= 0.99, "precision {precision:.3}");
    // The under-merge bias must not become no merging at all.
    assert!(recall >= 0.80, "recall {recall:.3}");
    // Every flag is a real defect of the source.
    assert!(s.damaged[1] == 0, "{:?}", s.wrongly_flagged);
}

#[test]
fn held_out_pairs_precision_at_least_99_percent() {
    let path = root().join("gold/authority/heldout.json");
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("heldout.json"))
        .expect("heldout.json is JSON");
    let lists = labelled_lists(&["testdata/persons-heldout"]);
    let s = score(&gold, &lists);
    let (precision, _) = report("gold/authority/heldout.json (held out)", &s);
    assert!(precision >= 0.99, "precision {precision:.3}");
}
