//! Answers + catalog -> blueprint: which template layers to apply, and the
//! values they are rendered with. Pure: no I/O, no randomness (secrets are
//! passed in).

use std::sync::Arc;

use anyhow::Result;
use heck::{ToShoutySnakeCase, ToTitleCase};
use serde::Serialize;

use crate::answers::{Answers, Resolved};
use crate::catalog::{Catalog, Spec, Stack};
use crate::context::{Context, Peer, Project, ResourceInfo, ServiceInfo, SpecInfo, Uses};

/// Random values for the git-ignored `.env` files, made at the edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Secrets {
    pub secret_key: String,
    pub db_password: String,
}

impl Secrets {
    /// Fresh random secrets from the operating system.
    pub fn random() -> Result<Self> {
        Ok(Secrets {
            secret_key: random_hex(32)?,
            db_password: random_hex(16)?,
        })
    }
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes for secrets: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A folder of templates rendered into a folder of the output.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Prefix under `templates/`, ending in `/`.
    pub source: String,
    /// Prefix in the output, `""` or ending in `/`.
    pub dest: String,
    /// The render context, shared by the layers of the repo root and by
    /// those of each service.
    pub context: Arc<Context>,
    /// An overlay may replace files of earlier layers.
    pub overlay: bool,
    /// The `partials/` folders its templates see, a later one's partial
    /// replacing an earlier one's of the same name.
    pub partials: Vec<String>,
}

/// One service of the repo being generated.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub dir: String,
    pub port: u16,
    pub stack: Stack,
}

/// Everything needed to render the repo.
#[derive(Debug, Clone)]
pub struct Blueprint {
    pub answers: Answers,
    pub spec: Spec,
    pub services: Vec<Service>,
    pub layers: Vec<Layer>,
    /// The generated secret values: a file holding one is private (mode 0600).
    pub secrets: Vec<String>,
}

