//! Header blocks inside a paste: the bounce's own (anywhere in the paste, or inside a
//! person's forward of it) and the returned original's under a "Forwarded message" rule.

use chrono::{DateTime, Utc};

use crate::bounce::model::Bounce;
use crate::bounce::{address, ndr, plain, rfc5322, time, vocabulary};

use super::landmarks::first_naming_a_recipient;
use super::landmarks::{DATE_LABELS, HEADER_SCAN_LINES};

/// A bounce's own header block standing anywhere in a paste (copied after the body, `(the
/// headers of the NDR:)` then `From: postmaster@...`, `To: ...`, `Date: ...`): its date and
/// the address it was sent to.
pub(in crate::bounce) struct HeaderBlock {
    pub date: DateTime<Utc>,
    pub zoned: bool,
    pub raw_date: String,
    pub to: Option<String>,
}

/// The first run of `Field: value` lines (three or more, header fields' names) whose
/// From names a mail system and that has a readable Date: the bounce's own header block.
/// The returned original's block has a person's From, and is passed by.
pub(in crate::bounce) fn bounce_header_block(text: &str) -> Option<HeaderBlock> {
    let lines: Vec<&str> = text.lines().take(600).collect();
    let field = |l: &str| -> Option<(String, String)> {
        let name = rfc5322::field_name(l).filter(|n| n.len() <= 40)?;
        let value = l[name.len() + 1..].trim().to_string();
        Some((name.to_ascii_lowercase(), value))
    };
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && (field(lines[i]).is_some() || lines[i].starts_with([' ', '\t'])) {
            i += 1;
        }
        let block = &lines[start..i];
        i += 1;
        let fields: Vec<(String, String)> = block.iter().filter_map(|l| field(l)).collect();
        if fields.len() < 3 {
            continue;
        }
        let from_a_system = block.iter().any(|l| ndr::is_a_system_s_from_field(l));
        let date = fields.iter().find(|(n, _)| n == "date");
        let Some((_, raw)) = date.filter(|_| from_a_system) else {
            continue;
        };
        let Some((date, zoned)) = time::parse_written(raw) else {
            continue;
        };
        let to = fields
            .iter()
            .find(|(n, _)| n == "to")
            .and_then(|(_, v)| address::first_in(v))
            .map(str::to_string);
        return Some(HeaderBlock {
            date,
            zoned,
            raw_date: raw.clone(),
            to,
        });
    }
    None
}

/// The bounce's own header block inside a person's forward of it (an Outlook `-----Original
/// Message-----` over a Thunderbird `-------- Forwarded Message --------`, a Gmail
/// `---------- Forwarded message ---------`): the rows around a From row naming a mail
/// system. Its To is the customer the bounce went to, its Date when the failure was
/// reported.
pub(in crate::bounce) struct BounceBlock {
    pub to: Option<String>,
    pub date: Option<(DateTime<Utc>, String)>,
    /// The addresses on the From and To rows of the forwards above it: the people who
    /// passed the bounce on, never its failed recipients.
    pub forwarders: Vec<String>,
}

/// The [`BounceBlock`] of `text`, the first From row naming a mail system within its first
/// lines, when there is one.
pub(in crate::bounce) fn bounce_block(text: &str) -> Option<BounceBlock> {
    let lines: Vec<&str> = text.lines().take(HEADER_SCAN_LINES).collect();
    let at = lines.iter().position(|l| {
        plain::view_row(l)
            .is_some_and(|(label, _)| vocabulary::words("from-labels").contains(&label.as_str()))
            && ndr::names_a_bounce_sender(&from_value(l))
    })?;
    let block = &lines[at.saturating_sub(4)..(at + 6).min(lines.len())];
    let forwarders = lines[..at.saturating_sub(4)]
        .iter()
        .filter_map(|l| {
            let (label, value) = plain::view_row(l)?;
            let row = vocabulary::words("from-labels").contains(&label.as_str())
                || vocabulary::words("to-labels").contains(&label.as_str());
            row.then(|| address::first_in(value).map(str::to_string))
                .flatten()
        })
        .collect();
    let mut found = BounceBlock {
        to: None,
        date: None,
        forwarders,
    };
    for line in block {
        let Some((label, value)) = plain::view_row(line) else {
            continue;
        };
        if found.to.is_none() && vocabulary::words("to-labels").contains(&label.as_str()) {
            found.to = address::first_in(value).map(str::to_string);
        } else if found.date.is_none() && DATE_LABELS.contains(&label.as_str()) {
            found.date = time::parse_written(value).map(|(t, _)| (t, value.trim().to_string()));
        }
    }
    Some(found)
}

/// A From row's value as a line of its own (`Name <x@y>`), for the mail-system test.
pub(super) fn from_value(line: &str) -> String {
    plain::view_row(line).map_or(String::new(), |(_, v)| v.trim().to_string())
}

/// The `Date:` of a header block under a "Forwarded message" rule that stands below the
/// first line naming a failed recipient.
pub(super) fn forwarded_block_date(text: &str, bounce: &Bounce) -> Option<String> {
    forwarded_block_field(text, bounce, "date")
}

/// The address in the `From:` of that forwarded header block: the returned message's
/// sender, when a webmail view shows the original that way.
pub(in crate::bounce) fn forwarded_block_sender(text: &str, bounce: &Bounce) -> Option<String> {
    let from = forwarded_block_field(text, bounce, "from")?;
    address::first_in(&from).map(str::to_string)
}

/// Field `name` of the header block under a "Forwarded message" rule below the first line
/// naming a failed recipient.
pub(super) fn forwarded_block_field(text: &str, bounce: &Bounce, name: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(4000).collect();
    let first_named = first_naming_a_recipient(&lines, bounce)?;
    let rule = lines[first_named..].iter().position(|l| {
        let t = l.trim();
        t.starts_with(['-', '=']) && is_forward_rule(t)
    })? + first_named;
    lines[rule + 1..].iter().take(12).find_map(|l| {
        let (field, value) = l.split_once(':')?;
        field
            .trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// Whether `rule` (a line starting with `-` or `=`) names a forwarded message, in one of
/// the languages of [`vocabulary`]'s `[forwarded-markers]`.
pub(super) fn is_forward_rule(rule: &str) -> bool {
    let lower = rule.to_lowercase();
    vocabulary::words("forwarded-markers")
        .iter()
        .any(|w| lower.contains(w))
}
