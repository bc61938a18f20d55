//! The entry points the fuzz targets (`fuzz/`) and the corpus replay test
//! (`tests/fuzz_replay.rs`) share: one function per untrusted input, taking
//! the bytes a user could hand feastops. Each may return an error of its
//! reader (that is the expected outcome for most inputs) but must never
//! panic, hang or overflow the stack; where a reader's output can be checked
//! against itself (a lock file read back), the entry asserts it.
//!
//! Public so the out-of-workspace fuzz crate can call it; not a stable API.

mod python;

use std::path::Path;
use std::sync::OnceLock;

pub use python::{BudgetProgram, FeatureRepo, budget, budget_source, repo, repo_source};

use crate::sources::lockfile;
use crate::topology;

/// A fuzz entry: bytes in, a panic only on a bug.
pub type Entry = fn(&[u8]);

/// Every fuzz target by name, as `scripts/fuzz` and the replay test list them.
pub const TARGETS: &[(&str, Entry)] = &[
    ("registry", registry),
    ("lockfile", lock),
    ("repo", repo),
    ("eval_budget", budget),
    ("topology", topology_spec),
    ("manifests", manifests),
    ("model", model),
    ("parquet", parquet_footer),
    ("config", config),
    ("flows", flows),
    ("rest_json", rest_json),
];

/// A `registry.db`: protobuf decode, then the model. A registry that reads
/// must survive a lock-file round trip unchanged.
pub fn registry(data: &[u8]) {
    let Ok(reg) = crate::sources::registry_file::parse(Path::new("fuzz.db"), data) else {
        return;
    };
    round_trip(&reg);
}

/// A lock file. One that reads must write back to a lock that reads the same.
pub fn lock(data: &[u8]) {
    if let Ok(reg) = lockfile::parse(Path::new("fuzz.lock.json"), data) {
        round_trip(&reg);
    }
}

pub(crate) fn round_trip(reg: &crate::model::Registry) {
    let bytes = lockfile::to_bytes(reg);
    let back = lockfile::parse(Path::new("round-trip.lock.json"), &bytes)
        .unwrap_or_else(|e| panic!("a lock feastops wrote does not read back: {e}"));
    assert_eq!(
        &back.projects, &reg.projects,
        "lock round trip changed the model"
    );
}

fn templates() -> &'static topology::render::Templates {
    static T: OnceLock<topology::render::Templates> = OnceLock::new();
    T.get_or_init(|| topology::render::Templates::new(None).expect("embedded templates load"))
}

/// A topology spec (YAML): parse, check, then render with the embedded
/// templates (the rendered objects are validated by the renderer itself).
pub fn topology_spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = serde_yaml_ng::from_str::<serde_json::Value>(text) else {
        return;
    };
    if !doc.is_object() {
        return;
    }
    let Ok(spec) = topology::spec::parse(&doc, "fuzz.yaml") else {
        return;
    };
    let _ =
        topology::render::render_with(&spec, templates(), &topology::validate::Options::default());
}

/// A manifest file as `validate` reads it.
pub fn manifests(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(docs) = topology::validate::parse_documents(text, "fuzz.yaml") else {
        return;
    };
    let report =
        topology::validate::validate_documents(&docs, &topology::validate::Options::default());
    let _ = report.render();
}

/// A model artifact. The first byte picks the reader: the content-sniffing
/// dispatcher, or one format's reader directly (so each reader sees input
/// the dispatcher would have sent elsewhere).
pub fn model(data: &[u8]) {
    use crate::contract::readers;
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let dir = scratch_dir();
    let name = if pick % 7 == 6 {
        "MLmodel"
    } else {
        "model.bin"
    };
    let path = dir.join(name);
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let _ = match pick % 7 {
        0 | 6 => readers::read(&path),
        1 => readers::onnx::read(&path),
        2 => readers::xgboost::read(&path),
        3 => readers::lightgbm::read(&path),
        4 => readers::mlmodel::read(&path),
        _ => readers::feast_features::read(&path),
    };
}

/// A per-process directory for the readers that take a path.
fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
        .path()
}

/// A parquet file (its footer; no rows are read): whole-file bytes, and the
/// same bytes as bare footer metadata.
pub fn parquet_footer(data: &[u8]) {
    use crate::sources::repo::data;
    let _ = data::columns_from_file_bytes(data);
    let _ = data::columns_from_metadata(data);
}

/// A `.feastops.yaml`: the file format, then what `Policy::new` checks
/// beyond it (rule names, object kinds, globs, reasons, the lines it cites).
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new(".feastops.yaml");
    let Ok(config) = crate::config::parse(path, text) else {
        return;
    };
    let loaded = crate::config::Loaded {
        path: path.to_path_buf(),
        text: text.to_string(),
        config,
    };
    let _ = crate::policy::Policy::new(Some(&loaded), None);
}

/// A flow model (`flows.yaml`, as `validate --flows` reads it) and the
/// manifests it is simulated over: the bytes before the first NUL are the
/// model, the rest the manifests (NetworkPolicies, Namespaces).
pub fn flows(data: &[u8]) {
    use crate::topology::flows;
    let (model, manifests) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(model) else {
        return;
    };
    let Ok(model) = serde_yaml_ng::from_str::<flows::model::Model>(text) else {
        return;
    };
    let docs = std::str::from_utf8(manifests)
        .ok()
        .and_then(|t| topology::validate::parse_documents(t, "fuzz.yaml").ok())
        .unwrap_or_default();
    if let Ok(sim) = flows::simulate(&docs, &model) {
        let _ = flows::text(&sim);
        let _ = flows::markdown(&sim);
    }
}

/// The JSON of a REST registry's list routes (`MessageToDict` form, see
/// `sources::remote::rest::registry_from_json`), mapped onto the protobuf
/// messages and then the model, with no server. A registry that reads must
/// survive a lock-file round trip unchanged, like a `registry.db`.
pub fn rest_json(data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let proto = crate::sources::remote::rest::registry_from_json(&doc);
    round_trip(&crate::sources::from_proto::registry(proto));
}
