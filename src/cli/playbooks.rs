use std::process::ExitCode;

use anyhow::Result;

use crate::PlaybooksCommand;

pub fn run(_cmd: &PlaybooksCommand) -> Result<ExitCode> {
    anyhow::bail!("playbooks is not implemented yet")
}
