//! People: the persons lists of the volumes and the page of one person.

use std::sync::Arc;

use axum::extract::{Path, State};
use maud::html;

use chancery_store::Archive;

use super::{cached, volume_or_404, Page};
use crate::error::check_id;
use crate::html::{count, doc_url, page, volume_url, Crumb};
use crate::pool::Pool;
use crate::{AppError, AppState};

pub async fn people_index(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let rows: Vec<(String, Option<String>, u64)> = archive
                .persons_lists()?
                .into_iter()
                .map(|l| (l.volume, l.title, l.persons))
                .collect();
            Ok(page(
                "People",
                html! {},
                &[Crumb::link("Home", "/"), Crumb::here("People")],
                html! {
                    h1.page { "People" }
                    p.meta { "Persons lists of the volumes. Person pages are per volume (" code { "/people/{volume}:{id}" } ") until a series-wide authority exists." }
                    ul {
                        @for (id, title, n) in &rows {
                            li { a href={ (volume_url(id)) "/persons" } { (title.as_deref().unwrap_or(id)) } " " span.meta { "(" (count(*n, "person", "persons")) ")" } }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

/// (volume, doc id, heading, date text, day, mentions)
pub(crate) type PersonDoc = (String, String, String, Option<String>, Option<String>, u64);

/// The person behind `/people/{volume}:{p_id}`.
pub(crate) struct PersonData {
    pub volume: String,
    pub entry: chancery_model::GlossaryEntry,
    pub volume_title: String,
    /// (volume, doc id, heading, date text, day, mentions)
    pub documents: Vec<PersonDoc>,
}

pub(crate) fn person_data(
    pool: &Pool,
    archive: &Archive,
    key: &str,
) -> Result<PersonData, AppError> {
    let Some((vid, pid)) = key.split_once(':') else {
        return Err(AppError::NotFound(format!(
            "no person {key}: person ids have the form VOLUME:ID, e.g. frus1964-68v07:p_HWA1"
        )));
    };
    check_id("person", vid)?;
    check_id("person", pid)?;
    let info = volume_or_404(pool, archive, vid)?;
    let Some(entry) = info.persons.get(pid).cloned() else {
        return Err(AppError::NotFound(format!("no person {pid} in {vid}")));
    };
    let documents = archive
        .documents_mentioning(vid, pid)?
        .into_iter()
        .map(|d| (d.volume, d.id, d.heading, d.date_text, d.day, d.mentions))
        .collect();
    Ok(PersonData {
        volume: vid.to_string(),
        volume_title: info.title(),
        entry,
        documents,
    })
}

pub async fn person(State(state): State<Arc<AppState>>, Path(key): Path<String>) -> Page {
    let body = state
        .pool
        .run(move |pool, archive| {
            let p = person_data(pool, archive, &key)?;
            Ok(page(
                &p.entry.name,
                html! {},
                &[
                    Crumb::link("Home", "/"),
                    Crumb::link("People", "/people"),
                    Crumb::link(p.volume.clone(), format!("{}/persons", volume_url(&p.volume))),
                    Crumb::here(p.entry.name.clone()),
                ],
                html! {
                    h1.page { (p.entry.name) }
                    p { (p.entry.description.trim().trim_start_matches(',').trim()) }
                    p.meta { "From the persons list of " a href={ (volume_url(&p.volume)) "/persons#" (p.entry.id) } { (p.volume_title) } "." }
                    h2 { "Documents, by date (" (p.documents.len()) ")" }
                    table.list {
                        thead { tr { th { "Date" } th { "Document" } th { "Mentions" } } }
                        tbody {
                            @for (v, d, heading, date_text, day, n) in &p.documents {
                                tr {
                                    td { (day.as_deref().or(date_text.as_deref()).unwrap_or("undated")) }
                                    td { a href=(doc_url(v, d)) { (heading) } }
                                    td { (n) }
                                }
                            }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}
