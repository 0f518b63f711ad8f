//! A delivery report as an admin tool shows it: labelled fields rather than a bounce.
//! Two layouts: a table (a header row of column names, tab-separated, and a row per
//! message: cPanel's Track Delivery, Plesk's mail log browser, Google Workspace's email log
//! search) and a list of `Label: value` lines (a Track Delivery row's detail view,
//! PowerShell's `Get-MessageTrace | fl`). The column and label names read are in the
//! vocabulary (`[table-recipient]`, `[table-sender]`, `[table-time]`, `[table-words]`,
//! `[table-outcome]`, `[table-host]`); a report is read only when it names a recipient and the server's
//! words or the outcome, so a webmail view's `From:`/`To:` lines are never taken for one.

use super::address::first_in;
use super::model::{Action, Record};
use super::response;
use super::scan;
use super::vocabulary::words;

/// What the report says of the failed message.
#[derive(Debug, Default)]
pub struct Table {
    pub records: Vec<Record>,
    pub sender: Option<String>,
    /// When the failure was logged, as the report writes it.
    pub timestamp: Option<String>,
    /// Whether `timestamp` is only when the returned message was created.
    pub timestamp_is_creation: bool,
}

/// Lines looked at: admin tools' copies are short.
const MAX_LINES: usize = 400;

/// The failed message(s) in `lines`, when they are such a report.
pub fn read(lines: &[&str]) -> Option<Table> {
    let lines = &lines[..lines.len().min(MAX_LINES)];
    let mut table = read_columns(lines)
        .or_else(|| read_aligned_columns(lines))
        .or_else(|| read_labels(lines))
        // The loosest reading of columns last: labelled rows below a table are the
        // message's detail.
        .or_else(|| read_spaced_cells(lines))
        .or_else(|| read_bare_rows(lines))
        .filter(|t| !t.records.is_empty())?;
    if table.sender.is_none() {
        table.sender = sender_filter(lines);
    }
    if let [only] = table.records.as_mut_slice()
        && only.diagnostic.is_none()
    {
        failure_detail(lines, only, &mut table.timestamp);
    }
    // A failure reply outweighs a status cell that says sent (a CRM's activity row beside
    // the contact's bounce fields).
    for r in &mut table.records {
        r.action = match (r.action, r.reply_code) {
            (Action::Delivered, Some(400..=499)) => Action::Delayed,
            (Action::Delivered, Some(500..=599)) => Action::Failed,
            (action, _) => action,
        };
    }
    Some(table)
}

/// The time cell of the tab-separated row that names `needle` (a log page's row: `48211\t-
/// \t3\tError sending ... to x@y ...\t24/11/2026 18:02:26`), under the nearest header row
/// above it with as many cells, one of them a time column's name (vocabulary
/// `[table-time]`). The cell as written.
pub fn row_time<'a>(lines: &[&'a str], needle: &str) -> Option<&'a str> {
    let lines = &lines[..lines.len().min(MAX_LINES)];
    let at = lines.iter().position(|l| {
        l.contains(needle) && memchr::memchr_iter(b'\t', l.as_bytes()).nth(1).is_some()
    })?;
    let cells: Vec<&str> = lines[at].split('\t').collect();
    lines[at.saturating_sub(20)..at]
        .iter()
        .rev()
        .find_map(|head| {
            let names: Vec<&str> = head.split('\t').collect();
            if names.len() != cells.len() {
                return None;
            }
            let column = names
                .iter()
                .position(|n| role_of(n).is_some_and(|(role, _)| role == Role::Time))?;
            Some(cells[column].trim()).filter(|c| !c.is_empty())
        })
}

/// A summary row that says only "Failed" is followed by its detail rows (a message trace's
/// events exported below it: `12/2/2026 11:48:06 AM,Fail,,"Reason: [{LED=550 5.1.10 ...`):
/// the first line holding a failure reply gives the words, and its leading cell the time.
fn failure_detail(lines: &[&str], record: &mut Record, timestamp: &mut Option<String>) {
    let Some((line_no, line)) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| scan::find_failure_code(l).is_some())
    else {
        return;
    };
    let cells = if line.contains('\t') {
        tab_cells(line)
    } else {
        csv_cells(line)
    };
    let words = cells
        .iter()
        .find(|c| scan::find_failure_code(c).is_some())
        .map_or(*line, String::as_str);
    let mut said = response::extract(words);
    // A comma that splits the reply's own parts (`Code: 550, Message: 5.1.1 ...`) is no
    // cell boundary: a cell of the code alone leaves the words in the next one.
    if said.text.len() <= 3 {
        said = response::extract(line);
    }
    record.reply_code = said.reply_code;
    record.status = said.status;
    record.stage = scan::find_stage(words);
    record.diagnostic = Some(said.text).filter(|t| !t.is_empty());
    record.source_line = Some(line_no);
    if let Some(first) = cells
        .first()
        .filter(|c| super::time::parse_written(c).is_some())
    {
        *timestamp = Some(first.trim().to_string());
    }
}

/// The sender a pasted command filtered the report by, when no column or label shows it
/// (`Get-MessageTrackingLog -Sender x@y | ft ...`, `Get-MessageTrace -SenderAddress x@y`):
/// every message listed is from that address.
fn sender_filter(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|l| {
        let mut words = l.split_whitespace();
        words.find(|w| {
            w.eq_ignore_ascii_case("-sender") || w.eq_ignore_ascii_case("-senderaddress")
        })?;
        let value = words.next()?.trim_matches(['"', '\'']);
        first_in(value).map(str::to_string)
    })
}

