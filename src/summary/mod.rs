//! The escalation summary: a pure function of ticket + parsed bounce + diagnoses + playbooks
//! → text, plain (for ticket systems), Markdown or Jira wiki markup.
//!
//! Ordered the way a tier-2 engineer reads it: which ticket, what cause, the line that decided
//! it, who sent to whom and when, the path through the servers, the ids for a message trace,
//! what the agent already tried, then the evidence (the full bounce). Every value taken from
//! the paste is untrusted: it is sanitised (no escape sequences, controls made visible),
//! credentials are redacted, and in Markdown it is escaped so it cannot become markup.

mod agent;
mod jira;
mod markdown;

use chrono::{DateTime, Utc};

use crate::bounce::{Action, Bounce, Format, Record};
use crate::classify::{Basis, Diagnosis};
use crate::playbook::situation::{FACTS, clean_said, describe, system_name};
use crate::playbook::{Applicability, Playbook, PlaybookSet, Situation};
use crate::redact::redact;
use crate::sanitize::for_display;
use crate::ticket::{StepState, Ticket, record_key_in};

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
    /// Jira wiki markup (Jira Server / Data Center comments, and Jira Cloud's wiki renderer).
    Jira,
}

/// The deciding line is never cut below this (a real one is a few hundred bytes).
const MAX_DECIDING_BYTES: usize = 16 * 1024;

/// How many records get their own checklist section before "and N more".
const MAX_WORKED_RECORDS: usize = 20;

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
    /// Every record's diagnosis, in bounce order; empty when only `diagnosis` is known.
    pub diagnoses: &'a [Diagnosis],
    /// The playbooks in force, to find each record's checklist; `None`: only `playbook`.
    pub playbooks: Option<&'a PlaybookSet>,
    /// Add the customer reply (the worked record's playbook's `reply:`, filled).
    pub include_reply: bool,
}

/// Render the escalation summary. Never panics; the same context always gives the same text.
///
/// Fixed sections, in the order a tier-2 engineer reads them: one-line summary; cause and
/// confidence; evidence (the deciding line, whole); facts; the message and its trace; the
/// work done on every record with notes; what is needed from the next tier; the bounce.
pub fn render(ctx: &SummaryContext<'_>, format: SummaryFormat) -> String {
    let mut out = Out::new(format);
    let worked_at = worked_record(ctx);
    let worked = worked_at.map(|(_, r)| r);
    out.title(&format!(
        "Escalation summary: ticket {}",
        one_line(&ctx.ticket.id)
    ));
    out.para(&format!("Generated {}", utc(ctx.now)));

    out.section("Summary");
    out.para_item(&one_line_summary(ctx));

    out.section("Cause");
    cause(&mut out, ctx, worked_at);

    out.section("Evidence");
    evidence(&mut out, ctx, worked);

    out.section("Facts");
    facts(&mut out, ctx, worked);

    out.section("Message");
    message(&mut out, ctx, worked_at);

    out.section("Message trace");
    message_trace(&mut out, ctx.bounce);

    out.section("Address checks");
    address_checks(&mut out, ctx.bounce);

    live_checks(&mut out, ctx);

    work(&mut out, ctx);
    agent::earlier_work(&mut out, ctx, worked_at);

    next_tier(&mut out, ctx);

    if ctx.include_reply {
        reply(&mut out, ctx, worked);
    }

    bounce_text(&mut out, ctx);
    out.finish()
}

/// Each record with its diagnosis and playbook, in bounce order.
struct Worked<'a> {
    index: usize,
    record: &'a Record,
    diagnosis: Option<&'a Diagnosis>,
    playbook: Option<&'a Playbook>,
}

