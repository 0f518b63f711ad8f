//! A paste that is the source of what a person saw: the HTML of a helpdesk ticket, of an
//! Exchange NDR or of a webmail reading pane (copied from "view source" or an export), an
//! RTF file saved from WordPad or Outlook, or text whose `<` and `>` an HTML page escaped.
//! The readers look for `<address>:` and `From: … <address>`, which the source writes as
//! `&lt;address&gt;` between tags or with `\par` glued to it, so the text is read as the
//! page or the document showed it: tags and control words dropped, entities decoded,
//! line breaks where the page broke lines.
//!
//! Only a paste that is such markup from its first lines is: a message with an HTML part
//! is mail-parser's to read (`message.rs` turns that part into text), and a bounce that
//! quotes an HTML original further down is text.

use super::frame::Unframed;

/// Non-empty lines a paste may have above its markup (a prompt and a `cat`).
const LEADING: usize = 3;
/// Known tags needed in the paste's first [`TAG_WINDOW`] bytes before it is taken for HTML.
const MIN_TAGS: usize = 3;
const TAG_WINDOW: usize = 64 * 1024;

/// Elements HTML-to-text drops with a line break around them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "title",
    "tr",
    "ul",
];
/// Elements dropped without a line break (their text runs on).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "base", "big", "br", "button", "code", "col", "colgroup", "del", "em",
    "font", "i", "img", "input", "ins", "label", "link", "meta", "s", "small", "span", "strike",
    "strong", "sub", "sup", "td", "th", "tt", "u", "wbr", "xml",
];
/// Elements whose content is no text (style sheets, scripts).
const HIDDEN: &[&str] = &["script", "style"];

/// The text the markup shows, when `text` is markup; `None` for any other text (a look at
/// its first bytes for most pastes).
pub fn unframed(text: &str) -> Option<Unframed> {
    if text.trim_start().starts_with("{\\rtf") {
        return Some(rtf_text(text));
    }
    if is_html(text) {
        return Some(html_text(text));
    }
    escaped_text(text)
}

/// Whether the paste is HTML source: one of its first lines opens with a tag (or a
/// doctype or comment), and it holds a few known tags.
fn is_html(text: &str) -> bool {
    // Looked for near the top only: a `<` far down is no markup the paste opens with.
    let top = text.as_bytes().get(..4096).unwrap_or(text.as_bytes());
    let Some(first) = memchr::memchr(b'<', top) else {
        return false;
    };
    // The first `<` stands on one of the first non-empty lines, at its start.
    let above = &text[..first];
    let line_start = above.rfind('\n').map_or(0, |n| n + 1);
    if !text[line_start..first].trim().is_empty()
        || above.lines().filter(|l| !l.trim().is_empty()).count() > LEADING
    {
        return false;
    }
    let opener = &text[first..];
    if !(opener.starts_with("<!") || opener.starts_with("<?") || tag_at(opener).is_some()) {
        return false;
    }
    let window = text.get(..TAG_WINDOW).unwrap_or(text);
    memchr::memchr_iter(b'<', window.as_bytes())
        .filter(|&at| tag_at(&window[at..]).is_some())
        .take(MIN_TAGS)
        .count()
        >= MIN_TAGS
}

/// The known element a tag at the start of `s` (`<p class=x>`, `</td>`, `<o:p>`) names,
/// with whether it closes, when it is one.
fn tag_at(s: &str) -> Option<(&'static str, bool)> {
    let rest = s.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b':')
        .count();
    let name = &rest[..len];
    // What ends a tag's name: an address (`<ann@far.example>`) is no tag.
    if !matches!(
        rest.as_bytes().get(len),
        Some(b'>' | b' ' | b'\t' | b'\n' | b'/')
    ) {
        return None;
    }
    // Word's and Outlook's namespaced elements (`<o:p>`, `<v:shape>`) show nothing.
    if name.contains(':') && name.len() > 2 {
        return Some(("xml", closing));
    }
    [BLOCKS, INLINE, HIDDEN]
        .iter()
        .flat_map(|names| names.iter())
        .find(|known| known.eq_ignore_ascii_case(name))
        .map(|known| (*known, closing))
}

