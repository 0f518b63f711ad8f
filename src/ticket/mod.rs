//! A ticket's state (the bounce, the ticks, the notes, where the agent was) and its store:
//! `<data dir>/tickets/<id>.json`, versioned, written atomically, one writer at a time.
//!
//! Durability rules (the agent must never lose a tick the screen showed as saved):
//! - every save writes a temporary file in the same directory, fsyncs it, renames it over the
//!   ticket and fsyncs the directory; a crash leaves either the old or the new file, whole;
//! - a `<id>.lock` file held with an exclusive `flock` for as long as the ticket is open, so
//!   a second instance on the same ticket is refused instead of overwriting the first one's
//!   work;
//! - a file that does not parse is moved aside (`<id>.json.corrupt-<timestamp>`) and
//!   reported, never silently replaced.

use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::private;

mod forget;
pub use forget::{
    DeleteError, Duration, Forgotten, PruneReport, SKIPPED_OPEN, Skipped, delete, format_duration,
    parse_duration, prune,
};

/// Bumped when the on-disk format changes incompatibly; older files are migrated on load.
/// Fields added with a serde default (a newer bouncebook's additions an older file lacks)
/// do not bump it: an older file loads as is.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub version: u32,
    pub id: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// The current bounce as pasted, with credentials redacted.
    #[serde(default)]
    pub bounce: Option<String>,
    /// Earlier bounces replaced by a re-paste, oldest first.
    #[serde(default)]
    pub history: Vec<PastBounce>,
    /// Which record (recipient) of the bounce the agent is working.
    #[serde(default)]
    pub selected_record: usize,
    /// variation id → step id → state: how tickets stored their work before ticks belonged
    /// to a record. Still read (as every record's starting state for that cause), no longer
    /// written; see [`Ticket::records`].
    #[serde(default)]
    pub progress: BTreeMap<String, BTreeMap<String, StepState>>,
    #[serde(default)]
    pub ui: UiState,
    /// Ticks and notes per record: record key ([`record_key`]) → variation id → step id →
    /// state. Per variation too, so a record whose cause the agent changes keeps the work
    /// done under each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub records: BTreeMap<String, BTreeMap<String, BTreeMap<String, StepState>>>,
    /// Facts and placeholder values the agent typed (`e`), by name (`refused_by`,
    /// `submission_host`, ...): used in every record's conditions, commands and reply.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    /// Causes the agent set by hand (`v`), at most one per record. Ticket state: the
    /// classifier's own answer (triage JSON) is never changed by them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<AgentCause>,
    /// Every change of a record's cause by the agent, oldest first, so work done on an
    /// earlier cause is still found (and summarised) after the cause changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cause_history: Vec<CauseChange>,
    /// Live checks run from this ticket (`d`), the latest run per record. Absent in older
    /// files; results are sanitised text only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<crate::checks::CheckRun>,
}

/// The key a record's ticks are saved under: its recipient (lower-cased), so the work
/// follows the recipient when the same bounce is pasted again; `#N` when it names none.
pub fn record_key(index: usize, recipient: Option<&str>) -> String {
    match recipient.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => r.to_lowercase(),
        None => format!("#{index}"),
    }
}

/// The key a record's work is saved under in this ticket: [`record_key`] of its recipient,
/// unless the ticket holds work only under another name the bounce gives the same record
/// (`also_named`: the address the sender wrote, or the recipient site's expansion of it).
/// A ticket saved while the record was reported under that other address keeps its ticks.
pub fn record_key_in(
    ticket: &Ticket,
    index: usize,
    recipient: Option<&str>,
    also_named: Option<&str>,
) -> String {
    let key = record_key(index, recipient);
    if ticket.records.contains_key(&key) {
        return key;
    }
    also_named
        .map(|a| record_key(index, Some(a)))
        .filter(|k| ticket.records.contains_key(k))
        .unwrap_or(key)
}

