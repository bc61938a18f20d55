//! Data in a feature repo, as a user meets it: types Feast infers from
//! parquet files, data that cannot be reached (left unknown, never a
//! finding), and the data checks, each at its line.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast")
}

fn feastops() -> Command {
    Command::cargo_bin("feastops").unwrap()
}

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if !skip.is_empty() && e.file_name() == skip {
            continue;
        }
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest, skip);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn findings(args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let out = feastops()
        .arg("lint")
        .args(args)
        .args(["--format", "json", "--no-config"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (
        out.status.code().unwrap(),
        report["findings"].as_array().unwrap().clone(),
    )
}

#[test]
fn each_data_check_reports_at_its_line() {
    let repo = fixtures().join("repos/data_checks");
    let base = fixtures().join("registries/data_checks.db");
    let (code, found) = findings(&[repo.to_str().unwrap(), "--against", base.to_str().unwrap()]);
    assert_eq!(code, 1);
    let mut got: Vec<(String, String, u64)> = found
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["object"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("data-dtype-mismatch", "feature_view/wrong_type_view", 52),
        (
            "data-feature-missing",
            "feature_view/missing_column_view",
            44,
        ),
        ("data-join-key-missing", "feature_view/no_join_key_view", 68),
        ("data-timestamp-missing", "data_source/no_timestamp", 18),
        ("data-timestamp-missing", "data_source/string_timestamp", 21),
    ]
    .map(|(r, o, l)| (r.to_string(), o.to_string(), l));
    assert_eq!(got, want);
    // A column the data lacks needs its history filled before training or materializing.
    let missing = found
        .iter()
        .find(|f| f["rule"] == "data-feature-missing")
        .unwrap();
    assert_eq!(missing["required_action"], "backfill");
    let text = feastops()
        .arg("lint")
        .args([repo.to_str().unwrap(), "--against", base.to_str().unwrap()])
        .args(["--no-config", "--color", "never"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout).contains(
            "required: backfill the offline data before training or materializing (FO801)"
        ),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn no_data_checks_turns_them_off() {
    let repo = fixtures().join("repos/data_checks");
    let base = fixtures().join("registries/data_checks.db");
    let (code, found) = findings(&[
        repo.to_str().unwrap(),
        "--against",
        base.to_str().unwrap(),
        "--no-data-checks",
    ]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn types_inferred_from_data_lint_clean_against_the_registry() {
    let repo = fixtures().join("repos/inferred");
    let base = fixtures().join("registries/inferred.db");
    let (code, found) = findings(&[repo.to_str().unwrap(), "--against", base.to_str().unwrap()]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn unreachable_data_is_unknown_not_changed() {
    // The repo without its data: join key types, features and a timestamp
    // field are unknown; they come from the baseline, with info lines.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("repos/inferred"), dir.path(), "data");
    let base = fixtures().join("registries/inferred.db");
    feastops()
        .arg("lint")
        .arg(dir.path())
        .args(["--against", base.to_str().unwrap(), "--no-config"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("info:").and(predicate::str::contains("left unknown")));
    // Against itself (unknown on both sides): nothing changed either.
    feastops()
        .arg("lint")
        .arg(dir.path())
        .args(["--against", dir.path().to_str().unwrap(), "--no-config"])
        .assert()
        .code(0);
}

#[test]
fn a_snapshot_marks_unknown_types_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("repos/inferred"), dir.path(), "data");
    let lock = dir.path().join("lock.json");
    feastops()
        .args(["snapshot", "--from", dir.path().to_str().unwrap(), "-o"])
        .arg(&lock)
        .assert()
        .success();
    let text = std::fs::read_to_string(&lock).unwrap();
    assert!(text.contains("\"Inferred\""), "{text}");
    assert!(text.contains("\"inferred_features\": true"), "{text}");
    assert!(text.contains("<inferred>"), "{text}");
    // And it reads back.
    feastops()
        .args(["lint", "--against"])
        .arg(&lock)
        .arg("--proposed")
        .arg(&lock)
        .arg("--no-config")
        .assert()
        .code(0);
}

#[test]
fn a_local_parquet_footer_that_is_too_large_or_corrupt_is_one_note_not_a_hang() {
    // The fuzzer's footer (a list of booleans claiming 2^31 elements)
    // made the parquet crate spin; a tail claiming 2 MiB of footer is over
    // a 1 MiB limit and is refused before those bytes are read.
    let corrupt = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus/parquet/regression-thrift-skip-bool-list"),
    )
    .unwrap();
    let mut spinning = b"PAR1".to_vec();
    spinning.extend_from_slice(&corrupt);
    spinning.extend_from_slice(&(corrupt.len() as u32).to_le_bytes());
    spinning.extend_from_slice(b"PAR1");
    let mut oversized = b"PAR1".to_vec();
    oversized.resize(3 << 20, 0);
    oversized.extend_from_slice(&(2u32 << 20).to_le_bytes());
    oversized.extend_from_slice(b"PAR1");
    for (bytes, expect) in [
        (spinning, "a corrupt parquet footer: a container of"),
        (
            oversized,
            "larger (2097152 bytes) than 1 MiB, the most feastops reads for a parquet footer",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join("repos/inferred"), dir.path(), "");
        std::fs::write(dir.path().join("data/customers.parquet"), bytes).unwrap();
        let out = feastops()
            .args(["lint", "--no-config", "--against"])
            .arg(fixtures().join("registries/inferred.db"))
            .arg("--proposed")
            .arg(dir.path())
            .env("FEASTOPS_MAX_INPUT_MB", "1")
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("customers.parquet") && stderr.contains(expect),
            "{stderr}"
        );
        assert_eq!(out.status.code(), Some(0), "{stderr}");
    }
}

/// A one-object S3 endpoint on loopback that answers ranged GETs and
/// records each Range header it was sent.
fn fake_s3(object: Vec<u8>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (object, log) = (object.clone(), log.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut out = stream;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let found = line.contains("/bucket/customers.parquet");
                    let mut range = String::new();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("range:") {
                            range = v.trim().to_string();
                        }
                    }
                    log.lock().unwrap().push(range.clone());
                    if !found {
                        let _ =
                            out.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
                        continue;
                    }
                    let size = object.len();
                    let (start, end) = match range.strip_prefix("bytes=") {
                        Some(r) if r.starts_with('-') => {
                            let n: usize = r[1..].parse().unwrap();
                            (size.saturating_sub(n), size - 1)
                        }
                        Some(r) => {
                            let (a, b) = r.split_once('-').unwrap();
                            let b = if b.is_empty() {
                                size - 1
                            } else {
                                b.parse().unwrap()
                            };
                            (a.parse().unwrap(), b)
                        }
                        None => (0, size - 1),
                    };
                    let body = &object[start..=end];
                    let head = format!(
                        "HTTP/1.1 206 Partial Content\r\ncontent-length: {}\r\ncontent-range: bytes {start}-{end}/{size}\r\netag: \"1\"\r\nlast-modified: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n",
                        body.len()
                    );
                    let _ = out.write_all(head.as_bytes());
                    let _ = out.write_all(body);
                }
            });
        }
    });
    (url, seen)
}

