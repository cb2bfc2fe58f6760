//! TODO placeholder, being written.
