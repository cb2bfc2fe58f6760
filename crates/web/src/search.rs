//! Search for the reading room and the API: the URL form of a [`SearchRequest`], checks that
//! bound what one request may ask, and the one call to the one engine
//! ([`chancery_query::search`]). Requests and responses are `chancery_query`'s own types; this
//! module only translates URL parameters and errors.

use std::collections::BTreeMap;

use chancery_query::{DateMode, SearchError, SearchRequest, SearchResponse, Sort};
use chancery_store::Archive;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::Location;
use crate::pool::Pool;
use crate::AppError;

/// Longest query accepted (hsg refuses over 1,000 characters).
pub const MAX_QUERY_CHARS: usize = 1000;
/// Longest value of any other parameter (a facet value, a date, a `like` path).
pub const MAX_PARAM_CHARS: usize = 200;
/// Most results per page in the URL form (`per_page`); a JSON request may ask up to the
/// engine's own limit.
pub const MAX_PER_PAGE: usize = 100;
/// Results per page when not asked.
pub const DEFAULT_PER_PAGE: usize = 20;
/// Values listed per facet when not asked (the page shows them all).
pub const DEFAULT_FACET_LIMIT: usize = 30;
/// Most values asked per facet.
pub const MAX_FACET_LIMIT: usize = 1000;
/// Most snippets asked per hit.
pub const MAX_SNIPPETS: usize = 10;
/// Most values of one list (facet filter values, volumes, kinds), and most filtered facets.
pub const MAX_FILTERS: usize = 20;

/// Facets the page lists, in display order: (facet, label).
pub const FACETS: &[(&str, &str)] = &[
    ("volume", "Volume"),
    ("kind", "Kind"),
    ("type", "Document type"),
    ("classification", "Classification"),
    ("caveat", "Caveats"),
    ("year", "Year"),
];

/// Facets that may be filtered by a parameter of their own name (`type=telegram`); any facet
/// also as `filter=NAME=VALUE` (needed for the `from` and `to` facets, whose names are the date
/// parameters).
const FILTER_PARAMS: &[&str] = &[
    "volume",
    "sub_series",
    "kind",
    "type",
    "classification",
    "precedence",
    "caveat",
    "archive",
    "person",
    "year",
    "decade",
];

/// Whether a facet is filtered by a parameter of its own name in URLs.
pub fn is_filter_param(facet: &str) -> bool {
    FILTER_PARAMS.contains(&facet)
}

