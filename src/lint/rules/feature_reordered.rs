//! A kept feature changed its position relative to the others.

use crate::lint::{Finding, Level, ProjectPair};
use crate::model::ViewKind;

pub const NAME: &str = "feature-reordered";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for k in &v.features.moved {
            let f = &v.new.features[k.new_index];
            let mut finding = Finding::new(
                NAME,
                Level::Error,
                pair.name,
                super::view_ref(v.new),
                format!(
                    "feature `{}` moved from index {} to index {} in {} `{}`",
                    f.name,
                    k.old_index,
                    k.new_index,
                    v.new.kind.label(),
                    v.new.name
                ),
            )
            .feature(&f.name)
            .at(f.location.as_ref().or(v.new.location.as_ref()));
            if v.new.kind == ViewKind::StreamFeatureView {
                // Seen with feast 0.67: the registry stores a stream view's
                // schema in hash order, so an apply of unchanged code can
                // reorder it. The served order still changed, so this stays
                // an error; the hint says where the change may come from.
                finding = finding.hint(
                    "Feast stores stream feature view schemas in hash order: a re-apply of unchanged code can reorder them; serve stream features through a feature service that selects them by name",
                );
            }
            out.push(finding);
        }
    }
}
