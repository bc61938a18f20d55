//! The corpus differential test: real public Feast feature repos (the
//! `feast init` templates of several feast releases, Feast's own examples
//! and test repos, tutorials, third-party projects; pinned in
//! `scripts/corpus/repos.toml`), each applied with the real feast 0.67.0 by
//! `scripts/corpus/gather` into `$FEASTOPS_CORPUS/<name>/registry.db`.
//!
//! For every repo feast applied, the static reader must either give exactly
//! the model decoded from that registry, or refuse with an error, and then
//! only if `tests/corpus-expected.toml` lists the repo with its reason. A
//! static model that differs from the registry always fails (a silent wrong
//! answer); a listed repo that now reads exactly fails too, so the list only
//! shrinks.
//!
//! `--via-feast` is run on every applied repo and its outcome is reported.
//! What is asserted about it: whenever it returns a model, that model equals
//! the registry. Its failures are listed with their cause but do not fail
//! the test, because the via-feast runner is being replaced by one that runs
//! in place (data files and `__file__` intact); once it is, every applied
//! repo is expected to succeed and the assertion can cover failures too.
//!
//! Without `FEASTOPS_CORPUS` the test says so and passes (plain `cargo test`
//! on a machine that never gathered). With it, every PyPI entry must have
//! been gathered (CI always can); GitHub entries whose snapshot is absent
//! (CI has no GitHub access) are skipped with a line each.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

mod common;

use feastops::model::Registry;
use feastops::sources::{self, SourceSpec, repo};

const LIST: &str = "scripts/corpus/repos.toml";
const EXPECTED: &str = "tests/corpus-expected.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One entry of the pinned list, as the gather script names it.
struct Entry {
    name: String,
    pypi: bool,
}

fn entries() -> Vec<Entry> {
    let text = std::fs::read_to_string(root().join(LIST)).unwrap();
    let list: toml::Table = toml::from_str(&text).unwrap();
    let mut out = Vec::new();
    for t in list.get("templates").and_then(|t| t.as_array()).unwrap() {
        let version = t["version"].as_str().unwrap();
        for n in t["names"].as_array().unwrap() {
            out.push(Entry {
                name: format!("feast-{version}-{}", n.as_str().unwrap()),
                pypi: true,
            });
        }
    }
    for r in list.get("repo").and_then(|r| r.as_array()).unwrap() {
        out.push(Entry {
            name: r["name"].as_str().unwrap().to_string(),
            pypi: r["kind"].as_str().unwrap() != "github",
        });
    }
    out
}

/// Repos the static reader is expected to refuse: name → why.
fn expected_refusals() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join(EXPECTED)).unwrap();
    let t: toml::Table = toml::from_str(&text).unwrap();
    t.get("refused")
        .and_then(|r| r.as_table())
        .map(|r| {
            r.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// What the comparison ignores, and why: what only one kind of source
/// knows (`common::comparable`: locations, stream views' feature order),
/// and the absolute directory feast ran in: paths a repo builds from
///   `__file__` or `os.getcwd()` are absolute; feast applied the repo in
///   place (recorded in `applied_in`), and it may be read from elsewhere
///   after the corpus moved; each becomes `<REPO>`, so the rest of such a
///   path is still compared.
fn normalize(r: Registry, dirs: &[String]) -> String {
    let r = common::comparable(r);
    let mut json = serde_json::to_string_pretty(&r).unwrap();
    for d in dirs {
        json = json.replace(d.as_str(), "<REPO>");
    }
    json
}

/// The first line of a difference, for the table; the whole diff is printed
/// in the failure message.
fn first_difference(got: &str, want: &str) -> String {
    let diff = similar::TextDiff::from_lines(want, got);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Equal => {}
            similar::ChangeTag::Delete => {
                let _ = write!(out, "-registry {}", change.value());
            }
            similar::ChangeTag::Insert => {
                let _ = write!(out, "+static   {}", change.value());
            }
        }
        if out.lines().count() >= 40 {
            out.push_str("…\n");
            break;
        }
    }
    out
}

#[derive(Debug)]
enum Static {
    Exact,
    Refused(String),
    Different(String),
}

#[derive(Debug)]
enum Via {
    Ok,
    Failed(String),
    Different(String),
    NotRun(String),
}