/// Query-string values: everything but unreserved characters is escaped.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encode a query-string value.
pub fn enc(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// The request the page and the API send when the URL does not say otherwise: facets on (the
/// page shows them), 20 hits with 3 snippets each.
pub fn default_request() -> SearchRequest {
    SearchRequest {
        facets: true,
        facet_limit: DEFAULT_FACET_LIMIT,
        limit: DEFAULT_PER_PAGE,
        snippets: 3,
        ..SearchRequest::default()
    }
}

/// The `SearchRequest` of `/search` and `GET /api/v1/search`. Parameters (the page's, hsg's
/// and the rest of the request's fields):
///
/// * `q` → `query`; `from`/`start-date`, `to`/`end-date` → `date_from`, `date_to`;
///   `date_mode` (`overlap`, `within`); `sort` (`relevance`, `date` or `date-asc`,
///   `date-desc` or `-date`);
/// * `page` (1-based) and `per_page` → `offset`, `limit`;
/// * facet filters: `volume` (also hsg's `volume-id`), `kind`, `type`, … by name, any facet as
///   `filter=NAME=VALUE`; choosing a front- or back-matter kind brings matter into scope;
/// * `facets` (`true`/`false`), `facet_limit`, `snippets`, `matter` (`true`: include front and
///   back matter), `like` (`VOLUME/DOC`).
///
/// Unknown parameters are ignored (links may carry tracking junk); bad values are 400s naming
/// the parameter.
pub fn request_from_pairs(pairs: &[(String, String)]) -> Result<SearchRequest, AppError> {
    let mut req = default_request();
    let mut page = 1usize;
    let mut per_page = DEFAULT_PER_PAGE;
    for (k, v) in pairs {
        let limit = if k == "q" {
            MAX_QUERY_CHARS
        } else {
            MAX_PARAM_CHARS
        };
        let n = v.chars().count();
        if n > limit {
            return Err(AppError::bad(
                k,
                format!("parameter {k} is {n} characters long; at most {limit} are accepted"),
            ));
        }
        match k.as_str() {
            "q" => req.query = v.clone(),
            "from" | "start-date" => req.date_from = non_empty(v),
            "to" | "end-date" => req.date_to = non_empty(v),
            "date_mode" | "date-mode" => {
                req.date_mode = match v.as_str() {
                    "" | "overlap" => DateMode::Overlap,
                    "within" => DateMode::Within,
                    other => {
                        return Err(AppError::bad(
                            "date_mode",
                            format!("unknown date mode {other:?}: use overlap or within"),
                        ))
                    }
                }
            }
            "sort" => {
                req.sort = match v.as_str() {
                    "" | "relevance" => Sort::Relevance,
                    "date" | "date-asc" | "+date" => Sort::Date,
                    "date-desc" | "-date" => Sort::DateDesc,
                    other => {
                        return Err(AppError::bad(
                            "sort",
                            format!("unknown sort {other:?}: use relevance, date or date-desc"),
                        ))
                    }
                }
            }
            "page" => page = parse_num("page", v, 1, chancery_query::MAX_DEPTH)?,
            "per_page" | "per-page" => per_page = parse_num("per_page", v, 1, MAX_PER_PAGE)?,
            "facets" => req.facets = parse_bool("facets", v)?,
            "facet_limit" => req.facet_limit = parse_num("facet_limit", v, 1, MAX_FACET_LIMIT)?,
            "snippets" => req.snippets = parse_num("snippets", v, 0, MAX_SNIPPETS)?,
            "matter" => req.include_matter = parse_bool("matter", v)?,
            "like" => req.like = non_empty(v),
            "filter" => {
                if v.is_empty() {
                    continue;
                }
                let Some((name, value)) = v.split_once('=') else {
                    return Err(AppError::bad(
                        "filter",
                        format!("filter {v:?}: expected FACET=VALUE, e.g. type=telegram"),
                    ));
                };
                add_filter(&mut req, name.trim(), value.trim())?;
            }
            // hsg's `volume-id=` is accepted as `volume=`.
            "volume-id" => add_filter(&mut req, "volume", v)?,
            name if FILTER_PARAMS.contains(&name) => add_filter(&mut req, name, v)?,
            _ => {}
        }
    }
    // Front and back matter are out of the default scope: choosing such a kind brings it in.
    if req
        .filters
        .get("kind")
        .is_some_and(|k| k.iter().any(|k| k.ends_with("-matter")))
    {
        req.include_matter = true;
    }
    if page.saturating_mul(per_page) > chancery_query::MAX_DEPTH {
        return Err(AppError::bad(
            "page",
            format!(
                "page {page} is beyond the first {} results, which is as deep as search pages go",
                chancery_query::MAX_DEPTH
            ),
        ));
    }
    req.limit = per_page;
    req.offset = (page - 1) * per_page;
    check(&req, Form::Url)?;
    Ok(req)
}

fn add_filter(req: &mut SearchRequest, name: &str, value: &str) -> Result<(), AppError> {
    if value.is_empty() {
        return Ok(());
    }
    let list = req.filters.entry(name.to_string()).or_default();
    if list.len() >= MAX_FILTERS {
        return Err(AppError::bad(
            name,
            format!("at most {MAX_FILTERS} {name} filters"),
        ));
    }
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
    Ok(())
}

/// The form a request came in, which names its parameters in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// URL parameters: `q`, `from`, `to`.
    Url,
    /// A JSON `SearchRequest`: `query`, `date_from`, `date_to`.
    Json,
}

impl Form {
    pub fn query(self) -> &'static str {
        match self {
            Form::Url => "q",
            Form::Json => "query",
        }
    }
    fn date_from(self) -> &'static str {
        match self {
            Form::Url => "from",
            Form::Json => "date_from",
        }
    }
    fn date_to(self) -> &'static str {
        match self {
            Form::Url => "to",
            Form::Json => "date_to",
        }
    }
    /// The parameter that carries a request field in this form.
    fn field(self, field: chancery_query::RequestField) -> &'static str {
        use chancery_query::RequestField as F;
        match (self, field) {
            (_, F::Query) => self.query(),
            (_, F::DateFrom) => self.date_from(),
            (_, F::DateTo) => self.date_to(),
            (Form::Url, F::Kinds) => "kind",
            (Form::Url, F::Filters) => "filter",
            (_, other) => other.name(),
        }
    }
}

