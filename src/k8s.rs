//! The Kubernetes manifests of a generated repo (the `k8s` feature, under
//! `deploy/k8s/`): which overlays `folio verify` renders and checks, and
//! which source file defines a resource that a check failed on, since the
//! checks read the rendered overlay, not the files a learner edits.

use std::path::{Path, PathBuf};

/// Where the manifests live, relative to the repo.
pub const DIR: &str = "deploy/k8s";

/// Where `folio verify` writes the rendered overlays: a folder the feature
/// writes (with a README), whose YAML files its `deploy/k8s/.gitignore`
/// ignores and yamllint's `tmp/` rule skips.
pub const RENDERED: &str = "deploy/k8s/tmp";

/// The Kubernetes version whose JSON schemas the rendered overlays must
/// match (kubernetes-validate `--kubernetes-version`).
pub const VERSION: &str = "1.35.0";

/// The overlays of the repo at `root` (`deploy/k8s/overlays/<name>/` holding
/// a kustomization.yaml), sorted. Names that are not plain lowercase words
/// are left out: they go into shell lines.
pub fn overlays(root: &Path) -> Vec<String> {
    let dir = root.join(DIR).join("overlays");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("kustomization.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| crate::catalog::check_name(n).is_ok())
        .collect();
    names.sort();
    names
}

/// The resources a check's output says failed, as (kind, name): checkov
/// writes `FAILED for resource: Deployment.<namespace>.<name>`,
/// kubernetes-validate `for resource deployment/<name>`.
pub fn failed_resources(output: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for line in output.lines() {
        let resource = if let Some((_, id)) = line.split_once("FAILED for resource: ") {
            let mut parts = id.trim().splitn(3, '.');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(kind), Some(_namespace), Some(name)) => Some((kind, name)),
                _ => None,
            }
        } else if let Some((_, rest)) = line.split_once(" for resource ") {
            let id = rest.split_whitespace().next().unwrap_or("");
            id.split_once('/')
        } else {
            None
        };
        if let Some((kind, name)) = resource {
            let pair = (kind.to_string(), name.to_string());
            if !kind.is_empty() && !name.is_empty() && !found.contains(&pair) {
                found.push(pair);
            }
        }
    }
    found
}

/// Lines naming, for each failed resource in `output`, the manifest under
/// `deploy/k8s/` (not the rendered copy) that defines it.
pub fn explain(root: &Path, output: &str) -> Vec<String> {
    let failed = failed_resources(output);
    if failed.is_empty() {
        return Vec::new();
    }
    let defined = definitions(root);
    let mut lines = Vec::new();
    for (kind, name) in failed {
        let files: Vec<&str> = defined
            .iter()
            .filter(|(k, n, _)| k.eq_ignore_ascii_case(&kind) && *n == name)
            .map(|(_, _, file)| file.as_str())
            .collect();
        if !files.is_empty() {
            lines.push(format!("{kind} {name} is defined in {}", files.join(", ")));
        }
    }
    lines
}

/// Every (kind, name, file) under `deploy/k8s/`, the rendered copies excepted.
fn definitions(root: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.join(DIR)];
    let rendered = root.join(RENDERED);
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() && path != rendered {
                stack.push(path);
            } else if meta.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .to_string();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for (kind, name) in documents(&text) {
                    out.push((kind, name, rel.clone()));
                }
            }
        }
    }
    out
}

/// The (kind, metadata.name) of each YAML document in `text`.
fn documents(text: &str) -> Vec<(String, String)> {
    use serde::Deserialize;
    let mut out = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let Ok(value) = serde_yaml_ng::Value::deserialize(doc) else {
            break;
        };
        let kind = value.get("kind").and_then(|k| k.as_str());
        let name = value
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(|n| n.as_str());
        if let (Some(kind), Some(name)) = (kind, name) {
            out.push((kind.to_string(), name.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_resources_are_read_from_checkov_and_kubernetes_validate() {
        let checkov = "Check: CKV_K8S_8: \"Liveness Probe Should be Configured\"\n\tFAILED for resource: Deployment.shop.catalog\n\tFile: /deploy/k8s/tmp/dev.yaml:1-90\n\tFAILED for resource: Deployment.shop.catalog\n";
        assert_eq!(
            failed_resources(checkov),
            vec![("Deployment".to_string(), "catalog".to_string())]
        );
        let validate = "ERROR deploy/k8s/tmp/dev.yaml did not validate for resource deployment/orders against version 1.35: spec.template: Additional properties are not allowed ('bogus' was unexpected)";
        assert_eq!(
            failed_resources(validate),
            vec![("deployment".to_string(), "orders".to_string())]
        );
        assert!(failed_resources("all good\n").is_empty());
    }

    #[test]
    fn explain_names_the_source_file_not_the_rendered_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let base = root.join("deploy/k8s/base/catalog");
        std::fs::create_dir_all(&base).unwrap();
        std::fs::create_dir_all(root.join(RENDERED)).unwrap();
        let deployment = "# comment\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: catalog\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: catalog-worker\n";
        std::fs::write(base.join("deployment.yaml"), deployment).unwrap();
        std::fs::write(root.join(RENDERED).join("dev.yaml"), deployment).unwrap();
        let lines = explain(
            root,
            "\tFAILED for resource: Deployment.shop.catalog-worker\n\tFAILED for resource: Service.shop.nowhere\n",
        );
        assert_eq!(
            lines,
            vec!["Deployment catalog-worker is defined in deploy/k8s/base/catalog/deployment.yaml"]
        );
    }

    #[test]
    fn overlays_are_folders_with_a_kustomization_and_plain_names() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for name in ["prod", "dev", "Bad Name", "empty"] {
            let dir = root.join("deploy/k8s/overlays").join(name);
            std::fs::create_dir_all(&dir).unwrap();
            if name != "empty" {
                std::fs::write(dir.join("kustomization.yaml"), "resources: []\n").unwrap();
            }
        }
        assert_eq!(overlays(root), vec!["dev", "prod"]);
        assert!(overlays(&root.join("nowhere")).is_empty());
    }
}
