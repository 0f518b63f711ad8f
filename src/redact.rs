//! Secrets removed before anything leaves the process (ticket file, summary, clipboard):
//! AUTH credentials, password lines, authorization headers and URL passwords in pasted SMTP
//! transcripts and mail-client logs.
//!
//! Everything that is not a secret is kept byte for byte: the bounce is the agent's evidence.
//! The scan is line by line with a small state machine (which AUTH exchange we are in), a
//! constant number of passes over each line, so it runs in linear time on any input.

use base64::Engine as _;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The text with credentials replaced by `[redacted]`, and how many were replaced.
pub fn redact(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut auth = AuthState::None;
    for raw_line in text.split_inclusive('\n') {
        let (line, ending) = split_ending(raw_line);
        let mut spans = Vec::new();
        auth = scan_auth(line, auth, &mut spans);
        find_header_secret(line, &mut spans);
        find_password_values(line, &mut spans);
        find_url_passwords(line, &mut spans);
        count += emit(line, spans, &mut out);
        out.push_str(ending);
    }
    (out, count)
}

/// [`redact`] for a caller that owns the text: when there is nothing to redact (most
/// pastes) the text itself comes back, so a 5 MB paste is not copied for nothing.
pub fn redact_owned(text: String) -> (String, usize) {
    let mut auth = AuthState::None;
    let has_secret = text.split_inclusive('\n').any(|raw_line| {
        let (line, _) = split_ending(raw_line);
        let mut spans = Vec::new();
        auth = scan_auth(line, auth, &mut spans);
        find_header_secret(line, &mut spans);
        find_password_values(line, &mut spans);
        find_url_passwords(line, &mut spans);
        spans.iter().any(|(start, end)| start < end)
    });
    if has_secret { redact(&text) } else { (text, 0) }
}

/// Where we are in an SASL exchange: how many more client lines are credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthState {
    None,
    /// After `AUTH <mechanism>`: this many base64 client lines still to come.
    Expecting(u8),
}

/// A byte range of the line to replace with [`REDACTED`].
type Span = (usize, usize);

fn split_ending(raw: &str) -> (&str, &str) {
    let body = raw.strip_suffix('\n').unwrap_or(raw);
    let body = body.strip_suffix('\r').unwrap_or(body);
    (body, &raw[body.len()..])
}

/// Write `line` with `spans` replaced; returns how many spans were replaced. Overlapping
/// spans (two rules matching the same secret) count once.
fn emit(line: &str, mut spans: Vec<Span>, out: &mut String) -> usize {
    spans.sort_unstable();
    let mut pos = 0;
    let mut count = 0;
    for (start, end) in spans {
        if start < pos || start >= end {
            continue;
        }
        out.push_str(&line[pos..start]);
        out.push_str(REDACTED);
        pos = end;
        count += 1;
    }
    out.push_str(&line[pos..]);
    count
}

/// Transcript markers that precede what a client or server said: swaks (`->`, `<-`, `~>`,
/// `<~`), Sendmail (`>>>`, `<<<`), `C:`/`S:` in RFCs and tickets, PHPMailer's
/// `CLIENT -> SERVER:` (after a timestamp). Returns the offset where the payload starts.
fn payload_start(line: &str, lower: &str) -> usize {
    for marker in ["client -> server:", "server -> client:"] {
        if let Some(i) = lower.find(marker) {
            return skip_spaces(line, i + marker.len());
        }
    }
    let mut i = skip_spaces(line, 0);
    for marker in [">>>", "<<<", "->", "<-", "~>", "<~", "c:", "s:", ">", "<"] {
        if lower[i..].starts_with(marker) {
            i = skip_spaces(line, i + marker.len());
            break;
        }
    }
    i
}

fn skip_spaces(line: &str, mut i: usize) -> usize {
    let bytes = line.as_bytes();
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    i
}

/// The end of the token starting at `i` (first space, tab or end of line).
fn token_end(line: &str, i: usize) -> usize {
    line[i..]
        .find([' ', '\t'])
        .map_or(line.len(), |off| i + off)
}

