//! What sits on top of the panes: help, the summary preview, the record picker, the note
//! editor and input mode. Each is a centred box that clears what is under it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{one_line, rows};
use crate::sanitize;
use crate::tui::analysis::DisplayText;
use crate::tui::app::{App, Overlay, human_bytes};
use crate::tui::editor::TextEditor;
use crate::tui::keys::HELP;

pub fn draw(app: &App, frame: &mut Frame, body: Rect) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => help(app, frame, body),
        Overlay::Summary {
            text,
            lines,
            scroll,
        } => summary(app, frame, body, text, lines, *scroll),
        Overlay::Picker { selected } => picker(app, frame, body, *selected),
        Overlay::CausePicker { selected } => cause_picker(app, frame, body, *selected),
        Overlay::Note { step, editor } => note(app, frame, body, *step, editor),
        Overlay::Input { editor } => input(app, frame, body, editor),
        Overlay::Checks { scroll } => checks(app, frame, body, *scroll),
        Overlay::Values { selected, editor } => {
            values(app, frame, body, *selected, editor.as_ref())
        }
        Overlay::History { selected, rows } => history(app, frame, body, *selected, rows),
        Overlay::ReplaceBounce { records } => replace_bounce(app, frame, body, *records),
        Overlay::NotABounce { why } => not_a_bounce(app, frame, body, why),
        Overlay::AuthTest { prompt } => {
            let title = "AUTH test · the customer's own server · Enter logs in once";
            let inner = popup(app, frame, body, 76, 10, title);
            super::auth_test::draw(app, frame, inner, prompt);
        }
    }
}

/// `e`: every fact and placeholder with its value in force and where it came from; the
/// ones the checklist needs and lacks are marked. While typing, the last rows hold the
/// value's description and the editor.
fn values(app: &App, frame: &mut Frame, body: Rect, selected: usize, editor: Option<&TextEditor>) {
    let theme = app.theme;
    let rows = app.value_rows();
    let height = rows.len().saturating_add(6);
    let inner = popup(
        app,
        frame,
        body,
        100,
        super::rows(height),
        "Values for this ticket (every record) · Enter types one, x clears yours, Esc closes",
    );
    if inner.is_empty() {
        return;
    }
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let value_width = rows
        .iter()
        .filter_map(|r| r.value.as_deref())
        .map(|v| one_line(v).width())
        .max()
        .unwrap_or(0)
        .clamp(10, 40);
    // The bottom: a rule, the selected value's description (two rows), and the editor
    // when typing.
    let editor_rows = u16::from(editor.is_some());
    let foot = 3 + editor_rows;
    let list_height = inner.height.saturating_sub(foot).max(1);
    let [list_area, rule_area, about_area, editor_area] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(editor_rows),
    ])
    .areas(inner);
    let lines: Vec<Line> = super::scrolled(&rows, selected, list_height)
        .map(|(i, r)| {
            let (value, whose, style) = match (&r.value, r.by_agent) {
                (Some(v), true) => (one_line(v), "yours", theme.warning()),
                (Some(v), false) => (one_line(v), "from the bounce", theme.dim()),
                (None, _) if r.needed => (
                    "— missing".to_string(),
                    "a command here needs it",
                    theme.warning(),
                ),
                (None, _) => ("—".to_string(), "", theme.dim()),
            };
            let kind = if r.fact { "fact" } else { "    " };
            let line = Line::from(vec![
                Span::styled(format!(" {kind} "), theme.dim()),
                Span::styled(format!("{:<name_width$}  ", r.name), theme.key()),
                Span::raw(format!("{value:<value_width$}  ")),
                Span::styled(whose, style),
            ]);
            if i == selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "─".repeat(usize::from(rule_area.width)),
            theme.dim(),
        )),
        rule_area,
    );
    if let Some(r) = rows.get(selected) {
        let allowed = crate::playbook::situation::fact_def(r.name)
            .map(|d| format!(" (one of: {})", d.values.join(", ")))
            .unwrap_or_default();
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{}: {}{allowed}", r.name, one_line(r.description)),
                theme.dim(),
            ))
            .wrap(Wrap { trim: true }),
            about_area,
        );
        if let Some(editor) = editor {
            let label = format!(" {} = ", r.name);
            frame.render_widget(
                Paragraph::new(Span::styled(label.clone(), theme.key())),
                editor_area,
            );
            let x = editor_area
                .x
                .saturating_add(u16::try_from(label.width()).unwrap_or(u16::MAX));
            let field = Rect::new(
                x,
                editor_area.y,
                editor_area.right().saturating_sub(x),
                editor_area.height,
            );
            editor_body(frame, field, editor);
        }
    }
}

