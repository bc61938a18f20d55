//! Pairs a model's inputs with a served vector once, for every rule: by
//! name (a column is `feature`, `view__feature` as Feast names it with
//! `full_feature_names=True`, or a `view:feature` ref), then unpaired
//! columns at the same slot with a compatible dtype as renames.

use std::collections::HashMap;

use super::casting::{self, Verdict};
use super::{Column, Inputs, ModelSpec, Runtime};
use crate::model::VectorEntry;

/// How one model column relates to the served vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Served at this index under the column's name.
    Served(usize),
    /// Not served by name; the served entry at the same index has another
    /// name and a compatible dtype.
    Renamed(usize),
    Missing,
}

#[derive(Debug)]
pub struct Alignment<'a> {
    pub spec: &'a ModelSpec,
    pub project: &'a str,
    pub service: &'a str,
    pub served: &'a [VectorEntry],
    /// Named inputs only; empty for positional or unknown inputs.
    pub columns: &'a [Column],
    /// One per column.
    pub slots: Vec<Slot>,
    /// Served indices no column reads (neither by name nor as a rename).
    pub extra: Vec<usize>,
    /// Columns (by index) that keep their relative order out of place: the
    /// complement of the longest run the model and the vector agree on.
    pub moved: Vec<usize>,
    /// The model names columns `view__feature`.
    pub full_names: bool,
    /// Names the offline frame carries besides features (join keys,
    /// request-source fields, the event timestamp): a model trained on
    /// `get_historical_features(...).to_df()` without dropping them
    /// expects columns no service serves.
    pub frame_only: &'a [String],
}

/// `view:feature` or `view@vN:feature` → (view, feature).
fn parse_ref(r: &str) -> Option<(&str, &str)> {
    let (view, feature) = r.split_once(':')?;
    let view = view.split_once('@').map_or(view, |(v, _)| v);
    Some((view, feature))
}

pub fn align<'a>(
    spec: &'a ModelSpec,
    project: &'a str,
    service: &'a str,
    served: &'a [VectorEntry],
    frame_only: &'a [String],
) -> Alignment<'a> {
    let columns: &[Column] = match &spec.inputs {
        Inputs::Columns(c) => c,
        _ => &[],
    };
    // Served indices per feature name, in vector order; borrowed, so
    // aligning allocates no strings.
    let mut by_feature: HashMap<&str, Vec<usize>> = HashMap::with_capacity(served.len());
    for (j, e) in served.iter().enumerate() {
        // A dangling entry (its view or feature is gone) is not served;
        // `dangling-reference` reports the service itself.
        if e.dtype.is_some() {
            by_feature.entry(e.feature.as_str()).or_default().push(j);
        }
    }
    let mut used = vec![false; served.len()];
    let free = |feature: &str, view: Option<&str>, used: &[bool]| {
        by_feature.get(feature).and_then(|js| {
            js.iter()
                .copied()
                .find(|&j| !used[j] && view.is_none_or(|v| served[j].view == v))
        })
    };
    let mut full_hits = 0;
    let mut slots = Vec::with_capacity(columns.len());
    for c in columns {
        let hit = match spec.runtime {
            Runtime::FeastRefs => parse_ref(&c.name).and_then(|(v, f)| free(f, Some(v), &used)),
            _ => free(&c.name, None, &used).or_else(|| {
                // `view__feature`: either side may itself contain `__`.
                let full = c
                    .name
                    .match_indices("__")
                    .find_map(|(k, _)| free(&c.name[k + 2..], Some(&c.name[..k]), &used));
                full_hits += usize::from(full.is_some());
                full
            }),
        };
        match hit {
            Some(j) => {
                used[j] = true;
                slots.push(Slot::Served(j));
            }
            None => slots.push(Slot::Missing),
        }
    }
    // A column the vector lacks, at a slot whose served entry nobody
    // reads, with a dtype the runtime takes as is: the same input renamed.
    for (i, c) in columns.iter().enumerate() {
        if slots[i] != Slot::Missing || i >= served.len() || used[i] {
            continue;
        }
        if frame_only.contains(&c.name) {
            continue;
        }
        let compatible = match (&c.dtype, &served[i].dtype) {
            (Some(m), Some(s)) => casting::judge(m, s) == Verdict::Same,
            (None, _) => true,
            (Some(_), None) => false,
        };
        if compatible {
            used[i] = true;
            slots[i] = Slot::Renamed(i);
        }
    }
    let extra = (0..served.len())
        .filter(|j| !used[*j] && served[*j].dtype.is_some())
        .collect();
    let moved = moved(&slots);
    Alignment {
        spec,
        project,
        service,
        served,
        columns,
        slots,
        extra,
        moved,
        full_names: full_hits > 0,
        frame_only,
    }
}

