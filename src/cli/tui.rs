use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::input::read_path;

pub fn run(
    ticket: Option<String>,
    playbook_dirs: Vec<PathBuf>,
    file: Option<PathBuf>,
) -> Result<ExitCode> {
    // When the bounce comes on stdin, it is read to the end here; crossterm then reads the
    // keys from /dev/tty (it falls back to /dev/tty whenever stdin is not a terminal).
    let preload = file.as_deref().map(read_path).transpose()?;
    bouncebook::tui::run(bouncebook::tui::Options {
        ticket,
        playbook_dirs,
        preload,
    })
}
