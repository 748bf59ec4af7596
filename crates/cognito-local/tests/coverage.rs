//! `docs/coverage.md` cannot drift: one row per operation of the vendored model, each
//! "yes" answered by a running server (and each "no" refused as unknown), and each
//! named test a test whose own body calls the operation.

use std::path::{Path, PathBuf};

mod common;

use cognito_local::Server;
use common::signed_call;
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Row {
    operation: String,
    served: bool,
    crate_method: String,
    test: String,
}

fn rows() -> Vec<Row> {
    let table = std::fs::read_to_string(root().join("docs/coverage.md")).unwrap();
    table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| Operation"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 4, "{line}");
            assert!(matches!(cells[1], "yes" | "no"), "{line}");
            Row {
                operation: cells[0].to_owned(),
                served: cells[1] == "yes",
                crate_method: cells[2].trim_matches('`').to_owned(),
                test: cells[3].trim_matches('`').to_owned(),
            }
        })
        .collect()
}

/// `AdminGetUser` → `admin_get_user`, as the AWS SDK for Rust and boto3 name it.
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if c.is_uppercase()
            && i > 0
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next_lower))
        {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The text of a test function, from its name to the next function.
fn test_body(reference: &str) -> Option<String> {
    let (file, name) = reference.split_once("::")?;
    let text = std::fs::read_to_string(root().join(file)).ok()?;
    let (start, ends): (String, &[&str]) = if file.ends_with(".py") {
        (format!("def {name}("), &["\ndef ", "\nasync def "])
    } else {
        (format!("fn {name}("), &["\nfn ", "\nasync fn ", "\n#["])
    };
    let at = text.find(&start)?;
    let rest = &text[at + start.len()..];
    let end = ends
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// Whether the `cognito` crate has the method a row names (`Type::method`, a public
/// function of an `impl Type` block), or the row says how else it is reached.
fn crate_method_exists(named: &str) -> bool {
    if named.starts_with("Cognito::sdk().") || named.starts_with("none: newer than") {
        return true;
    }
    let Some((owner, method)) = named.split_once("::") else {
        return false;
    };
    let dir = root().join("crates/cognito/src");
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        text.contains(&format!("impl {owner} {{"))
            && (text.contains(&format!("pub async fn {method}("))
                || text.contains(&format!("pub fn {method}(")))
    })
}

#[tokio::test]
async fn the_coverage_table_matches_the_model_the_server_and_the_tests() {
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("crates/cognito-local/aws-model/cognito-idp.json"))
            .unwrap(),
    )
    .unwrap();
    let mut operations: Vec<&str> = model["operations"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    operations.sort_unstable();
    let rows = rows();
    let listed: Vec<&str> = rows.iter().map(|r| r.operation.as_str()).collect();
    assert_eq!(
        listed, operations,
        "one row per operation of the model, in order"
    );

    let server = Server::builder().in_memory().start().await.unwrap();
    let http = reqwest::Client::new();
    let mut wrong = Vec::new();
    for row in &rows {
        let (_, answer) = signed_call(&http, &server.url(), &row.operation, &json!({})).await;
        let unknown = answer["__type"] == "UnknownOperationException";
        if row.served == unknown {
            wrong.push(format!(
                "{}: the table says served={}",
                row.operation, row.served
            ));
        }
        if !crate_method_exists(&row.crate_method) {
            wrong.push(format!(
                "{}: no crate method {}",
                row.operation, row.crate_method
            ));
        }
        if row.served {
            let call = format!(".{}(", snake(&row.operation));
            let by_name = format!("\"{}\"", row.operation);
            match test_body(&row.test) {
                Some(body) if body.contains(&call) || body.contains(&by_name) => {}
                Some(_) => wrong.push(format!(
                    "{}: {} does not call {call}",
                    row.operation, row.test
                )),
                None => wrong.push(format!("{}: no test {:?}", row.operation, row.test)),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let served = rows.iter().filter(|r| r.served).count();
    let table = std::fs::read_to_string(root().join("docs/coverage.md")).unwrap();
    assert!(
        table.contains(&format!("({served} of {})", rows.len())),
        "the introduction counts {served} served operations"
    );
}

#[test]
fn snake_case_names_match_the_sdks() {
    assert_eq!(snake("AdminGetUser"), "admin_get_user");
    assert_eq!(snake("GetCSVHeader"), "get_csv_header");
    assert_eq!(snake("SetUserMFAPreference"), "set_user_mfa_preference");
    assert_eq!(snake("GetUICustomization"), "get_ui_customization");
}