/// Rows copied without their header row (one selected in Track Delivery's table): a line
/// of at least six tab-separated cells whose first is an outcome word and that holds two
/// addresses. The first address is the sender, the next other one the recipient (every
/// such tool lists sender before recipient), the last cell that says something the
/// words, and the last cell that reads as a time the time.
fn read_bare_rows(lines: &[&str]) -> Option<Table> {
    let rows: Vec<Fields> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cells.len() < 6 || action_of(cells[0]).is_none() {
                return None;
            }
            let mut addresses = cells.iter().filter(|c| first_in(c).is_some());
            let sender = *addresses.next()?;
            let recipient = addresses.find(|c| first_in(c) != first_in(sender))?;
            let words = cells
                .iter()
                .rev()
                .find(|c| c.len() > 12 && c.contains(' '))?;
            let mut fields: Fields = vec![
                (Role::Outcome, 0, cells[0], i),
                (Role::Sender, 0, sender, i),
                (Role::Recipient, 1, recipient, i),
                (Role::Words, 0, words, i),
            ];
            if let Some(when) = cells
                .iter()
                .rev()
                .find(|c| super::time::parse_written(c).is_some())
            {
                fields.push((Role::Time, 0, when, i));
            }
            Some(fields)
        })
        .collect();
    (!rows.is_empty()).then(|| from_messages(rows))
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Recipient,
    Sender,
    Time,
    /// When the returned message was created (a stand-in for the time).
    Created,
    Words,
    Outcome,
    Host,
}

/// The role of a column or label name, and its rank among names of the same role (lower
/// is preferred: a Track Delivery row's `Out Time` is when delivery failed, its `Sent
/// Time` when the message came in).
fn role_of(name: &str) -> Option<(Role, usize)> {
    let name = name.trim().trim_end_matches(':').trim().to_lowercase();
    if name.is_empty() || name.len() > 40 {
        return None;
    }
    named_role(&name).or_else(|| {
        // A name with a note in brackets after it (`Bounced At (SAST)`, `Sent (UTC+2)`):
        // the name's role, when the whole is not a name of its own.
        let (bare, _) = name.strip_suffix(')')?.rsplit_once(" (")?;
        named_role(bare.trim_end())
    })
}

/// A time column's zone, written in brackets after its name (`Bounced At (SAST)`).
fn zone_in_name(name: &str) -> Option<&str> {
    let (_, note) = name.trim().strip_suffix(')')?.rsplit_once('(')?;
    let note = note.trim();
    (super::time::names_a_zone(note) || super::time::offset_named_in(note).is_some())
        .then_some(note)
}

fn named_role(name: &str) -> Option<(Role, usize)> {
    [
        ("table-recipient", Role::Recipient),
        ("table-sender", Role::Sender),
        ("table-time", Role::Time),
        ("table-created", Role::Created),
        ("table-words", Role::Words),
        ("table-outcome", Role::Outcome),
        ("table-host", Role::Host),
    ]
    .into_iter()
    .find_map(|(section, role)| {
        words(section)
            .iter()
            .position(|w| *w == name)
            .map(|rank| (role, rank))
    })
}

/// One message's fields: (role, rank, value, line).
type Fields<'a> = Vec<(Role, usize, &'a str, usize)>;

/// A header row of column names and the rows under it, the cells tab-separated (a table
/// copied from a web page) or comma-separated values (a message trace exported as CSV).
fn read_columns(lines: &[&str]) -> Option<Table> {
    let (head_at, roles, split) = lines.iter().enumerate().find_map(|(i, l)| {
        // Tabs (a web page's table), commas (CSV) or semicolons (CSV as spreadsheets in
        // many locales and Plesk export it).
        let semicolons = memchr::memchr_iter(b';', l.as_bytes()).count();
        let (split, separator): (fn(&str) -> Vec<String>, u8) = if l.contains('\t') {
            (tab_cells, b'\t')
        } else if semicolons >= 2 && semicolons > memchr::memchr_iter(b',', l.as_bytes()).count() {
            (semicolon_cells, b';')
        } else {
            (csv_cells, b',')
        };
        // Three cells take two separators (fewer cells when a quoted cell holds one): a
        // line without them, most lines of a text, is not split at all.
        memchr::memchr_iter(separator, l.as_bytes()).nth(1)?;
        let cells = split(l);
        // Column names are short: a command line with commas in it is no header row.
        if cells.len() < 3 || cells.iter().any(|c| c.trim().len() > 40) {
            return None;
        }
        let roles: Vec<Option<(Role, usize)>> = cells.iter().map(|c| role_of(c)).collect();
        let has = |r: Role| roles.iter().flatten().any(|(x, _)| *x == r);
        (has(Role::Recipient) && (has(Role::Words) || has(Role::Outcome)))
            .then_some((i, roles, split))
    })?;
    let rows: Vec<(usize, Vec<String>)> = lines
        .iter()
        .enumerate()
        .skip(head_at + 1)
        .map(|(i, l)| (i, split(l)))
        .filter(|(_, cells)| cells.len() >= 3)
        .collect();
    let mut table = from_rows(&rows, &roles);
    // The zone the time column's name gives (`Bounced At (SAST)`) is its times' zone.
    let head = split(lines[head_at]);
    let zone = head
        .iter()
        .zip(&roles)
        .find(|(_, role)| role.is_some_and(|(r, _)| r == Role::Time))
        .and_then(|(name, _)| zone_in_name(name));
    if let (Some(zone), Some(at)) = (zone, table.timestamp.as_deref())
        && super::time::parse_written(at).is_some_and(|(_, zoned)| !zoned)
    {
        let zoned = format!("{at} {zone}");
        if super::time::parse_written(&zoned).is_some_and(|(_, zoned)| zoned) {
            table.timestamp = Some(zoned);
        }
    }
    Some(table)
}

