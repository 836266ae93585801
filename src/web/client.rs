//! The client's address: the peer's, unless the peer is one of our own
//! proxies (`server.trusted_proxies`), in which case the address the proxies
//! recorded in `X-Forwarded-For` or `Forwarded`, read from the right: the
//! first address that is not a trusted proxy is the client. Anything the
//! client itself wrote further left is ignored, so nobody can choose the
//! address their rate limits count against.

use super::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, web};
use ipnet::IpNet;
use std::net::IpAddr;
use std::str::FromStr;

/// The client's address, found once per request by `find_client`.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

/// The client's address of a request that went through `find_client`.
pub fn address(req: &HttpRequest) -> String {
    req.extensions()
        .get::<ClientAddress>()
        .map(|c| c.0)
        .or_else(|| req.peer_addr().map(|a| a.ip()))
        .map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// Outermost: decides the client's address before anything reads it. The
/// request log reads the forwarding headers as they come, so they are left
/// holding that address alone.
pub async fn find_client(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The state's Arc, not a copy of the proxy list, on every request.
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let (Some(state), Some(peer)) = (state, req.peer_addr()) {
        let proxies = &state.trusted_proxies;
        let values = |name| {
            req.headers()
                .get_all(name)
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
        };
        let client = proxies.client(
            peer.ip(),
            &values(header::X_FORWARDED_FOR),
            &values(header::FORWARDED),
        );
        let headers = req.headers_mut();
        headers.remove(header::FORWARDED);
        headers.remove(header::X_FORWARDED_FOR);
        if let Ok(value) = HeaderValue::from_str(&client.to_string()) {
            headers.insert(header::X_FORWARDED_FOR, value);
        }
        req.extensions_mut().insert(ClientAddress(client));
    }
    next.call(req).await
}

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a list of CIDR blocks (`10.0.0.0/8`, `::1/128`) or single
    /// addresses.
    pub fn parse(list: &[String]) -> Result<Self, String> {
        list.iter()
            .map(|entry| {
                let entry = entry.trim();
                IpNet::from_str(entry)
                    .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                    .map_err(|_| format!("`{entry}` is not an address or a CIDR block"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` carrying these
    /// forwarding headers (each header value as sent, in order).
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str], forwarded: &[&str]) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        // One proxy may write X-Forwarded-For and another Forwarded; the
        // standard header is preferred when both are present.
        let chain: Vec<IpAddr> = if forwarded.is_empty() {
            forwarded_for
                .iter()
                .flat_map(|v| v.split(','))
                .filter_map(parse_address)
                .collect()
        } else {
            forwarded
                .iter()
                .flat_map(|v| v.split(','))
                .filter_map(|element| {
                    element.split(';').find_map(|pair| {
                        let (name, value) = pair.split_once('=')?;
                        name.trim()
                            .eq_ignore_ascii_case("for")
                            .then(|| parse_address(value))
                            .flatten()
                    })
                })
                .collect()
        };
        chain
            .into_iter()
            .rev()
            .map(canonical)
            .find(|ip| !self.trusts(*ip))
            .unwrap_or(peer)
    }
}

/// An address as proxies write it: bare, quoted, `[v6]`, with a port.
fn parse_address(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim().trim_matches('"');
    if let Ok(ip) = IpAddr::from_str(raw) {
        return Some(ip);
    }
    if let Some(rest) = raw.strip_prefix('[') {
        return IpAddr::from_str(rest.split(']').next()?).ok();
    }
    let (host, _port) = raw.rsplit_once(':')?;
    IpAddr::from_str(host).ok()
}

/// IPv4 peers reached over an IPv6 socket appear as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &["1.2.3.4"], &["for=5.6.7.8"]),
            ip("203.0.113.9")
        );
        let lan = TrustedProxies::parse(&["10.0.0.0/8".into()]).unwrap();
        assert_eq!(
            lan.client(ip("203.0.113.9"), &["1.2.3.4"], &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_address_wins() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into(), "127.0.0.1".into()]).unwrap();
        // The client wrote 6.6.6.6 itself; the proxy appended the real peer.
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7"], &[]),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxies.client(ip("10.1.2.3"), &["6.6.6.6", "198.51.100.7, 10.9.9.9"], &[]),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxies.client(
                ip("127.0.0.1"),
                &[],
                &["for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https"]
            ),
            ip("2001:db8::1")
        );
        // Only proxies in the chain, or nothing usable: the peer.
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &["10.0.0.5"], &[]),
            ip("127.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &["garbage"], &[]),
            ip("127.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &["198.51.100.8"], &[]),
            ip("198.51.100.8")
        );
    }

    #[test]
    fn a_list_that_is_not_addresses_is_refused() {
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(TrustedProxies::parse(&["proxy.local".into()]).is_err());
    }
}
