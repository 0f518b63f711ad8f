//! The escalation summary: a pure function of ticket + parsed bounce + diagnosis + playbook
//! → text, plain (for ticket systems) or Markdown.
//!
//! Ordered the way a tier-2 engineer reads it: which ticket, what cause, the line that decided
//! it, who sent to whom and when, the path through the servers, the ids for a message trace,
//! what the agent already tried, then the evidence (the full bounce). Every value taken from
//! the paste is untrusted: it is sanitised (no escape sequences, controls made visible),
//! credentials are redacted, and in Markdown it is escaped so it cannot become markup.

mod agent;
mod markdown;

use chrono::{DateTime, Utc};

use crate::bounce::{Action, Bounce, Record};
use crate::classify::{Basis, Diagnosis};
use crate::playbook::Playbook;
use crate::redact::redact;
use crate::sanitize::for_display;
use crate::ticket::{StepState, Ticket};

/// The most of the pasted bounce embedded in a summary; a ticket system rejects or mangles
/// larger comments, and the head of a bounce is where its evidence sits.
pub const MAX_BOUNCE_BYTES: usize = 64 * 1024;

/// How many other recipients (and address problems) are listed before "and N more".
const MAX_LISTED_RECIPIENTS: usize = 20;

/// The most of one pasted value (a diagnostic, a subject, a note line) shown in a field.
const MAX_FIELD_BYTES: usize = 2048;

/// Shown for any value the bounce or the ticket does not give, so a reader knows it was
/// looked for rather than forgotten.
const UNKNOWN: &str = "unknown";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SummaryFormat {
    #[default]
    Text,
    Markdown,
}

/// Everything the summary is made from. `now` is passed in so the output is deterministic.
#[derive(Debug, Clone, Copy)]
pub struct SummaryContext<'a> {
    pub ticket: &'a Ticket,
    pub bounce: Option<&'a Bounce>,
    /// Index of the record the agent is working.
    pub record: usize,
    pub diagnosis: Option<&'a Diagnosis>,
    pub playbook: Option<&'a Playbook>,
    pub now: DateTime<Utc>,
}

/// Render the escalation summary. Never panics; the same context always gives the same text.
pub fn render(ctx: &SummaryContext<'_>, format: SummaryFormat) -> String {
    let mut out = Out::new(format);
    let worked_at = worked_record(ctx);
    let worked = worked_at.map(|(_, r)| r);
    out.title(&format!(
        "Escalation summary: ticket {}",
        one_line(&ctx.ticket.id)
    ));
    out.para(&format!("Generated {}", utc(ctx.now)));

    out.section("Cause");
    cause(&mut out, ctx, worked_at);

    out.section("Message");
    message(&mut out, ctx, worked_at);

    out.section("Delivery path");
    delivery_path(&mut out, ctx.bounce, worked);

    out.section("Message trace");
    message_trace(&mut out, ctx.bounce);

    out.section("Address checks");
    address_checks(&mut out, ctx.bounce);

    checklist(&mut out, ctx);
    agent::earlier_work(&mut out, ctx, worked_at);

    bounce_text(&mut out, ctx);
    out.finish()
}

/// The record being worked and its index: the selected one, or the last one when the
/// selection is stale (a re-pasted bounce with fewer recipients).
fn worked_record<'a>(ctx: &SummaryContext<'a>) -> Option<(usize, &'a Record)> {
    let records = &ctx.bounce?.records;
    let index = ctx.record.min(records.len().checked_sub(1)?);
    Some((index, &records[index]))
}

fn cause(out: &mut Out, ctx: &SummaryContext<'_>, worked_at: Option<(usize, &Record)>) {
    let worked = worked_at.map(|(_, r)| r);
    let in_force = agent::cause_in_force(ctx, worked_at);
    let mut variation = match (ctx.playbook, in_force, ctx.diagnosis) {
        (Some(p), _, _) => format!("{} ({})", one_line(&p.title), one_line(&p.id)),
        (None, Some(c), _) => one_line(c.variation),
        (None, None, Some(d)) => one_line(&d.variation),
        (None, None, None) => format!("{UNKNOWN} (not classified)"),
    };
    let mark = in_force.and_then(|c| c.mark());
    if let Some(mark) = &mark {
        variation.push_str(&format!(" - {mark}"));
    }
    out.field("Variation", &variation);
    let confidence = match ctx.diagnosis {
        Some(d) => {
            let how = match d.basis {
                Basis::Text => "matched the server text",
                Basis::Status => "matched the enhanced status code",
                Basis::ReplyCode => "matched the reply code",
                Basis::Fallback => "no specific cause matched",
            };
            let evidence = one_line(&d.evidence);
            if evidence.is_empty() {
                format!("{} ({how})", percent(d.confidence))
            } else {
                format!("{} ({how}: \"{evidence}\")", percent(d.confidence))
            }
        }
        None => UNKNOWN.to_string(),
    };
    let confidence = match (&mark, ctx.diagnosis) {
        (Some(_), Some(d)) => format!(
            "set by the agent; bouncebook's answer {} was {confidence}",
            one_line(&d.variation)
        ),
        _ => confidence,
    };
    out.field("Confidence", &confidence);
    out.field(
        "Deciding line",
        &known(worked.and_then(|r| r.diagnostic.as_deref())),
    );
    out.field(
        "Reply code",
        &known(
            worked
                .and_then(|r| r.reply_code)
                .map(|c| c.to_string())
                .as_deref(),
        ),
    );
    out.field("Status", &known(worked.and_then(|r| r.status.as_deref())));
}