/// A standard base64 string as SASL clients send it (padded, length a multiple of 4). Plain
/// words rarely pass this, which keeps prose after an "AUTH LOGIN" mention intact.
fn is_base64_token(token: &str) -> bool {
    token.len() >= 4
        && token.len().is_multiple_of(4)
        && base64::engine::general_purpose::STANDARD
            .decode(token)
            .is_ok()
}

/// SMTP commands that end an AUTH exchange when seen on a client line.
const COMMANDS: [&str; 10] = [
    "mail", "rcpt", "data", "ehlo", "helo", "quit", "rset", "noop", "starttls", "auth",
];

/// One line through the AUTH state machine; credentials found are pushed to `spans`.
fn scan_auth(line: &str, state: AuthState, spans: &mut Vec<Span>) -> AuthState {
    let lower = line.to_ascii_lowercase();
    let start = payload_start(line, &lower);
    let payload = &lower[start..];
    if payload.trim().is_empty() {
        return state;
    }
    if payload.starts_with("auth ") || payload.starts_with("auth\t") {
        return start_auth(line, start + 4, spans);
    }
    if let Some(code) = reply_code(payload) {
        // 334 is the server asking for the next credential; any other reply ends the exchange.
        return if code == 334 { state } else { AuthState::None };
    }
    let AuthState::Expecting(left) = state else {
        return state;
    };
    let first_word = payload.split([' ', '\t', ':']).next().unwrap_or("");
    if COMMANDS.contains(&first_word) || payload.starts_with('*') {
        return AuthState::None;
    }
    let end = token_end(line, start);
    let token = &line[start..end];
    if line[end..].trim().is_empty() && is_base64_token(token) {
        spans.push((start, end));
        return if left > 1 {
            AuthState::Expecting(left - 1)
        } else {
            AuthState::None
        };
    }
    state
}

/// A three-digit reply code at the start of the payload (`334 `, `235-`, `535`).
fn reply_code(payload: &str) -> Option<u16> {
    let bytes = payload.as_bytes();
    if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    match bytes.get(3) {
        None | Some(b' ' | b'-' | b'\t') => payload[..3].parse().ok(),
        _ => None,
    }
}

/// `AUTH <mechanism> [initial-response]`: redact the initial response and say how many
/// client lines still carry credentials.
fn start_auth(line: &str, after_auth: usize, spans: &mut Vec<Span>) -> AuthState {
    let mech_start = skip_spaces(line, after_auth);
    let mech_end = token_end(line, mech_start);
    let mechanism = line[mech_start..mech_end].to_ascii_uppercase();
    // Client lines with credentials for each mechanism, counting the initial response.
    let lines: u8 = match mechanism.as_str() {
        "LOGIN" => 2,
        "PLAIN" | "CRAM-MD5" | "XOAUTH2" | "OAUTHBEARER" | "NTLM" | "GSSAPI" => 1,
        "DIGEST-MD5" | "SCRAM-SHA-1" | "SCRAM-SHA-256" => 2,
        _ => return AuthState::None,
    };
    let resp_start = skip_spaces(line, mech_end);
    let resp_end = token_end(line, resp_start);
    let response = &line[resp_start..resp_end];
    // "=" is the RFC 4954 empty initial response: nothing secret in it.
    if response.is_empty() || response == "=" {
        return AuthState::Expecting(lines);
    }
    spans.push((resp_start, resp_end));
    if lines > 1 {
        AuthState::Expecting(lines - 1)
    } else {
        AuthState::None
    }
}

/// Headers whose whole value is a credential.
const SECRET_HEADERS: [&str; 6] = [
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "x-mailgun-api-key",
];

/// Authentication schemes kept visible in front of the redacted credential.
const AUTH_SCHEMES: [&str; 5] = ["basic", "bearer", "digest", "negotiate", "ntlm"];

