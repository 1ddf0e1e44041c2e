//! Injected connection resets: the outer service of every listener turns an answer marked
//! `reset` into a service error, so hyper closes the connection without writing it.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::response::Response;

use super::Faulted;

/// The outermost service of every listener: an answer marked `reset` becomes a service error,
/// on which hyper closes the connection without writing a byte of the answer.
#[derive(Clone)]
pub struct ResetService<S>(pub S);

/// The error that makes hyper drop a connection.
#[derive(Debug)]
pub struct ConnectionReset;

impl std::fmt::Display for ConnectionReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by an injected fault")
    }
}

impl std::error::Error for ConnectionReset {}

impl<S, B> tower_service::Service<axum::http::Request<B>> for ResetService<S>
where
    S: tower_service::Service<axum::http::Request<B>, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = ConnectionReset;
    type Future = Pin<Box<dyn Future<Output = Result<Response, ConnectionReset>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ConnectionReset>> {
        match self.0.poll_ready(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(())),
            Poll::Ready(Err(never)) => match never {},
            Poll::Pending => Poll::Pending,
        }
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        let fut = self.0.call(req);
        Box::pin(async move {
            let Ok(resp) = fut.await;
            match resp.extensions().get::<Faulted>() {
                Some(Faulted("reset")) => Err(ConnectionReset),
                _ => Ok(resp),
            }
        })
    }
}

/// Makes one [`ResetService`] per connection.
#[derive(Clone)]
pub struct MakeReset<S>(pub S);

impl<S: Clone, T> tower_service::Service<T> for MakeReset<S> {
    type Response = ResetService<S>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<ResetService<S>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _target: T) -> Self::Future {
        std::future::ready(Ok(ResetService(self.0.clone())))
    }
}
