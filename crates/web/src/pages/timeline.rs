//! `/timeline`: documents per year, month or day as a server-rendered SVG bar chart whose bars
//! drill down (`?at=1968` → months, `?at=1968-10` → days, `?at=1968-10-02` → that day), with
//! the documents of the chosen month or day listed below.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use maud::html;

use chancery_model::date::{days_in_month, month_abbreviation};
use chancery_store::{Archive, DateBucket};

use super::{cached, query_pairs, Page};
use crate::html::{doc_url, page as layout, Crumb};
use crate::{AppError, AppState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    All,
    Year(u32),
    Month(u32, u32),
    Day(u32, u32, u32),
}

/// Documents listed below the chart at most.
const LIST_LIMIT: usize = 500;

impl Level {
    pub fn parse(at: Option<&str>) -> Result<Level, AppError> {
        let Some(at) = at else { return Ok(Level::All) };
        let bad = || {
            AppError::bad(
                "at",
                format!("{at:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
            )
        };
        let parts: Vec<&str> = at.split('-').collect();
        let num = |s: &str, len: usize, lo: u32, hi: u32| -> Result<u32, AppError> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<u32>()
                .ok()
                .filter(|n| (lo..=hi).contains(n))
                .ok_or_else(bad)
        };
        Ok(match parts.as_slice() {
            [y] => Level::Year(num(y, 4, 1000, 9999)?),
            [y, m] => Level::Month(num(y, 4, 1000, 9999)?, num(m, 2, 1, 12)?),
            [y, m, d] => {
                let (y, m, d) = (num(y, 4, 1000, 9999)?, num(m, 2, 1, 12)?, num(d, 2, 1, 31)?);
                // A day its month has: 1968-02-30 is refused like any other non-date.
                i32::try_from(y)
                    .ok()
                    .and_then(|year| {
                        chancery_model::date::CalendarDate::new(year, Some(m), Some(d))
                    })
                    .ok_or_else(bad)?;
                Level::Day(y, m, d)
            }
            _ => return Err(bad()),
        })
    }

    /// The `substr(date_min, 1, n)` prefix selecting this level, and its length.
    fn prefix(&self) -> Option<String> {
        match self {
            Level::All => None,
            Level::Year(y) => Some(format!("{y:04}")),
            Level::Month(y, m) => Some(format!("{y:04}-{m:02}")),
            Level::Day(y, m, d) => Some(format!("{y:04}-{m:02}-{d:02}")),
        }
    }
}

/// "Oct": a month's label on the chart and in the breadcrumbs.
fn month_label(month: u32) -> &'static str {
    month_abbreviation(month).unwrap_or_default()
}

/// One bar: label, count, and the `at` value it drills into.
struct Bar {
    label: String,
    count: u64,
    at: String,
}

fn counts(archive: &Archive, level: &Level) -> Result<Vec<(String, u64)>, AppError> {
    let rows = match level {
        Level::All => archive.date_counts(DateBucket::Year, None)?,
        Level::Year(_) => archive.date_counts(DateBucket::Month, level.prefix().as_deref())?,
        Level::Month(..) | Level::Day(..) => {
            let month: Option<String> = level.prefix().map(|p| p.chars().take(7).collect());
            archive.date_counts(DateBucket::Day, month.as_deref())?
        }
    };
    Ok(rows)
}

fn bars(level: &Level, counts: &[(String, u64)]) -> Vec<Bar> {
    let get = |k: &str| {
        counts
            .iter()
            .find(|(x, _)| x == k)
            .map(|c| c.1)
            .unwrap_or(0)
    };
    match level {
        Level::All => {
            let years: Vec<u32> = counts.iter().filter_map(|(y, _)| y.parse().ok()).collect();
            let (Some(&lo), Some(&hi)) = (years.iter().min(), years.iter().max()) else {
                return Vec::new();
            };
            (lo..=hi)
                .map(|y| {
                    let k = format!("{y:04}");
                    Bar {
                        label: k.clone(),
                        count: get(&k),
                        at: k,
                    }
                })
                .collect()
        }
        Level::Year(y) => (1..=12)
            .map(|m| {
                let k = format!("{y:04}-{m:02}");
                Bar {
                    label: month_label(m).to_string(),
                    count: get(&k),
                    at: k,
                }
            })
            .collect(),
        Level::Month(y, m) | Level::Day(y, m, _) => (1..=days_in_month(i64::from(*y), *m))
            .map(|d| {
                let k = format!("{y:04}-{m:02}-{d:02}");
                Bar {
                    label: d.to_string(),
                    count: get(&k),
                    at: k,
                }
            })
            .collect(),
    }
}

