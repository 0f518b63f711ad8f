//! The AUTH test's prompt: where the credentials go, the user name, the password as dots.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::one_line;
use crate::tui::app::{App, AuthPrompt};

/// Dots shown at most: the field's width, not the password's length, past this.
const MAX_DOTS: usize = 40;

pub fn draw(app: &App, frame: &mut Frame, inner: Rect, prompt: &AuthPrompt) {
    let theme = app.theme;
    let targets = prompt
        .targets
        .iter()
        .map(|t| one_line(t))
        .collect::<Vec<_>>()
        .join(", ");
    let dots = "•".repeat(prompt.password.chars().min(MAX_DOTS));
    let field = |on: bool| if on { theme.key() } else { theme.dim() };
    let user = one_line(prompt.user.text());
    let lines = vec![
        Line::from(vec![
            Span::styled(" Logs in once at ", theme.dim()),
            Span::raw(targets),
        ]),
        Line::styled(
            " Only over TLS with a valid certificate. The password is never saved.",
            theme.dim(),
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" User      ", field(!prompt.on_password)),
            Span::raw(user.clone()),
        ]),
        Line::from(vec![
            Span::styled(" Password  ", field(prompt.on_password)),
            Span::raw(dots.clone()),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    // The terminal cursor sits at the end of the field being typed in.
    let (row, text) = if prompt.on_password {
        (4, dots)
    } else {
        (3, user)
    };
    let x = inner
        .x
        .saturating_add(11)
        .saturating_add(u16::try_from(UnicodeWidthStr::width(text.as_str())).unwrap_or(u16::MAX));
    let y = inner.y.saturating_add(row);
    if x < inner.right() && y < inner.bottom() {
        frame.set_cursor_position(Position::new(x, y));
    }
}
