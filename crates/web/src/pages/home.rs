//! The home page and the list of volumes.

use std::sync::Arc;

use axum::extract::State;
use maud::html;

use super::{cached, Page};
use crate::html::{count, page, volume_url, Crumb};
use crate::AppState;

pub async fn home(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let stats = archive.stats()?;
            let vols = archive.volumes()?;
            let full: Vec<_> = vols.iter().filter(|v| !v.stub).collect();
            Ok(page(
                "Reading room",
                html! {},
                &[],
                html! {
                    h1.page { "The Chancery reading room" }
                    p.meta {
                        (count(stats.documents, "document", "documents")) " in " (count(stats.volumes, "volume", "volumes")) " of "
                        em { "Foreign Relations of the United States" } ", with "
                        (count(stats.footnotes, "footnote", "footnotes")) " and " (count(stats.persons, "person", "persons")) " in the volumes' lists."
                    }
                    form.search action="/search" method="get" {
                        input type="search" name="q" placeholder="Search the documents (words, \"phrases\", AND/OR/NOT, fields)" aria-label="Query";
                        button type="submit" { "Search" }
                    }
                    h2 { "Volumes with full text" }
                    ul {
                        @for v in &full {
                            li { a href=(volume_url(&v.id)) { (v.title.as_deref().unwrap_or(&v.id)) } " " span.meta { "(" (count(v.documents, "document", "documents")) ")" } }
                        }
                    }
                    p { a href="/historicaldocuments" { "All volumes" } " · " a href="/timeline" { "Timeline" } " · " a href="/people" { "People" } " · " a href="/api/v1" { "JSON API" } }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

pub async fn volumes(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let vols = archive.volumes()?;
            Ok(page(
                "Historical Documents",
                html! {},
                &[Crumb::link("Home", "/"), Crumb::here("Historical Documents")],
                html! {
                    h1.page { "Historical Documents" }
                    table.list {
                        thead { tr { th { "Volume" } th { "Title" } th { "Documents" } th { "Notes" } } }
                        tbody {
                            @for v in &vols {
                                tr {
                                    td { a href=(volume_url(&v.id)) { (v.id) } }
                                    td {
                                        @match &v.title { Some(t) => (t), None => span.meta { "documents from text captures" } }
                                    }
                                    td { (v.documents) }
                                    td { (v.footnotes) }
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
