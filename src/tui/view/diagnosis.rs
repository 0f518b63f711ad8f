//! The Diagnosis pane: the variation's title, what it means, how sure, and why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{one_line, pane_block};
use crate::classify::Basis;
use crate::sanitize;
use crate::tui::app::{App, Pane};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let block = pane_block(app, Pane::Diagnosis, "Diagnosis", None);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let theme = app.theme;

    let lines: Vec<Line> = match (&app.analysis, app.diagnosis()) {
        (None, _) => vec![Line::styled("Waiting for a bounce.", theme.dim())],
        (Some(a), None) => match &a.parsed {
            Err(e) => vec![
                Line::styled("Could not read this paste as a bounce.", theme.title()),
                Line::raw(e.to_string()),
            ],
            Ok(_) => vec![
                Line::styled("No failed recipient found in this paste.", theme.title()),
                Line::raw(
                    "Check that the whole bounce was pasted; the summary (s, y) still works.",
                ),
            ],
        },
        (Some(_), Some(d)) => {
            let playbook = app.playbook();
            let title = playbook.map_or_else(
                || one_line(app.variation().unwrap_or(&d.variation)),
                |p| one_line(&p.title),
            );
            let confidence = (d.confidence.clamp(0.0, 1.0) * 100.0).round();
            let word = match confidence as u32 {
                80.. => "high",
                50..80 => "medium",
                _ => "low",
            };
            let basis = match d.basis {
                Basis::Text => "the server's words",
                Basis::Status => "the enhanced status code",
                Basis::ReplyCode => "the reply code only",
                Basis::Fallback => "nothing specific (fallback)",
            };
            let cause = app.cause();
            let mark = cause.and_then(|c| c.mark());
            let second = match (&mark, cause) {
                // The agent's cause: said first, the classifier's answer kept beside it.
                (Some(mark), Some(c)) => Line::from(vec![
                    Span::styled(one_line(c.variation), theme.key()),
                    Span::styled(format!(" · {mark}"), theme.warning()),
                ]),
                _ => Line::from(vec![
                    Span::styled(one_line(&d.variation), theme.key()),
                    Span::styled(
                        format!(" · confidence {confidence}% ({word}) · decided by {basis}"),
                        theme.dim(),
                    ),
                ]),
            };
            let mut lines = vec![Line::styled(title, theme.title()), second, Line::raw("")];
            match playbook {
                Some(p) => lines.extend(
                    sanitize::for_display(p.summary.trim())
                        .lines()
                        .map(|l| Line::raw(l.to_string())),
                ),
                None => lines.push(Line::styled(
                    "No playbook is loaded for this variation.",
                    theme.warning(),
                )),
            }
            if !d.evidence.is_empty() {
                lines.push(Line::raw(""));
                let label = if mark.is_some() {
                    "bouncebook's evidence  "
                } else {
                    "Evidence  "
                };
                lines.push(Line::from(vec![
                    Span::styled(label, theme.label()),
                    Span::raw(format!("“{}”", one_line(&d.evidence))),
                ]));
            }
            lines
        }
    };
    let scroll = u16::try_from(app.diagnosis_scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}
