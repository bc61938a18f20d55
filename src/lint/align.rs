//! Aligns a view's old and new ordered feature lists by name.
//!
//! Computed once per view and shared by the feature rules, so "removed",
//! "renamed", "moved" and "added" are always judged from the same pairing.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::model::Feature;

/// A feature present on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub old_index: usize,
    pub new_index: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureAlignment {
    /// Old indices whose name is gone (renames excluded).
    pub removed: Vec<usize>,
    /// `(old index, new index)`: same position, same dtype, new name.
    pub renamed: Vec<(usize, usize)>,
    /// New indices of new names that sit before a kept feature.
    pub inserted: Vec<usize>,
    /// New indices of new names after every kept feature.
    pub appended: Vec<usize>,
    /// Kept features, in old order.
    pub kept: Vec<Kept>,
    /// Kept features whose relative order changed (a minimal set, from the
    /// longest common subsequence).
    pub moved: Vec<Kept>,
}

pub fn align(old: &[Feature], new: &[Feature]) -> FeatureAlignment {
    let new_pos = |name: &str| new.iter().position(|f| f.name == name);
    let old_pos = |name: &str| old.iter().position(|f| f.name == name);

    let mut removed: Vec<usize> = (0..old.len())
        .filter(|&i| new_pos(&old[i].name).is_none())
        .collect();
    let mut added: Vec<usize> = (0..new.len())
        .filter(|&j| old_pos(&new[j].name).is_none())
        .collect();

    // A remove and an add at the same index with the same dtype read as a rename.
    let mut renamed = Vec::new();
    removed.retain(|&i| {
        if let Some(k) = added
            .iter()
            .position(|&j| j == i && new[j].dtype == old[i].dtype)
        {
            added.remove(k);
            renamed.push((i, i));
            false
        } else {
            true
        }
    });

    let kept: Vec<Kept> = (0..old.len())
        .filter_map(|i| {
            new_pos(&old[i].name).map(|j| Kept {
                old_index: i,
                new_index: j,
            })
        })
        .collect();

    // Features whose relative order changed: those outside the longest
    // common subsequence of kept names in old order vs new order.
    let old_seq: Vec<&str> = kept
        .iter()
        .map(|k| old[k.old_index].name.as_str())
        .collect();
    let mut by_new = kept.clone();
    by_new.sort_by_key(|k| k.new_index);
    let new_seq: Vec<&str> = by_new
        .iter()
        .map(|k| new[k.new_index].name.as_str())
        .collect();
    let mut in_lcs = vec![false; old_seq.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old_seq, &new_seq) {
        if let DiffOp::Equal { old_index, len, .. } = op {
            in_lcs[old_index..old_index + len]
                .iter_mut()
                .for_each(|b| *b = true);
        }
    }
    let moved = kept
        .iter()
        .zip(&in_lcs)
        .filter(|(_, in_lcs)| !**in_lcs)
        .map(|(k, _)| k.clone())
        .collect();

    // An added feature shifts others only if a kept or renamed one follows it.
    let last_anchor = kept
        .iter()
        .map(|k| k.new_index)
        .chain(renamed.iter().map(|r| r.1))
        .max();
    let (inserted, appended) = added
        .into_iter()
        .partition(|&j| last_anchor.is_some_and(|a| j < a));

    FeatureAlignment {
        removed,
        renamed,
        inserted,
        appended,
        kept,
        moved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DType, Meta};

    fn fs(spec: &[(&str, DType)]) -> Vec<Feature> {
        spec.iter()
            .map(|(n, t)| Feature {
                name: n.to_string(),
                dtype: t.clone(),
                meta: Meta::default(),
                location: None,
            })
            .collect()
    }

    use DType::{Float32 as F, Int64 as I};

    #[test]
    fn unchanged_lists_align_fully() {
        let a = fs(&[("a", I), ("b", F)]);
        let al = align(&a, &a);
        assert_eq!(al.kept.len(), 2);
        assert!(
            al.removed.is_empty()
                && al.moved.is_empty()
                && al.appended.is_empty()
                && al.inserted.is_empty()
        );
    }

    #[test]
    fn swap_moves_one_feature() {
        let al = align(
            &fs(&[("a", I), ("b", F), ("c", I)]),
            &fs(&[("b", F), ("a", I), ("c", I)]),
        );
        assert_eq!(al.moved.len(), 1);
        assert!(al.removed.is_empty());
    }

    #[test]
    fn same_slot_same_type_is_a_rename() {
        let al = align(&fs(&[("a", I), ("b", F)]), &fs(&[("a", I), ("b2", F)]));
        assert_eq!(al.renamed, vec![(1, 1)]);
        assert!(al.removed.is_empty() && al.appended.is_empty());
    }

    #[test]
    fn same_slot_other_type_is_remove_plus_add() {
        let al = align(&fs(&[("a", I), ("b", F)]), &fs(&[("a", I), ("b2", I)]));
        assert_eq!(al.removed, vec![1]);
        assert_eq!(al.appended, vec![1]);
    }

    #[test]
    fn insert_in_middle_vs_append() {
        let al = align(
            &fs(&[("a", I), ("b", F)]),
            &fs(&[("a", I), ("x", F), ("b", F), ("y", I)]),
        );
        assert_eq!(al.inserted, vec![1]);
        assert_eq!(al.appended, vec![3]);
        assert!(al.moved.is_empty());
    }
}
