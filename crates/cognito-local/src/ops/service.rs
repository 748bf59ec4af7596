//! Running operations: the server's shared state, one transaction per operation, the
//! clock read once per request, tokens signed after the commit.

use std::sync::Arc;

use serde_json::Value;

use super::table::{Operation, dispatch};
use crate::clock::{Clock, UnixTime};
use crate::domain::phantoms::{self, Phantoms};
use crate::domain::{Caller, Ctx};
use crate::error::OpResult;
use crate::outbound::Outbound;
use crate::protocol::sigv4::Credentials;
use crate::store::{Store, StoreError};
use crate::triggers::Triggers;

/// What every request runs against.
pub(crate) struct Service {
    store: Store,
    clock: Arc<dyn Clock>,
    default_region: String,
    issuer_base: String,
    phantoms: Phantoms,
    credentials: Credentials,
    triggers: Triggers,
    outbound: Outbound,
}

impl Service {
    /// A service over a store, with a clock, a default region and an issuer base.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        default_region: String,
        issuer_base: String,
        credentials: Credentials,
        triggers: Triggers,
        outbound: Outbound,
    ) -> Result<Self, StoreError> {
        let tx = store.begin()?;
        let secret = phantoms::load_secret(&tx);
        let secret = tx.finish(secret)?;
        Ok(Self {
            phantoms: Phantoms::new(&secret),
            store,
            clock,
            default_region,
            issuer_base,
            credentials,
            triggers,
            outbound,
        })
    }

    /// The server's own HTTP requests.
    pub fn outbound(&self) -> &Outbound {
        &self.outbound
    }

    /// The access keys whose signatures are verified; empty when any is accepted.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Now, by the server's clock.
    pub fn now(&self) -> UnixTime {
        UnixTime::from_system(self.clock.now())
    }

    /// The region of requests that are not signed.
    pub fn default_region(&self) -> &str {
        &self.default_region
    }

    /// Token issuers are `{issuer_base}/{pool_id}`.
    pub fn issuer_base(&self) -> &str {
        &self.issuer_base
    }

    /// Runs `f` in one transaction with a context for `region`: committed if it returns
    /// `Ok`, rolled back otherwise (except what it committed early, at the write).
    pub fn run<T>(&self, region: &str, f: impl FnOnce(&Ctx<'_>) -> OpResult<T>) -> OpResult<T> {
        self.run_for(region, Caller::default(), f)
    }

    /// Runs `f` as [`run`](Self::run) does, for a request from `caller`.
    fn run_for<T, E: From<StoreError>>(
        &self,
        region: &str,
        caller: Caller,
        f: impl FnOnce(&Ctx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let now = UnixTime::from_system(self.clock.now());
        let ctx = Ctx::new(
            self.store.begin()?,
            now,
            region,
            &self.issuer_base,
            &self.phantoms,
            (&self.triggers, &self.outbound),
            caller,
        );
        let result = f(&ctx);
        ctx.finish(result)
    }

    /// Runs `f` as [`run`](Self::run) does for a request of the hosted (OAuth) endpoints
    /// from `caller` to the pool `pool_id`, in that pool's region; `f` answers with the
    /// endpoints' own errors.
    pub fn hosted<T, E: From<StoreError>>(
        &self,
        pool_id: &str,
        caller: Caller,
        f: impl FnOnce(&Ctx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let region = pool_id
            .split_once('_')
            .map_or(self.default_region.as_str(), |(r, _)| r);
        self.run_for(region, caller, f)
    }

    /// Runs `f` as [`run`](Self::run) does, for a request outside the AWS protocol (the
    /// outbox, a JWKS), which names no region.
    pub fn local<T>(&self, f: impl FnOnce(&Ctx<'_>) -> OpResult<T>) -> OpResult<T> {
        self.run(&self.default_region, f)
    }

    /// Purges expired sessions and sign-ins and old outbox messages, as of now.
    pub fn purge(&self) -> OpResult<crate::store::Purged> {
        self.local(crate::domain::purge::expired)
    }

    /// Runs an operation in one transaction, then signs the tokens it asked for.
    pub fn execute(
        &self,
        region: &str,
        caller: Caller,
        op: Operation,
        body: Value,
    ) -> OpResult<Value> {
        self.run_for(region, caller, |ctx| dispatch(ctx, op, body))?
            .finish()
    }
}
