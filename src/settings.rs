//! `<config dir>/config.yaml`: the few settings that are not playbooks. Optional; a missing
//! file means the defaults. Unknown keys are ignored so a newer bouncebook's file still
//! loads in an older one.
//!
//! ```yaml
//! # remove tickets (and copied summaries) not changed for this long, at start-up
//! retention: 30d
//! # the live checks (`d`, `bouncebook check`); environment variables and flags win
//! checks:
//!   resolver: 10.0.0.2:53     # one DNS server (ADDR[:PORT]) instead of /etc/resolv.conf
//!   smtp_port: 2525           # replaces 25 and 587 (465 is then not tried)
//!   timeout_ms: 8000          # the per-check deadline; the others scale with it
//! ```

use std::fs;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ticket::{Duration, parse_duration};

pub const FILE_NAME: &str = "config.yaml";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Tickets not changed for this long are removed when the TUI starts.
    pub retention: Option<Duration>,
    pub checks: CheckSettings,
}

/// The `checks:` section: where the live checks look and how long they wait.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckSettings {
    pub resolver: Option<SocketAddr>,
    pub smtp_port: Option<u16>,
    pub timeout: Option<std::time::Duration>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Raw {
    retention: Option<String>,
    checks: RawChecks,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawChecks {
    resolver: Option<String>,
    smtp_port: Option<u16>,
    timeout_ms: Option<u64>,
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
    let c = raw.checks;
    let resolver = c
        .resolver
        .as_deref()
        .map(|r| {
            crate::checks::parse_resolver(r).ok_or_else(|| {
                format!("checks.resolver: {r:?} is not an IP address with an optional :PORT")
            })
        })
        .transpose()?;
    if c.smtp_port == Some(0) {
        return Err("checks.smtp_port: 0 is not a port".into());
    }
    if c.timeout_ms == Some(0) {
        return Err("checks.timeout_ms: give a number of milliseconds above 0".into());
    }
    Ok(Settings {
        retention,
        checks: CheckSettings {
            resolver,
            smtp_port: c.smtp_port,
            timeout: c.timeout_ms.map(std::time::Duration::from_millis),
        },
    })
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

    #[test]
    fn check_settings_are_read_and_bad_values_are_explained() {
        let s =
            parse("checks:\n  resolver: 127.0.0.1:5353\n  smtp_port: 2525\n  timeout_ms: 900\n")
                .unwrap();
        assert_eq!(s.checks.resolver, "127.0.0.1:5353".parse().ok());
        assert_eq!(s.checks.smtp_port, Some(2525));
        assert_eq!(
            s.checks.timeout,
            Some(std::time::Duration::from_millis(900))
        );
        assert_eq!(
            parse("checks:\n  resolver: '::1'\n")
                .unwrap()
                .checks
                .resolver,
            "[::1]:53".parse().ok()
        );
        assert_eq!(
            parse("retention: 1d\n").unwrap().checks,
            CheckSettings::default()
        );
        for (text, says) in [
            ("checks:\n  resolver: dns.example\n", "checks.resolver"),
            ("checks:\n  smtp_port: 0\n", "checks.smtp_port"),
            ("checks:\n  smtp_port: 70000\n", "smtp_port"),
            ("checks:\n  timeout_ms: 0\n", "checks.timeout_ms"),
            ("checks:\n  timeout_ms: soon\n", "timeout_ms"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(says), "{text:?}: {err}");
        }
    }
}
