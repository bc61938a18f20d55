//! A Feast registry server (`feast serve_registry`): gRPC on 6570 by
//! default, REST on 6572 with `--rest-api`.

pub(crate) mod grpc;
pub(crate) mod rest;

/// An error and its causes on one line (transport errors hide the useful
/// part, e.g. "connection refused", in their source chain).
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let text = c.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        cur = c.source();
    }
    s
}
