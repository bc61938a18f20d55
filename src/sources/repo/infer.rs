//! What `feast apply` infers from data (inference.py), done the same way:
//! a FileSource's timestamp field, the type of a join key no schema lists,
//! the features of a view that declares none. The data is read from parquet
//! footers, in parallel, only for the sources that need it (and, for the
//! data checks, every local one). Data that cannot be read leaves the value
//! [`INFERRED`]/[`DType::Inferred`] with an info note; the lint then takes
//! the baseline's.

use std::collections::{BTreeMap, BTreeSet};

use super::RepoTree;
use super::data::{self, DataError};
use super::diagnostics::Diagnostic;
use crate::model::{
    self, DType, DataSchema, DataSource, Feature, FeatureView, INFERRED, Location, Meta, Note,
    SourceKind, ViewKind,
};

/// Which data files the reader reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DataRead {
    /// Only what inference needs (a baseline, `--no-data-checks`, snapshot).
    #[default]
    Needed,
    /// What inference needs, plus every local file for the data checks
    /// (the proposed side of a lint).
    Local,
    /// Every file, remote ones included (`--data-checks`).
    All,
}

/// Where a FileSource's data is.
enum Place {
    Local(String),
    Remote(String),
}

fn place(path: &str) -> Place {
    // FileSource.get_uri_for_file_path: a scheme with a host is remote.
    match path.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty() && !rest.starts_with('/') && scheme != "file" =>
        {
            Place::Remote(path.to_string())
        }
        Some(("file", rest)) => Place::Local(rest.to_string()),
        _ => Place::Local(path.to_string()),
    }
}

/// Completes the model with what Feast reads from data; errors are what
/// makes `feast apply` itself fail.
pub fn complete(reg: &mut model::Registry, tree: &RepoTree) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut notes = Vec::new();
    let mut inferred_views = false;
    for proj in reg.projects.values_mut() {
        let needed = needed_sources(proj);
        let wanted: Vec<(String, String)> = proj
            .data_sources
            .values()
            .filter(|s| s.kind == SourceKind::File)
            .filter_map(|s| {
                let path = s.path.clone()?;
                let need = needed.contains(&s.name);
                let read = match (place(&path), tree.read_data) {
                    _ if need => true,
                    (Place::Local(_), DataRead::Local | DataRead::All) => true,
                    (Place::Remote(_), DataRead::All) => true,
                    _ => false,
                };
                read.then(|| (s.name.clone(), path))
            })
            .collect();
        let read = read_all(tree, &wanted);
        for (name, result) in &read {
            let ds = proj.data_sources.get_mut(name).expect("listed above");
            match result {
                Ok(columns) => {
                    ds.data = Some(DataSchema {
                        file: ds.path.clone().unwrap_or_default(),
                        columns: columns.clone(),
                    })
                }
                Err(e) if needed.contains(name) => notes.push(Note {
                    location: ds.location.clone(),
                    message: format!(
                        "{} `{}`: could not read `{}` ({e}); what Feast infers from it is left unknown and taken from the baseline",
                        "FileSource",
                        ds.name,
                        ds.path.as_deref().unwrap_or_default()
                    ),
                }),
                Err(_) => {}
            }
        }
        for ds in proj.data_sources.values_mut() {
            timestamp(ds, &mut diags, &mut notes);
        }
        push_timestamps(&mut proj.data_sources);
        let keys: BTreeMap<String, String> = proj
            .entities
            .values()
            .map(|e| (e.name.clone(), e.join_key.clone()))
            .collect();
        for view in proj.feature_views.values_mut() {
            let Some(src) = view
                .batch_source
                .as_ref()
                .and_then(|b| proj.data_sources.get(b))
            else {
                continue;
            };
            if needs_data(view) {
                let join_keys: BTreeSet<&str> = view
                    .entities
                    .iter()
                    .filter_map(|e| keys.get(e).map(String::as_str))
                    .collect();
                view_from_data(view, src, &join_keys, &mut diags, &mut notes);
                inferred_views = true;
            }
        }
        // FeatureService.infer_features: a whole-view projection of a view
        // whose features were inferred serves them all.
        for service in proj.feature_services.values_mut() {
            for p in service
                .projections
                .iter_mut()
                .filter(|p| p.features.is_empty() && p.version_tag.is_none())
            {
                if let Some(v) = proj.feature_views.get(&p.view) {
                    p.features = v.features.iter().map(|f| f.name.clone()).collect();
                }
            }
        }
    }
    if inferred_views {
        // Vectors carry the dtypes just inferred.
        crate::sources::from_proto::finish(reg);
    }
    reg.notes.extend(notes);
    diags
}

