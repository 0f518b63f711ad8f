//! Subcommands: the edge of the program, where anyhow errors become messages and exit codes.

pub mod check;
pub mod input;
pub mod playbooks;
pub mod summary;
pub mod tickets;
pub mod triage;
pub mod tui;