fn message(out: &mut Out, ctx: &SummaryContext<'_>, worked_at: Option<(usize, &Record)>) {
    let bounce = ctx.bounce;
    let worked = worked_at.map(|(_, r)| r);
    let sender = bounce.and_then(|b| b.sender.as_deref());
    let from = bounce.and_then(|b| b.header_from.as_deref());
    out.field("Envelope sender", &known(sender));
    let from_value = match (sender, from) {
        (Some(s), Some(f)) if same_address(s, f) => {
            format!("{} (same as the envelope sender)", one_line(f))
        }
        (Some(_), Some(f)) => format!("{} (DIFFERS from the envelope sender)", one_line(f)),
        _ => known(from),
    };
    out.field("Header From", &from_value);

    let recipient = worked.and_then(|r| r.recipient.as_deref());
    let mut recipient_value = known(recipient);
    if let Some(original) = worked.and_then(|r| r.original_recipient.as_deref()) {
        recipient_value.push_str(&format!(" (originally {})", one_line(original)));
    }
    out.field("Recipient", &recipient_value);
    let records: &[Record] = bounce.map_or(&[], |b| b.records.as_slice());
    let others: Vec<String> = records
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != worked_at.map(|(w, _)| w))
        .map(|(_, r)| known(r.recipient.as_deref()))
        .collect();
    out.field("Other recipients", &listed(&others));
    out.field("Scope", &scope(records));

    let printed = bounce.and_then(|b| b.timestamp_raw.as_deref());
    let parsed = bounce.and_then(|b| b.timestamp);
    let timestamp = match (printed, parsed) {
        (Some(p), Some(t)) => format!("{} (as printed); {}", one_line(p), utc(t)),
        (Some(p), None) => format!("{} (as printed); UTC {UNKNOWN}", one_line(p)),
        (None, Some(t)) => format!("{} (not printed in the bounce)", utc(t)),
        (None, None) => UNKNOWN.to_string(),
    };
    out.field("Timestamp", &timestamp);
}

fn delivery_path(out: &mut Out, bounce: Option<&Bounce>, worked: Option<&Record>) {
    out.field(
        "Reporting MTA",
        &known(bounce.and_then(|b| b.reporting_mta.as_deref())),
    );
    out.field(
        "Rejected by",
        &known(worked.and_then(Record::remote_mta).as_deref()),
    );
    out.field(
        "SMTP stage",
        &known(worked.and_then(|r| r.stage).map(|s| s.as_str())),
    );
}

/// What a postmaster needs to find the message in their logs.
fn message_trace(out: &mut Out, bounce: Option<&Bounce>) {
    out.field(
        "Queue ID",
        &known(bounce.and_then(|b| b.queue_id.as_deref())),
    );
    out.field(
        "Message-ID",
        &known(bounce.and_then(|b| b.message_id.as_deref())),
    );
    out.field("Subject", &known(bounce.and_then(|b| b.subject.as_deref())));
}

fn address_checks(out: &mut Out, bounce: Option<&Bounce>) {
    let records = bounce.map_or(&[][..], |b| b.records.as_slice());
    let problems = records
        .iter()
        .flat_map(|r| r.address_problems.iter().map(move |p| (r, p)));
    let total = records
        .iter()
        .map(|r| r.address_problems.len())
        .sum::<usize>();
    let mut any = false;
    for (record, problem) in problems.take(MAX_LISTED_RECIPIENTS) {
        let mut line = format!(
            "{}: {}",
            known(record.recipient.as_deref()),
            one_line(&problem.message)
        );
        if let Some(suggestion) = &problem.suggestion {
            line.push_str(&format!(" (suggestion: {})", one_line(suggestion)));
        }
        out.item(&line);
        any = true;
    }
    if total > MAX_LISTED_RECIPIENTS {
        out.item(&format!("and {} more", total - MAX_LISTED_RECIPIENTS));
    }
    if !any {
        out.item("none found");
    }
}

