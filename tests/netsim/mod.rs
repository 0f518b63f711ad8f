//! Loopback-only network for the live-check tests (`mod netsim;`): an in-process DNS server
//! (hickory-server) with test zones, and SMTP servers, friendly and hostile, on 127.0.0.1.
//! Every address a zone hands out is 127.0.0.1, so no check ever leaves the machine.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_server::net::runtime::Time;
use hickory_server::proto::op::{Header, MessageType, Metadata, OpCode, ResponseCode};
use hickory_server::proto::rr::rdata::{A, MX, PTR, TXT};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::MessageResponseBuilder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

pub const LOOPBACK: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

/// What the DNS server does for one (name, type).
#[derive(Clone)]
pub enum Answer {
    Records(Vec<RData>),
    NxDomain,
    ServFail,
    /// Answer after a delay (longer than the checks' deadline in tests).
    Slow(Duration, Vec<RData>),
}

#[derive(Default, Clone)]
pub struct Zones {
    map: HashMap<(String, RecordType), Answer>,
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl Zones {
    pub fn set(&mut self, name: &str, rtype: RecordType, answer: Answer) -> &mut Self {
        self.map.insert((key(name), rtype), answer);
        self
    }
    pub fn a(&mut self, name: &str) -> &mut Self {
        self.set(
            name,
            RecordType::A,
            Answer::Records(vec![RData::A(A(LOOPBACK))]),
        )
    }
    pub fn a_to(&mut self, name: &str, ip: Ipv4Addr) -> &mut Self {
        self.set(name, RecordType::A, Answer::Records(vec![RData::A(A(ip))]))
    }
    pub fn mx(&mut self, name: &str, pref: u16, host: &str) -> &mut Self {
        let exchange = Name::from_ascii(format!("{host}.")).unwrap_or_else(|_| Name::root());
        self.set(
            name,
            RecordType::MX,
            Answer::Records(vec![RData::MX(MX::new(pref, exchange))]),
        )
    }
    pub fn null_mx(&mut self, name: &str) -> &mut Self {
        self.set(
            name,
            RecordType::MX,
            Answer::Records(vec![RData::MX(MX::new(0, Name::root()))]),
        )
    }
    pub fn txt(&mut self, name: &str, parts: &[&str]) -> &mut Self {
        let rd = RData::TXT(TXT::new(parts.iter().map(|s| s.to_string()).collect()));
        let k = (key(name), RecordType::TXT);
        match self.map.get_mut(&k) {
            Some(Answer::Records(v)) => v.push(rd),
            _ => {
                self.map.insert(k, Answer::Records(vec![rd]));
            }
        }
        self
    }
    pub fn ptr(&mut self, name: &str, target: &str) -> &mut Self {
        let t = Name::from_ascii(format!("{target}.")).unwrap_or_else(|_| Name::root());
        self.set(
            name,
            RecordType::PTR,
            Answer::Records(vec![RData::PTR(PTR(t))]),
        )
    }

    fn exists(&self, name: &str) -> bool {
        self.map
            .keys()
            .any(|(n, _)| n == name || n.ends_with(&format!(".{name}")))
    }
}

struct Handler {
    zones: Arc<Zones>,
}

#[async_trait::async_trait]
impl RequestHandler for Handler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let fallback = {
            let mut m = Metadata::new(request.metadata.id, MessageType::Response, OpCode::Query);
            m.response_code = ResponseCode::ServFail;
            ResponseInfo::from(Header {
                metadata: m,
                counts: Default::default(),
            })
        };
        let Ok(info) = request.request_info() else {
            return fallback;
        };
        let qname = key(&info.query.name().to_string());
        let qtype = info.query.query_type();
        let answer = self.zones.map.get(&(qname.clone(), qtype)).cloned();
        let mut metadata = Metadata::response_from_request(&request.metadata);
        metadata.authoritative = true;
        metadata.recursion_available = true;
        let builder = MessageResponseBuilder::from_message_request(request);
        let name = Name::from_ascii(format!("{qname}.")).unwrap_or_else(|_| Name::root());
        let records: Vec<Record> = match &answer {
            Some(Answer::Records(rds)) | Some(Answer::Slow(_, rds)) => rds
                .iter()
                .map(|rd| Record::from_rdata(name.clone(), 60, rd.clone()))
                .collect(),
            _ => Vec::new(),
        };
        match &answer {
            Some(Answer::NxDomain) => metadata.response_code = ResponseCode::NXDomain,
            Some(Answer::ServFail) => metadata.response_code = ResponseCode::ServFail,
            Some(Answer::Slow(d, _)) => tokio::time::sleep(*d).await,
            Some(Answer::Records(_)) => {}
            None => {
                if !self.zones.exists(&qname) {
                    metadata.response_code = ResponseCode::NXDomain;
                }
            }
        }
        let response = builder.build(
            metadata,
            records.iter(),
            None.iter(),
            None.iter(),
            None.iter(),
        );
        match response_handle.send_response(response).await {
            Ok(info) => info,
            Err(_) => fallback,
        }
    }
}

