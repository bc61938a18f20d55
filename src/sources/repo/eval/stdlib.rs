//! Calls into Python's standard library (`os`, `os.path`, `pathlib`,
//! `yaml`, `json`), computed by [`super::super::pystd`]. File questions
//! are answered from the repo's own tree only: `__file__` and
//! `os.getcwd()` are the repo directory, as `feast apply` runs there.

use super::super::objects::Args;
use super::super::pystd::{environ, loaders, os_path, pathlib};
use super::Evaluator;
use super::value::{Loc, Value};

impl Evaluator<'_> {
    /// The value of a standard library call, or `None` for a path that is
    /// not emulated (then the call's result is unknown).
    pub(super) fn stdlib(&mut self, path: &str, args: &Args, at: &Loc) -> Option<Value> {
        let pos: Vec<&Value> = args.pos.iter().map(|a| &a.value).collect();
        if let Some(d) = pos.iter().find_map(|v| match v {
            Value::Dynamic(d) => Some(d.clone()),
            _ => None,
        }) {
            return Some(Value::Dynamic(d));
        }
        let kw = |n: &str| {
            args.kw
                .iter()
                .find(|(k, _)| k.as_str() == n)
                .map(|(_, a)| &a.value)
        };
        let strs: Option<Vec<&str>> = pos.iter().map(|v| v.as_path_str()).collect();
        let no_kw = args.kw.is_empty();
        let root = self.root.clone();
        let need_root = |ev: &mut Self| {
            ev.dynamic(
                at.clone(),
                "the repo directory (not known as an absolute path)",
                false,
            )
        };
        let path = path
            .strip_prefix("posixpath.")
            .map(|p| format!("os.path.{p}"))
            .unwrap_or_else(|| path.to_string());
        let v = match (path.as_str(), strs.as_deref()) {
            ("os.getcwd", Some([])) => match root {
                Some(r) => Value::Str(r),
                None => need_root(self),
            },
            ("os.path.join", Some(parts)) if no_kw && !parts.is_empty() => {
                Value::Str(os_path::join(parts))
            }
            ("os.path.dirname", Some([p])) => Value::Str(os_path::dirname(p)),
            ("os.path.basename", Some([p])) => Value::Str(os_path::basename(p)),
            ("os.path.normpath", Some([p])) => Value::Str(os_path::normpath(p)),
            ("os.path.isabs", Some([p])) => Value::Bool(os_path::isabs(p)),
            ("os.path.split", Some([p])) => {
                let (h, t) = os_path::split(p);
                Value::List(vec![Value::Str(h), Value::Str(t)])
            }
            ("os.path.splitext", Some([p])) => {
                let (h, t) = os_path::splitext(p);
                Value::List(vec![Value::Str(h), Value::Str(t)])
            }
            ("os.path.abspath", Some([p])) if no_kw => match root {
                Some(r) => Value::Str(os_path::abspath(p, &r)),
                None => need_root(self),
            },
            ("os.path.realpath", Some([p])) if no_kw => match root {
                Some(r) => Value::Str(self.realpath(&os_path::join(&[&r, p]))),
                None => need_root(self),
            },
            ("os.path.expanduser", Some([p])) if !p.starts_with('~') => Value::Str(p.to_string()),
            ("os.path.exists", Some([p])) => self.repo_file_test(p, "exists", at),
            ("os.path.isfile", Some([p])) => self.repo_file_test(p, "is_file", at),
            ("os.path.isdir", Some([p])) => self.repo_file_test(p, "is_dir", at),
            ("os.fspath", Some([p])) => Value::Str(p.to_string()),
            (
                "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" | "pathlib.PurePosixPath",
                Some(parts),
            ) if no_kw => Value::Path(pathlib::new(parts)),
            ("pathlib.Path.cwd" | "pathlib.PosixPath.cwd", Some([])) => match root {
                Some(r) => Value::Path(r),
                None => need_root(self),
            },
            ("os.environ.get" | "os.getenv", _) => {
                return Some(self.environ(&pos, kw("default"), at));
            }
            // Later reads would see the change; their defaults would be wrong.
            (
                "os.environ.setdefault"
                | "os.environ.update"
                | "os.environ.pop"
                | "os.environ.clear"
                | "os.putenv"
                | "os.unsetenv",
                _,
            ) => {
                self.error(
                    at.clone(),
                    format!("`{path}(...)` changes the environment; feastops does not follow environment changes"),
                    true,
                );
                Self::reported(at.clone())
            }
            // Loaders that read plain data as safe_load does (a tag that
            // would build a Python object is refused by `loaders`).
            ("yaml.full_load", _) if pos.len() == 1 && no_kw => {
                return self.stdlib("yaml.safe_load", &plain(args), at);
            }
            ("yaml.load", _)
                if pos.len() == 1
                    && args.kw.len() == 1
                    && matches!(kw("Loader"), Some(Value::Ext(l)) if YAML_LOADERS.contains(&l.as_str())) =>
            {
                return self.stdlib("yaml.safe_load", &plain(args), at);
            }
            ("yaml.safe_load", _) | ("json.load", _) | ("json.loads", _)
                if pos.len() == 1 && no_kw =>
            {
                let text = match (path.as_str(), pos[0]) {
                    ("yaml.safe_load" | "json.loads", Value::Str(s)) => s.clone(),
                    ("yaml.safe_load" | "json.load", Value::File(f)) => {
                        match self.read_repo_file(f, at) {
                            Value::Str(s) => s,
                            other => return Some(other),
                        }
                    }
                    (_, other) => {
                        return Some(self.dynamic(
                            at.clone(),
                            format!("`{path}` of {}", other.describe()),
                            false,
                        ));
                    }
                };
                let loaded = if path == "yaml.safe_load" {
                    loaders::yaml(&text)
                } else {
                    loaders::json(&text)
                };
                match loaded {
                    Ok(d) => data_value(d),
                    Err(e) => self.dynamic(at.clone(), format!("`{path}(...)`: {e}"), false),
                }
            }
            _ => return None,
        };
        Some(v)
    }

    /// `os.environ.get(key, default)` / `os.getenv(key, default)`: the
    /// default, with an info line saying so.
    fn environ(&mut self, pos: &[&Value], kw_default: Option<&Value>, at: &Loc) -> Value {
        let Some(Value::Str(key)) = pos.first() else {
            return self.dynamic(
                at.clone(),
                "an environment variable with an unknown name",
                false,
            );
        };
        let default = pos.get(1).copied().or(kw_default);
        match environ::get(default) {
            environ::Lookup::Default(d) => {
                let shown = match d {
                    Value::Str(s) => format!("{s:?}"),
                    other => other.describe(),
                };
                self.note(at, environ::note(key, &shown));
                d.clone()
            }
            environ::Lookup::Unknown => self.dynamic(
                at.clone(),
                format!("the environment variable `{key}` (no default: only the environment feast apply runs in knows it)"),
                false,
            ),
        }
    }

    /// `os.path.realpath` / `Path.resolve()` of an absolute path: symbolic
    /// links are followed where the repo is a directory on disk (the
    /// longest existing prefix, then the rest lexically, as CPython does
    /// for a path that does not exist); a git ref's tree has none.
    pub(super) fn realpath(&self, abs: &str) -> String {
        if let super::super::FileStore::Dir(_) = self.tree.files {
            let mut head = std::path::PathBuf::from(abs);
            let mut tail: Vec<std::ffi::OsString> = Vec::new();
            loop {
                if let Ok(real) = std::fs::canonicalize(&head)
                    && let Some(real) = real.to_str()
                {
                    let rest: Vec<&str> = tail.iter().rev().filter_map(|s| s.to_str()).collect();
                    let mut parts = vec![real];
                    parts.extend(rest);
                    return os_path::normpath(&os_path::join(&parts));
                }
                match (head.file_name().map(|n| n.to_os_string()), head.parent()) {
                    (Some(name), Some(parent)) => {
                        tail.push(name);
                        head = parent.to_path_buf();
                    }
                    _ => break,
                }
            }
        }
        os_path::normpath(abs)
    }

    /// The repo-relative form of an absolute path inside the repo.
    fn repo_rel(&self, abs: &str) -> Option<String> {
        let root = self.root.as_deref()?;
        let p = os_path::abspath(abs, root);
        if p == root {
            return Some(String::new());
        }
        p.strip_prefix(root)?.strip_prefix('/').map(str::to_string)
    }

    /// `exists`/`is_file`/`is_dir`, answered from the repo's tree.
    pub(super) fn repo_file_test(&mut self, p: &str, test: &str, at: &Loc) -> Value {
        let Some(rel) = self.repo_rel(p) else {
            return self.dynamic(
                at.clone(),
                format!("whether {p:?} exists (outside the feature repo)"),
                false,
            );
        };
        let is_py = self.tree.python.contains_key(&rel);
        let py_dir = self
            .tree
            .python
            .keys()
            .any(|k| k.starts_with(&format!("{rel}/")));
        let kind = match self.tree.files.kind(&rel) {
            Ok(k) => k,
            Err(e) => return self.dynamic(at.clone(), format!("whether {p:?} exists: {e}"), false),
        };
        let (file, dir) = match kind {
            Some(super::super::files::Kind::File) => (true, false),
            Some(super::super::files::Kind::Dir) => (false, true),
            None => (is_py, py_dir || rel.is_empty()),
        };
        Value::Bool(match test {
            "is_file" => file,
            "is_dir" => dir,
            _ => file || dir,
        })
    }

    /// The text of a repo file, read through the tree (a git ref reads it
    /// from the object database).
    pub(super) fn read_repo_file(&mut self, p: &str, at: &Loc) -> Value {
        let Some(rel) = self.repo_rel(p) else {
            return self.dynamic(
                at.clone(),
                format!("the file {p:?}, outside the feature repo"),
                false,
            );
        };
        if let Some(text) = self.tree.python.get(&rel) {
            return Value::Str(text.clone());
        }
        match self.tree.files.read(&rel) {
            Ok(Some(bytes)) => match String::from_utf8(bytes) {
                Ok(s) => Value::Str(s),
                Err(_) => self.dynamic(
                    at.clone(),
                    format!("the file `{rel}`, which is not UTF-8 text"),
                    false,
                ),
            },
            Ok(None) => {
                self.error(at.clone(), format!("the file `{rel}` is not in the feature repo (Python raises FileNotFoundError)"), false);
                Self::reported(at.clone())
            }
            Err(e) => self.dynamic(at.clone(), format!("the file `{rel}`: {e}"), false),
        }
    }
}

const YAML_LOADERS: &[&str] = &[
    "yaml.SafeLoader",
    "yaml.CSafeLoader",
    "yaml.FullLoader",
    "yaml.Loader",
    "yaml.CLoader",
];

/// The positional arguments of a call, without its keywords.
fn plain(args: &Args) -> Args {
    let mut out = Args::new(args.at.clone());
    out.pos = args
        .pos
        .iter()
        .map(|a| super::super::objects::Arg {
            value: a.value.clone(),
            at: a.at.clone(),
        })
        .collect();
    out
}

fn data_value(d: loaders::Data) -> Value {
    use loaders::Data;
    match d {
        Data::None => Value::None,
        Data::Bool(b) => Value::Bool(b),
        Data::Int(i) => Value::Int(i),
        Data::Float(f) => Value::Float(f),
        Data::Str(s) => Value::Str(s),
        Data::List(l) => Value::List(l.into_iter().map(data_value).collect()),
        Data::Dict(d) => Value::Dict(
            d.into_iter()
                .map(|(k, v)| (data_value(k), data_value(v)))
                .collect(),
        ),
    }
}
