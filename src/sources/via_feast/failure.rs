//! Why `feast apply` failed, in one line: feast missing, the user's code
//! raised (at which line), a data file missing, or feast's own last words.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ViaFeastError {
    #[error(
        "--via-feast: {what} not found; install feast (`pip install feast`) or pass --python with an interpreter that has it"
    )]
    NotInstalled { what: String },
    #[error(
        "--via-feast: {repo}: a data file feast reads at apply is missing: {path}; feast infers types from it — add the file, or declare the schema (and entity value_type) explicitly"
    )]
    DataFileMissing { repo: String, path: String },
    #[error("--via-feast: {repo}: your code raised at {at}: {exception}")]
    UserCode {
        repo: String,
        at: String,
        exception: String,
    },
    #[error("--via-feast: `feast apply` failed for {repo}: {output}")]
    ApplyFailed { repo: String, output: String },
    #[error("--via-feast: {0}")]
    Io(String),
}

pub fn classify(
    what: &str,
    repo: &str,
    repo_dir: &Path,
    stderr: &str,
    stdout: &str,
) -> ViaFeastError {
    if stderr.contains("No module named feast") || stderr.contains("No module named 'feast") {
        return ViaFeastError::NotInstalled {
            what: what.to_string(),
        };
    }
    let text = if stderr.trim().is_empty() {
        stdout
    } else {
        stderr
    };
    let exception = last_exception(text);
    if let Some(e) = &exception
        && let Some(path) = missing_file(e)
    {
        return ViaFeastError::DataFileMissing {
            repo: repo.to_string(),
            path,
        };
    }
    if let (Some(exception), Some(at)) = (&exception, innermost_repo_frame(text, repo_dir)) {
        return ViaFeastError::UserCode {
            repo: repo.to_string(),
            at,
            exception: exception.clone(),
        };
    }
    ViaFeastError::ApplyFailed {
        repo: repo.to_string(),
        output: last_lines(text),
    }
}

/// The `Type: message` line that ends a Python traceback.
fn last_exception(text: &str) -> Option<String> {
    let mut lines = text.lines().rev().map(str::trim).filter(|l| !l.is_empty());
    let last = lines.next()?;
    let (kind, _) = last.split_once(':')?;
    let is_exception = !kind.is_empty()
        && kind.rsplit('.').next().is_some_and(|k| {
            k.ends_with("Error") || k.ends_with("Exception") || k.ends_with("Exit")
        });
    is_exception.then(|| last.to_string())
}

/// `FileNotFoundError: [Errno 2] No such file or directory: 'data/x.parquet'`
/// and pyarrow's `FileNotFoundError: .../x.parquet`.
fn missing_file(exception: &str) -> Option<String> {
    let rest = exception.strip_prefix("FileNotFoundError:")?.trim();
    let path = match rest.rsplit_once(": ") {
        Some((_, p)) if rest.starts_with("[Errno") => p,
        _ => rest,
    };
    Some(path.trim_matches(['\'', '"']).to_string())
}

/// The last `File "...", line N` frame inside the repo: where the user's
/// code called into what raised.
fn innermost_repo_frame(text: &str, repo_dir: &Path) -> Option<String> {
    let root = repo_dir.display().to_string();
    text.lines().rev().find_map(|l| {
        let rest = l.trim().strip_prefix("File \"")?;
        let (file, after) = rest.split_once('"')?;
        let rel = file.strip_prefix(&root)?.trim_start_matches('/');
        let line = after
            .trim_start_matches(',')
            .trim()
            .strip_prefix("line ")?
            .split(',')
            .next()?
            .trim();
        Some(format!("{rel}:{line}"))
    })
}

/// The error's last lines: a Python traceback ends with what matters.
fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = r#"Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/feast/repo_operations.py", line 130, in parse_repo
    module = importlib.import_module(module_path)
  File "/home/u/repo/features.py", line 12, in <module>
    views = build()
  File "/home/u/repo/helpers.py", line 4, in build
    raise ValueError("no such team")
ValueError: no such team
"#;

    #[test]
    fn user_code_errors_name_the_innermost_repo_line() {
        let e = classify("feast", "repo", Path::new("/home/u/repo"), TRACE, "");
        assert_eq!(
            e.to_string(),
            "--via-feast: repo: your code raised at helpers.py:4: ValueError: no such team"
        );
    }

    #[test]
    fn missing_data_files_are_named() {
        let err = "Traceback...\nFileNotFoundError: [Errno 2] No such file or directory: 'data/driver_stats.parquet'\n";
        let e = classify("feast", "repo", Path::new("/r"), err, "");
        assert!(
            matches!(&e, ViaFeastError::DataFileMissing { path, .. } if path == "data/driver_stats.parquet"),
            "{e}"
        );
        let arrow = "FileNotFoundError: /r/data/x.parquet\n";
        let e = classify("feast", "repo", Path::new("/r"), arrow, "");
        assert!(
            matches!(&e, ViaFeastError::DataFileMissing { path, .. } if path == "/r/data/x.parquet"),
            "{e}"
        );
    }

    #[test]
    fn feast_missing_from_the_interpreter_is_not_installed() {
        let e = classify(
            "py",
            "repo",
            Path::new("/r"),
            "/usr/bin/python3: No module named feast\n",
            "",
        );
        assert!(matches!(e, ViaFeastError::NotInstalled { .. }));
    }

    #[test]
    fn other_failures_keep_feasts_last_lines() {
        let e = classify("feast", "repo", Path::new("/r"), "a\nb\nc\nd\n", "");
        assert_eq!(
            e.to_string(),
            "--via-feast: `feast apply` failed for repo: b | c | d"
        );
    }
}
