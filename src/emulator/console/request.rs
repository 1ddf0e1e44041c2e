//! What a handler of a page inside one registry gets from its request: [`At`] (a GET: the
//! session, then the path) and [`Change`] (a POST: the path, then everything [`Posted`]
//! checks). Both keep the order the checks ran in when each handler extracted them itself,
//! so the same request gets the same refusal. The registry is looked up by [`At::run`] or
//! [`At::try_run`] in the handler, after every extractor: a signed-out browser or a foreign
//! form learns nothing about which registries exist.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::auth::{Form, Posted, Session};
use super::{PageError, db};
use crate::emulator::AppState;
use crate::emulator::store::{Db, Registry, StoreResult};

/// A route's path parameters, the registry's name first.
pub trait InRegistry: DeserializeOwned + Send {
    fn registry(&self) -> &str;
}

impl InRegistry for String {
    fn registry(&self) -> &str {
        self
    }
}

impl InRegistry for (String, String) {
    fn registry(&self) -> &str {
        &self.0
    }
}

impl InRegistry for (String, String, String) {
    fn registry(&self) -> &str {
        &self.0
    }
}

/// A signed-in request to a page inside the registry `path` names.
pub struct At<P> {
    pub state: Arc<AppState>,
    pub session: Session,
    pub path: P,
}

impl<P: InRegistry> At<P> {
    /// The registry alone (a form is checked before anything is changed in it).
    pub async fn registry(&self) -> Result<Registry, PageError> {
        Ok(self.run(|_, _| Ok(())).await?.0)
    }

    /// The registry, then what `f` reads or writes in it, in one store call; a store failure
    /// becomes the page's error.
    pub async fn run<T, F>(&self, f: F) -> Result<(Registry, T), PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db, &Registry) -> StoreResult<T> + Send + 'static,
    {
        let (r, result) = self.try_run(f).await?;
        Ok((r, result.map_err(PageError::store)?))
    }

    /// Like [`At::run`], but `f`'s own failure is the caller's to judge (a refused change
    /// shows the form again); only a missing registry or a failed lookup is the page's error.
    pub async fn try_run<T, F>(&self, f: F) -> Result<(Registry, StoreResult<T>), PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db, &Registry) -> StoreResult<T> + Send + 'static,
    {
        let name = self.path.registry().to_string();
        db(&self.state, move |db| match db.find_registry(&name)? {
            Some(r) => {
                let result = f(db, &r);
                Ok(Some((r, result)))
            }
            None => Ok(None),
        })
        .await?
        .ok_or_else(|| {
            PageError::NotFound(format!("There is no registry '{}'.", self.path.registry()))
        })
    }
}

impl<P: InRegistry> FromRequestParts<Arc<AppState>> for At<P> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(path) = Path::<P>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(At {
            state: state.clone(),
            session,
            path,
        })
    }
}

/// A state-changing form (see [`Posted`]) for the registry `at.path` names.
pub struct Change<P> {
    pub at: At<P>,
    pub form: Form,
}

impl<P: InRegistry> FromRequest<Arc<AppState>> for Change<P> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Path(path) = Path::<P>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let posted = Posted::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Change {
            at: At {
                state: state.clone(),
                session: posted.session,
                path,
            },
            form: posted.form,
        })
    }
}
