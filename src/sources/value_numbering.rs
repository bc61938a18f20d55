//! Feast renumbered the ValueTypes it declares only in Python
//! (`feast/value_type.py`, not `Value.proto`), so a number in a registry
//! means what the Feast that wrote it meant:
//!
//! | Feast | 20 | 21 | 22 | 23 | 30 | 31 |
//! |---|---|---|---|---|---|---|
//! | 0.50–0.57 | PdfBytes | ImageBytes (0.54+) | | | | |
//! | 0.58–0.59 (#5772, Map) | Map | Array(Map) | PdfBytes | ImageBytes | | |
//! | 0.60+ (#5888, Set) | Map | Array(Map) | Set(Bytes) | Set(String) | PdfBytes | ImageBytes |
//!
//! The model uses the 0.60+ numbers. A registry shows it was written by
//! 0.60+ when it holds a number from 24 up (sets, JSON, …: 0.60+ only) or
//! anything 0.62+ writes (a view's `version`, the version history, label
//! views). When it does not and holds 20–23, the writer's version is
//! needed: `FEASTOPS_REGISTRY_FEAST_VERSION` (e.g. `0.55`) renumbers to the
//! 0.60+ meaning; without it the numbers are read as 0.60+ reads them and a
//! note says so, as Feast 0.60+ itself misreads such a registry.

use super::proto;
use crate::model::Note;

/// The environment variable naming the Feast version that wrote registries
/// whose content does not show it.
pub const ENV: &str = "FEASTOPS_REGISTRY_FEAST_VERSION";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    /// 0.50–0.57: PdfBytes 20, ImageBytes 21.
    Before058,
    /// 0.58–0.59: Map 20/21, PdfBytes 22, ImageBytes 23.
    Before060,
    /// 0.60+.
    Current,
}

const PDF_BYTES: i32 = 30;
const IMAGE_BYTES: i32 = 31;

/// `0.55`, `0.55.0`, `v0.55.1` → the numbering of that Feast.
fn numbering_of(version: &str) -> Option<Numbering> {
    let v = version.trim().trim_start_matches('v');
    let mut parts = v.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next()?.parse().ok()?;
    if parts.any(|p| p.parse::<u32>().is_err()) {
        return None;
    }
    Some(match (major, minor) {
        (0, m) if m < 58 => Numbering::Before058,
        (0, 58..=59) => Numbering::Before060,
        _ => Numbering::Current,
    })
}

/// Renumbers the registry's ValueTypes to the 0.60+ numbers when it was
/// written by an older Feast (shown by its content, or by `written_by`);
/// returns a note when the numbers are ambiguous and nothing tells.
pub(crate) fn normalize(r: &mut proto::Registry, written_by: Option<&str>) -> Option<Note> {
    let mut ambiguous = Vec::new();
    let mut newer = false;
    for_each_value_type(r, &mut |vt| {
        if (20..=23).contains(vt) {
            ambiguous.push(*vt);
        }
        newer |= *vt >= 24;
    });
    if ambiguous.is_empty() || newer || written_by_062(r) {
        return None;
    }
    ambiguous.sort_unstable();
    ambiguous.dedup();
    let hint = written_by.map(|v| (v, numbering_of(v)));
    let numbering = match hint {
        Some((_, Some(n))) => n,
        Some((v, None)) => return Some(note(&ambiguous, Some(v))),
        None => return Some(note(&ambiguous, None)),
    };
    let mut map = |vt: &mut i32| {
        *vt = match (numbering, *vt) {
            (Numbering::Before058, 20) | (Numbering::Before060, 22) => PDF_BYTES,
            (Numbering::Before058, 21) | (Numbering::Before060, 23) => IMAGE_BYTES,
            (_, n) => n,
        }
    };
    for_each_value_type(r, &mut map);
    None
}

fn note(numbers: &[i32], bad_hint: Option<&str>) -> Note {
    let numbers: Vec<String> = numbers.iter().map(i32::to_string).collect();
    let why = match bad_hint {
        Some(v) => format!("{ENV}={v} is not a Feast version (write e.g. 0.55)"),
        None => format!(
            "set {ENV} to the Feast version that applied it (e.g. 0.55) to read it as that version wrote it"
        ),
    };
    let (noun, verb) = if numbers.len() == 1 {
        ("value type", "means")
    } else {
        ("value types", "mean")
    };
    Note {
        location: None,
        message: format!(
            "{noun} {} {verb} different dtypes in registries of different Feast versions \
             (PdfBytes is 20 in 0.50–0.57, 22 in 0.58–0.59 and 30 from 0.60; 20/21 are Map from 0.58, \
             22/23 sets from 0.60) and nothing in this registry shows which Feast wrote it: read with \
             the 0.60+ numbers, as Feast 0.60+ itself reads it; {why}",
            numbers.join(", ")
        ),
    }
}

/// Objects only Feast 0.62+ writes: a view's `version` (0.62 writes
/// "latest" on every view), the version history, label views (0.64).
fn written_by_062(r: &proto::Registry) -> bool {
    r.feature_view_version_history.is_some()
        || !r.label_views.is_empty()
        || r.feature_views
            .iter()
            .filter_map(|v| v.spec.as_ref())
            .any(|s| !s.version.is_empty())
}

