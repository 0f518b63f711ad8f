//! Running a plan: every check concurrently on a small tokio runtime (one thread of its own),
//! each under its own deadline and all under the run's deadline. Results are sent over a
//! std channel as they land, so the TUI polls without blocking and the CLI prints as they
//! come. Dropping the [`RunHandle`] cancels what is still running; nobody waits for it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use hickory_resolver::proto::rr::{RData, RecordType};
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::Dmarc;
use mail_auth::spf::Spf;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{MessageAuthenticator, SpfResult};
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use super::dns::{Dns, DnsFailure, reversed_labels};
use super::dnsbl::{self, Reading};
use super::smtp::{self, Credentials, Dial, Probe};
use super::tls::CertVerdict;
use super::{Check, CheckResult, Config, Status};

/// A run in progress. Results arrive on `results`; `Event::Done` ends it.
pub struct RunHandle {
    pub events: mpsc::Receiver<Event>,
    pub started: DateTime<Utc>,
    pub host: String,
    pub resolver: String,
    pub planned: usize,
    cancel: Option<oneshot::Sender<()>>,
}

/// What a run reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Result(CheckResult),
    /// Every planned check has a result (or the run deadline made one for it).
    Done,
}

impl RunHandle {
    /// Stop what is still running (also done on drop).
    pub fn cancel(&mut self) {
        if let Some(tx) = self.cancel.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// How the resolver is described before it is built (for the header of a run).
fn resolver_label(config: &Config) -> String {
    match &config.resolver {
        super::ResolverChoice::Addr(a) => a.to_string(),
        super::ResolverChoice::System => "system".to_string(),
    }
}

/// Start `checks` on a thread of their own; returns at once. `auth` is used by submission
/// checks only (the AUTH test the agent asked for).
pub fn spawn(checks: Vec<Check>, config: Config, auth: Option<Credentials>) -> RunHandle {
    spawn_notifying(checks, config, auth, None)
}

/// Something to call after each event is sent (the TUI wakes its loop with it).
pub type Notify = Box<dyn Fn() + Send>;

/// [`spawn`], calling `notify` after every event, so a caller asleep in `poll(2)` wakes.
pub fn spawn_notifying(
    checks: Vec<Check>,
    config: Config,
    auth: Option<Credentials>,
    notify: Option<Notify>,
) -> RunHandle {
    let (tx, rx) = mpsc::channel();
    let (cancel_tx, cancel_rx) = oneshot::channel();
    let planned = checks.len();
    let host = config.host.clone();
    let mut resolver = resolver_label(&config);
    // The system resolver is named by its servers when they can be read, cheaply, here.
    if config.resolver == super::ResolverChoice::System
        && let Ok((c, _)) = hickory_resolver::system_conf::read_system_conf()
    {
        let ips: Vec<String> = c.name_servers().iter().map(|s| s.ip.to_string()).collect();
        resolver = format!("system: {}", ips.join(", "));
    }
    let handle = RunHandle {
        events: rx,
        started: Utc::now(),
        host,
        resolver,
        planned,
        cancel: Some(cancel_tx),
    };
    let spawned = std::thread::Builder::new()
        .name("bouncebook-checks".into())
        .spawn(move || {
            let events = Events { tx, notify };
            run_on_thread(checks, config, auth, &events, cancel_rx);
        });
    if let Err(e) = spawned {
        // No thread: say so as results, so the caller still gets one per check.
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(Event::Done);
        let mut h = handle;
        h.events = rx;
        let _ = e;
        return h;
    }
    handle
}

/// Run `checks` and call `each` with every result as it lands; returns when all landed.
pub fn run_blocking(
    checks: Vec<Check>,
    config: Config,
    mut each: impl FnMut(&CheckResult),
) -> Vec<CheckResult> {
    let handle = spawn(checks, config, None);
    let mut all = Vec::new();
    while let Ok(event) = handle.events.recv() {
        match event {
            Event::Result(r) => {
                each(&r);
                all.push(r);
            }
            Event::Done => break,
        }
    }
    all
}

/// The sending side: the channel, and the wake-up after each send.
struct Events {
    tx: mpsc::Sender<Event>,
    notify: Option<Notify>,
}

impl Events {
    fn send(&self, event: Event) {
        let _ = self.tx.send(event);
        if let Some(notify) = &self.notify {
            notify();
        }
    }
}

fn run_on_thread(
    checks: Vec<Check>,
    config: Config,
    auth: Option<Credentials>,
    tx: &Events,
    cancel: oneshot::Receiver<()>,
) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            for c in &checks {
                let r = CheckResult::new(
                    c.id(),
                    &c.target(),
                    Status::Error,
                    &format!("could not start the checks: {e}"),
                    Vec::new(),
                    "",
                    Duration::ZERO,
                );
                tx.send(Event::Result(r));
            }
            tx.send(Event::Done);
            return;
        }
    };
    rt.block_on(async move {
        tokio::select! {
            () = run_all(checks, config, auth, tx) => {}
            _ = cancel => {}
        }
        tx.send(Event::Done);
    });
    // Dropping the runtime here aborts whatever the cancel left behind.
}

