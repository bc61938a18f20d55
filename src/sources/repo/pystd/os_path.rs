//! `os.path` (posixpath) on strings.

/// `os.path.join`: a later absolute part discards everything before it.
pub fn join(parts: &[&str]) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if p.starts_with('/') {
            out = (*p).to_string();
        } else if i == 0 || out.is_empty() || out.ends_with('/') {
            out.push_str(p);
        } else {
            out.push('/');
            out.push_str(p);
        }
    }
    out
}

/// `os.path.split`: head without trailing slashes (unless all slashes), tail.
pub fn split(p: &str) -> (String, String) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    let trimmed = head.trim_end_matches('/');
    let head = if trimmed.is_empty() { head } else { trimmed };
    (head.to_string(), tail.to_string())
}

pub fn dirname(p: &str) -> String {
    split(p).0
}

pub fn basename(p: &str) -> String {
    split(p).1
}

/// `os.path.splitext`: leading dots of the last component are not an
/// extension.
pub fn splitext(p: &str) -> (String, String) {
    let name_start = p.rfind('/').map_or(0, |i| i + 1);
    let name = &p[name_start..];
    let Some(dot) = name.rfind('.') else {
        return (p.to_string(), String::new());
    };
    if name[..dot].chars().all(|c| c == '.') {
        return (p.to_string(), String::new());
    }
    let at = name_start + dot;
    (p[..at].to_string(), p[at..].to_string())
}

pub fn isabs(p: &str) -> bool {
    p.starts_with('/')
}

/// `os.path.normpath`: collapses `.`, `..` and repeated slashes without
/// looking at the file system; POSIX keeps exactly two leading slashes.
pub fn normpath(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let initial = if p.starts_with("//") && !p.starts_with("///") {
        "//"
    } else if p.starts_with('/') {
        "/"
    } else {
        ""
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if !initial.is_empty() && parts.is_empty() {
                    continue;
                }
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let out = format!("{initial}{}", parts.join("/"));
    if out.is_empty() { ".".into() } else { out }
}

/// `os.path.abspath` with `cwd` as the working directory.
pub fn abspath(p: &str, cwd: &str) -> String {
    if isabs(p) {
        normpath(p)
    } else {
        normpath(&join(&[cwd, p]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resets_on_an_absolute_part_and_keeps_empty_parts() {
        assert_eq!(join(&["a", "/b", "c"]), "/b/c");
        assert_eq!(
            join(&["/repo", "data", "x.parquet"]),
            "/repo/data/x.parquet"
        );
        assert_eq!(join(&["a/", "b"]), "a/b");
        assert_eq!(join(&["", "a"]), "a");
        assert_eq!(join(&["a", ""]), "a/");
    }

    #[test]
    fn split_dirname_basename() {
        assert_eq!(split("/a/b/"), ("/a/b".into(), "".into()));
        assert_eq!(split("a"), ("".into(), "a".into()));
        assert_eq!(split("//x"), ("//".into(), "x".into()));
        assert_eq!(dirname("/repo/features.py"), "/repo");
        assert_eq!(dirname("a"), "");
        assert_eq!(basename("a/b.c"), "b.c");
    }

    #[test]
    fn splitext_ignores_leading_dots() {
        assert_eq!(splitext("a/b.tar.gz"), ("a/b.tar".into(), ".gz".into()));
        assert_eq!(splitext("a/.bashrc"), ("a/.bashrc".into(), "".into()));
        assert_eq!(splitext(".a.b"), (".a".into(), ".b".into()));
        assert_eq!(splitext("a.b/c"), ("a.b/c".into(), "".into()));
        assert_eq!(splitext(".."), ("..".into(), "".into()));
    }

    #[test]
    fn normpath_collapses_like_posixpath() {
        assert_eq!(normpath("/a/b/../../..//c/./d"), "/c/d");
        assert_eq!(normpath(""), ".");
        assert_eq!(normpath("a/../.."), "..");
        assert_eq!(normpath("//a//b"), "//a/b");
        assert_eq!(normpath("///a"), "/a");
        assert_eq!(normpath("a/./b/"), "a/b");
    }

    #[test]
    fn abspath_joins_the_working_directory() {
        assert_eq!(abspath("a/../../b", "/work/x"), "/work/b");
        assert_eq!(abspath("/r/./d", "/ignored"), "/r/d");
        assert!(isabs("/x") && !isabs("x"));
    }
}
