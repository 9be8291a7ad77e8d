//! Who the client is behind a reverse proxy. An https deployment puts nginx
//! or Caddy in front, and then every request comes from the proxy's address:
//! the per-address throttles (sign-in, self-registration) would count all
//! residents as one. With the proxy named as trusted, the client is read
//! from `X-Forwarded-For`; without, the header is ignored, since anyone can
//! send it.

use std::net::IpAddr;
use std::str::FromStr;

/// One address or network ("10.0.0.1", "10.0.0.0/8", "fd00::/8").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("not an IP address: {text:?}"))?;
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("not a prefix length for {addr}: {p:?}"))?,
        };
        Ok(Network {
            addr: addr.to_canonical(),
            prefix,
        })
    }
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let masked = |bits: u128, width: u32| {
            let keep = u32::from(self.prefix);
            if keep == 0 { 0 } else { bits >> (width - keep) }
        };
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u128::from(u32::from(net)), 32) == masked(u128::from(u32::from(ip)), 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), 128) == masked(u128::from(ip), 128)
            }
            _ => false,
        }
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed
/// (`--trusted-proxy`, `HONGYE_TRUSTED_PROXIES`); none by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    /// From the option's values, each one or several separated by commas.
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<Self, String> {
        values
            .iter()
            .flat_map(|v| v.as_ref().split(','))
            .filter(|v| !v.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address: the peer itself, unless the peer is a trusted
    /// proxy; then the right-most address in `X-Forwarded-For` that is not
    /// one of ours (each proxy appends the address it was called from, so
    /// everything left of that was written by the client and may be forged).
    /// A hop that is not an address ends the walk at the last proxy.
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl Iterator<Item = &'a str>) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .flat_map(|header| header.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.trusts(client) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}