fn needs_data(v: &FeatureView) -> bool {
    v.kind != ViewKind::OnDemandFeatureView
        && (v.features.is_empty() || v.entity_columns.iter().any(|c| c.dtype == DType::Inferred))
}

fn needed_sources(proj: &model::Project) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = proj
        .data_sources
        .values()
        .filter(|s| s.kind == SourceKind::File && s.timestamp_field.is_empty())
        .map(|s| s.name.clone())
        .collect();
    out.extend(
        proj.feature_views
            .values()
            .filter(|v| needs_data(v))
            .filter_map(|v| v.batch_source.clone()),
    );
    out
}

/// Reads every wanted footer on a few threads: the reads are I/O bound
/// (remote ones wait on the network), the decoding small.
fn read_all(
    tree: &RepoTree,
    wanted: &[(String, String)],
) -> Vec<(String, Result<Vec<model::DataColumn>, DataError>)> {
    const THREADS: usize = 8;
    if wanted.is_empty() {
        return Vec::new();
    }
    let per = wanted.len().div_ceil(THREADS);
    std::thread::scope(|s| {
        let handles: Vec<_> = wanted
            .chunks(per)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(name, path)| (name.clone(), read_one(tree, path)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("footer reads do not panic"))
            .collect()
    })
}

fn read_one(tree: &RepoTree, path: &str) -> Result<Vec<model::DataColumn>, DataError> {
    match place(path) {
        Place::Remote(url) => data::remote_columns(&url),
        Place::Local(p) => {
            let abs = std::path::Path::new(&p);
            if abs.is_absolute() {
                return data::local_columns(abs);
            }
            if let super::FileStore::Dir(root) = &tree.files {
                let full = root.join(&p);
                if full.is_dir() {
                    return Err(DataError::Remote(
                        "a directory of parquet files; feastops reads single files".into(),
                    ));
                }
                return data::local_columns(&full);
            }
            match tree.files.read(&p)? {
                Some(bytes) => data::columns_from_file_bytes(&bytes),
                None => Err(DataError::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file in the repo",
                ))),
            }
        }
    }
}

/// update_data_sources_with_inferred_event_timestamp_col: the one column
/// of timestamp type, when the source names none.
fn timestamp(ds: &mut DataSource, diags: &mut Vec<Diagnostic>, notes: &mut Vec<Note>) {
    if !ds.timestamp_field.is_empty() || !super::objects::infers_timestamp(ds.kind) {
        return;
    }
    let at = ds.location.clone().unwrap_or(Location {
        file: String::new(),
        line: 0,
    });
    let Some(schema) = ds.data.as_ref().filter(|_| ds.kind == SourceKind::File) else {
        ds.timestamp_field = INFERRED.to_string();
        notes.push(Note {
            location: ds.location.clone(),
            message: format!(
                "data source `{}` names no timestamp_field; Feast infers it from the data, which feastops did not read: left unknown",
                ds.name
            ),
        });
        return;
    };
    let found: Vec<&str> = schema
        .columns
        .iter()
        .filter(|c| c.is_timestamp)
        .map(|c| c.name.as_str())
        .collect();
    match found.as_slice() {
        [one] => ds.timestamp_field = one.to_string(),
        [] => diags.push(Diagnostic::error(
            at,
            format!(
                "FileSource `{}` names no timestamp_field and `{}` has no timestamp column, so `feast apply` fails; add timestamp_field=",
                ds.name, schema.file
            ),
        )),
        many => diags.push(Diagnostic::error(
            at,
            format!(
                "FileSource `{}` names no timestamp_field and `{}` has several timestamp columns ({}), so `feast apply` fails; add timestamp_field=",
                ds.name,
                schema.file,
                many.join(", ")
            ),
        )),
    }
}

