//! The apparatus as linked data: markings, telegram identity, the cable graph, cross-references
//! written as text, and the series-wide person authority.
//!
//! The parsing (`chancery_apparatus`) is pure and runs in [`crate::prepare`], on the parser
//! threads; the single writer only binds the prepared values ([`ApparatusWriter`]). Everything
//! that depends on *other* documents (which archive document carries a cited telegram, which
//! document a "See Document 40" lands in, which glossary entries are the same person) is
//! recomputed by SQL after each store, in the same transaction, so it is right whatever order
//! volumes and text documents arrive in.

mod authority;
mod backfill;
mod citation;
mod prepare;
mod read;
mod resolve;
mod writer;

pub use authority::AuthorityPerson;
pub(crate) use authority::{find_persons, person, rebuild_authority, recluster_authority};
pub(crate) use backfill::backfill;
pub(crate) use citation::lookup_citation;
pub use citation::CitationMatch;
pub(crate) use prepare::{analyse, prepare_analysed, PreparedApparatus};
pub(crate) use read::{apparatus, cited_by, person_link, thread};
pub use read::{
    natural_name, Apparatus, CableRef, CrossRef, DocLink, Markings, Party, PersonLink,
    TelegramIdentity, Thread,
};
pub(crate) use resolve::{after_documents, resolve_cables, resolve_volume_links};
pub(crate) use writer::ApparatusWriter;
