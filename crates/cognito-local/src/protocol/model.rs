//! The AWS service model of `cognito-idp` (botocore's `service-2.json`, vendored in
//! `aws-model/` with its NOTICE), read once into the shapes that request validation
//! walks. `aws-model/update.sh` brings a newer model.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, OnceLock};

use regex::Regex;
use serde::Deserialize;

use super::overrides;

/// The vendored model, as botocore ships it.
pub const SOURCE: &str = include_str!("../../aws-model/cognito-idp.json");

/// The model, parsed on first use.
pub(crate) static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::parse(SOURCE).expect("the vendored model parses"));

/// The operations and the shapes of their requests.
pub(crate) struct Model {
    inputs: HashMap<String, String>,
    shapes: HashMap<String, Shape>,
}

/// One shape: what a value must be, and whether the service keeps it out of messages.
pub(crate) struct Shape {
    pub kind: Kind,
    pub sensitive: bool,
}

/// A shape's type with its constraints.
pub(crate) enum Kind {
    Structure(Vec<Member>),
    List {
        member: String,
        length: Bounds,
    },
    Map {
        key: String,
        value: String,
        length: Bounds,
    },
    String {
        length: Bounds,
        pattern: Option<Pattern>,
        values: Option<Vec<String>>,
    },
    /// `integer` (32 bits) and `long`.
    Number {
        range: Bounds,
        bits: u32,
    },
    Boolean,
    /// Base64 in JSON; the bounds count the decoded bytes.
    Blob {
        length: Bounds,
    },
    Timestamp,
    Document,
}

/// A structure's member, in the order messages report them (by name).
pub(crate) struct Member {
    /// The JSON name (`UserPoolId`).
    pub name: String,
    /// The name messages use (`userPoolId`).
    pub path: String,
    pub shape: String,
    pub required: bool,
}

/// The model's `min` and `max`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// A Java regular expression of the model, as printed and as matched.
pub(crate) struct Pattern {
    /// What messages print.
    pub shown: String,
    source: String,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    fn new(shown: &str, source: &str) -> Self {
        Self {
            shown: shown.to_owned(),
            source: source.to_owned(),
            compiled: OnceLock::new(),
        }
    }

    /// Whether the whole value matches, as Java's `String.matches` does.
    pub fn matches(&self, value: &str) -> bool {
        let compiled = self
            .compiled
            .get_or_init(|| Regex::new(&format!("^(?:{})$", java_to_rust(&self.source))).ok());
        // A pattern the regex crate cannot read checks nothing (a unit test proves
        // that every pattern of the vendored model compiles).
        compiled.as_ref().is_none_or(|regex| regex.is_match(value))
    }

    #[cfg(test)]
    fn compiles(&self) -> bool {
        Regex::new(&format!("^(?:{})$", java_to_rust(&self.source))).is_ok()
    }
}

impl Model {
    fn parse(source: &str) -> Result<Self, serde_json::Error> {
        let raw: RawModel = serde_json::from_str(source)?;
        let inputs = raw
            .operations
            .into_iter()
            .filter_map(|(name, op)| Some((name, op.input?.shape)))
            .collect();
        let shapes = raw
            .shapes
            .into_iter()
            .map(|(name, shape)| {
                let shape = shape.into_shape(&name);
                (name, shape)
            })
            .collect();
        Ok(Self { inputs, shapes })
    }

    /// The request shape of an operation of the model.
    pub fn input_of(&self, operation: &str) -> Option<&str> {
        self.inputs.get(operation).map(String::as_str)
    }

    /// The operations of the model.
    #[cfg(test)]
    pub fn operations(&self) -> impl Iterator<Item = &str> {
        self.inputs.keys().map(String::as_str)
    }

    /// A shape by name.
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }
}

#[derive(Deserialize)]
struct RawModel {
    operations: BTreeMap<String, RawOperation>,
    shapes: BTreeMap<String, RawShape>,
}

#[derive(Deserialize)]
struct RawOperation {
    input: Option<RawRef>,
}

#[derive(Deserialize)]
struct RawRef {
    shape: String,
}

#[derive(Deserialize)]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: BTreeMap<String, RawRef>,
    #[serde(default)]
    required: Vec<String>,
    member: Option<RawRef>,
    key: Option<RawRef>,
    value: Option<RawRef>,
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    values: Option<Vec<String>>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    document: bool,
}

