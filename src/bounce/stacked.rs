//! A view copied from a web page as text, one table cell per line: each field's label on a
//! line of its own and its value on the next (Outlook on the web's header block through an
//! HTML-to-text copy, `To:` then `ann@near.example`; WHM's Mail Delivery Reports detail,
//! `Sender` then the address). The readers expect `Label: value` on one line, so such a
//! text is read with each label and its value joined again.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::vocabulary::words;

/// Pairs needed before the text is taken for such a copy: one stray label line in a bounce
/// must not move its lines.
const MIN_PAIRS: usize = 3;
/// A label is a short cell.
const MAX_LABEL: usize = 40;
/// Lines looked at: views are short.
const MAX_LINES: usize = 400;

/// Header labels a view shows with their colon, besides the vocabulary's To and From.
const HEADER_LABELS: &[&str] = &["date", "subject", "cc", "bcc", "sent", "reply-to"];

/// The text with each stacked label and value on one line, when it holds at least
/// [`MIN_PAIRS`] of them; `None` otherwise (nothing to change).
pub fn unstacked(text: &str) -> Option<String> {
    // Every paste passes here and nearly none is such a copy: only the lines looked at are
    // split before that is known.
    let mut head = super::lines::lines(text).take(MAX_LINES);
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    if let Some(mut above) = head.next() {
        for line in head {
            if stacked_pair(above, line) {
                pairs.push((above, line));
            }
            above = line;
        }
    }
    // One pair is enough when it is a view's To or From over an address alone (Outlook on
    // the web's card: `À :` then the customer's address).
    let addressed = pairs.iter().any(|&(label_line, value_line)| {
        let label = label_line
            .trim()
            .trim_end_matches(':')
            .trim_end()
            .to_lowercase();
        let value = value_line.trim();
        label_line.trim_end().ends_with(':')
            && (words("to-labels").contains(&label.as_str())
                || words("from-labels").contains(&label.as_str()))
            && value.contains('@')
            && !value.contains(": ")
    });
    if pairs.len() < MIN_PAIRS && !addressed {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let head = &lines[..lines.len().min(MAX_LINES)];
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if i + 1 < head.len() && stacked_pair(line, lines[i + 1]) {
            let label = line.trim_end();
            let colon = if label.ends_with(':') { "" } else { ":" };
            out.push_str(&format!("{label}{colon} {}\n", lines[i + 1].trim_end()));
            i += 2;
        } else {
            out.push_str(line);
            out.push('\n');
            i += 1;
        }
    }
    Some(out)
}

/// Whether `label` is a field's label alone on its line and `value` its value under it.
fn stacked_pair(label: &str, value: &str) -> bool {
    let v = value.trim_end();
    is_label(label)
        && !v.is_empty()
        && !v.starts_with([' ', '\t'])
        && v.len() <= 300
        && !is_label(v)
}

/// A header label with its colon (`To:`, `Date:`, `Von:`), or a delivery report's field
/// name with or without one (`Sender`, `Sent Time`, `Result`).
fn is_label(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.len() > MAX_LABEL || t.starts_with(char::is_whitespace) {
        return false;
    }
    let name = t.trim_end_matches(':').trim_end();
    let labels = &*LABELS;
    if !labels.may_hold(name) {
        return false;
    }
    let lower = name.to_lowercase();
    let report_field = labels.report_fields.contains(lower.as_str());
    // Short words (`to`, `de`, `date`) are labels only with their colon.
    let header = t.ends_with(':') && labels.headers.contains(lower.as_str());
    header || (report_field && (t.ends_with(':') || lower.len() > 4))
}

/// The words [`is_label`] looks a line up in, each set gathered once: the first lines of
/// every paste are looked up, and a search through each vocabulary section per line was
/// a good part of a parse.
struct Labels {
    /// Vocabulary `[table-recipient]`, `[table-sender]`, `[table-time]`, `[table-words]`,
    /// `[table-outcome]` and `[table-host]`: a delivery report's field names.
    report_fields: HashSet<&'static str>,
    /// [`HEADER_LABELS`] and vocabulary `[to-labels]` and `[from-labels]`.
    headers: HashSet<&'static str>,
    /// The first bytes and the lengths (bit n: n bytes) of all those words: most lines
    /// fail these before being lowercased and looked up.
    first_bytes: [bool; 256],
    lengths: u64,
}

impl Labels {
    /// Whether the lowercase of `name` may be one of the words: false only when it is
    /// surely none (an ASCII name whose first byte or length no word has).
    fn may_hold(&self, name: &str) -> bool {
        let Some(&first) = name.as_bytes().first() else {
            return true;
        };
        if !name.is_ascii() {
            return true;
        }
        // An ASCII name's lowercase has its length and its first byte lowercased.
        self.first_bytes[usize::from(first.to_ascii_lowercase())]
            && name.len() < 64
            && self.lengths & (1 << name.len()) != 0
    }
}

