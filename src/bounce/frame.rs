//! What a paste carries around the text it shows: a listing's line numbers and file names
//! (`listing.rs`), HTML or RTF source (`markup.rs`). Taken off here, in one step before the
//! text is read, so every reader sees the text as the tool or the page showed it. Each
//! line of the text read keeps the number of the paste's line it came from, so a record's
//! `source_line` still points into the paste.

use super::{listing, markup};

/// A paste's text with its frame taken off.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Unframed {
    /// The text to read (lines joined with LF).
    pub text: String,
    /// For each line of `text`, the 0-based line of the paste it starts on.
    pub lines: Vec<usize>,
    /// What was taken off, for the warnings.
    pub why: Option<&'static str>,
}

impl Unframed {
    /// A new line of text, from the paste's line `from`.
    pub fn push(&mut self, line: &str, from: usize) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.lines.push(from);
    }

    /// More of the last line (a wrapped line's further row).
    pub fn append(&mut self, more: &str) {
        if self.lines.is_empty() {
            self.lines.push(0);
        }
        self.text.push_str(more);
    }

    /// `other`'s lines after these.
    pub fn extend(&mut self, other: Unframed) {
        if other.lines.is_empty() {
            return;
        }
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(&other.text);
        self.lines.extend(other.lines);
    }
}

