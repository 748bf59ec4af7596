//! User pools: CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool,
//! ListUserPools, AddCustomAttributes, GetCSVHeader.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::listing::page;
use crate::domain::pool_domains::{self, DomainKind};
use crate::domain::records::{
    DeviceSettings, KeyRecord, PasswordPolicy, PoolRecord, SchemaAttribute,
};
use crate::domain::state::MfaConfiguration;
use crate::domain::{Ctx, clients, pools, random_string};
use crate::error::{CognitoError, OpResult};
use crate::model::pool::{
    ECHOED_SETTINGS, SchemaAttributeIn, description, standard_schema, user_pool,
};
use crate::validate;

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicyIn {
    minimum_length: Option<i64>,
    require_uppercase: Option<bool>,
    require_lowercase: Option<bool>,
    require_numbers: Option<bool>,
    require_symbols: Option<bool>,
    temporary_password_validity_days: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct PoliciesIn {
    password_policy: Option<PasswordPolicyIn>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfigurationIn {
    challenge_required_on_new_device: Option<bool>,
    device_only_remembered_on_user_prompt: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfigurationIn {
    case_sensitive: Option<bool>,
}

/// The settings CreateUserPool and UpdateUserPool share.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct PoolSettingsIn {
    policies: Option<PoliciesIn>,
    auto_verified_attributes: Option<Vec<String>>,
    mfa_configuration: Option<String>,
    device_configuration: Option<DeviceConfigurationIn>,
    deletion_protection: Option<String>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pool_name: String,
    schema: Option<Vec<SchemaAttributeIn>>,
    alias_attributes: Option<Vec<String>>,
    username_attributes: Option<Vec<String>>,
    username_configuration: Option<UsernameConfigurationIn>,
    #[serde(flatten)]
    settings: PoolSettingsIn,
}

fn password_policy(input: Option<PoliciesIn>) -> OpResult<PasswordPolicy> {
    let defaults = PasswordPolicy::default();
    let Some(p) = input.and_then(|p| p.password_policy) else {
        return Ok(defaults);
    };
    let minimum_length = p
        .minimum_length
        .unwrap_or(i64::from(defaults.minimum_length));
    let days = p
        .temporary_password_validity_days
        .unwrap_or(i64::from(defaults.temporary_password_validity_days));
    Ok(PasswordPolicy {
        minimum_length: minimum_length as u32,
        require_uppercase: p.require_uppercase.unwrap_or(false),
        require_lowercase: p.require_lowercase.unwrap_or(false),
        require_numbers: p.require_numbers.unwrap_or(false),
        require_symbols: p.require_symbols.unwrap_or(false),
        temporary_password_validity_days: days as u32,
    })
}

fn check_attribute_list(member: &str, values: &[String], allowed: &[&str]) -> OpResult<()> {
    for value in values {
        validate::one_of(member, value, allowed)?;
    }
    Ok(())
}

/// Applies the shared settings to a pool record (as create, or as update which resets what is not given).
fn apply_settings(pool: &mut PoolRecord, settings: PoolSettingsIn) -> OpResult<()> {
    pool.password_policy = password_policy(settings.policies)?;
    let auto_verified = settings.auto_verified_attributes.unwrap_or_default();
    check_attribute_list(
        "autoVerifiedAttributes",
        &auto_verified,
        &["phone_number", "email"],
    )?;
    pool.auto_verified_attributes = auto_verified;
    pool.mfa_configuration = match settings.mfa_configuration {
        Some(mfa) => validate::named(
            "mfaConfiguration",
            &mfa,
            MfaConfiguration::parse,
            MfaConfiguration::NAMES,
        )?,
        None => MfaConfiguration::Off,
    };
    pool.devices = settings.device_configuration.map(|d| DeviceSettings {
        challenge_required_on_new_device: d.challenge_required_on_new_device.unwrap_or(false),
        device_only_remembered_on_user_prompt: d
            .device_only_remembered_on_user_prompt
            .unwrap_or(false),
    });
    let protection = settings
        .deletion_protection
        .unwrap_or_else(|| "INACTIVE".to_owned());
    validate::one_of("deletionProtection", &protection, &["ACTIVE", "INACTIVE"])?;
    pool.deletion_protection = protection == "ACTIVE";
    // Tags are the pool's until changed (TagResource, or UserPoolTags given here).
    let tags = pool.settings.get("UserPoolTags").cloned();
    pool.settings = settings
        .rest
        .into_iter()
        .filter(|(key, value)| ECHOED_SETTINGS.contains(&key.as_str()) && !value.is_null())
        .collect();
    match (pool.settings.get("UserPoolTags"), tags) {
        (Some(Value::Object(given)), _) => super::tags::check(given)?,
        (Some(_), _) => {
            return Err(CognitoError::new(
                crate::error::ErrorKind::SerializationException,
                "UserPoolTags must be a map of strings.",
            ));
        }
        (None, Some(kept)) => {
            pool.settings.insert("UserPoolTags".into(), kept);
        }
        (None, None) => {}
    }
    pool.admin_create_user_only = pool
        .settings
        .get("AdminCreateUserConfig")
        .and_then(|c| c.get("AllowAdminCreateUserOnly"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(())
}

/// Builds a schema attribute from a request's, custom unless it names a standard
/// attribute, by the service's rules (the model has checked names, lengths and the
/// data type's values): a standard attribute keeps its data type and cannot be made
/// developer-only; a custom one needs a data type and cannot be required; constraints
/// are whole numbers of at least 0, string lengths at most 2048, and no minimum above
/// its maximum. A developer-only custom attribute is named `dev:custom:NAME`.
fn schema_attribute(
    input: &SchemaAttributeIn,
    standard: &[SchemaAttribute],
) -> OpResult<SchemaAttribute> {
    let name = input.name.clone().unwrap_or_default();
    let given_type = input.attribute_data_type.clone();
    if let Some(base) = standard.iter().find(|a| a.name == name) {
        let retyped = given_type.as_deref().is_some_and(|t| t != base.data_type);
        if retyped || input.developer_only_attribute == Some(true) {
            return Err(CognitoError::invalid_parameter(format!(
                "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {name}"
            )));
        }
        let mut attribute = SchemaAttribute {
            mutable: input.mutable.unwrap_or(base.mutable),
            required: input.required.unwrap_or(base.required),
            ..base.clone()
        };
        // Constraints count only where the data type is given (as the service reads them).
        if given_type.is_some() {
            constrain(&mut attribute, input)?;
        }
        return Ok(attribute);
    }
    let Some(data_type) = given_type else {
        return Err(CognitoError::invalid_parameter(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
        ));
    };
    if input.required == Some(true) {
        return Err(CognitoError::invalid_parameter(
            "Required custom attributes are not supported currently.",
        ));
    }
    let developer_only = input.developer_only_attribute.unwrap_or(false);
    let prefix = if developer_only {
        "dev:custom:"
    } else {
        "custom:"
    };
    let mut attribute = SchemaAttribute {
        name: format!("{prefix}{name}"),
        data_type,
        developer_only,
        mutable: input.mutable.unwrap_or(true),
        required: false,
        min_value: None,
        max_value: None,
        min_length: None,
        max_length: None,
    };
    constrain(&mut attribute, input)?;
    Ok(attribute)
}

/// The Number or String constraints of a schema attribute, checked.
fn constrain(attribute: &mut SchemaAttribute, input: &SchemaAttributeIn) -> OpResult<()> {
    let name = attribute.name.clone();
    let limit = |value: &Option<String>, kind: &str| -> OpResult<Option<u64>> {
        match value.as_deref().filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse::<u64>().map(Some).map_err(|_| {
                CognitoError::invalid_parameter(format!(
                    "Invalid {kind} for schema attribute {name}"
                ))
            }),
        }
    };
    match attribute.data_type.as_str() {
        "String" => {
            let Some(given) = &input.string_attribute_constraints else {
                return Ok(());
            };
            let min = limit(&given.min, "StringAttributeConstraints")?;
            let max = limit(&given.max, "StringAttributeConstraints")?;
            if min.is_some_and(|m| m > 2048) || max.is_some_and(|m| m > 2048) {
                return Err(CognitoError::invalid_parameter(format!(
                    "user.{name}: String attributes cannot have a length of more than 2048"
                )));
            }
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                return Err(CognitoError::invalid_parameter(format!(
                    "user.{name}: Max length cannot be less than min length."
                )));
            }
            if min.is_some() {
                attribute.min_length = given.min.clone();
            }
            if max.is_some() {
                attribute.max_length = given.max.clone();
            }
        }
        "Number" => {
            let Some(given) = &input.number_attribute_constraints else {
                return Ok(());
            };
            let min = limit(&given.min, "NumberAttributeConstraints")?;
            let max = limit(&given.max, "NumberAttributeConstraints")?;
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                return Err(CognitoError::invalid_parameter(format!(
                    "user.{name}: Max value cannot be less than min value."
                )));
            }
            if min.is_some() {
                attribute.min_value = given.min.clone();
            }
            if max.is_some() {
                attribute.max_value = given.max.clone();
            }
        }
        _ => {}
    }
    Ok(())
}

fn add_custom(schema: &mut Vec<SchemaAttribute>, attribute: SchemaAttribute) -> OpResult<()> {
    if let Some(existing) = schema.iter_mut().find(|a| a.name == attribute.name) {
        if attribute.name.contains("custom:") {
            return Err(CognitoError::invalid_parameter(format!(
                "Existing attribute already has name {}.",
                attribute.name
            )));
        }
        *existing = attribute;
        return Ok(());
    }
    if schema.iter().filter(|a| a.name.contains("custom:")).count() >= 50 {
        return Err(CognitoError::invalid_parameter(
            "A user pool can have at most 50 custom attributes.",
        ));
    }
    schema.push(attribute);
    Ok(())
}

pub fn create_user_pool(ctx: &Ctx<'_>, req: CreateUserPoolRequest) -> OpResult<Value> {
    let alias = req.alias_attributes.unwrap_or_default();
    let username_attributes = req.username_attributes.unwrap_or_default();
    check_attribute_list(
        "aliasAttributes",
        &alias,
        &["phone_number", "email", "preferred_username"],
    )?;
    check_attribute_list(
        "usernameAttributes",
        &username_attributes,
        &["phone_number", "email"],
    )?;
    if !alias.is_empty() && !username_attributes.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
        ));
    }
    let standard = standard_schema();
    let mut schema = standard.clone();
    for input in req.schema.unwrap_or_default() {
        add_custom(&mut schema, schema_attribute(&input, &standard)?)?;
    }
    let mut record = PoolRecord {
        id: format!("{}_{}", ctx.region, random_string(ALPHANUMERIC, 9)),
        name: req.pool_name,
        region: ctx.region.to_owned(),
        created: ctx.now,
        modified: ctx.now,
        password_policy: PasswordPolicy::default(),
        schema,
        auto_verified_attributes: Vec::new(),
        alias_attributes: alias,
        username_attributes,
        username_case_sensitive: req
            .username_configuration
            .and_then(|c| c.case_sensitive)
            .unwrap_or(true),
        mfa_configuration: MfaConfiguration::Off,
        devices: None,
        admin_create_user_only: false,
        deletion_protection: false,
        settings: Map::new(),
        mfa_methods: None,
    };
    apply_settings(&mut record, req.settings)?;
    // RSA key generation is slow and needs no data: it runs without the store's lock
    // (nothing is written before it).
    let (_, kid, pkcs8) = ctx.unlocked(crate::tokens::SigningKey::generate)??;
    let key = KeyRecord { kid, pkcs8 };
    if !pools::create(ctx, &record, &key)? {
        return Err(CognitoError::internal("pool id collision"));
    }
    tracing::info!(pool = %record.id, name = %record.name, "created user pool");
    Ok(json!({ "UserPool": user_pool(&record, 0) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    user_pool_id: String,
}

pub fn describe_user_pool(ctx: &Ctx<'_>, req: UserPoolIdRequest) -> OpResult<Value> {
    let record = pools::get(ctx, &req.user_pool_id)?;
    let users = pools::user_count(ctx, &record)?;
    let mut shown = user_pool(&record, users);
    // The pool's domains, as DescribeUserPool reports them: the prefix as `Domain`,
    // the custom domain as `CustomDomain`.
    for domain in pool_domains::all_of_pool(ctx, &record)? {
        let key = match domain.kind() {
            DomainKind::Prefix => "Domain",
            DomainKind::Custom => "CustomDomain",
        };
        shown[key] = json!(domain.domain);
    }
    Ok(json!({ "UserPool": shown }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolRequest {
    user_pool_id: String,
    #[serde(flatten)]
    settings: PoolSettingsIn,
}

pub fn update_user_pool(ctx: &Ctx<'_>, req: UpdateUserPoolRequest) -> OpResult<Value> {
    let mut record = pools::get(ctx, &req.user_pool_id)?;
    apply_settings(&mut record, req.settings)?;
    record.modified = ctx.now;
    pools::save(ctx, &record)?;
    Ok(json!({}))
}

pub fn delete_user_pool(ctx: &Ctx<'_>, req: UserPoolIdRequest) -> OpResult<Value> {
    let record = pools::get(ctx, &req.user_pool_id)?;
    if record.deletion_protection {
        return Err(CognitoError::invalid_parameter(
            "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
        ));
    }
    if !pool_domains::all_of_pool(ctx, &record)?.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "User pool cannot be deleted. It has a domain configured that should be deleted first.",
        ));
    }
    clients::delete_all(ctx, &record)?;
    pools::delete(ctx, &record)?;
    tracing::info!(pool = %record.id, "deleted user pool");
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsRequest {
    max_results: i64,
    next_token: Option<String>,
}

pub fn list_user_pools(ctx: &Ctx<'_>, req: ListUserPoolsRequest) -> OpResult<Value> {
    let limit = validate::page_size(Some(req.max_results));
    // The pools of the request's region only.
    let listed: Vec<_> = pools::list(ctx, req.next_token.as_deref(), usize::MAX)?
        .into_iter()
        .filter(|(_, pool)| pools::in_scope(ctx, pool))
        .collect();
    let (listed, next) = page(listed, None, limit);
    let listed: Vec<Value> = listed.iter().map(description).collect();
    Ok(crate::model::page("UserPools", &listed, "NextToken", next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddCustomAttributesRequest {
    user_pool_id: String,
    custom_attributes: Vec<SchemaAttributeIn>,
}

pub fn add_custom_attributes(ctx: &Ctx<'_>, req: AddCustomAttributesRequest) -> OpResult<Value> {
    let mut record = pools::get(ctx, &req.user_pool_id)?;
    for input in &req.custom_attributes {
        // AddCustomAttributes only adds custom attributes, whatever the name.
        let attribute = schema_attribute(input, &[])?;
        add_custom(&mut record.schema, attribute)?;
    }
    record.modified = ctx.now;
    pools::save(ctx, &record)?;
    Ok(json!({}))
}

pub fn get_csv_header(ctx: &Ctx<'_>, req: UserPoolIdRequest) -> OpResult<Value> {
    let record = pools::get(ctx, &req.user_pool_id)?;
    let header = crate::domain::import_rows::csv_header(&record);
    Ok(json!({ "UserPoolId": record.id, "CSVHeader": header }))
}

/// GetSigningCertificate: an X.509 certificate for the pool's key.
pub fn get_signing_certificate(ctx: &Ctx<'_>, req: UserPoolIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    Ok(json!({ "Certificate": pools::signing_certificate(ctx, &pool)? }))
}
