//! The rendered `permissions/*.py` files, applied with the real feast and
//! judged by Feast's own permission enforcement: each principal the spec
//! names gets exactly the actions the topology promises, everyone else
//! nothing.

#[path = "topology_common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::render_cmd;

const ALL: &[&str] = &[
    "CREATE",
    "DESCRIBE",
    "UPDATE",
    "DELETE",
    "READ_ONLINE",
    "READ_OFFLINE",
    "WRITE_ONLINE",
    "WRITE_OFFLINE",
];
const READ: &[&str] = &["DESCRIBE", "READ_ONLINE", "READ_OFFLINE"];

fn feast() -> PathBuf {
    PathBuf::from(
        std::env::var("FEASTOPS_FEAST")
            .expect("FEASTOPS_FEAST must point at a feast binary (scripts/test sets it)"),
    )
}

fn render(dir: &Path, args: &[&str]) {
    render_cmd()
        .args(args)
        .arg("-o")
        .arg(dir)
        .assert()
        .success();
}

/// A principal and the actions it must be granted (all others denied).
struct Who {
    namespaces: &'static [&'static str],
    roles: &'static [&'static str],
    granted: &'static [&'static str],
}

/// Applies one generated file with real feast into its own project, then
/// asks Feast who may do what; returns (permissions registered, verdicts).
fn evaluate(file: &Path, who: &[Who]) -> (u64, Vec<(String, bool, bool)>) {
    let project = file.file_stem().unwrap().to_str().unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(
        repo.path().join("feature_store.yaml"),
        format!(
            "project: {project}\nprovider: local\nregistry: data/registry.db\nonline_store:\n  type: sqlite\n  path: data/online.db\nentity_key_serialization_version: 3\n"
        ),
    )
    .unwrap();
    std::fs::copy(file, repo.path().join("permissions.py")).unwrap();
    let applied = Command::new(feast())
        .arg("apply")
        .current_dir(repo.path())
        .env("FEAST_USAGE", "False")
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "feast apply of {}: {}",
        file.display(),
        String::from_utf8_lossy(&applied.stderr)
    );
    let mut cases = Vec::new();
    let mut expected = Vec::new();
    for w in who {
        for action in ALL {
            cases.push(serde_json::json!({
                "namespaces": w.namespaces, "roles": w.roles, "action": action,
            }));
            expected.push((
                format!("namespaces {:?} roles {:?} {action}", w.namespaces, w.roles),
                w.granted.contains(action),
            ));
        }
    }
    let cases_file = repo.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&cases).unwrap()).unwrap();
    let python = feast().parent().unwrap().join("python");
    let script = common::repo().join("tests/fixtures/permissions/evaluate.py");
    let out = Command::new(python)
        .arg(script)
        .arg(repo.path())
        .arg(&cases_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "evaluate.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let granted = v["granted"].as_array().unwrap();
    let verdicts = expected
        .into_iter()
        .zip(granted)
        .map(|((case, want), got)| (case, want, got.as_bool().unwrap()))
        .collect();
    (v["permissions"].as_u64().unwrap(), verdicts)
}

fn assert_verdicts(file: &Path, verdicts: &[(String, bool, bool)]) {
    let wrong: Vec<String> = verdicts
        .iter()
        .filter(|(_, want, got)| want != got)
        .map(|(case, want, got)| format!("{case}: promised {want}, Feast says {got}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{}:\n  {}",
        file.display(),
        wrong.join("\n  ")
    );
}

#[test]
fn shared_registry_permissions_separate_tenants_by_project_under_feasts_enforcement() {
    let out = tempfile::tempdir().unwrap();
    render(
        out.path(),
        &[
            "--topology",
            "enterprise",
            "--shared-registry",
            "--tenants",
            "team-a,team-b",
            "--namespace",
            "platform",
            "--cloud",
            "aws",
        ],
    );
    let perms = out.path().join("permissions");
    let stranger = Who {
        namespaces: &["default"],
        roles: &["feast-admin-role"],
        granted: &[],
    };
    let checks: Vec<(PathBuf, Vec<Who>)> = vec![
        (
            perms.join("feast_shared_registry.py"),
            vec![
                Who {
                    namespaces: &["team-a"],
                    roles: &[],
                    granted: READ,
                },
                Who {
                    namespaces: &["team-b"],
                    roles: &[],
                    granted: READ,
                },
                Who {
                    namespaces: &["platform"],
                    roles: &[],
                    granted: ALL,
                },
                stranger,
            ],
        ),
        (
            perms.join("team_a.py"),
            vec![
                Who {
                    namespaces: &["team-a"],
                    roles: &[],
                    granted: ALL,
                },
                Who {
                    namespaces: &["team-b"],
                    roles: &[],
                    granted: &[],
                },
                Who {
                    namespaces: &["default"],
                    roles: &[],
                    granted: &[],
                },
            ],
        ),
        (
            perms.join("team_b.py"),
            vec![
                Who {
                    namespaces: &["team-b"],
                    roles: &[],
                    granted: ALL,
                },
                Who {
                    namespaces: &["team-a"],
                    roles: &[],
                    granted: &[],
                },
            ],
        ),
    ];
    std::thread::scope(|s| {
        let handles: Vec<_> = checks
            .iter()
            .map(|(file, who)| s.spawn(move || (file, evaluate(file, who))))
            .collect();
        for h in handles {
            let (file, (count, verdicts)) = h.join().unwrap();
            assert!(count > 0, "{}: no permission registered", file.display());
            assert_verdicts(file, &verdicts);
        }
    });
}

#[test]
fn role_based_permissions_grant_admins_everything_and_users_reads() {
    let out = tempfile::tempdir().unwrap();
    render(out.path(), &["--topology", "standard", "--cloud", "gcp"]);
    let files: Vec<PathBuf> = std::fs::read_dir(out.path().join("permissions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let (count, verdicts) = evaluate(
        &files[0],
        &[
            Who {
                namespaces: &[],
                roles: &["feast-admin-role"],
                granted: ALL,
            },
            Who {
                namespaces: &[],
                roles: &["feast-user-role"],
                granted: READ,
            },
            Who {
                namespaces: &["feast"],
                roles: &[],
                granted: &[],
            },
        ],
    );
    assert_eq!(count, 2);
    assert_verdicts(&files[0], &verdicts);
}
