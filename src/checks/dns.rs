//! DNS lookups for the checks: one resolver per run, answers capped in count and size, and
//! every failure named the way an agent reads it (NXDOMAIN, SERVFAIL, no network, timeout).

use std::net::{IpAddr, SocketAddr};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData, RecordType};

use super::{Limits, ResolverChoice};

/// A resolver and how to describe it in results.
#[derive(Clone)]
pub struct Dns {
    resolver: TokioResolver,
    /// `127.0.0.1:5353` or `system: 10.0.0.2, 10.0.0.3`.
    pub description: String,
    max_records: usize,
    max_bytes: usize,
}

/// Why a lookup gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsFailure {
    /// The name does not exist (RCODE 3).
    NxDomain,
    /// The name exists but has no record of this type (NOERROR, empty answer).
    NoRecords,
    /// RCODE 2: the resolver could not get an answer from the domain's name servers.
    ServFail,
    /// RCODE 5: the resolver refused to answer us.
    Refused,
    /// Another error response code.
    Rcode(String),
    /// No answer within the resolver's timeout.
    Timeout,
    /// The resolver could not be reached at all (no route, nothing listening).
    NoNetwork(String),
    /// The answer was bigger than we accept.
    TooLarge(String),
    Other(String),
}

impl DnsFailure {
    /// How the failure reads in a result's detail.
    pub fn describe(&self, name: &str, rtype: &str) -> String {
        match self {
            DnsFailure::NxDomain => format!("NXDOMAIN: {name} does not exist"),
            DnsFailure::NoRecords => format!("no {rtype} record for {name}"),
            DnsFailure::ServFail => format!(
                "SERVFAIL for {name} {rtype}: the resolver got no valid answer from the domain's name servers (broken delegation, DNSSEC failure or servers down)"
            ),
            DnsFailure::Refused => format!("the resolver REFUSED the query for {name} {rtype}"),
            DnsFailure::Rcode(code) => format!("{code} for {name} {rtype}"),
            DnsFailure::Timeout => {
                format!("no DNS answer for {name} {rtype} within the per-query timeout")
            }
            DnsFailure::NoNetwork(why) => {
                format!("no network: the resolver is unreachable ({why})")
            }
            DnsFailure::TooLarge(why) => format!("DNS answer for {name} {rtype} too large: {why}"),
            DnsFailure::Other(why) => format!("DNS lookup of {name} {rtype} failed: {why}"),
        }
    }

    /// True when the failure says something about the name (it could be asked and was
    /// answered), false when the check could not run.
    pub fn is_answer(&self) -> bool {
        matches!(
            self,
            DnsFailure::NxDomain | DnsFailure::NoRecords | DnsFailure::ServFail
        )
    }
}

/// The records of one answer, already capped.
pub type Answer = Vec<RData>;

impl Dns {
    /// Build the run's resolver. Fails only when the system configuration cannot be read.
    pub fn new(choice: &ResolverChoice, limits: &Limits) -> Result<Dns, String> {
        let mut opts = ResolverOpts::default();
        let (config, description) = match choice {
            ResolverChoice::Addr(addr) => (single_server(*addr), addr.to_string()),
            ResolverChoice::System => {
                let (config, sys_opts) = hickory_resolver::system_conf::read_system_conf()
                    .map_err(|e| {
                        format!("no resolver: the system DNS configuration cannot be read ({e})")
                    })?;
                if config.name_servers().is_empty() {
                    return Err(
                        "no resolver: the system DNS configuration names no server".to_string()
                    );
                }
                opts = sys_opts;
                let servers: Vec<String> = config
                    .name_servers()
                    .iter()
                    .map(|s| s.ip.to_string())
                    .collect();
                let description = format!("system: {}", servers.join(", "));
                (config, description)
            }
        };
        opts.timeout = limits.dns_query;
        opts.attempts = 1;
        // Names are always asked fully qualified: no search-list queries leak the domain to
        // other zones and no time is spent on them.
        opts.ndots = 0;
        opts.cache_size = 256;
        opts.edns0 = true;
        opts.try_tcp_on_error = true;
        let resolver = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(opts)
            .build()
            .map_err(|e| format!("no resolver: {e}"))?;
        Ok(Dns {
            resolver,
            description,
            max_records: limits.dns_records,
            max_bytes: limits.dns_bytes,
        })
    }

    pub fn resolver(&self) -> &TokioResolver {
        &self.resolver
    }

    /// Look `name` up for `rtype`; the records of that type, capped.
    pub async fn lookup(&self, name: &str, rtype: RecordType) -> Result<Answer, DnsFailure> {
        let fqdn = fqdn(name);
        let lookup = self
            .resolver
            .lookup(fqdn.as_str(), rtype)
            .await
            .map_err(classify)?;
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let mut count = 0usize;
        for record in lookup.answers() {
            if record.data.record_type() != rtype {
                continue;
            }
            count += 1;
            bytes += rdata_len(&record.data);
            if count > self.max_records {
                return Err(DnsFailure::TooLarge(format!(
                    "more than {} {rtype} records (limit)",
                    self.max_records
                )));
            }
            if bytes > self.max_bytes {
                return Err(DnsFailure::TooLarge(format!(
                    "more than {} bytes of {rtype} data (limit)",
                    self.max_bytes
                )));
            }
            out.push(record.data.clone());
        }
        if out.is_empty() {
            return Err(DnsFailure::NoRecords);
        }
        Ok(out)
    }

