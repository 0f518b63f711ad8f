use std::process::ExitCode;

use anyhow::Result;

use crate::SummaryArgs;

pub fn run(_args: &SummaryArgs) -> Result<ExitCode> {
    anyhow::bail!("summary is not implemented yet")
}
