use std::process::ExitCode;

use anyhow::Result;

use crate::TicketsArgs;

pub fn run(_args: &TicketsArgs) -> Result<ExitCode> {
    anyhow::bail!("tickets is not implemented yet")
}