/// A repo whose one view reads `s3://bucket/customers.parquet` (types left to the data).
fn remote_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("repos/inferred/feature_store.yaml"),
        dir.path().join("feature_store.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("repo.py"),
        "from feast import Entity, FeatureView, FileSource\n\
         customer = Entity(name=\"customer\", join_keys=[\"customer_id\"])\n\
         src = FileSource(name=\"remote\", path=\"s3://bucket/customers.parquet\")\n\
         v = FeatureView(name=\"remote_view\", entities=[customer], source=src)\n",
    )
    .unwrap();
    dir
}

/// The environment that points feastops' S3 client at the fake server.
fn s3_env(endpoint: &str) -> [(&'static str, String); 4] {
    [
        ("FEAST_S3_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
    ]
}

#[test]
fn remote_parquet_footers_are_read_with_ranged_gets() {
    let object = std::fs::read(fixtures().join("repos/inferred/data/customers.parquet")).unwrap();
    let (endpoint, seen) = fake_s3(object);
    let dir = remote_repo();
    let lock = dir.path().join("lock.json");
    feastops()
        .args(["snapshot", "--from", dir.path().to_str().unwrap(), "-o"])
        .arg(&lock)
        .envs(s3_env(&endpoint))
        .assert()
        .success();
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lock).unwrap()).unwrap();
    let p = &model["projects"]["employee_attrition"];
    let v = &p["feature_views"]["remote_view"];
    let cols = |k: &str| -> Vec<(String, String)> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().into(),
                    f["dtype"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(
        cols("entity_columns"),
        [("customer_id".into(), "String".into())]
    );
    assert_eq!(
        cols("features"),
        [
            ("spend".into(), "Float64".into()),
            ("visits".into(), "Int32".into())
        ]
    );
    assert_eq!(p["data_sources"]["remote"]["timestamp_field"], "ts");
    // The whole (small) file fits the first suffix read: one ranged GET,
    // never an unranged one.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, ["bytes=-16384"], "{seen:?}");
}

#[test]
fn a_remote_parquet_footer_over_the_limit_is_never_fetched() {
    // The tail claims 2 MiB of footer metadata in a 3 MiB object; with a
    // 1 MiB limit the reader stops after the first ranged GET and says why.
    let meta_len: u32 = 2 << 20;
    let mut object = b"PAR1".to_vec();
    object.resize(3 << 20, 0);
    object.extend_from_slice(&meta_len.to_le_bytes());
    object.extend_from_slice(b"PAR1");
    let (endpoint, seen) = fake_s3(object);
    let dir = remote_repo();
    // lint prints the note a failed footer read leaves.
    let out = feastops()
        .args(["lint", "--no-config", "--against"])
        .arg(fixtures().join("registries/base.db"))
        .arg("--proposed")
        .arg(dir.path())
        .envs(s3_env(&endpoint))
        .env("FEASTOPS_MAX_INPUT_MB", "1")
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("larger (2097152 bytes) than 1 MiB") && all.contains("parquet footer"),
        "{all}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, ["bytes=-16384"], "{seen:?}");
}

#[test]
fn a_git_ref_reads_its_committed_data() {
    // The inferred repo committed with its parquet files; the working copy
    // then loses its data. The baseline at HEAD still infers from the
    // committed files (read from git's object database), so linting the
    // data-less working copy against it reports nothing and says why.
    let tmp = tempfile::tempdir().unwrap();
    let feast = tmp.path().join("feast");
    copy_dir(&fixtures().join("repos/inferred"), &feast, "");
    let repo = git2::Repository::init(tmp.path()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("t", "t@example.com").unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "inferred", &tree, &[])
        .unwrap();
    let head = tmp.path().join("head.json");
    feastops()
        .current_dir(tmp.path())
        .args(["snapshot", "--from", "git:HEAD:feast", "-o"])
        .arg(&head)
        .assert()
        .success();
    let text = std::fs::read_to_string(&head).unwrap();
    assert!(!text.contains("Inferred"), "{text}");
    std::fs::remove_dir_all(feast.join("data")).unwrap();
    feastops()
        .current_dir(tmp.path())
        .args([
            "lint",
            "feast",
            "--against",
            "git:HEAD:feast",
            "--no-config",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("left unknown"));
}
