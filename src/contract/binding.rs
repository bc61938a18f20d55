//! Which model is served by which feature service: `--model SERVICE=PATH`
//! on the command line, `models:` in `.feastops.yaml` (paths may be globs).

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelBinding {
    pub service: String,
    /// A model file or MLflow model directory, or a glob of them.
    pub path: String,
}

/// A binding with its path resolved to existing artifacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub service: String,
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum BindingError {
    #[error("--model `{0}`: expected SERVICE=PATH, e.g. attrition_model_v1=models/attrition")]
    Syntax(String),
    #[error("model path `{pattern}` for service `{service}` matches no file or directory")]
    NoMatch { service: String, pattern: String },
    #[error("model path glob `{pattern}`: {message}")]
    Glob { pattern: String, message: String },
}

/// `SERVICE=PATH`.
pub fn parse_binding(s: &str) -> Result<ModelBinding, BindingError> {
    match s.split_once('=') {
        Some((svc, path)) if !svc.trim().is_empty() && !path.trim().is_empty() => {
            Ok(ModelBinding {
                service: svc.trim().to_string(),
                path: path.trim().to_string(),
            })
        }
        _ => Err(BindingError::Syntax(s.to_string())),
    }
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Expands a binding's path (relative to `base`) to the artifacts it names:
/// one path as is, or every file and directory a glob matches, sorted. An
/// MLflow model directory matched by a glob is taken whole (its own files
/// are not matched again).
pub fn expand(b: &ModelBinding, base: &Path) -> Result<Vec<Binding>, BindingError> {
    let no_match = || BindingError::NoMatch {
        service: b.service.clone(),
        pattern: b.path.clone(),
    };
    if !is_glob(&b.path) {
        let p = clean(&base.join(&b.path));
        if !p.exists() {
            return Err(no_match());
        }
        return Ok(vec![Binding {
            service: b.service.clone(),
            path: p,
        }]);
    }
    let glob = globset::GlobBuilder::new(&b.path)
        .literal_separator(true)
        .build()
        .map_err(|e| BindingError::Glob {
            pattern: b.path.clone(),
            message: e.to_string(),
        })?
        .compile_matcher();
    // Walk from the longest literal prefix of the pattern.
    let literal: Vec<&str> = b.path.split('/').take_while(|c| !is_glob(c)).collect();
    let root = clean(&base.join(literal.join("/")));
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    let mut found = Vec::new();
    walk(&root, base, &glob, &mut found, 0);
    found.sort();
    if found.is_empty() {
        return Err(no_match());
    }
    Ok(found
        .into_iter()
        .map(|path| Binding {
            service: b.service.clone(),
            path,
        })
        .collect())
}

/// Drops `.` components, so `./models/m` reads `models/m` in messages.
fn clean(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Depth-limited: model trees are shallow, and a glob must not walk a
/// whole disk by accident.
fn walk(dir: &Path, base: &Path, glob: &globset::GlobMatcher, out: &mut Vec<PathBuf>, depth: u32) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = clean(&e.path());
        let rel = p.strip_prefix(clean(base)).unwrap_or(&p);
        if glob.is_match(rel) {
            out.push(p);
            continue;
        }
        if p.is_dir() {
            walk(&p, base, glob, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_syntax() {
        assert_eq!(
            parse_binding("svc=models/m.onnx").unwrap(),
            ModelBinding {
                service: "svc".into(),
                path: "models/m.onnx".into()
            }
        );
        assert!(parse_binding("models/m.onnx").is_err());
        assert!(parse_binding("=x").is_err());
    }

    #[test]
    fn glob_expands_sorted() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("models/a")).unwrap();
        std::fs::write(d.path().join("models/b.onnx"), b"x").unwrap();
        std::fs::write(d.path().join("models/a/MLmodel"), b"x").unwrap();
        let b = ModelBinding {
            service: "s".into(),
            path: "models/*".into(),
        };
        let got = expand(&b, d.path()).unwrap();
        let names: Vec<_> = got
            .iter()
            .map(|b| b.path.strip_prefix(d.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [PathBuf::from("models/a"), PathBuf::from("models/b.onnx")]
        );
    }
}