/// `Authorization: Basic dXNlcjpwYXNz` → `Authorization: Basic [redacted]`.
fn find_header_secret(line: &str, spans: &mut Vec<Span>) {
    let lower = line.to_ascii_lowercase();
    let start = payload_start(line, &lower);
    let rest = &lower[start..];
    for name in SECRET_HEADERS {
        let Some(after) = rest.strip_prefix(name) else {
            continue;
        };
        let colon_at = start + name.len() + (after.len() - after.trim_start().len());
        if !lower[colon_at..].starts_with(':') {
            continue;
        }
        let mut value_start = skip_spaces(line, colon_at + 1);
        let first_end = token_end(line, value_start);
        let first = &lower[value_start..first_end];
        if AUTH_SCHEMES.contains(&first) && first_end < line.len() {
            value_start = skip_spaces(line, first_end);
        }
        let value_end = line.trim_end().len();
        if value_start < value_end {
            spans.push((value_start, value_end));
        }
        return;
    }
}

/// Words that introduce a secret value (`Password: x`, `pass=x`, `$mail->Password = 'x'`,
/// `define('SMTP_PASS', 'x')`, `MAIL_PASSWORD=x`, `"password": "x"`, `api_key: x`), longest
/// first so `password` wins over `pass`.
const SECRET_WORDS: [&str; 10] = [
    "password",
    "passwd",
    "api_key",
    "api-key",
    "apikey",
    "secret",
    "token",
    "pass",
    "pwd",
    "passphrase",
];

/// What may stand right before a secret word: nothing, or a character that is not part of a
/// word (`smtp_pass`, `MAIL_PASSWORD`, `$mail->Password`, `"password"` all count; `bypass`
/// and `compass` do not).
fn secret_word_boundary(bytes: &[u8], at: usize) -> bool {
    at == 0 || !bytes[at - 1].is_ascii_alphanumeric()
}

/// `password: hunter2`: the value after the colon, to the end of the line; `pass=x&...`: the
/// value up to the next separator (query strings, config lines); a quoted value (PHP, JSON,
/// YAML, .env) up to its closing quote. A value that is a variable (`$pass`, `getenv(...)`)
/// or a literal `true`/`false`/`null` is code, not a secret, and stays.
fn find_password_values(line: &str, spans: &mut Vec<Span>) {
    let lower = line.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(off) = lower[from..].find(['p', 'a', 's', 't']) {
        let at = from + off;
        from = at + 1;
        let Some(word) = SECRET_WORDS.iter().find(|w| lower[at..].starts_with(**w)) else {
            continue;
        };
        if !secret_word_boundary(bytes, at) {
            continue;
        }
        // `passwordless`, `tokens`: the word must end here (an identifier may go on only in
        // upper-case config names, which are caught by their own ending: `SMTP_PASS`).
        let mut i = at + word.len();
        if bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        // `"password": ...`, `'SMTP_PASS', ...`: the key's closing quote.
        let quoted_key = matches!(bytes.get(i), Some(b'"' | b'\''));
        if quoted_key {
            i += 1;
        }
        i = skip_spaces(line, i);
        let sep = bytes.get(i).copied();
        let value_start = match sep {
            Some(b':') if bytes.get(i + 1) == Some(&b'=') => skip_spaces(line, i + 2),
            Some(b':') => skip_spaces(line, i + 1),
            Some(b'=') if bytes.get(i + 1) == Some(&b'>') => skip_spaces(line, i + 2),
            Some(b'=') => i + 1,
            Some(b',') if quoted_key => skip_spaces(line, i + 1),
            _ => continue,
        };
        let spaced_equals = sep == Some(b'=') && bytes.get(value_start) == Some(&b' ');
        let value_start = if spaced_equals {
            skip_spaces(line, value_start)
        } else {
            value_start
        };
        let Some(&first) = bytes.get(value_start) else {
            continue;
        };
        let (value_start, value_end) = if first == b'"' || first == b'\'' {
            // Up to the matching quote (a backslash escapes one character).
            let mut j = value_start + 1;
            let mut end = None;
            while j < bytes.len() {
                match bytes[j] {
                    b'\\' => j += 2,
                    q if q == first => {
                        end = Some(j);
                        break;
                    }
                    _ => j += 1,
                }
            }
            match end {
                Some(e) => (value_start + 1, e),
                None => (value_start + 1, line.trim_end().len()),
            }
        } else if sep == Some(b':') && !quoted_key {
            (value_start, line.trim_end().len())
        } else {
            let end = line[value_start..]
                .find([' ', '\t', '&', ';', ',', '"', '\'', '>', ')'])
                .map_or(line.len(), |o| value_start + o);
            (value_start, end)
        };
        let value = &line[value_start..value_end.max(value_start)];
        let lower_value = value.to_ascii_lowercase();
        let is_code = value.starts_with('$')
            || lower_value.starts_with("getenv(")
            || lower_value.starts_with("env(")
            || matches!(lower_value.as_str(), "true" | "false" | "null" | "none");
        if !value.is_empty() && value != REDACTED && !is_code {
            spans.push((value_start, value_end));
            from = value_end.max(from);
        }
    }
}

