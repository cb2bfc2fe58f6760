//! Writers: plain text in history.state.gov's layout ([`render_text`]), Markdown
//! ([`render_markdown`]) and JSON ([`render_json`]), one module each.

mod json;
mod markdown;
mod site_text;

pub use json::render_json;
pub use markdown::render_markdown;
pub use site_text::render_text;
