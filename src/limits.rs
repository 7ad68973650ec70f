//! Limits on untrusted input (template packs, answers files) and on what a
//! run may write. Each one is documented in SECURITY.md ("Limits"); an input
//! past a limit is refused with an error naming it, and nothing is written.

/// An answers file (`--answers`, `.folio/answers.toml`): 1 MiB.
pub const ANSWERS_FILE: u64 = 1 << 20;
/// One file of a template pack: 1 MiB.
pub const PACK_FILE: u64 = 1 << 20;
/// One Handlebars template (`*.hbs`) of a template pack: 256 KiB (compiling
/// is slower than linear in a template's size).
pub const PACK_TEMPLATE: u64 = 256 << 10;
/// A whole template pack: 32 MiB.
pub const PACK_TOTAL: u64 = 32 << 20;
/// Files in a template pack.
pub const PACK_FILES: usize = 10_000;
/// Folder depth inside a template pack.
pub const PACK_DEPTH: usize = 32;
/// One rendered file: 8 MiB.
pub const OUTPUT_FILE: usize = 8 << 20;
/// All rendered files of a project: 64 MiB.
pub const OUTPUT_TOTAL: usize = 64 << 20;
/// Nested blocks and partials inside one template.
pub const TEMPLATE_NESTING: usize = 64;
/// Partial expansions one template may cause in all (each `{{> p}}` that
/// renders, counted through the partials it uses).
pub const PARTIAL_EXPANSIONS: u64 = 10_000;
/// Nested blocks and partials in one render, counted through the partials
/// a template includes (rendering recurses: about 2 KB of stack a level).
pub const RENDER_DEPTH: usize = 256;
/// A project description, in characters.
pub const DESCRIPTION_CHARS: usize = 300;
/// A roster file (`folio cohort`): 4 MiB.
pub const ROSTER_FILE: u64 = 4 << 20;
/// Learners in one roster.
pub const ROSTER_LEARNERS: usize = 5_000;
/// A learner's display name, in characters.
pub const LEARNER_NAME_CHARS: usize = 100;
/// A README.md read by `folio status` (the learner's or folio's): 8 MiB.
pub const STATUS_README: u64 = 8 << 20;
