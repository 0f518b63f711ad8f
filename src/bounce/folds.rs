//! A message's header block whose folded lines lost their leading space (a copy through a
//! web view or an editor that trims lines: `Received: from a.example` then `(2603:1096::31)
//! by b.example with HTTPS` at the margin). Such a block is no header block to a parser,
//! and the whole message would be read as plain text; with the space put back it is the
//! message it was.

/// Longest run of unindented lines taken for one field's continuation.
const MAX_RUN: usize = 3;
/// Lines of a header block looked at.
const MAX_LINES: usize = 400;

/// `text` with the lost indentation of its header block's folded lines restored, when its
/// first line is a header field and every line that is neither a field nor indented stands
/// in a short run between fields; `None` when nothing needs restoring.
pub fn restored(text: &str) -> Option<String> {
    let mut lines = text.split_inclusive('\n');
    if !is_field(lines.next()?) {
        return None;
    }
    // Byte offsets of the lines to indent.
    let mut unindented: Vec<usize> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let mut fields = 1;
    let mut at = text.split_inclusive('\n').next().map_or(0, str::len);
    for line in lines.take(MAX_LINES) {
        let start = at;
        at += line.len();
        if line.trim().is_empty() {
            // The block ends with a run that no field closes: not a fold (a sentence after
            // a `Subject:` line of a webmail view).
            if !run.is_empty() {
                return None;
            }
            break;
        }
        if line.starts_with([' ', '\t']) {
            if !run.is_empty() {
                // An indented line after the run continues the same field.
                unindented.append(&mut run);
            }
            continue;
        }
        if is_field(line) {
            fields += 1;
            unindented.append(&mut run);
            continue;
        }
        run.push(start);
        if run.len() > MAX_RUN {
            return None;
        }
    }
    if unindented.is_empty() || !run.is_empty() || fields < 3 {
        return None;
    }
    let mut out = String::with_capacity(text.len() + unindented.len());
    let mut from = 0;
    for &start in &unindented {
        out.push_str(&text[from..start]);
        out.push(' ');
        from = start;
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// `Name: value` with a field name as RFC 5322 allows, starting with a letter (an RFC 3339
/// log stamp, `2025-11-28T12:00`, opens no field).
fn is_field(line: &str) -> bool {
    super::rfc5322::field_name(line)
        .is_some_and(|name| name.len() <= 76 && name.as_bytes()[0].is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fold_that_lost_its_space_gets_it_back() {
        let text = "Received: from a.example\n(2603:1096::31) by b.example with HTTPS\n    via c.example; Wed, 17 Apr 2019 05:44:55 +0000\nFrom: ann@near.example\nTo: bob@far.example\nSubject: hi\n\nbody\n(not a fold)\n";
        let fixed = restored(text).expect("restored");
        assert_eq!(
            fixed,
            "Received: from a.example\n (2603:1096::31) by b.example with HTTPS\n    via c.example; Wed, 17 Apr 2019 05:44:55 +0000\nFrom: ann@near.example\nTo: bob@far.example\nSubject: hi\n\nbody\n(not a fold)\n"
        );
    }

    #[test]
    fn sentences_under_a_view_s_header_lines_are_no_folds() {
        // The sentence runs to the blank line: no field closes it.
        let view = "From: Mail Delivery System <MAILER-DAEMON@x.example>\nTo: ann@near.example\nSubject: Undelivered Mail\nThe original message was received at Tue, 1 Dec 2026\n\nbody\n";
        assert_eq!(restored(view), None);
        // A note above the block: its first line is no field.
        assert_eq!(
            restored("Please help\nFrom: a@b.example\nTo: c@d.example\n"),
            None
        );
        // Nothing lost.
        assert_eq!(
            restored("From: a@b.example\nTo: c@d.example\nSubject: x\n\nbody\n"),
            None
        );
    }
}
