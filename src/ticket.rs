//! A ticket's state (the bounce, the ticks, the notes, where the agent was) and its store:
//! `<data dir>/tickets/<id>.json`, versioned, written atomically, one writer at a time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bumped when the on-disk format changes incompatibly; older files are migrated on load.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub version: u32,
    pub id: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// The current bounce as pasted, with credentials redacted.
    #[serde(default)]
    pub bounce: Option<String>,
    /// Earlier bounces replaced by a re-paste, oldest first.
    #[serde(default)]
    pub history: Vec<PastBounce>,
    /// Which record (recipient) of the bounce the agent is working.
    #[serde(default)]
    pub selected_record: usize,
    /// variation id → step id → state. Keyed by variation so that switching records keeps
    /// the work done on each cause.
    #[serde(default)]
    pub progress: BTreeMap<String, BTreeMap<String, StepState>>,
    #[serde(default)]
    pub ui: UiState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastBounce {
    pub text: String,
    pub replaced_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StepState {
    pub done: bool,
    #[serde(default)]
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where the agent was, so a resumed ticket opens exactly there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// `bounce`, `diagnosis` or `checklist`.
    pub focus: String,
    pub selected_step: usize,
    pub bounce_scroll: usize,
}

impl Ticket {
    pub fn new(id: impl Into<String>, now: DateTime<Utc>) -> Self {
        Ticket {
            version: FORMAT_VERSION,
            id: id.into(),
            created: now,
            updated: now,
            bounce: None,
            history: Vec::new(),
            selected_record: 0,
            progress: BTreeMap::new(),
            ui: UiState::default(),
        }
    }
}