/// What every check shares.
struct Ctx {
    dns: Result<Dns, String>,
    config: Config,
    auth: Option<Credentials>,
}

impl Ctx {
    fn resolver(&self) -> String {
        match &self.dns {
            Ok(d) => d.description.clone(),
            Err(_) => resolver_label(&self.config),
        }
    }
}

async fn run_all(checks: Vec<Check>, config: Config, auth: Option<Credentials>, tx: &Events) {
    let run_deadline = tokio::time::Instant::now() + config.limits.run;
    let check_deadline = config.limits.check;
    let dns = Dns::new(&config.resolver, &config.limits);
    let ctx = Arc::new(Ctx { dns, config, auth });
    let mut done = vec![false; checks.len()];
    let mut set = JoinSet::new();
    for (i, check) in checks.iter().cloned().enumerate() {
        let ctx = ctx.clone();
        set.spawn(async move {
            let start = Instant::now();
            let result = match tokio::time::timeout(check_deadline, exec(&check, &ctx, start)).await
            {
                Ok(r) => r,
                Err(_) => CheckResult::new(
                    check.id(),
                    &check.target(),
                    Status::Error,
                    &format!(
                        "no result within {} ms (per-check deadline)",
                        check_deadline.as_millis()
                    ),
                    Vec::new(),
                    &ctx.resolver(),
                    start.elapsed(),
                ),
            };
            (i, result)
        });
    }
    let run_sleep = tokio::time::sleep_until(run_deadline);
    tokio::pin!(run_sleep);
    loop {
        tokio::select! {
            next = set.join_next() => {
                match next {
                    Some(Ok((i, r))) => {
                        done[i] = true;
                        tx.send(Event::Result(r));
                    }
                    Some(Err(_)) => {} // a panicked task: its slot is filled below
                    None => break,
                }
            }
            () = &mut run_sleep => {
                set.abort_all();
                break;
            }
        }
    }
    let elapsed = ctx.config.limits.run;
    for (i, check) in checks.iter().enumerate() {
        if !done[i] {
            let r = CheckResult::new(
                check.id(),
                &check.target(),
                Status::Error,
                &format!(
                    "no result within {} ms (whole-run deadline)",
                    elapsed.as_millis()
                ),
                Vec::new(),
                &ctx.resolver(),
                elapsed,
            );
            tx.send(Event::Result(r));
        }
    }
}

/// One finished check's outcome before it becomes a [`CheckResult`].
struct Outcome {
    status: Status,
    detail: String,
    answers: Vec<String>,
}

fn outcome(status: Status, detail: impl Into<String>, answers: Vec<String>) -> Outcome {
    Outcome {
        status,
        detail: detail.into(),
        answers,
    }
}

async fn exec(check: &Check, ctx: &Ctx, start: Instant) -> CheckResult {
    let o = match &ctx.dns {
        Err(why) => outcome(Status::Error, why.clone(), Vec::new()),
        Ok(dns) => match check {
            Check::RecipientMx { domain } => mx_check(dns, domain, true).await,
            Check::SenderMx { domain } => mx_check(dns, domain, false).await,
            Check::SenderA { domain } => a_check(dns, domain).await,
            Check::SenderSpf { domain } => spf_record(dns, domain).await,
            Check::SenderDmarc { domain } => dmarc_record(dns, domain).await,
            Check::SendingIpSpf { ip, sender } => {
                spf_eval(dns, *ip, sender, &ctx.config.host).await
            }
            Check::SendingIpPtr { ip } => ptr_check(dns, *ip).await,
            Check::Dnsbl { ip, zone } => dnsbl_check(dns, *ip, zone).await,
            Check::RecipientSmtp { domain, port } => mx_smtp(dns, domain, *port, ctx).await,
            Check::Submission {
                host,
                port,
                implicit_tls,
            } => submission(dns, host, *port, *implicit_tls, ctx).await,
        },
    };
    CheckResult::new(
        check.id(),
        &check.target(),
        o.status,
        &o.detail,
        o.answers,
        &ctx.resolver(),
        start.elapsed(),
    )
}

