//! Drawing: a pure function of [`App`]. No file reads, no parsing, no clock: everything
//! shown was computed by `update` (the paste's analysis is cached), so a frame costs only
//! what is visible.

mod auth_test;
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
    // `update` laid the screen out for the size it last heard of; a frame of another size
    // (a resize whose event has not arrived yet) is laid out here, so nothing is drawn off
    // the frame.
    let fresh;
    let layout = if app.layout.area == area {
        &app.layout
    } else {
        fresh = ScreenLayout::new(app, area);
        &fresh
    };
    let Some(panes) = &layout.panes else {
        too_small(app, frame, area);
        return;
    };
    bars::header(app, frame, panes.header);
    bounce::draw(app, frame, panes);
    diagnosis::draw(app, frame, panes.diagnosis);
    checklist::draw(app, frame, panes.checklist);
    bars::status(app, frame, panes.status);
    bars::footer(app, frame, panes.footer);
    overlays::draw(app, frame, panes.body);
}

/// Where everything goes on the screen. `update` computes it once per intent, after the
/// state changed ([`App::layout`]); the view draws into it and `update` pages and clamps
/// the Bounce pane's scroll with it, so both agree on what is visible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScreenLayout {
    /// The whole screen.
    pub area: Rect,
    /// None below [`MIN_WIDTH`]×[`MIN_HEIGHT`]: the screen says it is too small.
    pub panes: Option<Panes>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panes {
    pub header: Rect,
    /// Where the panes go (and the overlays on top of them).
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
    pub bounce: Rect,
    pub diagnosis: Rect,
    pub checklist: Rect,
    /// Inside the Bounce pane: the parsed fields, the rule under them, the pasted text.
    pub bounce_fields: Rect,
    pub bounce_rule: Rect,
    pub bounce_text: Rect,
}

impl ScreenLayout {
    /// Lay out `area` for the app's current state (focus, parsed fields, text length).
    pub fn new(app: &App, area: Rect) -> ScreenLayout {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return ScreenLayout { area, panes: None };
        }
        let [header, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let [bounce, diagnosis, checklist] = pane_areas(body, app.focus);
        let [bounce_fields, bounce_rule, bounce_text] =
            bounce::split(app, Block::bordered().inner(bounce));
        ScreenLayout {
            area,
            panes: Some(Panes {
                header,
                body,
                status,
                footer,
                bounce,
                diagnosis,
                checklist,
                bounce_fields,
                bounce_rule,
                bounce_text,
            }),
        }
    }

    /// How many lines of pasted text the Bounce pane shows (at least one, so a page move
    /// always moves).
    pub fn bounce_text_rows(&self) -> usize {
        self.panes
            .map_or(1, |p| usize::from(p.bounce_text.height).max(1))
    }
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

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let mut text = format!(
        "terminal too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT}",
        area.width, area.height
    );
    if app.pasted_while_small() {
        text.push_str("\na paste was taken: it shows when the window is bigger");
    }
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
/// The items of a list that fit in `height` rows, with their indices, scrolled just far
/// enough that `selected` is the last row at most: every selectable list and overlay scrolls
/// this way.
fn scrolled<T>(items: &[T], selected: usize, height: u16) -> impl Iterator<Item = (usize, &T)> {
    let visible = usize::from(height).max(1);
    let first = (selected + 1).saturating_sub(visible);
    items.iter().enumerate().skip(first).take(visible)
}

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
