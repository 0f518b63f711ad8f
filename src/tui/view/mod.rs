//! Drawing: a pure function of [`App`]. No file reads, no parsing, no clock: everything
//! shown was computed by `update` (the paste's analysis is cached), so a frame costs only
//! what is visible.

mod bars;
mod bounce;
mod checklist;
mod diagnosis;
mod overlays;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::{App, Pane};
use crate::sanitize;

/// Below this size the panes cannot show anything useful; the screen says so instead.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 16;

/// Side-by-side panes from this width; stacked below it.
const WIDE: u16 = 110;

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.is_empty() {
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    bars::header(app, frame, header);
    let [bounce_area, diagnosis_area, checklist_area] = pane_areas(body, app.focus);
    bounce::draw(app, frame, bounce_area);
    diagnosis::draw(app, frame, diagnosis_area);
    checklist::draw(app, frame, checklist_area);
    bars::status(app, frame, status);
    bars::footer(app, frame, footer);
    overlays::draw(app, frame, body);
}

/// How many lines of pasted text the Bounce pane shows at the app's screen size. `update`
/// uses it to scroll by pages and to stop at the last screenful.
pub fn bounce_text_rows(app: &App) -> usize {
    let area = Rect::new(0, 0, app.screen.0, app.screen.1);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return 1;
    }
    let [_, body, _, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [bounce_area, _, _] = pane_areas(body, app.focus);
    let inner = Block::bordered().inner(bounce_area);
    usize::from(bounce::text_area(app, inner).height).max(1)
}

/// Below this body height, stacked panes share the space unevenly: the focused one gets
/// half, so on an 80×24 terminal the pane being worked is still readable (Tab moves the
/// space along with the focus).
const ROOMY: u16 = 36;

fn pane_areas(body: Rect, focus: Pane) -> [Rect; 3] {
    if body.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        let [diagnosis, checklist] =
            Layout::vertical([Constraint::Percentage(35), Constraint::Fill(1)]).areas(right);
        return [left, diagnosis, checklist];
    }
    let shares = if body.height >= ROOMY {
        [40, 25, 35]
    } else {
        let mut shares = [25, 25, 25];
        shares[Pane::ALL.iter().position(|p| *p == focus).unwrap_or(0)] = 50;
        shares
    };
    Layout::vertical(shares.map(Constraint::Percentage)).areas(body)
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "terminal too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT}",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// A pane's frame: bold coloured border and a marker when focused.
fn pane_block<'a>(app: &App, pane: Pane, title: &'a str, extra: Option<String>) -> Block<'a> {
    let focused = app.focus == pane;
    let style = if focused {
        app.theme.border_focused()
    } else {
        app.theme.border()
    };
    let marker = if focused { "▸ " } else { "  " };
    let mut spans = vec![Span::raw(marker), Span::styled(title, app.theme.title())];
    if let Some(extra) = extra {
        spans.push(Span::styled(format!(" · {extra}"), app.theme.dim()));
    }
    spans.push(Span::raw(" "));
    Block::bordered()
        .border_style(style)
        .title(Line::from(spans))
}

/// A count as terminal rows, saturating (100,000 steps must not wrap to a small number).
fn rows(count: usize) -> u16 {
    u16::try_from(count).unwrap_or(u16::MAX)
}

/// Field values longer than this are cut: a 10,000-character address must not cost a
/// frame more than a screenful.
const MAX_FIELD_CHARS: usize = 400;

/// Untrusted text as a single display line, cut to [`MAX_FIELD_CHARS`].
fn one_line(text: &str) -> String {
    let cut = text
        .char_indices()
        .nth(MAX_FIELD_CHARS)
        .map_or(text, |(i, _)| &text[..i]);
    let mut line = sanitize::for_display(cut).replace('\n', " ⏎ ");
    if cut.len() < text.len() {
        line.push_str(" …");
    }
    line
}
