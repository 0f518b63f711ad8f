//! Forgetting tickets: `tickets delete ID...`, `tickets prune --older-than DURATION` and the
//! retention setting. A ticket is removed with everything kept for it in `tickets/`: the
//! ticket file, its lock, temporary files a killed save left, and unreadable copies moved
//! aside. Never while another bouncebook holds the ticket open: the remover takes the
//! ticket's lock first, exactly as `open` does, so the two cannot interleave.

use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::{
    TEMP_RAND_LEN, TEMP_SUFFIX, decode, is_temp_of, is_valid_id, sync_dir, temp_prefix, tickets_dir,
};
use crate::private;

/// Kept as an alias so callers need not name chrono's type.
pub type Duration = TimeDelta;

/// Why a ticket could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteError {
    #[error("ticket {id} is open in another bouncebook (lock {lock}); close it there first")]
    Locked { id: String, lock: PathBuf },
    #[error("no ticket {0} (nothing kept for it)")]
    NotFound(String),
    #[error(
        "invalid ticket id {0:?}: use letters, digits, '.', '-' or '_' (at most 64, not starting with '.')"
    )]
    InvalidId(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

/// A ticket removed (or, in a dry run, that would be): the files that went.
#[derive(Debug, Clone, PartialEq)]
pub struct Forgotten {
    pub id: String,
    /// When it was last changed (the later of its saved `updated` and its files' times).
    pub changed: Option<DateTime<Utc>>,
    pub files: Vec<PathBuf>,
}

/// Why prune left a ticket alone when another bouncebook has it open.
pub const SKIPPED_OPEN: &str = "open in another bouncebook";

/// A ticket prune left alone, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub id: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PruneReport {
    /// Removed, or with `dry_run` the ones that would be.
    pub removed: Vec<Forgotten>,
    /// Old enough but left alone (open in another bouncebook, or an error).
    pub skipped: Vec<Skipped>,
    /// Clipboard fallback files (copied summaries) older than the limit, removed too.
    pub clipboard: Vec<PathBuf>,
}

/// What one file in `tickets/` is to its ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Ticket,
    Lock,
    Temp,
    Corrupt,
}

/// Which ticket a file in `tickets/` belongs to, from its name alone. Exact patterns, so
/// that deleting `a` never touches `a.b`'s files (ids may contain dots and dashes).
fn owner_of(name: &str) -> Option<(String, Kind)> {
    if let Some(id) = name.strip_suffix(".json").filter(|id| is_valid_id(id)) {
        return Some((id.to_string(), Kind::Ticket));
    }
    if let Some(id) = name.strip_suffix(".lock").filter(|id| is_valid_id(id)) {
        return Some((id.to_string(), Kind::Lock));
    }
    if let Some(rest) = name.strip_prefix(".tmp-") {
        let id_len = rest
            .len()
            .checked_sub(1 + TEMP_RAND_LEN + TEMP_SUFFIX.len())?;
        let id = rest.get(..id_len)?;
        if is_valid_id(id) && is_temp_of(name, id) {
            debug_assert!(name.starts_with(&temp_prefix(id)));
            return Some((id.to_string(), Kind::Temp));
        }
        return None;
    }
    let (head, stamp) = name.rsplit_once(".json.corrupt-")?;
    (is_valid_id(head) && is_corrupt_stamp(stamp)).then(|| (head.to_string(), Kind::Corrupt))
}

