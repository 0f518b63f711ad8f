//! Where bouncebook keeps its files. `BOUNCEBOOK_CONFIG_DIR` and `BOUNCEBOOK_DATA_DIR`
//! override the platform's project dirs (tests, portable installs, CI).

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "bouncebook")
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The config dir (user playbooks live in its `playbooks/`), if one can be determined.
pub fn config_dir() -> Option<PathBuf> {
    from_env("BOUNCEBOOK_CONFIG_DIR")
        .or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
}

/// The data dir (tickets, clipboard fallback files, logs), if one can be determined.
pub fn data_dir() -> Option<PathBuf> {
    from_env("BOUNCEBOOK_DATA_DIR").or_else(|| project_dirs().map(|d| d.data_dir().to_path_buf()))
}
