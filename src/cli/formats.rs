//! `--format NAME[=FILE]` (repeatable) and `--output FILE`: which report
//! goes where. An `--output` applies to the closest `--format` before it
//! that has no file yet. At most one format may go to stdout.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Markdown,
    Junit,
    Gitlab,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }

    const ALL: [Format; 7] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
        Format::Junit,
        Format::Gitlab,
    ];
}

/// One `--format` as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub file: Option<PathBuf>,
}

/// clap value parser for `NAME[=FILE]`.
pub fn parse_spec(s: &str) -> Result<FormatSpec, String> {
    let (name, file) = match s.split_once('=') {
        Some((n, f)) => (n, Some(f)),
        None => (s, None),
    };
    let names = || {
        Format::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(format) = Format::ALL.into_iter().find(|f| f.as_str() == name) else {
        let hint = crate::suggest::did_you_mean(name, Format::ALL.iter().map(|f| f.as_str()))
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(format!(
            "unknown format `{name}`; {hint}formats: {}",
            names()
        ));
    };
    if file == Some("") {
        return Err(format!("`{s}` has an empty file name; write `{name}=FILE`"));
    }
    Ok(FormatSpec {
        format,
        file: file.map(PathBuf::from),
    })
}

/// Pairs formats with `--output` files by their position on the command
/// line (`format_at`/`output_at` are clap's argument indices).
pub fn plan(
    formats: &[FormatSpec],
    format_at: &[usize],
    outputs: &[PathBuf],
    output_at: &[usize],
) -> Result<Vec<FormatSpec>> {
    let mut plan: Vec<FormatSpec> = formats.to_vec();
    if plan.is_empty() {
        plan.push(FormatSpec {
            format: Format::Text,
            file: None,
        });
    }
    for (k, out) in outputs.iter().enumerate() {
        let at = output_at.get(k).copied().unwrap_or(usize::MAX);
        let target = if formats.is_empty() {
            Some(0)
        } else {
            format_at
                .iter()
                .enumerate()
                .filter(|(_, fi)| **fi < at)
                .map(|(i, _)| i)
                .next_back()
        };
        let Some(i) = target else {
            bail!(
                "--output {} comes before any --format; put it after the format it is for (or write --format NAME={})",
                out.display(),
                out.display()
            );
        };
        if let Some(existing) = &plan[i].file {
            bail!(
                "--format {} already writes to {}; a second --output {} needs its own --format",
                plan[i].format.as_str(),
                existing.display(),
                out.display()
            );
        }
        plan[i].file = Some(out.clone());
    }
    let to_stdout: Vec<&str> = plan
        .iter()
        .filter(|s| s.file.as_deref().is_none_or(|f| f == Path::new("-")))
        .map(|s| s.format.as_str())
        .collect();
    if to_stdout.len() > 1 {
        bail!(
            "formats {} all write to stdout; give all but one a file, e.g. --format {}=feastops.{}",
            to_stdout.join(", "),
            to_stdout[1],
            to_stdout[1]
        );
    }
    let mut files: Vec<&Path> = plan
        .iter()
        .filter_map(|s| s.file.as_deref())
        .filter(|f| *f != Path::new("-"))
        .collect();
    files.sort();
    if let Some(w) = files.windows(2).find(|w| w[0] == w[1]) {
        bail!(
            "two formats write to {}; give each its own file",
            w[0].display()
        );
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> FormatSpec {
        parse_spec(s).unwrap()
    }

    #[test]
    fn parses_name_and_file() {
        assert_eq!(
            spec("sarif=out.sarif").file,
            Some(PathBuf::from("out.sarif"))
        );
        assert_eq!(spec("github").format, Format::Github);
        let e = parse_spec("sarf").unwrap_err();
        assert!(e.contains("did you mean `sarif`?"), "{e}");
        assert!(parse_spec("sarif=").is_err());
    }

    #[test]
    fn output_pairs_with_the_preceding_format() {
        // --format sarif --output a.sarif --format text
        let p = plan(
            &[spec("sarif"), spec("text")],
            &[1, 5],
            &[PathBuf::from("a.sarif")],
            &[3],
        )
        .unwrap();
        assert_eq!(p[0].file, Some(PathBuf::from("a.sarif")));
        assert_eq!(p[1].file, None);
    }

    #[test]
    fn default_is_text_on_stdout_and_output_alone_applies_to_it() {
        let p = plan(&[], &[], &[], &[]).unwrap();
        assert_eq!(p, [spec("text")]);
        let p = plan(&[], &[], &[PathBuf::from("r.txt")], &[2]).unwrap();
        assert_eq!(p, [spec("text=r.txt")]);
    }

    #[test]
    fn conflicts_are_usage_errors() {
        let e = plan(&[spec("sarif"), spec("json")], &[1, 3], &[], &[]).unwrap_err();
        assert!(e.to_string().contains("all write to stdout"), "{e}");
        let e = plan(&[spec("sarif")], &[3], &[PathBuf::from("x")], &[1]).unwrap_err();
        assert!(e.to_string().contains("comes before any --format"), "{e}");
        let e = plan(&[spec("sarif=a"), spec("json=a")], &[1, 3], &[], &[]).unwrap_err();
        assert!(e.to_string().contains("two formats write to a"), "{e}");
        let e = plan(&[spec("sarif=a")], &[1], &[PathBuf::from("b")], &[3]).unwrap_err();
        assert!(e.to_string().contains("already writes to a"), "{e}");
    }
}
