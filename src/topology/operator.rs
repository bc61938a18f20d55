//! What the Feast Operator (v0.66) derives from a `FeatureStore` CR: where
//! the feature repo comes from, the init containers and what they run, the
//! image each server runs, the working directory, the CronJob's commands
//! and the Roles it creates. Facts from the operator's Go source
//! (`infra/feast-operator/internal/controller/services/`), file by file in
//! the comments; used by the render's OPERATOR.md so a reviewer can check
//! the rendered CRs against what the operator will do, and by tests.
//!
//! 0.66 is the only operator version modelled: the newest operator source
//! reachable (feast-dev/feast master, August 2026, VERSION 0.66.0) has the
//! same CRD as the embedded one, and no 0.67 operator artifact is published
//! where this project can read it.

use serde_json::Value;

/// The image the operator uses when a CR names none: its
/// `RELATED_IMAGE_FEATURE_SERVER` environment variable, else the default
/// (services_types.go `DefaultImage`).
pub const DEFAULT_FEATURE_SERVER_IMAGE: &str = "quay.io/feastdev/feature-server:0.66.0";

/// The CronJob commands when the CR lists none (cronjob.go,
/// `setDefaultCronJobConfigs`): `feast apply` first.
pub const DEFAULT_CRON_COMMANDS: [&str; 2] = [
    "feast apply",
    "feast materialize-incremental $(date -u +'%Y-%m-%dT%H:%M:%S')",
];

/// `/feast-data`, the emptyDir the init container stages the repo in
/// (services_types.go `EphemeralPath`), unless the offline store has a PVC.
const EPHEMERAL_PATH: &str = "/feast-data";

