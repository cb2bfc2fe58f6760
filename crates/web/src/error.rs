//! Errors a request can end in, rendered as an HTML page or as JSON `{ "error": { code, message } }`.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use chancery_store::StoreError;

/// Where in a query string an error sits: the parameter, and a 1-based column within its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub param: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// Why a request was not answered, and with which status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such volume, document or page.
    #[error("{0}")]
    NotFound(String),
    /// 400: a parameter or body the server cannot use.
    #[error("{message}")]
    BadRequest {
        /// What is wrong.
        message: String,
        /// Where, when it is one parameter.
        location: Option<Location>,
    },
    /// 414: the request target is longer than `MAX_URI_BYTES`.
    #[error("the request target is {0} bytes long; at most {max} are accepted", max = crate::MAX_URI_BYTES)]
    UriTooLong(usize),
    /// 405: anything but reading.
    #[error("method {0} is not allowed: the reading room is read-only")]
    MethodNotAllowed(String),
    /// The search index cannot be opened or brought up to date: search answers 503 with the
    /// reason (no other engine stands in).
    #[error("search is unavailable: {0}")]
    Unavailable(String),
    /// 413: the body is over the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 408: the body did not arrive in time.
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    /// 500: the detail is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Internal(format!("JSON error: {e}"))
    }
}

impl AppError {
    /// A 400 about one parameter.
    pub fn bad(param: &str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            message: message.into(),
            location: Some(Location {
                param: param.to_string(),
                column: None,
            }),
        }
    }

    /// The HTTP status the error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest { .. } => "bad_request",
            AppError::UriTooLong(_) => "uri_too_long",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::Unavailable(_) => "unavailable",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::RequestTimeout => "request_timeout",
            AppError::Internal(_) => "internal",
        }
    }

    /// Where the error is, for a bad request about one parameter.
    pub fn location(&self) -> Option<&Location> {
        match self {
            AppError::BadRequest { location, .. } => location.as_ref(),
            _ => None,
        }
    }

    /// What the client may see: internal details go to the log, not to the page.
    fn public_message(&self) -> String {
        match self {
            AppError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                "the server could not complete the request".to_string()
            }
            other => other.to_string(),
        }
    }

    /// The error as the API answers it: JSON with status, code, message and location.
    pub fn into_api_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: Inner<'a>,
        }
        #[derive(Serialize)]
        struct Inner<'a> {
            status: u16,
            code: &'a str,
            message: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            location: Option<&'a Location>,
        }
        let status = self.status();
        let body = Body {
            error: Inner {
                status: status.as_u16(),
                code: self.code(),
                message: self.public_message(),
                location: self.location(),
            },
        };
        (status, axum::Json(body)).into_response()
    }

    /// The error as the reading room answers it: an HTML page.
    pub fn into_html_response(self) -> Response {
        let status = self.status();
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::BAD_REQUEST => "Bad request",
            StatusCode::URI_TOO_LONG => "Request too long",
            StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
            StatusCode::SERVICE_UNAVAILABLE => "Search unavailable",
            StatusCode::PAYLOAD_TOO_LARGE => "Request too large",
            StatusCode::REQUEST_TIMEOUT => "Request timeout",
            _ => "Server error",
        };
        let message = self.public_message();
        let page = crate::html::error_page(status.as_u16(), title, &message);
        (status, Html(page)).into_response()
    }
}

/// An error on an HTML page.
pub struct HtmlError(pub AppError);

/// An error on an API resource.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for HtmlError {
    fn from(e: E) -> Self {
        HtmlError(e.into())
    }
}

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        self.0.into_html_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_api_response()
    }
}

/// Ids in URLs are the archive's ids (`chancery_model::volume_id::is_valid_id`: ASCII letters,
/// digits, `-`, `_`, `.`, not starting with a dot): anything else cannot name a stored item, so
/// it is a 404 before any read runs (and `/`, `..`, NUL never reach the store).
pub fn check_id(kind: &str, id: &str) -> Result<(), AppError> {
    if chancery_model::volume_id::is_valid_id(id) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no {kind} with that id")))
    }
}
