//! Feast 0.50 to 0.67: one repo (`scripts/fixtures/matrix_repo/`, only
//! constructs Feast 0.50 has) applied by the latest patch of every minor,
//! each in its own venv (`scripts/gen-fixtures registry-matrix`, which runs
//! `scripts/fixtures/registry_matrix.py`). Every registry must decode to the
//! model of 0.67's, less only what that version's registry cannot hold
//! (`expressible`, each difference with the Feast version that added it);
//! 0.67's in turn must equal the model the static reader gets from the repo
//! itself, so a field the decoder drops or misreads in every version fails
//! too.

use std::path::{Path, PathBuf};

mod common;

use feastops::lint::{CompareOptions, compare};
use feastops::model::{Registry, ViewKind};
use feastops::sources::{self, SourceOptions, SourceSpec, from_proto, repo};

const REFERENCE: &str = "0.67.0";
const PROJECT: &str = "registry_matrix";
/// The oldest minor whose registries are tested (the README's supported range).
const FIRST_MINOR: u32 = 50;
const LAST_MINOR: u32 = 67;
/// Minors without a registry, and why (`SKIPPED` in registry_matrix.py).
const SKIPPED: &[(u32, &str)] = &[];
/// Where registry_matrix.py applies the repo (APPLY_DIR).
const APPLY_DIR: &str = "/tmp/feastops-fixtures/registry_matrix";

fn matrix() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast/registry_matrix")
}

/// `(minor, version)` of every committed registry, oldest first.
fn versions() -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = std::fs::read_dir(matrix())
        .expect("tests/fixtures/feast/registry_matrix")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "repo")
        .map(|v| {
            let minor = v
                .strip_prefix("0.")
                .and_then(|r| r.split('.').next())
                .and_then(|m| m.parse().ok())
                .unwrap_or_else(|| panic!("registry_matrix/{v}: not a Feast 0.x.y version"));
            (minor, v)
        })
        .collect();
    out.sort();
    out
}

fn registry_path(version: &str) -> PathBuf {
    matrix().join(version).join("registry.db")
}

/// Decoded as a user who says which Feast wrote it
/// (`FEASTOPS_REGISTRY_FEAST_VERSION`): Feast 0.58 and 0.60 renumbered
/// PdfBytes, and only the writer's version tells 0.50–0.59 registries apart.
fn decode(version: &str) -> Registry {
    let spec = SourceSpec::File(registry_path(version));
    let proto = sources::load_registry_proto(&spec, &SourceOptions::default())
        .unwrap_or_else(|e| panic!("feast {version}: {e}"));
    from_proto::registry_written_by(proto, Some(version))
}

/// Decoded with nothing said about its writer (whatever the environment
/// of the test run says).
fn decode_plain(version: &str) -> Registry {
    let spec = SourceSpec::File(registry_path(version));
    let proto = sources::load_registry_proto(&spec, &SourceOptions::default())
        .unwrap_or_else(|e| panic!("feast {version}: {e}"));
    from_proto::registry_written_by(proto, None)
}

fn reference() -> Registry {
    decode_plain(REFERENCE)
}

/// The reference model less what a registry of Feast 0.`minor` cannot hold.
/// Each line names the Feast version that added the difference (checked in
/// Feast's source at that tag).
fn expressible(mut r: Registry, minor: u32) -> Registry {
    for p in r.projects.values_mut() {
        if minor < 62 {
            // 0.62 (#6101) added `Registry.feature_view_version_history`; its
            // file registry records a v0 for every view it applies
            // (`Registry.apply_feature_view`, "New FV: save as v0").
            p.view_versions.clear();
        }
    }
    r
}

fn json(r: &Registry) -> String {
    serde_json::to_string_pretty(r).unwrap()
}

/// The lines of two JSON texts that differ, for a readable failure.
fn diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = Vec::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a != b {
            out.push(format!(
                "  line {}: want {}\n  {}      got  {}",
                i + 1,
                a.unwrap_or("<none>").trim(),
                " ".repeat(i.to_string().len()),
                b.unwrap_or("<none>").trim()
            ));
            if out.len() == 12 {
                break;
            }
        }
    }
    out.join("\n")
}

#[test]
fn the_matrix_holds_a_registry_of_every_minor_from_0_50_to_0_67() {
    let got: Vec<u32> = versions().iter().map(|(m, _)| *m).collect();
    let want: Vec<u32> = (FIRST_MINOR..=LAST_MINOR)
        .filter(|m| !SKIPPED.iter().any(|(s, _)| s == m))
        .collect();
    assert_eq!(got, want, "registry_matrix/: one registry per minor");
    for (_, v) in versions() {
        let source = std::fs::read_to_string(matrix().join(&v).join("SOURCE"))
            .unwrap_or_else(|e| panic!("registry_matrix/{v}/SOURCE: {e}"));
        assert!(
            source.starts_with(&format!("feast {v} from PyPI")),
            "registry_matrix/{v}/SOURCE does not name feast {v}:\n{source}"
        );
    }
}

