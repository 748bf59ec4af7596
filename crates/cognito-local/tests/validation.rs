//! Table-driven: for every operation the server serves, a request per constraint of
//! the vendored service model (required members, lengths, patterns, enums, ranges,
//! list sizes, JSON types), built from the model here and sent over HTTP. Each must be
//! refused before any handler runs, with the service's wording and path, and a
//! sensitive member's value never echoed.

mod common;

use cognito_local::Server;
use common::signed_call;
use serde_json::{Map, Value, json};

fn model() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/aws-model/cognito-idp.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// One generated request and what its answer must say.
struct Case {
    operation: String,
    body: Value,
    /// `InvalidParameterException` (with this in the message) or a type error.
    expect: Expect,
    /// A value that must not appear in the message (a sensitive member's).
    hidden: Option<String>,
}

enum Expect {
    Violation(String),
    Serialization,
}

struct Generator<'m> {
    shapes: &'m Map<String, Value>,
    operation: String,
    cases: Vec<Case>,
    /// Inside a sensitive structure: every member's value is hidden too.
    inherited: bool,
}

impl Generator<'_> {
    fn shape(&self, name: &str) -> &Value {
        &self.shapes[name]
    }

    fn sensitive(&self, name: &str) -> bool {
        // The service prints app client IDs although the model marks them sensitive.
        self.inherited || (name != "ClientIdType" && self.shape(name)["sensitive"] == json!(true))
    }

    fn push(&mut self, body: Value, expect: Expect, hidden: Option<String>) {
        self.cases.push(Case {
            operation: self.operation.clone(),
            body,
            expect,
            hidden,
        });
    }

    /// A value with a constraint broken, for a member of shape `name` at `path`.
    fn violation(
        &mut self,
        name: &str,
        path: &str,
        value: Value,
        constraint: &str,
        wrap: &dyn Fn(Value) -> Value,
    ) {
        let sensitive = self.sensitive(name);
        let text = format!("at '{path}' failed to satisfy constraint: {constraint}");
        let fragment = if sensitive {
            format!("Value {text}")
        } else {
            format!("' {text}")
        };
        let hidden = match &value {
            Value::String(s) if sensitive && s.len() >= 3 => Some(s.clone()),
            _ => None,
        };
        self.push(wrap(value), Expect::Violation(fragment), hidden);
    }

    fn structure(&mut self, name: &str, path: &str, depth: usize, wrap: &dyn Fn(Value) -> Value) {
        let shape = self.shape(name).clone();
        let required: Vec<&str> = shape["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(members) = shape["members"].as_object() else {
            return;
        };
        for (member, target) in members {
            let target = target["shape"].as_str().unwrap();
            let mut camel = member.clone();
            camel[..1].make_ascii_lowercase();
            let path = if path.is_empty() {
                camel
            } else {
                format!("{path}.{camel}")
            };
            let member = member.clone();
            let wrap_member = |v: Value| wrap(json!({ member.clone(): v }));
            if required.contains(&member.as_str()) {
                let prefix = if self.sensitive(target) {
                    "Value at"
                } else {
                    "Value null at"
                };
                self.push(
                    wrap(json!({})),
                    Expect::Violation(format!(
                        "{prefix} '{path}' failed to satisfy constraint: Member must not be null"
                    )),
                    None,
                );
            }
            self.member(target, &path, depth, &wrap_member);
        }
    }

    fn member(&mut self, name: &str, path: &str, depth: usize, wrap: &dyn Fn(Value) -> Value) {
        let shape = self.shape(name).clone();
        let (min, max) = (shape["min"].as_i64(), shape["max"].as_i64());
        match shape["type"].as_str().unwrap() {
            "string" => {
                self.push(wrap(json!(12345)), Expect::Serialization, None);
                if let Some(values) = shape["enum"].as_array() {
                    let first = values[0].as_str().unwrap();
                    let constraint = format!("Member must satisfy enum value set: [{first}, ");
                    let constraint = if values.len() == 1 {
                        format!("Member must satisfy enum value set: [{first}")
                    } else {
                        constraint
                    };
                    self.violation(name, path, json!("NOT_IN_THE_ENUM"), &constraint, wrap);
                    return;
                }
                if let Some(min) = min.filter(|m| *m > 0) {
                    let short = "a".repeat(min as usize - 1);
                    let c = format!("Member must have length greater than or equal to {min}");
                    self.violation(name, path, json!(short), &c, wrap);
                }
                if let Some(max) = max.filter(|m| *m <= 200_000) {
                    let long = "a".repeat(max as usize + 1);
                    let c = format!("Member must have length less than or equal to {max}");
                    self.violation(name, path, json!(long), &c, wrap);
                }
                if let Some(pattern) = shape["pattern"].as_str()
                    && let Some(bad) = counterexample(pattern, min, max)
                {
                    // The service prints its own password pattern (see overrides.rs).
                    let shown = if name == "PasswordType" {
                        r"^[\S]+.*[\S]+$"
                    } else {
                        pattern
                    };
                    let c = format!("Member must satisfy regular expression pattern: {shown}");
                    self.violation(name, path, json!(bad), &c, wrap);
                }
            }
            "integer" | "long" => {
                self.push(wrap(json!("12")), Expect::Serialization, None);
                if let Some(min) = min.filter(|m| *m > i64::from(i32::MIN)) {
                    let c = format!("Member must have value greater than or equal to {min}");
                    self.violation(name, path, json!(min - 1), &c, wrap);
                }
                if let Some(max) = max.filter(|m| *m < i64::from(i32::MAX)) {
                    let c = format!("Member must have value less than or equal to {max}");
                    self.violation(name, path, json!(max + 1), &c, wrap);
                }
            }
            "boolean" => self.push(wrap(json!("true")), Expect::Serialization, None),
            // A document (branding's Settings) is any JSON value: nothing to refuse.
            "structure" if shape["document"] == true => {}
            "structure" => {
                self.push(wrap(json!("x")), Expect::Serialization, None);
                if depth < 3 {
                    let outer = self.inherited;
                    self.inherited = self.sensitive(name);
                    self.structure(name, path, depth + 1, wrap);
                    self.inherited = outer;
                }
            }
            "list" => {
                self.push(wrap(json!("x")), Expect::Serialization, None);
                let element = shape["member"]["shape"].as_str().unwrap().to_owned();
                let element_shape = self.shape(&element).clone();
                let placeholder = match element_shape["type"].as_str().unwrap() {
                    "structure" | "map" => json!({}),
                    "list" => json!([]),
                    "integer" | "long" => json!(1),
                    "boolean" => json!(true),
                    _ => json!("x"),
                };
                if let Some(min) = min.filter(|m| *m > 0) {
                    let items = vec![placeholder.clone(); min as usize - 1];
                    let c = format!("Member must have length greater than or equal to {min}");
                    self.violation(name, path, json!(items), &c, wrap);
                }
                if let Some(max) = max.filter(|m| *m <= 1000) {
                    let items = vec![placeholder.clone(); max as usize + 1];
                    let c = format!("Member must have length less than or equal to {max}");
                    self.violation(name, path, json!(items), &c, wrap);
                }
                if let Some(values) = element_shape["enum"].as_array() {
                    let c = format!(
                        "Member must satisfy constraint: [Member must satisfy enum value set: [{}",
                        values[0].as_str().unwrap()
                    );
                    self.violation(name, path, json!(["NOT_IN_THE_ENUM"]), &c, wrap);
                }
                if element_shape["type"] == "structure" && depth < 3 {
                    let path = format!("{path}.1.member");
                    let wrap_element = |v: Value| wrap(json!([v]));
                    self.structure(&element, &path, depth + 1, &wrap_element);
                }
            }
            "map" => self.push(wrap(json!(["x"])), Expect::Serialization, None),
            _ => {}
        }
    }
}

