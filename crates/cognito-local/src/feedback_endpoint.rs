//! `GET /_local/feedback/{pool}?username=...&event_id=...&feedback_token=...&feedback_value=Valid`:
//! where the links of threat protection's notification email point (`domain::risk`).
//! Following one does what UpdateAuthEventFeedback does with the same values; the
//! answer is a short page, as AWS's feedback page is.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::domain::state::FeedbackValue;
use crate::domain::{auth_events, pools};
use crate::error::CognitoError;
use crate::listen::blocking;
use crate::ops::Service;

/// A link's query (no `Debug`: it holds the feedback token).
#[derive(serde::Deserialize)]
pub(crate) struct FeedbackQuery {
    username: String,
    event_id: String,
    feedback_token: String,
    feedback_value: String,
}

/// Records the user's feedback on an event.
pub(crate) async fn feedback(
    State(state): State<Arc<Service>>,
    Path(pool_id): Path<String>,
    Query(query): Query<FeedbackQuery>,
) -> Response {
    let Some(value) = FeedbackValue::parse(&query.feedback_value) else {
        return page(
            StatusCode::BAD_REQUEST,
            "The feedback value must be Valid or Invalid.",
        );
    };
    let result = blocking(move || {
        state.local(|ctx| {
            let pool = pools::get(ctx, &pool_id)?;
            auth_events::require_threat_protection(&pool)?;
            auth_events::give_user_feedback(
                ctx,
                &pool,
                &query.username,
                &query.event_id,
                &query.feedback_token,
                value,
            )
        })
    })
    .await;
    match result {
        Ok(()) => page(StatusCode::OK, "Thank you: your feedback was recorded."),
        Err(CognitoError { message, .. }) => page(StatusCode::BAD_REQUEST, &message),
    }
}

fn page(status: StatusCode, text: &str) -> Response {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    (
        status,
        Html(format!(
            "<!doctype html><html><head><title>Sign-in feedback</title></head><body><p>{text}</p></body></html>"
        )),
    )
        .into_response()
}
