//! Per-segment facet tables for long-lived searchers (web server, benchmarks).
//!
//! Counting facets straight from tantivy's columns costs one column lookup per document and
//! facet. A segment is immutable, so its facet values can be unpacked once into plain arrays
//! (ordinals per document, dense for single-valued facets, offsets + values for multi-valued
//! ones); counting is then an array increment per value. [`crate::SearchIndex::warm`] builds them
//! for the current segments; searches use them when present and the columns otherwise.
//!
//! Each segment has its own dictionary, so merging counts across segments by value meant
//! hashing every counted string of every segment for every search (at 300,000 documents, most of
//! a broad query's time). Warming therefore also builds one sorted dictionary per facet over
//! all current segments ([`GlobalFacets`]) and, per segment, the map from its ordinals to the
//! global ones: counts then merge as arrays, and only the values shown become strings.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::columnar::StrColumn;
use tantivy::{DocId, SegmentReader};

use crate::schema::KEYWORD_FACETS;

/// No value (single-valued facets).
pub const NONE: u32 = u32::MAX;

/// One facet of one segment.
#[derive(Debug, Clone, Default)]
pub struct FacetTable {
    /// Ordinal → value.
    pub values: Vec<String>,
    /// Multi-valued: `ords[offsets[d]..offsets[d + 1]]` are document `d`'s ordinals. Empty for a
    /// single-valued facet.
    pub offsets: Vec<u32>,
    /// Ordinals: per document (`NONE` when absent) for a single-valued facet, else as above.
    pub ords: Vec<u32>,
}

impl FacetTable {
    /// Whether each document has at most one value (no offsets).
    pub fn is_single(&self) -> bool {
        self.offsets.is_empty()
    }
}

/// Every facet of one segment, in [`KEYWORD_FACETS`] order: each facet's values (ordinal →
/// value), and the documents' facet ordinals and years laid out for counting. The per-facet
/// ordinal tables ([`FacetTable`]) are only the input of the layout and are not kept.
#[derive(Debug, Clone, Default)]
pub struct SegmentFacetTables {
    /// Per facet, ordinal → value.
    pub values: Vec<Vec<String>>,
    /// The documents' counters, laid out for counting.
    pub counters: DocCounters,
}

impl SegmentFacetTables {
    /// Unpack a segment's facet columns.
    pub fn build(reader: &SegmentReader) -> tantivy::Result<SegmentFacetTables> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let mut facets = Vec::with_capacity(KEYWORD_FACETS.len());
        for (_, field) in KEYWORD_FACETS {
            facets.push(match ff.str(field)? {
                Some(col) => table(&col, max_doc)?,
                None => FacetTable {
                    ords: vec![NONE; max_doc as usize],
                    ..FacetTable::default()
                },
            });
        }
        let year = ff.u64("year").ok();
        let years: Vec<u16> = (0..max_doc)
            .map(|d| {
                year.as_ref()
                    .and_then(|c| c.first(d))
                    .and_then(|y| u16::try_from(y).ok())
                    .unwrap_or(0)
            })
            .collect();
        let counters = DocCounters::of(&facets, &years);
        Ok(SegmentFacetTables {
            values: facets.into_iter().map(|t| t.values).collect(),
            counters,
        })
    }
}

fn table(col: &StrColumn, max_doc: DocId) -> tantivy::Result<FacetTable> {
    let mut values = Vec::with_capacity(col.num_terms());
    let mut buf = String::new();
    for ord in 0..col.num_terms() as u64 {
        buf.clear();
        col.ord_to_str(ord, &mut buf)?;
        values.push(buf.clone());
    }
    let mut single = true;
    let mut per_doc: Vec<u32> = Vec::with_capacity(max_doc as usize);
    let mut offsets: Vec<u32> = Vec::with_capacity(max_doc as usize + 1);
    let mut ords: Vec<u32> = Vec::new();
    offsets.push(0);
    for d in 0..max_doc {
        let mut n = 0;
        for ord in col.ords().values_for_doc(d) {
            ords.push(u32::try_from(ord).unwrap_or(NONE));
            n += 1;
        }
        if n > 1 {
            single = false;
        }
        per_doc.push(if n == 0 { NONE } else { ords[ords.len() - n] });
        offsets.push(ords.len() as u32);
    }
    Ok(if single {
        FacetTable {
            values,
            offsets: Vec::new(),
            ords: per_doc,
        }
    } else {
        FacetTable {
            values,
            offsets,
            ords,
        }
    })
}