fn worked_records<'a>(ctx: &SummaryContext<'a>) -> Vec<Worked<'a>> {
    let Some(bounce) = ctx.bounce else {
        return Vec::new();
    };
    let selected = worked_record(ctx).map(|(i, _)| i);
    bounce
        .records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let diagnosis = if Some(index) == selected && ctx.diagnosis.is_some() {
                ctx.diagnosis
            } else {
                ctx.diagnoses.get(index)
            };
            let playbook = if Some(index) == selected && ctx.playbook.is_some() {
                ctx.playbook
            } else {
                // The cause in force: the agent's when one was set with `v`.
                diagnosis.and_then(|d| {
                    let variation = crate::cause::cause_of(ctx.ticket, index, record, d).variation;
                    ctx.playbooks.and_then(|set| set.get(variation))
                })
            };
            Worked {
                index,
                record,
                diagnosis,
                playbook,
            }
        })
        .collect()
}

fn cause_name(w: &Worked<'_>) -> String {
    match (w.playbook, w.diagnosis) {
        (Some(p), _) => one_line(&p.title),
        (None, Some(d)) => one_line(&d.variation),
        (None, None) => format!("{UNKNOWN} (not classified)"),
    }
}

fn permanence(record: &Record, bounce: Option<&Bounce>) -> &'static str {
    // A mail system's report that lists the address as failed (Exim's `Unrouteable
    // address`, Postfix's `Host or domain name not found`) gave up for good, code or not;
    // a client's or a log's text without a code does not say.
    let reported_failed = record.action == Action::Failed
        && bounce.is_some_and(|b| matches!(b.format, Format::Dsn | Format::Email | Format::Body));
    if record.is_temporary() {
        "temporary: the sending server retries"
    } else if record.reply_code.is_some_and(|c| (500..600).contains(&c))
        || record.status.as_deref().is_some_and(|s| s.starts_with('5'))
    {
        "permanent: nothing is retried, the message must be sent again after the fix"
    } else if reported_failed {
        "permanent: the report lists the address as failed (without a reply code); nothing is retried"
    } else {
        "unknown whether temporary or permanent (no reply code or status)"
    }
}

