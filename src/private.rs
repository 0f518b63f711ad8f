//! Files and folders private to the user, whatever the umask: folders 0700, files 0600.
//!
//! Tickets hold customers' addresses, mail headers and the agents' notes, and agents often
//! work on a shared jump host. Every folder and file bouncebook creates in its data dir goes
//! through here. The modes are asked for at creation (the umask can only take bits away, so
//! 0700 / 0600 stay at most that) and an existing folder or file that is wider is tightened.
//! A folder that cannot be tightened (another user's, or a shared one with the sticky bit
//! like /tmp) is left alone and reported: the caller says so once.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode bits for folders and files bouncebook creates.
pub const DIR_MODE: u32 = 0o700;
pub const FILE_MODE: u32 = 0o600;

/// Create `dir` (and its missing parents) and make sure it is private. Parents that are
/// created are made private too (they hold nothing but bouncebook's data); existing parents
/// are not touched. Returns a warning when `dir` exists, is readable by others and could not
/// be tightened.
pub fn ensure_dir(dir: &Path) -> io::Result<Option<String>> {
    create_dir(dir)?;
    Ok(tighten_dir(dir))
}

#[cfg(unix)]
fn create_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
}

#[cfg(not(unix))]
fn create_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Make an existing folder 0700 when it is wider. None when it is private (now); otherwise
/// the warning to show once.
#[cfg(unix)]
pub fn tighten_dir(dir: &Path) -> Option<String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = match fs::metadata(dir) {
        Ok(m) => m,
        Err(e) => return Some(format!("cannot check the mode of {}: {e}", dir.display())),
    };
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 == 0 {
        return None;
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let shared = mode & 0o1000 != 0;
    if meta.uid() != me || shared {
        let why = if shared {
            "a shared folder (sticky bit)"
        } else {
            "not yours"
        };
        return Some(format!(
            "{} is open to other users (mode {:04o}) and was left as it is ({why}); \
             point BOUNCEBOOK_DATA_DIR at a private folder",
            dir.display(),
            mode
        ));
    }
    match fs::set_permissions(dir, fs::Permissions::from_mode((mode & !0o077) | DIR_MODE)) {
        Ok(()) => None,
        Err(e) => Some(format!(
            "{} is open to other users (mode {:04o}) and could not be made private: {e}",
            dir.display(),
            mode
        )),
    }
}

#[cfg(not(unix))]
pub fn tighten_dir(_dir: &Path) -> Option<String> {
    None
}

/// Options for creating a private file: mode 0600 when it is created.
pub fn file_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// Make an existing file 0600 when it is wider (a file left by an older bouncebook or copied
/// in). Best effort on a file the caller holds open: an error is returned for the caller to
/// report.
#[cfg(unix)]
pub fn tighten_file(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode() & 0o7777;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    file.set_permissions(fs::Permissions::from_mode(mode & !0o077 & 0o600))
}

#[cfg(not(unix))]
pub fn tighten_file(_file: &File) -> io::Result<()> {
    Ok(())
}

/// The permission bits of a path (0 where the platform has none), for messages and tests.
pub fn mode_of(path: &Path) -> io::Result<u32> {
    let meta = fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Ok(0)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_folder_and_its_new_parents_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        assert_eq!(ensure_dir(&dir).unwrap(), None);
        assert_eq!(mode_of(&dir).unwrap(), 0o700);
        assert_eq!(mode_of(&tmp.path().join("a")).unwrap(), 0o700);
    }

    #[test]
    fn a_wider_folder_of_ours_is_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("open");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(ensure_dir(&dir).unwrap(), None);
        assert_eq!(mode_of(&dir).unwrap(), 0o700);
    }

    #[test]
    fn a_shared_sticky_folder_is_reported_not_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("shared");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
        let warning = ensure_dir(&dir).unwrap().expect("a warning");
        assert!(warning.contains("mode 1777"), "{warning}");
        assert!(warning.contains("sticky"), "{warning}");
        assert_eq!(mode_of(&dir).unwrap(), 0o1777);
    }

    #[test]
    fn a_wider_file_is_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f");
        fs::write(&path, b"x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        tighten_file(&File::open(&path).unwrap()).unwrap();
        assert_eq!(mode_of(&path).unwrap(), 0o600);
    }
}
