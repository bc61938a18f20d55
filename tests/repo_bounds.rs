//! The bounds on what feastops reads: hostile or runaway input fails with
//! one diagnostic naming the line and the limit (exit 2 at the CLI), never
//! a panic, a stack overflow, exhausted memory or a wrong value. Each case
//! here crashed, hung or answered wrongly before its bound existed.

use assert_cmd::Command;
use feastops::sources::repo::{RepoError, RepoTree, parse};

/// Reads one module that defines `x` and names an entity after it.
fn read(code: &str) -> Result<String, String> {
    let src = format!(
        "{code}\nfrom feast import Entity\ne = Entity(name=f\"e{{x}}\", join_keys=[\"id\"])\n"
    );
    let tree = RepoTree {
        python: [("m.py".to_string(), src)].into_iter().collect(),
        feature_store_yaml: Some("project: p\n".into()),
        ..Default::default()
    };
    match parse(&tree) {
        Ok(reg) => Ok(reg.projects["p"].entities.keys().next().unwrap().clone()),
        Err(RepoError::Diagnostics { diagnostics, .. }) => Err(diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")),
        Err(e) => panic!("{e}"),
    }
}

fn refused(code: &str, expect: &str) {
    let err = read(code).expect_err(code);
    assert!(err.contains(expect), "{code}: {err}");
}

#[test]
fn integers_past_64_bits_are_unknown_not_saturated() {
    let min = "(-9223372036854775807 - 1)";
    for code in [
        format!("x = {min} // -1"),
        format!("x = -{min}"),
        format!("x = {min} * -1"),
        "x = 9223372036854775807 + 1".to_string(),
        "x = sum([9223372036854775807, 1])".to_string(),
    ] {
        refused(&code, "an integer beyond 64 bits");
    }
    // Python's floor division and remainder, at the edges too.
    assert_eq!(read("x = -7 // 2").unwrap(), "e-4");
    assert_eq!(read("x = -7 % 3").unwrap(), "e2");
    assert_eq!(read(&format!("x = {min} % -1")).unwrap(), "e0");
    assert_eq!(
        read("x = len(range(9223372036854775800, 9223372036854775807, 3))").unwrap(),
        "e3"
    );
    refused(
        &format!("x = len(range({min}, 9223372036854775807))"),
        "a range too long to evaluate",
    );
}

#[test]
fn deep_code_is_refused_before_it_overflows_the_stack() {
    for code in [
        format!("x = {}1{}", "[".repeat(5000), "]".repeat(5000)),
        format!("x = {}1", "-".repeat(100_000)),
        format!("x = 1{}", " + 1".repeat(100_000)),
    ] {
        refused(
            &code,
            "nests expressions or blocks more than 1000 levels deep",
        );
    }
    // Deep but within the bound, inside nested calls: the evaluator grows
    // its stack instead of overflowing it.
    let deep = format!("{}1{}", "(".repeat(900), ")".repeat(900));
    let code =
        format!("def f(n):\n    return {deep} if n == 0 else f(n - 1) + 0 * {deep}\nx = f(30)");
    assert_eq!(read(&code).unwrap(), "e1");
}

#[test]
fn values_nested_too_deep_are_refused() {
    refused(
        "x = []\nfor i in range(100000):\n    x = [x]",
        "nests lists, dicts or sets more than 100 levels deep",
    );
    // Each append copies the list into itself: its size doubles long
    // before it nests 100 deep.
    refused(
        "x = []\nfor i in range(100000):\n    x.append(x)",
        "larger than 256 MiB in total",
    );
    refused(
        "x = []\nfor i in range(100000):\n    x.append([x[-1:]])",
        "nests lists, dicts or sets more than 100 levels deep",
    );
}

#[test]
fn code_building_too_much_is_stopped() {
    for code in [
        "x = \"ab\"\nfor i in range(60):\n    x = x + x",
        "x = \"ab\" * 2000000000",
        "x = [1] * 2000000000",
        "x = \",\".join([\"abcdefgh\"] * 100000000)",
        "x = {\"a\": 1}\nfor i in range(60):\n    x = {\"a\": x, \"b\": x}",
    ] {
        refused(code, "larger than 256 MiB in total");
    }
    refused(
        "x = \"{:>1000000000}\".format(1)",
        "a format width or precision above 1048576",
    );
    refused(
        "x = \"{:>99999999999999999999999999}\".format(1)",
        "a format width or precision above 1048576",
    );
    refused("x = \"%1000000000d\" % 1", "above 1048576");
    refused("x = \"1\".zfill(1000000000)", "above 1048576");
}

/// Found by the `repo` fuzz target (2026-11-30, its second timeout): the
/// step budget bounds each statement's loop iterations, not what one
/// iteration costs nor how many statements run, so 23 nested
/// comprehensions evaluating a long expression per item ran for minutes
/// inside it. The whole read is now bounded by `limits::MAX_WORK`.
#[test]
fn a_read_evaluating_too_much_in_all_is_stopped() {
    let long_item = vec!["len(\"ab\")"; 40].join(", ");
    let heavy_items = format!(
        "x = len([[[({long_item}) for i in range(100)] for j in range(100)] for k in range(19)])"
    );
    let many_loops = "for a in range(99000):\n    pass\n".repeat(60) + "x = 1";
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send([heavy_items, many_loops].map(|code| read(&code)));
    });
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the read was not stopped by the work budget");
    for err in got {
        let err = err.expect_err("a read over the work budget must fail");
        assert!(
            err.contains("evaluates more than 10000000 expressions and loop iterations in all"),
            "{err}"
        );
        assert!(err.contains("m.py:"), "{err}");
    }
}

/// Found by the `repo` fuzz target (2026-11-30, a timeout): an empty list
/// times a huge int builds nothing, so the bytes budget never stopped it,
/// and the repeat looped that many times (`list(range(-40, 64, -100)) *
/// 7102359571838812762` ran for minutes). Python answers `[]` at once.
#[test]
fn an_empty_list_repeated_a_huge_number_of_times_is_empty_at_once() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let got = [
            "x = len([] * 9223372036854775807)",
            "x = len(9223372036854775807 * list(range(-40, 64, -100)))",
            "x = len([] * 7102359571838812762 + [1] * 3)",
        ]
        .map(|code| read(code).unwrap());
        let _ = tx.send(got);
    });
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the repeat of an empty list hung");
    assert_eq!(got, ["e0", "e0", "e3"]);
}

#[test]
fn files_over_the_size_limit_are_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    std::fs::write(&db, vec![7u8; 2 << 20]).unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    std::fs::write(repo.join("feature_store.yaml"), "project: p\n").unwrap();
    std::fs::write(repo.join("big.py"), "x = 1\n".repeat(400_000)).unwrap();
    for (from, file) in [(&db, "big.db"), (&repo, "big.py")] {
        let out = Command::cargo_bin("feastops")
            .unwrap()
            .args(["snapshot", "-o", "-", "--from"])
            .arg(from)
            .env("FEASTOPS_MAX_INPUT_MB", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(file), "{stderr}");
        assert!(stderr.contains("than 1 MiB"), "{stderr}");
        assert!(
            stderr.contains("set FEASTOPS_MAX_INPUT_MB to raise"),
            "{stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(out.stdout.is_empty());
    }
    // The default limits read both.
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args(["snapshot", "-o", "-", "--from"])
        .arg(&repo)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