/// PushSource.to_proto stores its batch source's timestamp fields when it
/// has none of its own: they are known only now.
fn push_timestamps(sources: &mut BTreeMap<String, DataSource>) {
    let fixes: Vec<(String, String)> = sources
        .values()
        .filter(|s| s.kind == SourceKind::Push && s.timestamp_field.is_empty())
        .filter_map(|s| {
            let b = sources.get(s.batch_source.as_ref()?)?;
            (b.created_timestamp_column == s.created_timestamp_column
                && b.field_mapping == s.field_mapping)
                .then(|| (s.name.clone(), b.timestamp_field.clone()))
        })
        .collect();
    for (name, ts) in fixes {
        if let Some(s) = sources.get_mut(&name) {
            s.timestamp_field = ts;
        }
    }
}

/// _infer_features_and_entities: join keys the schema lacks and, for a
/// view that declares no features, every other column, in the data's order.
fn view_from_data(
    view: &mut FeatureView,
    src: &DataSource,
    join_keys: &BTreeSet<&str>,
    diags: &mut Vec<Diagnostic>,
    notes: &mut Vec<Note>,
) {
    let at = view.location.clone().unwrap_or(Location {
        file: String::new(),
        line: 0,
    });
    let what = format!("{} `{}`", view.kind.label(), view.name);
    let Some(schema) = &src.data else {
        let unknown: Vec<&str> = view
            .entity_columns
            .iter()
            .filter(|c| c.dtype == DType::Inferred)
            .map(|c| c.name.as_str())
            .collect();
        let mut parts = Vec::new();
        if !unknown.is_empty() {
            parts.push(format!("the type of join key {}", quoted(&unknown)));
        }
        if view.features.is_empty() {
            view.inferred_features = true;
            parts.push("its features".to_string());
        }
        notes.push(Note {
            location: view.location.clone(),
            message: format!(
                "{what}: Feast reads {} from the data of `{}`, which feastops did not read: left unknown, taken from the baseline",
                parts.join(" and "),
                src.name
            ),
        });
        return;
    };
    let run_features = view.features.is_empty();
    view.entity_columns.retain(|c| c.dtype != DType::Inferred);
    let mut exclude: BTreeSet<&str> = [
        src.timestamp_field.as_str(),
        src.created_timestamp_column.as_str(),
    ]
    .into_iter()
    .collect();
    for (original, mapped) in &src.field_mapping {
        if exclude.remove(mapped.as_str()) {
            exclude.insert(original.as_str());
        }
    }
    for col in &schema.columns {
        if exclude.contains(col.name.as_str()) {
            continue;
        }
        let is_key = join_keys.contains(col.name.as_str());
        let name = if is_key {
            col.name.clone()
        } else {
            src.field_mapping
                .get(&col.name)
                .cloned()
                .unwrap_or_else(|| col.name.clone())
        };
        // Python's re.match("^__|__$", name) anchors both alternatives at the
        // start: only a leading `__` marks an internal column.
        let internal = col.name.starts_with("__");
        let list = if is_key {
            &view.entity_columns
        } else if run_features && !internal {
            &view.features
        } else {
            continue;
        };
        if list.iter().any(|f| f.name == name) {
            continue;
        }
        let Some(dtype) = col.dtype.clone() else {
            diags.push(Diagnostic::error(
                at.clone(),
                format!(
                    "{what}: column `{}` of `{}` is Arrow `{}`, which Feast has no value type for: `feast apply` fails",
                    col.name, schema.file, col.arrow
                ),
            ));
            continue;
        };
        let f = Feature {
            name,
            dtype,
            meta: Meta::default(),
            location: view.location.clone(),
        };
        if is_key {
            view.entity_columns.push(f);
        } else {
            view.features.push(f);
        }
    }
    if view.features.is_empty() {
        diags.push(Diagnostic::error(
            at,
            format!(
                "{what} declares no features and `{}` has no feature columns: `feast apply` fails (Could not infer Features)",
                schema.file
            ),
        ));
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
