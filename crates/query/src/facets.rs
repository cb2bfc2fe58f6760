//! Exact facet counts over the whole result set, in the same pass as the search.
//!
//! Per segment, each keyword facet is a dictionary-encoded fast column: counting is an array
//! increment per (document, value) on the segment's term ordinals, and ordinals are turned into
//! strings once per segment at the end. Years come from a u64 column. Nothing is sampled.

use std::collections::{BTreeMap, HashMap};

use std::sync::Arc;

use chancery_index::facets::SegmentFacetTables;
use chancery_index::schema::KEYWORD_FACETS;
use chancery_index::tantivy::collector::{Collector, SegmentCollector};
use chancery_index::tantivy::columnar::{Column, StrColumn};
use chancery_index::tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use chancery_index::SearchIndex;
use serde::{Deserialize, Serialize};

/// One value of a facet and how many results have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Raw counts: facet name → value → count; plus years and undated results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub fields: BTreeMap<String, HashMap<String, u64>>,
    pub years: BTreeMap<u64, u64>,
    /// The years to derive decades from, when they differ from `years` (a year or decade
    /// filter: each is counted without its own filter).
    pub decade_years: Option<BTreeMap<u64, u64>>,
    pub undated: u64,
}

impl FacetCounts {
    /// The top `limit` values of every facet (count descending, then value), with `year` in
    /// chronological order and `decade` derived from it (both complete).
    pub fn top(&self, limit: usize) -> BTreeMap<String, Vec<FacetCount>> {
        let mut out = BTreeMap::new();
        for (name, counts) in &self.fields {
            let mut v: Vec<FacetCount> = counts
                .iter()
                .map(|(value, &count)| FacetCount {
                    value: value.clone(),
                    count,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v.truncate(limit);
            out.insert(name.clone(), v);
        }
        let mut decades: BTreeMap<u64, u64> = BTreeMap::new();
        for (&y, &c) in self.decade_years.as_ref().unwrap_or(&self.years) {
            *decades.entry(y / 10 * 10).or_default() += c;
        }
        let list = |m: &BTreeMap<u64, u64>, suffix: &str| -> Vec<FacetCount> {
            m.iter()
                .map(|(k, &count)| FacetCount {
                    value: format!("{k}{suffix}"),
                    count,
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
pub struct FacetCollector<'a> {
    pub index: &'a SearchIndex,
}

/// A segment's counter: tables (warm) or columns (cold).
pub enum SegmentCounter {
    Tables(TableCounter),
    Columns(Box<SegmentFacets>),
}

pub struct TableCounter {
    tables: Arc<SegmentFacetTables>,
    counts: Vec<Vec<u32>>,
    years: Vec<u32>,
}

pub struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
    year: Option<Column<u64>>,
    years: HashMap<u64, u64>,
    undated: Option<Column<u64>>,
    undated_count: u64,
}

/// What one segment counted, with ordinals already turned into strings.
pub struct SegmentFruit {
    fields: Vec<(String, Vec<(String, u64)>)>,
    years: HashMap<u64, u64>,
    undated: u64,
}

impl Collector for FacetCollector<'_> {
    type Fruit = FacetCounts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> chancery_index::tantivy::Result<SegmentCounter> {
        if let Some(tables) = self.index.facet_tables(reader.segment_id()) {
            let counts = tables
                .facets
                .iter()
                .map(|t| vec![0u32; t.values.len()])
                .collect();
            return Ok(SegmentCounter::Tables(TableCounter {
                tables,
                counts,
                years: vec![0u32; YEARS],
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
        for (name, _) in KEYWORD_FACETS {
            out.fields.insert((*name).to_string(), HashMap::new());
        }
        for fruit in fruits {
            for (name, values) in fruit.fields {
                let slot = out.fields.entry(name).or_default();
                for (value, count) in values {
                    *slot.entry(value).or_default() += count;
                }
            }
            for (y, c) in fruit.years {
                *out.years.entry(y).or_default() += c;
            }
            out.undated += fruit.undated;
        }
        Ok(out)
    }
}

/// Years counted by the table counter (index = year; 0 = undated; later years clamp to the
/// last slot, which no FRUS document reaches).
const YEARS: usize = 4096;

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
        let d = doc as usize;
        for (table, counts) in self.tables.facets.iter().zip(self.counts.iter_mut()) {
            if table.is_single() {
                if let Some(&ord) = table.ords.get(d) {
                    if let Some(c) = counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            } else if let (Some(&a), Some(&b)) = (table.offsets.get(d), table.offsets.get(d + 1)) {
                for &ord in table.ords.get(a as usize..b as usize).unwrap_or_default() {
                    if let Some(c) = counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some(&y) = self.tables.years.get(d) {
            let slot = (y as usize).min(YEARS - 1);
            self.years[slot] += 1;
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut fields = Vec::with_capacity(self.counts.len());
        for (((name, _), table), counts) in KEYWORD_FACETS
            .iter()
            .zip(&self.tables.facets)
            .zip(&self.counts)
        {
            let values = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .filter_map(|(ord, &c)| table.values.get(ord).map(|v| (v.clone(), u64::from(c))))
                .collect();
            fields.push(((*name).to_string(), values));
        }
        let years = self
            .years
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, &c)| c > 0)
            .map(|(y, &c)| (y as u64, u64::from(c)))
            .collect();
        SegmentFruit {
            fields,
            years,
            undated: u64::from(self.years[0]),
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
        SegmentFruit {
            fields,
            years: self.years,
            undated: self.undated_count,
        }
    }
}
