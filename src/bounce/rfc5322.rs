//! The one mail-parser configuration: the bounce itself (the message reader), its attached
//! original and an inline original's header block (the report) all go through it.

use std::sync::LazyLock;

use mail_parser::{HeaderName, MessageParser};

/// Only the headers read through typed accessors are parsed (the MIME ones mail-parser needs
/// for the part tree, From, To, Subject, Message-ID); every other field is skipped, not
/// copied, and read on demand through `header_raw`, which slices the raw message: Received
/// fields, the bulk of a bounce's header blocks, cost nothing.
pub(super) static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .with_mime_headers()
        .header_address(HeaderName::From)
        .header_address(HeaderName::To)
        .header_text(HeaderName::Subject)
        .header_id(HeaderName::MessageId)
        .default_header_ignore()
});

/// The name of the header field `line` opens (`Received: ...` gives `Received`): letters,
/// digits, `-` and `_`, then the colon. `None` when the line opens no field.
pub(super) fn field_name(line: &str) -> Option<&str> {
    let (name, _) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(name)
}
