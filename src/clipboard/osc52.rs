//! OSC 52: ask the terminal itself to set the clipboard. Works over SSH and without a display,
//! as long as the terminal (and tmux, when present) allows it.

use std::io::{self, Write};

use base64::Engine as _;

/// Terminals cap OSC 52 payloads (xterm's default is about 100 kB, some far less); above
/// this many base64 bytes the copy is refused so the agent is told, not silently truncated.
pub const MAX_ENCODED_BYTES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Osc52Error {
    #[error(
        "too large for OSC 52 ({encoded} bytes encoded, limit {limit}): use the saved file instead"
    )]
    TooLarge { encoded: usize, limit: usize },
    #[error("cannot write to the terminal: {0}")]
    Write(String),
}

/// The bytes to write: `ESC ] 52 ; c ; <base64> BEL`. Inside tmux the plain sequence comes
/// first (tmux with `set-clipboard on` stores it in a buffer and forwards it to the outer
/// terminal), then the same sequence wrapped in tmux's DCS passthrough
/// (`ESC P tmux; <sequence with every ESC doubled> ESC \`), which reaches the outer terminal
/// when `set-clipboard` is off but `allow-passthrough` is on. Both carry the same text.
pub fn sequence(text: &str, tmux: bool) -> Result<Vec<u8>, Osc52Error> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    if encoded.len() > MAX_ENCODED_BYTES {
        return Err(Osc52Error::TooLarge {
            encoded: encoded.len(),
            limit: MAX_ENCODED_BYTES,
        });
    }
    let plain = format!("\x1b]52;c;{encoded}\x07");
    if !tmux {
        return Ok(plain.into_bytes());
    }
    let mut out = Vec::with_capacity(plain.len() * 2 + 16);
    out.extend_from_slice(plain.as_bytes());
    out.extend_from_slice(b"\x1bPtmux;");
    for byte in plain.bytes() {
        if byte == 0x1b {
            out.push(0x1b);
        }
        out.push(byte);
    }
    out.extend_from_slice(b"\x1b\\");
    Ok(out)
}

/// Write the OSC 52 sequence for `text` to `terminal` (the controlling terminal in the app,
/// a buffer in tests) and flush it. Returns the number of bytes written.
pub fn send(terminal: &mut dyn Write, text: &str, tmux: bool) -> Result<usize, Osc52Error> {
    let bytes = sequence(text, tmux)?;
    write_all(terminal, &bytes).map_err(|e| Osc52Error::Write(e.to_string()))?;
    Ok(bytes.len())
}

fn write_all(terminal: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    terminal.write_all(bytes)?;
    terminal.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence_is_osc_52_with_base64_and_bel() {
        let mut buf = Vec::new();
        let n = send(&mut buf, "hi there", false).unwrap();
        assert_eq!(buf, b"\x1b]52;c;aGkgdGhlcmU=\x07");
        assert_eq!(n, buf.len());
    }

    #[test]
    fn tmux_gets_the_plain_sequence_then_the_passthrough_wrapped_one() {
        let mut buf = Vec::new();
        send(&mut buf, "hi there", true).unwrap();
        let expected: &[u8] =
            b"\x1b]52;c;aGkgdGhlcmU=\x07\x1bPtmux;\x1b\x1b]52;c;aGkgdGhlcmU=\x07\x1b\\";
        assert_eq!(buf, expected);
    }

    #[test]
    fn an_escape_inside_the_text_is_only_ever_base64() {
        let bytes = sequence("a\x1b]52;c;evil\x07b", true).unwrap();
        // ESCs: one opening the plain sequence, two (doubled) opening the wrapped one, one
        // starting the DCS and one in its terminator. None from the text.
        assert_eq!(bytes.iter().filter(|b| **b == 0x1b).count(), 5);
    }

    #[test]
    fn oversized_text_is_refused_with_a_pointer_to_the_file() {
        let text = "x".repeat(80_000); // 106,668 base64 bytes
        let err = sequence(&text, false).unwrap_err();
        assert!(matches!(
            err,
            Osc52Error::TooLarge {
                encoded: 106_668,
                limit: 100_000
            }
        ));
        assert!(err.to_string().contains("use the saved file instead"));
        assert!(sequence(&"x".repeat(75_000), false).is_ok());
    }

    #[test]
    fn write_errors_are_reported_not_panicked() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("gone"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        assert!(matches!(
            send(&mut Broken, "x", false),
            Err(Osc52Error::Write(_))
        ));
    }
}