fn failure(f: &DnsFailure, name: &str, rtype: &str) -> Outcome {
    let status = if f.is_answer() {
        Status::Fail
    } else {
        Status::Error
    };
    outcome(status, f.describe(name, rtype), Vec::new())
}

async fn mx_check(dns: &Dns, domain: &str, recipient: bool) -> Outcome {
    let who = if recipient { "recipient" } else { "sender" };
    match dns.mx(domain).await {
        Ok(mx) => {
            let answers: Vec<String> = mx.iter().map(|(p, h)| format!("MX {p} {h}")).collect();
            // RFC 7505: a single MX with an empty exchange ('.') says "no mail here".
            if mx.len() == 1 && mx[0].1.is_empty() {
                let detail = if recipient {
                    format!("null MX (RFC 7505): {domain} accepts no mail; the address cannot work")
                } else {
                    format!(
                        "null MX (RFC 7505): {domain} accepts no mail, so replies and bounces to this sender are lost"
                    )
                };
                let status = if recipient {
                    Status::Fail
                } else {
                    Status::Warn
                };
                return outcome(status, detail, answers);
            }
            let hosts: Vec<&str> = mx.iter().map(|(_, h)| h.as_str()).take(3).collect();
            outcome(
                Status::Ok,
                format!(
                    "{who} domain {domain} has {} MX: {}",
                    mx.len(),
                    hosts.join(", ")
                ),
                answers,
            )
        }
        Err(DnsFailure::NoRecords) => match dns.addresses(domain).await {
            Ok(ips) => {
                let answers = ips.iter().map(|ip| format!("A/AAAA {ip}")).collect();
                outcome(
                    Status::Warn,
                    format!(
                        "{domain} has no MX record; mail goes to its address record (implicit MX, RFC 5321 §5.1)"
                    ),
                    answers,
                )
            }
            Err(DnsFailure::NoRecords) => outcome(
                Status::Fail,
                format!(
                    "{domain} exists but has no MX and no A/AAAA record: it cannot receive mail"
                ),
                Vec::new(),
            ),
            Err(e) => failure(&e, domain, "A/AAAA"),
        },
        Err(e) => failure(&e, domain, "MX"),
    }
}

async fn a_check(dns: &Dns, domain: &str) -> Outcome {
    match dns.addresses(domain).await {
        Ok(ips) => outcome(
            Status::Ok,
            format!("{domain} has {} address record(s)", ips.len()),
            ips.iter().map(|ip| format!("A/AAAA {ip}")).collect(),
        ),
        Err(DnsFailure::NoRecords) => outcome(
            Status::Warn,
            format!("{domain} has no A/AAAA record (fine for a mail-only domain with MX)"),
            Vec::new(),
        ),
        Err(e) => failure(&e, domain, "A/AAAA"),
    }
}

fn is_spf(txt: &str) -> bool {
    let t = txt.trim_start().to_ascii_lowercase();
    t == "v=spf1" || t.starts_with("v=spf1 ")
}

async fn spf_record(dns: &Dns, domain: &str) -> Outcome {
    let txts = match dns.txt(domain).await {
        Ok(t) => t,
        Err(DnsFailure::NoRecords) => Vec::new(),
        Err(e) => return failure(&e, domain, "TXT"),
    };
    let spf: Vec<&String> = txts.iter().filter(|t| is_spf(t)).collect();
    let answers: Vec<String> = spf.iter().map(|t| format!("TXT {t}")).collect();
    match spf.len() {
        0 => outcome(
            Status::Warn,
            format!(
                "{domain} publishes no SPF record: receivers cannot tell which servers may send for it"
            ),
            Vec::new(),
        ),
        1 => match Spf::parse(spf[0].as_bytes()) {
            Ok(_) => outcome(Status::Ok, format!("{domain} has one SPF record"), answers),
            Err(e) => outcome(
                Status::Fail,
                format!("SPF permerror: the record does not parse ({e})"),
                answers,
            ),
        },
        n => outcome(
            Status::Fail,
            format!(
                "SPF permerror: {domain} has {n} SPF records; exactly one is allowed (RFC 7208 §4.5)"
            ),
            answers,
        ),
    }
}