/// `smtp://user:secret@host` → `smtp://user:[redacted]@host`: the login stays (it is
/// evidence), the password goes.
fn find_url_passwords(line: &str, spans: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(off) = line[from..].find("://") {
        let userinfo_start = from + off + 3;
        let end = line[userinfo_start..]
            .find(['/', '?', '#', ' ', '\t', '<', '>', '"', '\'', '@'])
            .map_or(line.len(), |o| userinfo_start + o);
        from = end.max(userinfo_start);
        if !line[end..].starts_with('@') {
            continue;
        }
        let userinfo = &line[userinfo_start..end];
        if let Some(colon) = userinfo.find(':') {
            let pass_start = userinfo_start + colon + 1;
            if pass_start < end && &line[pass_start..end] != REDACTED {
                spans.push((pass_start, end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_owned_agrees_with_redact_and_keeps_clean_text_as_it_is() {
        for text in [
            "",
            "553 5.7.1 relay denied\n",
            "AUTH LOGIN\ndXNlcg==\ncGFzcw==\n250 ok\n",
            "Authorization: Basic dXNlcjpwYXNz\n",
            "smtp://user:secret@mail.example.com\n",
            "password: hunter2\r\nnext line",
        ] {
            let (owned, n) = redact_owned(text.to_string());
            assert_eq!((owned, n), redact(text), "{text:?}");
        }
        let clean = "553 5.7.1 relay denied\n".repeat(1000);
        let ptr = clean.as_ptr();
        let (back, n) = redact_owned(clean);
        assert_eq!(n, 0);
        assert_eq!(
            back.as_ptr(),
            ptr,
            "the clean text itself comes back, not a copy"
        );
    }

    fn r(text: &str) -> (String, usize) {
        redact(text)
    }

    #[test]
    fn auth_login_with_server_prompts() {
        let input = "EHLO me\r\n250-AUTH LOGIN PLAIN\r\nAUTH LOGIN\r\n334 VXNlcm5hbWU6\r\ndXNlckBleGFtcGxlLmNvbQ==\r\n334 UGFzc3dvcmQ6\r\nczNjcjN0UGFzcw==\r\n235 2.7.0 Authentication successful\r\nMAIL FROM:<user@example.com>\r\n";
        let (out, n) = r(input);
        assert_eq!(n, 2);
        assert_eq!(
            out,
            "EHLO me\r\n250-AUTH LOGIN PLAIN\r\nAUTH LOGIN\r\n334 VXNlcm5hbWU6\r\n[redacted]\r\n334 UGFzc3dvcmQ6\r\n[redacted]\r\n235 2.7.0 Authentication successful\r\nMAIL FROM:<user@example.com>\r\n"
        );
    }

    #[test]
    fn auth_login_without_prompts_and_one_liner() {
        let (out, n) = r("auth login\ndXNlcg==\ncGFzc3dvcmQ=\nQUIT\n");
        assert_eq!(
            (out.as_str(), n),
            ("auth login\n[redacted]\n[redacted]\nQUIT\n", 2)
        );
        let (out, n) = r("AUTH LOGIN dXNlcg==\n334 UGFzc3dvcmQ6\ncGFzc3dvcmQ=\n235 ok\n");
        assert_eq!(
            (out.as_str(), n),
            (
                "AUTH LOGIN [redacted]\n334 UGFzc3dvcmQ6\n[redacted]\n235 ok\n",
                2
            )
        );
    }

    #[test]
    fn auth_plain_inline_and_on_next_line() {
        let (out, n) = r("AUTH PLAIN AHVzZXIAcGFzcw==\n235 ok\n");
        assert_eq!((out.as_str(), n), ("AUTH PLAIN [redacted]\n235 ok\n", 1));
        let (out, n) = r("AUTH PLAIN\n334 \nAHVzZXIAcGFzcw==\n235 ok\n");
        assert_eq!(
            (out.as_str(), n),
            ("AUTH PLAIN\n334 \n[redacted]\n235 ok\n", 1)
        );
    }

    #[test]
    fn cram_md5_response_but_not_the_challenge() {
        let input = "AUTH CRAM-MD5\n334 PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVkdT4=\ndGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\n235 ok\n";
        let (out, n) = r(input);
        assert_eq!(n, 1);
        assert!(out.contains("334 PDQxOTI5"));
        assert!(!out.contains("dGltIGI5"));
    }

    #[test]
    fn transcript_markers_swaks_sendmail_phpmailer() {
        let swaks = " -> AUTH LOGIN\n<-  334 VXNlcm5hbWU6\n -> dXNlcg==\n<-  334 UGFzc3dvcmQ6\n -> cGFzcw==\n<-  235 ok\n";
        let (out, n) = r(swaks);
        assert_eq!(n, 2);
        assert_eq!(
            out,
            " -> AUTH LOGIN\n<-  334 VXNlcm5hbWU6\n -> [redacted]\n<-  334 UGFzc3dvcmQ6\n -> [redacted]\n<-  235 ok\n"
        );
        let php = "2024-06-03 10:00:00\tCLIENT -> SERVER: AUTH LOGIN\n2024-06-03 10:00:00\tSERVER -> CLIENT: 334 VXNlcm5hbWU6\n2024-06-03 10:00:00\tCLIENT -> SERVER: dXNlcg==\n2024-06-03 10:00:00\tSERVER -> CLIENT: 334 UGFzc3dvcmQ6\n2024-06-03 10:00:00\tCLIENT -> SERVER: cGFzcw==\n";
        let (out, n) = r(php);
        assert_eq!(n, 2);
        assert!(out.contains("\tCLIENT -> SERVER: [redacted]\n"));
        assert!(!out.contains("dXNlcg==") && !out.contains("cGFzcw=="));
        let (out, n) = r(">>> AUTH PLAIN AHVzZXIAcGFzcw==\n<<< 235 ok\n");
        assert_eq!(
            (out.as_str(), n),
            (">>> AUTH PLAIN [redacted]\n<<< 235 ok\n", 1)
        );
    }

    #[test]
    fn password_lines_headers_and_urls() {
        let (out, n) = r("Username: bob\nPassword: hunter2 two\npass=abc&user=bob\n");
        assert_eq!(
            (out.as_str(), n),
            (
                "Username: bob\nPassword: [redacted]\npass=[redacted]&user=bob\n",
                2
            )
        );
        let (out, n) = r("Authorization: Basic dXNlcjpwYXNz\nX-Api-Key: k-123\n");
        assert_eq!(
            (out.as_str(), n),
            (
                "Authorization: Basic [redacted]\nX-Api-Key: [redacted]\n",
                2
            )
        );
        let (out, n) = r("relay smtp://bob:s3cret@mail.example.com:587 failed\n");
        assert_eq!(
            (out.as_str(), n),
            (
                "relay smtp://bob:[redacted]@mail.example.com:587 failed\n",
                1
            )
        );
    }

    #[test]
    fn secrets_in_code_and_configuration() {
        for (input, expected) in [
            (
                "$mail->Password = 'S3cr3t!';",
                "$mail->Password = '[redacted]';",
            ),
            (
                "$mail->Password   = \"S3cr3t!\";",
                "$mail->Password   = \"[redacted]\";",
            ),
            (
                "define('SMTP_PASS', 'hunter2');",
                "define('SMTP_PASS', '[redacted]');",
            ),
            (
                "define( \"DB_PASSWORD\", \"x y\" );",
                "define( \"DB_PASSWORD\", \"[redacted]\" );",
            ),
            ("smtp_pass=hunter2", "smtp_pass=[redacted]"),
            ("MAIL_PASSWORD=hunter2", "MAIL_PASSWORD=[redacted]"),
            (
                "MAIL_PASSWORD=\"with space\"",
                "MAIL_PASSWORD=\"[redacted]\"",
            ),
            (
                "  \"password\": \"hunter2\",",
                "  \"password\": \"[redacted]\",",
            ),
            ("password: hunter2", "password: [redacted]"),
            (
                "  smtp_password: 'hunter2'",
                "  smtp_password: '[redacted]'",
            ),
            ("'pwd' => 'hunter2',", "'pwd' => '[redacted]',"),
            ("client_secret=abc123", "client_secret=[redacted]"),
            (
                "\"access_token\": \"ya29.abc\"",
                "\"access_token\": \"[redacted]\"",
            ),
            ("API_KEY=sk-123", "API_KEY=[redacted]"),
            ("api-key: sk-123", "api-key: [redacted]"),
        ] {
            let (out, n) = r(input);
            assert_eq!((out.as_str(), n), (expected, 1), "{input}");
        }
    }

    #[test]
    fn code_that_names_a_password_without_one_is_kept() {
        for input in [
            "$mail->Password = $pass;",
            "$mail->SMTPAuth = true;",
            "password_hash($x)",
            "passwordless login",
            "tokens: 5",
            "spf=pass smtp.mailfrom=a@b.example",
            "dkim=pass header.d=b.example",
            "SPF: pass (sender IP is 192.0.2.1)",
            "'password' => getenv('SMTP_PASS'),",
        ] {
            assert_eq!(r(input), (input.to_string(), 0), "{input}");
        }
    }

    #[test]
    fn evidence_is_kept_byte_for_byte() {
        let bounce = "Reporting-MTA: dns; mx.example.com\r\n\r\n553 5.7.1 <bob@example.net>: Relay access denied\r\nbypass: compass=north\r\nThe server said AUTH is required; see https://example.com/help\n\tfolded line\nno newline at end";
        assert_eq!(r(bounce), (bounce.to_string(), 0));
    }

    #[test]
    fn prose_after_an_auth_mention_is_not_a_credential() {
        let text = "Please enable AUTH LOGIN in your client.\nThanks\nSupport\n";
        assert_eq!(r(text), (text.to_string(), 0));
        let text = "AUTH LOGIN\nThanks\n";
        assert_eq!(r(text), (text.to_string(), 0));
    }

    #[test]
    fn redaction_is_idempotent() {
        let input = "AUTH LOGIN\ndXNlcg==\ncGFzcw==\nPassword: x\nsmtp://a:b@c\n";
        let (once, n) = r(input);
        assert_eq!(n, 4);
        assert_eq!(r(&once), (once.clone(), 0));
    }

    /// Inputs that would take minutes if any rule were quadratic; each is 1 MB or more.
    #[test]
    fn pathological_inputs_finish_quickly() {
        let started = std::time::Instant::now();
        let inputs = [
            "a://".repeat(250_000),
            "pass=".repeat(200_000),
            "password".repeat(125_000),
            "p".repeat(1_000_000),
            "AUTH LOGIN\n".repeat(100_000),
            format!("AUTH LOGIN\n{}\n", "QUFB".repeat(250_000)),
            format!("smtp://{}", "a:".repeat(500_000)),
            "CLIENT -> SERVER: ".repeat(60_000),
        ];
        for input in &inputs {
            let (out, _) = redact(input);
            assert!(out.len() <= input.len() + 16);
        }
        // Generous even for a debug build on a loaded machine; quadratic would take hours.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "\n",
            "\r",
            "AUTH",
            "AUTH ",
            "auth login",
            "password",
            "pass:",
            "://",
            "a://@",
            "p",
            "é://ü:ö@",
            "334",
            "Authorization:",
            "Authorization: Basic",
        ] {
            let _ = r(s);
        }
    }
}
