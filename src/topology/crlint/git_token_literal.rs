//! Credentials written into the CR: git `configs` URLs with a literal
//! `user:token@`, or env values of token-like names that are not `${VAR}`
//! references. The CR is readable by anyone who can read the namespace's
//! custom resources, and ends up in GitOps repos.

use serde_json::Value;

use super::{Cr, Hit};

pub const NAME: &str = "cr-git-token-literal";

fn literal_credential_in_url(v: &str) -> bool {
    v.split("://")
        .nth(1)
        .and_then(|rest| rest.split_once('@'))
        .is_some_and(|(userinfo, _)| {
            userinfo
                .split_once(':')
                .is_some_and(|(_, secret)| !secret.is_empty() && !secret.contains("${"))
        })
}

fn secret_like(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["TOKEN", "PASSWORD", "SECRET", "API_KEY", "CREDENTIAL"]
        .iter()
        .any(|k| n.contains(k))
}

pub fn check(cr: &Cr) -> Vec<Hit> {
    let git = &cr.spec()["feastProjectDir"]["git"];
    let mut out = Vec::new();
    for (k, v) in git["configs"].as_object().into_iter().flatten() {
        if literal_credential_in_url(k) || v.as_str().is_some_and(literal_credential_in_url) {
            out.push(Hit {
                path: format!("spec.feastProjectDir.git.configs[{k}]"),
                message: "a credential is written into the git config: reference it as ${VAR} and load it with envFrom a Secret".into(),
            });
        }
    }
    if let Some(url) = git["url"].as_str()
        && literal_credential_in_url(url)
    {
        out.push(Hit {
            path: "spec.feastProjectDir.git.url".into(),
            message: "the clone URL carries a credential: use configs with ${VAR} and a Secret"
                .into(),
        });
    }
    for (i, e) in git["env"].as_array().into_iter().flatten().enumerate() {
        let name = e["name"].as_str().unwrap_or("");
        if let Some(Value::String(v)) = e.get("value")
            && secret_like(name)
            && !v.is_empty()
            && !v.contains("${")
        {
            out.push(Hit {
                path: format!("spec.feastProjectDir.git.env[{i}]"),
                message: format!("`{name}` has a literal value: use valueFrom.secretKeyRef"),
            });
        }
    }
    out
}