fn tab_cells(line: &str) -> Vec<String> {
    line.split('\t').map(str::to_string).collect()
}

/// A line of comma-separated values (RFC 4180: a cell in double quotes may hold commas,
/// and `""` inside it is one quote).
fn csv_cells(line: &str) -> Vec<String> {
    separated_cells(line, ',')
}

/// [`csv_cells`] with semicolons between the cells.
fn semicolon_cells(line: &str) -> Vec<String> {
    separated_cells(line, ';')
}

fn separated_cells(line: &str, separator: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// A two-cell row of a wiki or Markdown table (`|Sender|x@y|` as Jira writes it, `| Sender
/// | x@y |`): its label and value.
fn piped_row(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    let inner = t.strip_prefix('|')?.strip_suffix('|')?;
    if inner.starts_with('|') {
        // Jira's header row (`||Field||Value||`).
        return None;
    }
    let (label, value) = inner.split_once('|')?;
    (!value.contains('|') && !label.trim().is_empty()).then(|| (label.trim(), value.trim()))
}

/// A header row of column names over a rule of dashes, with the cells aligned under the
/// names (PowerShell's `Format-Table`, SQL clients): each run of dashes is a column, and a
/// cell is the text from its column's start to the next one's. With `-Wrap` a long cell
/// goes on under its column on the next lines, whose first column is blank.
fn read_aligned_columns(lines: &[&str]) -> Option<Table> {
    // (the header's line, the first row's line, the columns)
    let (header_at, first_row, starts) = lines
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, l)| {
            let starts = dash_runs(l)?;
            (starts.len() >= 3).then_some((i - 1, i + 1, starts))
        })
        .or_else(|| spaced_header(lines).map(|(i, starts)| (i, i + 1, starts)))?;
    let cells_of = |line: &str| -> Vec<String> {
        let chars: Vec<char> = line.chars().collect();
        starts
            .iter()
            .enumerate()
            .map(|(k, &from)| {
                let to = starts.get(k + 1).copied().unwrap_or(chars.len());
                chars
                    .get(from.min(chars.len())..to.min(chars.len()))
                    .map_or(String::new(), |c| c.iter().collect::<String>())
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let roles: Vec<Option<(Role, usize)>> = cells_of(lines[header_at])
        .iter()
        .map(|name| role_of(name))
        .collect();
    let has = |r: Role| roles.iter().flatten().any(|(x, _)| *x == r);
    if !(has(Role::Recipient) && (has(Role::Words) || has(Role::Outcome))) {
        return None;
    }
    // (line of the row, its cells), wrapped lines joined to their row.
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(first_row) {
        if line.trim().is_empty() {
            if rows.is_empty() {
                continue;
            }
            break;
        }
        let cells = cells_of(line);
        match rows.last_mut() {
            Some((_, row)) if cells[0].is_empty() => {
                for (cell, more) in row.iter_mut().zip(cells) {
                    if !more.is_empty() {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&more);
                    }
                }
            }
            _ => rows.push((i, cells)),
        }
    }
    Some(from_rows(&rows, &roles))
}

/// The records of rows of cells (line, cells) under columns of the given roles.
fn from_rows(rows: &[(usize, Vec<String>)], roles: &[Option<(Role, usize)>]) -> Table {
    let messages: Vec<Fields> = rows
        .iter()
        .map(|(i, cells)| {
            cells
                .iter()
                .zip(roles)
                .filter_map(|(cell, role)| {
                    let (role, rank) = (*role)?;
                    Some((role, rank, cell.trim(), *i)).filter(|f| !f.2.is_empty())
                })
                .collect()
        })
        .collect();
    from_messages(messages)
}

/// A header row of column names set apart by runs of spaces, without a rule under it (a
/// web view's table copied as text: Proxmox Mail Gateway's tracking center), whose next
/// line has a cell starting under each name. Its line and the columns' char offsets.
fn spaced_header(lines: &[&str]) -> Option<(usize, Vec<usize>)> {
    let starts_of = |line: &str| -> Vec<usize> {
        let chars: Vec<char> = line.chars().collect();
        (0..chars.len())
            .filter(|&k| {
                chars[k] != ' '
                    && (k == 0 || (k >= 2 && chars[k - 1] == ' ' && chars[k - 2] == ' '))
            })
            .collect()
    };
    lines.iter().enumerate().take(40).find_map(|(i, header)| {
        if header.contains('\t') || header.contains('@') {
            return None;
        }
        let starts = starts_of(header);
        let named = starts
            .iter()
            .filter(|&&k| {
                let name: String = header.chars().skip(k).take_while(|c| *c != ' ').collect();
                role_of(&name).is_some()
            })
            .count();
        if starts.len() < 3 || named < 3 {
            return None;
        }
        let row: Vec<char> = lines.get(i + 1)?.chars().collect();
        let aligned = starts
            .iter()
            .all(|&k| row.get(k).is_some_and(|c| *c != ' ') && (k == 0 || row[k - 1] == ' '));
        aligned.then_some((i, starts))
    })
}

/// Columns two or more spaces apart whose rows do not keep to the header's positions (a
/// page's table copied as text, a cell wider than its column): a row holds as many cells,
/// split the same way, as the header names columns.
fn read_spaced_cells(lines: &[&str]) -> Option<Table> {
    let split = |line: &str| -> Vec<String> {
        line.trim()
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (header_at, names) = lines.iter().enumerate().take(40).find_map(|(i, l)| {
        if l.contains('\t') || l.contains('@') {
            return None;
        }
        let names = split(l);
        let named = names.iter().filter(|n| role_of(n).is_some()).count();
        (names.len() >= 3 && named >= 3).then_some((i, names))
    })?;
    let roles: Vec<Option<(Role, usize)>> = names.iter().map(|n| role_of(n)).collect();
    let has = |r: Role| roles.iter().flatten().any(|(x, _)| *x == r);
    if !(has(Role::Recipient) && (has(Role::Words) || has(Role::Outcome))) {
        return None;
    }
    let rows: Vec<(usize, Vec<String>)> = lines
        .iter()
        .enumerate()
        .skip(header_at + 1)
        .skip_while(|(_, l)| l.trim().is_empty())
        .take_while(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i, split(l)))
        .filter(|(_, cells)| cells.len() == names.len())
        .collect();
    Some(from_rows(&rows, &roles))
}

/// The columns (char offsets where each run starts) of a rule of dashes under a header
/// row, when `line` is one: dashes and spaces only.
fn dash_runs(line: &str) -> Option<Vec<usize>> {
    let line = line.trim_end();
    if line.is_empty() || !line.chars().all(|c| c == '-' || c == ' ') {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let starts = (0..chars.len())
        .filter(|&k| chars[k] == '-' && (k == 0 || chars[k - 1] == ' '))
        .collect();
    Some(starts)
}

/// Whether `line` is a `Label: address` row naming a sender or a recipient (`Sender: x@y`,
/// `送信者：x@y`, `To: x@y`): a field of its own, never the continuation of a reply above it.
pub(super) fn is_address_row(line: &str) -> bool {
    address_row_role(line).is_some()
}

/// The address of the first row labelled as the sender's (vocabulary `[table-sender]`, a
/// label's first words: Zabbix's `Отправитель в очереди: x`, a panel's `Saatja: x`) in
/// `lines`; a bare `From:` row is left out (a forward's header names its author so), unless
/// its block of rows holds the error (an app's log entry: `From:`, `Subject:`, `Error: 452
/// ...`), which no message's header block does.
pub(super) fn labelled_sender(lines: &[&str]) -> Option<String> {
    let senders = words("table-sender");
    let lines = &lines[..lines.len().min(400)];
    lines
        .iter()
        .find_map(|l| {
            let (label, value) = address_row(l)?;
            let label = label.trim().to_lowercase();
            let first = label.split(' ').next().unwrap_or_default();
            let named = label != "from"
                && (senders.contains(&label.as_str())
                    || (first != "from" && senders.contains(&first)));
            let value = value.trim();
            (named && value.matches('@').count() == 1)
                .then(|| first_in(value).map(str::to_string))
                .flatten()
        })
        .or_else(|| entry_from_row(lines))
}

/// The address of a bare `From:` row in a block of labelled rows that also holds the
/// failure under an error's label (`Error: 452 4.2.2 ...`): an application's log entry.
fn entry_from_row(lines: &[&str]) -> Option<String> {
    let is_error_row = |l: &str| {
        split_at_colon(l.trim_start()).is_some_and(|(label, value)| {
            label.len() <= 40
                && role_of(label).is_some_and(|(role, _)| role == Role::Words)
                && scan::find_failure_code(value).is_some()
        })
    };
    lines.iter().enumerate().find_map(|(i, l)| {
        let (label, value) = address_row(l)?;
        if !label.trim().eq_ignore_ascii_case("from") || value.matches('@').count() != 1 {
            return None;
        }
        let address = first_in(value.trim())?;
        if super::ndr::is_postmaster_copy_address(address) {
            return None;
        }
        let block_start = lines[..i]
            .iter()
            .rposition(|l| l.trim().is_empty())
            .map_or(0, |b| b + 1);
        let block_end = lines[i..]
            .iter()
            .position(|l| l.trim().is_empty())
            .map_or(lines.len(), |e| i + e);
        lines[block_start.max(i.saturating_sub(12))..block_end.min(i + 12)]
            .iter()
            .any(|l| is_error_row(l))
            .then(|| address.to_string())
    })
}

/// Whether `line` is a `Label: address` row naming the sender (`Sender: x@y`, `送信者：x@y`):
/// the address is no failed recipient.
pub(super) fn is_sender_row(line: &str) -> bool {
    address_row_role(line) == Some(Role::Sender)
}

/// A `Label: value` line whose value holds an address: the label and the value.
fn address_row(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    // Labels are short: a colon further in is a sentence's (cheap to rule out first).
    let head = line.get(..line.floor_char_boundary(48)).unwrap_or(line);
    if !head.contains([':', '：']) {
        return None;
    }
    split_at_colon(line).filter(|(_, value)| value.contains('@'))
}

fn address_row_role(line: &str) -> Option<Role> {
    let (label, _) = address_row(line)?;
    role_of(label)
        .map(|(role, _)| role)
        .filter(|role| matches!(role, Role::Sender | Role::Recipient))
        .or_else(|| {
            // A tool's own label ending in a sender's word (Uptime Kuma's `SMTP from: x`,
            // `SMTP sender: x`) is a sender row too; a bracketed note (`(expanded from: x)`)
            // is no row.
            let words: Vec<&str> = label.split_whitespace().collect();
            let last = words.last()?;
            ((2..=3).contains(&words.len())
                && !label.trim_start().starts_with('(')
                && matches!(role_of(last), Some((Role::Sender, _))))
            .then_some(Role::Sender)
        })
}

/// A line split at its first colon, ASCII or full-width.
fn split_at_colon(line: &str) -> Option<(&str, &str)> {
    let at = line.find([':', '：'])?;
    let colon = line[at..].chars().next()?.len_utf8();
    Some((&line[..at], &line[at + colon..]))
}

/// `Label: value` lines (also `Label<TAB>: value`, as PowerShell pads them), one message.
fn read_labels(lines: &[&str]) -> Option<Table> {
    let mut named = false;
    let mut named_by_to = false;
    let mut to_rows: Vec<usize> = Vec::new();
    let mut fields: Fields = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            // `Label: value`, or the label and value aligned with spaces (Google
            // Workspace's email log search: `Sender             ann@near.example`).
            // Chinese and Japanese write the colon full-width (`收件人：x@y`).
            // A detail pane's rows copied from a page put a tab between the label and
            // the value (cPanel's Track Delivery: `Recipient<TAB>x@y`).
            // (A tab before any colon sets the label apart: `Out Time<TAB>11:42 AM`.)
            let tabbed = || {
                let t = l.trim_start();
                let (label, value) = t.split_once('\t')?;
                let padded = value.trim_start().starts_with([':', '：']);
                (label.len() <= 24 && !label.contains(':') && !padded && !value.contains('\t'))
                    .then_some((label, value))
            };
            let (label, value) = piped_row(l)
                .or_else(tabbed)
                .or_else(|| split_at_colon(l))
                .or_else(|| {
                    let t = l.trim_start();
                    let at = t.find("  ")?;
                    (at <= 24 && !t[..at].contains('\t')).then(|| (&t[..at], &t[at..]))
                })?;
            let label = label.trim_end_matches('\t');
            let (role, rank) = role_of(label)?;
            let mut value = value.trim();
            // A tool's own account of the error over the server's reply, a few lines below
            // (Apache James: `Error: Invalid user address`, then `Error message below:`
            // and the reply): the reply is the words.
            if role == Role::Words
                && !value.is_empty()
                && scan::find_failure_code(value).is_none()
                && let Some(reply) = lines
                    .iter()
                    .skip(i + 1)
                    .take(4)
                    .map(|l| l.trim())
                    .find(|l| scan::find_failure_code(l).is_some_and(|(at, _)| at == 0))
            {
                value = reply;
            }
            // The server's words under their label (a plugin's `Response:` over the JSON it
            // logged): the fullest line below that holds a failure reply.
            if value.is_empty() && role == Role::Words {
                value = lines
                    .iter()
                    .skip(i + 1)
                    .take(8)
                    .map(|l| l.trim())
                    .filter(|l| scan::find_failure_code(l).is_some())
                    // `"code": 553,` beside `"smtp_error": "553 Sorry, ..."`: the words.
                    .max_by_key(|l| l.len())
                    .unwrap_or("");
            }
            // A distinctive recipient label: a `To:` line is a message header.
            let to = label.trim().eq_ignore_ascii_case("to");
            named |= role == Role::Recipient && !to && first_in(value).is_some();
            named_by_to |= role == Role::Recipient && to && first_in(value).is_some();
            if role == Role::Recipient && to {
                to_rows.push(i);
            }
            Some((role, rank, value, i)).filter(|f| !f.2.is_empty())
        })
        .collect();
    // Beside a distinctive recipient row (a Microsoft 365 NDR's `Recipient Address:`), a
    // `To:` row is the header of the view or forward around it: the customer's address.
    if named {
        fields.retain(|f| !(f.0 == Role::Recipient && to_rows.contains(&f.3)));
    }
    let has = |r: Role| fields.iter().any(|f| f.0 == r);
    // A log entry's `To:` (a mail plugin's "Email Logs" view) counts when the entry says
    // the sending failed and names a sender that is no mail system (a webmail view's
    // header lines over a bounce have the daemon's From).
    let failed = fields
        .iter()
        .any(|f| f.0 == Role::Outcome && matches!(action_of(f.2), Some(Action::Failed)));
    let person_sends = fields.iter().any(|f| {
        f.0 == Role::Sender
            && first_in(f.2).is_some_and(|a| !super::ndr::is_postmaster_copy_address(a))
    });
    let entry = named_by_to && failed && person_sends;
    ((named || entry) && (has(Role::Words) || has(Role::Outcome)))
        .then(|| from_messages(vec![fields]))
}