/// Every ValueType number a registry written before 0.62 can hold.
fn for_each_value_type(r: &mut proto::Registry, f: &mut dyn FnMut(&mut i32)) {
    for e in r.entities.iter_mut().filter_map(|e| e.spec.as_mut()) {
        f(&mut e.value_type);
    }
    for ds in &mut r.data_sources {
        source(ds, f);
    }
    for s in r.feature_views.iter_mut().filter_map(|v| v.spec.as_mut()) {
        view(s, f);
    }
    for s in r
        .stream_feature_views
        .iter_mut()
        .filter_map(|v| v.spec.as_mut())
    {
        fields(&mut s.features, f);
        fields(&mut s.entity_columns, f);
        for ds in [&mut s.batch_source, &mut s.stream_source]
            .into_iter()
            .flatten()
        {
            source(ds, f);
        }
    }
    for s in r
        .on_demand_feature_views
        .iter_mut()
        .filter_map(|v| v.spec.as_mut())
    {
        fields(&mut s.features, f);
        fields(&mut s.entity_columns, f);
        for src in s.sources.values_mut() {
            if let Some(v) = src.feature_view.as_mut().and_then(|v| v.spec.as_mut()) {
                view(v, f);
            }
            if let Some(ds) = &mut src.request_data_source {
                source(ds, f);
            }
            if let Some(p) = &mut src.feature_view_projection {
                fields(&mut p.feature_columns, f);
            }
        }
    }
    for s in r
        .feature_services
        .iter_mut()
        .filter_map(|s| s.spec.as_mut())
    {
        for p in &mut s.features {
            fields(&mut p.feature_columns, f);
        }
    }
}

fn view(s: &mut proto::FeatureViewSpec, f: &mut dyn FnMut(&mut i32)) {
    fields(&mut s.features, f);
    fields(&mut s.entity_columns, f);
    for ds in [&mut s.batch_source, &mut s.stream_source]
        .into_iter()
        .flatten()
    {
        source(ds, f);
    }
}

fn fields(fs: &mut [proto::FeatureSpecV2], f: &mut dyn FnMut(&mut i32)) {
    for field in fs {
        f(&mut field.value_type);
    }
}

fn source(ds: &mut proto::DataSource, f: &mut dyn FnMut(&mut i32)) {
    if let Some(o) = &mut ds.request_data_options {
        fields(&mut o.schema, f);
        o.deprecated_schema.values_mut().for_each(&mut *f);
    }
    if let Some(inner) = &mut ds.batch_source {
        source(inner, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(value_types: &[i32], version: &str) -> proto::Registry {
        proto::Registry {
            feature_views: vec![proto::FeatureView {
                spec: Some(proto::FeatureViewSpec {
                    name: "v".into(),
                    features: value_types
                        .iter()
                        .map(|&value_type| proto::FeatureSpecV2 {
                            value_type,
                            ..Default::default()
                        })
                        .collect(),
                    version: version.into(),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn types(r: &proto::Registry) -> Vec<i32> {
        r.feature_views[0]
            .spec
            .as_ref()
            .unwrap()
            .features
            .iter()
            .map(|f| f.value_type)
            .collect()
    }

    #[test]
    fn the_writers_version_renumbers_pdf_and_image_bytes() {
        for (writer, given, want) in [
            ("0.55", vec![20, 21, 4], vec![30, 31, 4]),
            ("0.50.0", vec![20], vec![30]),
            ("0.58", vec![20, 21, 22, 23], vec![20, 21, 30, 31]),
            ("v0.59.0", vec![22], vec![30]),
            ("0.61", vec![20, 22], vec![20, 22]),
        ] {
            let mut r = registry(&given, "");
            assert_eq!(normalize(&mut r, Some(writer)), None, "{writer}");
            assert_eq!(types(&r), want, "{writer}");
        }
    }

    #[test]
    fn content_of_a_newer_feast_wins_over_the_hint() {
        // 0.62+ writes `version: latest` on every view.
        let mut r = registry(&[20], "latest");
        assert_eq!(normalize(&mut r, Some("0.55")), None);
        assert_eq!(types(&r), [20]);
        // A set (22–29) or a number from 24 up exists only from 0.60.
        let mut r = registry(&[20, 25], "");
        assert_eq!(normalize(&mut r, Some("0.55")), None);
        assert_eq!(types(&r), [20, 25]);
    }

    #[test]
    fn ambiguous_numbers_without_a_hint_are_kept_and_noted() {
        let mut r = registry(&[22, 20, 22], "");
        let note = normalize(&mut r, None).expect("a note");
        assert!(
            note.message.starts_with("value types 20, 22 mean"),
            "{}",
            note.message
        );
        assert!(note.message.contains(ENV));
        assert_eq!(types(&r), [22, 20, 22]);
        let note = normalize(&mut r, Some("latest")).expect("a note");
        assert!(
            note.message.contains("is not a Feast version"),
            "{}",
            note.message
        );
        // Nothing ambiguous: no note.
        let mut r = registry(&[4, 30], "");
        assert_eq!(normalize(&mut r, None), None);
    }
}
