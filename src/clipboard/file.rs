//! The last link: the text saved to a private file whose path the agent is shown.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::private;

/// Save `text` to a new file in `dir` (created if needed), readable by the owner only: a
/// summary names customers and may quote their mail. `dir` and the data dir holding it are
/// made private too; the second value is a warning when one of them is open to others and
/// could not be tightened (the file itself is private either way).
pub fn save(dir: &Path, text: &str, now: DateTime<Utc>) -> io::Result<(PathBuf, Option<String>)> {
    let mut warning = None;
    for d in dir.parent().into_iter().chain([dir]) {
        if let Some(w) = private::ensure_dir(d)? {
            warning = Some(w);
        }
    }
    let stamp = now.format("%Y%m%d-%H%M%S");
    let pid = std::process::id();
    for n in 0..100 {
        let path = dir.join(format!("copy-{stamp}-{pid}-{n}.txt"));
        match open_private(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                return Ok((path, warning));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free file name in the clipboard directory",
    ))
}

fn open_private(path: &Path) -> io::Result<fs::File> {
    private::file_options()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn saves_to_a_new_private_file_each_time() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("clipboard");
        let now = Utc.with_ymd_and_hms(2024, 6, 5, 9, 30, 0).single().unwrap();
        let (a, _) = save(&dir, "first", now).unwrap();
        let (b, _) = save(&dir, "second", now).unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read_to_string(&a).unwrap(), "first");
        assert_eq!(fs::read_to_string(&b).unwrap(), "second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&a).unwrap().permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(
                fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
                0o700
            );
        }
    }
}
