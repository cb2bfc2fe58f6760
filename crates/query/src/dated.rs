//! The request's date interval, applied while collecting rather than as a query clause.
//!
//! As a clause, a date interval is two range queries on the date columns intersected with the
//! rest, and the "N undated" count the response owes needs a second search of its own. Here
//! one pass over the documents matching everything else looks up each one's interval (two
//! column reads), passes the ones inside the interval on, and counts the undated ones it
//! holds back: the same documents and the same count, for one search instead of two.

use chancery_index::tantivy::collector::{Collector, SegmentCollector};
use chancery_index::tantivy::columnar::Column;
use chancery_index::tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::compile::DateMode;

/// `inner`, over the documents whose date interval passes the request's (all documents when
/// there is none); the fruit also counts the undated documents held back.
pub(crate) struct Dated<C> {
    pub inner: C,
    /// Inclusive UTC seconds, `i64::MIN` / `i64::MAX` for open ends.
    pub window: Option<(i64, i64)>,
    pub mode: DateMode,
}

/// `inner` within the request's date interval `window` (if any).
pub(crate) fn dated<C>(inner: C, window: Option<(i64, i64)>, mode: DateMode) -> Dated<C> {
    Dated {
        inner,
        window,
        mode,
    }
}

pub(crate) struct DatedSegment<S> {
    inner: S,
    test: Option<Test>,
    undated: u64,
}

struct Test {
    /// `date_min`, or `i64::MAX` for undated documents (the ascending sort key: every
    /// document has one).
    min: Column<i64>,
    /// `date_max` (dated documents only).
    max: Column<i64>,
    from: i64,
    to: i64,
    mode: DateMode,
}

/// Whether a document is undated, or passes the window.
enum Verdict {
    Undated,
    Pass(bool),
}

impl Test {
    #[inline]
    fn verdict(&self, doc: DocId) -> Verdict {
        let min = self.min.first(doc).unwrap_or(i64::MAX);
        if min == i64::MAX {
            return Verdict::Undated;
        }
        let Some(max) = self.max.first(doc) else {
            return Verdict::Undated;
        };
        Verdict::Pass(match self.mode {
            DateMode::Overlap => min <= self.to && max >= self.from,
            DateMode::Within => min >= self.from && max <= self.to,
        })
    }
}

impl<C: Collector> Collector for Dated<C> {
    type Fruit = (C::Fruit, u64);
    type Child = DatedSegment<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> chancery_index::tantivy::Result<Self::Child> {
        let test = match self.window {
            Some((from, to)) => {
                let ff = reader.fast_fields();
                Some(Test {
                    min: ff.i64("sort_asc")?,
                    max: ff.i64("date_max")?,
                    from,
                    to,
                    mode: self.mode,
                })
            }
            None => None,
        };
        Ok(DatedSegment {
            inner: self.inner.for_segment(segment, reader)?,
            test,
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> chancery_index::tantivy::Result<Self::Fruit> {
        let undated = fruits.iter().map(|(_, u)| u).sum();
        let inner = self
            .inner
            .merge_fruits(fruits.into_iter().map(|(f, _)| f).collect())?;
        Ok((inner, undated))
    }
}

impl<S: SegmentCollector> SegmentCollector for DatedSegment<S> {
    type Fruit = (S::Fruit, u64);

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        match self.test.as_ref().map(|t| t.verdict(doc)) {
            None | Some(Verdict::Pass(true)) => self.inner.collect(doc, score),
            Some(Verdict::Pass(false)) => {}
            Some(Verdict::Undated) => self.undated += 1,
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.inner.harvest(), self.undated)
    }
}