/// One line a reader can stop after.
fn one_line_summary(ctx: &SummaryContext<'_>) -> String {
    let records = worked_records(ctx);
    let Some(first) = records.first() else {
        return "No failed recipient could be read from the bounce.".to_string();
    };
    let failed = records
        .iter()
        .filter(|w| w.record.action == Action::Failed)
        .count();
    let mut causes: Vec<String> = Vec::new();
    for w in &records {
        let c = cause_name(w);
        if !causes.contains(&c) {
            causes.push(c);
        }
    }
    let code = |r: &Record| {
        [r.reply_code.map(|c| c.to_string()), r.status.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if records.len() == 1 {
        let r = first.record;
        let c = code(r);
        let code = if c.is_empty() {
            String::new()
        } else {
            format!(" ({})", one_line(&c))
        };
        return format!(
            "Mail from {} to {} refused{code}: {}; {}.",
            known(ctx.bounce.and_then(|b| b.sender.as_deref())),
            known(r.recipient.as_deref()),
            cause_name(first),
            permanence(r, ctx.bounce)
                .split(':')
                .next()
                .unwrap_or_default()
        );
    }
    let differ = if causes.len() > 1 {
        format!("{} different causes", causes.len())
    } else {
        "one cause".to_string()
    };
    let listed: Vec<String> = records
        .iter()
        .take(MAX_LISTED_RECIPIENTS)
        .map(|w| {
            format!(
                "{}: {}",
                known(w.record.recipient.as_deref()),
                cause_name(w)
            )
        })
        .collect();
    let more = records.len().saturating_sub(MAX_LISTED_RECIPIENTS);
    let more = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    format!(
        "{failed} of {} recipients failed, {differ}: {}{more}.",
        records.len(),
        listed.join("; ")
    )
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
    if let Some(r) = worked {
        out.field("Permanence", permanence(r, ctx.bounce));
    }
    let records = worked_records(ctx);
    if records.len() > 1 {
        let mut causes: Vec<String> = records.iter().map(cause_name).collect();
        causes.dedup();
        causes.sort();
        causes.dedup();
        let note = if causes.len() > 1 {
            format!(
                "the causes DIFFER between recipients ({}); each record's work is listed below",
                causes.len()
            )
        } else {
            "every recipient has the same cause".to_string()
        };
        out.field("Records", &note);
    }
}

/// The line that decided it, whole, with the codes and where it happened.
fn evidence(out: &mut Out, ctx: &SummaryContext<'_>, worked: Option<&Record>) {
    out.field("Deciding line", &deciding_line(worked));
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
    delivery_path(out, ctx.bounce, worked);
}

/// The server's words, unfolded, without Exim's literal `\n`, never cut short of
/// [`MAX_DECIDING_BYTES`].
fn deciding_line(record: Option<&Record>) -> String {
    let Some(text) = record.and_then(|r| r.diagnostic.as_deref()) else {
        return UNKNOWN.to_string();
    };
    let cut = cut_point(text, MAX_DECIDING_BYTES);
    let (redacted, _) = redact(&text[..cut]);
    let mut line = clean_said(&for_display(&redacted));
    if line.is_empty() {
        return UNKNOWN.to_string();
    }
    if cut < text.len() {
        line.push_str(&format!(" (truncated: {} bytes more)", text.len() - cut));
    }
    line
}

/// The situation: who refused, whether the customer logged in, which system reported, and
/// every value the agent typed, each with where it came from.
fn facts(out: &mut Out, ctx: &SummaryContext<'_>, worked: Option<&Record>) {
    let empty_bounce = Bounce::default();
    let empty_record = Record::default();
    let bounce = ctx.bounce.unwrap_or(&empty_bounce);
    let record = worked.unwrap_or(&empty_record);
    let here = Situation::new(bounce, record, &ctx.ticket.values);
    for def in FACTS {
        let value = match here.fact(def.name) {
            Some((v, source)) => {
                let shown = if def.name == "reporting_system" {
                    system_name(v).to_string()
                } else {
                    describe(def.name, v)
                };
                match source {
                    crate::playbook::situation::Source::Bounce => {
                        format!("{shown}; from the bounce")
                    }
                    crate::playbook::situation::Source::Agent => {
                        format!("{shown}; set by the agent")
                    }
                }
            }
            None => format!("{UNKNOWN} (the bounce does not say)"),
        };
        out.field(&fact_label(def.name), &value);
    }
    out.field(
        "Sending IP",
        &known(bounce.facts.sending_ip.map(|ip| ip.to_string()).as_deref()),
    );
    for (name, value) in &ctx.ticket.values {
        if FACTS.iter().any(|f| f.name == name) {
            continue;
        }
        out.field(
            &one_line(name),
            &format!("{} (set by the agent)", one_line(value)),
        );
    }
}

fn fact_label(name: &str) -> String {
    match name {
        "refused_by" => "Refused by".into(),
        "authenticated" => "Customer logged in".into(),
        "reporting_system" => "Reporting system".into(),
        "temporary" => "Failure".into(),
        other => other.to_string(),
    }
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
    if let Some(reached) = worked.and_then(|r| r.final_recipient.as_deref()) {
        recipient_value.push_str(&format!(
            " (expanded by the recipient's site to {})",
            one_line(reached)
        ));
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
    let timestamp = match bounce.and_then(|b| b.timestamp_basis.caveat()) {
        Some(c) if parsed.is_some() => format!("{timestamp} ({c})"),
        _ => timestamp,
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

/// The live checks run for the worked record (`d`), with when, from where and through which
/// resolver. Each result is sanitised again: the ticket file may have been edited.
fn live_checks(out: &mut Out, ctx: &SummaryContext<'_>) {
    let Some(run) = ctx.ticket.checks_for(ctx.record) else {
        return;
    };
    out.section("Live checks");
    out.para(&format!(
        "Checks run at {} from {} (resolver {}): {} of {} results",
        utc(run.started),
        crate::checks::clean_line(&run.host, 100),
        crate::checks::clean_line(&run.resolver, 100),
        run.results.len(),
        run.planned.max(run.results.len())
    ));
    for r in run
        .results
        .iter()
        .map(crate::checks::CheckResult::resanitised)
    {
        out.item(&format!(
            "[{}] {} {}: {}",
            r.status.as_str(),
            r.check,
            r.target,
            r.detail
        ));
    }
}

/// Every record's checklist with ticks and notes (steps that do not apply marked so).
fn work(out: &mut Out, ctx: &SummaryContext<'_>) {
    let records = worked_records(ctx);
    if records.is_empty() {
        out.section("Work done");
        match ctx.playbook {
            Some(p) => checklist(out, ctx, p, None),
            None => out.item("no playbook applies to this bounce"),
        }
        return;
    }
    let many = records.len() > 1;
    for w in records.iter().take(MAX_WORKED_RECORDS) {
        let heading = if many {
            format!(
                "Work done: record {} of {}, {}",
                w.index + 1,
                records.len(),
                known(w.record.recipient.as_deref())
            )
        } else {
            format!("Work done: {}", known(w.record.recipient.as_deref()))
        };
        out.section(&heading);
        out.field("Cause", &cause_name(w));
        if let Some(d) = w.diagnosis {
            out.field("Confidence", &percent(d.confidence));
        }
        if many {
            out.field("Deciding line", &deciding_line(Some(w.record)));
        }
        match w.playbook {
            Some(p) => checklist(out, ctx, p, Some(w.record)),
            None => out.item("no playbook applies to this record"),
        }
    }
    if records.len() > MAX_WORKED_RECORDS {
        out.para(&format!(
            "and {} more records (not listed)",
            records.len() - MAX_WORKED_RECORDS
        ));
    }
}

fn checklist(
    out: &mut Out,
    ctx: &SummaryContext<'_>,
    playbook: &Playbook,
    record: Option<&Record>,
) {
    let index = record
        .and_then(|r| {
            ctx.bounce
                .and_then(|b| b.records.iter().position(|x| std::ptr::eq(x, r)))
        })
        .unwrap_or(0);
    let key = record_key_in(
        ctx.ticket,
        index,
        record.and_then(|r| r.recipient.as_deref()),
        record.and_then(Record::also_named),
    );
    let progress = ctx.ticket.record_steps(&key, &playbook.id);
    let state_of = |id: &str| -> Option<&StepState> { progress.and_then(|p| p.get(id)) };
    let empty_bounce = Bounce::default();
    let empty_record = Record::default();
    let here = Situation::new(
        ctx.bounce.unwrap_or(&empty_bounce),
        record.unwrap_or(&empty_record),
        &ctx.ticket.values,
    );
    let total = playbook.steps.len();
    let done = playbook
        .steps
        .iter()
        .filter(|s| state_of(&s.id).is_some_and(|st| st.done))
        .count();
    out.field(
        "Progress",
        &format!("{done} of {total} steps done, {} left", total - done),
    );
    for step in &playbook.steps {
        let state = state_of(&step.id);
        let mut title = one_line(&step.title);
        if let Some(at) = state.filter(|s| s.done).and_then(|s| s.done_at) {
            title.push_str(&format!(" (done {})", utc(at)));
        }
        let applies = here.applies(step.when.as_ref());
        let is_done = state.is_some_and(|s| s.done);
        if let Applicability::DoesNotApply { reason } = &applies
            && !is_done
        {
            title.push_str(&format!(" (does not apply: {})", one_line(reason)));
            out.check(Mark::NotApplicable, &title);
        } else {
            out.check(if is_done { Mark::Done } else { Mark::Open }, &title);
        }
        if let Some(note) = state.and_then(|s| s.note.as_deref()) {
            out.note(note);
        }
    }
}

/// What the next tier is asked for: the escalation list of each cause, and the steps that
/// apply and are still open.
fn next_tier(out: &mut Out, ctx: &SummaryContext<'_>) {
    out.section("Needed from the next tier");
    let records = worked_records(ctx);
    let mut seen: Vec<&str> = Vec::new();
    let mut any = false;
    let playbooks: Vec<&Playbook> = if records.is_empty() {
        ctx.playbook.into_iter().collect()
    } else {
        records.iter().filter_map(|w| w.playbook).collect()
    };
    for p in playbooks {
        if seen.contains(&p.id.as_str()) {
            continue;
        }
        seen.push(&p.id);
        for item in &p.escalate {
            let line = if seen.len() > 1 || records.len() > 1 {
                format!("{} ({})", one_line(item), one_line(&p.id))
            } else {
                one_line(item)
            };
            out.item(&line);
            any = true;
        }
    }
    let empty_bounce = Bounce::default();
    for w in records.iter().take(MAX_WORKED_RECORDS) {
        let Some(p) = w.playbook else { continue };
        let here = Situation::new(
            ctx.bounce.unwrap_or(&empty_bounce),
            w.record,
            &ctx.ticket.values,
        );
        let key = record_key_in(
            ctx.ticket,
            w.index,
            w.record.recipient.as_deref(),
            w.record.also_named(),
        );
        let progress = ctx.ticket.record_steps(&key, &p.id);
        let open: Vec<String> = p
            .steps
            .iter()
            .filter(|s| here.applies(s.when.as_ref()).applies())
            .filter(|s| {
                !progress
                    .and_then(|m| m.get(&s.id))
                    .is_some_and(|st| st.done)
            })
            .map(|s| one_line(&s.title))
            .collect();
        if !open.is_empty() {
            out.item(&format!(
                "Still open for {}: {}",
                known(w.record.recipient.as_deref()),
                open.join("; ")
            ));
            any = true;
        }
    }
    if !any {
        out.item("nothing listed");
    }
}

fn reply(out: &mut Out, ctx: &SummaryContext<'_>, worked: Option<&Record>) {
    out.section("Reply for the customer");
    let text = match (
        ctx.playbook.and_then(|p| p.reply.as_deref()),
        ctx.bounce,
        worked,
    ) {
        (Some(template), Some(bounce), Some(record)) => {
            Situation::new(bounce, record, &ctx.ticket.values).fill_text(template)
        }
        _ => {
            out.item("no reply text for this cause");
            return;
        }
    };
    let (redacted, _) = redact(&text);
    out.block_titled("reply", &for_display(&redacted));
}

fn bounce_text(out: &mut Out, ctx: &SummaryContext<'_>) {
    let Some(raw) = ctx.ticket.bounce.as_deref() else {
        out.section("Bounce");
        out.item("no bounce text on this ticket");
        return;
    };
    let cut = cut_point(raw, MAX_BOUNCE_BYTES);
    // The stored bounce was redacted when it was pasted, so count what that removed too.
    let (redacted, _) = redact(&raw[..cut]);
    let secrets = redacted.matches(crate::redact::REDACTED).count();
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

/// A checklist line's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Done,
    Open,
    NotApplicable,
}

impl Mark {
    fn text(self) -> &'static str {
        match self {
            Mark::Done => "[x]",
            Mark::Open => "[ ]",
            Mark::NotApplicable => "[-]",
        }
    }
}

/// The three output shapes behind one small set of verbs, so the content and its order are
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

    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// Inline text escaped for the format.
    fn esc(&self, s: &str) -> String {
        match self.format {
            SummaryFormat::Text => s.to_string(),
            SummaryFormat::Markdown => markdown::escape(s),
            SummaryFormat::Jira => jira::escape(s),
        }
    }

    fn title(&mut self, title: &str) {
        let t = self.esc(title);
        match self.format {
            SummaryFormat::Markdown => self.line(&format!("# {t}")),
            SummaryFormat::Jira => self.line(&format!("h1. {t}")),
            SummaryFormat::Text => {
                self.line(title);
                self.line(&"=".repeat(title.chars().count()));
            }
        }
    }

    fn para(&mut self, s: &str) {
        self.line("");
        let t = self.esc(s);
        self.line(&t);
    }

    /// A paragraph right under a section heading (the one-line summary).
    fn para_item(&mut self, s: &str) {
        match self.format {
            SummaryFormat::Text => self.line(&format!("  {s}")),
            _ => {
                let t = self.esc(s);
                self.line(&t);
            }
        }
    }

    fn section(&mut self, name: &str) {
        self.line("");
        let t = self.esc(name);
        match self.format {
            SummaryFormat::Markdown => {
                self.line(&format!("## {t}"));
                self.line("");
            }
            SummaryFormat::Jira => self.line(&format!("h2. {t}")),
            SummaryFormat::Text => self.line(&format!("{name}:")),
        }
    }

    /// `label: value`; both already one-lined.
    fn field(&mut self, label: &str, value: &str) {
        let (l, v) = (self.esc(label), self.esc(value));
        match self.format {
            SummaryFormat::Markdown => self.line(&format!("- **{l}:** {v}")),
            SummaryFormat::Jira => self.line(&format!("* *{l}:* {v}")),
            SummaryFormat::Text => self.line(&format!("  {:<19} {value}", format!("{label}:"))),
        }
    }

    fn item(&mut self, s: &str) {
        let t = self.esc(s);
        match self.format {
            SummaryFormat::Markdown => self.line(&format!("- {t}")),
            SummaryFormat::Jira => self.line(&format!("* {t}")),
            SummaryFormat::Text => self.line(&format!("  - {s}")),
        }
    }

    fn check(&mut self, mark: Mark, title: &str) {
        let t = self.esc(title);
        match self.format {
            SummaryFormat::Markdown => {
                let m = if mark == Mark::Done { "[x]" } else { "[ ]" };
                let t = if mark == Mark::NotApplicable {
                    format!("~~{t}~~")
                } else {
                    t
                };
                self.line(&format!("- {m} {t}"));
            }
            SummaryFormat::Jira => {
                let icon = match mark {
                    Mark::Done => "(/)",
                    Mark::Open => "(?)",
                    Mark::NotApplicable => "(-)",
                };
                self.line(&format!("* {icon} {t}"));
            }
            SummaryFormat::Text => self.line(&format!("  {} {title}", mark.text())),
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
        match self.format {
            SummaryFormat::Markdown => {
                let first = markdown::escape(first.trim());
                self.line(&format!("  - Note: {first}"));
                for more in lines {
                    let more = markdown::escape_line_start(&markdown::escape(more.trim()));
                    self.line(&format!("    {more}"));
                }
            }
            SummaryFormat::Jira => {
                let mut joined = jira::escape(first.trim());
                for more in lines {
                    joined.push_str(" \\\\ ");
                    joined.push_str(&jira::escape(more.trim()));
                }
                self.line(&format!("** Note: {joined}"));
            }
            SummaryFormat::Text => {
                self.line(&format!("      Note: {}", first.trim()));
                for more in lines {
                    self.line(&format!("            {}", more.trim()));
                }
            }
        }
    }

    /// The bounce: verbatim between markers (text) or in a block it cannot close.
    fn block(&mut self, body: &str) {
        self.block_titled("bounce", body);
    }

    fn block_titled(&mut self, what: &str, body: &str) {
        let body = body.strip_suffix('\n').unwrap_or(body);
        match self.format {
            SummaryFormat::Markdown => {
                let fence = markdown::fence_for(body);
                self.line(&format!("{fence}text"));
                self.line(body);
                self.line(&fence);
            }
            SummaryFormat::Jira => {
                self.line("{noformat}");
                self.line(&jira::noformat_body(body));
                self.line("{noformat}");
            }
            SummaryFormat::Text => {
                self.line(&format!("----- begin {what} -----"));
                self.line(body);
                self.line(&format!("----- end {what} -----"));
            }
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

    /// Exim's `Unrouteable address` has no code, but the report lists it as failed for
    /// good; a client's text without a code says nothing either way.
    #[test]
    fn a_report_s_failed_entry_without_a_code_is_permanent() {
        let text = "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@far.example\n    Unrouteable address\n";
        let b = crate::bounce::parse(text.as_bytes()).expect("parsed");
        let r = &b.records[0];
        assert_eq!((r.reply_code, r.status.as_deref()), (None, None));
        assert!(permanence(r, Some(&b)).starts_with("permanent"));
        let mut client = b.clone();
        client.format = Format::ErrorText;
        assert!(permanence(r, Some(&client)).starts_with("unknown"));
        assert!(permanence(r, None).starts_with("unknown"));
    }

    #[test]
    fn percent_is_clamped_and_says_unknown_for_nan() {
        assert_eq!(percent(0.934), "93%");
        assert_eq!(percent(7.0), "100%");
        assert_eq!(percent(f32::NAN), "unknown");
    }
}