/// `20261129T053412.123Z`, optionally followed by `-N` (see `corrupt_name`).
fn is_corrupt_stamp(stamp: &str) -> bool {
    let (base, n) = match stamp.split_once("Z-") {
        Some((base, n)) => (base, Some(n)),
        None => match stamp.strip_suffix('Z') {
            Some(base) => (base, None),
            None => return false,
        },
    };
    let b = base.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() == 19
        && digits(0..8)
        && b[8] == b'T'
        && digits(9..15)
        && b[15] == b'.'
        && digits(16..19)
        && n.is_none_or(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

/// Every file in `tickets/` that belongs to a ticket, by ticket id.
fn files_by_ticket(dir: &Path) -> io::Result<BTreeMap<String, Vec<(PathBuf, Kind)>>> {
    let mut out: BTreeMap<String, Vec<(PathBuf, Kind)>> = BTreeMap::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if let Some((id, kind)) = owner_of(&name) {
            out.entry(id).or_default().push((entry.path(), kind));
        }
    }
    for files in out.values_mut() {
        files.sort();
    }
    Ok(out)
}

fn files_of(dir: &Path, id: &str) -> io::Result<Vec<(PathBuf, Kind)>> {
    Ok(files_by_ticket(dir)?.remove(id).unwrap_or_default())
}

/// Remove one ticket and everything kept for it. Refused while another bouncebook holds
/// it open; the lock is taken for the whole removal so no one opens it half-removed.
pub fn delete(data_dir: &Path, id: &str) -> Result<Forgotten, DeleteError> {
    if !is_valid_id(id) {
        return Err(DeleteError::InvalidId(id.to_string()));
    }
    let dir = tickets_dir(data_dir);
    let io_err = |context: String| move |source| DeleteError::Io { context, source };
    let before = files_of(&dir, id).map_err(io_err(format!("cannot list {}", dir.display())))?;
    if before.is_empty() {
        return Err(DeleteError::NotFound(id.to_string()));
    }
    let changed = last_changed(&before);
    let lock_path = dir.join(format!("{id}.lock"));
    let lock = take_lock(&lock_path).map_err(|e| match e {
        LockFailure::Held => DeleteError::Locked {
            id: id.to_string(),
            lock: lock_path.clone(),
        },
        LockFailure::Io(source) => DeleteError::Io {
            context: format!("cannot lock {}", lock_path.display()),
            source,
        },
    })?;
    // Listed again under the lock: a save that finished meanwhile may have added a file.
    let files = files_of(&dir, id).map_err(io_err(format!("cannot list {}", dir.display())))?;
    let mut removed = Vec::new();
    // The lock file goes last, so the ticket stays locked until everything else is gone.
    for (path, _) in files.iter().filter(|(_, k)| *k != Kind::Lock) {
        remove(path, &mut removed).map_err(io_err(format!("cannot remove {}", path.display())))?;
    }
    remove(&lock_path, &mut removed)
        .map_err(io_err(format!("cannot remove {}", lock_path.display())))?;
    drop(lock);
    sync_dir(&dir).map_err(io_err(format!("cannot sync {}", dir.display())))?;
    removed.sort();
    Ok(Forgotten {
        id: id.to_string(),
        changed,
        files: removed,
    })
}

fn remove(path: &Path, removed: &mut Vec<PathBuf>) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {
            removed.push(path.to_path_buf());
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

enum LockFailure {
    Held,
    Io(io::Error),
}

/// The ticket's lock, created if need be (private), held until the returned file drops.
fn take_lock(path: &Path) -> Result<File, LockFailure> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            private::file_options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)
                .map_err(LockFailure::Io)?;
            File::open(path).map_err(LockFailure::Io)?
        }
        Err(e) => return Err(LockFailure::Io(e)),
    };
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(LockFailure::Held),
        Err(TryLockError::Error(e)) => Err(LockFailure::Io(e)),
    }
}

/// True when another process holds the ticket's lock right now. Creates nothing: a ticket
/// without a lock file is not open anywhere.
fn is_held(path: &Path) -> io::Result<bool> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    match file.try_lock() {
        Ok(()) => Ok(false),
        Err(TryLockError::WouldBlock) => Ok(true),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

fn mtime(path: &Path) -> Option<DateTime<Utc>> {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from)
}

/// When a ticket last changed: the later of its saved `updated` and the newest of its
/// files' modification times. The later of the two, so a ticket touched in any way
/// recently (even a resume that only moved the cursor) is never taken for an old one.
fn last_changed(files: &[(PathBuf, Kind)]) -> Option<DateTime<Utc>> {
    let updated = files
        .iter()
        .filter(|(_, k)| *k == Kind::Ticket)
        .filter_map(|(p, _)| fs::read(p).ok())
        .filter_map(|b| decode(&b).ok())
        .map(|t| t.updated)
        .max();
    let touched = files.iter().filter_map(|(p, _)| mtime(p)).max();
    updated.max(touched)
}

/// Remove every ticket not changed for `older_than` (as of `now`), and clipboard fallback
/// files as old. With `dry_run`, only say what would go. Tickets open in another bouncebook
/// are skipped and reported, never waited for.
pub fn prune(
    data_dir: &Path,
    older_than: Duration,
    now: DateTime<Utc>,
    dry_run: bool,
) -> io::Result<PruneReport> {
    let dir = tickets_dir(data_dir);
    let cutoff = now - older_than;
    let mut report = PruneReport::default();
    for (id, files) in files_by_ticket(&dir)? {
        let changed = last_changed(&files);
        if changed.is_some_and(|c| c > cutoff) {
            continue;
        }
        let lock = dir.join(format!("{id}.lock"));
        if dry_run {
            match is_held(&lock) {
                Ok(false) => report.removed.push(Forgotten {
                    id,
                    changed,
                    files: files.into_iter().map(|(p, _)| p).collect(),
                }),
                Ok(true) => report.skipped.push(Skipped {
                    id,
                    why: SKIPPED_OPEN.into(),
                }),
                Err(e) => report.skipped.push(Skipped {
                    id,
                    why: format!("cannot check its lock: {e}"),
                }),
            }
            continue;
        }
        match delete(data_dir, &id) {
            Ok(gone) => report.removed.push(gone),
            Err(DeleteError::NotFound(_)) => {}
            Err(DeleteError::Locked { .. }) => report.skipped.push(Skipped {
                id,
                why: SKIPPED_OPEN.into(),
            }),
            Err(e) => report.skipped.push(Skipped {
                id,
                why: e.to_string(),
            }),
        }
    }
    report.clipboard = prune_clipboard(&data_dir.join("clipboard"), cutoff, dry_run);
    Ok(report)
}