    /// A and AAAA addresses of `name` (both asked; either may be missing).
    pub async fn addresses(&self, name: &str) -> Result<Vec<IpAddr>, DnsFailure> {
        let (a, aaaa) = tokio::join!(
            self.lookup(name, RecordType::A),
            self.lookup(name, RecordType::AAAA)
        );
        let mut ips = Vec::new();
        for rd in a.iter().flatten().chain(aaaa.iter().flatten()) {
            match rd {
                RData::A(a) => ips.push(IpAddr::V4(a.0)),
                RData::AAAA(a) => ips.push(IpAddr::V6(a.0)),
                _ => {}
            }
        }
        if !ips.is_empty() {
            return Ok(ips);
        }
        // Both failed: the more telling failure wins (NXDOMAIN over "no AAAA").
        match (a, aaaa) {
            (Err(e), _) if e != DnsFailure::NoRecords => Err(e),
            (_, Err(e)) if e != DnsFailure::NoRecords => Err(e),
            _ => Err(DnsFailure::NoRecords),
        }
    }

    /// TXT records of `name`, each record's strings joined (RFC 7208 §3.3).
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, DnsFailure> {
        let answer = self.lookup(name, RecordType::TXT).await?;
        Ok(answer
            .iter()
            .filter_map(|rd| match rd {
                RData::TXT(txt) => {
                    let mut joined = Vec::new();
                    for part in txt.txt_data.iter() {
                        joined.extend_from_slice(part);
                    }
                    Some(String::from_utf8_lossy(&joined).into_owned())
                }
                _ => None,
            })
            .collect())
    }

    /// MX records of `name`, sorted by preference: (preference, exchange without the dot).
    pub async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, DnsFailure> {
        let answer = self.lookup(name, RecordType::MX).await?;
        let mut mx: Vec<(u16, String)> = answer
            .iter()
            .filter_map(|rd| match rd {
                RData::MX(mx) => Some((mx.preference, name_text(&mx.exchange.to_ascii()))),
                _ => None,
            })
            .collect();
        mx.sort();
        Ok(mx)
    }

    /// PTR names of `ip`.
    pub async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, DnsFailure> {
        let answer = self.lookup(&reverse_name(ip), RecordType::PTR).await?;
        Ok(answer
            .iter()
            .filter_map(|rd| match rd {
                RData::PTR(p) => Some(name_text(&p.0.to_ascii())),
                _ => None,
            })
            .collect())
    }
}

fn single_server(addr: SocketAddr) -> ResolverConfig {
    let mut udp = ConnectionConfig::udp();
    udp.port = addr.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = addr.port();
    ResolverConfig::from_parts(
        None,
        Vec::new(),
        vec![NameServerConfig::new(addr.ip(), true, vec![udp, tcp])],
    )
}

/// `name.` (absolute), so the resolver never tries search domains.
fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

/// A domain name as shown: without the root dot.
fn name_text(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_string()
}

/// `9.113.0.203.in-addr.arpa` / nibbles under `ip6.arpa`.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => format!("{}.ip6.arpa", reversed_nibbles(v6)),
    }
}

/// The address's labels in reverse order, as DNSBLs and reverse zones want them.
pub fn reversed_labels(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => reversed_nibbles(v6),
    }
}

fn reversed_nibbles(v6: std::net::Ipv6Addr) -> String {
    let mut labels = Vec::with_capacity(32);
    for byte in v6.octets().iter().rev() {
        labels.push(format!("{:x}", byte & 0x0f));
        labels.push(format!("{:x}", byte >> 4));
    }
    labels.join(".")
}

fn rdata_len(rd: &RData) -> usize {
    match rd {
        RData::TXT(t) => t.txt_data.iter().map(|s| s.len() + 1).sum(),
        RData::MX(m) => 2 + m.exchange.len(),
        RData::PTR(p) => p.0.len(),
        RData::A(_) => 4,
        RData::AAAA(_) => 16,
        _ => 64,
    }
}

fn classify(err: NetError) -> DnsFailure {
    match err {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => {
            if nr.response_code == ResponseCode::NXDomain {
                DnsFailure::NxDomain
            } else {
                DnsFailure::NoRecords
            }
        }
        NetError::Dns(DnsError::ResponseCode(code)) => match code {
            ResponseCode::ServFail => DnsFailure::ServFail,
            ResponseCode::Refused => DnsFailure::Refused,
            ResponseCode::NXDomain => DnsFailure::NxDomain,
            other => DnsFailure::Rcode(other.to_string()),
        },
        NetError::Timeout => DnsFailure::Timeout,
        NetError::NoConnections => DnsFailure::NoNetwork("no name server answered".into()),
        NetError::Io(e) => DnsFailure::NoNetwork(e.to_string()),
        other => {
            let text = other.to_string();
            if text.contains("timed out") {
                DnsFailure::Timeout
            } else {
                DnsFailure::Other(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_names() {
        let v4: IpAddr = "203.0.113.9".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(reverse_name(v4), "9.113.0.203.in-addr.arpa");
        let v6: IpAddr = "2001:db8::1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(
            reverse_name(v6),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
    }
}
