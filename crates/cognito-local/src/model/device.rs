//! `DeviceType`.

use serde::Serialize;

use super::user::AttributeType;
use crate::clock::UnixTime;
use crate::domain::records::DeviceRecord;

/// A `DeviceType`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    device_key: String,
    device_attributes: Vec<AttributeType>,
    device_create_date: UnixTime,
    device_last_modified_date: UnixTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_last_authenticated_date: Option<UnixTime>,
}

impl DeviceType {
    /// A device, its status and name as attributes.
    pub fn of(device: &DeviceRecord) -> Self {
        let attribute = |name: &str, value: &str| AttributeType {
            name: name.to_owned(),
            value: value.to_owned(),
        };
        let mut attributes = vec![
            attribute("device_status", "valid"),
            attribute("dev:device_remembered_status", device.remembered.as_str()),
        ];
        if let Some(name) = &device.name {
            attributes.push(attribute("device_name", name));
        }
        Self {
            device_key: device.key.clone(),
            device_attributes: attributes,
            device_create_date: device.created,
            device_last_modified_date: device.modified,
            device_last_authenticated_date: device.last_authenticated,
        }
    }
}