/// `text` without its frames, with a warning for each one taken off; `None` when it has
/// none (most pastes: a look at the first lines and at the first byte).
pub fn unframed(text: &str) -> Option<(Unframed, Vec<&'static str>)> {
    let listed = listing::unframed(text);
    let inner = listed.as_ref().map_or(text, |l| l.text.as_str());
    // A whole message's HTML part is mail-parser's to read; only a paste that is markup
    // from its first line is.
    let marked = markup::unframed(inner).filter(|_| !super::looks_like_message(inner));
    let mut why = Vec::new();
    let out = match (listed, marked) {
        (None, None) => return None,
        (Some(l), None) => {
            why.extend(l.why);
            l
        }
        (None, Some(m)) => {
            why.extend(m.why);
            m
        }
        (Some(l), Some(mut m)) => {
            why.extend(l.why);
            why.extend(m.why);
            // The markup's lines are numbered in the listing's text: number them in the paste.
            for n in &mut m.lines {
                *n = l.lines.get(*n).copied().unwrap_or(*n);
            }
            m
        }
    };
    let mut out = out;
    if out.lines.is_empty() {
        // Nothing but the frame: one empty line.
        out.lines.push(0);
    }
    Some((out, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_of_html_source_loses_both_frames() {
        let paste = "$ cat -n ndr.html\n     1\t<html><body>\n     2\t<p>Delivery has failed to:<br>\n     3\t&lt;ann@far.example&gt;</p>\n     4\t</body></html>\n";
        let (u, why) = unframed(paste).expect("framed");
        assert_eq!(
            u.text,
            "$ cat -n ndr.html\nDelivery has failed to:\n<ann@far.example>\n"
        );
        assert_eq!(u.lines, vec![0, 2, 3, 3]);
        assert_eq!(why.len(), 2);
    }

    /// A Postfix bounce under `less -N`, a prompt above it and less's status below.
    const LESS_N: &str = "root@vps1:~# less -N /var/mail/shop
      1 From MAILER-DAEMON  Tue Dec  1 09:14:07 2026
      2 Date: Tue,  1 Dec 2026 09:14:07 +0100 (CET)
      3 From: MAILER-DAEMON@vps1.near.example (Mail Delivery System)
      4 Subject: Undelivered Mail Returned to Sender
      5 To: shop@near.example
      6 MIME-Version: 1.0
      7 Content-Type: text/plain; charset=us-ascii
      8 
      9 This is the mail system at host vps1.near.example.
     10 
     11 I'm sorry to have to inform you that your message could not
     12 be delivered to one or more recipients. It's attached below.
     13 
     14                    The mail system
     15 
     16 <ann@far.example>: host relay.isp.example[198.51.100.25] said:
     17     554 5.7.1 <ann@far.example>: Relay access denied (in reply to RCPT TO
     18     command)
/var/mail/shop lines 1-18/40 42%
";

    #[test]
    fn a_bounce_under_less_n_reads_as_the_bounce() {
        let b = crate::bounce::parse(LESS_N.as_bytes()).expect("parsed");
        assert_eq!(b.records.len(), 1, "{b:?}");
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("ann@far.example"));
        assert_eq!(r.reply_code, Some(554));
        assert_eq!(b.sender.as_deref(), Some("shop@near.example"));
        assert!(b.timestamp.is_some());
        // The deciding line is the paste's, prompt and all.
        assert_eq!(r.source_line, Some(17));
        assert!(
            LESS_N
                .lines()
                .nth(17)
                .is_some_and(|l| l.contains("554 5.7.1"))
        );
        assert!(b.warnings.iter().any(|w| w.contains("line numbers")));
    }

    #[test]
    fn html_source_of_a_bounce_reads_as_the_page() {
        let html = "<div class=\"ticket\">\n<p><b>To:</b> shop@near.example<br>\n<b>Date:</b> Mon, 30 Nov 2026 13:05:44 +0100</p>\n<pre>This is the mail system at host mx.near.example.\n\n&lt;ann@far.example&gt;: host mx.far.example[198.51.100.61] said: 550 5.1.1\n    &lt;ann@far.example&gt;: User unknown (in reply to RCPT TO command)\n</pre></div>\n";
        let b = crate::bounce::parse(html.as_bytes()).expect("parsed");
        let r = b.records.first().expect("a record");
        assert_eq!(r.recipient.as_deref(), Some("ann@far.example"));
        assert_eq!(r.reply_code, Some(550));
        assert_eq!(r.source_line, Some(5));
        assert!(b.warnings.iter().any(|w| w.contains("HTML")));
    }

    /// Every fixture is a paste without a frame (a listing or markup would show in its
    /// first lines): each reads as it always did.
    #[test]
    fn no_fixture_has_a_frame() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut dirs = vec![root.join("bounces"), root.join("formats")];
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                let text = crate::bounce::normalise_line_breaks(&text);
                seen += 1;
                assert_eq!(unframed(&text), None, "{}", path.display());
            }
        }
        assert!(seen > 40, "{seen}");
    }

    /// Generated pastes made of the frames' pieces (and multi-byte characters between
    /// them): taking frames off never panics, and every line of the text read has the line
    /// of the paste it came from.
    #[test]
    fn any_mix_of_frame_pieces_unframes_safely() {
        let pieces: [&str; 40] = [
            "\n",
            "\n",
            "\n",
            "      1 ",
            "      2 ",
            "  3 ",
            "    ",
            "     4\t",
            "12:",
            "13-",
            "--",
            "==> /var/log/a <==",
            "~",
            "a.log:",
            "a.log:7:",
            "<p>",
            "</p>",
            "<pre>",
            "</pre>",
            "<br>",
            "<td>",
            "<!-- x",
            "-->",
            "<style>",
            "</style>",
            "<a href=\"x>y\">",
            "&lt;",
            "&gt",
            "&#x20AC;",
            "&#99999999;",
            "{\\rtf1 ",
            "\\par ",
            "\\'e9",
            "\\u-3?",
            "\\",
            "{\\*\\x ",
            "}",
            "é€",
            "x@y.example",
            "From: a@b.example",
        ];
        let mut g = crate::bounce::test_rng::Rng::new(0x00f7_a3e0_0000_0011);
        let mut framed = 0;
        for _ in 0..20_000 {
            let len = 1 + g.below(24);
            let text: String = (0..len).map(|_| g.pick(&pieces)).collect();
            let Some((u, why)) = unframed(&text) else {
                continue;
            };
            framed += 1;
            assert!(!why.is_empty(), "{text:?}");
            assert_eq!(u.lines.len(), u.text.split('\n').count(), "{text:?}");
            let paste_lines = text.split('\n').count();
            assert!(u.lines.iter().all(|&n| n < paste_lines), "{text:?} {u:?}");
        }
        assert!(framed > 1000, "{framed}");
    }

    #[test]
    fn text_without_a_frame_is_left_alone() {
        for text in [
            "From: a@b.example\nTo: c@d.example\n\n<html><body><p>x</p></body></html>\n",
            "<ann@far.example>: host mx.far.example said: 550 5.1.1 User unknown\n",
            "Dec  1 07:57:02 mail postfix/smtpd[1]: connect\n",
        ] {
            assert_eq!(unframed(text), None, "{text:?}");
        }
    }
}
