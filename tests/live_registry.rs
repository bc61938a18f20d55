//! Live registries read back from real services started by `scripts/test`
//! (scripts/services/*): PostgreSQL, MariaDB and SQLite SQL registries
//! written by the real `feast apply`, a real `feast serve_registry`, and a
//! moto S3 server, Azurite and fake-gcs-server. Each must yield exactly the model of the file registry
//! of the same repo, and parquet footers read from each object store the
//! types the local files give. A missing service fails the test; nothing is
//! skipped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use feastops::lint::{CompareOptions, compare};
use feastops::model;
use feastops::sources::{self, SourceError, SourceOptions, SourceSpec};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run the tests through scripts/test, which starts the services in scripts/services/ and exports it"
        )
    })
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/registries")
        .join(format!("{name}.db"))
}

fn file_model(name: &str) -> model::Registry {
    sources::load(&SourceSpec::File(fixture(name))).unwrap()
}

fn live(url: &str) -> Result<model::Registry, SourceError> {
    live_with(url, &quick())
}

fn live_with(url: &str, opts: &SourceOptions) -> Result<model::Registry, SourceError> {
    sources::load_with(&SourceSpec::parse(url).unwrap(), opts)
}

fn quick() -> SourceOptions {
    SourceOptions {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(30),
        ..Default::default()
    }
}

fn with_project(p: &str) -> SourceOptions {
    SourceOptions {
        project: Some(p.into()),
        ..quick()
    }
}

/// The URL with its password replaced.
fn with_password(url: &str, pw: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (userinfo, host) = rest.split_once('@').unwrap();
    let user = userinfo.split(':').next().unwrap();
    format!("{scheme}://{user}:{pw}@{host}")
}

fn password_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    let userinfo = rest.split_once('@').unwrap().0;
    userinfo.split_once(':').unwrap().1.to_string()
}

fn assert_same(live: &model::Registry, file: &model::Registry) {
    if live != file {
        let a = serde_json::to_string_pretty(file).unwrap();
        let b = serde_json::to_string_pretty(live).unwrap();
        let diff = similar::TextDiff::from_lines(&a, &b)
            .unified_diff()
            .context_radius(2)
            .header("file registry", "live registry")
            .to_string();
        panic!("live registry differs from the file registry:\n{diff}");
    }
}

// --- SQL registries: one project -------------------------------------------

#[test]
fn postgres_registry_equals_the_file_registry() {
    assert_same(
        &live(&env("FEASTOPS_TEST_PG_URL")).unwrap(),
        &file_model("base"),
    );
}

#[test]
fn mariadb_registry_equals_the_file_registry() {
    assert_same(
        &live(&env("FEASTOPS_TEST_MYSQL_URL")).unwrap(),
        &file_model("base"),
    );
}

#[test]
fn sqlite_registry_equals_the_file_registry() {
    assert_same(
        &live(&env("FEASTOPS_TEST_SQLITE_URL")).unwrap(),
        &file_model("base"),
    );
}

// --- SQL registries: two projects, project selection -----------------------

