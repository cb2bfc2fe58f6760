//! Exact facet counts over the whole result set, in the same pass as the search.
//!
//! Per segment, each keyword facet is a dictionary-encoded fast column: counting is an array
//! increment per (document, value) on the segment's term ordinals, and ordinals are turned into
//! strings once per segment at the end. Years come from a u64 column. Nothing is sampled.

use std::collections::{BTreeMap, HashMap};

use std::sync::Arc;

use chancery_index::facets::{GlobalFacets, Slots, WarmSegment};
use chancery_index::schema::KEYWORD_FACETS;
use chancery_index::tantivy::collector::{Collector, SegmentCollector};
use chancery_index::tantivy::columnar::{Column, StrColumn};
use chancery_index::tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use chancery_index::{SearchIndex, WarmTables};
use serde::{Deserialize, Serialize};

/// One value of a facet and how many results have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value, as the index stores it.
    pub value: String,
    /// Results that have it.
    pub count: u64,
}

/// The counts of one facet: by global ordinal (all segments warmed together), or by value.
#[derive(Debug, Clone)]
pub enum FacetValues {
    /// Counted with the warmed tables: counts by global ordinal.
    Global {
        /// The dictionaries the ordinals index.
        global: Arc<GlobalFacets>,
        /// Which facet of them.
        facet: usize,
        /// Count per global ordinal.
        counts: Vec<u64>,
    },
    /// Counted from the columns: value → count.
    Named(HashMap<String, u64>),
}

