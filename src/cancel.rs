//! Cancellation, in one place: Ctrl-C (SIGINT), SIGTERM and SIGHUP all
//! cancel a run, and a cancelled run exits with status 130 having written
//! nothing. Outside a [`Guard`] (asking questions, rendering in memory) the
//! process exits at once; inside one (files being written) the writer sees
//! [`check`] fail at its next step and undoes what it wrote.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{bail, Context, Result};

/// The exit status of a cancelled run.
pub const EXIT_STATUS: u8 = 130;

static CANCELLED: AtomicBool = AtomicBool::new(false);
static GUARDS: AtomicUsize = AtomicUsize::new(0);

/// The user cancelled: nothing was written.
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled: nothing was written")
    }
}

impl std::error::Error for Cancelled {}

/// Installs the handler for SIGINT, SIGTERM and SIGHUP.
pub fn install() -> Result<()> {
    ctrlc::set_handler(|| {
        CANCELLED.store(true, Ordering::SeqCst);
        if GUARDS.load(Ordering::SeqCst) == 0 {
            let _ = console::Term::stderr().show_cursor();
            eprintln!("{Cancelled}");
            std::process::exit(EXIT_STATUS.into());
        }
    })
    .context("cannot install the handler for Ctrl-C, SIGTERM and SIGHUP")
}

/// Fails if a cancelling signal arrived.
pub fn check() -> Result<()> {
    if CANCELLED.load(Ordering::SeqCst) {
        bail!(Cancelled);
    }
    Ok(())
}

/// While one lives, a signal does not end the process: the holder must call
/// [`check`] between steps and clean up when it fails.
pub struct Guard(());

impl Guard {
    /// Starts a stretch of work that must be undone, not interrupted.
    pub fn new() -> Result<Guard> {
        GUARDS.fetch_add(1, Ordering::SeqCst);
        let guard = Guard(());
        check()?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        GUARDS.fetch_sub(1, Ordering::SeqCst);
    }
}
