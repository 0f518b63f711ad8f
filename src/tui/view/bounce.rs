//! The Bounce pane: the parsed fields on top, then the pasted text (sanitised when it was
//! pasted) with the deciding line highlighted. Only the visible lines are touched.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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
    let sideways = if app.bounce_hscroll > 0 {
        format!(" · from column {} (← →)", app.bounce_hscroll + 1)
    } else {
        String::new()
    };
    let block = pane_block(
        app,
        Pane::Bounce,
        "Bounce",
        Some(format!("line {}/{lines}{sideways}", scroll + 1)),
    );
    frame.render_widget(block, area);

    let mut fields = field_lines(app, analysis, usize::from(panes.bounce_fields.width));
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
            // Scrolled sideways: the line from that character on (the gutter stays).
            let text = text
                .char_indices()
                .nth(app.bounce_hscroll)
                .map_or(if app.bounce_hscroll == 0 { text } else { "" }, |(i, _)| {
                    &text[i..]
                });
            let width = usize::from(text_area.width).saturating_sub(gutter + 1);
            let cut_here = text.width() > width;
            let mut spans = vec![
                Span::styled(format!("{:>gutter$}{mark}", n + 1), app.theme.dim()),
                Span::styled(text, style),
            ];
            if cut_here && width > 2 {
                // The last column says the line goes on, and how to read it.
                spans = vec![
                    spans[0].clone(),
                    Span::styled(clip_width(text, width - 1), style),
                    Span::styled("→", app.theme.dim()),
                ];
            }
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
    let field_count = field_lines(app, analysis, usize::from(inner.width)).len();
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

/// The server's words take at most this many wrapped rows in the fields.
const MAX_SAID_ROWS: usize = 6;

/// The facts line takes at most this many wrapped rows.
const MAX_FACTS_ROWS: usize = 3;

/// A field whose value is wrapped under its label rather than cut at the pane's edge; past
/// `max_rows` the last row says where to read the rest.
fn wrapped_field(
    out: &mut Vec<Line<'static>>,
    theme: crate::tui::theme::Theme,
    label: &str,
    value: &str,
    width: usize,
    max_rows: usize,
) {
    let room = width.saturating_sub(LABEL_WIDTH).max(10);
    let mut rows = wrap(value, room);
    if rows.len() > max_rows {
        rows.truncate(max_rows);
        if let Some(last) = rows.last_mut() {
            last.push_str(" … (s shows it whole)");
        }
    }
    for (i, row) in rows.into_iter().enumerate() {
        let label = if i == 0 { label } else { "" };
        out.push(Line::from(vec![
            Span::styled(format!("{label:<LABEL_WIDTH$}"), theme.label()),
            Span::raw(row),
        ]));
    }
}

/// Recipients shown in the fields before "… N more".
const MAX_LISTED_RECIPIENTS: usize = 5;

/// With several failed recipients: every one with its cause (the selected one marked),
/// and whether the causes differ, so the agent knows the records need different work.
fn recipients(app: &App, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    let records = app.record_causes();
    let differ = app.differing_causes();
    let head = if differ.is_empty() {
        format!("{} failed · one cause for all (r switches)", records.len())
    } else {
        format!("{} failed · CAUSES DIFFER (r switches)", records.len())
    };
    // The cause first, padded: it is what differs, and it must not be cut at the edge.
    let cause_width = records
        .iter()
        .map(|(_, _, c)| one_line(c).width())
        .max()
        .unwrap_or(0);
    out.push(Line::from(vec![
        Span::styled(format!("{:<LABEL_WIDTH$}", "Recipients"), theme.label()),
        Span::styled(
            head,
            if differ.is_empty() {
                ratatui::style::Style::new()
            } else {
                theme.warning()
            },
        ),
    ]));
    let selected = app.selected_record_index();
    // A window around the selected record, so it is always listed.
    let first = (selected + 1).saturating_sub(MAX_LISTED_RECIPIENTS);
    for (i, (who, code, cause)) in records
        .iter()
        .enumerate()
        .skip(first)
        .take(MAX_LISTED_RECIPIENTS)
    {
        let mark = if i == selected { "▸" } else { " " };
        let line = Line::from(vec![
            Span::raw(format!("{mark}{:>3}. ", i + 1)),
            Span::styled(format!("{:<cause_width$}  ", one_line(cause)), theme.key()),
            Span::raw(format!("{}  ", one_line(who))),
            Span::styled(one_line(code), theme.dim()),
        ]);
        out.push(if i == selected {
            line.style(theme.selected_unfocused())
        } else {
            line
        });
    }
    let shown = records
        .len()
        .saturating_sub(first)
        .min(MAX_LISTED_RECIPIENTS);
    let hidden = records.len() - shown;
    if hidden > 0 {
        out.push(Line::styled(
            format!("      … {hidden} more (r lists them all)"),
            theme.dim(),
        ));
    }
}