struct Outcome {
    name: String,
    pypi: bool,
    static_read: Static,
    via: Via,
}

fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 220 {
        let cut: String = s.chars().take(220).collect();
        format!("{cut}…")
    } else {
        s
    }
}

fn read_static(dir: &Path, want: &str, dirs: &[String]) -> Static {
    let repo_dir = dir.join("repo");
    match repo::load_dir(&repo_dir) {
        // Messages start with the repo directory; the table names the repo.
        Err(e) => {
            let msg = e.to_string();
            let prefix = format!("{}: ", repo_dir.display());
            Static::Refused(one_line(msg.strip_prefix(&prefix).unwrap_or(&msg)))
        }
        Ok(model) => {
            let got = normalize(model, dirs);
            if got == want {
                Static::Exact
            } else {
                Static::Different(first_difference(&got, want))
            }
        }
    }
}

fn read_via_feast(dir: &Path, want: &str, dirs: &[String], python: Option<&Path>) -> Via {
    let Some(python) = python else {
        return Via::NotRun("FEASTOPS_FEAST not set".into());
    };
    let out = Command::new(env!("CARGO_BIN_EXE_feastops"))
        .args(["snapshot", "-o", "-", "--via-feast", "--python"])
        .arg(python)
        .arg("--from")
        .arg(dir.join("repo"))
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        // The cause is at the end: feast's own last lines, after the
        // repo's path.
        let err = one_line(&err);
        let err = match err.split_once("/repo: ") {
            Some((_, rest)) => rest.to_string(),
            None => err,
        };
        let chars: Vec<char> = err.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(160)..].iter().collect();
        return Via::Failed(tail);
    }
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), &out.stdout).unwrap();
    let model = match sources::load(&SourceSpec::File(tmp.path().to_path_buf())) {
        Ok(m) => m,
        Err(e) => return Via::Failed(format!("its lock file does not load: {e}")),
    };
    let got = normalize(model, dirs);
    if got == want {
        Via::Ok
    } else {
        Via::Different(first_difference(&got, want))
    }
}

fn status_of(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join("status"))
        .ok()
        .map(|s| s.trim().to_string())
}