/// Which record a cause belongs to: its index in the bounce, and what makes it that record
/// (its recipient and the server's words), so a cause set on one paste never lands on a
/// different record of another.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecordRef {
    pub index: usize,
    #[serde(default)]
    pub recipient: Option<String>,
    /// The server's words for this record (its diagnostic line), as stored (redacted).
    #[serde(default)]
    pub server_words: Option<String>,
    /// The other address the bounce gives the same record (the address the sender wrote,
    /// or the recipient site's expansion of it), so a cause set while the record was named
    /// by that one still finds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also_named: Option<String>,
}

impl RecordRef {
    /// The same record: the same recipient (any case; the same index when the bounce names
    /// none) refused with the same words. The index alone is not enough: a re-pasted bounce
    /// may list its recipients in another order, or other ones.
    pub fn same_record(&self, other: &RecordRef) -> bool {
        let names = |r: &'_ RecordRef| {
            [r.recipient.clone(), r.also_named.clone()]
                .into_iter()
                .flatten()
                .map(|n| n.trim().to_lowercase())
                .collect::<Vec<_>>()
        };
        let recipients = match (&self.recipient, &other.recipient) {
            (Some(_), Some(_)) => {
                let theirs = names(other);
                names(self).iter().any(|n| theirs.contains(n))
            }
            (None, None) => self.index == other.index,
            _ => false,
        };
        recipients && self.server_words == other.server_words
    }
}

/// A cause the agent set for one record, replacing the classifier's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentCause {
    pub record: RecordRef,
    /// The variation the agent chose.
    pub variation: String,
    /// What bouncebook said, and how sure it was (0..=1).
    pub classified: String,
    pub confidence: f32,
    pub set_at: DateTime<Utc>,
    /// The SMTP command the server answered, when the bounce says (for playbook examples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

/// One change of a record's cause: `from` → `to` (either may be the classifier's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CauseChange {
    pub record: RecordRef,
    pub from: String,
    pub to: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastBounce {
    pub text: String,
    pub replaced_at: DateTime<Utc>,
    /// The ticks and notes the agent chose to clear when this bounce was replaced (same
    /// shape as [`Ticket::records`]), kept with it so nothing is lost and switching back
    /// (`h`) brings them back. Empty when the work was kept on the ticket.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub records: BTreeMap<String, BTreeMap<String, BTreeMap<String, StepState>>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StepState {
    pub done: bool,
    #[serde(default)]
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where the agent was, so a resumed ticket opens exactly there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// `bounce`, `diagnosis` or `checklist`.
    pub focus: String,
    pub selected_step: usize,
    pub bounce_scroll: usize,
}