/// Columns outside the longest increasing run of served indices.
fn moved(slots: &[Slot]) -> Vec<usize> {
    let seq: Vec<(usize, usize)> = slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Slot::Served(j) => Some((i, *j)),
            _ => None,
        })
        .collect();
    // Longest increasing subsequence by patience sorting, O(n log n):
    // `tails[l]` is the index in `seq` ending the best run of length l+1.
    let n = seq.len();
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; n];
    for k in 0..n {
        let l = tails.partition_point(|&t| seq[t].1 < seq[k].1);
        if l > 0 {
            prev[k] = tails[l - 1];
        }
        if l == tails.len() {
            tails.push(k);
        } else {
            tails[l] = k;
        }
    }
    let mut keep = vec![false; n];
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        keep[k] = true;
        k = prev[k];
    }
    seq.iter()
        .zip(keep)
        .filter(|(_, k)| !k)
        .map(|((i, _), _)| *i)
        .collect()
}

impl Alignment<'_> {
    /// The model's expected row as vector entries, beside the served one:
    /// a served column shows its view, a column the vector lacks shows
    /// `<model>`; the dtype is the model's when it names one exactly.
    pub fn expected_row(&self) -> Vec<VectorEntry> {
        match &self.spec.inputs {
            Inputs::Columns(cols) => cols
                .iter()
                .zip(&self.slots)
                .map(|(c, s)| {
                    let served = match s {
                        Slot::Served(j) => Some(&self.served[*j]),
                        _ => None,
                    };
                    let (view, feature) = match (self.spec.runtime, parse_ref(&c.name)) {
                        (Runtime::FeastRefs, Some((v, f))) => (v.to_string(), f.to_string()),
                        _ => (
                            served.map_or("<model>".into(), |e| e.view.clone()),
                            served.map_or(c.name.clone(), |e| e.feature.clone()),
                        ),
                    };
                    let dtype = c
                        .dtype
                        .as_ref()
                        .and_then(casting::as_dtype)
                        .or_else(|| served.and_then(|e| e.dtype.clone()));
                    VectorEntry {
                        view,
                        source_view: None,
                        feature,
                        version: None,
                        dtype,
                    }
                })
                .collect(),
            // Slot k of a nameless model receives whatever is served at k.
            Inputs::Positional { width, dtype } => (0..width.unwrap_or(0) as usize)
                .map(|k| VectorEntry {
                    view: self
                        .served
                        .get(k)
                        .map_or("<model>".into(), |e| e.view.clone()),
                    source_view: None,
                    version: None,
                    feature: self
                        .served
                        .get(k)
                        .map_or(format!("input[{k}]"), |e| e.feature.clone()),
                    dtype: dtype
                        .as_ref()
                        .and_then(casting::as_dtype)
                        .or_else(|| self.served.get(k).and_then(|e| e.dtype.clone())),
                })
                .collect(),
            Inputs::Unknown { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::InputType;
    use crate::model::DType;

    fn served(names: &[&str]) -> Vec<VectorEntry> {
        names
            .iter()
            .map(|n| VectorEntry {
                view: "fv".into(),
                source_view: None,
                feature: n.to_string(),
                version: None,
                dtype: Some(DType::Float64),
            })
            .collect()
    }

    fn spec(names: &[&str]) -> ModelSpec {
        ModelSpec {
            path: "m".into(),
            runtime: Runtime::Mlflow,
            inputs: Inputs::Columns(
                names
                    .iter()
                    .map(|n| Column {
                        name: n.to_string(),
                        dtype: Some(InputType::Mlflow("double".into())),
                    })
                    .collect(),
            ),
            truncated: false,
        }
    }

    #[test]
    fn swapped_pair_moves_one_column() {
        let (s, v) = (spec(&["b", "a", "c"]), served(&["a", "b", "c"]));
        let a = align(&s, "p", "svc", &v, &[]);
        assert_eq!(a.moved.len(), 1);
        assert!(a.extra.is_empty());
    }

    #[test]
    fn same_slot_other_name_is_a_rename() {
        let (s, v) = (spec(&["a", "old", "c"]), served(&["a", "new", "c"]));
        let a = align(&s, "p", "svc", &v, &[]);
        assert_eq!(a.slots[1], Slot::Renamed(1));
        assert!(a.extra.is_empty());
    }

    #[test]
    fn full_feature_names_match() {
        let (s, v) = (spec(&["fv__a", "fv__b"]), served(&["a", "b"]));
        let a = align(&s, "p", "svc", &v, &[]);
        assert!(a.full_names && a.moved.is_empty() && a.extra.is_empty());
    }
}

#[cfg(test)]
mod ref_tests {
    use super::*;

    #[test]
    fn pinned_refs_match_their_view() {
        let spec = ModelSpec {
            path: "feast_features.json".into(),
            runtime: Runtime::FeastRefs,
            inputs: Inputs::Columns(vec![Column {
                name: "fv@v2:a".into(),
                dtype: None,
            }]),
            truncated: false,
        };
        let served = vec![VectorEntry {
            view: "fv".into(),
            source_view: None,
            feature: "a".into(),
            version: None,
            dtype: Some(crate::model::DType::Int64),
        }];
        let a = align(&spec, "p", "svc", &served, &[]);
        assert_eq!(a.slots, [Slot::Served(0)]);
    }
}
