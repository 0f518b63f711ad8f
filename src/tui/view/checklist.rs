//! The Checklist pane: progress, the steps with their ticks, and the selected step's
//! detail, ready command and note.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{one_line, pane_block};
use crate::sanitize;
use crate::tui::app::{App, Pane};

const BAR_WIDTH: usize = 12;

/// A checklist pane (or its detail) shorter than this is short: see `draw`.
const SHORT_PANE: u16 = 12;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let steps = app.steps();
    let (done, total) = app.progress();
    let extra = (total > 0).then(|| format!("{done}/{total} {}", bar(done, total)));
    let block = pane_block(app, Pane::Checklist, "Checklist", extra);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let theme = app.theme;

    if steps.is_empty() {
        let text = if app.analysis.is_none() {
            "The playbook's steps appear here once a bounce is pasted."
        } else {
            "No checklist for this diagnosis."
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim())).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    }

    // The list gets what it needs up to about half the pane; the detail gets the rest. In a
    // short pane (80×24) the list gets a third, so the selected step's title and command
    // still show under it.
    let list_share = if inner.height < SHORT_PANE {
        inner.height / 3
    } else {
        inner.height.div_ceil(2)
    };
    let list_height = super::rows(steps.len()).min(list_share).max(1);
    let [list_area, rule_area, detail_area] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);

    let selected = app.selected_step_index().min(steps.len() - 1);
    let focused = app.focus == Pane::Checklist;
    let rows: Vec<Line> = super::scrolled(steps, selected, list_area.height)
        .map(|(i, step)| {
            let state = app.step_state(step);
            let ticked = state.is_some_and(|s| s.done);
            let noted = state.is_some_and(|s| s.note.is_some());
            // A step the situation rules out is shown dimmed (reason in the detail below).
            let ruled_out = !ticked && !app.applicability(step).applies();
            let check = if ticked {
                "[x]"
            } else if ruled_out {
                "[-]"
            } else {
                "[ ]"
            };
            let mut spans = vec![
                Span::styled(
                    format!(" {check} "),
                    if ticked {
                        theme.done()
                    } else if ruled_out {
                        theme.dim()
                    } else {
                        theme.title()
                    },
                ),
                Span::styled(
                    format!("{}. {}", i + 1, one_line(&step.title)),
                    if ruled_out {
                        theme.dim()
                    } else {
                        ratatui::style::Style::default()
                    },
                ),
            ];
            if ruled_out {
                spans.push(Span::styled("  n/a", theme.dim()));
            }
            if noted {
                spans.push(Span::styled("  ✎ note", theme.dim()));
            }
            if let Some(result) = live_result(app, step) {
                spans.push(Span::styled(
                    format!(
                        "  ◆ {}: {}",
                        one_line(&result.check),
                        result.status.as_str()
                    ),
                    status_style(theme, result.status),
                ));
            }
            let line = Line::from(spans);
            match (i == selected, focused) {
                (true, true) => line.style(theme.selected()),
                (true, false) => line.style(theme.selected_unfocused()),
                _ => line,
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), list_area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "─".repeat(usize::from(rule_area.width)),
            theme.dim(),
        )),
        rule_area,
    );

    let step = &steps[selected];
    let state = app.step_state(step);
    let mut detail = vec![Line::from(vec![
        Span::styled(format!("Step {} of {total} · ", selected + 1), theme.dim()),
        Span::styled(one_line(&step.title), theme.title()),
    ])];
    if let Some(at) = state
        .and_then(|s| s.done_at)
        .filter(|_| state.is_some_and(|s| s.done))
    {
        detail.push(Line::styled(
            format!("ticked {}", at.format("%Y-%m-%d %H:%M UTC")),
            theme.done(),
        ));
    }
    match app.applicability(step) {
        crate::playbook::Applicability::DoesNotApply { reason } => detail.push(Line::styled(
            format!("Does not apply here: {}", one_line(&reason)),
            theme.dim(),
        )),
        crate::playbook::Applicability::Unknown { depends_on } => detail.push(Line::styled(
            format!("{} (the bounce does not say)", one_line(&depends_on)),
            theme.dim(),
        )),
        crate::playbook::Applicability::Applies => {}
    }
    // Where the detail is short on room the command comes first: it is what the agent
    // copies, and the explanation can be scrolled to in a taller window.
    let command_first = detail_area.height < SHORT_PANE;
    if command_first {
        command_lines(app, step, &mut detail);
    }
    if let Some(text) = &step.detail {
        detail.extend(
            sanitize::for_display(text.trim_end())
                .lines()
                .map(|l| Line::raw(l.to_string())),
        );
    }
    if let Some(id) = &step.check {
        detail.push(Line::raw(""));
        match live_result(app, step) {
            Some(r) => {
                detail.push(Line::from(vec![
                    Span::styled(format!("Live check {} ", one_line(id)), theme.label()),
                    Span::styled(r.status.as_str(), status_style(theme, r.status)),
                ]));
                detail.push(Line::raw(format!("  {}", one_line(&r.detail))));
            }
            None => detail.push(Line::styled(
                format!(
                    "Live check {}: not run yet (d runs the checks)",
                    one_line(id)
                ),
                theme.dim(),
            )),
        }
    }
    if !command_first {
        command_lines(app, step, &mut detail);
    }
    detail.push(Line::raw(""));
    match state.and_then(|s| s.note.as_deref()) {
        Some(note) => {
            detail.push(Line::styled("Note (n edits)", theme.label()));
            detail.extend(
                sanitize::for_display(note)
                    .lines()
                    .map(|l| Line::raw(format!("  {l}"))),
            );
        }
        None => detail.push(Line::styled("No note. n adds one.", theme.dim())),
    }
    frame.render_widget(
        Paragraph::new(detail).wrap(Wrap { trim: false }),
        detail_area,
    );
}

/// The selected step's filled command, and what it still lacks (`e` types it).
fn command_lines(app: &App, step: &crate::playbook::Step, detail: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    if let Some(command) = app.filled_command(step) {
        detail.push(Line::raw(""));
        detail.push(Line::styled(
            "Command (c copies it; never run here)",
            theme.label(),
        ));
        detail.push(Line::styled(
            format!("  {}", one_line(&command)),
            theme.command(),
        ));
        let missing = step
            .command
            .as_deref()
            .map(|t| app.filled(t).missing)
            .unwrap_or_default();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|n| n.to_ascii_uppercase()).collect();
            detail.push(Line::styled(
                format!(
                    "  missing: {} (e types it; c will not copy it until known)",
                    names.join(", ")
                ),
                theme.label(),
            ));
        }
    }
}

fn bar(done: usize, total: usize) -> String {
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

/// The live result a step names (`check:`), from the selected record's last run.
fn live_result<'a>(
    app: &'a App,
    step: &crate::playbook::Step,
) -> Option<&'a crate::checks::CheckResult> {
    let id = step.check.as_deref()?;
    app.ticket
        .checks_for(app.selected_record_index())?
        .result_for(id)
}

fn status_style(
    theme: crate::tui::theme::Theme,
    status: crate::checks::Status,
) -> ratatui::style::Style {
    use crate::checks::Status;
    match status {
        Status::Ok => theme.done(),
        Status::Warn => theme.warning(),
        Status::Fail | Status::Error => theme.error(),
    }
}