impl Ticket {
    pub fn new(id: impl Into<String>, now: DateTime<Utc>) -> Self {
        Ticket {
            version: FORMAT_VERSION,
            id: id.into(),
            created: now,
            updated: now,
            bounce: None,
            history: Vec::new(),
            selected_record: 0,
            progress: BTreeMap::new(),
            ui: UiState::default(),
            records: BTreeMap::new(),
            values: BTreeMap::new(),
            causes: Vec::new(),
            cause_history: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// The live checks last run for record `record`, if any.
    pub fn checks_for(&self, record: usize) -> Option<&crate::checks::CheckRun> {
        self.checks.iter().find(|r| r.record == record)
    }

    /// The cause the agent set for this record, if any.
    pub fn agent_cause(&self, record: &RecordRef) -> Option<&AgentCause> {
        self.causes.iter().find(|c| c.record.same_record(record))
    }

    /// The agent chose `chosen` for `record`, which the classifier calls `classified` at
    /// `confidence`. Choosing the classifier's own cause clears the agent's mark. Returns
    /// false when nothing changed (the record already had that cause).
    pub fn set_cause(
        &mut self,
        record: &RecordRef,
        classified: &str,
        confidence: f32,
        chosen: &str,
        now: DateTime<Utc>,
    ) -> bool {
        self.set_cause_at_stage(record, None, classified, confidence, chosen, now)
    }

    /// [`Ticket::set_cause`], also keeping the SMTP stage the record was refused at.
    pub fn set_cause_at_stage(
        &mut self,
        record: &RecordRef,
        stage: Option<&str>,
        classified: &str,
        confidence: f32,
        chosen: &str,
        now: DateTime<Utc>,
    ) -> bool {
        let current = self
            .agent_cause(record)
            .map_or(classified, |c| c.variation.as_str())
            .to_string();
        if current == chosen {
            return false;
        }
        self.causes.retain(|c| !c.record.same_record(record));
        if chosen != classified {
            self.causes.push(AgentCause {
                record: record.clone(),
                variation: chosen.to_string(),
                classified: classified.to_string(),
                confidence,
                set_at: now,
                stage: stage.map(str::to_string),
            });
        }
        self.cause_history.push(CauseChange {
            record: record.clone(),
            from: current,
            to: chosen.to_string(),
            at: now,
        });
        true
    }

    /// The causes this record had before its current one, oldest first, each once.
    pub fn earlier_causes(&self, record: &RecordRef, current: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for change in self
            .cause_history
            .iter()
            .filter(|c| c.record.same_record(record))
        {
            for v in [change.from.as_str(), change.to.as_str()] {
                if v != current && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// Ticked steps for one variation, over every record (and the older shared store).
    pub fn done_count(&self, variation: &str) -> usize {
        let count = |steps: &BTreeMap<String, StepState>| steps.values().filter(|s| s.done).count();
        let legacy = self.progress.get(variation).map_or(0, count);
        let per_record: usize = self
            .records
            .values()
            .filter_map(|by_variation| by_variation.get(variation))
            .map(count)
            .sum();
        legacy + per_record
    }

    /// The step states of one record's checklist for `variation`: the record's own, else
    /// what an older ticket stored for the cause as a whole.
    pub fn record_steps(&self, key: &str, variation: &str) -> Option<&BTreeMap<String, StepState>> {
        self.records
            .get(key)
            .and_then(|v| v.get(variation))
            .or_else(|| self.progress.get(variation))
    }

    /// One step's state in one record's checklist, made on first use (from the older shared
    /// store when it has one, so no earlier tick is lost).
    pub fn record_step_mut(&mut self, key: &str, variation: &str, step: &str) -> &mut StepState {
        let legacy = self.progress.get(variation).cloned();
        self.records
            .entry(key.to_string())
            .or_default()
            .entry(variation.to_string())
            .or_insert_with(|| legacy.unwrap_or_default())
            .entry(step.to_string())
            .or_default()
    }

    /// Whether any record has a tick or a note.
    pub fn has_work(&self) -> bool {
        let any = |steps: &BTreeMap<String, StepState>| {
            steps.values().any(|s| s.done || s.note.is_some())
        };
        self.progress.values().any(any) || self.records.values().flat_map(|v| v.values()).any(any)
    }
}

/// Why a ticket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "ticket {id} is already open in another bouncebook (lock {lock}); close that one first"
    )]
    Locked { id: String, lock: PathBuf },
    #[error(
        "invalid ticket id {0:?}: use letters, digits, '.', '-' or '_' (at most 64, not starting with '.')"
    )]
    InvalidId(String),
    #[error(
        "ticket {id} was written by a newer bouncebook (format {found}, this one reads up to {FORMAT_VERSION}); not touching it"
    )]
    TooNew { id: String, found: u32 },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> OpenError {
    let context = context.into();
    move |source| OpenError::Io { context, source }
}

/// True for ids that are safe as a file name on every platform we run on.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// The tickets directory of a data dir.
pub fn tickets_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tickets")
}

/// A ticket opened for writing: holds the lock until dropped.
#[derive(Debug)]
pub struct OpenTicket {
    pub ticket: Ticket,
    /// True when the ticket was read from disk (a resume), false when it is new.
    pub resumed: bool,
    /// Things the agent must be told (a corrupt file moved aside, a migration).
    pub notices: Vec<String>,
    /// Where an unreadable ticket file was moved, to be repeated when the app exits.
    pub moved_aside: Option<PathBuf>,
    pub handle: TicketHandle,
}

