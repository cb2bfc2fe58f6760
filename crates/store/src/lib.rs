//! The archive store.
