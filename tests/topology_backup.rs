//! Backups that restore: the Velero file-system backup copies pod volumes, BACKUP.md names
//! only objects the render creates, restores with each mechanism's real commands and keeps
//! no `<placeholder>`.

#[path = "topology_common/mod.rs"]
mod common;

use common::*;

#[test]
fn backup_runbooks_name_real_objects_and_real_commands() {
    for (name, args) in combinations() {
        let (_d, out) = render_dir(&args);
        let md = std::fs::read_to_string(out.join("BACKUP.md")).unwrap();
        let plan = std::fs::read_to_string(out.join("backup-plan.yaml")).unwrap();
        for text in [&md, &plan] {
            let placeholder = regex_like_placeholder(text);
            assert!(placeholder.is_none(), "{name}: placeholder {placeholder:?}");
            assert!(
                !text.contains("feast-daily"),
                "{name}: names a schedule that is not rendered"
            );
        }
        // The schedule BACKUP.md restores from is the one rendered.
        assert!(md.contains("--from-schedule feast-backup"), "{name}");
        assert!(
            out.join("manifests/velero/schedule-feast-backup.yaml")
                .exists(),
            "{name}"
        );
        let schedule =
            std::fs::read_to_string(out.join("manifests/velero/schedule-feast-backup.yaml"))
                .unwrap();
        if schedule.contains("defaultVolumesToFsBackup: true") {
            assert!(
                schedule.contains("- pods"),
                "{name}: FS backup without pods copies no volume data"
            );
        }
        // One restore mechanism per cloud, with its real command.
        if !name.starts_with("minimal") {
            let expected = if name.contains("aws") {
                "aws rds restore-db-instance-to-point-in-time"
            } else if name.contains("gcp") {
                "gcloud sql instances clone"
            } else {
                "restore/"
            };
            assert!(
                md.contains(expected),
                "{name}: no `{expected}` in BACKUP.md"
            );
        }
        if name.contains("onprem") && !name.starts_with("minimal") {
            let files: Vec<_> = std::fs::read_dir(out.join("restore"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            assert!(!files.is_empty(), "{name}");
            for f in files {
                let rec = std::fs::read_to_string(&f).unwrap();
                assert!(
                    rec.contains("barmanObjectName: feast-registry-backup"),
                    "{name}:\n{rec}"
                );
                assert!(rec.contains("source: origin"), "{name}");
                let file = f.file_name().unwrap().to_string_lossy().to_string();
                assert!(
                    md.contains(&format!("restore/{file}")),
                    "{name}: BACKUP.md does not apply {file}"
                );
            }
        }
    }
}

/// The first `<word>` or `<word-word>` placeholder in a text, if any (HTML comments and
/// `<-` arrows are not placeholders).
fn regex_like_placeholder(text: &str) -> Option<String> {
    let b = text.as_bytes();
    for (i, _) in text.match_indices('<') {
        let rest = &text[i + 1..];
        let end = rest.find('>')?;
        let inner = &rest[..end];
        let looks = !inner.is_empty()
            && inner.len() < 40
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic());
        if looks {
            return Some(format!("<{inner}>"));
        }
    }
    None
}