fn checklist(out: &mut Out, ctx: &SummaryContext<'_>) {
    let variation = ctx
        .playbook
        .map(|p| p.id.as_str())
        .or(ctx.diagnosis.map(|d| d.variation.as_str()));
    let progress = variation.and_then(|v| ctx.ticket.progress.get(v));
    let state_of = |id: &str| -> Option<&StepState> { progress.and_then(|p| p.get(id)) };

    let Some(playbook) = ctx.playbook else {
        out.section("Checklist");
        out.item("no playbook applies to this bounce");
        return;
    };
    let total = playbook.steps.len();
    let done = playbook
        .steps
        .iter()
        .filter(|s| state_of(&s.id).is_some_and(|st| st.done))
        .count();
    out.section(&format!(
        "Checklist ({done} of {total} steps done, {} left)",
        total - done
    ));
    for step in &playbook.steps {
        let state = state_of(&step.id);
        let mut title = one_line(&step.title);
        if let Some(at) = state.filter(|s| s.done).and_then(|s| s.done_at) {
            title.push_str(&format!(" (done {})", utc(at)));
        }
        out.check(state.is_some_and(|s| s.done), &title);
        if let Some(note) = state.and_then(|s| s.note.as_deref()) {
            out.note(note);
        }
    }
    let tried: Vec<String> = playbook
        .steps
        .iter()
        .filter(|s| state_of(&s.id).is_some_and(|st| st.done))
        .map(|s| one_line(&s.title))
        .collect();
    let left: Vec<String> = playbook
        .steps
        .iter()
        .filter(|s| !state_of(&s.id).is_some_and(|st| st.done))
        .map(|s| one_line(&s.title))
        .collect();
    out.field(&format!("Tried ({done})"), &listed_all(&tried));
    out.field(&format!("Left ({})", total - done), &listed_all(&left));
}

fn bounce_text(out: &mut Out, ctx: &SummaryContext<'_>) {
    let Some(raw) = ctx.ticket.bounce.as_deref() else {
        out.section("Bounce");
        out.item("no bounce text on this ticket");
        return;
    };
    let cut = cut_point(raw, MAX_BOUNCE_BYTES);
    let (redacted, secrets) = redact(&raw[..cut]);
    let shown = for_display(&redacted);
    let mut heading = String::from("Bounce as pasted (escape sequences removed");
    if secrets > 0 {
        heading.push_str(&format!(
            "; {secrets} credential{} redacted",
            plural(secrets)
        ));
    }
    heading.push(')');
    out.section(&heading);
    if let Some(warnings) = ctx.bounce.map(|b| &b.warnings).filter(|w| !w.is_empty()) {
        for warning in warnings {
            out.item(&format!("parser note: {}", one_line(warning)));
        }
    }
    out.block(&shown);
    if cut < raw.len() {
        out.para(&format!("(truncated: {} bytes more)", raw.len() - cut));
    }
}

/// Where to cut the bounce: at most `max` bytes, at a line end when one is in the last half,
/// always on a character boundary.
fn cut_point(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let cut = text.floor_char_boundary(max);
    match text[..cut].rfind('\n') {
        Some(nl) if nl + 1 >= cut / 2 => nl + 1,
        _ => cut,
    }
}

/// One untrusted value made safe for a single line: escapes removed, controls visible,
/// newlines folded, secrets redacted.
fn one_line(value: &str) -> String {
    let cut = cut_point(value, MAX_FIELD_BYTES);
    let (redacted, _) = redact(&value[..cut]);
    let shown = for_display(&redacted);
    let mut line = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    if cut < value.len() {
        line.push_str(&format!(" (truncated: {} bytes more)", value.len() - cut));
    }
    line
}

