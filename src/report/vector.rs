//! A feature service's vector before and after as diff lines, shared by the
//! formats that show it as plain text (markdown).

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::lint::VectorChange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Same,
    Removed,
    Added,
}

/// One line of the diff: the entry's index in its own vector and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub tag: Tag,
    pub index: usize,
    pub text: String,
}

/// Lines in diff order; unchanged entries carry their index after the change.
pub fn diff(v: &VectorChange) -> Vec<Line> {
    let before: Vec<String> = v.before.iter().map(|e| e.to_string()).collect();
    let after: Vec<String> = v.after.iter().map(|e| e.to_string()).collect();
    let mut out = Vec::new();
    let mut push = |tag, lines: &[String], start: usize, len: usize| {
        for (k, text) in lines.iter().enumerate().skip(start).take(len) {
            out.push(Line {
                tag,
                index: k,
                text: text.clone(),
            });
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, &before, &after) {
        match op {
            DiffOp::Equal { new_index, len, .. } => push(Tag::Same, &after, new_index, len),
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(Tag::Removed, &before, old_index, old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(Tag::Added, &after, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(Tag::Removed, &before, old_index, old_len);
                push(Tag::Added, &after, new_index, new_len);
            }
        }
    }
    out
}
