//! LightGBM's text model (`booster.save_model("model.txt")`): the header's
//! `feature_names=` line, space-separated. LightGBM names the columns of a
//! bare array `Column_0 … Column_N`: such a model knows only its width.
//! Only the header is read (it precedes the trees).

use std::path::Path;

use super::{MAX_META_BYTES, ReadError, read_bounded};
use crate::contract::{Column, Inputs, ModelSpec, Runtime};

pub fn read(path: &Path) -> Result<ModelSpec, ReadError> {
    let head = read_bounded(path, MAX_META_BYTES, true)?;
    let text = String::from_utf8_lossy(&head);
    let mut names = None;
    let mut max_idx = None;
    for line in text.lines() {
        if line.starts_with("Tree=") {
            break;
        }
        if let Some(v) = line.strip_prefix("feature_names=") {
            names = Some(v.split(' ').map(str::to_string).collect::<Vec<_>>());
        } else if let Some(v) = line.strip_prefix("max_feature_idx=") {
            max_idx = v.trim().parse::<u64>().ok();
        }
    }
    let Some(names) = names else {
        return Err(ReadError::invalid(
            path,
            "LightGBM model header has no `feature_names=` line",
        ));
    };
    if let Some(m) = max_idx
        && m + 1 != names.len() as u64
    {
        return Err(ReadError::invalid(
            path,
            format!("{} feature names for max_feature_idx={m}", names.len()),
        ));
    }
    let generated = names
        .iter()
        .enumerate()
        .all(|(i, n)| *n == format!("Column_{i}"));
    let inputs = if generated {
        Inputs::Positional {
            width: Some(names.len() as u64),
            dtype: None,
        }
    } else {
        Inputs::Columns(
            names
                .into_iter()
                .map(|name| Column { name, dtype: None })
                .collect(),
        )
    };
    Ok(ModelSpec {
        path: path.to_path_buf(),
        runtime: Runtime::LightGbm,
        inputs,
        truncated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> ModelSpec {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("model.txt");
        std::fs::write(&p, text).unwrap();
        read(&p).unwrap()
    }

    #[test]
    fn generated_names_mean_positional() {
        let s = spec(
            "tree\nversion=v4\nmax_feature_idx=1\nfeature_names=Column_0 Column_1\n\nTree=0\n",
        );
        assert_eq!(
            s.inputs,
            Inputs::Positional {
                width: Some(2),
                dtype: None
            }
        );
    }

    #[test]
    fn named_features_keep_order() {
        let s = spec("tree\nmax_feature_idx=1\nfeature_names=b a\nTree=0\nfeature_names=zz\n");
        let Inputs::Columns(c) = s.inputs else {
            panic!()
        };
        assert_eq!(
            c.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
    }
}