/// Words of `text` in rows of at most `width` columns (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let need = if row.is_empty() { 0 } else { 1 } + word.width();
        if !row.is_empty() && row.width() + need > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        let mut word = word;
        while word.width() > width {
            let head = clip_width(word, width.saturating_sub(row.width()).max(1));
            if head.is_empty() {
                break;
            }
            row.push_str(head);
            rows.push(std::mem::take(&mut row));
            word = &word[head.len()..];
        }
        row.push_str(word);
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

fn field_lines(app: &App, analysis: &Analysis, width: usize) -> Vec<Line<'static>> {
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
    let n = analysis.records().len();
    if n > 1 {
        recipients(app, &mut out);
    }
    if let Some(r) = record {
        if n == 1 {
            let who = r
                .recipient
                .as_deref()
                .map(one_line)
                .unwrap_or_else(|| "—".into());
            field(&mut out, "Recipient", who);
        }
        if let Some(orig) = &r.original_recipient {
            field(&mut out, "Original", one_line(orig));
        }
        if let Some(reached) = &r.final_recipient {
            field(&mut out, "Expanded to", one_line(reached));
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
    // The server's full words come right under who was refused: on a short screen they
    // are what the agent reads first.
    {
        if let Some(said) = record.and_then(|r| r.diagnostic.as_deref()) {
            // The server's full words, wrapped under the label: never cut at the edge.
            let said = crate::playbook::situation::clean_said(&crate::sanitize::for_display(said));
            wrapped_field(&mut out, theme, "Said", &said, width, MAX_SAID_ROWS);
        }
    }
    // The facts decide which steps apply: wrapped too, so none is lost at the edge.
    if let Some(facts) = facts_line(app) {
        wrapped_field(&mut out, theme, "Facts", &facts, width, MAX_FACTS_ROWS);
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
    let time = match (&bounce.timestamp_raw, bounce.timestamp) {
        (Some(raw), Some(utc)) => Some(format!(
            "{}  ({} UTC)",
            one_line(raw),
            utc.format("%Y-%m-%d %H:%M:%S")
        )),
        (Some(raw), None) => Some(one_line(raw)),
        (None, Some(utc)) => Some(utc.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
        (None, None) => None,
    };
    if let Some(time) = time {
        // A stand-in time says what it is the time of; wrapped (up to four lines on a
        // narrow pane) so the caveat is not cut.
        let time = match bounce.timestamp_basis.caveat() {
            Some(c) => format!("{time} · {c}"),
            None => time,
        };
        wrapped_field(&mut out, theme, "Time", &time, width, 4);
    }
    if let Some(q) = &bounce.queue_id {
        field(&mut out, "Queue ID", one_line(q));
    }
    if let Some(m) = &bounce.message_id {
        field(&mut out, "Message-ID", one_line(m));
    }
    out
}

/// The start of `text` that fits in `width` columns.
fn clip_width(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width {
            return &text[..i];
        }
    }
    text
}

/// What the bounce (or the agent, `e`) says about the situation, in a few words: who
/// refused, whether the customer logged in, which system reported. The agent's values are
/// marked; facts nobody knows are left out.
fn facts_line(app: &App) -> Option<String> {
    use crate::playbook::situation::system_name;
    let rows = app.value_rows();
    let mut parts = Vec::new();
    for row in rows.iter().filter(|r| r.fact && r.name != "temporary") {
        let Some(value) = row.value.as_deref() else {
            continue;
        };
        let text = match (row.name, value) {
            ("refused_by", "local") => "our server refused".to_string(),
            ("refused_by", "remote") => "a remote MX refused".to_string(),
            ("authenticated", "true") => "customer logged in".to_string(),
            ("authenticated", "false") => "customer did not log in".to_string(),
            ("reporting_system", v) => system_name(v).to_string(),
            (_, v) => v.to_string(),
        };
        let mark = if row.by_agent { " (yours)" } else { "" };
        parts.push(format!("{text}{mark}"));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}
