//! The typed data-plane operations the commands use: catalog, tags (with attributes or
//! names only), manifests, the attributes of a repository, tag or manifest (get and patch),
//! untag, delete a manifest or a repository. Every path is built here, with the segments
//! encoded by `api::encode`.

use reqwest::Method;
use serde_json::Value;

use super::{Page, Registry};
use crate::api::encode;
use crate::error::Result;

/// What `repository show` and `repository update` address: a repository's attributes, a
/// tag's or a manifest's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attributes {
    Repository(String),
    Tag { repository: String, tag: String },
    Manifest { repository: String, digest: String },
}

impl Attributes {
    pub fn repository(&self) -> &str {
        match self {
            Attributes::Repository(repository)
            | Attributes::Tag { repository, .. }
            | Attributes::Manifest { repository, .. } => repository,
        }
    }

    /// The `/acr/v1` path and the key of the answer that holds the attributes.
    fn location(&self) -> (String, Option<&'static str>) {
        let base = format!("/acr/v1/{}", encode::repository(self.repository()));
        match self {
            Attributes::Repository(_) => (base, None),
            Attributes::Tag { tag, .. } => (
                format!("{base}/_tags/{}", encode::reference(tag)),
                Some("tag"),
            ),
            Attributes::Manifest { digest, .. } => (
                format!("{base}/_manifests/{}", encode::reference(digest)),
                Some("manifest"),
            ),
        }
    }
}

/// `body[index]` (or the body), `None` when there was no body.
fn indexed(body: Option<Value>, index: Option<&str>) -> Option<Value> {
    let body = body?;
    match index {
        Some(key) => Some(body.get(key).cloned().unwrap_or(Value::Null)),
        None => Some(body),
    }
}

/// The typed data-plane operations the commands use, with every path built here.
impl Registry {
    /// `GET /v2/_catalog`, paged: repository names.
    pub async fn catalog(&self, top: Option<i64>) -> Result<Vec<Value>> {
        let page = Page { top, orderby: None };
        self.paged("/v2/_catalog", "repositories", page).await
    }

    /// `GET /acr/v1/{repository}/_tags`, paged: tag attributes.
    pub async fn tags(&self, repository: &str, page: Page<'_>) -> Result<Vec<Value>> {
        self.acr_listing(repository, "tags", page).await
    }

    /// `GET /v2/{repository}/tags/list`, paged: tag names (registries without `/acr/v1`).
    pub async fn tag_names(&self, repository: &str) -> Result<Vec<Value>> {
        let path = format!("/v2/{}/tags/list", encode::repository(repository));
        self.paged(&path, "tags", Page::default()).await
    }

    /// `GET /acr/v1/{repository}/_manifests`, paged: manifest attributes.
    pub async fn manifests(&self, repository: &str, page: Page<'_>) -> Result<Vec<Value>> {
        self.acr_listing(repository, "manifests", page).await
    }

    /// `GET /acr/v1/{repository}/_{kind}`, paged: the `kind` list of each answer.
    async fn acr_listing(
        &self,
        repository: &str,
        kind: &str,
        page: Page<'_>,
    ) -> Result<Vec<Value>> {
        let path = format!("/acr/v1/{}/_{kind}", encode::repository(repository));
        self.paged(&path, kind, page).await
    }

    /// `GET` the attributes of `target`.
    pub async fn attributes(&self, target: &Attributes) -> Result<Option<Value>> {
        let (path, index) = target.location();
        let answer = self.request(Method::GET, &path, &[], None).await?;
        Ok(indexed(answer.body, index))
    }

    /// `PATCH` the attributes of `target` with `changes` (`deleteEnabled`, …); the new ones.
    pub async fn update_attributes(
        &self,
        target: &Attributes,
        changes: &serde_json::Map<String, Value>,
    ) -> Result<Option<Value>> {
        let (path, index) = target.location();
        let body = Value::Object(changes.clone());
        let answer = self.request(Method::PATCH, &path, &[], Some(&body)).await?;
        Ok(indexed(answer.body, index))
    }

    /// `GET /acr/v1/{repository}/_tags/{tag}`: the tag's attributes.
    pub async fn tag(&self, repository: &str, tag: &str) -> Result<Value> {
        let target = Attributes::Tag {
            repository: repository.to_owned(),
            tag: tag.to_owned(),
        };
        let (path, index) = target.location();
        Ok(self.get(&path, &[], index).await?.0)
    }

    /// `DELETE /acr/v1/{repository}/_tags/{tag}`.
    pub async fn untag(&self, repository: &str, tag: &str) -> Result<Option<Value>> {
        let target = Attributes::Tag {
            repository: repository.to_owned(),
            tag: tag.to_owned(),
        };
        self.delete(&target.location().0).await
    }

    /// `DELETE /v2/{repository}/manifests/{digest}`.
    pub async fn delete_manifest(&self, repository: &str, digest: &str) -> Result<Option<Value>> {
        let path = format!(
            "/v2/{}/manifests/{}",
            encode::repository(repository),
            encode::reference(digest)
        );
        self.delete(&path).await
    }

    /// `DELETE /acr/v1/{repository}`: the repository and every image in it.
    pub async fn delete_repository(&self, repository: &str) -> Result<Option<Value>> {
        let target = Attributes::Repository(repository.to_owned());
        self.delete(&target.location().0).await
    }

    async fn delete(&self, path: &str) -> Result<Option<Value>> {
        Ok(self.request(Method::DELETE, path, &[], None).await?.body)
    }
}
