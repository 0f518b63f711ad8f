use std::process::ExitCode;

use anyhow::Result;

use crate::TriageArgs;

pub fn run(_args: &TriageArgs) -> Result<ExitCode> {
    anyhow::bail!("triage is not implemented yet")
}
