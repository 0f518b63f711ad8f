//! Reading inputs named on the command line: files, `-` for stdin.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

/// Read a file, or stdin when the path is `-`.
pub fn read_path(path: &Path) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        Ok(buf)
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    }
}
