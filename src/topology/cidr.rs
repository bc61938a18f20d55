//! CIDR arithmetic for NetworkPolicy ipBlocks: syntax as the API server checks it,
//! containment, overlap, and the `except` lists that cut pod ranges out of wide blocks.

use std::net::IpAddr;

use ipnet::IpNet;

/// Parse a CIDR the way the API server's ipBlock validation does: an address, a
/// slash and a prefix no longer than the address family allows (`/33` is refused).
pub fn parse(s: &str) -> Result<IpNet, String> {
    let Some((addr, len)) = s.split_once('/') else {
        return Err(format!(
            "`{s}` is not a CIDR (ADDRESS/PREFIX, e.g. 10.0.0.0/16)"
        ));
    };
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("`{s}`: `{addr}` is not an IP address"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix: u8 = len
        .parse()
        .ok()
        .filter(|p| *p <= max)
        .ok_or_else(|| format!("`{s}`: the prefix length must be 0–{max}"))?;
    IpNet::new(ip, prefix).map_err(|e| format!("`{s}`: {e}"))
}

/// Both blocks share at least one address.
pub fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

pub fn contains(net: &str, ip: IpAddr) -> bool {
    parse(net).is_ok_and(|n| n.contains(&ip))
}

/// The parts of `cut` that lie inside `block` (whole `cut` blocks, or `block` itself when
/// `cut` covers it), for an ipBlock `except` list. `None`: `block` is entirely cut.
pub fn except_within(block: &str, cut: &[String]) -> Option<Vec<String>> {
    let Ok(b) = parse(block) else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for c in cut.iter().filter_map(|c| parse(c).ok()) {
        if c.contains(&b.network()) && c.prefix_len() <= b.prefix_len() {
            return None;
        }
        if b.contains(&c.network()) {
            out.push(c.trunc().to_string());
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Address space that is not public: what "public endpoints" leaves out, so that a rule
/// for cloud APIs cannot reach pods, nodes or link-local services.
/// RFC 1122 (0/8, 127/8), RFC 1918, RFC 6598 (100.64/10), RFC 3927 (169.254/16).
pub const NON_PUBLIC_V4: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
];

/// An address inside `block` outside every `avoid` block (for the flow model's endpoints).
pub fn sample_address(block: &str, avoid: &[String]) -> Option<IpAddr> {
    let b = parse(block).ok()?;
    let avoid: Vec<IpNet> = avoid.iter().filter_map(|a| parse(a).ok()).collect();
    let IpAddr::V4(start) = b.network() else {
        return b.hosts().find(|ip| !avoid.iter().any(|a| a.contains(ip)));
    };
    let end = u32::from(
        b.broadcast()
            .to_string()
            .parse::<std::net::Ipv4Addr>()
            .ok()?,
    );
    let mut cur = u32::from(start).saturating_add(if b.prefix_len() >= 31 { 0 } else { 1 });
    while cur <= end {
        let ip = IpAddr::V4(cur.into());
        match avoid.iter().find(|a| a.contains(&ip)) {
            None => return Some(ip),
            Some(a) => {
                let IpAddr::V4(last) = a.broadcast() else {
                    return None;
                };
                cur = u32::from(last).checked_add(2)?;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_is_checked_like_the_api_server() {
        assert!(parse("10.0.0.0/16").is_ok());
        assert!(parse("169.254.170.23/32").is_ok());
        assert!(parse("fd00:ec2::23/128").is_ok());
        assert!(parse("10.0.0.0/33").unwrap_err().contains("0–32"));
        assert!(parse("10.0.0.0").unwrap_err().contains("not a CIDR"));
        assert!(parse("10.0.0.300/8").unwrap_err().contains("not an IP"));
    }

    #[test]
    fn except_lists_only_what_lies_inside() {
        let pods = vec!["10.0.0.0/17".to_string(), "192.168.0.0/16".to_string()];
        assert_eq!(
            except_within("10.0.0.0/8", &pods),
            Some(vec!["10.0.0.0/17".into()])
        );
        assert_eq!(except_within("10.0.0.0/24", &pods), None);
        assert_eq!(except_within("172.16.0.0/12", &pods), Some(vec![]));
    }

    #[test]
    fn sample_addresses_skip_avoided_blocks() {
        let avoid = vec!["10.0.0.0/17".to_string()];
        assert_eq!(
            sample_address("10.0.0.0/16", &avoid).unwrap().to_string(),
            "10.0.128.1"
        );
        let public: Vec<String> = NON_PUBLIC_V4.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            sample_address("0.0.0.0/0", &public).unwrap().to_string(),
            "1.0.0.1"
        );
        assert_eq!(
            sample_address("169.254.20.10/32", &[]).unwrap().to_string(),
            "169.254.20.10"
        );
    }
}