/// Copied summaries saved by the clipboard's last link (`copy-*.txt`): they quote tickets,
/// so they go with them. Best effort: one that cannot be removed is left for the next run.
fn prune_clipboard(dir: &Path, cutoff: DateTime<Utc>, dry_run: bool) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("copy-") && n.ends_with(".txt"))
        })
        .filter(|p| mtime(p).is_some_and(|t| t <= cutoff))
        .filter(|p| dry_run || fs::remove_file(p).is_ok())
        .collect();
    out.sort();
    out
}

/// `30d`, `12h`, `90m`, `2w`, `45s`, or several together (`1d12h`). A bare number or an
/// unknown unit is an error that says what is accepted.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let help = "use a number and a unit: s, m, h, d or w (e.g. 30d, 12h, 1d12h)";
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("empty duration: {help}"));
    }
    let mut total = TimeDelta::zero();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("{text:?} is not a duration: {help}"));
        }
        let n: i64 = rest[..digits]
            .parse()
            .map_err(|_| format!("{text:?}: number too large"))?;
        let mut chars = rest[digits..].chars();
        let unit = chars
            .next()
            .ok_or_else(|| format!("{text:?} has no unit: {help}"))?;
        let part = match unit {
            's' => TimeDelta::try_seconds(n),
            'm' => TimeDelta::try_minutes(n),
            'h' => TimeDelta::try_hours(n),
            'd' => TimeDelta::try_days(n),
            'w' => TimeDelta::try_weeks(n),
            _ => return Err(format!("{text:?}: unknown unit {unit:?}: {help}")),
        }
        .ok_or_else(|| format!("{text:?}: too long"))?;
        total = total
            .checked_add(&part)
            .ok_or_else(|| format!("{text:?}: too long"))?;
        rest = chars.as_str();
    }
    Ok(total)
}

/// A duration as the agent would write it (`30d`, `12h`, `1d12h`), for messages.
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.num_seconds().max(0);
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("30d").unwrap(), TimeDelta::days(30));
        assert_eq!(parse_duration("12h").unwrap(), TimeDelta::hours(12));
        assert_eq!(
            parse_duration("1d12h").unwrap(),
            TimeDelta::hours(36),
            "parts add up"
        );
        assert_eq!(parse_duration("2w").unwrap(), TimeDelta::days(14));
        for bad in ["", "30", "d", "30x", "3.5d", "-1d", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert_eq!(format_duration(TimeDelta::hours(36)), "1d12h");
        assert_eq!(format_duration(TimeDelta::days(30)), "30d");
    }

    #[test]
    fn files_are_matched_to_their_own_ticket_only() {
        let kinds = |name: &str| owner_of(name);
        assert_eq!(kinds("a.json"), Some(("a".into(), Kind::Ticket)));
        assert_eq!(kinds("a.b.json"), Some(("a.b".into(), Kind::Ticket)));
        assert_eq!(kinds("a.lock"), Some(("a".into(), Kind::Lock)));
        assert_eq!(kinds(".tmp-a-Xy12Z9.json"), Some(("a".into(), Kind::Temp)));
        assert_eq!(
            kinds(".tmp-a-b-Xy12Z9.json"),
            Some(("a-b".into(), Kind::Temp))
        );
        assert_eq!(
            kinds("a.json.corrupt-20261129T050001.000Z"),
            Some(("a".into(), Kind::Corrupt))
        );
        assert_eq!(
            kinds("a.json.corrupt-20261129T050001.000Z-2"),
            Some(("a".into(), Kind::Corrupt))
        );
        assert_eq!(kinds("a.json.corrupt-whatever"), None);
        assert_eq!(kinds(".tmp-a-short.json"), None);
        assert_eq!(kinds("notes.txt"), None);
    }
}