#[derive(Debug, Clone, PartialEq)]
pub enum RepoSource {
    /// `feast init` of a demo repo; also what an absent `feastProjectDir`
    /// becomes (util.go `ApplyDefaultsToStatus`).
    Init {
        defaulted: bool,
    },
    Git {
        url: String,
        git_ref: Option<String>,
    },
    Packaged {
        image: String,
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct InitContainer {
    pub name: &'static str,
    pub image: String,
    pub runs: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub repo: RepoSource,
    pub init_containers: Vec<InitContainer>,
    pub working_dir: String,
    /// (service, image) for each server the CR enables.
    pub server_images: Vec<(&'static str, String)>,
    pub cron_commands: Vec<String>,
    pub cron_schedule: String,
    /// Roles the operator creates from `authz.kubernetes.roles` (empty
    /// marker Roles: who holds them is decided by RoleBindings).
    pub roles: Vec<String>,
    pub batch: Option<BatchEngineUse>,
}

/// `spec.batchEngine`: the ConfigMap the operator reads and what it does for that engine.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchEngineUse {
    pub config_map: String,
    /// `configMapKey`, `config` by default (repo_config.go `setRepoConfigBatchEngine`).
    pub key: String,
    /// The config's `type:`; None when the ConfigMap is not in the set.
    pub engine_type: Option<String>,
    /// Roles and ServiceAccount the operator creates for that engine
    /// (batch_engine_rbac.go; only `spark_application` has an RBAC template in v0.66).
    pub roles: Vec<String>,
    pub driver_service_account: Option<String>,
}

/// [`derive`], with the batch-engine facts read from the ConfigMap among
/// `docs` that the CR names (in its namespace).
pub fn derive_in(
    fs: &Value,
    related_image: Option<&str>,
    docs: &[crate::topology::validate::Document],
) -> Derived {
    let ns = fs["metadata"]["namespace"].as_str().unwrap_or_default();
    let name = fs["metadata"]["name"].as_str().unwrap_or_default();
    let derived = derive(fs, related_image);
    let config = derived.batch.as_ref().and_then(|b| {
        docs.iter()
            .find(|c| {
                c.kind() == "ConfigMap"
                    && c.name() == b.config_map
                    && c.value["metadata"]["namespace"] == ns
            })
            .and_then(|c| c.value["data"][&b.key].as_str())
    });
    derived.with_batch_config(name, config)
}

impl Derived {
    /// Fills the engine facts from the batch-engine ConfigMap's text.
    pub fn with_batch_config(mut self, name: &str, config: Option<&str>) -> Derived {
        if let Some(b) = &mut self.batch {
            b.engine_type = config
                .and_then(crate::topology::batch::engine_type)
                .map(str::to_string);
            if b.engine_type.as_deref() == Some("spark_application") {
                b.roles = vec![
                    format!("feast-{name}-batch-engine"),
                    format!("feast-{name}-batch-driver"),
                ];
                b.driver_service_account =
                    Some(crate::topology::batch::plan::spark_driver_sa(name));
            }
        }
        self
    }
}

fn s(v: &Value) -> Option<String> {
    v.as_str().filter(|x| !x.is_empty()).map(str::to_string)
}

/// Derives what the operator does with one FeatureStore. `related_image`
/// is the operator's `RELATED_IMAGE_FEATURE_SERVER` (None: its default).
pub fn derive(fs: &Value, related_image: Option<&str>) -> Derived {
    let spec = &fs["spec"];
    let services = &spec["services"];
    let project = spec["feastProject"].as_str().unwrap_or_default();
    let dir = &spec["feastProjectDir"];
    let repo = if let Some(p) = dir.get("packaged") {
        RepoSource::Packaged {
            image: s(&p["image"]).unwrap_or_default(),
            path: s(&p["featureRepoPath"]).unwrap_or_default(),
        }
    } else if let Some(g) = dir.get("git") {
        RepoSource::Git {
            url: s(&g["url"]).unwrap_or_default(),
            git_ref: s(&g["ref"]),
        }
    } else {
        RepoSource::Init {
            defaulted: dir.get("init").is_none(),
        }
    };
    // util.go getFeatureServerImageForSpec: the packaged image, else the
    // operator's default; getInitContainerImage puts services.initImage first.
    let packaged_image = match &repo {
        RepoSource::Packaged { image, .. } if !image.is_empty() => Some(image.clone()),
        _ => None,
    };
    let default_image = packaged_image.clone().unwrap_or_else(|| {
        related_image
            .unwrap_or(DEFAULT_FEATURE_SERVER_IMAGE)
            .to_string()
    });
    let init_image = s(&services["initImage"]).unwrap_or_else(|| default_image.clone());
    let disable_init = services["disableInitContainers"] == true;
    // util.go: runFeastApplyOnInit defaults to true.
    let apply_on_init = services["runFeastApplyOnInit"].as_bool().unwrap_or(true);

    // services.go getFeatureRepoDir.
    let offline_mount = services["offlineStore"]["persistence"]["file"]["pvc"]["mountPath"]
        .as_str()
        .unwrap_or(EPHEMERAL_PATH);
    let working_dir = match (&repo, disable_init) {
        (RepoSource::Packaged { path, .. }, true) => path.clone(),
        _ => {
            let sub = dir["git"]["featureRepoPath"]
                .as_str()
                .filter(|p| !p.is_empty())
                .unwrap_or("feature_repo");
            format!("{offline_mount}/{project}/{sub}")
        }
    };

    // services.go setInitContainer.
    let mut init_containers = Vec::new();
    if !disable_init {
        let runs = match &repo {
            RepoSource::Init { .. } => format!("feast init {project} (a demo repo)"),
            RepoSource::Git { url, git_ref } => match git_ref {
                Some(r) => format!("git clone {url} && git checkout {r}"),
                None => format!("git clone {url} (default branch)"),
            },
            RepoSource::Packaged { path, .. } => format!("copy {path} into {working_dir}"),
        };
        init_containers.push(InitContainer {
            name: "feast-init",
            image: init_image.clone(),
            runs,
        });
        if apply_on_init {
            init_containers.push(InitContainer {
                name: "feast-apply",
                image: init_image,
                runs: "feast apply (registers this repo, deletes what it lacks)".into(),
            });
        }
    }

    // services.go: a server's own `image` wins over the default.
    let mut server_images = Vec::new();
    for (name, server) in [
        ("onlineStore", &services["onlineStore"]["server"]),
        ("offlineStore", &services["offlineStore"]["server"]),
        ("registry", &services["registry"]["local"]["server"]),
    ] {
        if server.is_object() {
            server_images.push((
                name,
                s(&server["image"]).unwrap_or_else(|| default_image.clone()),
            ));
        }
    }

    // cronjob.go setDefaultCronJobConfigs: always deployed; without a
    // schedule it is suspended @yearly.
    let cron = &spec["cronJob"];
    let cron_commands = cron["containerConfigs"]["commands"]
        .as_array()
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| {
            DEFAULT_CRON_COMMANDS
                .iter()
                .map(|c| c.to_string())
                .collect()
        });
    let cron_schedule = s(&cron["schedule"]).unwrap_or_else(|| "@yearly (suspended)".into());

    let roles = spec["authz"]["kubernetes"]["roles"]
        .as_array()
        .map(|a| a.iter().filter_map(s).collect())
        .unwrap_or_default();
    let batch = spec["batchEngine"]["configMapRef"]["name"]
        .as_str()
        .map(|cm| BatchEngineUse {
            config_map: cm.to_string(),
            key: s(&spec["batchEngine"]["configMapKey"]).unwrap_or_else(|| "config".into()),
            engine_type: None,
            roles: Vec::new(),
            driver_service_account: None,
        });
    Derived {
        repo,
        init_containers,
        working_dir,
        server_images,
        cron_commands,
        cron_schedule,
        roles,
        batch,
    }
}

/// OPERATOR.md: per FeatureStore, what the operator will do with it.
pub fn markdown(stores: &[(&Value, Derived)]) -> String {
    let mut out = String::from(
        "# What the Feast Operator does with these FeatureStores\n\n\
         Derived from the operator v0.66 source (services.go, util.go, cronjob.go) by \
         `feastops render`; check it before applying.\n",
    );
    for (fs, d) in stores {
        let ns = fs["metadata"]["namespace"].as_str().unwrap_or_default();
        let name = fs["metadata"]["name"].as_str().unwrap_or_default();
        out.push_str(&format!("\n## {ns}/{name}\n\n| | |\n|---|---|\n"));
        let repo = match &d.repo {
            RepoSource::Init { defaulted: true } => {
                "**none: the operator serves a `feast init` demo repo**".to_string()
            }
            RepoSource::Init { .. } => "`feast init` demo repo".into(),
            RepoSource::Git { url, git_ref } => format!(
                "git `{url}` at `{}`",
                git_ref.as_deref().unwrap_or("the default branch")
            ),
            RepoSource::Packaged { image, path } => format!("packaged image `{image}`, `{path}`"),
        };
        out.push_str(&format!("| feature repo | {repo} |\n"));
        let inits = if d.init_containers.is_empty() {
            "none (init containers disabled)".to_string()
        } else {
            d.init_containers
                .iter()
                .map(|c| format!("`{}` ({}): {}", c.name, c.image, c.runs))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        out.push_str(&format!("| init containers | {inits} |\n"));
        out.push_str(&format!("| working directory | `{}` |\n", d.working_dir));
        for (svc, img) in &d.server_images {
            out.push_str(&format!("| {svc} server image | `{img}` |\n"));
        }
        out.push_str(&format!(
            "| CronJob | `{}`: {} |\n",
            d.cron_schedule,
            d.cron_commands
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", then ")
        ));
        match &d.batch {
            None => out.push_str("| materialization runs | in the online server pod (`kubectl exec` from the CronJob) |\n"),
            Some(b) => {
                let t = b.engine_type.as_deref().unwrap_or("unknown: ConfigMap not in this set");
                out.push_str(&format!(
                    "| batch engine | `{t}` from ConfigMap `{}` key `{}`, written into feature_store.yaml as `batch_engine` |\n",
                    b.config_map, b.key
                ));
                if !b.roles.is_empty() {
                    out.push_str(&format!(
                        "| engine RBAC it creates | Roles {} ; ServiceAccount `{}` for the Spark driver |\n",
                        b.roles.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "),
                        b.driver_service_account.as_deref().unwrap_or_default()
                    ));
                }
            }
        }
        if !d.roles.is_empty() {
            out.push_str(&format!(
                "| Roles it creates | {} (empty markers; RoleBindings grant them, ServiceAccount subjects for service-account tokens) |\n",
                d.roles.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_feature_repo_dir_becomes_a_demo_repo_applied_on_every_start() {
        let d = derive(&json!({"spec": {"feastProject": "p"}}), None);
        assert_eq!(d.repo, RepoSource::Init { defaulted: true });
        let names: Vec<_> = d.init_containers.iter().map(|c| c.name).collect();
        assert_eq!(names, ["feast-init", "feast-apply"]);
        assert_eq!(d.working_dir, "/feast-data/p/feature_repo");
        assert_eq!(d.cron_commands[0], "feast apply");
        assert_eq!(d.cron_schedule, "@yearly (suspended)");
    }

    #[test]
    fn a_server_image_wins_over_the_packaged_image() {
        let fs = json!({"spec": {"feastProject": "p",
            "feastProjectDir": {"packaged": {"image": "repo@sha256:1", "featureRepoPath": "/opt/r"}},
            "services": {"disableInitContainers": true,
                "onlineStore": {"server": {"image": "base:1"}}, "registry": {"local": {"server": {}}}}}});
        let d = derive(&fs, Some("mirror/fs:1"));
        assert_eq!(
            d.server_images,
            [
                ("onlineStore", "base:1".to_string()),
                ("registry", "repo@sha256:1".to_string())
            ]
        );
        assert!(d.init_containers.is_empty());
        assert_eq!(
            d.working_dir, "/opt/r",
            "init off: the servers start in the packaged path"
        );
    }

    #[test]
    fn a_spark_application_engine_gets_the_operators_rbac_and_driver_account() {
        let fs = json!({"spec": {"feastProject": "p",
            "batchEngine": {"configMapRef": {"name": "engine"}}}});
        let d =
            derive(&fs, None).with_batch_config("fs", Some("type: spark_application\nimage: x\n"));
        let b = d.batch.clone().expect("batch engine read");
        assert_eq!(b.key, "config");
        assert_eq!(b.engine_type.as_deref(), Some("spark_application"));
        assert_eq!(b.roles, ["feast-fs-batch-engine", "feast-fs-batch-driver"]);
        assert_eq!(
            b.driver_service_account.as_deref(),
            Some("feast-fs-batch-driver")
        );
        let ray = derive(&fs, None).with_batch_config("fs", Some("type: ray.engine\n"));
        assert!(
            ray.batch.unwrap().roles.is_empty(),
            "no RBAC template for ray.engine"
        );
        assert!(derive(&json!({"spec": {}}), None).batch.is_none());
        assert!(markdown(&[(&fs, d)]).contains("`feast-fs-batch-driver` for the Spark driver"));
    }

    #[test]
    fn git_clone_and_paths_follow_the_offline_pvc_and_repo_path() {
        let fs = json!({"spec": {"feastProject": "p",
            "feastProjectDir": {"git": {"url": "https://g/r.git", "ref": "abc1234", "featureRepoPath": "repo"}},
            "services": {"runFeastApplyOnInit": false, "initImage": "init:1",
                "offlineStore": {"persistence": {"file": {"pvc": {"mountPath": "/data"}}}}},
            "cronJob": {"schedule": "0 * * * *", "containerConfigs": {"commands": ["feast materialize-incremental now"]}},
            "authz": {"kubernetes": {"roles": ["reader"]}}}});
        let d = derive(&fs, None);
        assert_eq!(d.init_containers.len(), 1);
        assert_eq!(d.init_containers[0].image, "init:1");
        assert!(d.init_containers[0].runs.contains("git checkout abc1234"));
        assert_eq!(d.working_dir, "/data/p/repo");
        assert_eq!(d.cron_commands, ["feast materialize-incremental now"]);
        assert_eq!(d.roles, ["reader"]);
        let md = markdown(&[(&fs, d)]);
        assert!(md.contains("git `https://g/r.git` at `abc1234`"), "{md}");
    }
}
