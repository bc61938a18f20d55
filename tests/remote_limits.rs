//! Remote registries have the input limits local files have
//! (`src/input_limits.rs`, `FEASTOPS_MAX_INPUT_MB`): a REST registry's
//! response bodies are refused once over the registry limit, whether the
//! server sends a Content-Length or not.

use std::io::{BufRead, BufReader, Write};

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

/// `feastops snapshot` of the REST registry at `url` with a limit in MiB:
/// whether it succeeded, and its stderr.
fn snapshot(url: &str, limit_mb: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args(["snapshot", "--from", url, "-o"])
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