/// One dictionary per facet over a set of segments: global ordinal → value, sorted.
#[derive(Debug, Default)]
pub struct GlobalFacets {
    /// Per facet, global ordinal → value, sorted.
    pub values: Vec<Vec<String>>,
}

/// A warmed segment: its tables and, per facet, its ordinals' global ordinals in `global`.
#[derive(Debug)]
pub struct WarmSegment {
    /// The segment's own facet tables.
    pub tables: Arc<SegmentFacetTables>,
    /// Per facet, the segment's ordinal → global ordinal.
    pub to_global: Vec<Vec<u32>>,
    /// The dictionaries shared by every segment warmed together.
    pub global: Arc<GlobalFacets>,
}

impl WarmSegment {
    /// A flat counter array of this segment (see [`DocCounters`]) cut into each facet's counts,
    /// then the year slots.
    pub fn parts<'a, T>(&self, counts: &'a [T]) -> Vec<&'a [T]> {
        self.tables
            .counters
            .bases
            .windows(2)
            .map(|w| counts.get(w[0]..w[1]).unwrap_or_default())
            .collect()
    }
}

/// Every counter a document increments, laid out for counting many documents fast. The counters
/// form one flat array: each facet's counts (facet `f` at `bases[f]` + ordinal), then the year
/// slots (at `bases[facets]`: slot 0 undated, slot `1 + y - first_year` year `y`, only the
/// segment's span of years).
///
/// Most facets have few values, and documents share a handful of combinations of them (one
/// volume, its years, a few kinds, types, classifications…). Such a combination is a *profile*:
/// a matching document adds one to its profile's count, and each profile's count is added to
/// its counters once, at the end. The other counters (people, senders, recipients: values that
/// combine without end) are listed per document: `slots[offsets[d]..offsets[d+1]]`. Counting a
/// document is one increment plus a short run, instead of one increment per facet.
#[derive(Debug, Clone, Default)]
pub struct DocCounters {
    /// Each document's profile (fewer than [`MAX_PROFILES`], so two bytes).
    pub profile_of: Vec<u16>,
    /// Profile `p` stands for the counters `profile_slots[profile_offsets[p]..profile_offsets[p+1]]`.
    pub profile_offsets: Vec<u32>,
    /// The counters of every profile, concatenated.
    pub profile_slots: Vec<u32>,
    /// Document `d`'s own counters are `slots[offsets[d]..offsets[d+1]]`.
    pub offsets: Vec<u32>,
    /// The counters of documents, outside their profiles.
    pub slots: Slots,
    /// Start of each facet's counts, then of the years; the last entry is the total size.
    pub bases: Vec<usize>,
    /// The year of year slot 1.
    pub first_year: u16,
}

/// Counter indexes, two bytes each when the segment has few enough counters (half the memory
/// read per counted document), else four.
#[derive(Debug, Clone)]
pub enum Slots {
    /// Two bytes a counter.
    Narrow(Vec<u16>),
    /// Four bytes a counter.
    Wide(Vec<u32>),
}

impl Default for Slots {
    fn default() -> Self {
        Slots::Narrow(Vec::new())
    }
}

impl Slots {
    /// Two bytes each if every value fits, else four.
    fn of(values: Vec<u32>, size: usize) -> Slots {
        if size <= usize::from(u16::MAX) + 1 {
            Slots::Narrow(values.into_iter().map(|s| s as u16).collect())
        } else {
            Slots::Wide(values)
        }
    }
}

/// Facets of people's names: in a real volume nearly every document has its own combination of
/// them, so they are always counted per document. (The benchmark corpus repeats documents, and
/// would let them into profiles; leaving them out keeps its numbers true to the series.)
const NAMED_FACETS: &[&str] = &["from", "to", "person"];

/// The most profiles a segment gets: few enough that adding their counts up at the end costs
/// little next to counting the documents.
pub const MAX_PROFILES: usize = 4096;
const _: () = assert!(MAX_PROFILES <= u16::MAX as usize + 1);

