//! SMTP conversations, bounded: a reply line longer than RFC 5321's 512 octets, a reply of
//! more than `reply_lines` lines (an endless `220-` greeting) or a reply that does not finish
//! within its deadline ends the conversation with an error naming the limit. We greet, ask
//! for capabilities, try STARTTLS and quit: never MAIL, never RCPT. The AUTH test runs only
//! when the agent asks, only over TLS with a valid certificate, and its transcript never
//! holds the credentials.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

use super::Limits;
use super::tls::{self, CertVerdict};

/// One SMTP reply: its code and the text of each line (after the code and separator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    pub fn first_line(&self) -> String {
        format!(
            "{} {}",
            self.code,
            self.lines.first().map_or("", String::as_str)
        )
    }

    /// EHLO keywords (upper-cased first word of each line after the greeting line).
    pub fn keywords(&self) -> Vec<(String, String)> {
        self.lines
            .iter()
            .skip(1)
            .map(|l| {
                let mut parts = l.splitn(2, [' ', '=']);
                let kw = parts.next().unwrap_or("").to_ascii_uppercase();
                let rest = parts.next().unwrap_or("").trim().to_string();
                (kw, rest)
            })
            .collect()
    }

    pub fn has(&self, keyword: &str) -> bool {
        self.keywords().iter().any(|(k, _)| k == keyword)
    }

    /// AUTH mechanisms offered (`AUTH PLAIN LOGIN`, and the old `AUTH=LOGIN` form).
    pub fn auth_mechanisms(&self) -> Vec<String> {
        let mut mechs: Vec<String> = Vec::new();
        for (k, rest) in self.keywords() {
            if k == "AUTH" {
                for m in rest.split_whitespace() {
                    let m = m.to_ascii_uppercase();
                    if !mechs.contains(&m) {
                        mechs.push(m);
                    }
                }
            }
        }
        mechs
    }
}

/// Why a conversation stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpError {
    /// A size or count limit was hit; the text names it.
    Limit(String),
    /// A deadline passed; the text names it.
    Timeout(String),
    /// The server closed the connection.
    Closed(String),
    /// Not an SMTP reply.
    Protocol(String),
    /// Connecting or a socket error.
    Io(String),
}

impl SmtpError {
    pub fn text(&self) -> &str {
        match self {
            SmtpError::Limit(t)
            | SmtpError::Timeout(t)
            | SmtpError::Closed(t)
            | SmtpError::Protocol(t)
            | SmtpError::Io(t) => t,
        }
    }
}

const READ_CHUNK: usize = 4096;
/// Transcript lines kept: the transcript is for the agent to read, not a log.
const MAX_TRANSCRIPT: usize = 60;

/// A connection with a bounded line reader and a transcript.
struct Conn<S> {
    stream: S,
    buf: Vec<u8>,
    limits: Limits,
    transcript: Vec<String>,
    dropped: usize,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    fn new(stream: S, limits: &Limits) -> Self {
        Conn {
            stream,
            buf: Vec::with_capacity(READ_CHUNK),
            limits: limits.clone(),
            transcript: Vec::new(),
            dropped: 0,
        }
    }

    fn note(&mut self, line: String) {
        if self.transcript.len() < MAX_TRANSCRIPT {
            self.transcript.push(line);
        } else {
            self.dropped += 1;
        }
    }

