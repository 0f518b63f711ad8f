//! bouncebook's core: parse a pasted bounce, classify it against playbooks, keep the ticket,
//! write the escalation summary. Nothing in the core (bounce, playbook, classify, ticket,
//! summary, sanitize, redact) imports ratatui or crossterm; `tui` is the only UI module.

pub mod allocator;
pub mod bounce;
pub mod cause;
pub mod checks;
pub mod classify;
pub mod clipboard;
pub mod paths;
pub mod playbook;
pub mod private;
pub mod redact;
pub mod sanitize;
pub mod settings;
pub mod summary;
pub mod ticket;
pub mod tui;