/// A short value the model's pattern refuses, within the length bounds, if one of a
/// few simple candidates is (patterns Rust's regex cannot read are skipped).
fn counterexample(pattern: &str, min: Option<i64>, max: Option<i64>) -> Option<String> {
    let regex = regex::Regex::new(&format!("^(?:{pattern})$")).ok()?;
    [
        "\u{7}",
        " ",
        "a b",
        "\n",
        "..",
        "-",
        "~",
        "x",
        "aaaaaaaa aaaaaaaa",
    ]
    .into_iter()
    .filter(|c| {
        let n = c.chars().count() as i64;
        min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
    })
    .find(|c| !regex.is_match(c))
    .map(str::to_owned)
}

#[tokio::test]
async fn every_constraint_of_the_model_is_checked_before_the_handler() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let (http, url) = (reqwest::Client::new(), server.url());
    let model = model();
    let shapes = model["shapes"].as_object().unwrap();
    let mut served = 0;
    let mut generator = Generator {
        shapes,
        operation: String::new(),
        cases: Vec::new(),
        inherited: false,
    };
    for (operation, definition) in model["operations"].as_object().unwrap() {
        let (_, answer) = signed_call(&http, &url, operation, &json!({})).await;
        if answer["__type"] == "UnknownOperationException" {
            continue;
        }
        served += 1;
        generator.operation = operation.clone();
        let input = definition["input"]["shape"].as_str().unwrap();
        generator.structure(input, "", 0, &|v| v);
    }
    let cases = generator.cases;
    assert!(served >= 75, "{served} operations served");
    assert!(cases.len() > 1000, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (status, answer) = signed_call(&http, &url, &case.operation, &case.body).await;
        let (kind, message) = (
            answer["__type"].as_str().unwrap_or_default(),
            answer["message"].as_str().unwrap_or_default(),
        );
        let ok = match &case.expect {
            Expect::Serialization => kind == "SerializationException",
            Expect::Violation(fragment) => {
                status == 400
                    && kind == "InvalidParameterException"
                    && message.contains("validation error")
                    && message.contains(fragment.as_str())
            }
        } && case
            .hidden
            .as_ref()
            .is_none_or(|h| !message.contains(h.as_str()));
        if !ok {
            let body = case.body.to_string();
            let body: String = body.chars().take(200).collect();
            let message: String = message.chars().take(400).collect();
            failures.push(format!(
                "{} {body}\n  got {kind}: {message}",
                case.operation
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}