/// A DNS server on 127.0.0.1 (UDP and TCP on one port), running until the test ends.
pub struct DnsServer {
    pub addr: SocketAddr,
}

/// A tokio runtime of the test's own, on its threads, for the servers.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    use std::sync::OnceLock;
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime")
    })
}

pub fn start_dns(zones: Zones) -> DnsServer {
    let rt = runtime();
    let zones = Arc::new(zones);
    let addr = rt.block_on(async {
        for _ in 0..20 {
            let udp = UdpSocket::bind((LOOPBACK, 0)).await.expect("bind udp");
            let addr = udp.local_addr().expect("udp addr");
            let Ok(tcp) = TcpListener::bind(addr).await else {
                continue;
            };
            let mut server = hickory_server::Server::new(Handler {
                zones: zones.clone(),
            });
            server.register_socket(udp);
            server.register_listener(tcp, Duration::from_secs(5), 64 * 1024);
            tokio::spawn(async move {
                let _ = server.block_until_done().await;
            });
            return addr;
        }
        panic!("no free port pair for the test DNS server");
    });
    DnsServer { addr }
}

/// How a test SMTP server behaves.
#[derive(Clone)]
pub enum Smtp {
    /// 220, EHLO with STARTTLS (and AUTH after TLS), TLS with `cert`, AUTH accepts
    /// `agent`/`right`.
    Friendly { cert: Arc<TestCert> },
    /// `554` at connect.
    RefuseAtConnect,
    /// An OSC 52 in the banner, then `220-` continuation lines every 20 ms, forever.
    Osc52Trickle,
    /// Accepts the connection and never says anything.
    Silent,
    /// 10 MB of `220-` lines.
    TenMegabytes,
    /// 10 MB with no line break at all.
    TenMegabyteLine,
}

/// A certificate and its key for the test servers.
pub struct TestCert {
    pub chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    pub key_der: Vec<u8>,
    /// The CA to trust in tests that want a valid chain.
    pub ca_der: Option<Vec<u8>>,
}

/// A self-signed certificate for `names`.
pub fn self_signed(names: &[&str]) -> Arc<TestCert> {
    let ck =
        rcgen::generate_simple_self_signed(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("rcgen");
    Arc::new(TestCert {
        chain: vec![ck.cert.der().clone()],
        key_der: ck.signing_key.serialize_der(),
        ca_der: None,
    })
}

/// A leaf for `names` signed by a fresh CA (returned for trusting), valid now.
pub fn ca_signed(names: &[&str]) -> Arc<TestCert> {
    ca_signed_with(names, false)
}

/// Like [`ca_signed`]; `expired` makes the leaf one that expired long ago.
pub fn ca_signed_with(names: &[&str], expired: bool) -> Arc<TestCert> {
    let ca_key = rcgen::KeyPair::generate().expect("ca key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "bouncebook test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("ca cert");
    let issuer = rcgen::Issuer::new(ca_params, &ca_key);
    let leaf_key = rcgen::KeyPair::generate().expect("leaf key");
    let mut leaf_params =
        rcgen::CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("leaf params");
    if expired {
        leaf_params.not_before = rcgen::date_time_ymd(2001, 1, 1);
        leaf_params.not_after = rcgen::date_time_ymd(2002, 1, 1);
    }
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).expect("leaf");
    Arc::new(TestCert {
        chain: vec![leaf.der().clone()],
        key_der: leaf_key.serialize_der(),
        ca_der: Some(ca_cert.der().to_vec()),
    })
}

/// A self-signed certificate for `names` that expired long ago.
pub fn expired(names: &[&str]) -> Arc<TestCert> {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("params");
    params.not_before = rcgen::date_time_ymd(2001, 1, 1);
    params.not_after = rcgen::date_time_ymd(2002, 1, 1);
    let cert = params.self_signed(&key).expect("cert");
    Arc::new(TestCert {
        chain: vec![cert.der().clone()],
        key_der: key.serialize_der(),
        ca_der: None,
    })
}

fn acceptor(cert: &TestCert) -> TlsAcceptor {
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.key_der.clone()).expect("key der");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(cert.chain.clone(), key)
        .expect("server cert");
    TlsAcceptor::from(Arc::new(config))
}

