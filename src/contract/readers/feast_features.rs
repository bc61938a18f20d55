//! Feast's `feast_features.json`, written by `store.mlflow.log_model` from
//! the run's `feast.feature_refs` tag: a JSON list of `view:feature` refs in
//! retrieval order (the projection's alias when it has one, `view@vN` when
//! pinned). Feast truncates the tag and appends `...`, so a long list can
//! end in a cut ref: that ref is dropped and the list marked truncated.

use std::path::Path;

use super::{MAX_META_BYTES, ReadError, read_bounded};
use crate::contract::{Column, Inputs, ModelSpec, Runtime};

pub fn read(path: &Path) -> Result<ModelSpec, ReadError> {
    let bytes = read_bounded(path, MAX_META_BYTES, false)?;
    let mut refs: Vec<String> = serde_json::from_slice(&bytes).map_err(|e| {
        ReadError::invalid(
            path,
            format!("not a list of feature refs (`view:feature`): {e}"),
        )
    })?;
    let truncated = refs.last().is_some_and(|r| r.ends_with("..."));
    if truncated {
        refs.pop();
    }
    if let Some(bad) = refs.iter().find(|r| !r.contains(':')) {
        return Err(ReadError::invalid(
            path,
            format!("`{bad}` is not a feature ref (`view:feature`)"),
        ));
    }
    Ok(ModelSpec {
        path: path.to_path_buf(),
        runtime: Runtime::FeastRefs,
        inputs: Inputs::Columns(
            refs.into_iter()
                .map(|name| Column { name, dtype: None })
                .collect(),
        ),
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Result<ModelSpec, ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("feast_features.json");
        std::fs::write(&p, text).unwrap();
        read(&p)
    }

    #[test]
    fn a_cut_tail_is_dropped_and_marked() {
        let s = spec(r#"["fv:a", "fv:b", "fv:c..."]"#).unwrap();
        assert!(s.truncated);
        let Inputs::Columns(c) = s.inputs else {
            panic!()
        };
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn refs_without_a_view_are_refused() {
        let e = spec(r#"["fv:a", "b"]"#).unwrap_err().to_string();
        assert!(e.contains("`b` is not a feature ref"), "{e}");
    }
}