    /// One line, at most `line_bytes` long (CRLF included). Unbounded servers end here.
    async fn read_line(&mut self) -> Result<String, SmtpError> {
        loop {
            if let Some(pos) = memchr::memchr(b'\n', &self.buf) {
                if pos + 1 > self.limits.line_bytes {
                    return Err(line_too_long(self.limits.line_bytes));
                }
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            if self.buf.len() >= self.limits.line_bytes {
                return Err(line_too_long(self.limits.line_bytes));
            }
            let mut chunk = [0u8; READ_CHUNK];
            let n = self
                .stream
                .read(&mut chunk)
                .await
                .map_err(|e| SmtpError::Io(format!("read failed: {e}")))?;
            if n == 0 {
                return Err(SmtpError::Closed(if self.buf.is_empty() {
                    "the server closed the connection".to_string()
                } else {
                    "the server closed the connection in the middle of a line".to_string()
                }));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// One whole reply, within the per-reply deadline and the line-count cap.
    async fn read_reply(&mut self, what: &str) -> Result<Reply, SmtpError> {
        let deadline = self.limits.reply;
        let mut lines = Vec::new();
        let mut code = None;
        let result = tokio::time::timeout(deadline, async {
            loop {
                let line = self.read_line().await?;
                self.note(format!("S: {line}"));
                let (c, last, text) = parse_line(&line)?;
                match code {
                    None => code = Some(c),
                    Some(prev) if prev != c => {
                        return Err(SmtpError::Protocol(format!(
                            "{what}: reply code changed from {prev} to {c} inside one reply"
                        )));
                    }
                    _ => {}
                }
                lines.push(text.to_string());
                if last {
                    return Ok(());
                }
                if lines.len() >= self.limits.reply_lines {
                    return Err(SmtpError::Limit(format!(
                        "{what} cut after {} lines: the server kept sending continuation lines ({c}-) (limit {} lines per reply)",
                        lines.len(),
                        self.limits.reply_lines
                    )));
                }
            }
        })
        .await;
        match result {
            Ok(Ok(())) => Ok(Reply {
                code: code.unwrap_or(0),
                lines,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(SmtpError::Timeout(format!(
                "{what} not complete within {} ms (per-reply deadline); {} line(s) received",
                deadline.as_millis(),
                lines.len()
            ))),
        }
    }

    async fn send(&mut self, line: &str, shown: &str) -> Result<(), SmtpError> {
        self.note(format!("C: {shown}"));
        let data = format!("{line}\r\n");
        tokio::time::timeout(self.limits.reply, self.stream.write_all(data.as_bytes()))
            .await
            .map_err(|_| SmtpError::Timeout("the server does not read what we send".into()))?
            .map_err(|e| SmtpError::Io(format!("write failed: {e}")))?;
        Ok(())
    }

    fn into_parts(self) -> (S, Vec<u8>, Vec<String>, usize) {
        (self.stream, self.buf, self.transcript, self.dropped)
    }
}

fn line_too_long(limit: usize) -> SmtpError {
    SmtpError::Limit(format!(
        "a reply line longer than {limit} bytes (RFC 5321 limit) was cut"
    ))
}

/// `250-text` → (250, false, "text"); `250 text` / `250` → (250, true, ...).
fn parse_line(line: &str) -> Result<(u16, bool, &str), SmtpError> {
    let bytes = line.as_bytes();
    if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
        return Err(SmtpError::Protocol(format!(
            "not an SMTP reply: {:?}",
            crate::checks::clean_line(line, 80)
        )));
    }
    let code = u16::from(bytes[0] - b'0') * 100
        + u16::from(bytes[1] - b'0') * 10
        + u16::from(bytes[2] - b'0');
    match bytes.get(3) {
        None => Ok((code, true, "")),
        Some(b' ') => Ok((code, true, &line[4..])),
        Some(b'-') => Ok((code, false, &line[4..])),
        Some(_) => Err(SmtpError::Protocol(format!(
            "not an SMTP reply: {:?}",
            crate::checks::clean_line(line, 80)
        ))),
    }
}

/// What one conversation found.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub banner: Option<Reply>,
    pub ehlo: Option<Reply>,
    pub starttls_offered: bool,
    /// The certificate verdict when TLS was set up (STARTTLS or implicit).
    pub cert: Option<CertVerdict>,
    /// TLS version and cipher, when TLS was set up.
    pub tls_info: Option<String>,
    /// EHLO after TLS.
    pub ehlo_tls: Option<Reply>,
    /// The AUTH test's final reply, when one ran.
    pub auth: Option<Reply>,
    pub transcript: Vec<String>,
    /// Where and why the conversation stopped early.
    pub error: Option<SmtpError>,
}

/// Credentials for the AUTH test: held only for the test, overwritten when dropped, never
/// printed (`Debug` shows nothing).
pub struct Credentials {
    pub user: String,
    password: Vec<u8>,
}

impl Credentials {
    pub fn new(user: String, password: String) -> Credentials {
        Credentials {
            user,
            password: password.into_bytes(),
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

impl Drop for Credentials {
    fn drop(&mut self) {
        for b in self.password.iter_mut() {
            // A volatile write: the compiler may not drop it as a dead store.
            // SAFETY: `b` is a valid, aligned, exclusive reference into the vector.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// How to talk to one server.
pub struct Dial<'a> {
    pub addr: SocketAddr,
    /// The name the certificate must carry.
    pub host: &'a str,
    pub ehlo_name: &'a str,
    pub implicit_tls: bool,
    pub limits: &'a Limits,
    pub extra_roots: &'a [Vec<u8>],
    pub auth: Option<&'a Credentials>,
}

/// Connect, greet, EHLO, STARTTLS when offered (or TLS from the start), EHLO again, AUTH
/// when credentials were given, QUIT. Never fails: what went wrong is in `error`.
pub async fn probe(dial: &Dial<'_>) -> Probe {
    let mut probe = Probe::default();
    let tcp = match tokio::time::timeout(dial.limits.connect, TcpStream::connect(dial.addr)).await {
        Err(_) => {
            probe.error = Some(SmtpError::Timeout(format!(
                "no connection to {} within {} ms (connect deadline; outbound SMTP may be blocked from this host)",
                dial.addr,
                dial.limits.connect.as_millis()
            )));
            return probe;
        }
        Ok(Err(e)) => {
            probe.error = Some(SmtpError::Io(format!(
                "cannot connect to {}: {e}",
                dial.addr
            )));
            return probe;
        }
        Ok(Ok(s)) => s,
    };
    let (config, verifier) = match tls::client_config(dial.extra_roots) {
        Ok(c) => c,
        Err(e) => {
            probe.error = Some(SmtpError::Io(e));
            return probe;
        }
    };
    let tls = match ServerName::try_from(dial.host.to_string()) {
        Ok(name) => Tls {
            connector: TlsConnector::from(config),
            name,
            verifier,
        },
        Err(_) => {
            probe.error = Some(SmtpError::Protocol(format!(
                "{:?} is not a host name for TLS",
                dial.host
            )));
            return probe;
        }
    };

    // RFC 5321 §4.1.4: a client without a fully qualified name greets with an address
    // literal; our side of this very connection is the honest one to give.
    let ehlo = format!(
        "EHLO {}",
        ehlo_argument(dial.ehlo_name, tcp.local_addr().ok().map(|a| a.ip()))
    );

    if dial.implicit_tls {
        let Some(mut conn) = tls.handshake(tcp, dial.limits, &mut probe).await else {
            return probe;
        };
        let result = greet_and_ehlo(&mut conn, dial, &mut probe, true, &ehlo).await;
        finish(conn, result, &mut probe).await;
        return probe;
    }

    let mut conn = Conn::new(tcp, dial.limits);
    if let Err(e) = greet_and_ehlo(&mut conn, dial, &mut probe, false, &ehlo).await {
        finish(conn, Err(e), &mut probe).await;
        return probe;
    }
    if !probe.starttls_offered {
        let result = if dial.auth.is_some() {
            Err(SmtpError::Protocol(
                "the server offers no STARTTLS: not sending credentials unencrypted".into(),
            ))
        } else {
            Ok(())
        };
        finish(conn, result, &mut probe).await;
        return probe;
    }
    let starttls = async {
        conn.send("STARTTLS", "STARTTLS").await?;
        conn.read_reply("STARTTLS reply").await
    }
    .await;
    match starttls {
        Ok(r) if r.code == 220 => {}
        Ok(r) => {
            finish(
                conn,
                Err(SmtpError::Protocol(format!(
                    "STARTTLS offered but refused: {}",
                    r.first_line()
                ))),
                &mut probe,
            )
            .await;
            return probe;
        }
        Err(e) => {
            finish(conn, Err(e), &mut probe).await;
            return probe;
        }
    }
    let (tcp, leftover, transcript, dropped) = conn.into_parts();
    probe.transcript = transcript;
    if !leftover.is_empty() {
        // Bytes sent before the handshake would be read as if they came over TLS (the
        // STARTTLS injection flaw); a careful client stops here.
        probe.error = Some(SmtpError::Protocol(
            "the server sent data after its STARTTLS reply, before TLS (command injection risk)"
                .into(),
        ));
        return probe;
    }
    let Some(mut conn) = tls.handshake(tcp, dial.limits, &mut probe).await else {
        return probe;
    };
    conn.transcript = std::mem::take(&mut probe.transcript);
    conn.dropped = dropped;
    conn.note("-- TLS --".to_string());
    let result = async {
        conn.send(&ehlo, &ehlo).await?;
        let ehlo = conn.read_reply("EHLO reply (after TLS)").await?;
        probe.ehlo_tls = Some(ehlo);
        auth(&mut conn, dial, &mut probe).await
    }
    .await;
    finish(conn, result, &mut probe).await;
    probe
}

/// What a TLS handshake with the server needs, ready before the connection is.
struct Tls {
    connector: TlsConnector,
    /// The name the certificate must carry.
    name: ServerName<'static>,
    verifier: Arc<tls::RecordingVerifier>,
}

impl Tls {
    /// The handshake under the reply deadline, the certificate's verdict and the cipher
    /// noted in the probe; on failure the probe says why and None.
    async fn handshake(
        self,
        tcp: TcpStream,
        limits: &Limits,
        probe: &mut Probe,
    ) -> Option<Conn<tokio_rustls::client::TlsStream<TcpStream>>> {
        let connect = self.connector.connect(self.name, tcp);
        let stream = match tokio::time::timeout(limits.reply, connect).await {
            Err(_) => {
                probe.error = Some(SmtpError::Timeout(format!(
                    "TLS handshake not done within {} ms",
                    limits.reply.as_millis()
                )));
                return None;
            }
            Ok(Err(e)) => {
                probe.error = Some(SmtpError::Io(format!("TLS handshake failed: {e}")));
                return None;
            }
            Ok(Ok(s)) => s,
        };
        probe.cert = self.verifier.verdict();
        probe.tls_info = tls_info(stream.get_ref().1);
        Some(Conn::new(stream, limits))
    }
}

/// What follows `EHLO`: the configured name when it is a fully qualified domain name,
/// else the address literal of `local` (RFC 5321 §4.1.3: `[192.0.2.1]`,
/// `[IPv6:2001:db8::1]`). Servers refuse or score down a bare `localhost` or `myhost`.
pub fn ehlo_argument(name: &str, local: Option<std::net::IpAddr>) -> String {
    if is_fqdn(name) {
        return name.to_string();
    }
    match local {
        Some(std::net::IpAddr::V4(ip)) => format!("[{ip}]"),
        Some(std::net::IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => format!("[{v4}]"),
            None => format!("[IPv6:{ip}]"),
        },
        // No address to give either: the literal of the loopback is still well-formed.
        None => "[127.0.0.1]".to_string(),
    }
}

/// A name of two or more letter-digit-hyphen labels whose last label is not all digits,
/// and not one of the names that only mean "this machine".
fn is_fqdn(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let lower = name.to_ascii_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    let local_only = [
        "localhost",
        "localdomain",
        "local",
        "lan",
        "home",
        "internal",
    ];
    labels.len() >= 2
        && name.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels.last().is_some_and(|tld| {
            !tld.bytes().all(|b| b.is_ascii_digit()) && !local_only.contains(tld)
        })
        && labels.first() != Some(&"localhost")
}

fn tls_info(conn: &tokio_rustls::rustls::ClientConnection) -> Option<String> {
    let version = conn.protocol_version()?;
    let suite = conn.negotiated_cipher_suite()?;
    Some(format!("{version:?} {:?}", suite.suite()))
}

/// Banner, then EHLO (falling back to nothing: a server that refuses EHLO is reported).
async fn greet_and_ehlo<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
    dial: &Dial<'_>,
    probe: &mut Probe,
    tls: bool,
    ehlo_command: &str,
) -> Result<(), SmtpError> {
    let banner = conn.read_reply("greeting").await?;
    let code = banner.code;
    probe.banner = Some(banner);
    if code != 220 {
        return Ok(());
    }
    conn.send(ehlo_command, ehlo_command).await?;
    let ehlo = conn.read_reply("EHLO reply").await?;
    probe.starttls_offered = !tls && ehlo.code == 250 && ehlo.has("STARTTLS");
    if tls {
        probe.ehlo_tls = Some(ehlo);
        auth(conn, dial, probe).await?;
    } else {
        probe.ehlo = Some(ehlo);
    }
    Ok(())
}

/// The AUTH test, only with credentials, only over TLS with a valid certificate.
async fn auth<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
    dial: &Dial<'_>,
    probe: &mut Probe,
) -> Result<(), SmtpError> {
    let Some(creds) = dial.auth else {
        return Ok(());
    };
    if let Some(CertVerdict::Invalid(why)) = &probe.cert {
        return Err(SmtpError::Protocol(format!(
            "not sending credentials: {why}"
        )));
    }
    let mechs = probe
        .ehlo_tls
        .as_ref()
        .map(Reply::auth_mechanisms)
        .unwrap_or_default();
    let b64 = base64::engine::general_purpose::STANDARD;
    if mechs.iter().any(|m| m == "PLAIN") {
        let mut token = Vec::with_capacity(creds.user.len() + creds.password.len() + 2);
        token.push(0);
        token.extend_from_slice(creds.user.as_bytes());
        token.push(0);
        token.extend_from_slice(&creds.password);
        let encoded = b64.encode(&token);
        for b in token.iter_mut() {
            *b = 0;
        }
        conn.send(&format!("AUTH PLAIN {encoded}"), "AUTH PLAIN <redacted>")
            .await?;
    } else if mechs.iter().any(|m| m == "LOGIN") {
        conn.send("AUTH LOGIN", "AUTH LOGIN").await?;
        let r = conn.read_reply("AUTH LOGIN reply").await?;
        if r.code != 334 {
            probe.auth = Some(r);
            return Ok(());
        }
        conn.send(&b64.encode(creds.user.as_bytes()), "<user, redacted>")
            .await?;
        let r = conn.read_reply("AUTH LOGIN reply").await?;
        if r.code != 334 {
            probe.auth = Some(r);
            return Ok(());
        }
        conn.send(&b64.encode(&creds.password), "<password, redacted>")
            .await?;
    } else {
        return Err(SmtpError::Protocol(format!(
            "no AUTH mechanism we can test (offered: {})",
            if mechs.is_empty() {
                "none".to_string()
            } else {
                mechs.join(" ")
            }
        )));
    }
    let r = conn.read_reply("AUTH reply").await?;
    probe.auth = Some(r);
    Ok(())
}

/// Say QUIT politely (without waiting long), keep the transcript and the error.
async fn finish<S: AsyncRead + AsyncWrite + Unpin>(
    mut conn: Conn<S>,
    result: Result<(), SmtpError>,
    probe: &mut Probe,
) {
    if result.is_ok() {
        let quit = async {
            conn.send("QUIT", "QUIT").await?;
            conn.read_reply("QUIT reply").await
        };
        let _ = tokio::time::timeout(Duration::from_millis(500), quit).await;
    }
    let (_, _, transcript, dropped) = conn.into_parts();
    probe.transcript = transcript;
    if dropped > 0 {
        probe
            .transcript
            .push(format!("... {dropped} more transcript lines not kept"));
    }
    if let Err(e) = result {
        probe.error = Some(e);
    }
}

/// A shared handle to credentials for the run (the runner clones the Arc, never the secret).
pub type SharedCredentials = Arc<Credentials>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_lines_parse() {
        assert_eq!(
            parse_line("250-SIZE 100").ok(),
            Some((250, false, "SIZE 100"))
        );
        assert_eq!(parse_line("220 hi").ok(), Some((220, true, "hi")));
        assert_eq!(parse_line("250").ok(), Some((250, true, "")));
        assert!(parse_line("hello").is_err());
        assert!(parse_line("25").is_err());
        assert!(parse_line("250xSIZE").is_err());
    }

    #[test]
    fn ehlo_keywords_and_auth_mechanisms() {
        let r = Reply {
            code: 250,
            lines: vec![
                "mx.example hello".into(),
                "PIPELINING".into(),
                "AUTH PLAIN LOGIN".into(),
                "AUTH=LOGIN".into(),
                "starttls".into(),
            ],
        };
        assert!(r.has("STARTTLS"));
        assert!(r.has("PIPELINING"));
        assert!(!r.has("SIZE"));
        assert_eq!(r.auth_mechanisms(), ["PLAIN", "LOGIN"]);
    }

    #[test]
    fn ehlo_gives_an_address_literal_without_a_fqdn() {
        let v4 = Some("192.0.2.7".parse().unwrap());
        let v6 = Some("2001:db8::1".parse().unwrap());
        assert_eq!(ehlo_argument("mail.host.example", v4), "mail.host.example");
        assert_eq!(
            ehlo_argument("mail.host.example.", v4),
            "mail.host.example."
        );
        assert_eq!(ehlo_argument("myhost", v4), "[192.0.2.7]");
        assert_eq!(ehlo_argument("localhost", v6), "[IPv6:2001:db8::1]");
        assert_eq!(ehlo_argument("box.localdomain", v4), "[192.0.2.7]");
        assert_eq!(ehlo_argument("localhost.example", v4), "[192.0.2.7]");
        assert_eq!(ehlo_argument("10.0.0.1", v4), "[192.0.2.7]");
        assert_eq!(ehlo_argument("bad_name.example", v4), "[192.0.2.7]");
        assert_eq!(ehlo_argument("", None), "[127.0.0.1]");
        let mapped = Some("::ffff:127.0.0.1".parse().unwrap());
        assert_eq!(ehlo_argument("host", mapped), "[127.0.0.1]");
    }

    #[test]
    fn credentials_never_print() {
        let c = Credentials::new("u".into(), "hunter2".into());
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