/// `h`: the earlier bounces, newest first, with when each was replaced.
fn history(
    app: &App,
    frame: &mut Frame,
    body: Rect,
    selected: usize,
    rows: &[crate::tui::app::HistoryRow],
) {
    let theme = app.theme;
    let height = rows.len().saturating_add(2);
    let inner = popup(
        app,
        frame,
        body,
        body.width,
        super::rows(height),
        "Earlier bounces of this ticket · Enter switches back (the current one is kept)",
    );
    let lines: Vec<Line> = super::scrolled(rows, selected, inner.height)
        .map(|(i, r)| {
            // What was kept with it before the headline, which may be long.
            let kept = if r.kept_steps > 0 {
                format!("{} tick(s)/note(s) kept with it · ", r.kept_steps)
            } else {
                String::new()
            };
            let line = Line::from(vec![
                Span::styled(
                    format!(
                        " replaced {} · {} lines · ",
                        r.replaced_at.format("%Y-%m-%d %H:%M UTC"),
                        r.lines
                    ),
                    theme.dim(),
                ),
                Span::styled(kept, theme.warning()),
                Span::raw(one_line(&r.headline)),
            ]);
            if i == selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A different bounce arrived on a ticket with work: keep it or clear it.
fn replace_bounce(app: &App, frame: &mut Frame, body: Rect, records: usize) {
    let theme = app.theme;
    let (done, total) = app.progress();
    let lines = vec![
        Line::raw(format!(
            " This paste is a different bounce ({records} record(s)); the ticket has ticks or notes ({done}/{total} on this checklist)."
        )),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" Enter ", theme.key()),
            Span::raw("keep them: the same recipients keep their ticks and notes"),
        ]),
        Line::from(vec![
            Span::styled(" c     ", theme.key()),
            Span::raw("clear them: they stay with the old bounce in the history (h)"),
        ]),
        Line::from(vec![
            Span::styled(" Esc   ", theme.key()),
            Span::raw("drop the paste: nothing changes"),
        ]),
        Line::raw(""),
        Line::styled(
            " Either way the old bounce is kept in the ticket's history.",
            theme.dim(),
        ),
    ];
    let inner = popup(app, frame, body, 90, 10, "A different bounce");
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Text that is not a bounce: never the ticket's bounce; a note, or nothing.
fn not_a_bounce(app: &App, frame: &mut Frame, body: Rect, why: &str) {
    let theme = app.theme;
    let step = app
        .selected_step()
        .map_or_else(|| "no step selected".to_string(), |s| one_line(&s.title));
    let preview: Vec<Line> = app
        .pending_paste
        .as_ref()
        .map(|p| {
            p.analysis
                .text
                .window(&p.text, 0, 3)
                .map(|(_, l, _)| Line::styled(format!("   {l}"), theme.dim()))
                .collect()
        })
        .unwrap_or_default();
    let mut lines = vec![
        Line::raw(format!(" This paste is not a bounce: {}.", one_line(why))),
        Line::raw(" The ticket's bounce is unchanged."),
        Line::raw(""),
    ];
    lines.extend(preview);
    lines.extend([
        Line::raw(""),
        Line::from(vec![
            Span::styled(" n   ", theme.key()),
            Span::raw(format!("keep it as a note on “{step}”")),
        ]),
        Line::from(vec![
            Span::styled(" Esc ", theme.key()),
            Span::raw("drop it"),
        ]),
    ]);
    let height = super::rows(lines.len()).saturating_add(2);
    let inner = popup(app, frame, body, 90, height, "Not a bounce");
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The live checks of the selected record: when, from where, through which resolver, then
/// each result as it landed. Results are sanitised when made; drawn again through
/// `one_line` because a ticket file may have been edited.
fn checks(app: &App, frame: &mut Frame, body: Rect, scroll: usize) {
    use crate::checks::Status;
    let theme = app.theme;
    let record = app.selected_record_index();
    let who = app
        .record()
        .and_then(|r| r.recipient.as_deref())
        .map_or_else(|| "—".to_string(), one_line);
    let mut lines: Vec<Line> = Vec::new();
    let run = app.ticket.checks_for(record);
    let running = app.checks_running == Some(record);
    match run {
        None if running => lines.push(Line::styled(" starting…", theme.dim())),
        None => lines.push(Line::styled(
            " No checks run yet: r runs them.",
            theme.dim(),
        )),
        Some(run) => {
            let landed = run.results.len();
            let state = if running {
                format!("{landed} of {} landed, running…", run.planned)
            } else {
                format!("{landed} of {} results", run.planned.max(landed))
            };
            lines.push(Line::from(vec![
                Span::styled(" Resolver ", theme.dim()),
                Span::raw(one_line(&run.resolver)),
                Span::styled(" · from ", theme.dim()),
                Span::raw(one_line(&run.host)),
                Span::styled(" · at ", theme.dim()),
                Span::raw(run.started.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
            ]));
            lines.push(Line::styled(format!(" {state}"), theme.dim()));
            lines.push(Line::raw(""));
            for r in &run.results {
                let style = match r.status {
                    Status::Ok => theme.done(),
                    Status::Warn => theme.warning(),
                    Status::Fail | Status::Error => theme.error(),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<5} ", r.status.as_str()), style),
                    Span::styled(format!("{} ", one_line(&r.check)), theme.key()),
                    Span::styled(one_line(&r.target), theme.dim()),
                ]));
                lines.push(Line::raw(format!("       {}", one_line(&r.detail))));
                for a in r.answers.iter().take(6) {
                    lines.push(Line::styled(
                        format!("         {}", one_line(a)),
                        theme.dim(),
                    ));
                }
                if r.answers.len() > 6 {
                    lines.push(Line::styled(
                        format!("         … {} more lines", r.answers.len() - 6),
                        theme.dim(),
                    ));
                }
            }
        }
    }
    let title = format!("Live checks · record {} · {who} · r runs again", record + 1);
    let inner = popup(app, frame, body, body.width, body.height, &title);
    let height = usize::from(inner.height).max(1);
    let first = scroll.min(lines.len().saturating_sub(height));
    let visible: Vec<Line> = lines.into_iter().skip(first).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

fn popup(app: &App, frame: &mut Frame, body: Rect, width: u16, height: u16, title: &str) -> Rect {
    let area = body.centered(
        Constraint::Length(width.min(body.width)),
        Constraint::Length(height.min(body.height)),
    );
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(app.theme.border_focused())
        .title(Span::styled(format!(" {title} "), app.theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn help(app: &App, frame: &mut Frame, body: Rect) {
    let theme = app.theme;
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {key:<17}"), theme.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " Ticks and notes are saved to the ticket file as you make them.",
        theme.dim(),
    ));
    if !app.playbooks.problems.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Playbooks skipped:", theme.warning()));
        for p in &app.playbooks.problems {
            lines.push(Line::raw(format!(" {}", one_line(&p.to_string()))));
        }
    }
    let height = rows(lines.len()).saturating_add(2);
    let inner = popup(app, frame, body, 92, height, "Keys");
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn summary(
    app: &App,
    frame: &mut Frame,
    body: Rect,
    text: &str,
    lines: &DisplayText,
    scroll: usize,
) {
    let total = lines.len();
    let title = format!(
        "Escalation summary · line {}/{total} · y copies",
        (scroll + 1).min(total.max(1))
    );
    let inner = popup(app, frame, body, body.width, body.height, &title);
    let visible: Vec<Line> = lines
        .window(text, scroll, usize::from(inner.height))
        .map(|(_, text, hidden)| {
            if hidden > 0 {
                Line::raw(format!("{text} … [{hidden} more characters not shown]"))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// `v`: every cause in force, id and title; `•` marks the cause in force, and the
/// classifier's own answer is labelled "bouncebook's", so the agent sees what choosing it
/// back means (the agent's mark is cleared).
fn cause_picker(app: &App, frame: &mut Frame, body: Rect, selected: usize) {
    let choices = app.cause_choices();
    let current = app.variation();
    let classified = app.diagnosis().map(|d| d.variation.as_str());
    let who = app
        .record()
        .and_then(|r| r.recipient.as_deref())
        .map_or_else(|| "this record".to_string(), one_line);
    let height = rows(choices.len()).saturating_add(2).min(body.height);
    let inner = popup(
        app,
        frame,
        body,
        100,
        height,
        &format!("Cause for {who} (Enter sets it, Esc cancels)"),
    );
    let id_width = choices
        .iter()
        .map(|(id, _)| one_line(id).width())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line> = super::scrolled(&choices, selected, inner.height)
        .map(|(i, (id, title))| {
            let mark = if Some(*id) == current { "•" } else { " " };
            // Before the title, so a long title cannot push it out of the box.
            let whose = if Some(*id) == classified {
                "bouncebook's  "
            } else {
                "              "
            };
            let line = Line::from(vec![
                Span::raw(format!("{mark} ")),
                Span::styled(format!("{:<id_width$}  ", one_line(id)), app.theme.key()),
                Span::styled(whose, app.theme.dim()),
                Span::raw(one_line(title)),
            ]);
            if i == selected {
                line.style(app.theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn picker(app: &App, frame: &mut Frame, body: Rect, selected: usize) {
    let Some(analysis) = &app.analysis else {
        return;
    };
    let records = analysis.records();
    let height = rows(records.len()).saturating_add(2).min(body.height);
    let inner = popup(
        app,
        frame,
        body,
        90,
        height,
        "Which recipient? (Enter works it)",
    );
    let rows: Vec<Line> = super::scrolled(records, selected, inner.height)
        .map(|(i, r)| {
            let who = r.recipient.as_deref().map_or_else(|| "—".into(), one_line);
            let code = [r.reply_code.map(|c| c.to_string()), r.status.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let variation = analysis
                .diagnosis(i)
                .map(|d| one_line(&d.variation))
                .unwrap_or_default();
            let current = if i == app.selected_record_index() {
                "•"
            } else {
                " "
            };
            let line = Line::from(vec![
                Span::raw(format!("{current}{:>3}. {who}  ", i + 1)),
                Span::styled(format!("{code}  "), app.theme.dim()),
                Span::styled(variation, app.theme.key()),
            ]);
            if i == selected {
                line.style(app.theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);
}

fn note(app: &App, frame: &mut Frame, body: Rect, step: usize, editor: &TextEditor) {
    let title = app
        .steps()
        .get(step)
        .map_or_else(String::new, |s| one_line(&s.title));
    let width = body.width.saturating_sub(4).min(100);
    let inner = popup(app, frame, body, width, 8, &format!("Note · {title}"));
    editor_body(frame, inner, editor);
}

fn input(app: &App, frame: &mut Frame, body: Rect, editor: &TextEditor) {
    let text = editor.text();
    let title = format!(
        "Input mode · {} lines, {} · Esc or Ctrl-D when done",
        text.lines().count(),
        human_bytes(text.len())
    );
    let inner = popup(app, frame, body, body.width, body.height, &title);
    editor_body(frame, inner, editor);
}

/// Lines in the editor are cut to this many bytes for display: a 5 MB paste in input mode
/// must not cost 5 MB of work per frame.
const EDITOR_LINE_BYTES: usize = 4096;

/// The editor's text, scrolled so the cursor line is the last visible one at most, with the
/// terminal cursor placed after the text before it. Only the visible lines are sanitised.
fn editor_body(frame: &mut Frame, area: Rect, editor: &TextEditor) {
    if area.is_empty() {
        return;
    }
    let height = usize::from(area.height);
    let before = editor.before_cursor();
    // The first visible line starts `height - 1` line breaks back from the cursor's line.
    let start = before
        .rmatch_indices('\n')
        .nth(height - 1)
        .map_or(0, |(i, _)| i + 1);
    let lines: Vec<Line> = editor.text()[start..]
        .split('\n')
        .take(height)
        .map(|l| Line::raw(sanitize::for_display(clip(l))))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);

    let cursor_row = before[start..].matches('\n').count();
    let cursor_line = before.rsplit('\n').next().unwrap_or("");
    let cursor_col = sanitize::for_display(clip(cursor_line)).width();
    let x = area
        .x
        .saturating_add(u16::try_from(cursor_col).unwrap_or(u16::MAX))
        .min(area.right().saturating_sub(1));
    let y = area
        .y
        .saturating_add(u16::try_from(cursor_row).unwrap_or(u16::MAX))
        .min(area.bottom().saturating_sub(1));
    frame.set_cursor_position(Position::new(x, y));
}

fn clip(line: &str) -> &str {
    &line[..line.floor_char_boundary(EDITOR_LINE_BYTES)]
}