impl DocCounters {
    /// The number of profiles.
    pub fn profiles(&self) -> usize {
        self.profile_offsets.len().saturating_sub(1)
    }

    /// Add the profiles' counts (`per_profile[p]` documents of profile `p`) to their counters.
    pub fn add_profiles(&self, per_profile: &[u32], counts: &mut [u32]) {
        for (p, &n) in per_profile.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let (Some(&a), Some(&b)) =
                (self.profile_offsets.get(p), self.profile_offsets.get(p + 1))
            else {
                continue;
            };
            for &slot in self
                .profile_slots
                .get(a as usize..b as usize)
                .unwrap_or_default()
            {
                if let Some(c) = counts.get_mut(slot as usize) {
                    *c += n;
                }
            }
        }
    }

    /// The year counted in year slot `slot` (`None`: slot 0, undated).
    pub fn year_of_slot(&self, slot: usize) -> Option<u64> {
        slot.checked_sub(1)
            .map(|offset| u64::from(self.first_year) + offset as u64)
    }

    /// The nonzero year counts of a flat counter array (see [`WarmSegment::parts`]) as
    /// `(year, count)`, `None` for undated.
    pub fn year_counts<'a>(
        &'a self,
        counts: &'a [u32],
    ) -> impl Iterator<Item = (Option<u64>, u64)> + 'a {
        let start = self
            .bases
            .len()
            .checked_sub(2)
            .and_then(|i| self.bases.get(i));
        let years = start.and_then(|&s| counts.get(s..)).unwrap_or_default();
        years
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(slot, &c)| (self.year_of_slot(slot), u64::from(c)))
    }

    /// Lay out the facets' ordinals and the years (0 = undated) of a segment's documents.
    pub fn of(facets: &[FacetTable], years: &[u16]) -> DocCounters {
        let mut bases = Vec::with_capacity(facets.len() + 2);
        let mut size = 0usize;
        for t in facets {
            bases.push(size);
            size += t.values.len();
        }
        bases.push(size);
        // Only the years present get a slot: a segment spans a century or so, and every search
        // zeroes and merges these counters.
        let dated = years.iter().copied().filter(|&y| y != 0);
        let first_year = dated.clone().min().unwrap_or(0);
        let span = dated
            .max()
            .map_or(0, |last| usize::from(last - first_year) + 1);
        let year_slots = 1 + span;
        bases.push(size + year_slots);
        let total = size + year_slots;
        let docs = years.len();

        // The counters of document `d` in facet `f` (the last "facet" is the year).
        let run = |f: usize, d: usize, out: &mut Vec<u32>| {
            let Some(t) = facets.get(f) else {
                let slot = match years.get(d) {
                    Some(&y) if y != 0 => 1 + usize::from(y - first_year),
                    _ => 0,
                };
                out.push((size + slot) as u32);
                return;
            };
            let ords = if t.is_single() {
                t.ords.get(d..d + 1).unwrap_or_default()
            } else {
                match (t.offsets.get(d), t.offsets.get(d + 1)) {
                    (Some(&a), Some(&b)) => t.ords.get(a as usize..b as usize).unwrap_or_default(),
                    _ => &[],
                }
            };
            let base = bases.get(f).copied().unwrap_or(0);
            for &ord in ords {
                if ord != NONE && (ord as usize) < t.values.len() {
                    out.push((base + ord as usize) as u32);
                }
            }
        };

        // Facets join the profile fewest values first, as long as the combinations stay few.
        // Names never do (see `NAMED_FACETS`).
        let limit = MAX_PROFILES.min(docs / 4).max(1);
        let mut order: Vec<usize> = (0..=facets.len())
            .filter(|&f| {
                KEYWORD_FACETS
                    .get(f)
                    .is_none_or(|(name, _)| !NAMED_FACETS.contains(name))
            })
            .collect();
        order.sort_by_key(|&f| facets.get(f).map_or(year_slots, |t| t.values.len()));
        let mut profile_of = vec![0u32; docs];
        let mut profiled = vec![false; facets.len() + 1];
        let mut buf = Vec::new();
        for f in order {
            let mut ids: HashMap<(u32, Vec<u32>), u32> = HashMap::new();
            let mut next = Vec::with_capacity(docs);
            for (d, &p) in profile_of.iter().enumerate() {
                buf.clear();
                run(f, d, &mut buf);
                let n = ids.len() as u32;
                next.push(*ids.entry((p, buf.clone())).or_insert(n));
                if ids.len() > limit {
                    break;
                }
            }
            if ids.len() <= limit && next.len() == docs {
                profile_of = next;
                profiled[f] = true;
            }
        }
        // Each profile's counters, from its first document.
        let profiles = profile_of
            .iter()
            .map(|&p| p as usize + 1)
            .max()
            .unwrap_or(0);
        let mut first: Vec<Option<usize>> = vec![None; profiles];
        for (d, &p) in profile_of.iter().enumerate() {
            if let Some(slot) = first.get_mut(p as usize) {
                slot.get_or_insert(d);
            }
        }
        let mut profile_offsets = Vec::with_capacity(profiles + 1);
        let mut profile_slots = Vec::new();
        profile_offsets.push(0u32);
        for d in first.into_iter().flatten() {
            for f in (0..=facets.len()).filter(|&f| profiled[f]) {
                run(f, d, &mut profile_slots);
            }
            profile_offsets.push(profile_slots.len() as u32);
        }

        let mut offsets = Vec::with_capacity(docs + 1);
        let mut slots: Vec<u32> = Vec::new();
        offsets.push(0u32);
        for d in 0..docs {
            for f in (0..=facets.len()).filter(|&f| !profiled[f]) {
                run(f, d, &mut slots);
            }
            offsets.push(slots.len() as u32);
        }
        DocCounters {
            profile_of: profile_of.into_iter().map(|p| p as u16).collect(),
            profile_offsets,
            profile_slots,
            offsets,
            slots: Slots::of(slots, total),
            bases,
            first_year,
        }
    }
}