/// The records of the messages whose outcome is a failure (all of them when none says).
/// `07:30:15`, `7:30`: a time of day alone.
fn is_clock(cell: &str) -> bool {
    let parts: Vec<&str> = cell.trim().split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

fn from_messages(messages: Vec<Fields>) -> Table {
    let outcome = |m: &Fields| {
        m.iter()
            .filter(|f| f.0 == Role::Outcome)
            .map(|f| action_of(f.2))
            .find(|a| a.is_some())
            .flatten()
    };
    let any_failure = messages
        .iter()
        .any(|m| matches!(outcome(m), Some(Action::Failed | Action::Delayed)));
    let mut table = Table::default();
    for m in &messages {
        let action = outcome(m);
        if any_failure && !matches!(action, Some(Action::Failed | Action::Delayed)) {
            continue;
        }
        let best = |role: Role| {
            m.iter()
                .filter(|f| f.0 == role)
                .min_by_key(|f| f.1)
                .map(|f| (f.2, f.3))
        };
        // The preferred label that holds an address: a view's `Alıcı: Ahmet Yılmaz` (its
        // To row, a name) above the NDR's `Alıcı Adresi:` row names nobody.
        let Some(recipient) = m
            .iter()
            .filter(|f| f.0 == Role::Recipient)
            .filter_map(|f| first_in(f.2).map(|a| (f.1, a)))
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, a)| a.to_string())
        else {
            continue;
        };
        // The words: the first that hold a failure reply, else the preferred label's.
        let words = m
            .iter()
            .filter(|f| f.0 == Role::Words)
            .find(|f| scan::find_failure_code(f.2).is_some())
            .map(|f| (f.2, f.3))
            .or_else(|| best(Role::Words))
            .or_else(|| {
                // No words column: an outcome cell may carry them after its word (a log
                // search's `Failed: Host or domain name not found. ...`).
                best(Role::Outcome).and_then(|(cell, line)| {
                    let (_, detail) = cell.split_once(": ")?;
                    (detail.trim().len() > 12).then_some((detail.trim(), line))
                })
            });
        let said = words.map(|(w, _)| response::extract(w)).unwrap_or_default();
        let diagnostic = words.map(|(w, _)| {
            if said.text.is_empty() {
                w.to_string()
            } else {
                said.text.clone()
            }
        });
        if table.sender.is_none() {
            table.sender = best(Role::Sender)
                .and_then(|(s, _)| first_in(s))
                .map(str::to_string);
        }
        if table.timestamp.is_none() {
            // The time logged nearest above the words (a trace lists a time per event).
            let near = words.map_or(usize::MAX, |(_, line)| line);
            table.timestamp = m
                .iter()
                .filter(|f| f.0 == Role::Time && f.3 <= near)
                .min_by_key(|f| (near - f.3, f.1))
                .or_else(|| m.iter().filter(|f| f.0 == Role::Time).min_by_key(|f| f.1))
                .map(|f| {
                    // A date column beside a time column (`Date,Time`: `2026/12/04,07:30:15`):
                    // the two together.
                    let clock = m
                        .iter()
                        .filter(|g| g.0 == Role::Time && !f.2.contains(':'))
                        .find(|g| is_clock(g.2));
                    match clock {
                        Some(c) => format!("{} {}", f.2, c.2),
                        None => f.2.to_string(),
                    }
                });
        }
        if table.timestamp.is_none() {
            table.timestamp = best(Role::Created).map(|(when, _)| when.to_string());
            table.timestamp_is_creation = table.timestamp.is_some();
        }
        // The host that refused: its own column, else the one the words name.
        let (mut remote_host, mut remote_ip) = words
            .map(|(w, _)| scan::find_remote_host(w))
            .unwrap_or_default();
        for (_, _, value, _) in m.iter().filter(|f| f.0 == Role::Host) {
            let value = value.trim_matches(['[', ']']).to_string();
            if super::dsn::looks_like_ip(&value) {
                remote_ip = remote_ip.or(Some(value));
            } else if value.contains('.') && !value.contains(char::is_whitespace) {
                remote_host = remote_host.or(Some(value));
            }
        }
        table.records.push(Record {
            recipient: Some(recipient),
            reply_code: said.reply_code,
            status: said.status,
            // `after RCPT TO:<x>:` stands before the reply in the words.
            stage: words.and_then(|(w, _)| scan::find_stage(w)),
            remote_host,
            remote_ip,
            diagnostic,
            source_line: words.map(|(_, line)| line),
            action: action.unwrap_or(Action::Failed),
            ..Record::default()
        });
    }
    table
}