/// Builds the blueprint of resolved answers: which template layers to
/// render, with which values. It cannot fail: [`crate::answers::complete`]
/// checked every answer against the catalog.
pub fn blueprint(catalog: &Catalog, resolved: &Resolved, secrets: &Secrets) -> Blueprint {
    let spec = resolved.spec.clone();
    let (name, database, features) = (&resolved.name, &resolved.database, &resolved.features);
    let mut services = Vec::new();
    let mut used_ports = Vec::new();
    for s in &spec.services {
        let stack = catalog.stacks[&resolved.stacks[&s.name]].clone();
        let mut port = stack.port;
        while used_ports.contains(&port) {
            port += 1;
        }
        used_ports.push(port);
        services.push(Service {
            name: s.name.clone(),
            dir: s.name.clone(),
            port,
            stack,
        });
    }

    let features_on = catalog
        .feature_ids()
        .into_iter()
        .map(|id| {
            let on = features.contains(&id);
            (id, on)
        })
        .collect();
    let db = crate::catalog::DATABASES
        .iter()
        .map(|d| (d.to_string(), d == database))
        .collect();
    let service_infos: Vec<ServiceInfo> = services
        .iter()
        .zip(&spec.services)
        .map(|(s, spec_s)| service_info(s, &spec_s.resource))
        .collect();
    let base = Context {
        project: Project {
            name: name.clone(),
            // A week's default name reads best as the week's own title.
            title: if spec.plan.is_some() && *name == spec.default_name {
                spec.title.clone()
            } else {
                title(name)
            },
            description: resolved.description.clone(),
            description_line: crate::helpers::md_line(&resolved.description),
            folio_version: env!("CARGO_PKG_VERSION").into(),
        },
        spec: SpecInfo {
            id: spec.id.clone(),
            title: spec.title.clone(),
            summary: spec.summary.clone(),
            kind: spec.kind.clone(),
            requirements: spec.requirements.clone(),
            sections: spec.sections.clone(),
        },
        plan: spec.plan.clone(),
        learner: resolved
            .learner
            .clone()
            .map(|l| crate::roster::Learner { email: None, ..l }),
        database: database.clone(),
        db,
        features: features_on,
        uses: Uses {
            redis: features.iter().any(|f| f == "redis" || f == "jobs"),
            database_server: database != "sqlite",
            sql_server: database == "postgresql" || database == "mysql",
            sql: database != "mongodb",
        },
        secrets: secrets.clone(),
        actions: catalog.actions.clone(),
        images: catalog.images.clone(),
        multi_service: service_infos.len() > 1,
        services: service_infos.clone(),
        service: None,
        resource: None,
    };

    // Partials: common's, then each feature's common ones, then (in a
    // service) its stack's, then each feature's for that stack.
    let common = crate::catalog::COMMON_OVERLAY;
    let mut common_partials = vec!["common/partials/".to_string()];
    common_partials.extend(
        features
            .iter()
            .map(|f| format!("features/{f}/{common}/partials/")),
    );
    let root = Arc::new(base.clone());
    let mut layers = vec![Layer {
        source: "common/files/".into(),
        dest: String::new(),
        context: root.clone(),
        overlay: false,
        partials: common_partials.clone(),
    }];
    layers.extend(features.iter().map(|f| Layer {
        source: format!("features/{f}/{common}/files/"),
        dest: String::new(),
        context: root.clone(),
        overlay: true,
        partials: common_partials.clone(),
    }));
    for (s, info) in services.iter().zip(&service_infos) {
        let mut ctx = base.clone();
        ctx.service = Some(ServiceInfo {
            peers: Some(peers(s, &services)),
            ..info.clone()
        });
        ctx.resource = Some(info.resource.clone());
        let ctx = Arc::new(ctx);
        let dir = format!("{}/", s.dir);
        let stack = &s.stack.id;
        // The stack, then each feature's overlay of it: `files/` lands in the
        // service folder, `root/` at the repo root.
        let mut sources = vec![(format!("stacks/{stack}/"), false)];
        sources.extend(
            features
                .iter()
                .map(|f| (format!("features/{f}/{stack}/"), true)),
        );
        let mut partials = common_partials.clone();
        partials.extend(
            sources
                .iter()
                .map(|(prefix, _)| format!("{prefix}partials/")),
        );
        for (prefix, overlay) in sources {
            for (sub, dest) in [("files/", dir.clone()), ("root/", String::new())] {
                layers.push(Layer {
                    source: format!("{prefix}{sub}"),
                    dest,
                    context: ctx.clone(),
                    overlay,
                    partials: partials.clone(),
                });
            }
        }
    }
    Blueprint {
        answers: resolved.answers(),
        spec,
        services,
        layers,
        secrets: vec![secrets.secret_key.clone(), secrets.db_password.clone()],
    }
}

/// The other services of the repo, as this service sees them: each one's
/// name, the environment variable holding its base URL, that URL inside
/// compose and on the host (for local runs), and its stack id.
fn peers(me: &Service, services: &[Service]) -> Vec<Peer> {
    services
        .iter()
        .filter(|s| s.name != me.name)
        .map(|s| Peer {
            name: s.name.clone(),
            env: format!("{}_URL", s.name.to_shouty_snake_case()),
            url: format!("http://{}:{}", s.name, s.stack.port),
            local_url: format!("http://localhost:{}", s.port),
            stack: s.stack.id.clone(),
        })
        .collect()
}

/// A project name as a title: `shop-api` -> `Shop API`.
fn title(name: &str) -> String {
    const ACRONYMS: &[&str] = &["api", "aws", "etl", "jwt", "sql", "ui", "id", "ci", "cd"];
    name.to_title_case()
        .split(' ')
        .map(|w| {
            if ACRONYMS.contains(&w.to_lowercase().as_str()) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn service_info(s: &Service, resource: &crate::catalog::Resource) -> ServiceInfo {
    ServiceInfo {
        name: s.name.clone(),
        dir: s.dir.clone(),
        port: s.port,
        stack: s.stack.clone(),
        resource: ResourceInfo {
            name: resource.name.clone(),
            plural: resource.plural.clone(),
            title: resource.name.to_title_case(),
            fields: resource.fields.iter().map(Into::into).collect(),
        },
        peers: None,
    }
}
