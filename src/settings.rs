//! `<config dir>/config.yaml`: the few settings that are not playbooks. Optional; a missing
//! file means the defaults. Unknown keys are ignored so a newer bouncebook's file still
//! loads in an older one.
//!
//! ```yaml
//! # remove tickets (and copied summaries) not changed for this long, at start-up
//! retention: 30d
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ticket::{Duration, parse_duration};

pub const FILE_NAME: &str = "config.yaml";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Tickets not changed for this long are removed when the TUI starts.
    pub retention: Option<Duration>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Raw {
    retention: Option<String>,
}

/// Why the settings file could not be used (shown once; the defaults apply).
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: {why}")]
    Invalid { path: PathBuf, why: String },
}

/// Read `<config dir>/config.yaml`; the defaults when there is none.
pub fn load(config_dir: Option<&Path>) -> Result<Settings, SettingsError> {
    let Some(dir) = config_dir else {
        return Ok(Settings::default());
    };
    let path = dir.join(FILE_NAME);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(source) => return Err(SettingsError::Read { path, source }),
    };
    parse(&text).map_err(|why| SettingsError::Invalid { path, why })
}

/// The settings in a config file's text.
pub fn parse(text: &str) -> Result<Settings, String> {
    if text.trim().is_empty() {
        return Ok(Settings::default());
    }
    let raw: Raw = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let retention = raw
        .retention
        .as_deref()
        .map(|r| parse_duration(r).map_err(|e| format!("retention: {e}")))
        .transpose()?;
    Ok(Settings { retention })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_is_read_and_bad_values_are_explained() {
        assert_eq!(parse("").unwrap(), Settings::default());
        assert_eq!(
            parse("retention: 30d\nsomething_newer: 1\n")
                .unwrap()
                .retention,
            Some(chrono::TimeDelta::days(30))
        );
        let err = parse("retention: 30\n").unwrap_err();
        assert!(err.starts_with("retention: "), "{err}");
        assert!(parse("retention: [1, 2]\n").is_err());
    }
}
