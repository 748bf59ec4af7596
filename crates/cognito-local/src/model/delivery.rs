//! `CodeDeliveryDetailsType`.

use serde::Serialize;

use crate::domain::outbox::{Delivery, mask};
use crate::domain::state::{DeliveryMedium, VerifiableAttribute};

/// Where a code went, the destination masked as the service masks it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    destination: String,
    delivery_medium: DeliveryMedium,
    attribute_name: VerifiableAttribute,
}

impl CodeDeliveryDetails {
    /// The details of a delivery.
    pub fn of(delivery: &Delivery) -> Self {
        Self {
            destination: mask(&delivery.destination),
            delivery_medium: delivery.medium,
            attribute_name: delivery.attribute,
        }
    }
}