/// An SMTP server on 127.0.0.1 with one behaviour; returns its port.
pub fn start_smtp(behaviour: Smtp) -> u16 {
    let rt = runtime();
    rt.block_on(async {
        let listener = TcpListener::bind((LOOPBACK, 0)).await.expect("bind smtp");
        let port = listener.local_addr().expect("smtp addr").port();
        tokio::spawn(async move {
            // Bounded: a test server accepts at most this many connections.
            for _ in 0..64 {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let b = behaviour.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(30), serve(sock, b)).await;
                });
            }
        });
        port
    })
}

async fn serve(mut sock: TcpStream, behaviour: Smtp) -> std::io::Result<()> {
    match behaviour {
        Smtp::RefuseAtConnect => {
            sock.write_all(b"554 5.7.1 mx.recipient.test no service for you\r\n")
                .await?;
            Ok(())
        }
        Smtp::Silent => {
            let mut buf = [0u8; 64];
            // Holds the connection until the client gives up.
            while sock.read(&mut buf).await? > 0 {}
            Ok(())
        }
        Smtp::Osc52Trickle => {
            sock.write_all(b"220-\x1b]52;c;aGFja2Vk\x07 evil.test ESMTP \x1b[2J\xe2\x80\xae\r\n")
                .await?;
            for i in 0u64..100_000 {
                sock.write_all(format!("220-still greeting {i}\r\n").as_bytes())
                    .await?;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(())
        }
        Smtp::TenMegabytes => {
            let line = format!("220-{}\r\n", "x".repeat(100));
            let block = line.repeat(1000);
            let mut sent = 0;
            while sent < 10 * 1024 * 1024 {
                sock.write_all(block.as_bytes()).await?;
                sent += block.len();
            }
            Ok(())
        }
        Smtp::TenMegabyteLine => {
            let block = vec![b'A'; 64 * 1024];
            sock.write_all(b"220 ").await?;
            for _ in 0..160 {
                sock.write_all(&block).await?;
            }
            Ok(())
        }
        Smtp::Friendly { cert } => friendly(sock, cert).await,
    }
}

/// A small line reader over any stream.
async fn read_cmd<S: tokio::io::AsyncRead + Unpin>(s: &mut S) -> std::io::Result<String> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        if s.read(&mut b).await? == 0 {
            return Ok(String::new());
        }
        if b[0] == b'\n' {
            break;
        }
        if line.len() < 2048 {
            line.push(b[0]);
        }
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

async fn friendly(mut sock: TcpStream, cert: Arc<TestCert>) -> std::io::Result<()> {
    sock.write_all(b"220 mx.recipient.test ESMTP test\r\n")
        .await?;
    loop {
        let cmd = read_cmd(&mut sock).await?;
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            sock.write_all(
                b"250-mx.recipient.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n",
            )
            .await?;
        } else if upper == "STARTTLS" {
            sock.write_all(b"220 2.0.0 go ahead\r\n").await?;
            let tls = acceptor(&cert).accept(sock).await?;
            return after_tls(tls).await;
        } else if upper == "QUIT" || cmd.is_empty() {
            sock.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            sock.write_all(b"502 5.5.2 not here\r\n").await?;
        }
    }
}

async fn after_tls<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut s: S,
) -> std::io::Result<()> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    loop {
        let cmd = read_cmd(&mut s).await?;
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            s.write_all(b"250-mx.recipient.test\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10240000\r\n")
                .await?;
        } else if upper.starts_with("AUTH PLAIN ") {
            let token = b64.decode(cmd[11..].trim()).unwrap_or_default();
            if token == b"\0agent\0right" {
                s.write_all(b"235 2.7.0 Authentication successful\r\n")
                    .await?;
            } else {
                s.write_all(b"535 5.7.8 Authentication credentials invalid\r\n")
                    .await?;
            }
        } else if upper == "QUIT" || cmd.is_empty() {
            s.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            s.write_all(b"502 5.5.2 not here\r\n").await?;
        }
    }
}