/// Building the shown text a character at a time, knowing where each line started.
struct Page {
    out: Unframed,
    /// The paste's line being read.
    at: usize,
    /// Whether the line being written has any visible character yet.
    seen: bool,
}

impl Page {
    fn new() -> Self {
        let mut out = Unframed::default();
        out.push("", 0);
        Page {
            out,
            at: 0,
            seen: false,
        }
    }

    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if !self.seen && s.chars().any(|c| !c.is_whitespace()) {
            self.seen = true;
            // The line starts where its first visible character stood.
            if let Some(from) = self.out.lines.last_mut() {
                *from = self.at;
            }
        }
        self.out.text.push_str(s);
    }

    /// End the line being written.
    fn break_line(&mut self) {
        self.out.push("", self.at);
        self.seen = false;
    }

    /// A line break where a block starts or ends: none when the line is still empty.
    fn soft_break(&mut self) {
        if self.seen {
            self.break_line();
        }
    }

    /// A line break of the source outside `<pre>`: it ends a line that shows something;
    /// a line of tags alone or blanks leaves no line.
    fn source_break(&mut self) {
        if self.seen {
            self.break_line();
        } else {
            let start = self.out.text.rfind('\n').map_or(0, |n| n + 1);
            self.out.text.truncate(start);
        }
    }

    fn finish(mut self, why: &'static str) -> Unframed {
        self.out.why = Some(why);
        self.out
    }
}