/// Join the segments' dictionaries into global ones, and map each segment onto them.
pub fn globalise(segments: &[Arc<SegmentFacetTables>]) -> (Arc<GlobalFacets>, Vec<Vec<Vec<u32>>>) {
    let facets = segments.first().map_or(0, |t| t.values.len());
    let mut values: Vec<Vec<String>> = Vec::with_capacity(facets);
    let mut maps: Vec<Vec<Vec<u32>>> = vec![Vec::with_capacity(facets); segments.len()];
    for f in 0..facets {
        let mut all: Vec<&str> = segments
            .iter()
            .filter_map(|t| t.values.get(f))
            .flat_map(|v| v.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        let position: HashMap<&str, u32> = all
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, i as u32))
            .collect();
        for (segment, map) in segments.iter().zip(maps.iter_mut()) {
            map.push(
                segment
                    .values
                    .get(f)
                    .map(|values| {
                        values
                            .iter()
                            .map(|v| position.get(v.as_str()).copied().unwrap_or(NONE))
                            .collect()
                    })
                    .unwrap_or_default(),
            );
        }
        values.push(all.into_iter().map(str::to_string).collect());
    }
    (Arc::new(GlobalFacets { values }), maps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(values: usize) -> DocCounters {
        let single = FacetTable {
            values: (0..values).map(|i| format!("v{i}")).collect(),
            offsets: Vec::new(),
            ords: vec![0, NONE, (values - 1) as u32],
        };
        let multi = FacetTable {
            values: vec!["a".into(), "b".into()],
            offsets: vec![0, 2, 2, 3],
            ords: vec![0, 1, 1],
        };
        DocCounters::of(&[single, multi], &[1968, 0, 5000])
    }

    fn runs(c: &DocCounters) -> Vec<Vec<usize>> {
        let all: Vec<usize> = match &c.slots {
            Slots::Narrow(s) => s.iter().map(|&x| usize::from(x)).collect(),
            Slots::Wide(s) => s.iter().map(|&x| x as usize).collect(),
        };
        c.offsets
            .windows(2)
            .map(|w| all[w[0] as usize..w[1] as usize].to_vec())
            .collect()
    }

    #[test]
    fn each_document_lists_its_counters_narrow_or_wide() {
        for (values, narrow) in [(10, true), (70_000, false)] {
            let c = counters(values);
            assert_eq!(matches!(c.slots, Slots::Narrow(_)), narrow);
            // Years 1968 and 5000 (slots 1 and 3033), undated (slot 0).
            let years = values + 2;
            assert_eq!(c.bases, vec![0, values, values + 2, years + 1 + 3033]);
            assert_eq!(
                runs(&c),
                vec![
                    vec![0, values, values + 1, years + 1],
                    vec![years],
                    vec![values - 1, values + 1, years + 3033],
                ]
            );
            assert_eq!(c.first_year, 1968);
            assert_eq!(c.year_of_slot(0), None);
            assert_eq!(c.year_of_slot(1), Some(1968));
            assert_eq!(c.year_of_slot(3033), Some(5000));
            // Counting every document once: one each of 1968, undated and 5000.
            let mut counts = vec![0u32; *c.bases.last().unwrap()];
            for run in runs(&c) {
                for slot in run {
                    counts[slot] += 1;
                }
            }
            let mut years: Vec<(Option<u64>, u64)> = c.year_counts(&counts).collect();
            years.sort();
            assert_eq!(years, vec![(None, 1), (Some(1968), 1), (Some(5000), 1)]);
        }
    }

    /// Counting documents by profile plus per-document runs gives each counter exactly what
    /// counting every facet value of every document gives; names are never in a profile.
    #[test]
    fn profiles_count_what_the_values_count() {
        let docs = 400usize;
        // Pseudo-random but fixed: low-cardinality markings, and names that rarely repeat.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut facets = Vec::new();
        for (name, _) in KEYWORD_FACETS {
            let named = NAMED_FACETS.contains(name);
            let values = if named { 300 } else { 3 };
            let mut t = FacetTable {
                values: (0..values).map(|i| format!("{name}{i}")).collect(),
                ..FacetTable::default()
            };
            if named {
                t.offsets.push(0);
                for _ in 0..docs {
                    for _ in 0..next(4) {
                        t.ords.push(next(values as u64) as u32);
                    }
                    t.offsets.push(t.ords.len() as u32);
                }
            } else {
                t.ords = (0..docs)
                    .map(|_| match next(4) {
                        3 => NONE,
                        v => v as u32,
                    })
                    .collect();
            }
            facets.push(t);
        }
        let years: Vec<u16> = (0..docs)
            .map(|_| [0, 1961, 1962][next(3) as usize])
            .collect();
        let c = DocCounters::of(&facets, &years);
        assert!(
            c.profiles() > 1 && c.profiles() <= docs / 4,
            "{}",
            c.profiles()
        );
        let slot = |s: usize| match &c.slots {
            Slots::Narrow(v) => usize::from(v[s]),
            Slots::Wide(v) => v[s] as usize,
        };
        let profile = |d: usize| usize::from(c.profile_of[d]);
        // Names are counted per document, never by profile.
        let named: Vec<usize> = KEYWORD_FACETS
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| NAMED_FACETS.contains(name))
            .flat_map(|(f, _)| c.bases[f]..c.bases[f + 1])
            .collect();
        assert!(c
            .profile_slots
            .iter()
            .all(|&s| !named.contains(&(s as usize))));
        for subset in [1usize, 2, 3, 7] {
            let chosen: Vec<usize> = (0..docs).filter(|d| d % subset == 0).collect();
            let mut expected = vec![0u32; *c.bases.last().unwrap()];
            for &d in &chosen {
                for (f, t) in facets.iter().enumerate() {
                    let ords: Vec<u32> = if t.is_single() {
                        vec![t.ords[d]]
                    } else {
                        t.ords[t.offsets[d] as usize..t.offsets[d + 1] as usize].to_vec()
                    };
                    for ord in ords.into_iter().filter(|&o| o != NONE) {
                        expected[c.bases[f] + ord as usize] += 1;
                    }
                }
                let year_slot = match years[d] {
                    0 => 0,
                    y => 1 + usize::from(y - c.first_year),
                };
                expected[c.bases[facets.len()] + year_slot] += 1;
            }
            let mut counts = vec![0u32; expected.len()];
            let mut per_profile = vec![0u32; c.profiles()];
            for &d in &chosen {
                per_profile[profile(d)] += 1;
                for s in c.offsets[d] as usize..c.offsets[d + 1] as usize {
                    counts[slot(s)] += 1;
                }
            }
            c.add_profiles(&per_profile, &mut counts);
            assert_eq!(counts, expected, "every {subset}th document");
        }
    }
}