/// The zones every check test uses. `sender.test` passes SPF for 203.0.113.9 (its PTR
/// confirms); `fail.test` fails it; `perm.test` has two SPF records; `rcpt.test` has an MX
/// on loopback; `nullmx.test` a null MX; `gone.test` is NXDOMAIN; `broken.test` SERVFAILs;
/// `slow.test` answers too late; DNSBL zones: `bl.listed.test` lists 203.0.113.9,
/// `bl.clean.test` does not, `bl.refuse.test` answers 127.255.255.254, `bl.rewrite.test`
/// answers everything with a public address, `bl.dead.test` lists nothing (not even
/// 127.0.0.2); `csi.test` has TXT records with CSI sequences and hundreds of 250-byte
/// strings.
pub fn test_zones() -> Zones {
    let mut z = Zones::default();
    z.mx("rcpt.test", 10, "mx.rcpt.test").a("mx.rcpt.test");
    z.null_mx("nullmx.test");
    z.set("gone.test", RecordType::MX, Answer::NxDomain);
    z.set("gone.test", RecordType::A, Answer::NxDomain);
    z.set("gone.test", RecordType::AAAA, Answer::NxDomain);
    z.set("broken.test", RecordType::MX, Answer::ServFail);
    z.set(
        "slow.test",
        RecordType::MX,
        Answer::Slow(Duration::from_secs(5), Vec::new()),
    );
    // Sender domains.
    z.mx("sender.test", 10, "mx.sender.test")
        .a("mx.sender.test")
        .a("sender.test")
        .txt("sender.test", &["v=spf1 ip4:203.0.113.0/24 -all"])
        .txt("sender.test", &["google-site-verification=abc"])
        .txt(
            "_dmarc.sender.test",
            &["v=DMARC1; p=reject; rua=mailto:d@sender.test"],
        );
    z.mx("fail.test", 10, "mx.sender.test")
        .txt("fail.test", &["v=spf1 ip4:198.51.100.0/24 -all"]);
    z.mx("perm.test", 10, "mx.sender.test")
        .txt("perm.test", &["v=spf1 -all"])
        .txt("perm.test", &["v=spf1 +all"]);
    // The sending IP's reverse and forward names.
    z.ptr("9.113.0.203.in-addr.arpa", "out.sender.test")
        .a_to("out.sender.test", Ipv4Addr::new(203, 0, 113, 9));
    z.ptr("10.113.0.203.in-addr.arpa", "liar.sender.test")
        .a_to("liar.sender.test", Ipv4Addr::new(203, 0, 113, 99));
    // Blocklists (RFC 5782 test points per zone).
    for zone in ["bl.listed.test", "bl.clean.test"] {
        z.a_to(&format!("2.0.0.127.{zone}"), Ipv4Addr::new(127, 0, 0, 2));
    }
    z.a_to("9.113.0.203.bl.listed.test", Ipv4Addr::new(127, 0, 0, 2))
        .txt(
            "9.113.0.203.bl.listed.test",
            &["Listed: see https://bl.listed.test/9"],
        );
    z.a_to("2.0.0.127.bl.refuse.test", Ipv4Addr::new(127, 0, 0, 2))
        .a_to(
            "9.113.0.203.bl.refuse.test",
            Ipv4Addr::new(127, 255, 255, 254),
        );
    for name in ["2.0.0.127", "1.0.0.127", "9.113.0.203"] {
        z.a_to(
            &format!("{name}.bl.rewrite.test"),
            Ipv4Addr::new(198, 51, 100, 1),
        );
    }
    z.txt("bl.dead.test", &["v=none"]);
    // Hostile TXT: CSI sequences, and hundreds of 250-byte strings.
    z.txt(
        "csi.test",
        &["v=spf1 \u{1b}[31mred\u{1b}[0m \u{1b}]52;c;aGk=\u{7}-all"],
    );
    let long = "x".repeat(250);
    let parts: Vec<&str> = (0..200).map(|_| long.as_str()).collect();
    z.txt("csi.test", &parts);
    z.txt(
        "csi2.test",
        &["v=spf1 \u{1b}[31mred\u{1b}[0m \u{1b}]52;c;aGk=\u{7}\u{202e} -all"],
    );
    z
}

/// A bounce whose recipient is at `rcpt` and whose sender is `customer@sender.test`.
pub fn bounce(rcpt: &str) -> String {
    format!(
        "Return-Path: <>\n\
From: MAILER-DAEMON@mail.hosting.test (Mail Delivery System)\n\
To: customer@sender.test\n\
Subject: Undelivered Mail Returned to Sender\n\
Date: Sat, 5 Dec 2026 10:00:00 +0000\n\
\n\
This is the mail system at host mail.hosting.test.\n\
\n\
<someone@{rcpt}>: host mx.{rcpt}[127.0.0.1] said: 550 5.7.1\n\
    Service unavailable; client [203.0.113.9] blocked using bl.listed.test\n\
    (in reply to RCPT TO command)\n\
\n\
--- original message headers ---\n\
Return-Path: <customer@sender.test>\n\
From: Customer <customer@sender.test>\n\
To: someone@{rcpt}\n\
Subject: hello\n"
    )
}
