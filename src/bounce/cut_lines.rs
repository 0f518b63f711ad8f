//! Text a terminal cut at its width: a phone's SSH app (JuiceSSH, Termius) or a narrow
//! window shows every long line as pieces exactly as wide as the screen, and a copy keeps
//! the pieces as lines, cut mid-word (`From: Mail Delivery Subsystem <MAILER-DAEMON@bac` /
//! `kup01.local>`). The readers work on whole lines: the pieces are joined again.
//! (Log lines have their own, stricter joiner in `log.rs`, which knows their stamps.)

/// The narrowest and widest screens looked for, in characters.
const MIN_WIDTH: usize = 40;
const MAX_WIDTH: usize = 160;
/// Cuts needed, and of them, cuts inside a word (no space on either side), before the
/// text is taken for one a terminal cut.
const MIN_CUTS: usize = 3;
const MIN_MID_WORD_CUTS: usize = 2;
const MAX_LINES: usize = 5000;

/// `text` with the lines a terminal cut at its width joined; `None` when it shows no such
/// cuts. A line exactly as wide as the widest continues on the next line, unless that is
/// blank or the line ends a quoted-printable soft break.
pub fn joined(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(MAX_LINES).collect();
    if lines.len() < MIN_CUTS + 1 || text.lines().nth(MAX_LINES).is_some() {
        return None;
    }
    let width = |l: &str| l.chars().count();
    let widest = lines.iter().map(|l| l.len()).max()?;
    if widest < MIN_WIDTH {
        return None;
    }
    let widest = lines.iter().map(|l| width(l)).max()?;
    if !(MIN_WIDTH..=MAX_WIDTH).contains(&widest) {
        return None;
    }
    let cut_after = |i: usize| {
        width(lines[i]) == widest
            && !lines[i].ends_with('=')
            && lines.get(i + 1).is_some_and(|n| !n.trim().is_empty())
    };
    let cuts: Vec<usize> = (0..lines.len()).filter(|&i| cut_after(i)).collect();
    let mid_word = cuts
        .iter()
        .filter(|&&i| {
            let end = lines[i].chars().last().is_some_and(char::is_alphanumeric);
            let start = lines[i + 1]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            end && start
        })
        .count();
    // Word-wrapped prose leaves a ragged edge (its widest line is seldom repeated);
    // base64 and other fixed-width lines are never cut inside words of letters and spaces.
    if cuts.len() < MIN_CUTS || mid_word < MIN_MID_WORD_CUTS || !cuts_prose(&lines, &cuts) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if !cut_after(i) {
            out.push('\n');
        }
    }
    Some(out)
}

/// Whether enough of the cut lines hold words (a space), as a terminal's pieces of a
/// message do: an attachment's base64 lines are as wide as each other but hold none.
fn cuts_prose(lines: &[&str], cuts: &[usize]) -> bool {
    cuts.iter()
        .filter(|&&i| lines[i].trim().contains(' '))
        .count()
        >= MIN_CUTS
}

#[cfg(test)]
mod tests {
    use super::joined;

    #[test]
    fn pieces_cut_at_a_phone_s_width_are_joined() {
        let text = "? 3\nReturn-Path: <MAILER-DAEMON@backup01.local>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@backup01.lo\ncal>\nTo: <root@backup01.local>\nContent-Type: multipart/report; report-type=delivery-sta\ntus;\n\n   ----- The following addresses had permanent fatal err\nors -----\n<alerts@far.example>\n";
        assert_eq!(
            joined(text).as_deref(),
            Some(
                "? 3\nReturn-Path: <MAILER-DAEMON@backup01.local>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@backup01.local>\nTo: <root@backup01.local>\nContent-Type: multipart/report; report-type=delivery-status;\n\n   ----- The following addresses had permanent fatal errors -----\n<alerts@far.example>\n"
            )
        );
    }

    #[test]
    fn word_wrapped_prose_and_base64_are_left_alone() {
        let prose = "This is the mail system at host mx.near.example.\n\nI'm sorry to have to inform you that your message could\nnot be delivered to one or more recipients. It's attached\nbelow.\n";
        assert_eq!(joined(prose), None);
        let base64 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\nd3h5ejAxMjM0NTY3ODkrL0FCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaYWJjZGVm\nZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU2Nzg5Ky9BQkNERUZHSElKS0xNTk9Q\nUVJTVFVWV1hZWmFiY2RlZg==\n";
        assert_eq!(joined(base64), None);
    }
}