/// HTML source as a browser shows it, one line per line the page shows (a source line
/// with text stays a line, as `<br>` and blocks break lines).
fn html_text(html: &str) -> Unframed {
    let mut page = Page::new();
    let mut rest = html;
    let mut pre = 0usize;
    while let Some(at) = memchr::memchr3(b'<', b'&', b'\n', rest.as_bytes()) {
        page.text(&rest[..at]);
        rest = &rest[at..];
        match rest.as_bytes()[0] {
            b'\n' => {
                // The line after the break starts on the next line of the source.
                page.at += 1;
                if pre > 0 {
                    page.break_line();
                } else {
                    page.source_break();
                }
                rest = &rest[1..];
            }
            b'&' => {
                let (c, len) = entity(rest).unwrap_or(('&', 1));
                page.text(c.encode_utf8(&mut [0; 4]));
                rest = &rest[len..];
            }
            _ => {
                let (len, tag) = markup_len(rest);
                page.at += rest[..len].bytes().filter(|&b| b == b'\n').count();
                rest = &rest[len..];
                let Some((name, closing)) = tag else {
                    if len == 1 {
                        // A `<` that opens nothing is text.
                        page.text("<");
                    }
                    continue;
                };
                if HIDDEN.contains(&name) && !closing {
                    rest = skip_hidden(rest, name, &mut page.at);
                } else if name == "br" {
                    page.break_line();
                } else if name == "td" || name == "th" {
                    // A table's cells stay apart as a label and its value.
                    if !closing && page.seen {
                        page.text("\t");
                    }
                } else if BLOCKS.contains(&name) {
                    page.soft_break();
                    if name == "pre" {
                        if closing {
                            pre = pre.saturating_sub(1);
                        } else {
                            pre += 1;
                            // A line break right after `<pre>` is not shown.
                            if let Some(r) = rest.strip_prefix('\n') {
                                rest = r;
                                page.at += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    page.text(rest);
    page.finish("the text was HTML source; it was read as the page shows it (tags dropped, entities decoded)")
}

/// The length of the markup at the start of `s` (a comment, a doctype, a tag whose quoted
/// attributes may hold `>`), and the known element it names. 1 when `<` opens no markup.
fn markup_len(s: &str) -> (usize, Option<(&'static str, bool)>) {
    if let Some(body) = s.strip_prefix("<!--") {
        return (body.find("-->").map_or(s.len(), |e| 4 + e + 3), None);
    }
    let tag = tag_at(s);
    if tag.is_none() && !s.starts_with("<!") && !s.starts_with("<?") {
        return (1, None);
    }
    let b = s.as_bytes();
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return (i + 1, tag),
            _ => {}
        }
    }
    // A tag never closed: the rest was the tag.
    (s.len(), tag)
}

/// `s` after the closing tag of a `<script>` or `<style>` element, counting the lines it
/// skips.
fn skip_hidden<'a>(s: &'a str, name: &str, at: &mut usize) -> &'a str {
    let close = format!("</{name}");
    let end = s
        .as_bytes()
        .windows(close.len())
        .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
        .unwrap_or(s.len());
    *at += s[..end].bytes().filter(|&b| b == b'\n').count();
    &s[end..]
}

/// The character an entity at the start of `s` stands for and the entity's length: named
/// (`&lt;`), decimal (`&#64;`), hex (`&#x40;`). The oldest names also without their `;`,
/// as browsers read them (`x@y&gt` glued to what follows).
fn entity(s: &str) -> Option<(char, usize)> {
    const NAMED: &[(&str, char)] = &[
        ("lt", '<'),
        ("gt", '>'),
        ("amp", '&'),
        ("quot", '"'),
        ("apos", '\''),
        // A no-break space reads as a space (see invisible.rs).
        ("nbsp", ' '),
        ("ensp", ' '),
        ("emsp", ' '),
        ("thinsp", ' '),
        ("shy", '\u{AD}'),
        ("zwsp", '\u{200B}'),
        ("copy", '©'),
        ("reg", '®'),
        ("trade", '™'),
        ("ndash", '–'),
        ("mdash", '—'),
        ("hellip", '…'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("laquo", '«'),
        ("raquo", '»'),
        ("bull", '•'),
        ("middot", '·'),
        ("euro", '€'),
        ("deg", '°'),
        ("auml", 'ä'),
        ("ouml", 'ö'),
        ("uuml", 'ü'),
        ("Auml", 'Ä'),
        ("Ouml", 'Ö'),
        ("Uuml", 'Ü'),
        ("szlig", 'ß'),
        ("aacute", 'á'),
        ("eacute", 'é'),
        ("iacute", 'í'),
        ("oacute", 'ó'),
        ("uacute", 'ú'),
        ("Eacute", 'É'),
        ("agrave", 'à'),
        ("egrave", 'è'),
        ("igrave", 'ì'),
        ("ograve", 'ò'),
        ("ugrave", 'ù'),
        ("acirc", 'â'),
        ("ecirc", 'ê'),
        ("icirc", 'î'),
        ("ocirc", 'ô'),
        ("ucirc", 'û'),
        ("atilde", 'ã'),
        ("otilde", 'õ'),
        ("ntilde", 'ñ'),
        ("ccedil", 'ç'),
        ("Ccedil", 'Ç'),
        ("aring", 'å'),
        ("Aring", 'Å'),
        ("oslash", 'ø'),
        ("aelig", 'æ'),
    ];
    /// Entities a browser reads without the `;` too.
    const LEGACY: &[&str] = &["lt", "gt", "amp", "quot", "nbsp"];
    let rest = s.strip_prefix('&')?;
    if let Some(num) = rest.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex.bytes().take_while(u8::is_ascii_hexdigit).count(), 16, 1),
            None => (num.bytes().take_while(u8::is_ascii_digit).count(), 10, 0),
        };
        if digits == 0 || digits > 7 {
            return None;
        }
        let value = u32::from_str_radix(&num[skip..skip + digits], radix).ok()?;
        let c = char::from_u32(value).filter(|c| *c != '\0')?;
        let semi = usize::from(num.as_bytes().get(skip + digits) == Some(&b';'));
        return Some((c, 2 + skip + digits + semi));
    }
    let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &rest[..len];
    let &(_, c) = NAMED.iter().find(|(n, _)| *n == name)?;
    if rest.as_bytes().get(len) == Some(&b';') {
        Some((c, len + 2))
    } else {
        LEGACY.contains(&name).then_some((c, len + 1))
    }
}

/// Text whose `<` and `>` an HTML page escaped (`&lt;ann@far.example&gt;`, no tags): the
/// entities decoded, line for line. Only when every address in `<>` is escaped: a text
/// with real `<address>`es that shows an escaped one quotes HTML, and that stays.
fn escaped_text(text: &str) -> Option<Unframed> {
    memchr::memmem::find(text.as_bytes(), b"&lt;")?;
    let escaped_address = memchr::memmem::find_iter(text.as_bytes(), b"&lt;").any(|at| {
        let after = &text[at + 4..];
        let end = after
            .find(['&', ' ', '\n', '<', '>'])
            .unwrap_or(after.len());
        after[..end].contains('@') && after[end..].starts_with("&gt")
    });
    let raw_address = memchr::memchr_iter(b'<', text.as_bytes()).any(|at| {
        let after = &text[at + 1..];
        let end = after.find(['>', ' ', '\n', '<']).unwrap_or(after.len());
        after[..end].contains('@') && after[end..].starts_with('>')
    });
    if !escaped_address || raw_address {
        return None;
    }
    let mut out = Unframed::default();
    for (i, line) in text.split('\n').enumerate() {
        let mut shown = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(at) = rest.find('&') {
            shown.push_str(&rest[..at]);
            let (c, len) = entity(&rest[at..]).unwrap_or(('&', 1));
            shown.push(c);
            rest = &rest[at + len..];
        }
        shown.push_str(rest);
        out.push(&shown, i);
    }
    out.why = Some("the text was HTML-escaped (&lt; and &gt;); it was read decoded");
    Some(out)
}

/// RTF as WordPad or Word shows it: control words and the groups that hold no text (font
/// and colour tables, `\*` destinations, pictures) dropped, `\par` a line break, `\'e9`
/// and `\u233?` the characters they name. The source's own line breaks are no text.
fn rtf_text(rtf: &str) -> Unframed {
    /// Groups whose content is not shown.
    const HIDDEN_GROUPS: &[&str] = &[
        "fonttbl",
        "colortbl",
        "stylesheet",
        "info",
        "pict",
        "object",
        "header",
        "footer",
        "listtable",
        "listoverridetable",
        "rsidtbl",
        "generator",
        "xmlnstbl",
        "themedata",
        "colorschememapping",
        "latentstyles",
        "datastore",
        "fldinst",
        "filetbl",
        "revtbl",
    ];
    let mut page = Page::new();
    // Per open group: whether its text is hidden, and `\ucN` (how many fallback characters
    // follow a `\u`).
    let mut groups: Vec<(bool, usize)> = vec![(false, 1)];
    let b = rtf.as_bytes();
    let mut i = 0;
    // Fallback characters still to skip after a `\u`.
    let mut skip = 0usize;
    let hidden = |g: &Vec<(bool, usize)>| g.last().is_some_and(|(h, _)| *h);
    while i < b.len() {
        let c = b[i];
        match c {
            b'{' => {
                let top = groups.last().copied().unwrap_or((false, 1));
                groups.push(top);
                i += 1;
            }
            b'}' => {
                if groups.len() > 1 {
                    groups.pop();
                }
                i += 1;
            }
            b'\n' => {
                page.at += 1;
                i += 1;
            }
            b'\r' => i += 1,
            b'\\' => {
                let Some(&next) = b.get(i + 1) else {
                    break;
                };
                if next.is_ascii_alphabetic() {
                    let start = i + 1;
                    let mut end = start;
                    while end < b.len() && b[end].is_ascii_alphabetic() && end - start < 32 {
                        end += 1;
                    }
                    let word = &rtf[start..end];
                    let num_start = end;
                    if b.get(end) == Some(&b'-') {
                        end += 1;
                    }
                    while end < b.len() && b[end].is_ascii_digit() && end - num_start < 10 {
                        end += 1;
                    }
                    let param: Option<i64> = rtf[num_start..end].parse().ok();
                    if b.get(end) == Some(&b' ') {
                        end += 1;
                    }
                    i = end;
                    if HIDDEN_GROUPS.contains(&word) {
                        if let Some(top) = groups.last_mut() {
                            top.0 = true;
                        }
                        continue;
                    }
                    if hidden(&groups) {
                        continue;
                    }
                    match word {
                        "par" | "line" | "sect" | "page" | "row" => page.break_line(),
                        "tab" | "cell" => page.text("\t"),
                        "emdash" => page.text("—"),
                        "endash" => page.text("–"),
                        "lquote" | "rquote" => page.text("'"),
                        "ldblquote" | "rdblquote" => page.text("\""),
                        "bullet" => page.text("•"),
                        "uc" => {
                            if let Some(top) = groups.last_mut() {
                                top.1 = param.and_then(|p| usize::try_from(p).ok()).unwrap_or(1);
                            }
                        }
                        "u" => {
                            let code = param.unwrap_or(0);
                            let code = if code < 0 { code + 65536 } else { code };
                            if let Some(ch) = u32::try_from(code).ok().and_then(char::from_u32) {
                                page.text(ch.encode_utf8(&mut [0; 4]));
                            }
                            skip = groups.last().map_or(1, |g| g.1);
                        }
                        _ => {}
                    }
                    continue;
                }
                if !next.is_ascii() {
                    // A backslash before a non-ASCII character escapes nothing: the
                    // character is text.
                    i += 1;
                    continue;
                }
                i += 2;
                match next {
                    b'*' => {
                        if let Some(top) = groups.last_mut() {
                            top.0 = true;
                        }
                    }
                    b'\'' => {
                        let byte = rtf
                            .get(i..i + 2)
                            .and_then(|h| u8::from_str_radix(h, 16).ok());
                        if byte.is_some() {
                            i += 2;
                        }
                        if let Some(byte) = byte
                            && !hidden(&groups)
                        {
                            if skip > 0 {
                                skip -= 1;
                            } else {
                                page.text(cp1252(byte).encode_utf8(&mut [0; 4]));
                            }
                        }
                    }
                    b'\n' => {
                        page.at += 1;
                        if !hidden(&groups) {
                            page.break_line();
                        }
                    }
                    _ if hidden(&groups) => {}
                    b'~' => page.text(" "),
                    b'_' => page.text("-"),
                    b'-' => {}
                    b'\\' | b'{' | b'}' => page.text(&rtf[i - 1..i]),
                    _ => {}
                }
            }
            _ => {
                // A run of plain text up to the next special byte.
                let end = b[i..]
                    .iter()
                    .position(|&c| matches!(c, b'{' | b'}' | b'\\' | b'\n' | b'\r'))
                    .map_or(b.len(), |p| i + p);
                if !hidden(&groups) {
                    let mut run = &rtf[i..end];
                    while skip > 0 && !run.is_empty() {
                        let n = run.chars().next().map_or(1, char::len_utf8);
                        run = &run[n..];
                        skip -= 1;
                    }
                    page.text(run);
                }
                i = end;
            }
        }
    }
    page.finish("the text was an RTF document; it was read as the document shows it")
}

/// A byte of Windows-1252 (RTF's `\ansicpg1252`, what WordPad and Outlook save) as a char.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_source_reads_as_the_page() {
        let html = "<div class=\"ticket\">\n<p class=\"MsoNormal\">Hallo Support,<o:p></o:p></p>\n<p><o:p>&nbsp;</o:p></p>\n<p><b>From:</b> Mail Delivery System &lt;MAILER-DAEMON@mx.example.com&gt;<br>\n<b>To:</b> shop@example.com<br>\n</p>\n<pre style=\"x\">Date: Mon, 30 Nov 2026 13:05:44 +0100\n\n&lt;ann@far.example&gt;: host mx.far.example said:\n    550 5.1.1 User unknown\n</pre>\n</div>\n";
        let u = unframed(html).expect("html");
        assert_eq!(
            u.text,
            "Hallo Support,\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: shop@example.com\nDate: Mon, 30 Nov 2026 13:05:44 +0100\n\n<ann@far.example>: host mx.far.example said:\n    550 5.1.1 User unknown\n"
        );
        // Each line where its text stood in the source.
        assert_eq!(u.lines, vec![1, 3, 4, 6, 7, 8, 9, 10]);
    }

    #[test]
    fn br_lines_cells_links_and_comments() {
        let html = "<table><tr><td class=\"t\">To</td><td>kim@near.example</td></tr></table>\n<div>Text<br>\n<br>\n&lt;<a href=\"mailto:ann@far.example\">ann@far.example</a>&gt;: said<br>\n&nbsp; &nbsp; 501 5.1.3 Bad syntax<br>\n</div><!-- generated <b>x</b> -->\n<style>p { color: red }</style><script>if (a<b) {}</script>\n";
        let u = unframed(html).expect("html");
        assert_eq!(
            u.text,
            "To\tkim@near.example\nText\n\n<ann@far.example>: said\n    501 5.1.3 Bad syntax\n"
        );
    }

    #[test]
    fn entities_decode_once_and_glued_ones_too() {
        assert_eq!(entity("&amp;lt;"), Some(('&', 5)));
        assert_eq!(entity("&gt"), Some(('>', 3)));
        assert_eq!(entity("&gtx"), None);
        assert_eq!(entity("&#64;"), Some(('@', 5)));
        assert_eq!(entity("&#x40;x"), Some(('@', 6)));
        assert_eq!(entity("&#0;"), None);
        assert_eq!(entity("&unknown;"), None);
        assert_eq!(entity("& x"), None);
    }

    #[test]
    fn escaped_text_is_decoded_line_for_line() {
        let text = "Diagnostic: 550 5.1.1 &lt;ann@far.example&gt;: User unknown\nFrom: Kim &lt;kim@near.example&gt\n";
        let u = unframed(text).expect("escaped");
        assert_eq!(
            u.text,
            "Diagnostic: 550 5.1.1 <ann@far.example>: User unknown\nFrom: Kim <kim@near.example>\n"
        );
        assert_eq!(u.lines, vec![0, 1, 2]);
        // Real addresses beside an escaped one: a quoted HTML original, left alone.
        let quoting =
            "<ann@far.example>: User unknown\n\n<p>Write to &lt;kim@near.example&gt;</p>\n";
        assert_eq!(unframed(quoting), None);
    }

    #[test]
    fn rtf_reads_as_the_document() {
        let rtf = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil Calibri;}}\n{\\*\\generator Riched20 10.0}\\viewkind4\\uc1\n\\pard\\f0\\fs22 From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\\par\nTo: kim@near.example\\par\n\\b ** Message blocked **\\b0\\par\nJ\\'fcrgen \\u8364?5 \\{x\\}\\par\n}\n";
        let u = unframed(rtf).expect("rtf");
        assert_eq!(
            u.text,
            "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: kim@near.example\n** Message blocked **\nJürgen €5 {x}\n"
        );
        assert_eq!(u.lines[..4], [2, 3, 4, 5]);
    }

    #[test]
    fn text_that_is_no_markup_is_left_alone() {
        for text in [
            // A Postfix body: addresses in angle brackets are no tags.
            "<ann@far.example>: host mx.far.example said: 550 5.1.1 User unknown\n",
            // A bounce whose returned original is HTML, further down.
            "This is the mail system at host x.\n\nI'm sorry to have to inform you\nthat your message could not\nbe delivered.\n<html><body><p>Hi</p><br></body></html>\n",
            // SMTP's own words in angle brackets.
            "<CRLF>.<CRLF>\n<br> alone\n",
            "Tom & Jerry &amp; co\n",
            "plain text\n",
        ] {
            assert_eq!(unframed(text), None, "{text:?}");
        }
    }
}