/// Bounds on what one request may ask, whichever form it came in; dates are checked here too
/// so a bad one is a 400 naming its parameter. The engine checks the rest (facet names, kinds,
/// limit and depth).
pub fn check(req: &SearchRequest, form: Form) -> Result<(), AppError> {
    let n = req.query.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(AppError::bad(
            form.query(),
            format!("the query is {n} characters long; at most {MAX_QUERY_CHARS} are accepted"),
        ));
    }
    let too_long = |s: &str| s.chars().count() > MAX_PARAM_CHARS;
    let lists = [("volumes", &req.volumes), ("kinds", &req.kinds)];
    for (name, list) in lists {
        if list.len() > MAX_FILTERS || list.iter().any(|v| too_long(v)) {
            return Err(AppError::bad(
                name,
                format!("at most {MAX_FILTERS} {name} of at most {MAX_PARAM_CHARS} characters"),
            ));
        }
    }
    if req.filters.len() > MAX_FILTERS
        || req.filters.iter().any(|(name, values)| {
            too_long(name) || values.len() > MAX_FILTERS || values.iter().any(|v| too_long(v))
        })
    {
        return Err(AppError::bad(
            "filters",
            format!(
                "at most {MAX_FILTERS} facets of {MAX_FILTERS} values of at most {MAX_PARAM_CHARS} characters"
            ),
        ));
    }
    for (name, value) in [
        (form.date_from(), &req.date_from),
        (form.date_to(), &req.date_to),
        ("like", &req.like),
    ] {
        if value.as_deref().is_some_and(too_long) {
            return Err(AppError::bad(
                name,
                format!("{name} is longer than {MAX_PARAM_CHARS} characters"),
            ));
        }
    }
    let mut bounds = [None, None];
    for (i, (name, value, end)) in [
        (form.date_from(), &req.date_from, false),
        (form.date_to(), &req.date_to, true),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let d = chancery_model::date::parse_iso(v).map_err(|why| {
                AppError::bad(
                    name,
                    format!("{name} {v:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): {why}"),
                )
            })?;
            bounds[i] = Some(if end { d.end() } else { d.start });
        }
    }
    if let [Some(from), Some(to)] = bounds {
        if to < from {
            return Err(AppError::bad(
                form.date_to(),
                format!("{} is before {}", form.date_to(), form.date_from()),
            ));
        }
    }
    if req.facet_limit > MAX_FACET_LIMIT {
        return Err(AppError::bad(
            "facet_limit",
            format!("facet_limit must be at most {MAX_FACET_LIMIT}"),
        ));
    }
    if req.snippets > MAX_SNIPPETS {
        return Err(AppError::bad(
            "snippets",
            format!("snippets must be at most {MAX_SNIPPETS}"),
        ));
    }
    Ok(())
}

fn non_empty(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn parse_num(name: &str, v: &str, min: usize, max: usize) -> Result<usize, AppError> {
    match v.trim().parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::bad(
            name,
            format!("{name} must be a whole number from {min} to {max}, not {v:?}"),
        )),
    }
}

fn parse_bool(name: &str, v: &str) -> Result<bool, AppError> {
    match v.trim() {
        "" | "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        other => Err(AppError::bad(
            name,
            format!("{name} must be true or false, not {other:?}"),
        )),
    }
}

/// The 1-based page a request shows.
pub fn page_of(req: &SearchRequest) -> usize {
    req.offset / req.limit.max(1) + 1
}