/// The right to write one ticket file. Dropping it releases the lock.
#[derive(Debug)]
pub struct TicketHandle {
    dir: PathBuf,
    path: PathBuf,
    // Held for its lock; the OS releases the flock when the file is closed.
    _lock: File,
}

impl TicketHandle {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Close a ticket that was never saved, removing its lock file so the unused id does
    /// not linger (ids made from the clock skip ids whose lock file exists).
    pub fn discard_if_unsaved(self) {
        if !self.path.exists() {
            let _ = fs::remove_file(self.dir.join(format!("{}.lock", self.id())));
        }
    }

    fn id(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Write the ticket atomically: temp file in the same dir, write, fsync, rename, fsync
    /// the dir. Returns only once the new content is durable under the final name.
    pub fn save(&self, ticket: &Ticket) -> io::Result<()> {
        self.write_atomically(ticket).map_err(without_temp_path)
    }

    fn write_atomically(&self, ticket: &Ticket) -> io::Result<()> {
        let prefix = temp_prefix(&self.id());
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&prefix)
            .rand_bytes(TEMP_RAND_LEN)
            .suffix(TEMP_SUFFIX);
        // tempfile's default is 0600 already; said here so the rename can never publish a
        // wider ticket file whatever that default becomes.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(crate::private::FILE_MODE));
        }
        let mut tmp = builder.tempfile_in(&self.dir)?;
        // Streamed: a 5 MB bounce is not serialised into a second in-memory copy first.
        {
            let mut out = io::BufWriter::new(tmp.as_file_mut());
            serde_json::to_writer_pretty(&mut out, ticket).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        sync_dir(&self.dir)
    }
}

/// The error alone, without the "at path <temp file>" tempfile adds to its errors: the
/// temp file is an internal detail, and its long path pushed the rest of the status line
/// ("kept in memory; retried on the next change") off the screen.
/// (tempfile formats its wrapper as "<error> at path <path>" and keeps the error private.)
fn without_temp_path(e: io::Error) -> io::Error {
    if e.raw_os_error().is_some() {
        return e;
    }
    let text = e.to_string();
    match text.split_once(" at path ") {
        Some((error, _)) => io::Error::new(e.kind(), error.to_string()),
        None => e,
    }
}

/// Temporary files are `.tmp-<id>-<6 random alphanumerics>.json`: named after their
/// ticket, so that the holder of a ticket's lock can tell its own leftovers from another
/// ticket's save in progress (the fixed length makes the match exact even when one id is a
/// prefix of another).
const TEMP_RAND_LEN: usize = 6;
const TEMP_SUFFIX: &str = ".json";

fn temp_prefix(id: &str) -> String {
    format!(".tmp-{id}-")
}

