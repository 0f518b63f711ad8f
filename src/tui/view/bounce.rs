//! The Bounce pane: the parsed fields on top, then the pasted text (sanitised when it was
//! pasted) with the deciding line highlighted. Only the visible lines are touched.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Panes, one_line, pane_block};
use crate::tui::analysis::Analysis;
use crate::tui::app::{App, Pane};

const LABEL_WIDTH: usize = 12;

pub fn draw(app: &App, frame: &mut Frame, panes: &Panes) {
    let area = panes.bounce;
    let Some(analysis) = &app.analysis else {
        let block = pane_block(app, Pane::Bounce, "Bounce", None);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        empty_state(app, frame, inner);
        return;
    };
    let lines = analysis.text.len();
    let scroll = app.ticket.ui.bounce_scroll.min(lines.saturating_sub(1));
    let block = pane_block(
        app,
        Pane::Bounce,
        "Bounce",
        Some(format!("line {}/{lines}", scroll + 1)),
    );
    frame.render_widget(block, area);

    let mut fields = field_lines(app, analysis);
    let (fields_area, rule_area, text_area) =
        (panes.bounce_fields, panes.bounce_rule, panes.bounce_text);
    let shown = usize::from(fields_area.height);
    // Say that fields are hidden when there is room to say it and still show some.
    if fields.len() > shown && shown >= 3 {
        let hidden = fields.len() - shown + 1;
        fields.truncate(shown - 1);
        fields.push(Line::styled(
            format!("… {hidden} more field(s): enlarge the terminal"),
            app.theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(fields), fields_area);

    let deciding = app.record().and_then(|r| r.source_line);
    let rule = match deciding {
        Some(n) => format!("── pasted text · line {} decided it ", n + 1),
        None => "── pasted text ".to_string(),
    };
    let rule = format!("{rule}{}", "─".repeat(usize::from(rule_area.width)));
    frame.render_widget(
        Paragraph::new(Span::styled(rule, app.theme.dim())),
        rule_area,
    );

    let gutter = lines.max(1).to_string().len();
    let visible: Vec<Line> = analysis
        .text
        .window(app.bounce_text(), scroll, usize::from(text_area.height))
        .map(|(n, text, hidden)| {
            let is_deciding = deciding == Some(n);
            let (mark, style) = if is_deciding {
                ("▶", app.theme.deciding_line())
            } else {
                (" ", ratatui::style::Style::new())
            };
            let mut spans = vec![
                Span::styled(format!("{:>gutter$}{mark}", n + 1), app.theme.dim()),
                Span::styled(text, style),
            ];
            if hidden > 0 {
                spans.push(Span::styled(
                    format!(" … [{hidden} more characters not shown]"),
                    app.theme.dim(),
                ));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), text_area);
}

/// Fields on top, a rule, then the text, inside the pane's borders. The fields get at most
/// half the pane, or more when the text is short enough to leave room. Without a bounce the
/// whole pane is text (the empty state's).
pub(super) fn split(app: &App, inner: Rect) -> [Rect; 3] {
    let none = Rect::new(inner.x, inner.y, inner.width, 0);
    let Some(analysis) = &app.analysis else {
        return [none, none, inner];
    };
    if inner.height < 3 {
        // No room for headings: the text alone (the deciding line is on it).
        return [none, none, inner];
    }
    let field_count = field_lines(app, analysis).len();
    let text_need = u16::try_from(analysis.text.len()).unwrap_or(u16::MAX);
    let room = (inner.height / 2).max(inner.height.saturating_sub(1).saturating_sub(text_need));
    let fields_height = u16::try_from(field_count).unwrap_or(u16::MAX).min(room);
    Layout::vertical([
        Constraint::Length(fields_height),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner)
}

fn empty_state(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let key = |k: &'static str, what: &'static str| {
        Line::from(vec![
            Span::styled(format!("  {k:<6}"), theme.key()),
            Span::raw(what),
        ])
    };
    let lines = vec![
        Line::from(Span::styled("No bounce yet.", theme.title())),
        Line::raw(""),
        Line::raw("Paste the bounce into this window with your terminal's paste"),
        Line::raw("(Ctrl-Shift-V, Cmd-V, middle click): it is read as one block."),
        Line::raw(""),
        key("p", "read it from the system clipboard"),
        key("i", "type or paste it line by line (no bracketed paste)"),
        key("?", "all keys"),
        Line::raw(""),
        Line::styled(
            "Or start with a file: bouncebook --ticket ID FILE",
            theme.dim(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn field_lines(app: &App, analysis: &Analysis) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut out = Vec::new();
    let field = |out: &mut Vec<Line<'static>>, label: &str, value: String| {
        out.push(Line::from(vec![
            Span::styled(format!("{label:<LABEL_WIDTH$}"), theme.label()),
            Span::raw(value),
        ]));
    };
    let bounce = match &analysis.parsed {
        Ok(b) => b,
        Err(e) => {
            field(&mut out, "Parse", format!("failed: {e}"));
            return out;
        }
    };
    let record = app.record();
    if let Some(r) = record {
        let mut who = r
            .recipient
            .as_deref()
            .map(one_line)
            .unwrap_or_else(|| "—".into());
        let n = analysis.records().len();
        if n > 1 {
            who.push_str(&format!(
                "  ({} of {n}, r to switch)",
                app.selected_record_index() + 1
            ));
        }
        field(&mut out, "Recipient", who);
        if let Some(orig) = &r.original_recipient {
            field(&mut out, "Original", one_line(orig));
        }
    } else {
        field(
            &mut out,
            "Recipient",
            "— (no failed recipient found)".into(),
        );
    }
    if let Some(r) = record {
        for p in &r.address_problems {
            // The suggestion first: it is what the agent reads out, and it must survive
            // being cut at the pane's edge.
            let text = match &p.suggestion {
                Some(s) => format!("did you mean {}? {}", one_line(s), one_line(&p.message)),
                None => one_line(&p.message),
            };
            out.push(Line::from(vec![
                Span::styled(format!("{:<LABEL_WIDTH$}", "⚠ Address"), theme.warning()),
                Span::raw(text),
            ]));
        }
    }
    if let Some(s) = &bounce.sender {
        field(&mut out, "Sender", one_line(s));
    }
    if let Some(f) = &bounce.header_from {
        field(&mut out, "From", one_line(f));
    }
    if let Some(r) = record {
        let code = [
            r.reply_code.map(|c| c.to_string()),
            r.status.as_deref().map(one_line),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        if !code.is_empty() {
            field(&mut out, "Reply", code);
        }
        if let Some(stage) = r.stage {
            field(&mut out, "Stage", stage.as_str().to_string());
        }
        if let Some(remote) = r.remote_mta() {
            field(&mut out, "Remote", one_line(&remote));
        }
    }
    if let Some(m) = &bounce.reporting_mta {
        field(&mut out, "Reported by", one_line(m));
    }
    match (&bounce.timestamp_raw, bounce.timestamp) {
        (Some(raw), Some(utc)) => field(
            &mut out,
            "Time",
            format!(
                "{}  ({} UTC)",
                one_line(raw),
                utc.format("%Y-%m-%d %H:%M:%S")
            ),
        ),
        (Some(raw), None) => field(&mut out, "Time", one_line(raw)),
        (None, Some(utc)) => field(
            &mut out,
            "Time",
            utc.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        ),
        (None, None) => {}
    }
    if let Some(q) = &bounce.queue_id {
        field(&mut out, "Queue ID", one_line(q));
    }
    if let Some(m) = &bounce.message_id {
        field(&mut out, "Message-ID", one_line(m));
    }
    out
}
