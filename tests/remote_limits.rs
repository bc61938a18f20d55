//! Remote registries have the input limits local files have
//! (`src/input_limits.rs`, `FEASTOPS_MAX_INPUT_MB`): a REST registry's
//! response bodies are refused once over the registry limit, whether the
//! server sends a Content-Length or not, and a gRPC registry's message is
//! refused by its length prefix, before it is read.

use std::io::{BufRead, BufReader, Read, Write};

use assert_cmd::Command;

/// An HTTP server on loopback answering every GET with `body`: with a
/// Content-Length, or (`length: false`) delimited by closing the connection.
fn serve(body: Vec<u8>, length: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let body = body.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let mut out = stream;
                let head = if length {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    )
                } else {
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
                        .to_string()
                };
                let _ = out.write_all(head.as_bytes());
                let _ = out.write_all(&body);
            });
        }
    });
    url
}

/// `feastops snapshot` of the registry at `url` with a limit in MiB:
/// whether it succeeded, and its stderr.
fn snapshot(url: &str, limit_mb: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args(["snapshot", "--timeout", "10", "--from", url, "-o"])
        .arg(dir.path().join("lock.json"))
        .env("FEASTOPS_MAX_INPUT_MB", limit_mb)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_rest_response_over_the_limit_is_refused_with_or_without_a_length() {
    // A 2 MiB `/projects` answer: valid, and over a 1 MiB limit.
    let mut body = br#"{"projects": [], "padding": ""#.to_vec();
    body.resize(2 << 20, b'x');
    body.extend_from_slice(br#""}"#);
    for length in [true, false] {
        let url = serve(body.clone(), length);
        let (ok, err) = snapshot(&url, "1");
        assert!(!ok, "length={length}: read past the limit");
        assert!(
            err.contains("than 1 MiB") && err.contains("FEASTOPS_MAX_INPUT_MB"),
            "length={length}: {err}"
        );
        if length {
            assert!(err.contains(&format!("({} bytes)", body.len())), "{err}");
        }
        // Under a higher limit the same answer reads (no projects).
        let (ok, err) = snapshot(&url, "3");
        assert!(ok, "length={length}: {err}");
    }
}

/// One HTTP/2 frame: length, type, flags, stream, payload.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let mut f = (payload.len() as u32).to_be_bytes()[1..].to_vec();
    f.extend_from_slice(&[kind, flags]);
    f.extend_from_slice(&stream.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// A gRPC server on loopback (HTTP/2 without TLS, by hand) that answers
/// the first call with status 200 and the 5-byte prefix of a message of
/// `claimed` bytes, then closes the connection without sending it.
fn grpc_claiming(claimed: u32) -> String {
    const DATA: u8 = 0;
    const HEADERS: u8 = 1;
    const SETTINGS: u8 = 4;
    const END_STREAM: u8 = 1;
    const END_HEADERS: u8 = 4;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("grpc://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut preface = [0u8; 24];
                if s.read_exact(&mut preface).is_err() {
                    return;
                }
                let _ = s.write_all(&frame(SETTINGS, 0, 0, &[]));
                loop {
                    let mut head = [0u8; 9];
                    if s.read_exact(&mut head).is_err() {
                        return;
                    }
                    let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
                    let (kind, flags) = (head[3], head[4]);
                    let id = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
                    let mut payload = vec![0u8; len];
                    if s.read_exact(&mut payload).is_err() {
                        return;
                    }
                    if kind == SETTINGS && flags & 1 == 0 {
                        let _ = s.write_all(&frame(SETTINGS, 1, 0, &[]));
                    }
                    if (kind == DATA || kind == HEADERS) && flags & END_STREAM != 0 {
                        // HPACK: `:status: 200` (static index 8), then
                        // `content-type: application/grpc` (name index 31).
                        let mut block = vec![0x88, 0x0f, 0x10, 16];
                        block.extend_from_slice(b"application/grpc");
                        let _ = s.write_all(&frame(HEADERS, END_HEADERS, id, &block));
                        let mut prefix = vec![0u8];
                        prefix.extend_from_slice(&claimed.to_be_bytes());
                        let _ = s.write_all(&frame(DATA, 0, id, &prefix));
                        std::thread::sleep(std::time::Duration::from_millis(500));
                        return;
                    }
                }
            });
        }
    });
    url
}

#[test]
fn a_grpc_message_over_the_limit_is_refused_by_its_length() {
    let url = grpc_claiming(2 << 20);
    let (ok, err) = snapshot(&url, "1");
    assert!(!ok, "read past the limit");
    assert!(
        err.contains("than 1 MiB")
            && err.contains("FEASTOPS_MAX_INPUT_MB")
            && err.contains("found 2097152 bytes"),
        "{err}"
    );
    // Under a higher limit the client waits for the message, which never
    // comes: a different error.
    let (ok, err) = snapshot(&url, "3");
    assert!(!ok);
    assert!(!err.contains("than 3 MiB"), "{err}");
}