fn is_temp_of(name: &str, id: &str) -> bool {
    name.strip_prefix(&temp_prefix(id))
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|rand| {
            rand.len() == TEMP_RAND_LEN && rand.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Remove the temporary files a save of this ticket left behind when the process was
/// killed between creating one and renaming it (each is a whole copy of the ticket, and
/// nothing else would ever delete them). Only called with the ticket's lock held, so none
/// of them belongs to a save in progress. Best effort: a leftover is harmless.
fn remove_stale_temps(dir: &Path, id: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_str()
            .is_some_and(|name| is_temp_of(name, id))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    // Makes the rename itself durable. Directories cannot be opened for fsync on Windows.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Open (or create) a ticket for writing. Takes the lock first, so a refused second
/// instance never reads a half-written state or moves a file aside under the first one.
pub fn open(data_dir: &Path, id: &str, now: DateTime<Utc>) -> Result<OpenTicket, OpenError> {
    if !is_valid_id(id) {
        return Err(OpenError::InvalidId(id.to_string()));
    }
    let dir = tickets_dir(data_dir);
    let mut notices = private_dirs(data_dir)?;
    let lock_path = dir.join(format!("{id}.lock"));
    // The lock is held through a read-only descriptor: flock needs no write access, and a
    // descriptor open for writing would keep the data dir's filesystem from being remounted
    // read-only (EBUSY) for as long as the app runs. Created first if need be.
    let cannot_open = || io_err(format!("cannot open {}", lock_path.display()));
    let lock = match File::open(&lock_path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            private::file_options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(cannot_open())?;
            File::open(&lock_path).map_err(cannot_open())?
        }
        Err(e) => return Err(cannot_open()(e)),
    };
    // A lock file left by an older bouncebook may be 0644; it names the ticket only, but
    // the rule is one: nothing of ours readable by others. Not worth refusing the ticket over.
    let _ = private::tighten_file(&lock);
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(OpenError::Locked {
                id: id.to_string(),
                lock: lock_path,
            });
        }
        Err(TryLockError::Error(e)) => {
            return Err(io_err(format!("cannot lock {}", lock_path.display()))(e));
        }
    }
    remove_stale_temps(&dir, id);
    let path = dir.join(format!("{id}.json"));
    let handle = TicketHandle {
        dir,
        path: path.clone(),
        _lock: lock,
    };
    tighten_ticket_file(&path, &mut notices);
    let mut moved_aside = None;
    let (ticket, resumed) = match fs::read(&path) {
        Ok(bytes) => match decode(&bytes) {
            Ok(t) if t.version > FORMAT_VERSION => {
                return Err(OpenError::TooNew {
                    id: id.to_string(),
                    found: t.version,
                });
            }
            Ok(t) => (migrate(t, id), true),
            Err(why) => {
                let aside = corrupt_name(&path, now);
                fs::rename(&path, &aside)
                    .map_err(io_err(format!("cannot move aside {}", path.display())))?;
                // Short facts first: on an 80-column status line the agent must still
                // see where the old file went (it sits next to the ticket file).
                let name = aside.file_name().map_or_else(
                    || aside.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                notices.push(format!(
                    "ticket file unreadable, moved aside: {name} (new ticket started; {why})"
                ));
                moved_aside = Some(aside);
                (Ticket::new(id, now), false)
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => (Ticket::new(id, now), false),
        Err(e) => return Err(io_err(format!("cannot read {}", path.display()))(e)),
    };
    Ok(OpenTicket {
        ticket,
        resumed,
        notices,
        moved_aside,
        handle,
    })
}

/// The data dir and its `tickets/` made (or checked) private. Returns the warnings to show
/// once: a folder open to others that could not be tightened.
pub fn private_dirs(data_dir: &Path) -> Result<Vec<String>, OpenError> {
    let dir = tickets_dir(data_dir);
    let mut warnings = Vec::new();
    for d in [data_dir, dir.as_path()] {
        if let Some(w) =
            private::ensure_dir(d).map_err(io_err(format!("cannot create {}", d.display())))?
        {
            warnings.push(w);
        }
    }
    Ok(warnings)
}

/// A ticket file written by an older bouncebook (or copied in) may be wider than 0600; the
/// next save would fix it, but a ticket that is only read would stay open to others.
fn tighten_ticket_file(path: &Path, notices: &mut Vec<String>) {
    let Ok(file) = File::open(path) else {
        return;
    };
    if let Err(e) = private::tighten_file(&file) {
        notices.push(format!(
            "{} is readable by others and could not be made private: {e}",
            path.display()
        ));
    }
}

fn decode(bytes: &[u8]) -> Result<Ticket, String> {
    serde_json::from_slice::<Ticket>(bytes).map_err(|e| e.to_string())
}

/// Bring an older format up to date. Version 1 is the first; this is where a version 2
/// would convert. Also repairs an id that disagrees with the file name.
fn migrate(mut ticket: Ticket, id: &str) -> Ticket {
    ticket.version = FORMAT_VERSION;
    ticket.id = id.to_string();
    ticket
}

fn corrupt_name(path: &Path, now: DateTime<Utc>) -> PathBuf {
    let stamp = now.format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".corrupt-{stamp}"));
    let mut candidate = PathBuf::from(&name);
    let mut n = 2;
    while candidate.exists() {
        let mut numbered = name.clone();
        numbered.push(format!("-{n}"));
        candidate = PathBuf::from(numbered);
        n += 1;
    }
    candidate
}

/// A fresh id from the clock (`20261129-053412`), made unique among existing tickets.
pub fn new_id(data_dir: &Path, now: DateTime<Utc>) -> String {
    let base = now.format("%Y%m%d-%H%M%S").to_string();
    let dir = tickets_dir(data_dir);
    let taken = |id: &str| {
        dir.join(format!("{id}.json")).exists() || dir.join(format!("{id}.lock")).exists()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// One saved ticket as `bouncebook tickets` lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub path: PathBuf,
    /// The ticket, or why it could not be read.
    pub ticket: Result<Ticket, String>,
}

impl Listed {
    fn updated(&self) -> Option<DateTime<Utc>> {
        self.ticket.as_ref().ok().map(|t| t.updated)
    }
}

/// Every `<id>.json` in the tickets dir, newest first (unreadable ones last, by id).
/// Reads without locking: a concurrent save replaces the file atomically, so a reader sees
/// the old or the new version, never a mix.
pub fn list(data_dir: &Path) -> io::Result<Vec<Listed>> {
    let dir = tickets_dir(data_dir);
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(id) = name.strip_suffix(".json") else {
            continue;
        };
        if !is_valid_id(id) {
            continue;
        }
        let ticket = fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| decode(&b));
        out.push(Listed {
            id: id.to_string(),
            path,
            ticket,
        });
    }
    out.sort_by(|a, b| b.updated().cmp(&a.updated()).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 5, 0, s).unwrap()
    }

    #[test]
    fn ids_are_file_name_safe() {
        assert!(is_valid_id("48213"));
        assert!(is_valid_id("20261129-053412-2"));
        for bad in ["", ".hidden", "a/b", "..", "a b", &"x".repeat(65)] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn temp_files_are_matched_to_their_own_ticket_only() {
        assert!(is_temp_of(".tmp-a-Xy12Z9.json", "a"));
        assert!(
            !is_temp_of(".tmp-a-b-Xy12Z9.json", "a"),
            "ticket a-b's temp file"
        );
        assert!(!is_temp_of(".tmp-a-bcdefg-Xy12Z9.json", "a"));
        assert!(!is_temp_of(".tmp-a-Xy12Z.json", "a"));
        assert!(!is_temp_of(".tmp-a-Xy1/Z9.json", "a"));
        assert!(!is_temp_of("a.json", "a"));
    }

    #[test]
    fn a_killed_save_s_temp_file_is_removed_on_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let opened = open(dir.path(), "k1", at(1)).unwrap();
        opened.handle.save(&opened.ticket).unwrap();
        drop(opened);
        let tickets = tickets_dir(dir.path());
        for name in [
            ".tmp-k1-aB3dE6.json",
            ".tmp-k10-aB3dE6.json",
            ".tmp-k1-x-aB3dE6.json",
        ] {
            fs::write(tickets.join(name), b"{\"half\": ").unwrap();
        }
        let _again = open(dir.path(), "k1", at(2)).unwrap();
        let mut left: Vec<String> = fs::read_dir(&tickets)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".tmp"))
            .collect();
        left.sort();
        assert_eq!(left, [".tmp-k1-x-aB3dE6.json", ".tmp-k10-aB3dE6.json"]);
    }

    #[test]
    fn a_failed_save_reports_the_error_without_the_temp_file_s_path() {
        let dir = tempfile::tempdir().unwrap();
        let opened = open(dir.path(), "t1", at(1)).unwrap();
        // The tickets dir removed under the app: creating the temp file fails.
        fs::remove_dir_all(tickets_dir(dir.path())).unwrap();
        let err = opened.handle.save(&opened.ticket).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let text = err.to_string();
        assert!(text.starts_with("No such file or directory"), "{text}");
        assert!(!text.contains(".tmp-"), "{text}");
    }

    fn rec(index: usize, to: &str) -> RecordRef {
        RecordRef {
            index,
            recipient: Some(to.into()),
            server_words: Some("553 sorry".into()),
            also_named: None,
        }
    }

    /// A cause set while the record was reported under the site's expansion of the address
    /// still belongs to it once the record is reported under the address the sender wrote.
    #[test]
    fn a_record_is_the_same_under_either_of_its_names() {
        let saved = rec(0, "j.doe@store.far.example");
        let now = RecordRef {
            recipient: Some("sales@far.example".into()),
            also_named: Some("J.Doe@store.far.example".into()),
            ..rec(0, "")
        };
        assert!(now.same_record(&saved));
        assert!(saved.same_record(&now));
        assert!(!rec(0, "sales@far.example").same_record(&saved));
    }

    #[test]
    fn the_agent_s_cause_is_set_changed_and_cleared_by_choosing_the_original() {
        let mut t = Ticket::new("c", at(0));
        let a = rec(0, "a@example.com");
        assert!(!t.set_cause(&a, "relay-denied", 0.9, "relay-denied", at(1)));
        assert!(t.cause_history.is_empty(), "no change, nothing logged");
        assert!(t.set_cause(&a, "relay-denied", 0.9, "sender-not-owned", at(2)));
        let set = t.agent_cause(&a).unwrap();
        assert_eq!(
            (set.variation.as_str(), set.classified.as_str()),
            ("sender-not-owned", "relay-denied")
        );
        // Another recipient, or the same one refused with other words, is not touched; the
        // same recipient at another index (a re-paste in another order) is the same record.
        assert!(t.agent_cause(&rec(0, "b@example.com")).is_none());
        let mut other_words = a.clone();
        other_words.server_words = Some("550 no such user".into());
        assert!(t.agent_cause(&other_words).is_none());
        assert!(t.agent_cause(&rec(3, "A@Example.com")).is_some());
        assert!(t.set_cause(&a, "relay-denied", 0.9, "policy-blocked", at(3)));
        assert_eq!(t.causes.len(), 1);
        assert_eq!(
            t.earlier_causes(&a, "policy-blocked"),
            ["relay-denied", "sender-not-owned"]
        );
        assert!(t.set_cause(&a, "relay-denied", 0.9, "relay-denied", at(4)));
        assert!(t.agent_cause(&a).is_none(), "the original clears the mark");
        assert_eq!(t.cause_history.len(), 3);
        assert_eq!(
            t.earlier_causes(&a, "relay-denied"),
            ["sender-not-owned", "policy-blocked"]
        );
    }

    #[test]
    fn a_file_without_causes_loads_and_one_with_them_round_trips() {
        let old = r#"{"version":1,"id":"o","created":"2026-11-29T05:00:00Z","updated":"2026-11-29T05:00:00Z"}"#;
        let t = decode(old.as_bytes()).unwrap();
        assert!(t.causes.is_empty() && t.cause_history.is_empty());
        // Written without the empty fields, so an unchanged ticket's file does not change.
        assert!(!serde_json::to_string(&t).unwrap().contains("causes"));
        let mut t = t;
        t.set_cause(
            &rec(0, "a@example.com"),
            "relay-denied",
            0.5,
            "mail-loop",
            at(1),
        );
        let back = decode(serde_json::to_string(&t).unwrap().as_bytes()).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn new_id_skips_taken_ids() {
        let dir = tempfile::tempdir().unwrap();
        let first = new_id(dir.path(), at(1));
        assert_eq!(first, "20261129-050001");
        let _open = open(dir.path(), &first, at(1)).unwrap();
        assert_eq!(new_id(dir.path(), at(1)), "20261129-050001-2");
    }
}
