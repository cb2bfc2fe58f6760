//! Per-segment facet tables for long-lived searchers (web server, benchmarks).
//!
//! Counting facets straight from tantivy's columns costs one column lookup per document and
//! facet. A segment is immutable, so its facet values can be unpacked once into plain arrays
//! (ordinals per document, dense for single-valued facets, offsets + values for multi-valued
//! ones); counting is then an array increment per value. [`crate::SearchIndex::warm`] builds them
//! for the current segments; searches use them when present and the columns otherwise.

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
    pub fn is_single(&self) -> bool {
        self.offsets.is_empty()
    }
}

/// Every facet of one segment, in [`KEYWORD_FACETS`] order, plus years (0 = undated).
#[derive(Debug, Clone, Default)]
pub struct SegmentFacetTables {
    pub facets: Vec<FacetTable>,
    pub years: Vec<u16>,
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
        let years = (0..max_doc)
            .map(|d| {
                year.as_ref()
                    .and_then(|c| c.first(d))
                    .and_then(|y| u16::try_from(y).ok())
                    .unwrap_or(0)
            })
            .collect();
        Ok(SegmentFacetTables { facets, years })
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