impl FacetValues {
    /// The `limit` largest counts, count descending then value; only these become strings.
    pub fn top(&self, limit: usize) -> Vec<FacetCount> {
        match self {
            FacetValues::Named(m) => {
                let mut v: Vec<FacetCount> = m
                    .iter()
                    .map(|(value, &count)| FacetCount {
                        value: value.clone(),
                        count,
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                v.truncate(limit);
                v
            }
            FacetValues::Global {
                global,
                facet,
                counts,
            } => {
                let Some(values) = global.values.get(*facet) else {
                    return Vec::new();
                };
                // Global ordinals are in value order, so ties break on the ordinal.
                let mut nonzero: Vec<(u64, usize)> = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(i, &c)| (c, i))
                    .collect();
                let order = |a: &(u64, usize), b: &(u64, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
                if nonzero.len() > limit && limit > 0 {
                    nonzero.select_nth_unstable_by(limit - 1, order);
                }
                nonzero.truncate(limit);
                nonzero.sort_unstable_by(order);
                nonzero
                    .into_iter()
                    .filter_map(|(count, i)| {
                        values.get(i).map(|v| FacetCount {
                            value: v.clone(),
                            count,
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Raw counts: facet name → counts; plus years and undated results.
#[derive(Debug, Clone, Default)]
pub struct FacetCounts {
    /// Facet name → its counts.
    pub fields: BTreeMap<String, FacetValues>,
    /// Year → results dated in it.
    pub years: BTreeMap<u64, u64>,
    /// The years to derive decades from, when they differ from `years` (a year or decade
    /// filter: each is counted without its own filter).
    pub decade_years: Option<BTreeMap<u64, u64>>,
    /// Results without a date.
    pub undated: u64,
}

impl FacetCounts {
    /// The top `limit` values of every facet (count descending, then value), with `year` in
    /// chronological order and `decade` derived from it (both complete).
    pub fn top(&self, limit: usize) -> BTreeMap<String, Vec<FacetCount>> {
        let mut out = BTreeMap::new();
        for (name, counts) in &self.fields {
            out.insert(name.clone(), counts.top(limit));
        }
        let mut decades: BTreeMap<u64, u64> = BTreeMap::new();
        for (&y, &c) in self.decade_years.as_ref().unwrap_or(&self.years) {
            *decades.entry(y / 10 * 10).or_default() += c;
        }
        let list = |m: &BTreeMap<u64, u64>, suffix: &str| -> Vec<FacetCount> {
            m.iter()
                .map(|(k, &count)| {
                    let mut value = k.to_string();
                    value.push_str(suffix);
                    FacetCount { value, count }
                })
                .collect()
        };
        out.insert("year".into(), list(&self.years, ""));
        out.insert("decade".into(), list(&decades, "s"));
        out
    }
}

/// Counts every keyword facet, year and undated flag of the matching documents: from the
/// index's unpacked facet tables where the segment was warmed, else from the columns.
pub struct FacetCollector {
    /// The warmed segments' tables when the search started.
    pub tables: Arc<WarmTables>,
}

impl FacetCollector {
    /// A collector over the index's tables as they are now.
    pub fn of(index: &SearchIndex) -> FacetCollector {
        FacetCollector {
            tables: index.warm_tables(),
        }
    }
}

/// A segment's counter: tables (warm) or columns (cold).
pub enum SegmentCounter {
    /// The segment was warmed: count with its tables.
    Tables(TableCounter),
    /// The segment is cold: read its columns.
    Columns(Box<SegmentFacets>),
}

/// Counts of a warmed segment, kept in its flat counter layout.
pub struct TableCounter {
    warm: Arc<WarmSegment>,
    /// Flat: every facet's counts, then the year slots (see `DocCounters`).
    counts: Vec<u32>,
    /// Matching documents per profile (see `DocCounters`), added to `counts` at the end.
    per_profile: Vec<u32>,
    /// Matching documents not yet counted: counted in batches, apart from the scoring loop.
    batch: Vec<DocId>,
}

/// Documents per counting batch.
const BATCH: usize = 1024;

/// One increment per document of its profile's count, and one per counter in the document's
/// run (`slots[offsets[d]..offsets[d + 1]]`).
#[inline]
fn count_runs<S: Copy>(
    (profile_of, per_profile): (&[u16], &mut [u32]),
    (offsets, slots): (&[u32], &[S]),
    docs: &[DocId],
    counts: &mut [u32],
    index: impl Fn(S) -> usize,
) {
    for &doc in docs {
        let d = doc as usize;
        if let Some(n) = profile_of
            .get(d)
            .and_then(|&p| per_profile.get_mut(usize::from(p)))
        {
            *n += 1;
        }
        if let (Some(&a), Some(&b)) = (offsets.get(d), offsets.get(d + 1)) {
            for &slot in slots.get(a as usize..b as usize).unwrap_or_default() {
                if let Some(n) = counts.get_mut(index(slot)) {
                    *n += 1;
                }
            }
        }
    }
}

/// Counts of a cold segment, read from its columns.
pub struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
    year: Option<Column<u64>>,
    years: HashMap<u64, u64>,
    undated: Option<Column<u64>>,
    undated_count: u64,
}

/// What one segment counted: by its ordinals (warm; mapped to global ones when merging) or with
/// ordinals already turned into strings (cold).
pub enum SegmentFruit {
    /// The segment's flat counter array as counted (facets, then years: see `DocCounters`).
    Warm {
        /// The segment counted.
        warm: Arc<WarmSegment>,
        /// Its flat counter array.
        counts: Vec<u32>,
    },
    /// Counted from the columns, ordinals already values.
    Named {
        /// Per facet, (value, count).
        fields: Vec<(String, Vec<(String, u64)>)>,
        /// Year → count.
        years: HashMap<u64, u64>,
        /// Results without a date.
        undated: u64,
    },
}

impl SegmentFruit {
    /// The cold form of a warm fruit (when it must merge with cold ones).
    fn named(self) -> SegmentFruit {
        let SegmentFruit::Warm { warm, counts } = self else {
            return self;
        };
        let parts = warm.parts(&counts);
        let mut fields = Vec::with_capacity(KEYWORD_FACETS.len());
        for (((name, _), table), counts) in
            KEYWORD_FACETS.iter().zip(&warm.tables.values).zip(&parts)
        {
            let table: &Vec<String> = table;
            let values = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .filter_map(|(ord, &c)| table.get(ord).map(|v| (v.clone(), u64::from(c))))
                .collect();
            fields.push(((*name).to_string(), values));
        }
        let mut years = HashMap::new();
        let mut undated = 0;
        for (year, c) in warm.tables.counters.year_counts(&counts) {
            match year {
                Some(y) => *years.entry(y).or_default() += c,
                None => undated += c,
            }
        }
        SegmentFruit::Named {
            fields,
            years,
            undated,
        }
    }
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> chancery_index::tantivy::Result<SegmentCounter> {
        if let Some(warm) = self.tables.get(&reader.segment_id()).cloned() {
            let size = warm.tables.counters.bases.last().copied().unwrap_or(0);
            let profiles = warm.tables.counters.profiles();
            return Ok(SegmentCounter::Tables(TableCounter {
                warm,
                counts: vec![0u32; size],
                per_profile: vec![0u32; profiles],
                batch: Vec::with_capacity(BATCH),
            }));
        }
        let ff = reader.fast_fields();
        let mut columns = Vec::with_capacity(KEYWORD_FACETS.len());
        let mut counts = Vec::with_capacity(KEYWORD_FACETS.len());
        for (_, field) in KEYWORD_FACETS {
            let col = ff.str(field)?;
            counts.push(vec![0u32; col.as_ref().map(|c| c.num_terms()).unwrap_or(0)]);
            columns.push(col);
        }
        Ok(SegmentCounter::Columns(Box::new(SegmentFacets {
            columns,
            counts,
            year: ff.u64("year").ok(),
            years: HashMap::new(),
            undated: ff.u64("undated").ok(),
            undated_count: 0,
        })))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<SegmentFruit>,
    ) -> chancery_index::tantivy::Result<FacetCounts> {
        let mut out = FacetCounts::default();
        // All warm, against one set of global dictionaries: merge as arrays.
        let shared = match fruits.first() {
            Some(SegmentFruit::Warm { warm, .. }) => Some(Arc::clone(&warm.global)),
            _ => None,
        };
        if let Some(global) = shared.filter(|g| {
            fruits.iter().all(
                |f| matches!(f, SegmentFruit::Warm { warm, .. } if Arc::ptr_eq(&warm.global, g)),
            )
        }) {
            let mut totals: Vec<Vec<u64>> =
                global.values.iter().map(|v| vec![0u64; v.len()]).collect();
            for fruit in fruits {
                let SegmentFruit::Warm { warm, counts } = fruit else {
                    continue;
                };
                for ((total, counts), map) in totals
                    .iter_mut()
                    .zip(warm.parts(&counts))
                    .zip(&warm.to_global)
                {
                    for (ord, &c) in counts.iter().enumerate() {
                        if c > 0 {
                            if let Some(slot) =
                                map.get(ord).and_then(|&g| total.get_mut(g as usize))
                            {
                                *slot += u64::from(c);
                            }
                        }
                    }
                }
                for (year, c) in warm.tables.counters.year_counts(&counts) {
                    match year {
                        Some(y) => *out.years.entry(y).or_default() += c,
                        None => out.undated += c,
                    }
                }
            }
            for (facet, ((name, _), counts)) in KEYWORD_FACETS.iter().zip(totals).enumerate() {
                out.fields.insert(
                    (*name).to_string(),
                    FacetValues::Global {
                        global: Arc::clone(&global),
                        facet,
                        counts,
                    },
                );
            }
            return Ok(out);
        }

        let mut named: BTreeMap<String, HashMap<String, u64>> = KEYWORD_FACETS
            .iter()
            .map(|(name, _)| ((*name).to_string(), HashMap::new()))
            .collect();
        for fruit in fruits {
            let SegmentFruit::Named {
                fields,
                years,
                undated,
            } = fruit.named()
            else {
                continue;
            };
            for (name, values) in fields {
                let slot = named.entry(name).or_default();
                for (value, count) in values {
                    *slot.entry(value).or_default() += count;
                }
            }
            for (y, c) in years {
                *out.years.entry(y).or_default() += c;
            }
            out.undated += undated;
        }
        out.fields = named
            .into_iter()
            .map(|(k, v)| (k, FacetValues::Named(v)))
            .collect();
        Ok(out)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        match self {
            SegmentCounter::Tables(t) => t.collect(doc),
            SegmentCounter::Columns(c) => c.collect(doc, score),
        }
    }

    fn harvest(self) -> SegmentFruit {
        match self {
            SegmentCounter::Tables(t) => t.harvest(),
            SegmentCounter::Columns(c) => c.harvest(),
        }
    }
}

impl TableCounter {
    #[inline]
    fn collect(&mut self, doc: DocId) {
        self.batch.push(doc);
        if self.batch.len() >= BATCH {
            self.count_batch();
        }
    }

    fn count_batch(&mut self) {
        let c = &self.warm.tables.counters;
        let (docs, counts, per_profile) = (&self.batch, &mut self.counts, &mut self.per_profile);
        let profiles = (c.profile_of.as_slice(), per_profile.as_mut_slice());
        match &c.slots {
            Slots::Narrow(s) => count_runs(profiles, (&c.offsets, s), docs, counts, usize::from),
            Slots::Wide(s) => count_runs(profiles, (&c.offsets, s), docs, counts, |s| s as usize),
        }
        self.batch.clear();
    }

    fn harvest(mut self) -> SegmentFruit {
        self.count_batch();
        self.warm
            .tables
            .counters
            .add_profiles(&self.per_profile, &mut self.counts);
        SegmentFruit::Warm {
            counts: self.counts,
            warm: self.warm,
        }
    }
}

impl SegmentFacets {
    fn collect(&mut self, doc: DocId, _score: Score) {
        for (col, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(col) = col {
                for ord in col.ords().values_for_doc(doc) {
                    if let Some(c) = counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some(y) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.years.entry(y).or_default() += 1;
        }
        if self.undated.as_ref().and_then(|c| c.first(doc)) == Some(1) {
            self.undated_count += 1;
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut fields = Vec::with_capacity(self.columns.len());
        for (((name, _), col), counts) in KEYWORD_FACETS.iter().zip(&self.columns).zip(&self.counts)
        {
            let mut values = Vec::new();
            if let Some(col) = col {
                let mut buf = String::new();
                for (ord, &count) in counts.iter().enumerate() {
                    if count > 0 {
                        buf.clear();
                        if col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                            values.push((buf.clone(), u64::from(count)));
                        }
                    }
                }
            }
            fields.push(((*name).to_string(), values));
        }
        SegmentFruit::Named {
            fields,
            years: self.years,
            undated: self.undated_count,
        }
    }
}
