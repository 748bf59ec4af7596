//! What checking a request against the service model costs, per request, for the
//! bodies of the hot paths (an SRP sign-in, a sign-up) and a heavy one (a pool with a
//! schema). Run: `cargo bench -p cognito-local --features fuzzing --bench validate`.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn validate(c: &mut Criterion) {
    let srp = json!({
        "AuthFlow": "USER_SRP_AUTH",
        "ClientId": "abcdefghijklmnopqrstuvwxyz",
        "AuthParameters": {"USERNAME": "ann", "SRP_A": "ab".repeat(384)},
    });
    let sign_up = json!({
        "ClientId": "abcdefghijklmnopqrstuvwxyz",
        "Username": "ann@example.com",
        "Password": "Passw0rd-Ann1",
        "UserAttributes": [{"Name": "email", "Value": "ann@example.com"}, {"Name": "name", "Value": "Ann"}],
    });
    let schema: Vec<_> = (0..20)
        .map(|i| json!({"Name": format!("attr{i}"), "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "256"}}))
        .collect();
    let pool = json!({"PoolName": "bench", "Schema": schema, "AutoVerifiedAttributes": ["email"],
                      "Policies": {"PasswordPolicy": {"MinimumLength": 8}}});
    // The model is parsed once, on first use: not part of any request.
    cognito_local::fuzzing::validate("InitiateAuth", &srp).unwrap();
    let mut group = c.benchmark_group("validate");
    group.bench_function("InitiateAuth (SRP)", |b| {
        b.iter(|| cognito_local::fuzzing::validate("InitiateAuth", &srp))
    });
    group.bench_function("SignUp", |b| {
        b.iter(|| cognito_local::fuzzing::validate("SignUp", &sign_up))
    });
    group.bench_function("CreateUserPool (20 attributes)", |b| {
        b.iter(|| cognito_local::fuzzing::validate("CreateUserPool", &pool))
    });
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