async fn dmarc_record(dns: &Dns, domain: &str) -> Outcome {
    let name = format!("_dmarc.{domain}");
    let txts = match dns.txt(&name).await {
        Ok(t) => t,
        Err(DnsFailure::NoRecords | DnsFailure::NxDomain) => Vec::new(),
        Err(e) => return failure(&e, &name, "TXT"),
    };
    let records: Vec<&String> = txts
        .iter()
        .filter(|t| t.trim_start().to_ascii_lowercase().starts_with("v=dmarc1"))
        .collect();
    let answers: Vec<String> = records.iter().map(|t| format!("TXT {t}")).collect();
    match records.len() {
        0 => outcome(
            Status::Warn,
            format!("{domain} publishes no DMARC record"),
            Vec::new(),
        ),
        1 => match Dmarc::parse(records[0].as_bytes()) {
            Ok(d) => {
                let policy = format!("{:?}", d.p).to_ascii_lowercase();
                outcome(
                    Status::Ok,
                    format!("DMARC policy p={policy} for {domain}"),
                    answers,
                )
            }
            Err(e) => outcome(
                Status::Fail,
                format!("the DMARC record does not parse ({e}); receivers ignore it"),
                answers,
            ),
        },
        n => outcome(
            Status::Fail,
            format!("{n} DMARC records; receivers ignore them all (RFC 7489 §6.6.3)"),
            answers,
        ),
    }
}

async fn spf_eval(dns: &Dns, ip: IpAddr, sender: &str, host: &str) -> Outcome {
    let sender = sender.trim().trim_matches(['<', '>']);
    let Some((_, domain)) = sender.rsplit_once('@') else {
        return outcome(Status::Error, "the sender has no domain", Vec::new());
    };
    // RFC 7208 §4.5: more than one SPF record is a permerror (mail-auth takes the first).
    if let Ok(txts) = dns.txt(domain).await {
        let n = txts.iter().filter(|t| is_spf(t)).count();
        if n > 1 {
            return outcome(
                Status::Fail,
                format!(
                    "permerror: {domain} has {n} SPF records; exactly one is allowed (RFC 7208 §4.5)"
                ),
                Vec::new(),
            );
        }
    }
    let auth = MessageAuthenticator(dns.resolver().clone());
    let params = SpfParameters::verify_mail_from(ip, domain, host, sender);
    let out = auth.verify_spf(params).await;
    let explanation = out.explanation().map(str::to_string);
    let answers = explanation
        .iter()
        .map(|e| format!("explanation: {e}"))
        .collect();
    let (status, verdict) = match out.result() {
        SpfResult::Pass => (Status::Ok, format!("pass: {ip} may send for {domain}")),
        SpfResult::Fail => (
            Status::Fail,
            format!("fail: {domain}'s SPF does not allow {ip}; receivers may refuse the mail"),
        ),
        SpfResult::SoftFail => (
            Status::Warn,
            format!("softfail: {domain}'s SPF does not quite allow {ip} (~all)"),
        ),
        SpfResult::Neutral => (
            Status::Warn,
            format!("neutral: {domain}'s SPF says nothing about {ip}"),
        ),
        SpfResult::None => (
            Status::Warn,
            format!("none: {domain} has no SPF record to evaluate"),
        ),
        SpfResult::TempError => (
            Status::Error,
            format!("temperror: DNS trouble while evaluating {domain}'s SPF"),
        ),
        SpfResult::PermError => (
            Status::Fail,
            format!("permerror: {domain}'s SPF record is broken (syntax, or more than 10 lookups)"),
        ),
    };
    outcome(status, verdict, answers)
}