/// A report's outcome word: `Failure`, `Bounced`, `Failed`, `Fail`, `Deferred`,
/// `Delivered`, `Success`.
fn action_of(value: &str) -> Option<Action> {
    let v = value.trim().to_lowercase();
    let begins_with_one_of = |section: &str| words(section).iter().any(|w| v.starts_with(w));
    if begins_with_one_of("outcome-failed") {
        Some(Action::Failed)
    } else if begins_with_one_of("outcome-delayed") {
        Some(Action::Delayed)
    } else if begins_with_one_of("outcome-delivered") {
        Some(Action::Delivered)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plesk's mail log exported with semicolons: the failed rows, each with its words.
    #[test]
    fn semicolon_separated_values() {
        let lines = [
            "Date;Status;From;To;Host;Message",
            "2026-12-01 12:29:58;sent;ann@near.example;cy@near.example;localhost;250 2.0.0 Ok: queued",
            "2026-12-01 12:30:05;rejected;ann@near.example;bob@far.example;unknown[203.0.113.61];554 5.7.1 <bob@far.example>: Relay access denied",
        ];
        let t = read(&lines).expect("a table");
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(t.records[0].reply_code, Some(554));
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(semicolon_cells("a;\"b;c\";d"), ["a", "b;c", "d"]);
    }

    /// A wiki table of fields (Jira's `|Label|value|` under `||Field||Value||`).
    #[test]
    fn a_wiki_table_of_fields() {
        let lines = [
            "||Field||Value||",
            "|Event|failure|",
            "|Sender|ann@near.example|",
            "|Sent Time|2026-12-02 11:26:40 -0500|",
            "|Recipient|bob@far.example|",
            "|Result|SMTP error from remote mail server after end of data: 554 5.4.6 Too many hops 26 (25 max)|",
        ];
        let t = read(&lines).expect("a table");
        assert_eq!(t.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            piped_row("| Sender | ann@near.example |"),
            Some(("Sender", "ann@near.example"))
        );
        assert_eq!(piped_row("||Field||Value||"), None);
        assert_eq!(piped_row("|a|b|c|"), None);
    }

    /// A web view's table copied with spaces for its columns and no rule under the names.
    #[test]
    fn a_table_aligned_with_spaces_and_no_rule() {
        let lines = [
            "Time                  From                 To                   Status     Relay",
            "2026-12-01 13:07:45   ann@near.example     bob@far.example      bounced    mx.far.example",
        ];
        let t = read(&lines).expect("a table");
        assert_eq!(t.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        // Prose with wide spaces is no header.
        assert!(spaced_header(&["We  looked  at  it", "and  found  nothing  here"]).is_none());
    }

    /// A mail plugin's log entry: its `To:` is the recipient when the entry failed, and
    /// the server's words stand under `Response:`.
    #[test]
    fn a_plugin_s_failed_log_entry() {
        let lines = [
            "Status: Failed",
            "Date-Time: 2026-12-02 11:45:09",
            "From: ann@near.example",
            "To: \"Far\" <bob@far.example>",
            "Response:",
            "{",
            "    \"code\": 553,",
            "    \"smtp_error\": \"553 Sorry, message not accepted\"",
            "}",
        ];
        let t = read(&lines).expect("a report");
        assert_eq!(t.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert!(
            t.records[0]
                .diagnostic
                .as_deref()
                .is_some_and(|d| d.contains("Sorry"))
        );
        assert_eq!(t.timestamp.as_deref(), Some("2026-12-02 11:45:09"));
        // A message's header lines are no report.
        assert!(
            read(&[
                "From: ann@near.example",
                "To: bob@far.example",
                "Subject: hi"
            ])
            .is_none()
        );
    }

    #[test]
    fn a_table_row_under_its_header() {
        let lines = [
            "Status\tDate\tFrom\tTo\tDetails",
            "Delivered\tDec 4, 2026 11:18:51\tann@near.example\tok@near.example\tdelivered",
            "Bounced\tDec 4, 2026 11:20:05\tann@near.example\tbob@far.example\t553 5.7.1 <bob@far.example>: Relay access denied",
        ];
        let t = read(&lines).expect("a table");
        assert_eq!(t.records.len(), 1);
        let r = &t.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.source_line, Some(2));
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(t.timestamp.as_deref(), Some("Dec 4, 2026 11:20:05"));
        let t = read(&[
            "Event\tSender\tRecipient\tDelivery Host\tDelivery IP\tResult",
            "Failure\tann@near.example\tbob@far.example\tmx.far.example\t203.0.113.52\tSMTP error from remote mail server after RCPT TO:<bob@far.example>: 553 no mailbox",
        ])
        .expect("a table");
        let r = &t.records[0];
        assert_eq!(r.remote_host.as_deref(), Some("mx.far.example"));
        assert_eq!(r.remote_ip.as_deref(), Some("203.0.113.52"));
        assert_eq!(r.stage, Some(crate::bounce::Stage::RcptTo));
    }

    #[test]
    fn labelled_fields_and_the_time_nearest_the_failure() {
        let lines = [
            "SenderAddress\t: ann@near.example",
            "RecipientAddress\t: bob@far.example",
            "Status\t: Failed",
            "",
            "Date   : 12/4/2026 3:15:22 PM",
            "Event  : Receive",
            "Detail : Message received",
            "",
            "Date   : 12/4/2026 3:15:26 PM",
            "Event  : Fail",
            "Detail : Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found};{MSG=}]",
        ];
        let t = read(&lines).expect("labelled fields");
        let r = &t.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.reply_code, Some(550));
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(t.timestamp.as_deref(), Some("12/4/2026 3:15:26 PM"));
    }

    /// PowerShell's `Format-Table -Wrap`: cells under a rule of dashes, a long one wrapped
    /// under its column; the sender only in the command's `-Sender` filter.
    #[test]
    fn columns_aligned_under_a_rule_of_dashes() {
        let lines = [
            "PS C:\\> Get-MessageTrackingLog -EventId FAIL -Sender ann@near.example | ft Timestamp,EventId,Recipients,RecipientStatus -Wrap",
            "",
            "Timestamp             EventId Recipients        RecipientStatus",
            "---------             ------- ----------        ---------------",
            "12/3/2026 11:00:02 AM DELIVER {ok@far.example}  {250 2.0.0 OK}",
            "12/3/2026 11:02:41 AM FAIL    {bob@far.example} {[{LED=553 5.7.1 <bob@far.example>... Relaying",
            "                                                denied};{IP=203.0.113.8}]}",
        ];
        let t = read(&lines).expect("aligned columns");
        assert_eq!(t.records.len(), 1);
        let r = &t.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.reply_code, Some(553));
        assert!(
            r.diagnostic
                .as_deref()
                .is_some_and(|d| d.contains("Relaying denied")),
            "{:?}",
            r.diagnostic
        );
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(t.timestamp.as_deref(), Some("12/3/2026 11:02:41 AM"));
        // A rule of dashes under prose is no table.
        assert!(read(&["Some text here", "---- ---- ----", "bob@far.example failed"]).is_none());
    }

    /// Office 365's NDR names the failed message in labelled fields ("Original Message
    /// Details", "Error Details"), in the reader's language.
    #[test]
    fn office_365_message_details_in_its_languages() {
        let english = [
            "Status code: 550 5.7.708",
            "Original Message Details",
            "Created Date:        12/4/2026 8:05:13 AM",
            "Sender Address:       ann@near.example",
            "Recipient Address:   bob@far.example",
            "Error Details",
            "Reported error:         550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
            "DSN generated by:          AM0PR01MB1234.eurprd01.prod.outlook.com",
        ];
        let french = [
            "Détails du message d'origine",
            "Date de création :        27/11/2026 09:41:18",
            "Adresse de l'expéditeur : ann@near.example",
            "Adresse du destinataire : bob@far.example",
            "Détails de l'erreur",
            "Erreur signalée :         554 5.4.14 Hop count exceeded - possible mail loop",
        ];
        for (lines, time) in [
            (&english[..], "12/4/2026 8:05:13 AM"),
            (&french[..], "27/11/2026 09:41:18"),
        ] {
            let t = read(lines).expect("labelled fields");
            let r = &t.records[0];
            assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
            assert!(r.reply_code.is_some_and(|c| c >= 550));
            assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
            assert_eq!(t.timestamp.as_deref(), Some(time));
            assert!(t.timestamp_is_creation);
        }
    }

    /// Google Workspace's email log search: labels and values aligned with spaces.
    #[test]
    fn labels_aligned_with_spaces() {
        let lines = [
            "Email log search  >  Message details",
            "",
            "Sender             ann@near.example",
            "Recipient          bob@far.example",
            "Date               Dec 2, 2026, 3:14:08 PM GMT+1",
            "Status             Bounced",
            "Details            550 5.1.1 The email account that you tried to reach does not exist.",
        ];
        let t = read(&lines).expect("labelled fields");
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(t.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(t.records[0].reply_code, Some(550));
    }

    /// Above that NDR, a view's zoned date line is the NDR's own time: it beats when the
    /// returned message was created.
    #[test]
    fn an_ndr_s_view_date_beats_the_original_s_creation() {
        let text = "De: Microsoft Outlook <postmaster@near.example>\nEnviado: miércoles, 2 de diciembre de 2026 15:09:44 UTC\nPara: ann@near.example\n\nDetalles del mensaje original\nFecha de creación:            02/12/2026 15:09:40\nDirección del remitente:      ann@near.example\nDirección del destinatario:   bob@far.example\n\nDetalles del error\nError notificado:      550 5.4.310 DNS domain far.example does not exist\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-02T15:09:44+00:00")
        );
        // Without the view's line, the creation time stands in.
        let bare = &text[text.find("Detalles").unwrap_or(0)..];
        let b = super::super::parse(bare.as_bytes()).expect("parsed");
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-02T15:09:40+00:00")
        );
    }

    /// A message trace exported as CSV: the summary row under its header names the
    /// message, its event rows below give the failure's words and time.
    #[test]
    fn a_message_trace_exported_as_csv() {
        let lines = [
            "\"Date (UTC)\",\"Sender\",\"Recipient\",\"Subject\",\"Status\"",
            "\"2026-12-02T11:48:05\",\"ann@near.example\",\"bob@far.example\",\"Hi, there\",\"Failed\"",
            "",
            "Date,Event,Action,Detail",
            "12/2/2026 11:48:05 AM,Receive,,Message received",
            "12/2/2026 11:48:06 AM,Fail,,\"Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found};{MSG=}]\"",
        ];
        let t = read(&lines).expect("a CSV table");
        let r = &t.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.reply_code, Some(550));
        assert_eq!(r.status.as_deref(), Some("5.1.10"));
        assert_eq!(t.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(t.timestamp.as_deref(), Some("12/2/2026 11:48:06 AM"));
        assert_eq!(
            csv_cells("a,\"b, c\",\"d \"\"e\"\"\""),
            ["a", "b, c", "d \"e\""]
        );
    }

    #[test]
    fn a_row_copied_without_its_header() {
        let t = read(&["Failure\tbakery\tnews@near.example\tNov 25, 2026 6:10:02 PM\tlocalhost\t127.0.0.1\tsub@far.example\tsub@far.example\t**rejected**\tNov 25, 2026 6:10:03 PM\t3 KB\tDomain near.example has exceeded the max emails per hour allowed."])
            .expect("a bare row");
        let r = &t.records[0];
        assert_eq!(r.recipient.as_deref(), Some("sub@far.example"));
        assert_eq!(t.sender.as_deref(), Some("news@near.example"));
        assert_eq!(t.timestamp.as_deref(), Some("Nov 25, 2026 6:10:03 PM"));
        assert!(
            r.diagnostic
                .as_deref()
                .is_some_and(|d| d.contains("max emails per hour"))
        );
        // A line of prose or a tab-separated line without an outcome is no row.
        assert!(
            read(&["bob@far.example\tann@near.example\ta\tb\tc\td\tsome words here ok"]).is_none()
        );
    }

    #[test]
    fn a_webmail_view_s_header_lines_are_no_report() {
        let lines = [
            "From: Mail Delivery System <MAILER-DAEMON@near.example>",
            "To: ann@near.example",
            "Date: Thu, 4 Dec 2026 10:00:00 +0000",
            "Subject: Undelivered Mail Returned to Sender",
            "",
            "<bob@far.example>: host mx.far.example said: 550 5.1.1 unknown",
        ];
        assert!(read(&lines).is_none());
        // Only `To:` names an address: a message header, even beside an outcome line.
        assert!(
            read(&[
                "To: ann@near.example",
                "Status: Failed",
                "Details: see below"
            ])
            .is_none()
        );
        assert!(read(&["Recipient: bob@far.example", "Status: Failed"]).is_some());
    }
}