fn known(value: Option<&str>) -> String {
    match value.map(one_line) {
        Some(v) if !v.is_empty() => v,
        _ => UNKNOWN.to_string(),
    }
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn percent(confidence: f32) -> String {
    if confidence.is_finite() {
        format!("{:.0}%", confidence.clamp(0.0, 1.0) * 100.0)
    } else {
        UNKNOWN.to_string()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The addr-spec inside `Name <addr>`, lowercased, for comparing sender and From.
fn address_part(value: &str) -> String {
    let inner = match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value,
    };
    inner.trim().to_lowercase()
}

fn same_address(a: &str, b: &str) -> bool {
    address_part(a) == address_part(b)
}

fn scope(records: &[Record]) -> String {
    let failed = records
        .iter()
        .filter(|r| r.action == Action::Failed)
        .count();
    match records.len() {
        0 => "no recipient found in the bounce".to_string(),
        n => format!("{failed} of {n} recipient{} failed", plural(n)),
    }
}

fn listed(values: &[String]) -> String {
    if values.is_empty() {
        return "none".to_string();
    }
    let shown = values.len().min(MAX_LISTED_RECIPIENTS);
    let mut text = values[..shown].join(", ");
    if values.len() > shown {
        text.push_str(&format!(" and {} more", values.len() - shown));
    }
    text
}

fn listed_all(values: &[String]) -> String {
    if values.is_empty() {
        "none".to_string()
    } else {
        values.join("; ")
    }
}

/// The two output shapes behind one small set of verbs, so the content and its order are
/// written once.
struct Out {
    text: String,
    format: SummaryFormat,
}

impl Out {
    fn new(format: SummaryFormat) -> Self {
        Out {
            text: String::with_capacity(4096),
            format,
        }
    }

    fn md(&self) -> bool {
        self.format == SummaryFormat::Markdown
    }

    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    fn title(&mut self, title: &str) {
        if self.md() {
            let escaped = markdown::escape(title);
            self.line(&format!("# {escaped}"));
        } else {
            self.line(title);
            self.line(&"=".repeat(title.chars().count()));
        }
    }

    fn para(&mut self, s: &str) {
        self.line("");
        if self.md() {
            let escaped = markdown::escape(s);
            self.line(&escaped);
        } else {
            self.line(s);
        }
    }

    fn section(&mut self, name: &str) {
        self.line("");
        if self.md() {
            let escaped = markdown::escape(name);
            self.line(&format!("## {escaped}"));
            self.line("");
        } else {
            self.line(&format!("{name}:"));
        }
    }

    /// `label: value`; both already one-lined.
    fn field(&mut self, label: &str, value: &str) {
        if self.md() {
            let (label, value) = (markdown::escape(label), markdown::escape(value));
            self.line(&format!("- **{label}:** {value}"));
        } else {
            self.line(&format!("  {:<17} {value}", format!("{label}:")));
        }
    }

    fn item(&mut self, s: &str) {
        if self.md() {
            let escaped = markdown::escape(s);
            self.line(&format!("- {escaped}"));
        } else {
            self.line(&format!("  - {s}"));
        }
    }

    fn check(&mut self, done: bool, title: &str) {
        let mark = if done { "[x]" } else { "[ ]" };
        if self.md() {
            let escaped = markdown::escape(title);
            self.line(&format!("- {mark} {escaped}"));
        } else {
            self.line(&format!("  {mark} {title}"));
        }
    }

    /// The agent's note under a step: may span lines, each kept (sanitised) and indented.
    fn note(&mut self, note: &str) {
        let (redacted, _) = redact(note);
        let clean = for_display(&redacted);
        let mut lines = clean
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty());
        let Some(first) = lines.next() else {
            return;
        };
        if self.md() {
            let first = markdown::escape(first.trim());
            self.line(&format!("  - Note: {first}"));
            for more in lines {
                let more = markdown::escape_line_start(&markdown::escape(more.trim()));
                self.line(&format!("    {more}"));
            }
        } else {
            self.line(&format!("      Note: {}", first.trim()));
            for more in lines {
                self.line(&format!("            {}", more.trim()));
            }
        }
    }

    /// The bounce: verbatim between markers (text) or in a fence it cannot close (Markdown).
    fn block(&mut self, body: &str) {
        let body = body.strip_suffix('\n').unwrap_or(body);
        if self.md() {
            let fence = markdown::fence_for(body);
            self.line(&format!("{fence}text"));
            self.line(body);
            self.line(&fence);
        } else {
            self.line("----- begin bounce -----");
            self.line(body);
            self.line("----- end bounce -----");
        }
    }

    fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_point_prefers_line_ends_and_char_boundaries() {
        assert_eq!(cut_point("abc", 10), 3);
        assert_eq!(cut_point("ab\ncdef", 5), 3);
        let s = "ééééé"; // 2 bytes each
        assert_eq!(cut_point(s, 3), 2);
    }

    #[test]
    fn same_address_ignores_display_name_and_case() {
        assert!(same_address(
            "alice@example.com",
            "Alice <Alice@Example.com>"
        ));
        assert!(!same_address(
            "alice@example.com",
            "Alice <alice@example.org>"
        ));
    }

    #[test]
    fn percent_is_clamped_and_says_unknown_for_nan() {
        assert_eq!(percent(0.934), "93%");
        assert_eq!(percent(7.0), "100%");
        assert_eq!(percent(f32::NAN), "unknown");
    }
}
