//! `folio completions SHELL` and `folio man [DIR]`: shell completion scripts
//! and man pages generated from the clap definitions ([`crate::cli`]), so
//! they never drift from the command line.
//!
//! Spec and week ids are completed by static scripts: the SPEC arguments of
//! `folio new` and `folio show` use [`SpecIds`], a value parser that accepts
//! any string (so an unknown or pack-defined spec still gets folio's own
//! error) but lists the built-in catalog's ids as its possible values, which
//! clap_complete writes into every script.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::CommandFactory;

use crate::catalog::Catalog;
use crate::cli::Cli;
use crate::templates::Templates;

/// Every spec id, then every week id, of the built-in templates (loaded once,
/// only when asked: help and completion, never a normal parse).
pub fn builtin_ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        Catalog::load(&Templates::embedded())
            .map(|c| c.all_ids())
            .unwrap_or_default()
    })
}

/// The value parser of a SPEC argument: any UTF-8 string is accepted (folio
/// checks it against the catalog, pack included, and says what is known),
/// and the built-in spec and week ids are offered for completion.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpecIds;

impl TypedValueParser for SpecIds {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            builtin_ids()
                .iter()
                .map(|id| PossibleValue::new(id.as_str())),
        ))
    }
}

/// Writes the completion script for `shell` to `out`.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "folio", &mut buf);
    let script = String::from_utf8_lossy(&buf);
    let script = with_spec_ids(shell, &script, builtin_ids());
    let _ = out.write_all(script.as_bytes());
}

/// clap_complete's bash, zsh and elvish scripts complete a positional's
/// possible values; its fish and PowerShell scripts complete only flags and
/// subcommands, so the SPEC of `folio new` and `folio show` is added here.
fn with_spec_ids(shell: clap_complete::Shell, script: &str, ids: &[String]) -> String {
    use clap_complete::Shell;
    match shell {
        Shell::Fish => {
            let words = ids.join(" ");
            let mut out = script.to_string();
            // `new` also takes a DIR, so files stay offered there (no -f).
            out.push_str(&format!(
                "complete -c folio -n \"__fish_folio_using_subcommand new\" -a \"{words}\" -d 'spec or week'\n\
                 complete -c folio -n \"__fish_folio_using_subcommand show\" -f -a \"{words}\" -d 'spec or week'\n"
            ));
            out
        }
        Shell::PowerShell => {
            let mut out = String::with_capacity(script.len() + 4096);
            for line in script.split_inclusive('\n') {
                out.push_str(line);
                let trimmed = line.trim();
                if trimmed == "'folio;new' {" || trimmed == "'folio;show' {" {
                    for id in ids {
                        out.push_str(&format!(
                            "            [CompletionResult]::new('{id}', '{id}', [CompletionResultType]::ParameterValue, 'spec or week')\n"
                        ));
                    }
                }
            }
            out
        }
        _ => script.to_string(),
    }
}

/// `folio completions SHELL`: the script on stdout.
pub fn print_completions(shell: clap_complete::Shell) -> Result<()> {
    let mut buf = Vec::new();
    write_completions(shell, &mut buf);
    emit(&buf);
    Ok(())
}

/// `folio man [DIR]`: folio's page on stdout, or folio.1 and one page per
/// subcommand (folio-new.1, ...) written into DIR (created if missing).
pub fn man(dir: Option<&Path>) -> Result<()> {
    let cmd = Cli::command();
    match dir {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            emit(&buf);
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write man pages into {}", dir.display()))?;
            let mut names: Vec<String> = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("folio") && n.ends_with(".1"))
                .collect();
            names.sort();
            eprintln!(
                "Wrote {} man pages into {}: {}",
                names.len(),
                dir.display(),
                names.join(", ")
            );
        }
    }
    Ok(())
}

/// Writes to stdout; a closed pipe is not an error.
fn emit(bytes: &[u8]) {
    let _ = std::io::stdout().write_all(bytes);
}
