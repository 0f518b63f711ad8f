//! A bounce forwarded inside a reply arrives quoted (`> ` before every line, sometimes
//! `>> ` or `> > `): the readers expect the bounce's own lines.

/// The paste with one level of quoting taken off its quoted lines, when most of its text
/// is quoted (a customer's forward, with a line or two of their own above it). `None` when
/// it is not quoted: nothing to change. Lines keep their count and order, so a line number
/// in the result is the same line in the paste.
pub fn unquote(text: &str) -> Option<String> {
    // A bounce forwarded and then quoted again in a ticket's reply (`> >`, `>>`): each
    // level that is still most of the text comes off.
    let mut out = unquote_once(text)?;
    for _ in 0..3 {
        match unquote_once(&out) {
            Some(deeper) => out = deeper,
            None => break,
        }
    }
    Some(out)
}

/// Whether the paste's first lines are quoted header fields (`> From: ...`, `> Date: ...`,
/// three or more) and the lines after them are not quoted.
fn opens_with_a_quoted_header_block(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim_start).filter(|l| !l.is_empty());
    for (fields, line) in lines.by_ref().take(12).enumerate() {
        let Some(rest) = line.strip_prefix('>') else {
            // The first unquoted line ends the block.
            return fields >= 3;
        };
        let rest = rest.trim_start();
        let is_field = super::rfc5322::field_name(rest)
            .is_some_and(|name| name.len() <= 30 && !name.contains('_'));
        if !is_field {
            return false;
        }
    }
    false
}

fn unquote_once(text: &str) -> Option<String> {
    let mut quoted = 0usize;
    let mut written = 0usize;
    for line in text.lines().take(4000) {
        let t = line.trim_start();
        if t.is_empty() {
            continue;
        }
        written += 1;
        if t.starts_with('>') {
            quoted += 1;
        }
    }
    // Most lines quoted, and enough of them to be a bounce rather than one `> ` line; or a
    // header block quoted at the paste's top, the rest not (a copy from two places).
    if (quoted < 5 || quoted * 2 < written) && !opens_with_a_quoted_header_block(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = &line[lead..];
        match rest.strip_prefix('>') {
            // `> text`: the space after the marker belongs to the quoting, not the line.
            Some(r) => out.push_str(r.strip_prefix(' ').unwrap_or(r)),
            None => out.push_str(line),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_forward_loses_one_level() {
        let text = "Hi, I get this:\n\n> From: MAILER-DAEMON@mx.example\n> Subject: failure\n>\n> <bob@far.example>:\n> 550 no such user\n>> their own quote\n> end\n";
        let got = unquote(text).expect("quoted");
        assert_eq!(
            got,
            "Hi, I get this:\n\nFrom: MAILER-DAEMON@mx.example\nSubject: failure\n\n<bob@far.example>:\n550 no such user\n> their own quote\nend\n"
        );
        assert_eq!(got.lines().count(), text.lines().count());
    }

    #[test]
    fn a_header_block_quoted_alone_at_the_top_loses_its_quoting() {
        let text = "> From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n> Date: Fri, 4 Dec 2026 12:30:17 +0000\n> To: ann@near.example\nMessage blocked\nYour message to bob@far.example has been blocked.\n";
        assert_eq!(
            unquote(text).as_deref(),
            Some(
                "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nDate: Fri, 4 Dec 2026 12:30:17 +0000\nTo: ann@near.example\nMessage blocked\nYour message to bob@far.example has been blocked.\n"
            )
        );
        // Two quoted lines of a reply are no header block.
        assert_eq!(unquote("> From: a@b.example\n> thanks\nok\n"), None);
    }

    #[test]
    fn a_forward_quoted_again_loses_every_level_that_is_most_of_it() {
        let text = "Please help\n\n> On Fri she wrote:\n> > <bob@far.example>:\n> > 550 no such user\n> > more\n> > and more\n>> still quoted\n> > end\n";
        let got = unquote(text).expect("quoted");
        assert_eq!(
            got,
            "Please help\n\nOn Fri she wrote:\n<bob@far.example>:\n550 no such user\nmore\nand more\nstill quoted\nend\n"
        );
    }

    #[test]
    fn text_that_only_quotes_a_line_or_two_is_left_alone() {
        assert_eq!(
            unquote("<bob@far.example>:\n> 550 no such user\nmore\n"),
            None
        );
        let mostly_own = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n> 1\n> 2\n> 3\n> 4\n> 5\n";
        assert_eq!(unquote(mostly_own), None);
    }
}
