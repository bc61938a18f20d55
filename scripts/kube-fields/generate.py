#!/usr/bin/env python3
"""Which fields of the core kinds `feastops validate` checks appeared (or went away)
in which Kubernetes minor, read from the per-release OpenAPI-derived JSON schemas
that the kubernetes-validate wheel bundles (kubernetes-json-schema, "local-strict").

Usage: generate.py SCHEMA_ROOT OLDEST NEWEST > src/topology/validate/kube_fields.json

SCHEMA_ROOT is kubernetes_validate/kubernetes-json-schema inside the venv that
scripts/test installs (target/venv-k8scheck). Only differences between releases are
written: a field present in every release from OLDEST to NEWEST needs no entry.
"""
import json
import os
import sys

# `apiVersion kind` of the kinds in src/topology/validate/core_kinds.rs.
KINDS = [
    ("v1", "Namespace"), ("v1", "ServiceAccount"), ("v1", "Secret"), ("v1", "ConfigMap"),
    ("v1", "Service"), ("v1", "PersistentVolumeClaim"),
    ("rbac.authorization.k8s.io/v1", "Role"), ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("networking.k8s.io/v1", "NetworkPolicy"), ("networking.k8s.io/v1", "Ingress"),
    ("policy/v1", "PodDisruptionBudget"), ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("apps/v1", "Deployment"), ("batch/v1", "CronJob"), ("batch/v1", "Job"),
]


def schema_file(api, kind):
    group_version = api.split("/")
    if len(group_version) == 1:
        group, version = "", group_version[0]
    else:
        group, version = group_version[0].split(".")[0], group_version[1]
    name = kind.lower() + ("-" + group if group else "") + "-" + version + ".json"
    return name


def paths(defs, node, prefix, stack, out):
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in stack:  # recursive types do not occur in these kinds; stop if one does
            return
        paths(defs, defs[name], prefix, stack + [name], out)
        return
    for key, sub in (node.get("properties") or {}).items():
        path = f"{prefix}.{key}" if prefix else key
        out.add(path)
        paths(defs, sub, path, stack, out)
    items = node.get("items")
    if isinstance(items, dict):
        paths(defs, items, prefix + "[]", stack, out)
    for alt in node.get("allOf", []) + node.get("oneOf", []) + node.get("anyOf", []):
        paths(defs, alt, prefix, stack, out)


def release_paths(root, minor):
    base = os.path.join(root, f"v1.{minor}.0-local-strict")
    with open(os.path.join(base, "_definitions.json")) as f:
        defs = json.load(f)["$defs"]
    result = {}
    for api, kind in KINDS:
        with open(os.path.join(base, schema_file(api, kind))) as f:
            top = json.load(f)
        found = set()
        paths(defs, top, "", [], found)
        # status is written by controllers, never by manifests.
        result[f"{api} {kind}"] = {p for p in found if p != "status" and not p.startswith("status.")}
    return result


def parent(path):
    cut = max(path.rfind("."), path.rfind("[]") if path.endswith("[]") else -1)
    return path[:cut] if cut > 0 else None


def top_most(entries):
    """Drop a field whose parent has the same entry: the parent's entry covers it."""
    kept = {}
    for path, minor in entries.items():
        up = parent(path)
        while up is not None and up not in entries:
            up = parent(up)
        if up is None or entries[up] != minor:
            kept[path] = minor
    return kept


def main():
    root, oldest, newest = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    releases = {m: release_paths(root, m) for m in range(oldest, newest + 1)}
    kinds = {}
    for api, kind in KINDS:
        key = f"{api} {kind}"
        every = set().union(*(releases[m][key] for m in releases))
        added, removed = {}, {}
        for p in sorted(every):
            present = [m for m in releases if p in releases[m][key]]
            first, last = min(present), max(present)
            if present != list(range(first, last + 1)):
                sys.exit(f"{key} {p}: present in {present}, not one run of releases")
            if first > oldest:
                added[p] = first
            if last < newest:
                removed[p] = last + 1
        kinds[key] = {"added": top_most(added), "removed": top_most(removed)}
    json.dump(
        {
            "source": "kubernetes-validate's bundled kubernetes-json-schema (local-strict), "
            f"v1.{oldest}.0 to v1.{newest}.0; scripts/kube-fields/generate.py",
            "oldest": oldest,
            "newest": newest,
            "kinds": kinds,
        },
        sys.stdout,
        indent=1,
        sort_keys=True,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