#[test]
fn corpus_static_reading_equals_what_feast_apply_registered() {
    let Some(corpus) = std::env::var_os("FEASTOPS_CORPUS").map(PathBuf::from) else {
        println!(
            "corpus: FEASTOPS_CORPUS is not set; skipped (scripts/test gathers the corpus: scripts/corpus/gather)"
        );
        return;
    };
    let python = std::env::var_os("FEASTOPS_FEAST")
        .map(PathBuf::from)
        .map(|f| f.parent().unwrap().join("python"));
    let expected = expected_refusals();
    let entries = entries();
    let mut problems: Vec<String> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut not_applied: Vec<(String, String)> = Vec::new();
    let mut todo: Vec<(String, bool, PathBuf)> = Vec::new();

    for e in &entries {
        let dir = corpus.join(&e.name);
        match status_of(&dir) {
            None if e.pypi => problems.push(format!(
                "{}: not gathered, but PyPI entries must be (run scripts/corpus/gather)",
                e.name
            )),
            None => skipped.push(format!("{}: not gathered", e.name)),
            Some(s) if s.starts_with("absent") => {
                if e.pypi {
                    problems.push(format!("{}: {s}", e.name));
                } else {
                    skipped.push(format!("{}: {s}", e.name));
                }
            }
            Some(s) if s == "applied" => todo.push((e.name.clone(), e.pypi, dir)),
            Some(s) => not_applied.push((e.name.clone(), s)),
        }
    }
    for name in expected.keys() {
        if !entries.iter().any(|e| &e.name == name) {
            problems.push(format!(
                "{name}: listed in {EXPECTED} but not in {LIST}; remove it"
            ));
        }
    }

    // Two at a time: each --via-feast run is a `feast apply`.
    let queue = Mutex::new(todo.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let Some((name, pypi, dir)) = queue.lock().unwrap().next() else {
                        break;
                    };
                    // Where feast applied the repo (recorded by gather), and
                    // where it is read now: the same unless the corpus moved.
                    let applied_in = std::fs::read_to_string(dir.join("applied_in"))
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default();
                    let here = dir.join("repo");
                    let here = here.canonicalize().unwrap_or(here).display().to_string();
                    let dirs: Vec<String> = [applied_in, here]
                        .into_iter()
                        .filter(|d| !d.is_empty())
                        .collect();
                    let want = match sources::load(&SourceSpec::File(dir.join("registry.db"))) {
                        Ok(r) => normalize(r, &dirs),
                        Err(e) => panic!("{name}: registry feast wrote does not decode: {e}"),
                    };
                    let static_read = read_static(&dir, &want, &dirs);
                    let via = read_via_feast(&dir, &want, &dirs, python.as_deref());
                    results.lock().unwrap().push(Outcome {
                        name,
                        pypi,
                        static_read,
                        via,
                    });
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| (!a.pypi, &a.name).cmp(&(!b.pypi, &b.name)));

    let mut table = String::new();
    let _ = writeln!(
        table,
        "{:<64} {:<8} {:<9} detail",
        "repo", "static", "via-feast"
    );
    #[derive(Default)]
    struct Counts {
        exact: usize,
        refused: usize,
        different: usize,
        via_ok: usize,
        via_failed: usize,
        via_different: usize,
    }
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    for r in &results {
        let c = counts
            .entry(if r.pypi { "pypi" } else { "github" })
            .or_default();
        let (st, detail) = match &r.static_read {
            Static::Exact => {
                c.exact += 1;
                if expected.contains_key(&r.name) {
                    problems.push(format!(
                        "{}: now read exactly; remove it from {EXPECTED}",
                        r.name
                    ));
                }
                ("exact", String::new())
            }
            Static::Refused(why) => {
                c.refused += 1;
                if !expected.contains_key(&r.name) {
                    problems.push(format!(
                        "{}: refused by the static reader but not listed in {EXPECTED}: {why}",
                        r.name
                    ));
                }
                ("refused", why.clone())
            }
            Static::Different(diff) => {
                c.different += 1;
                problems.push(format!(
                    "{}: the static model DIFFERS from the registry feast wrote (a silent wrong answer):\n{diff}",
                    r.name
                ));
                ("DIFFERENT", "see below".to_string())
            }
        };
        let (via_col, via_detail) = match &r.via {
            Via::Ok => {
                c.via_ok += 1;
                ("ok", String::new())
            }
            Via::Failed(why) => {
                c.via_failed += 1;
                ("failed", why.clone())
            }
            Via::NotRun(why) => ("not run", why.clone()),
            Via::Different(diff) => {
                c.via_different += 1;
                problems.push(format!(
                    "{}: the --via-feast model DIFFERS from the registry:\n{diff}",
                    r.name
                ));
                ("DIFFERENT", "see below".to_string())
            }
        };
        let detail = match (detail.is_empty(), via_detail.is_empty()) {
            (_, true) => detail,
            (true, false) => format!("via-feast: {via_detail}"),
            (false, false) => format!("{detail} | via-feast: {via_detail}"),
        };
        let _ = writeln!(table, "{:<64} {st:<8} {via_col:<9} {detail}", r.name);
    }
    for (name, status) in &not_applied {
        let _ = writeln!(table, "{name:<64} {:<8} {:<9} {status}", "-", "-");
    }
    for s in &skipped {
        let _ = writeln!(table, "skipped: {s}");
    }
    for (part, c) in &counts {
        let total = c.exact + c.refused + c.different;
        let _ = writeln!(
            table,
            "{part}: {total} applied repos: static exact {} / refused {} / DIFFERENT {}; via-feast ok {} / failed {} / DIFFERENT {}",
            c.exact, c.refused, c.different, c.via_ok, c.via_failed, c.via_different
        );
    }
    let _ = writeln!(
        table,
        "not measured: {} that feast itself could not apply or that duplicate another entry, {} skipped",
        not_applied.len(),
        skipped.len()
    );
    println!("{table}");
    let _ = std::fs::write(corpus.join("summary.txt"), &table);
    assert!(
        problems.is_empty(),
        "{} corpus problem(s):\n{}\n\n{table}",
        problems.len(),
        problems.join("\n")
    );
}