fn chart(bars: &[Bar], selected: Option<&str>) -> maud::Markup {
    const W: f64 = 960.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 28.0;
    const TOP: f64 = 12.0;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as f64;
    let slot = (W - LEFT - 10.0) / n;
    let bar_w = (slot * 0.8).max(1.0);
    let label_every = ((n / 24.0).ceil() as usize).max(1);
    let plot_h = H - TOP - BOTTOM;
    let y_of = |c: u64| TOP + plot_h - plot_h * (c as f64) / (max as f64);
    html! {
        svg.chart viewBox={ "0 0 " (W) " " (H) } role="img" aria-label="Documents over time" xmlns="http://www.w3.org/2000/svg" {
            line.axis x1=(LEFT) y1=(TOP + plot_h) x2=(W - 5.0) y2=(TOP + plot_h) {}
            text x=(LEFT - 6.0) y=(TOP + 8.0) text-anchor="end" { (max) }
            text x=(LEFT - 6.0) y=(TOP + plot_h) text-anchor="end" { "0" }
            @for (i, b) in bars.iter().enumerate() {
                @let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                @if b.count > 0 {
                    a href={ "/timeline?at=" (b.at) } {
                        rect.bar.selected[selected == Some(b.at.as_str())] x=(format!("{x:.1}")) y=(format!("{:.1}", y_of(b.count))) width=(format!("{bar_w:.1}"))
                            height=(format!("{:.1}", TOP + plot_h - y_of(b.count)))
                            {
                            title { (b.at) ": " (crate::html::count(b.count, "document", "documents")) }
                        }
                    }
                }
                @if i % label_every == 0 {
                    text x=(format!("{:.1}", x + bar_w / 2.0)) y=(H - 10.0) text-anchor="middle" { (b.label) }
                }
            }
        }
    }
}

/// `/timeline?at=…`.
pub async fn timeline(State(state): State<Arc<AppState>>, uri: Uri) -> Page {
    let pairs = query_pairs(&uri)?;
    let mut sel: Option<String> = None;
    for (k, v) in &pairs {
        if k == "at" && !v.is_empty() {
            sel = Some(v.clone());
        }
    }
    let level = Level::parse(sel.as_deref())?;
    let body = state
        .pool
        .run(move |_, archive| page(archive, &level))
        .await?;
    Ok(cached(body))
}

fn page(archive: &Archive, level: &Level) -> Result<String, AppError> {
    let counts = counts(archive, level)?;
    let bars = bars(level, &counts);
    let total: u64 = counts.iter().map(|c| c.1).sum();
    let undated: u64 = archive.undated_count()?;
    let list_prefix = match level {
        Level::Month(..) | Level::Day(..) => level.prefix(),
        _ => None,
    };
    let docs: Vec<(String, String, String, Option<String>)> = match &list_prefix {
        Some(p) => archive
            .documents_dated(p, LIST_LIMIT)?
            .into_iter()
            .map(|d| (d.volume, d.id, d.heading, d.date_text))
            .collect(),
        None => Vec::new(),
    };
    let mut crumbs = vec![Crumb::link("Home", "/")];
    let (heading, selected) = match level {
        Level::All => {
            crumbs.push(Crumb::here("Timeline"));
            ("Documents by year".to_string(), None)
        }
        Level::Year(y) => {
            crumbs.push(Crumb::link("Timeline", "/timeline"));
            crumbs.push(Crumb::here(y.to_string()));
            (format!("Documents by month, {y}"), None)
        }
        Level::Month(y, m) => {
            crumbs.push(Crumb::link("Timeline", "/timeline"));
            crumbs.push(Crumb::link(y.to_string(), format!("/timeline?at={y:04}")));
            crumbs.push(Crumb::here(month_label(*m)));
            (format!("Documents by day, {} {y}", month_label(*m)), None)
        }
        Level::Day(y, m, d) => {
            crumbs.push(Crumb::link("Timeline", "/timeline"));
            crumbs.push(Crumb::link(y.to_string(), format!("/timeline?at={y:04}")));
            crumbs.push(Crumb::link(
                month_label(*m),
                format!("/timeline?at={y:04}-{m:02}"),
            ));
            crumbs.push(Crumb::here(d.to_string()));
            (format!("{d} {} {y}", month_label(*m)), level.prefix())
        }
    };
    Ok(layout(
        "Timeline",
        html! {},
        &crumbs,
        html! {
            h1.page { (heading) }
            p.meta {
                (crate::html::count(total, "dated document", "dated documents"))
                @if *level == Level::All { " · " (undated) " undated" }
                " · click a bar to go down a level."
            }
            @if bars.is_empty() { p { "No dated documents." } } @else { (chart(&bars, selected.as_deref())) }
            @if list_prefix.is_some() {
                h2 { (crate::html::count(docs.len() as u64, "document", "documents")) @if docs.len() >= LIST_LIMIT { " (first " (LIST_LIMIT) ")" } }
                table.list {
                    tbody {
                        @for (v, d, h, dt) in &docs {
                            tr { td { (dt.as_deref().unwrap_or("")) } td { a href=(doc_url(v, d)) { (h) } } td.meta { (v) } }
                        }
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(Level::parse(None).ok(), Some(Level::All));
        assert_eq!(
            Level::parse(Some("1968-10")).ok(),
            Some(Level::Month(1968, 10))
        );
        assert!(Level::parse(Some("1968-13")).is_err());
        assert!(Level::parse(Some("x")).is_err());
        assert_eq!(month_label(10), "Oct");
    }
}