static LABELS: LazyLock<Labels> = LazyLock::new(|| {
    let report_fields: HashSet<&'static str> = REPORT_FIELD_SECTIONS
        .iter()
        .flat_map(|section| words(section).iter().copied())
        .collect();
    let headers: HashSet<&'static str> = HEADER_LABELS
        .iter()
        .copied()
        .chain(words("to-labels").iter().copied())
        .chain(words("from-labels").iter().copied())
        .collect();
    let mut first_bytes = [false; 256];
    let mut lengths = 0u64;
    for word in report_fields.iter().chain(&headers) {
        if let Some(&b) = word.as_bytes().first() {
            first_bytes[usize::from(b)] = true;
        }
        if word.len() < 64 {
            lengths |= 1 << word.len();
        }
    }
    Labels {
        report_fields,
        headers,
        first_bytes,
        lengths,
    }
});

const REPORT_FIELD_SECTIONS: [&str; 6] = [
    "table-recipient",
    "table-sender",
    "table-time",
    "table-words",
    "table-outcome",
    "table-host",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_label` as it was first written, searching each vocabulary section per line: the
    /// sets must answer as it did.
    fn is_label_reference(line: &str) -> bool {
        let t = line.trim();
        if t.is_empty() || t.len() > MAX_LABEL || t.starts_with(char::is_whitespace) {
            return false;
        }
        let name = t.trim_end_matches(':').trim_end();
        let lower = name.to_lowercase();
        let report_field = REPORT_FIELD_SECTIONS
            .iter()
            .any(|section| words(section).contains(&lower.as_str()));
        let header = t.ends_with(':')
            && (HEADER_LABELS.contains(&lower.as_str())
                || words("to-labels").contains(&lower.as_str())
                || words("from-labels").contains(&lower.as_str()));
        header || (report_field && (t.ends_with(':') || lower.len() > 4))
    }

    #[test]
    fn labels_agree_with_the_vocabulary_searches() {
        let mut lines: Vec<String> = [
            "",
            "To",
            "To:",
            "to :",
            "Sender",
            "SENDER:",
            " Sender",
            "Date:",
            "date",
            "x:",
            "Result",
            "Result :",
            "Sender                                    ",
            "  Sender                                  ",
            "\u{3000}Sender                                  ",
            "Sender                                  \u{3000}",
            "Recipient                                 x",
            "ann@near.example",
            "Von:",
            "À:",
            "Sent Time",
            "Ab:",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let sections = REPORT_FIELD_SECTIONS.iter().chain(&[
            "to-labels",
            "from-labels",
            "table-created",
            "recipient-labels",
        ]);
        for section in sections {
            for w in words(section) {
                for line in [
                    w.to_string(),
                    format!("{w}:"),
                    format!("{}:", w.to_uppercase()),
                    format!("{w} :  "),
                    format!("\t{w}"),
                    format!("{w}x"),
                ] {
                    lines.push(line);
                }
            }
        }
        let mut labels = 0;
        for line in &lines {
            let expected = is_label_reference(line);
            labels += usize::from(expected);
            assert_eq!(is_label(line), expected, "{line:?}");
        }
        assert!(labels > 50, "{labels}");
    }

    #[test]
    fn labels_and_values_on_alternate_lines_are_joined() {
        let owa = "Mail Delivery Subsystem\nMAILER-DAEMON@mx.near.example\nTo:\nann@near.example\nDate:\nThu 12/3/2026 7:26 PM\nSubject:\nfailure notice\n\nHi. This is the qmail-send program.\n";
        assert_eq!(
            unstacked(owa).as_deref(),
            Some(
                "Mail Delivery Subsystem\nMAILER-DAEMON@mx.near.example\nTo: ann@near.example\nDate: Thu 12/3/2026 7:26 PM\nSubject: failure notice\n\nHi. This is the qmail-send program.\n"
            )
        );
        // A card's To over the customer's address: one pair is enough.
        assert_eq!(
            unstacked("Microsoft Outlook\npostmaster@near.example\nÀ :\nann@near.example\njeu. 03/12/2026 11:42\n").as_deref(),
            Some("Microsoft Outlook\npostmaster@near.example\nÀ : ann@near.example\njeu. 03/12/2026 11:42\n")
        );
        let whm = "Event\nfailure\nSender\nann@near.example\nSent Time\n12/2/26 11:07:45 AM\nRecipient\nbob@far.example\nResult\n553 5.0.0 Message refused\n";
        let joined = unstacked(whm).expect("a stacked report");
        assert!(joined.contains("Sender: ann@near.example\n"), "{joined}");
        assert!(
            joined.contains("Result: 553 5.0.0 Message refused\n"),
            "{joined}"
        );
    }

    #[test]
    fn a_text_with_a_stray_label_line_is_left_alone() {
        let text = "Subject:\nhello\nThe message could not be delivered.\n553 sorry\n";
        assert_eq!(unstacked(text), None);
        // An empty header's next field is no value.
        let header = "To:\nSubject: x@y.example\nDate: 1\n";
        assert_eq!(unstacked(header), None);
        // A folded header's continuation is no value.
        let folded = "To:\n  ann@near.example\nDate:\n  x\nSubject:\n  y\n";
        assert_eq!(unstacked(folded), None);
    }
}
