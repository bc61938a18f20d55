//! The data behind a view moved: another path, table, query, warehouse
//! database or schema, catalog option or version pin, file format, timestamp column, partition column or
//! field mapping. Values may change without any schema change.

use crate::lint::{Finding, Level, ProjectPair};
use crate::model::{DataSource, INFERRED, Project};

pub const NAME: &str = "batch-source-changed";

/// Describes each difference as `field: old → new`.
fn differences(old: Option<&DataSource>, new: Option<&DataSource>) -> Vec<String> {
    let (Some(o), Some(n)) = (old, new) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cmp = |field: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{field}: `{a}` → `{b}`"));
        }
    };
    cmp("name", o.name.clone(), n.name.clone());
    cmp("kind", format!("{:?}", o.kind), format!("{:?}", n.kind));
    cmp(
        "path",
        o.path.clone().unwrap_or_default(),
        n.path.clone().unwrap_or_default(),
    );
    cmp(
        "table",
        o.table.clone().unwrap_or_default(),
        n.table.clone().unwrap_or_default(),
    );
    cmp(
        "query",
        o.query.clone().unwrap_or_default(),
        n.query.clone().unwrap_or_default(),
    );
    for (field, a, b) in [
        ("database", &o.database, &n.database),
        ("schema", &o.db_schema, &n.db_schema),
        ("data_source", &o.catalog, &n.catalog),
        ("file_format", &o.file_format, &n.file_format),
    ] {
        cmp(
            field,
            a.clone().unwrap_or_default(),
            b.clone().unwrap_or_default(),
        );
    }
    // A timestamp field Feast infers from unreachable data is unknown, not
    // changed.
    if o.timestamp_field != INFERRED && n.timestamp_field != INFERRED {
        cmp(
            "timestamp_field",
            o.timestamp_field.clone(),
            n.timestamp_field.clone(),
        );
    }
    cmp(
        "date_partition_column",
        o.date_partition_column.clone(),
        n.date_partition_column.clone(),
    );
    cmp(
        "created_timestamp_column",
        o.created_timestamp_column.clone(),
        n.created_timestamp_column.clone(),
    );
    let keys: std::collections::BTreeSet<&String> =
        o.options.keys().chain(n.options.keys()).collect();
    for k in keys {
        cmp(
            k,
            o.options.get(k).cloned().unwrap_or_default(),
            n.options.get(k).cloned().unwrap_or_default(),
        );
    }
    cmp(
        "field_mapping",
        format!("{:?}", o.field_mapping),
        format!("{:?}", n.field_mapping),
    );
    out
}

fn source<'a>(project: &'a Project, name: &Option<String>) -> Option<&'a DataSource> {
    project.data_sources.get(name.as_deref()?)
}

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    // Every common view, not only changed ones: a source can change under
    // a view whose definition (which names the source) did not.
    for (old_view, new_view) in
        ProjectPair::common(&pair.old.feature_views, &pair.new.feature_views)
    {
        for (label, old, new) in [
            (
                "batch source",
                &old_view.batch_source,
                &new_view.batch_source,
            ),
            (
                "stream source",
                &old_view.stream_source,
                &new_view.stream_source,
            ),
        ] {
            let (o, n) = (source(pair.old, old), source(pair.new, new));
            if o == n {
                continue;
            }
            let diffs = differences(o, n);
            if diffs.is_empty() {
                continue;
            }
            out.push(
                Finding::new(
                    NAME,
                    Level::Warning,
                    pair.name,
                    super::view_ref(new_view),
                    format!(
                        "{label} of {} `{}` changed: {}",
                        new_view.kind.label(),
                        new_view.name,
                        diffs.join(", ")
                    ),
                )
                .at(n
                    .and_then(|s| s.location.as_ref())
                    .or(new_view.location.as_ref())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{CompareOptions, compare};
    use crate::model::Registry;

    fn reg(source: serde_json::Value) -> Registry {
        serde_json::from_value(serde_json::json!({
            "projects": {"p": {
                "name": "p",
                "data_sources": {"s": source},
                "feature_views": {"v": {"name": "v", "kind": "feature_view", "online": true,
                    "offline": false, "batch_source": "s",
                    "features": [{"name": "a", "dtype": "Int64"}]}}
            }}
        }))
        .unwrap()
    }

    fn messages(old: &Registry, new: &Registry) -> Vec<String> {
        compare(old, new, &CompareOptions::default())
            .unwrap()
            .into_iter()
            .filter(|f| f.rule == super::NAME)
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn warehouse_database_and_schema_changes_are_judged() {
        let old = reg(
            serde_json::json!({"name": "s", "kind": "snowflake", "table": "T",
            "database": "FEAST", "db_schema": "FRAUD", "timestamp_field": "TS"}),
        );
        let new = reg(
            serde_json::json!({"name": "s", "kind": "snowflake", "table": "T",
            "database": "FEAST", "db_schema": "FRAUD_V2", "timestamp_field": "TS"}),
        );
        let m = messages(&old, &new);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("schema: `FRAUD` → `FRAUD_V2`"), "{m:?}");
    }

    #[test]
    fn an_unknown_timestamp_field_is_not_a_change() {
        let old = reg(
            serde_json::json!({"name": "s", "kind": "big_query", "table": "t",
            "timestamp_field": "<inferred>"}),
        );
        let new = reg(
            serde_json::json!({"name": "s", "kind": "big_query", "table": "t",
            "timestamp_field": "ts"}),
        );
        assert_eq!(messages(&old, &new), Vec::<String>::new());
    }
}
