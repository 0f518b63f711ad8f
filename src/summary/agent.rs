//! The agent's hand in the summary: a cause set with `v` is marked as the agent's next to
//! the cause, and the work done on the record's earlier causes (ticks and notes made before
//! the cause changed) is listed as such, so the next tier sees what was tried and why.

use crate::bounce::Record;
use crate::cause::{self, Cause};
use crate::ticket::StepState;

use super::{Mark, Out, SummaryContext, one_line, utc};

/// The cause in force for the worked record, when the bounce has one.
pub(super) fn cause_in_force<'a>(
    ctx: &SummaryContext<'a>,
    worked: Option<(usize, &Record)>,
) -> Option<Cause<'a>> {
    let (index, record) = worked?;
    Some(cause::cause_of(ctx.ticket, index, record, ctx.diagnosis?))
}

/// "Work on earlier causes": for each cause the record had before the one in force, the
/// steps ticked or annotated under it. Nothing is written when there was none.
pub(super) fn earlier_work(
    out: &mut Out,
    ctx: &SummaryContext<'_>,
    worked: Option<(usize, &Record)>,
) {
    let Some((index, record)) = worked else {
        return;
    };
    let Some(current) = cause_in_force(ctx, worked).map(|c| c.variation) else {
        return;
    };
    let reference = cause::record_ref(index, record);
    let mut any = false;
    for earlier in ctx.ticket.earlier_causes(&reference, current) {
        let key = crate::ticket::record_key_in(
            ctx.ticket,
            index,
            record.recipient.as_deref(),
            record.also_named(),
        );
        let Some(steps) = ctx.ticket.record_steps(&key, earlier) else {
            continue;
        };
        let worked_on: Vec<(&String, &StepState)> = steps
            .iter()
            .filter(|(_, s)| s.done || s.note.is_some())
            .collect();
        if worked_on.is_empty() {
            continue;
        }
        if !any {
            out.section("Work on earlier causes (before the cause was changed)");
            any = true;
        }
        out.item(&format!("earlier cause {}:", one_line(earlier)));
        for (id, state) in worked_on {
            let mut title = one_line(id);
            if let Some(at) = state.done.then_some(state.done_at).flatten() {
                title.push_str(&format!(" (done {})", utc(at)));
            }
            out.check(if state.done { Mark::Done } else { Mark::Open }, &title);
            if let Some(note) = state.note.as_deref() {
                out.note(note);
            }
        }
    }
}
