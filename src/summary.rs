//! The escalation summary: a pure function of ticket + parsed bounce + playbook → text.

use chrono::{DateTime, Utc};

use crate::bounce::Bounce;
use crate::classify::Diagnosis;
use crate::playbook::Playbook;
use crate::ticket::Ticket;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SummaryFormat {
    #[default]
    Text,
    Markdown,
}

/// Everything the summary is made from. `now` is passed in so the output is deterministic.
#[derive(Debug, Clone, Copy)]
pub struct SummaryContext<'a> {
    pub ticket: &'a Ticket,
    pub bounce: Option<&'a Bounce>,
    /// Index of the record the agent is working.
    pub record: usize,
    pub diagnosis: Option<&'a Diagnosis>,
    pub playbook: Option<&'a Playbook>,
    pub now: DateTime<Utc>,
}

pub fn render(ctx: &SummaryContext<'_>, _format: SummaryFormat) -> String {
    format!("Ticket {}\n", ctx.ticket.id)
}