#[test]
fn every_version_decodes_to_the_reference_model() {
    let reference = reference();
    let mut failures = Vec::new();
    for (minor, v) in versions() {
        let want = json(&expressible(reference.clone(), minor));
        let got = json(&decode(&v));
        if got != want {
            failures.push(format!("feast {v}:\n{}", diff(&want, &got)));
        }
    }
    assert!(
        failures.is_empty(),
        "registries that do not decode to the 0.67 model (less what they cannot express):\n{}",
        failures.join("\n")
    );
}

/// Upgrading Feast alone is not a schema change: linting any version's
/// registry against the reference, either way round, finds nothing.
#[test]
fn linting_any_version_against_the_reference_finds_nothing() {
    let reference = reference();
    let opts = CompareOptions::default();
    for (_, v) in versions() {
        let old = decode(&v);
        for (a, b, way) in [(&old, &reference, "→ 0.67"), (&reference, &old, "0.67 →")] {
            let findings = compare(a, b, &opts).unwrap();
            assert!(
                findings.is_empty(),
                "feast {v} {way}: {:#?}",
                findings
                    .iter()
                    .map(|f| format!("{} {}", f.rule, f.message))
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// The reference against a source that shares no code with the protobuf
/// decoder: the static reader of the repo the registries were applied from.
#[test]
fn the_reference_equals_the_repo_read_statically() {
    let mut tree = repo::RepoTree::from_dir(&matrix().join("repo")).unwrap();
    tree.root = PathBuf::from(APPLY_DIR);
    let from_repo = common::comparable(repo::parse(&tree).unwrap());
    let from_registry = common::comparable(reference());
    let (want, got) = (json(&from_repo), json(&from_registry));
    assert!(
        want == got,
        "0.67 registry differs from the repo:\n{}",
        diff(&want, &got)
    );
}

/// What the repo declares, spelled out, so a model both sides lose
/// something from cannot pass.
#[test]
fn the_reference_holds_every_construct_of_the_repo() {
    let r = reference();
    let p = &r.projects[PROJECT];
    assert_eq!(p.meta.owner, "ml-platform@example.com");
    assert_eq!(p.meta.tags["suite"], "registry-matrix");

    let entities: Vec<(&str, &str, String)> = p
        .entities
        .values()
        .map(|e| {
            (
                e.name.as_str(),
                e.join_key.as_str(),
                e.value_type.to_string(),
            )
        })
        .collect();
    assert_eq!(
        entities,
        [
            ("city", "city_code", "String".to_string()),
            ("driver", "driver_id", "Int64".to_string())
        ]
    );
    assert_eq!(p.entities["driver"].meta.tags["domain"], "mobility");

    let src = &p.data_sources["driver_source"];
    assert_eq!(src.path.as_deref(), Some("data/driver_stats.parquet"));
    assert_eq!(src.created_timestamp_column, "created");
    assert_eq!(src.field_mapping["trips"], "trips_today");
    assert_eq!(src.meta.owner, "data-eng@example.com");
    assert_eq!(
        p.data_sources["driver_push"].batch_source.as_deref(),
        Some("driver_source")
    );
    assert_eq!(p.data_sources["trip_request"].schema.len(), 2);

    let views: Vec<(&str, ViewKind)> = p
        .feature_views
        .values()
        .map(|v| (v.name.as_str(), v.kind))
        .collect();
    assert_eq!(
        views,
        [
            ("city_stats", ViewKind::FeatureView),
            ("driver_live", ViewKind::FeatureView),
            ("driver_profile", ViewKind::FeatureView),
            ("driver_stats", ViewKind::FeatureView),
            ("trip_signals", ViewKind::OnDemandFeatureView),
        ]
    );
    let features = |view: &str| -> Vec<String> {
        p.feature_views[view]
            .features
            .iter()
            .map(|f| format!("{} {}", f.name, f.dtype))
            .collect()
    };
    assert_eq!(
        features("driver_stats"),
        [
            "conv_rate Float32",
            "acc_rate Float64",
            "trips_today Int32",
            "lifetime_trips Int64",
            "rating_band String",
            "is_active Bool",
            "last_trip_at UnixTimestamp"
        ]
    );
    assert_eq!(
        features("driver_profile"),
        [
            "vehicle_models Array(String)",
            "recent_ratings Array(Float64)",
            "zone_ids Array(Int64)",
            "flags Array(Bool)",
            "avatar Bytes",
            "licence_pdf PdfBytes"
        ]
    );
    let stats = &p.feature_views["driver_stats"];
    assert_eq!(stats.ttl_seconds, Some(7 * 86_400));
    assert!(stats.online);
    assert_eq!(stats.meta.tags["team"], "mobility");
    assert_eq!(
        stats.feature("lifetime_trips").unwrap().meta.description,
        "Trips since sign-up"
    );
    assert_eq!(
        p.feature_views["driver_profile"].entities,
        ["driver", "city"]
    );
    assert!(!p.feature_views["city_stats"].online);
    assert_eq!(p.feature_views["city_stats"].ttl_seconds, Some(12 * 3_600));
    assert_eq!(
        p.feature_views["driver_live"].stream_source.as_deref(),
        Some("driver_push")
    );
    let odfv = &p.feature_views["trip_signals"];
    assert_eq!(odfv.transformation.as_ref().unwrap().mode, "pandas");
    assert_eq!(
        odfv.sources
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["driver_stats", "trip_request"]
    );

    let vector = |service: &str| -> Vec<String> {
        p.feature_services[service]
            .vector
            .iter()
            .map(|e| e.to_string())
            .collect()
    };
    assert_eq!(vector("ranking_v1").len(), 9);
    assert_eq!(
        vector("ranking_lite"),
        [
            "driver_stats:conv_rate Float32",
            "driver_stats:trips_today Int32",
            "city:surge Float32",
            "driver_profile:zone_ids Array(Int64)",
            "driver_profile:licence_pdf PdfBytes"
        ]
    );
    // 0.62+ registries record a v0 of every view they apply.
    assert_eq!(p.view_versions.len(), 5);
    for (view, versions) in &p.view_versions {
        assert_eq!(versions.len(), 1, "{view}");
        assert_eq!(versions[0].number, 0);
        assert!(
            feastops::model::same_features(&versions[0].features, &p.feature_views[view].features),
            "{view}: v0 differs from the view"
        );
    }
}

/// Feast 0.58 moved PdfBytes from ValueType 20 to 22 (Map took 20/21,
/// #5772) and 0.60 to 30 (sets took 22–29, #5888), without a marker in the
/// registry: nothing in a registry of 0.50–0.61 shows which numbering it
/// uses. Read with nothing said, the numbers get their 0.60+ meaning (as
/// Feast 0.60+ itself reads them) and the registry carries a note naming
/// the variable that says which Feast wrote it; registries that show their
/// numbering (0.60+ numbers, or anything 0.62+ writes) carry none.
#[test]
fn renumbered_value_types_are_noted_unless_the_registry_shows_its_feast() {
    for (minor, v) in versions() {
        let r = decode_plain(&v);
        let pdf = r.projects[PROJECT].feature_views["driver_profile"]
            .feature("licence_pdf")
            .unwrap()
            .dtype
            .to_string();
        let noted = r
            .notes
            .iter()
            .any(|n| n.message.contains("FEASTOPS_REGISTRY_FEAST_VERSION"));
        let (want_pdf, want_note) = match minor {
            ..58 => ("Map", true),
            58..60 => ("Set(Bytes)", true),
            _ => ("PdfBytes", false),
        };
        assert_eq!((pdf.as_str(), noted), (want_pdf, want_note), "feast {v}");
        // Said, the writer's version gives the declared dtype.
        let pdf = decode(&v).projects[PROJECT].feature_views["driver_profile"]
            .feature("licence_pdf")
            .unwrap()
            .dtype
            .to_string();
        assert_eq!(pdf, "PdfBytes", "feast {v}");
    }
}

/// The same through the CLI: upgrading from Feast 0.55 to 0.67 is a
/// PdfBytes feature read as Map → PdfBytes (an error) unless the user says
/// which Feast wrote the old registry; either way an info line explains.
#[test]
fn lint_reads_an_old_registry_as_the_feast_version_the_user_names() {
    let old = registry_path("0.55.0");
    let new = registry_path(REFERENCE);
    let run = |version: Option<&str>| {
        let mut cmd = common::bin();
        cmd.env_remove("FEASTOPS_REGISTRY_FEAST_VERSION")
            .arg("lint")
            .arg("--against")
            .arg(&old)
            .arg("--proposed")
            .arg(&new);
        if let Some(v) = version {
            cmd.env("FEASTOPS_REGISTRY_FEAST_VERSION", v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(None);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("feature `licence_pdf` dtype changed from Map to PdfBytes"),
        "{stdout}"
    );
    assert!(
        stderr.contains("info: ") && stderr.contains("FEASTOPS_REGISTRY_FEAST_VERSION"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(Some("0.55"));
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        !stderr.contains("FEASTOPS_REGISTRY_FEAST_VERSION"),
        "{stderr}"
    );
}