impl RawShape {
    fn into_shape(self, name: &str) -> Shape {
        let bounds = Bounds {
            min: self.min,
            max: self.max,
        };
        let target = |r: Option<RawRef>| r.map(|r| r.shape).unwrap_or_default();
        let kind = match self.kind.as_str() {
            "structure" if self.document => Kind::Document,
            "structure" => Kind::Structure(
                self.members
                    .into_iter()
                    .map(|(member, r)| Member {
                        path: camel(&member),
                        required: self.required.contains(&member),
                        name: member,
                        shape: r.shape,
                    })
                    .collect(),
            ),
            "list" => Kind::List {
                member: target(self.member),
                length: bounds,
            },
            "map" => Kind::Map {
                key: target(self.key),
                value: target(self.value),
                length: bounds,
            },
            "string" => {
                let mut values = self.values;
                if let Some(values) = values.as_mut() {
                    values.extend(overrides::extra_values(name).iter().map(|v| v.to_string()));
                }
                let pattern = match overrides::pattern(name) {
                    Some((shown, source)) => Some(Pattern::new(shown, source)),
                    None => self.pattern.map(|p| Pattern::new(&p, &p)),
                };
                Kind::String {
                    length: bounds,
                    pattern,
                    values,
                }
            }
            "integer" => Kind::Number {
                range: bounds,
                bits: 32,
            },
            "long" => Kind::Number {
                range: bounds,
                bits: 64,
            },
            "boolean" => Kind::Boolean,
            "blob" => Kind::Blob { length: bounds },
            "timestamp" => Kind::Timestamp,
            _ => Kind::Document,
        };
        Shape {
            kind,
            sensitive: self.sensitive && !overrides::printed_although_sensitive(name),
        }
    }
}

/// `UserPoolId` → `userPoolId`, as the service names members in messages.
pub(crate) fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Java pattern in the regex crate's syntax. Java's `\w`, `\s`, `\d` and their
/// negations are ASCII classes where the regex crate's are Unicode ones, so each
/// becomes an explicit class (nested classes are fine inside `[...]`); a `-` right
/// after a range inside a class is a literal in Java and is escaped here.
fn java_to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut chars = pattern.chars().peekable();
    let mut depth = 0usize;
    // Inside a class: whether the last item was a completed range (`a-z`).
    let mut after_range = false;
    // `(?s)` (DOTALL) makes `.` match everything in both dialects.
    let dot_all = pattern.contains("(?s)");
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match next {
                    'w' => Some("[0-9A-Za-z_]"),
                    'W' => Some("[^0-9A-Za-z_]"),
                    'd' => Some("[0-9]"),
                    'D' => Some("[^0-9]"),
                    's' => Some("[\\t\\n\\x0B\\x0C\\r ]"),
                    'S' => Some("[^\\t\\n\\x0B\\x0C\\r ]"),
                    _ => None,
                };
                match class {
                    Some(class) => out.push_str(class),
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
                after_range = false;
            }
            '[' => {
                depth += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                after_range = false;
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
                after_range = false;
            }
            // Java's `.` stops at every line terminator, the regex crate's at `\n` only.
            '.' if depth == 0 && !dot_all => {
                out.push_str("[^\\n\\r\\x{85}\\x{2028}\\x{2029}]");
                after_range = false;
            }
            '-' if depth > 0 && after_range => {
                out.push_str("\\-");
                after_range = false;
            }
            '-' if depth > 0 && chars.peek().is_some_and(|n| *n != ']') => {
                // A range: copy its end, and remember that one ended.
                out.push('-');
                if let Some(end) = chars.next() {
                    if end == '\\' {
                        out.push('\\');
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else {
                        out.push(end);
                    }
                }
                after_range = true;
            }
            _ => {
                out.push(c);
                after_range = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_model_has_every_operation() {
        assert_eq!(MODEL.operations().count(), 153);
        assert_eq!(MODEL.input_of("SignUp"), Some("SignUpRequest"));
    }

    #[test]
    fn every_pattern_of_the_model_compiles() {
        for (name, shape) in &MODEL.shapes {
            if let Kind::String {
                pattern: Some(pattern),
                ..
            } = &shape.kind
            {
                assert!(pattern.compiles(), "{name}: {}", pattern.source);
            }
        }
    }

    #[test]
    fn java_classes_are_ascii() {
        let p = |s: &str| Pattern::new(s, s);
        assert!(p(r"[\w-]+_[0-9a-zA-Z]+").matches("us-east-1_abc"));
        assert!(!p(r"[\w-]+_[0-9a-zA-Z]+").matches("ü-east-1_abc"));
        assert!(p(r"[\S]+").matches("a\u{a0}b"));
        assert!(!p(r"[\S]+").matches("a b"));
        assert!(p("[A-Za-z0-9-_+/=.]+").matches("a-_+/=."));
        assert!(!p("[A-Za-z0-9-_+/=.]+").matches("a b"));
        assert!(p(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+").matches("José"));
        assert!(!p(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+").matches("a\u{200b}"));
        assert!(p(r"^[\S]+.*[\S]+$").matches("a b"));
        assert!(!p(r"^[\S]+.*[\S]+$").matches("a\r b"));
        assert!(p("(?s).*").matches("a\nb\rc"));
    }
}
