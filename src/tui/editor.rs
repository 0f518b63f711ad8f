//! A small single-buffer text editor for notes and input mode: insert at the cursor,
//! delete back, move by character. The cursor is a byte index that always sits on a char
//! boundary.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextEditor {
    text: String,
    cursor: usize,
}

impl TextEditor {
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let cursor = text.len();
        TextEditor { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// The text before the cursor (to place the terminal cursor).
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    pub fn insert_str(&mut self, s: &str) {
        self.text.insert_str(self.cursor, s);
        self.cursor += s.len();
    }

    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    pub fn delete_back(&mut self) {
        if let Some(c) = self.before_cursor().chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        if let Some(c) = self.before_cursor().chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    pub fn right(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn home(&mut self) {
        self.cursor = self.before_cursor().rfind('\n').map_or(0, |i| i + 1);
    }

    pub fn end(&mut self) {
        self.cursor += self.text[self.cursor..]
            .find('\n')
            .unwrap_or(self.text.len() - self.cursor);
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::TextEditor;

    #[test]
    fn edits_at_the_cursor_across_multibyte_chars() {
        let mut e = TextEditor::new("né");
        e.left();
        e.insert('x');
        assert_eq!(e.text(), "nxé");
        e.end();
        e.delete_back();
        e.delete_back();
        assert_eq!(e.text(), "n");
        e.home();
        e.delete_back();
        assert_eq!(e.text(), "n");
        e.right();
        e.right();
        e.insert_str("ab\ncd");
        e.home();
        assert_eq!(e.before_cursor(), "nab\n");
    }
}
