//! folio: writes working starter repos for a backend training curriculum.
//!
//! The flow runs one way (see docs/templates.md and ../shared/DESIGN.md):
//! answers ([`answers`], [`wizard`]) -> blueprint ([`resolve`]) -> file plan
//! ([`render`]) -> atomic write ([`write`]) -> git ([`git`]). The middle
//! stages are pure; [`app`] runs the commands, and the binary only calls
//! [`app::main`].

pub mod answers;
pub mod cancel;
pub mod catalog;
pub mod cli;
pub mod cohort;
pub mod completions;
pub mod constraints;
pub mod context;
pub mod doctor;
pub mod errors;
pub mod git;
pub mod helpers;
pub mod k8s;
pub mod limits;
pub mod output;
pub mod pack_check;
pub mod pack_git;
pub mod pack_new;
pub mod partial_refs;
pub mod precompiled;
pub mod progress;
pub mod remote;
pub mod render;
pub mod report;
pub mod resolve;
pub mod roster;
pub mod serve;
pub mod template_cache;
pub mod template_guard;
pub mod templates;
pub mod untrusted;
pub mod update;
pub mod verify;
pub mod wizard;
pub mod write;

pub mod app;