/// The URL query string of a request with `page` instead of its own (for links): the inverse
/// of [`request_from_pairs`] for everything the page can ask.
pub fn to_query(req: &SearchRequest, page: usize) -> String {
    let mut parts = Vec::new();
    if !req.query.is_empty() {
        parts.push(format!("q={}", enc(&req.query)));
    }
    for (k, vs) in &req.filters {
        for v in vs {
            if FILTER_PARAMS.contains(&k.as_str()) {
                parts.push(format!("{k}={}", enc(v)));
            } else {
                parts.push(format!("filter={}", enc(&format!("{k}={v}"))));
            }
        }
    }
    if let Some(f) = &req.date_from {
        parts.push(format!("from={}", enc(f)));
    }
    if let Some(t) = &req.date_to {
        parts.push(format!("to={}", enc(t)));
    }
    if req.date_mode == DateMode::Within {
        parts.push("date_mode=within".into());
    }
    match req.sort {
        Sort::Relevance => {}
        Sort::Date => parts.push("sort=date".into()),
        Sort::DateDesc => parts.push("sort=date-desc".into()),
    }
    if let Some(l) = &req.like {
        parts.push(format!("like={}", enc(l)));
    }
    let kind_matter = req
        .filters
        .get("kind")
        .is_some_and(|k| k.iter().any(|k| k.ends_with("-matter")));
    if req.include_matter && !kind_matter {
        parts.push("matter=true".into());
    }
    if req.limit != DEFAULT_PER_PAGE {
        parts.push(format!("per_page={}", req.limit));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    parts.join("&")
}

/// The request with one facet value toggled (added if absent, removed if present), back on
/// page 1.
pub fn toggled(req: &SearchRequest, facet: &str, value: &str) -> SearchRequest {
    let mut r = req.clone();
    let list = r.filters.entry(facet.to_string()).or_default();
    if let Some(i) = list.iter().position(|v| v == value) {
        list.remove(i);
    } else {
        list.push(value.to_string());
    }
    if list.is_empty() {
        r.filters.remove(facet);
    }
    if facet == "kind" {
        r.include_matter = r
            .filters
            .get("kind")
            .is_some_and(|k| k.iter().any(|k| k.ends_with("-matter")));
    }
    r.offset = 0;
    r
}

pub fn is_active(req: &SearchRequest, facet: &str, value: &str) -> bool {
    req.filters
        .get(facet)
        .is_some_and(|l| l.iter().any(|v| v == value))
}

/// Whether anything at all was asked (an empty search page shows only the form).
pub fn is_empty(req: &SearchRequest) -> bool {
    req.query.trim().is_empty()
        && req.filters.is_empty()
        && req.date_from.is_none()
        && req.date_to.is_none()
        && req.like.is_none()
}

/// Run a request on the archive's index: 503 without one, 400 for a bad query (with its
/// column) or a bad request field.
pub fn run(
    pool: &Pool,
    archive: &Archive,
    req: &SearchRequest,
    form: Form,
) -> Result<SearchResponse, AppError> {
    let index = pool.current_index(archive)?;
    chancery_query::search(index, req).map_err(|e| match e {
        SearchError::Parse(pe) => AppError::BadRequest {
            message: pe.to_string(),
            location: Some(Location {
                param: form.query().into(),
                column: Some(pe.column),
            }),
        },
        SearchError::Request { field, message } => AppError::BadRequest {
            message: format!("{}: {message}", form.field(field)),
            location: Some(Location {
                param: form.field(field).into(),
                column: None,
            }),
        },
        other => AppError::Internal(other.to_string()),
    })
}

/// A request past its last result: 404 (page 1 always exists, even with nothing found).
pub fn past_the_end(req: &SearchRequest, resp: &SearchResponse) -> Option<AppError> {
    if req.offset == 0 || (req.offset as u64) < resp.total {
        return None;
    }
    let per_page = req.limit.max(1) as u64;
    let pages = resp.total.div_ceil(per_page).max(1);
    Some(AppError::NotFound(format!(
        "there is no page {} of this search: it has {} on {}",
        page_of(req),
        crate::html::count(resp.total, "result", "results"),
        crate::html::count(pages, "page", "pages"),
    )))
}

pub fn kind_label(kind: &str) -> &str {
    match kind {
        "historical-document" => "Historical document",
        "editorial-note" => "Editorial note",
        "front-matter" => "Front matter",
        "back-matter" => "Back matter",
        other => other,
    }
}

/// Facet name → values with counts above zero, for the page.
pub fn shown_facets(resp: &SearchResponse) -> BTreeMap<&str, Vec<&chancery_query::FacetCount>> {
    let mut out = BTreeMap::new();
    if let Some(facets) = &resp.facets {
        for (name, values) in facets {
            let shown: Vec<_> = values.iter().filter(|v| v.count > 0).collect();
            if !shown.is_empty() {
                out.insert(name.as_str(), shown);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &[(&str, &str)]) -> Vec<(String, String)> {
        s.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn url_form_round_trips() {
        let req = request_from_pairs(&pairs(&[
            ("q", "harriman \"stop the bombing\""),
            ("volume", "frus1964-68v07"),
            ("filter", "from=Embassy in France"),
            ("kind", "front-matter"),
            ("from", "1968-10"),
            ("sort", "date-desc"),
            ("date_mode", "within"),
            ("per_page", "5"),
            ("page", "3"),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((req.offset, req.limit), (10, 5));
        assert!(req.include_matter);
        assert_eq!(req.filters["from"], vec!["Embassy in France".to_string()]);
        let back: Vec<(String, String)> = to_query(&req, 3)
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| {
                let v = percent_encoding::percent_decode_str(v).decode_utf8_lossy();
                (k.to_string(), v.into_owned())
            })
            .collect();
        assert_eq!(request_from_pairs(&back).ok(), Some(req));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (k, v) in [
            ("sort", "sideways"),
            ("page", "0"),
            ("per_page", "1000"),
            ("facets", "maybe"),
            ("filter", "novalue"),
            ("date_mode", "around"),
            ("from", "1968-13-01"),
        ] {
            match request_from_pairs(&pairs(&[(k, v)])) {
                Err(AppError::BadRequest {
                    location: Some(l), ..
                }) => assert_eq!(l.param, if k == "per_page" { "per_page" } else { k }),
                other => panic!("{k}={v}: {other:?}"),
            }
        }
        // As deep as the engine goes, and no deeper.
        assert!(request_from_pairs(&pairs(&[("page", "5000"), ("per_page", "20")])).is_ok());
        assert!(request_from_pairs(&pairs(&[("page", "5001"), ("per_page", "20")])).is_err());
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(enc("a b&c=\"d\""), "a%20b%26c%3D%22d%22");
        assert_eq!(enc("Debré-x_y.z~"), "Debr%C3%A9-x_y.z~");
    }
}
