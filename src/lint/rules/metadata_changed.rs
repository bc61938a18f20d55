//! Description, tags or owner changed, and nothing else about the object.
//! Always safe; reported so reviewers see it.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};
use crate::model::{Location, Meta};

pub const NAME: &str = "metadata-changed";

fn changed_fields(o: &Meta, n: &Meta) -> Vec<&'static str> {
    let mut out = Vec::new();
    if o.description != n.description {
        out.push("description");
    }
    if o.tags != n.tags {
        out.push("tags");
    }
    if o.owner != n.owner {
        out.push("owner");
    }
    out
}

fn push(
    out: &mut Vec<Finding>,
    project: &str,
    object: ObjectRef,
    feature: Option<&str>,
    o: &Meta,
    n: &Meta,
    at: Option<&Location>,
) {
    let fields = changed_fields(o, n);
    if fields.is_empty() {
        return;
    }
    let what = match feature {
        Some(f) => format!("feature `{f}` of {object}"),
        None => object.to_string(),
    };
    let mut f = Finding::new(
        NAME,
        Level::Info,
        project,
        object,
        format!("{} of {what} changed", fields.join(", ")),
    )
    .at(at);
    f.feature = feature.map(str::to_string);
    out.push(f);
}

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    let p = pair.name;
    let obj = |kind, name: &str| ObjectRef {
        kind,
        name: name.to_string(),
    };
    push(
        out,
        p,
        obj(ObjectKind::Project, p),
        None,
        &pair.old.meta,
        &pair.new.meta,
        pair.new.location.as_ref(),
    );
    for (o, n) in ProjectPair::common(&pair.old.entities, &pair.new.entities) {
        push(
            out,
            p,
            obj(ObjectKind::Entity, &n.name),
            None,
            &o.meta,
            &n.meta,
            n.location.as_ref(),
        );
    }
    for (o, n) in ProjectPair::common(&pair.old.data_sources, &pair.new.data_sources) {
        push(
            out,
            p,
            obj(ObjectKind::DataSource, &n.name),
            None,
            &o.meta,
            &n.meta,
            n.location.as_ref(),
        );
    }
    for (o, n) in ProjectPair::common(&pair.old.feature_services, &pair.new.feature_services) {
        push(
            out,
            p,
            obj(ObjectKind::FeatureService, &n.name),
            None,
            &o.meta,
            &n.meta,
            n.location.as_ref(),
        );
    }
    for v in &pair.views {
        let view = super::view_ref(v.new);
        push(
            out,
            p,
            view.clone(),
            None,
            &v.old.meta,
            &v.new.meta,
            v.new.location.as_ref(),
        );
        for k in &v.features.kept {
            let (o, n) = (&v.old.features[k.old_index], &v.new.features[k.new_index]);
            push(
                out,
                p,
                view.clone(),
                Some(&n.name),
                &o.meta,
                &n.meta,
                n.location.as_ref().or(v.new.location.as_ref()),
            );
        }
    }
}