fn check_multi(url: &str) {
    let all = live(url).unwrap();
    assert_same(&all, &file_model("multi"));
    assert_eq!(
        all.projects.keys().collect::<Vec<_>>(),
        ["employee_attrition", "recruiting"]
    );

    let one = live_with(url, &with_project("employee_attrition")).unwrap();
    assert_same(&one, &file_model("base"));

    let mut recruiting = file_model("multi");
    recruiting.retain_project("recruiting");
    assert_same(
        &live_with(url, &with_project("recruiting")).unwrap(),
        &recruiting,
    );

    let err = live_with(url, &with_project("nope")).unwrap_err();
    assert!(matches!(err, SourceError::ProjectNotFound { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("project `nope` does not exist"), "{msg}");
    assert!(msg.contains("employee_attrition, recruiting"), "{msg}");
    assert!(!msg.contains(&password_of(url)), "{msg}");
}

#[test]
fn postgres_two_projects_and_project_selection() {
    check_multi(&env("FEASTOPS_TEST_PG_MULTI_URL"));
}

#[test]
fn mariadb_two_projects_and_project_selection() {
    check_multi(&env("FEASTOPS_TEST_MYSQL_MULTI_URL"));
}

#[test]
fn sqlite_two_projects() {
    let url = env("FEASTOPS_TEST_SQLITE_MULTI_URL");
    assert_same(&live(&url).unwrap(), &file_model("multi"));
    assert_same(
        &live_with(&url, &with_project("employee_attrition")).unwrap(),
        &file_model("base"),
    );
}

// --- Object storage and registry server ------------------------------------

#[test]
fn s3_registry_object_equals_the_file_registry() {
    // FEAST_S3_ENDPOINT_URL and the fake AWS credentials come from
    // scripts/services/s3/start.
    env("FEAST_S3_ENDPOINT_URL");
    assert_same(
        &live(&env("FEASTOPS_TEST_S3_URL")).unwrap(),
        &file_model("base"),
    );
}

#[test]
fn s3_missing_object_is_one_clear_error() {
    env("FEAST_S3_ENDPOINT_URL");
    let err = live("s3://feastops-test/registry/absent.db").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("no registry object"), "{msg}");
}

#[test]
fn azure_blob_equals_the_file_registry() {
    // Azurite; AZURE_STORAGE_USE_EMULATOR and AZURITE_BLOB_STORAGE_URL come
    // from scripts/services/azurite/start.
    env("AZURITE_BLOB_STORAGE_URL");
    assert_same(
        &live(&env("FEASTOPS_TEST_AZURE_URL")).unwrap(),
        &file_model("base"),
    );
    let err = live("az://feastops-test/registry/absent.db").unwrap_err();
    assert!(err.to_string().contains("no registry object"), "{err}");
}

#[test]
fn gcs_object_equals_the_file_registry() {
    // fake-gcs-server; STORAGE_EMULATOR_HOST comes from
    // scripts/services/gcs/start.
    env("STORAGE_EMULATOR_HOST");
    assert_same(
        &live(&env("FEASTOPS_TEST_GCS_URL")).unwrap(),
        &file_model("base"),
    );
}

#[test]
fn gcs_missing_object_is_one_clear_error() {
    env("STORAGE_EMULATOR_HOST");
    let err = live("gs://feastops-test/registry/absent.db").unwrap_err();
    assert!(err.to_string().contains("no registry object"), "{err}");
}

#[test]
fn gcs_bad_credentials_are_one_clear_redacted_error() {
    // A service-account key aimed at the emulator whose private key is not
    // a key: no request may be made with it, and none of it printed.
    let endpoint = env("STORAGE_EMULATOR_HOST");
    let key = serde_json::json!({
        "private_key": "-----BEGIN PRIVATE KEY-----\nU2VjcmV0S2V5TWF0ZXJpYWw=\n-----END PRIVATE KEY-----\n",
        "private_key_id": "kid-Hunter2-gcs",
        "client_email": "feastops@test.invalid",
        "gcs_base_url": endpoint,
    });
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args([
            "snapshot",
            "-o",
            "-",
            "--from",
            &env("FEASTOPS_TEST_GCS_URL"),
        ])
        .env_remove("STORAGE_EMULATOR_HOST")
        .env("GOOGLE_SERVICE_ACCOUNT_KEY", key.to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("feastops: error: gs://feastops-test/"),
        "{stderr}"
    );
    assert!(stderr.contains("authentication failed"), "{stderr}");
    for secret in ["U2VjcmV0S2V5TWF0ZXJpYWw", "kid-Hunter2-gcs", "PRIVATE KEY"] {
        assert!(!stderr.contains(secret), "{stderr}");
    }
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}

/// The file registry as a registry server serves it: Feast 0.67's
/// `RegistryServer.Proto` builds the registry from per-type List calls and
/// leaves out the view version history, and the REST API has no route for
/// it; feastops takes the history from the other side of a comparison.
fn served(name: &str) -> model::Registry {
    let mut r = file_model(name);
    for p in r.projects.values_mut() {
        p.view_versions.clear();
    }
    r
}

#[test]
fn grpc_registry_server_equals_the_file_registry() {
    assert_same(
        &live(&env("FEASTOPS_TEST_GRPC_URL")).unwrap(),
        &served("base"),
    );
}

#[test]
fn grpc_two_projects_and_project_selection() {
    // Several projects: objects come from per-project List calls.
    let url = env("FEASTOPS_TEST_GRPC_MULTI_URL");
    assert_same(&live(&url).unwrap(), &served("multi"));
    assert_same(
        &live_with(&url, &with_project("employee_attrition")).unwrap(),
        &served("base"),
    );
    let err = live_with(&url, &with_project("nope")).unwrap_err();
    assert!(matches!(err, SourceError::ProjectNotFound { .. }), "{err}");
    assert!(
        err.to_string().contains("employee_attrition, recruiting"),
        "{err}"
    );
}

#[test]
fn rest_registry_server_equals_the_file_registry() {
    assert_same(
        &live(&env("FEASTOPS_TEST_REST_URL")).unwrap(),
        &served("base"),
    );
}

#[test]
fn label_views_over_rest_and_grpc_equal_the_file_registry() {
    let file = served("labels");
    assert!(
        file.projects
            .values()
            .any(|p| p.feature_views.values().any(|v| v.label.is_some())),
        "the fixture has label views"
    );
    let rest = live(&env("FEASTOPS_TEST_REST_LABELS_URL")).unwrap();
    assert!(rest.notes.is_empty(), "{:?}", rest.notes);
    assert_same(&rest, &file);
    assert_same(&live(&env("FEASTOPS_TEST_GRPC_LABELS_URL")).unwrap(), &file);
}

#[test]
fn rest_two_projects_and_project_selection() {
    let url = env("FEASTOPS_TEST_REST_MULTI_URL");
    assert_same(&live(&url).unwrap(), &served("multi"));
    // The `/api/v1` prefix may be given or not.
    let mut recruiting = served("multi");
    recruiting.retain_project("recruiting");
    assert_same(
        &live_with(&format!("{url}/api/v1/"), &with_project("recruiting")).unwrap(),
        &recruiting,
    );
    let err = live_with(&url, &with_project("nope")).unwrap_err();
    assert!(matches!(err, SourceError::ProjectNotFound { .. }), "{err}");
}

#[test]
fn token_env_must_name_a_set_variable() {
    let opts = SourceOptions {
        token_env: Some("FEASTOPS_TEST_SURELY_UNSET_TOKEN".into()),
        ..quick()
    };
    for url in [env("FEASTOPS_TEST_REST_URL"), env("FEASTOPS_TEST_GRPC_URL")] {
        let err = live_with(&url, &opts).unwrap_err().to_string();
        assert!(err.contains("FEASTOPS_TEST_SURELY_UNSET_TOKEN"), "{err}");
        assert!(err.contains("unset or empty"), "{err}");
    }
}

// --- Errors: one line, the right kind, never a credential ------------------

#[test]
fn wrong_password_is_auth_failed_and_never_printed() {
    for var in ["FEASTOPS_TEST_PG_URL", "FEASTOPS_TEST_MYSQL_URL"] {
        let url = with_password(&env(var), "Wr0ng-Pa55word");
        let err = live(&url).unwrap_err();
        assert!(
            matches!(err, SourceError::AuthFailed { .. }),
            "{var}: {err}"
        );
        let msg = err.to_string();
        assert!(!msg.contains("Wr0ng-Pa55word"), "{msg}");
        assert!(msg.contains(":***@127.0.0.1"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }
}

#[test]
fn unreachable_server_is_one_clear_error() {
    // A port nothing listens on: bind, learn the port, close.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for url in [
        format!("postgresql://feast:Sup3rSecret@127.0.0.1:{port}/feast"),
        format!("mysql+pymysql://feast:Sup3rSecret@127.0.0.1:{port}/feast"),
        format!("grpc://127.0.0.1:{port}"),
        format!("http://user:Sup3rSecret@127.0.0.1:{port}"),
    ] {
        let err = live(&url).unwrap_err();
        assert!(
            matches!(err, SourceError::Unreachable { .. }),
            "{url}: {err}"
        );
        let msg = err.to_string();
        assert!(msg.contains("registry unreachable"), "{msg}");
        assert!(!msg.contains("Sup3rSecret"), "{msg}");
    }
}

#[test]
fn silent_server_times_out() {
    // Accepts TCP connections (kernel backlog) but never speaks.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let opts = SourceOptions {
        connect_timeout: Duration::from_secs(1),
        timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let err = live_with(
        &format!("postgresql://feast:pw123@127.0.0.1:{port}/db"),
        &opts,
    )
    .unwrap_err();
    assert!(matches!(err, SourceError::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(listener);
}

#[test]
fn database_without_feast_tables_is_not_a_registry() {
    // The cluster's `postgres` database exists but holds no registry.
    let url = env("FEASTOPS_TEST_PG_URL");
    let base = url.rsplit_once('/').unwrap().0;
    let err = live(&format!("{base}/postgres")).unwrap_err();
    assert!(matches!(err, SourceError::NotARegistryAt { .. }), "{err}");
    assert!(err.to_string().contains("missing tables"), "{err}");
}

#[test]
fn sqlite_file_that_is_not_a_database_is_not_a_registry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let err = live(&format!("sqlite:///{}", path.display())).unwrap_err();
    assert!(matches!(err, SourceError::NotARegistryAt { .. }), "{err}");

    let missing = dir.path().join("absent.db");
    let err = live(&format!("sqlite:///{}", missing.display()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no such SQLite file"), "{err}");
    // Read-only: a wrong path never creates an empty database.
    assert!(!missing.exists());
}

#[test]
fn cli_errors_never_print_the_password() {
    let url = with_password(&env("FEASTOPS_TEST_PG_URL"), "Hunter2-Wrong");
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args(["lint", "--against", &url, "--proposed"])
        .arg(fixture("base"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Hunter2-Wrong"), "{stderr}");
    assert!(stderr.starts_with("feastops: error: "), "{stderr}");
    assert!(stderr.contains("authentication failed"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}

// --- feature_store.yaml and drift -------------------------------------------

/// A feature repo whose `registry:` names the PostgreSQL registry, with the
/// password in an environment variable as teams write it.
fn repo_with_pg_registry(dir: &Path) {
    let url = env("FEASTOPS_TEST_PG_URL");
    let pw = password_of(&url);
    let templated = url.replace(&format!(":{pw}@"), ":${FEASTOPS_TEST_PG_PASSWORD}@");
    std::fs::write(
        dir.join("feature_store.yaml"),
        format!(
            "project: employee_attrition\nprovider: local\nregistry:\n  registry_type: sql\n  path: {templated}\n  cache_ttl_seconds: 60\nonline_store:\n  type: sqlite\n"
        ),
    )
    .unwrap();
}

#[test]
fn feature_store_yaml_expands_env_and_reads_the_sql_registry() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_pg_registry(dir.path());
    let pw = password_of(&env("FEASTOPS_TEST_PG_URL"));
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .env("FEASTOPS_TEST_PG_PASSWORD", &pw)
        .args(["lint", "--against"])
        .arg(dir.path().join("feature_store.yaml"))
        .arg("--proposed")
        .arg(fixture("base"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // `registry` = ./feature_store.yaml.
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .current_dir(dir.path())
        .env("FEASTOPS_TEST_PG_PASSWORD", "Wrong-Expanded")
        .args(["lint", "--against", "registry", "--proposed"])
        .arg(fixture("base"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("authentication failed"), "{stderr}");
    assert!(!stderr.contains("Wrong-Expanded"), "{stderr}");
}

#[test]
fn drift_against_the_live_registry_reports_objects_missing_from_the_repo() {
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args([
            "lint",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--against",
        ])
        .arg(env("FEASTOPS_TEST_PG_URL"))
        .arg("--proposed")
        .arg(fixture("view_removed"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let drift: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "registry-drift")
        .collect();
    assert_eq!(drift.len(), 1, "{report:#}");
    assert_eq!(drift[0]["level"], "warning");
    assert!(
        drift[0]["object"]
            .as_str()
            .unwrap()
            .ends_with("department_stats"),
        "{report:#}"
    );
}

#[test]
fn drift_rule_runs_only_against_a_live_baseline() {
    // Registry vs registry: the live side has a view the proposal lacks.
    let live = file_model("base");
    let proposed = file_model("view_removed");
    let rules = |live_baseline| {
        compare(
            &live,
            &proposed,
            &CompareOptions {
                project: None,
                live_baseline,
                no_promote: false,
            },
        )
        .unwrap()
        .into_iter()
        .filter(|f| f.rule == "registry-drift")
        .map(|f| (f.object.to_string(), f.level))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        rules(true),
        [(
            "feature_view/department_stats".to_string(),
            feastops::lint::Level::Warning
        )]
    );
    assert!(rules(false).is_empty());
}

/// Feast 0.66+ leaves a protected project (FEAST_PROTECTED_PROJECT on its registry
/// server) out of ListProjects, so REST's `/projects` does not show it; `Proto` over gRPC
/// still carries it. Asked for by name, REST reads it; unasked, a note says why the
/// registry looks empty instead of a silently empty baseline.
#[test]
fn a_protected_project_is_read_by_name_over_rest_and_always_over_grpc() {
    let rest = env("FEASTOPS_TEST_REST_PROTECTED_URL");
    let grpc = env("FEASTOPS_TEST_GRPC_PROTECTED_URL");
    let over_grpc = live(&grpc).unwrap();
    let project = over_grpc
        .projects
        .get("employee_attrition")
        .expect("Proto carries the protected project");
    assert_eq!(
        project
            .meta
            .tags
            .get("feast.dev/protected-project")
            .map(String::as_str),
        Some("true"),
        "the server tagged its project protected"
    );
    let unasked = live(&rest).unwrap();
    assert!(unasked.projects.is_empty(), "listings hide it");
    assert!(
        unasked
            .notes
            .iter()
            .any(|n| n.message.contains("--project NAME")),
        "{:?}",
        unasked.notes
    );
    let by_name = live_with(&rest, &with_project("employee_attrition")).unwrap();
    assert_same(&by_name, &over_grpc);
    let err = live_with(&rest, &with_project("nope")).unwrap_err();
    assert!(matches!(err, SourceError::ProjectNotFound { .. }), "{err}");
}

/// The inferred repo (types left to the data) with its parquet files named
/// by `prefix` (e.g. `gs://feastops-test/data/`) instead of `data/`.
fn repo_with_remote_data(prefix: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast/repos/inferred");
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let text = std::fs::read_to_string(&p).unwrap();
            let text = text.replace("\"data/", &format!("\"{prefix}"));
            std::fs::write(dir.path().join(p.file_name().unwrap()), text).unwrap();
        }
    }
    dir
}

fn snapshot_json(repo: &Path) -> String {
    let out = Command::cargo_bin("feastops")
        .unwrap()
        .args(["snapshot", "-o", "-", "--from"])
        .arg(repo)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn parquet_footers_in_s3_gcs_and_azure_give_the_types_local_files_give() {
    // The services hold the inferred repo's two parquet files under
    // feastops-test/data/; every type the repo leaves to its data must be
    // read from there, through each store's emulator, as from disk (a
    // footer not read leaves them `<inferred>`). Azure serves no suffix
    // ranges: its footers failed to read before this test existed.
    env("FEAST_S3_ENDPOINT_URL");
    env("STORAGE_EMULATOR_HOST");
    env("AZURITE_BLOB_STORAGE_URL");
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast/repos/inferred");
    let want = snapshot_json(&local);
    let want: serde_json::Value = serde_json::from_str(&want).unwrap();
    assert!(!want.to_string().contains("<inferred>"));
    for prefix in [
        "s3://feastops-test/data/",
        "gs://feastops-test/data/",
        "az://feastops-test/data/",
    ] {
        let repo = repo_with_remote_data(prefix);
        let got = snapshot_json(repo.path());
        let got: serde_json::Value = serde_json::from_str(&got.replace(prefix, "data/")).unwrap();
        assert_eq!(got, want, "{prefix}");
    }
}
