//! Persons and terms lists: a volume's own, and the terms of every volume together.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::State;
use maud::html;

use chancery_store::{Archive, GlossaryKind};

use super::{cached, volume_crumbs, Page};
use crate::html::{count, page, person_url, volume_url, Crumb};
use crate::pool::VolumeInfo;
use crate::{AppError, AppState};

/// Mention counts per glossary entry of one volume.
fn mention_counts(
    archive: &Archive,
    vid: &str,
    kind: GlossaryKind,
) -> Result<HashMap<String, u64>, AppError> {
    Ok(archive.mention_counts(vid, kind)?)
}

pub(super) fn glossary_page(
    archive: &Archive,
    info: &VolumeInfo,
    persons: bool,
) -> Result<String, AppError> {
    let vid = info.volume.id.as_str();
    let (entries, title, kind) = if persons {
        (&info.volume.persons, "Persons", GlossaryKind::Person)
    } else {
        (
            &info.volume.terms,
            "Abbreviations and Terms",
            GlossaryKind::Term,
        )
    };
    let counts = mention_counts(archive, vid, kind)?;
    let mut crumbs = volume_crumbs(info);
    crumbs.push(Crumb::here(title));
    Ok(page(
        &format!("{title} — {}", info.title()),
        html! {},
        &crumbs,
        html! {
            h1.page { (title) }
            p.meta { (info.title()) " · " (count(entries.len() as u64, "entry", "entries")) }
            @if entries.is_empty() {
                p { "This volume has no " (title.to_lowercase()) " list in the archive." }
            }
            dl.glossary {
                @for e in entries {
                    dt id=(e.id) {
                        @if persons { a href=(person_url(vid, &e.id)) { (e.name) } } @else { (e.name) }
                        @if let Some(n) = counts.get(&e.id) { " " span.meta { "(" (count(*n, "document", "documents")) ")" } }
                    }
                    dd { (e.description.trim().trim_start_matches(',').trim()) }
                }
            }
        },
    ))
}

pub async fn all_terms(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let rows: Vec<(String, String, String, String)> = archive
                .all_terms()?
                .into_iter()
                .map(|t| (t.name, t.description, t.volume, t.id))
                .collect();
            // Group identical names: one term, its expansions, the volumes that list it.
            let mut grouped: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
            for (name, desc, vol, id) in rows {
                grouped.entry(name).or_default().push((desc, vol, id));
            }
            Ok(page(
                "Abbreviations and Terms",
                html! {},
                &[Crumb::link("Home", "/"), Crumb::here("Terms")],
                html! {
                    h1.page { "Abbreviations and Terms" }
                    p.meta { (count(grouped.len() as u64, "term", "terms")) " from the volumes' lists." }
                    dl.glossary {
                        @for (name, entries) in &grouped {
                            dt { (name) }
                            @for (desc, vol, id) in entries {
                                dd { (desc.trim().trim_start_matches(',').trim()) " " span.meta { "— " a href={ (volume_url(vol)) "/terms#" (id) } { (vol) } } }
                            }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}
