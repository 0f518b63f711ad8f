//! Where a node sits in a playbook's YAML text, for problems found after parsing (a bad
//! regex, a duplicate step id). serde_yaml keeps no positions in parsed values, so this is a
//! light scan of the text that understands what playbooks are written in: block mappings,
//! block sequences (indented or not under their key), block scalars, and one-level flow
//! sequences (`text: ["a", "b"]`). For anything more exotic it returns the deepest node it
//! could find, so a position is always close, never invented.

/// One step of a path from the document root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A significant line: not blank, not a comment, not a document marker.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Byte offset of the line's first character.
    start: usize,
    /// Byte offset just past the line's last character (before `\n`).
    end: usize,
    /// Columns of leading spaces.
    indent: usize,
    /// Set when the line starts a block-sequence item (`- `).
    dash: bool,
    /// Column where the content starts (after `- ` on an item line).
    content: usize,
}

/// The children of a node: significant lines `[first, end)` whose keys or dashes sit at
/// column `col`.
#[derive(Debug, Clone, Copy)]
struct Scope {
    first: usize,
    end: usize,
    col: usize,
}

pub(crate) struct Locator<'t> {
    text: &'t str,
    /// Byte offset where each physical line starts (for offset → position).
    line_starts: Vec<usize>,
    lines: Vec<Line>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let end = start + raw.trim_end_matches(['\n', '\r']).len();
            let body = &text[start..end];
            let indent = body.len() - body.trim_start_matches(' ').len();
            let rest = &body[indent..];
            let significant = !(rest.is_empty()
                || rest.starts_with('#')
                || rest.starts_with("---")
                || rest.starts_with("..."));
            if significant {
                let dash = rest == "-" || rest.starts_with("- ");
                let content = if dash {
                    let after = &rest[1..];
                    indent + 1 + (after.len() - after.trim_start_matches(' ').len())
                } else {
                    indent
                };
                lines.push(Line {
                    start,
                    end,
                    indent,
                    dash,
                    content,
                });
            }
            start += raw.len();
            if raw.ends_with('\n') {
                line_starts.push(start);
            }
        }
        Locator {
            text,
            line_starts,
            lines,
        }
    }

    /// The position of a byte offset.
    pub fn pos_of(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Pos { line, column }
    }

    /// Byte offset where the value at `path` starts (or the deepest node found on the way).
    pub fn value_offset(&self, path: &[Seg<'_>]) -> usize {
        self.resolve(path).0
    }

    /// Where the second `key:` of the mapping at `path` starts: serde_yaml reports a
    /// duplicate key at the start of its mapping, the agent needs the line to delete.
    pub fn duplicate_key_offset(&self, path: &[Seg<'_>], key: &str) -> Option<usize> {
        let (_, child) = self.resolve(path);
        let scope = match child {
            Some(Child::Block(scope)) => scope,
            _ if path.is_empty() => self.root()?,
            _ => return None,
        };
        let line = (scope.first..scope.end)
            .map(|i| self.lines[i])
            .filter(|l| l.content == scope.col && key_at(self.body(*l, l.content), key).is_some())
            .nth(1)?;
        Some(line.start + line.content)
    }

    fn root(&self) -> Option<Scope> {
        let first = self.lines.first()?;
        Some(Scope {
            first: 0,
            end: self.lines.len(),
            col: first.indent,
        })
    }

    /// Follow `path` as far as the text allows: the offset of the deepest node reached, and
    /// that node's children when the whole path was found.
    fn resolve(&self, path: &[Seg<'_>]) -> (usize, Option<Child>) {
        let (Some(first), Some(mut scope)) = (self.lines.first(), self.root()) else {
            return (0, None);
        };
        let mut found = first.start + first.indent;
        let mut last = Some(Child::Block(scope));
        let mut segs = path.iter();
        while let Some(seg) = segs.next() {
            let step = match *seg {
                Seg::Key(key) => self.key_in(scope, key),
                Seg::Index(i) => self.item_in(scope, i),
            };
            let Some((offset, child)) = step else {
                return (found, None);
            };
            found = offset;
            last = Some(child);
            match child {
                Child::Block(s) => scope = s,
                Child::Flow => {
                    // One level of flow sequence: the next segment is an index into it.
                    if let Some(seg) = segs.next() {
                        if let Seg::Index(i) = seg
                            && let Some(item) = flow_items(self.text, offset).get(*i)
                        {
                            found = *item;
                        }
                        return (found, None);
                    }
                }
                Child::Scalar => {
                    if segs.next().is_some() {
                        return (found, None);
                    }
                }
            }
        }
        (found, last)
    }

    pub fn value_pos(&self, path: &[Seg<'_>]) -> Pos {
        self.pos_of(self.value_offset(path))
    }

    /// The key `key` among the scope's mapping keys: where its value starts, and its children.
    fn key_in(&self, scope: Scope, key: &str) -> Option<(usize, Child)> {
        let index = (scope.first..scope.end).find(|&i| {
            let line = self.lines[i];
            line.content == scope.col && key_at(self.body(line, line.content), key).is_some()
        })?;
        let line = self.lines[index];
        let after_colon = key_at(self.body(line, line.content), key)?;
        let value_start = line.start + line.content + after_colon;
        let rest = &self.text[value_start..line.end];
        let inline = rest.trim_start_matches(' ');
        let inline_offset = value_start + (rest.len() - inline.len());
        // The value's own lines: deeper than the key, or dashes at the key's column.
        let end = (index + 1..scope.end)
            .find(|&j| {
                let l = self.lines[j];
                l.indent < scope.col || (l.indent == scope.col && !l.dash)
            })
            .unwrap_or(scope.end);
        if inline.starts_with('[') {
            return Some((inline_offset, Child::Flow));
        }
        let block_indicator = inline.starts_with('|') || inline.starts_with('>');
        if !inline.is_empty() && !inline.starts_with('#') && !block_indicator {
            return Some((inline_offset, Child::Scalar));
        }
        match self.lines.get(index + 1..end).and_then(|l| l.first()) {
            Some(child) if !block_indicator => {
                let col = if child.dash {
                    child.indent
                } else {
                    child.content
                };
                let scope = Scope {
                    first: index + 1,
                    end,
                    col,
                };
                Some((child.start + child.indent, Child::Block(scope)))
            }
            Some(child) => Some((child.start + child.indent, Child::Scalar)),
            None => Some((inline_offset, Child::Scalar)),
        }
    }

    /// The `i`-th block-sequence item in the scope.
    fn item_in(&self, scope: Scope, i: usize) -> Option<(usize, Child)> {
        let items: Vec<usize> = (scope.first..scope.end)
            .filter(|&j| {
                let l = self.lines[j];
                l.dash && l.indent == scope.col
            })
            .collect();
        let index = *items.get(i)?;
        let end = items.get(i + 1).copied().unwrap_or(scope.end);
        let line = self.lines[index];
        let offset = line.start + line.content;
        let body = self.body(line, line.content);
        let child = if body.starts_with('[') {
            Child::Flow
        } else if looks_like_key(body) {
            Child::Block(Scope {
                first: index,
                end,
                col: line.content,
            })
        } else {
            Child::Scalar
        };
        Some((offset, child))
    }

    fn body(&self, line: Line, col: usize) -> &'t str {
        self.text.get(line.start + col..line.end).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy)]
enum Child {
    Block(Scope),
    Flow,
    Scalar,
}

/// If `body` starts with the mapping key `key` (plain or quoted), the byte length up to and
/// including its `:`.
fn key_at(body: &str, key: &str) -> Option<usize> {
    let unquoted = [
        (body.strip_prefix(key), key.len()),
        (
            body.strip_prefix('"')
                .and_then(|b| b.strip_prefix(key))
                .and_then(|b| b.strip_prefix('"')),
            key.len() + 2,
        ),
        (
            body.strip_prefix('\'')
                .and_then(|b| b.strip_prefix(key))
                .and_then(|b| b.strip_prefix('\'')),
            key.len() + 2,
        ),
    ];
    unquoted.into_iter().find_map(|(rest, used)| {
        let rest = rest?;
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let after = rest[spaces..].strip_prefix(':')?;
        (after.is_empty() || after.starts_with(' ')).then_some(used + spaces + 1)
    })
}

/// Whether an item line's content starts a mapping (`key: value`).
fn looks_like_key(body: &str) -> bool {
    let end = body
        .find(": ")
        .or_else(|| body.ends_with(':').then(|| body.len() - 1));
    end.is_some_and(|e| {
        let key = &body[..e];
        !key.is_empty()
            && !key.starts_with(['"', '\'', '[', '{'])
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    })
}

/// Byte offsets where the items of the flow sequence opening at `open` start.
fn flow_items(text: &str, open: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut expecting_item = false;
    let mut i = open;
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(q) = quote {
            if q == b'"' && c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'[' | b'{' => {
                if depth == 1 && expecting_item {
                    items.push(i);
                    expecting_item = false;
                }
                depth += 1;
                if depth == 1 {
                    expecting_item = true;
                }
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b',' if depth == 1 => expecting_item = true,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {
                let opens_quote = (c == b'"' || c == b'\'')
                    && text[..i].trim_end().ends_with(['[', '{', ',', ':']);
                if opens_quote {
                    quote = Some(c);
                }
                if depth == 1 && expecting_item {
                    items.push(i);
                    expecting_item = false;
                }
            }
        }
        i += 1;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
# a comment
id: relay-denied
title: \"Relay\"
summary: >
  - not a step
steps:
  - id: one
    title: First
    command: dig MX {recipient_domain}
  - id: two
    title: Second
    detail: |
      - still detail

escalate:
- the bounce
match:
  text: [\"a\", 'b, c', \"d\\\"\"]
  status:
    - \"5.7.1\"
";

    fn at(path: &[Seg<'_>]) -> (usize, usize) {
        let pos = Locator::new(DOC).value_pos(path);
        (pos.line, pos.column)
    }

    #[test]
    fn finds_keys_items_and_flow_items() {
        use Seg::*;
        assert_eq!(at(&[Key("id")]), (2, 5));
        assert_eq!(at(&[Key("steps")]), (7, 3));
        assert_eq!(at(&[Key("steps"), Index(1)]), (10, 5));
        assert_eq!(at(&[Key("steps"), Index(1), Key("id")]), (10, 9));
        assert_eq!(at(&[Key("steps"), Index(1), Key("title")]), (11, 12));
        assert_eq!(at(&[Key("steps"), Index(0), Key("command")]), (9, 14));
        assert_eq!(at(&[Key("escalate"), Index(0)]), (16, 3));
        assert_eq!(at(&[Key("match"), Key("text"), Index(0)]), (18, 10));
        assert_eq!(at(&[Key("match"), Key("text"), Index(1)]), (18, 15));
        assert_eq!(at(&[Key("match"), Key("text"), Index(2)]), (18, 23));
        assert_eq!(at(&[Key("match"), Key("status"), Index(0)]), (20, 7));
    }

    #[test]
    fn a_missing_node_gives_the_deepest_found() {
        use Seg::*;
        assert_eq!(at(&[Key("steps"), Index(7), Key("id")]), (7, 3));
        assert_eq!(at(&[Key("nope")]), (2, 1));
    }
}
