//! The Bounce pane: the parsed fields on top, then the pasted text (sanitised when it was
//! pasted) with the deciding line highlighted. Only the visible lines are touched.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{one_line, pane_block};
use crate::tui::analysis::Analysis;
use crate::tui::app::{App, Pane};

const LABEL_WIDTH: usize = 12;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
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
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let fields = field_lines(app, analysis);
    let fields_height = (fields.len() as u16).min(inner.height / 2);
    let [fields_area, rule_area, text_area] = Layout::vertical([
        Constraint::Length(fields_height),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
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
        .window(scroll, usize::from(text_area.height))
        .map(|(n, text)| {
            let is_deciding = deciding == Some(n);
            let (mark, style) = if is_deciding {
                ("▶", app.theme.deciding_line())
            } else {
                (" ", ratatui::style::Style::new())
            };
            Line::from(vec![
                Span::styled(format!("{:>gutter$}{mark}", n + 1), app.theme.dim()),
                Span::styled(text, style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), text_area);
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
        Line::styled("Or start with a file: bouncebook --ticket ID FILE", theme.dim()),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn field_lines(app: &App, analysis: &Analysis) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut out = Vec::new();
    let mut field = |label: &str, value: String| {
        out.push(Line::from(vec![
            Span::styled(format!("{label:<LABEL_WIDTH$}"), theme.label()),
            Span::raw(value),
        ]));
    };
    let bounce = match &analysis.parsed {
        Ok(b) => b,
        Err(e) => {
            field("Parse", format!("failed: {e}"));
            return out;
        }
    };
    let record = app.record();
    if let Some(r) = record {
        let mut who = r.recipient.as_deref().map(one_line).unwrap_or_else(|| "—".into());
        let n = analysis.records().len();
        if n > 1 {
            who.push_str(&format!(
                "  ({} of {n}, r to switch)",
                app.selected_record_index() + 1
            ));
        }
        field("Recipient", who);
        if let Some(orig) = &r.original_recipient {
            field("Original", one_line(orig));
        }
    } else {
        field("Recipient", "— (no failed recipient found)".into());
    }
    if let Some(s) = &bounce.sender {
        field("Sender", one_line(s));
    }
    if let Some(f) = &bounce.header_from {
        field("From", one_line(f));
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
            field("Reply", code);
        }
        if let Some(stage) = r.stage {
            field("Stage", stage.as_str().to_string());
        }
        if let Some(remote) = r.remote_mta() {
            field("Remote", one_line(&remote));
        }
    }
    if let Some(m) = &bounce.reporting_mta {
        field("Reported by", one_line(m));
    }
    match (&bounce.timestamp_raw, bounce.timestamp) {
        (Some(raw), Some(utc)) => field(
            "Time",
            format!("{}  ({} UTC)", one_line(raw), utc.format("%Y-%m-%d %H:%M:%S")),
        ),
        (Some(raw), None) => field("Time", one_line(raw)),
        (None, Some(utc)) => field("Time", utc.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
        (None, None) => {}
    }
    if let Some(q) = &bounce.queue_id {
        field("Queue ID", one_line(q));
    }
    if let Some(m) = &bounce.message_id {
        field("Message-ID", one_line(m));
    }
    if let Some(r) = record {
        for p in &r.address_problems {
            let mut text = one_line(&p.message);
            if let Some(s) = &p.suggestion {
                text.push_str(&format!(" → did you mean {}?", one_line(s)));
            }
            out.push(Line::from(vec![
                Span::styled(format!("{:<LABEL_WIDTH$}", "⚠ Address"), theme.warning()),
                Span::raw(text),
            ]));
        }
    }
    out
}
