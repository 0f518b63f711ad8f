//! Untrusted text made safe to show in a terminal and to copy.
//!
//! Pasted bounces are untrusted: they may carry CSI, OSC (an OSC 52 would write the agent's
//! clipboard), DCS, APC/PM/SOS strings and C1 controls, as well as bidi overrides that reorder
//! what the agent reads. ratatui drops a bare ESC but prints the parameter bytes that follow,
//! so sequences are removed whole here, and remaining controls are made visible.

/// Tab stops used when expanding tabs for display.
const TAB_WIDTH: usize = 8;

/// Characters that change text direction or are invisible; shown as a visible marker
/// (`<U+202E>`) so an address cannot hide a character from the agent.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
        | '\u{FEFF}' // zero-width no-break space / BOM
        | '\u{061C}' // Arabic letter mark
        | '\u{00AD}' // soft hyphen
    )
}

/// Whether `c` belongs to a script that spells words with the zero-width non-joiner and
/// joiner (Arabic and Persian, Syriac, the Indic scripts), or is an emoji (joined into one
/// with U+200D).
fn joins_with_zero_width(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{074F}' // Arabic, Syriac
        | '\u{0750}'..='\u{077F}' // Arabic Supplement
        | '\u{08A0}'..='\u{08FF}' // Arabic Extended-A
        | '\u{0900}'..='\u{0DFF}' // Devanagari to Sinhala
        | '\u{FB50}'..='\u{FDFF}' // Arabic Presentation Forms-A
        | '\u{FE70}'..='\u{FEFE}' // Arabic Presentation Forms-B
        | '\u{1F300}'..='\u{1FAFF}' // emoji
        | '\u{2600}'..='\u{27BF}' // symbols and dingbats
    )
}

/// A zero-width non-joiner or joiner between two letters of a script that spells with it
/// (Persian `می‌خواهم`, Hindi's half forms, an emoji sequence): ordinary text, shown as it is.
/// Elsewhere (inside an address, between Latin letters) it could hide a character from the
/// agent, and is marked.
fn is_spelling_joiner(c: char, before: Option<char>, after: Option<char>) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
        && before.is_some_and(joins_with_zero_width)
        && after.is_some_and(joins_with_zero_width)
}

/// Where an escape sequence ends, given the text right after the ESC (or C1 introducer).
enum Seq {
    /// CSI: parameters and intermediates, then one final byte in 0x40..=0x7E.
    Csi,
    /// OSC, DCS, SOS, PM, APC: a string ended by BEL (OSC only) or ST (ESC \ or U+009C).
    Str,
    /// A two-character escape (ESC + one byte).
    Short,
}

/// Remove escape sequences and turn other control characters into visible stand-ins.
/// Keeps `\n`; expands tabs; drops `\r`. The result is safe to draw and to copy.
pub fn for_display(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut col = 0usize;
    let mut chars = input.chars().peekable();
    // The character shown last, for a joiner's neighbours.
    let mut before: Option<char> = None;
    while let Some(c) = chars.next() {
        let shown_before = before.replace(c);
        let seq = match c {
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    Some(Seq::Csi)
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    Some(Seq::Str)
                }
                Some(_) => Some(Seq::Short),
                None => {
                    // A lone trailing ESC: drop it.
                    continue;
                }
            },
            '\u{9b}' => Some(Seq::Csi),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => Some(Seq::Str),
            _ => None,
        };
        match seq {
            Some(Seq::Csi) => {
                for d in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&d) {
                        break;
                    }
                }
                continue;
            }
            Some(Seq::Str) => {
                while let Some(d) = chars.next() {
                    if d == '\u{07}' || d == '\u{9c}' {
                        break;
                    }
                    if d == '\u{1b}' {
                        if chars.peek() == Some(&'\\') {
                            chars.next();
                        }
                        break;
                    }
                }
                continue;
            }
            Some(Seq::Short) => {
                chars.next();
                continue;
            }
            None => {}
        }
        match c {
            '\n' => {
                out.push('\n');
                col = 0;
            }
            '\r' => {}
            '\t' => {
                let n = TAB_WIDTH - col % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                // Control Pictures block: U+2400 + code, U+2421 for DEL.
                let shown = if c == '\u{7f}' {
                    '\u{2421}'
                } else {
                    char::from_u32(0x2400 + c as u32).unwrap_or('?')
                };
                out.push(shown);
                col += 1;
            }
            c if ('\u{80}'..='\u{9f}').contains(&c) => {
                let marker = format!("<U+{:04X}>", c as u32);
                col += marker.len();
                out.push_str(&marker);
            }
            c if is_spelling_joiner(c, shown_before, chars.peek().copied()) => {
                out.push(c);
            }
            c if is_invisible_or_bidi(c) => {
                let marker = format!("<U+{:04X}>", c as u32);
                col += marker.len();
                out.push_str(&marker);
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

/// True when the text holds anything [`for_display`] would change besides tabs and CR.
pub fn needs_cleaning(input: &str) -> bool {
    input.chars().any(|c| {
        (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r'
            || c == '\u{7f}'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || is_invisible_or_bidi(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_csi_and_osc_whole() {
        let s = "a\u{1b}[31mred\u{1b}[0m b\u{1b}]52;c;aGVsbG8=\u{07}c\u{1b}]0;title\u{1b}\\d";
        assert_eq!(for_display(s), "ared bcd");
    }

    #[test]
    fn strips_dcs_and_c1() {
        let s = "x\u{1b}P1$r0m\u{1b}\\y\u{9b}2Jz\u{9d}52;c;Zm9v\u{9c}w";
        assert_eq!(for_display(s), "xyzw");
    }

    #[test]
    fn controls_and_bidi_made_visible() {
        assert_eq!(for_display("a\u{0}b"), "a\u{2400}b");
        assert_eq!(
            for_display("evil\u{202e}moc.liamg@x"),
            "evil<U+202E>moc.liamg@x"
        );
        assert_eq!(for_display("a\u{200b}b"), "a<U+200B>b");
    }

    #[test]
    fn joiners_stay_where_a_script_spells_with_them() {
        // Persian and Hindi words, an emoji sequence: shown as they are.
        let persian = "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}";
        assert_eq!(for_display(persian), persian);
        let hindi = "\u{0915}\u{094D}\u{200D}\u{0937}";
        assert_eq!(for_display(hindi), hindi);
        let family = "\u{1F468}\u{200D}\u{1F469}";
        assert_eq!(for_display(family), family);
        // Between Latin letters, at an edge, or beside an address: marked.
        assert_eq!(for_display("pay\u{200c}pal"), "pay<U+200C>pal");
        assert_eq!(for_display("\u{200d}\u{0645}"), "<U+200D>\u{0645}");
        assert_eq!(
            for_display("\u{0645}\u{200c}a@b.example"),
            "\u{0645}<U+200C>a@b.example"
        );
    }

    #[test]
    fn expands_tabs_and_drops_cr() {
        assert_eq!(for_display("ab\tc\r\nd"), "ab      c\nd");
    }

    #[test]
    fn unterminated_sequences_do_not_eat_past_end() {
        assert_eq!(for_display("ok\u{1b}]52;c;AAAA"), "ok");
        assert_eq!(for_display("ok\u{1b}"), "ok");
    }
}
