//! `pathlib.PurePosixPath` (what `pathlib.Path` is on POSIX) as of Python
//! 3.11, the Python Feast 0.67 runs on here. A path is kept in its string
//! form, which pathlib normalizes on construction.

use super::PyStdError;

/// `PurePosixPath(*parts)` in its normalized string form: repeated slashes
/// and `.` components removed, `..` kept, exactly two leading slashes kept.
pub fn new(parts: &[&str]) -> String {
    let mut out = String::from(".");
    for p in parts {
        out = join(&out, p);
    }
    out
}

fn normalize(p: &str) -> String {
    let root = if p.starts_with("//") && !p.starts_with("///") {
        "//"
    } else if p.starts_with('/') {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = p
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let out = format!("{root}{}", parts.join("/"));
    if out.is_empty() { ".".into() } else { out }
}

/// `a / b` and `a.joinpath(b)`.
pub fn join(base: &str, other: &str) -> String {
    if other.starts_with('/') || base == "." {
        normalize(other)
    } else if other.is_empty() {
        normalize(base)
    } else {
        normalize(&format!("{base}/{other}"))
    }
}

fn root_len(p: &str) -> usize {
    p.len() - p.trim_start_matches('/').len()
}

/// The components after the root, as pathlib's `parts` minus the root.
fn components(p: &str) -> Vec<&str> {
    if p == "." {
        return Vec::new();
    }
    p[root_len(p)..]
        .split('/')
        .filter(|c| !c.is_empty())
        .collect()
}

/// `.parts`.
pub fn parts(p: &str) -> Vec<String> {
    let r = root_len(p);
    let mut out: Vec<String> = Vec::new();
    if r > 0 {
        out.push(p[..r].to_string());
    }
    out.extend(components(p).into_iter().map(str::to_string));
    out
}

/// `.parent`: the root and `.` are their own parents.
pub fn parent(p: &str) -> String {
    let comps = components(p);
    if comps.is_empty() {
        return p.to_string();
    }
    let root = &p[..root_len(p)];
    let rest = comps[..comps.len() - 1].join("/");
    let out = format!("{root}{rest}");
    if out.is_empty() { ".".into() } else { out }
}

/// `.parents[n]`; `IndexError` past the last ancestor.
pub fn parents(p: &str, n: i64) -> Result<String, PyStdError> {
    let count = components(p).len() as i64;
    let n = if n < 0 { count + n } else { n };
    if n < 0 || n >= count {
        return Err(PyStdError::Raises {
            kind: "IndexError",
            message: format!("{n}"),
        });
    }
    let mut out = parent(p);
    for _ in 0..n {
        out = parent(&out);
    }
    Ok(out)
}

/// `.name`.
pub fn name(p: &str) -> String {
    components(p)
        .last()
        .map_or_else(String::new, |s| s.to_string())
}

fn suffix_at(name: &str) -> Option<usize> {
    let i = name.rfind('.')?;
    (0 < i && i < name.len() - 1).then_some(i)
}

/// `.suffix`.
pub fn suffix(p: &str) -> String {
    let n = name(p);
    suffix_at(&n).map_or_else(String::new, |i| n[i..].to_string())
}

/// `.suffixes`.
pub fn suffixes(p: &str) -> Vec<String> {
    let n = name(p);
    if n.ends_with('.') {
        return Vec::new();
    }
    let trimmed = n.trim_start_matches('.');
    trimmed
        .split('.')
        .skip(1)
        .map(|s| format!(".{s}"))
        .collect()
}

/// `.stem`.
pub fn stem(p: &str) -> String {
    let n = name(p);
    match suffix_at(&n) {
        Some(i) => n[..i].to_string(),
        None => n,
    }
}

/// `.with_name(n)`.
pub fn with_name(p: &str, new: &str) -> Result<String, PyStdError> {
    if name(p).is_empty() {
        return Err(PyStdError::value_error(format!("{p:?} has an empty name")));
    }
    if new.is_empty() || new == "." || new.contains('/') {
        return Err(PyStdError::value_error(format!("Invalid name {new:?}")));
    }
    Ok(join(&parent(p), new))
}

/// `.with_suffix(s)`: `s` empty removes the suffix.
pub fn with_suffix(p: &str, s: &str) -> Result<String, PyStdError> {
    if s.contains('/') || (!s.is_empty() && (!s.starts_with('.') || s == ".")) {
        return Err(PyStdError::value_error(format!("Invalid suffix {s:?}")));
    }
    let n = name(p);
    if n.is_empty() {
        return Err(PyStdError::value_error(format!("{p:?} has an empty name")));
    }
    with_name(p, &format!("{}{s}", stem(p)))
}

/// `.with_stem(s)`.
pub fn with_stem(p: &str, s: &str) -> Result<String, PyStdError> {
    with_name(p, &format!("{s}{}", suffix(p)))
}

pub fn is_absolute(p: &str) -> bool {
    p.starts_with('/')
}

/// `.absolute()`: joined to the working directory, `..` kept.
pub fn absolute(p: &str, cwd: &str) -> String {
    if is_absolute(p) {
        p.to_string()
    } else {
        join(cwd, p)
    }
}

/// `.relative_to(other)`.
pub fn relative_to(p: &str, other: &str) -> Result<String, PyStdError> {
    let (a, b) = (parts(p), parts(other));
    if b.len() > a.len() || a[..b.len()] != b[..] {
        return Err(PyStdError::value_error(format!(
            "{p:?} is not in the subpath of {other:?}"
        )));
    }
    Ok(new(&a[b.len()..]
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_normalizes_like_pathlib() {
        assert_eq!(new(&["a//b/./c"]), "a/b/c");
        assert_eq!(new(&[""]), ".");
        assert_eq!(new(&[]), ".");
        assert_eq!(new(&["a/.."]), "a/..");
        assert_eq!(new(&["//a/b"]), "//a/b");
        assert_eq!(new(&["///a"]), "/a");
        assert_eq!(new(&["a", "b/"]), "a/b");
    }

    #[test]
    fn slash_and_joinpath_reset_on_absolute() {
        assert_eq!(join("/a", "/b"), "/b");
        assert_eq!(join("/repo", "data"), "/repo/data");
        assert_eq!(join(".", "x"), "x");
        assert_eq!(join("a", ""), "a");
    }

    #[test]
    fn parent_and_parents() {
        assert_eq!(parent("/a/b/c.txt"), "/a/b");
        assert_eq!(parent("/"), "/");
        assert_eq!(parent("."), ".");
        assert_eq!(parent("a"), ".");
        assert_eq!(parents("/a/b/c.txt", 1).unwrap(), "/a");
        assert_eq!(parents("a/b", 1).unwrap(), ".");
        assert!(parents("a/b", 2).is_err());
        assert_eq!(parents("/a/b/c", -1).unwrap(), "/");
    }

    #[test]
    fn name_stem_suffix() {
        assert_eq!(name("a/b.tar.gz"), "b.tar.gz");
        assert_eq!(stem("a/b.tar.gz"), "b.tar");
        assert_eq!(suffix("a/b.tar.gz"), ".gz");
        assert_eq!(suffix("x."), "");
        assert_eq!(suffix(".bashrc"), "");
        assert_eq!(stem(".bashrc"), ".bashrc");
        assert_eq!(name("."), "");
        assert_eq!(suffixes("a/b.c.d"), vec![".c", ".d"]);
        assert_eq!(parts("/a/b"), vec!["/", "a", "b"]);
    }

    #[test]
    fn with_suffix_name_stem() {
        assert_eq!(with_suffix("a/b", ".x").unwrap(), "a/b.x");
        assert_eq!(with_suffix("a/b.c", "").unwrap(), "a/b");
        assert!(with_suffix("a", "x").is_err());
        assert!(with_suffix(".", ".x").is_err());
        assert_eq!(with_name("/a/b.c", "d.e").unwrap(), "/a/d.e");
        assert_eq!(with_stem("a/b.c", "z").unwrap(), "a/z.c");
    }

    #[test]
    fn absolute_resolve_relative_to() {
        assert_eq!(absolute("data/../x", "/repo"), "/repo/data/../x");
        assert_eq!(relative_to("/repo/data/x", "/repo").unwrap(), "data/x");
        assert!(relative_to("/other/x", "/repo").is_err());
        assert!(is_absolute("/x"));
    }
}