async fn ptr_check(dns: &Dns, ip: IpAddr) -> Outcome {
    let names = match dns.ptr(ip).await {
        Ok(n) => n,
        Err(DnsFailure::NoRecords | DnsFailure::NxDomain) => {
            return outcome(
                Status::Fail,
                format!(
                    "{ip} has no PTR record; many receivers refuse mail from IPs without reverse DNS"
                ),
                Vec::new(),
            );
        }
        Err(e) => return failure(&e, &ip.to_string(), "PTR"),
    };
    let mut answers: Vec<String> = names.iter().map(|n| format!("PTR {n}")).collect();
    let mut confirmed = None;
    for name in names.iter().take(5) {
        if let Ok(ips) = dns.addresses(name).await {
            answers.push(format!(
                "{name} -> {}",
                ips.iter()
                    .map(IpAddr::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            if ips.contains(&ip) {
                confirmed = Some(name.clone());
                break;
            }
        } else {
            answers.push(format!("{name} -> no address"));
        }
    }
    match confirmed {
        Some(name) => outcome(
            Status::Ok,
            format!("{ip} is {name}, confirmed: {name} resolves back to {ip} (FCrDNS)"),
            answers,
        ),
        None => outcome(
            Status::Fail,
            format!(
                "PTR of {ip} ({}) does not resolve back to {ip}: forward-confirmed reverse DNS fails",
                names.first().map_or("", String::as_str)
            ),
            answers,
        ),
    }
}

/// The A answers for `name` under a DNSBL zone: [] when not listed.
async fn dnsbl_query(dns: &Dns, name: &str) -> Result<Vec<Ipv4Addr>, DnsFailure> {
    match dns.lookup(name, RecordType::A).await {
        Ok(rd) => Ok(rd
            .iter()
            .filter_map(|r| match r {
                RData::A(a) => Some(a.0),
                _ => None,
            })
            .collect()),
        Err(DnsFailure::NoRecords | DnsFailure::NxDomain) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

async fn dnsbl_check(dns: &Dns, ip: IpAddr, zone: &dnsbl::DnsblZone) -> Outcome {
    let z = &zone.zone;
    let removal = zone
        .removal
        .as_ref()
        .map(|r| format!("removal: {r}"))
        .into_iter()
        .collect::<Vec<_>>();
    // RFC 5782 §5: a working zone lists 127.0.0.2 and does not list 127.0.0.1.
    let (pos_name, neg_name) = (format!("2.0.0.127.{z}"), format!("1.0.0.127.{z}"));
    let query_name = format!("{}.{z}", reversed_labels(ip));
    let (pos, neg, query) = tokio::join!(
        dnsbl_query(dns, &pos_name),
        dnsbl_query(dns, &neg_name),
        dnsbl_query(dns, &query_name)
    );
    let (pos, neg, query) = match (pos, neg, query) {
        (Ok(p), Ok(n), Ok(q)) => (p, n, q),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return outcome(
                Status::Error,
                format!("{z}: {}", e.describe(z, "A")),
                removal,
            );
        }
    };
    for (what, answer) in [
        ("test address 127.0.0.2", &pos),
        ("127.0.0.1", &neg),
        ("the query", &query),
    ] {
        match dnsbl::read_answer(answer) {
            Reading::Rewritten(a) => {
                return outcome(
                    Status::Error,
                    format!(
                        "{z}: the resolver rewrote the answer for {what} ({a} is outside 127/8): results from this resolver mean nothing"
                    ),
                    removal,
                );
            }
            Reading::QueryRefused(code) => {
                return outcome(
                    Status::Error,
                    format!(
                        "{z} refused the query ({code}: {})",
                        dnsbl::refusal_reason(code)
                    ),
                    removal,
                );
            }
            _ => {}
        }
    }
    if pos.is_empty() {
        return outcome(
            Status::Error,
            format!(
                "{z} does not list its test address 127.0.0.2 (RFC 5782): the zone is dead or does not answer this resolver"
            ),
            removal,
        );
    }
    if !neg.is_empty() {
        return outcome(
            Status::Error,
            format!(
                "{z} lists 127.0.0.1, which no working list does (RFC 5782): it lists everything; ignored"
            ),
            removal,
        );
    }
    match dnsbl::read_answer(&query) {
        Reading::NotListed => outcome(Status::Ok, format!("{ip} is not listed on {z}"), Vec::new()),
        Reading::Listed(codes) => {
            let mut answers: Vec<String> = codes.iter().map(|c| format!("A {c}")).collect();
            let name = format!("{}.{z}", reversed_labels(ip));
            if let Ok(txts) = dns.txt(&name).await {
                answers.extend(txts.into_iter().take(3).map(|t| format!("TXT {t}")));
            }
            answers.extend(removal);
            outcome(
                Status::Fail,
                format!(
                    "{ip} is listed on {z} ({}){}",
                    codes
                        .iter()
                        .map(Ipv4Addr::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    zone.removal
                        .as_ref()
                        .map(|r| format!("; removal: {r}"))
                        .unwrap_or_default()
                ),
                answers,
            )
        }
        // Handled above.
        Reading::QueryRefused(_) | Reading::Rewritten(_) => {
            outcome(Status::Error, format!("{z}: unreadable answer"), Vec::new())
        }
    }
}

/// Resolve the MX of `domain` to one address to talk to: (host, address).
async fn mx_target(dns: &Dns, domain: &str) -> Result<(String, IpAddr), Outcome> {
    let host = match dns.mx(domain).await {
        Ok(mx) if mx.len() == 1 && mx[0].1.is_empty() => {
            return Err(outcome(
                Status::Fail,
                format!("null MX (RFC 7505): {domain} accepts no mail; no server to talk to"),
                Vec::new(),
            ));
        }
        Ok(mx) => match mx.into_iter().find(|(_, h)| !h.is_empty()) {
            Some((_, h)) => h,
            None => domain.to_string(),
        },
        Err(DnsFailure::NoRecords) => domain.to_string(),
        Err(e) => return Err(failure(&e, domain, "MX")),
    };
    match dns.addresses(&host).await {
        Ok(ips) => {
            // IPv4 first: the host this runs on more often has a v4 route.
            let ip = ips
                .iter()
                .find(|i| i.is_ipv4())
                .or_else(|| ips.first())
                .copied();
            match ip {
                Some(ip) => Ok((host, ip)),
                None => Err(outcome(
                    Status::Fail,
                    format!("{host} has no address"),
                    Vec::new(),
                )),
            }
        }
        Err(e) => Err(failure(&e, &host, "A/AAAA")),
    }
}

async fn mx_smtp(dns: &Dns, domain: &str, port: u16, ctx: &Ctx) -> Outcome {
    let (host, ip) = match mx_target(dns, domain).await {
        Ok(t) => t,
        Err(o) => return o,
    };
    let dial = Dial {
        addr: SocketAddr::new(ip, port),
        host: &host,
        ehlo_name: &ctx.config.host,
        implicit_tls: false,
        limits: &ctx.config.limits,
        extra_roots: &ctx.config.extra_roots,
        auth: None,
    };
    let p = smtp::probe(&dial).await;
    judge_mx(&p, &host, ip, port)
}

fn cert_text(p: &Probe) -> Option<(bool, String)> {
    match p.cert.as_ref()? {
        CertVerdict::Valid => Some((true, "certificate valid for the host".to_string())),
        CertVerdict::Invalid(why) => Some((false, why.clone())),
    }
}

/// The outcome when the server never greeted with 220 (no connection, no greeting, a
/// refusal at connect); None when it did. Both SMTP checks read a greeting alike.
fn greeting_failed(p: &Probe, at: &str) -> Option<Outcome> {
    let answers = p.transcript.clone();
    let Some(banner) = &p.banner else {
        let why = p.error.as_ref().map_or("no greeting", |e| e.text());
        let status = match &p.error {
            Some(smtp::SmtpError::Io(t)) if t.contains("refused") => Status::Fail,
            _ => Status::Error,
        };
        return Some(outcome(status, format!("{at}: {why}"), answers));
    };
    (banner.code != 220).then(|| {
        outcome(
            Status::Fail,
            format!("{at} refuses at connect: {}", banner.first_line()),
            answers,
        )
    })
}

fn judge_mx(p: &Probe, host: &str, ip: IpAddr, port: u16) -> Outcome {
    let at = format!("{host} [{ip}]:{port}");
    if let Some(o) = greeting_failed(p, &at) {
        return o;
    }
    let answers = p.transcript.clone();
    if let Some(e) = &p.error {
        return outcome(Status::Error, format!("{at}: {}", e.text()), answers);
    }
    let Some(ehlo) = &p.ehlo else {
        return outcome(Status::Error, format!("{at}: no EHLO reply"), answers);
    };
    if ehlo.code != 250 {
        return outcome(
            Status::Warn,
            format!("{at} refuses EHLO: {}", ehlo.first_line()),
            answers,
        );
    }
    if !p.starttls_offered {
        return outcome(
            Status::Warn,
            format!("{at} answers (220) but offers no STARTTLS: mail to it travels unencrypted"),
            answers,
        );
    }
    let tls = p.tls_info.clone().unwrap_or_default();
    match cert_text(p) {
        Some((true, _)) => outcome(
            Status::Ok,
            format!("{at} answers, offers STARTTLS ({tls}), certificate valid for {host}"),
            answers,
        ),
        Some((false, why)) => outcome(
            Status::Warn,
            format!("{at} answers and offers STARTTLS, but {why}"),
            answers,
        ),
        None => outcome(
            Status::Warn,
            format!("{at} offers STARTTLS but the certificate was not checked"),
            answers,
        ),
    }
}

async fn submission(dns: &Dns, host: &str, port: u16, implicit_tls: bool, ctx: &Ctx) -> Outcome {
    let ip = match dns.addresses(host).await {
        Ok(ips) => match ips.iter().find(|i| i.is_ipv4()).or_else(|| ips.first()) {
            Some(ip) => *ip,
            None => return outcome(Status::Fail, format!("{host} has no address"), Vec::new()),
        },
        Err(e) => return failure(&e, host, "A/AAAA"),
    };
    let dial = Dial {
        addr: SocketAddr::new(ip, port),
        host,
        ehlo_name: &ctx.config.host,
        implicit_tls,
        limits: &ctx.config.limits,
        extra_roots: &ctx.config.extra_roots,
        auth: ctx.auth.as_ref(),
    };
    let p = smtp::probe(&dial).await;
    judge_submission(&p, host, ip, port, ctx.auth.is_some())
}

fn judge_submission(p: &Probe, host: &str, ip: IpAddr, port: u16, auth_test: bool) -> Outcome {
    let at = format!("{host} [{ip}]:{port}");
    if let Some(o) = greeting_failed(p, &at) {
        return o;
    }
    let answers = p.transcript.clone();
    if let Some(e) = &p.error {
        let status = if auth_test {
            Status::Fail
        } else {
            Status::Error
        };
        return outcome(status, format!("{at}: {}", e.text()), answers);
    }
    let cert = cert_text(p);
    let tls_ehlo = p.ehlo_tls.as_ref();
    let mechs = tls_ehlo
        .map(smtp::Reply::auth_mechanisms)
        .unwrap_or_default();
    let plain_mechs = p
        .ehlo
        .as_ref()
        .map(smtp::Reply::auth_mechanisms)
        .unwrap_or_default();
    if let Some(reply) = &p.auth {
        return if reply.code == 235 {
            outcome(
                Status::Ok,
                format!("{at}: AUTH test accepted ({})", reply.first_line()),
                answers,
            )
        } else {
            outcome(
                Status::Fail,
                format!("{at}: AUTH test refused: {}", reply.first_line()),
                answers,
            )
        };
    }
    if tls_ehlo.is_none() {
        return if plain_mechs.is_empty() {
            outcome(
                Status::Fail,
                format!("{at}: no TLS and no AUTH offered: clients cannot log in here"),
                answers,
            )
        } else {
            outcome(
                Status::Warn,
                format!(
                    "{at}: AUTH ({}) offered without TLS: passwords would travel unencrypted",
                    plain_mechs.join(" ")
                ),
                answers,
            )
        };
    }
    if mechs.is_empty() {
        return outcome(
            Status::Fail,
            format!("{at}: TLS works but no AUTH is offered: clients cannot log in here"),
            answers,
        );
    }
    match cert {
        Some((false, why)) => outcome(
            Status::Warn,
            format!("{at}: AUTH offered ({}), but {why}", mechs.join(" ")),
            answers,
        ),
        _ => outcome(
            Status::Ok,
            format!("{at}: AUTH offered over TLS: {}", mechs.join(" ")),
            answers,
        ),
    }
}
