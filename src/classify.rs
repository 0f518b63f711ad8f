//! Records × playbooks → a diagnosis with evidence. Rules come from the playbooks' `match`
//! sections and are compiled once.

use serde::{Deserialize, Serialize};

use crate::bounce::Record;
use crate::playbook::PlaybookSet;

/// What decided a diagnosis, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    Text,
    Status,
    ReplyCode,
    /// Nothing matched: `generic-553` or `unclassified`.
    Fallback,
}

/// The cause named for one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub variation: String,
    pub confidence: f32,
    /// The text that decided it (the matched words, or the code).
    pub evidence: String,
    pub basis: Basis,
}

/// Compiled matching rules for a set of playbooks.
#[derive(Debug, Clone)]
pub struct Classifier {}

impl Classifier {
    pub fn new(_playbooks: &PlaybookSet) -> Self {
        Classifier {}
    }

    pub fn classify(&self, record: &Record) -> Diagnosis {
        let generic = record.reply_code == Some(553);
        Diagnosis {
            variation: if generic {
                "generic-553"
            } else {
                "unclassified"
            }
            .to_string(),
            confidence: 0.3,
            evidence: record.diagnostic.clone().unwrap_or_default(),
            basis: Basis::Fallback,
        }
    }
}
