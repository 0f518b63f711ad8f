//! playbooks/playbook.schema.json (for editors) kept in step with the Rust types: the same
//! field names, the same required fields, compatible types and limits, and every embedded
//! playbook valid against it. serde is asked directly: its "unknown field, expected one of"
//! message lists the fields a type accepts, and its "missing field" error names required ones.

use std::collections::BTreeSet;

use bouncebook::playbook::{self, EMBEDDED_SOURCES, Limits, MatchRules, Playbook, Step};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/playbooks/playbook.schema.json"
    );
    let text = std::fs::read_to_string(path).expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// The schema object for a type: the root, or a definition.
fn object_schema<'a>(schema: &'a Value, definition: Option<&str>) -> &'a Value {
    match definition {
        Some(name) => &schema["definitions"][name],
        None => schema,
    }
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/definitions/")
                .expect("local refs only");
            &root["definitions"][name]
        }
        None => node,
    }
}

/// The fields serde accepts for `T`, read from its unknown-field error.
fn serde_fields<T: DeserializeOwned>() -> BTreeSet<String> {
    let err = serde_yaml::from_str::<T>("zz_no_such_field: 1")
        .err()
        .expect("unknown field refused");
    let message = err.to_string();
    let expected = message
        .split_once("expected")
        .map(|(_, e)| e)
        .unwrap_or_default();
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// A value of the schema's type (and, for objects, with their required fields).
fn sample(root: &Value, node: &Value) -> Value {
    let node = resolve(root, node);
    if let Some(first) = node.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    match node["type"].as_str() {
        Some("string") => json!("x"),
        Some("integer") => json!(553),
        Some("boolean") => json!(true),
        Some("array") => json!([sample(root, &node["items"])]),
        Some("object") => {
            let mut map = serde_json::Map::new();
            for name in node["required"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("required names are strings");
                map.insert(name.into(), sample(root, &node["properties"][name]));
            }
            Value::Object(map)
        }
        other => panic!("schema type {other:?} has no sample"),
    }
}

/// A value of a different type than the schema says.
fn wrong_type(root: &Value, node: &Value) -> Value {
    match resolve(root, node)["type"].as_str() {
        Some("string") | Some("integer") | Some("boolean") => json!({"a": 1}),
        _ => json!("not a list or map"),
    }
}

fn deserializes<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    let yaml = serde_yaml::to_string(value).map_err(|e| e.to_string())?;
    serde_yaml::from_str::<T>(&yaml).map_err(|e| e.to_string())
}

fn assert_in_sync<T: DeserializeOwned>(name: &str, definition: Option<&str>) {
    let root = schema();
    let node = object_schema(&root, definition);
    assert_eq!(
        node["additionalProperties"],
        json!(false),
        "{name}: unknown keys must be refused"
    );
    let properties = node["properties"].as_object().expect("properties");
    let in_schema: BTreeSet<String> = properties.keys().cloned().collect();
    assert_eq!(
        in_schema,
        serde_fields::<T>(),
        "{name}: fields differ between the schema and the Rust type"
    );

    // A sample with only the required fields deserialises; leaving any one out does not.
    let minimal = sample(&root, node);
    deserializes::<T>(&minimal).unwrap_or_else(|e| panic!("{name}: minimal sample refused: {e}"));
    for required in node["required"].as_array().into_iter().flatten() {
        let required = required.as_str().expect("string");
        let mut without = minimal.clone();
        without.as_object_mut().expect("object").remove(required);
        let err = deserializes::<T>(&without).err().unwrap_or_default();
        assert!(
            err.contains(&format!("missing field `{required}`")),
            "{name}.{required}: {err}"
        );
    }
    // Every property, optional ones included, accepts its schema type and refuses another.
    for (field, property) in properties {
        let mut full = minimal.clone();
        full[field] = sample(&root, property);
        deserializes::<T>(&full)
            .unwrap_or_else(|e| panic!("{name}.{field}: schema type refused: {e}"));
        full[field] = wrong_type(&root, property);
        assert!(
            deserializes::<T>(&full).is_err(),
            "{name}.{field}: a wrong type was accepted"
        );
    }
}

#[test]
fn playbook_fields_match_the_schema() {
    assert_in_sync::<Playbook>("playbook", None);
}

#[test]
fn step_fields_match_the_schema() {
    assert_in_sync::<Step>("step", Some("step"));
}

#[test]
fn match_fields_match_the_schema() {
    assert_in_sync::<MatchRules>("match", Some("match"));
}

#[test]
fn limits_and_id_rules_match_the_checker() {
    let root = schema();
    assert_eq!(
        root["properties"]["steps"]["maxItems"],
        json!(Limits::DEFAULT.max_steps)
    );
    assert_eq!(
        root["properties"]["escalate"]["maxItems"],
        json!(Limits::DEFAULT.max_escalate)
    );
    for node in [
        &root["properties"]["id"],
        &root["definitions"]["step"]["properties"]["id"],
    ] {
        let pattern =
            regex::Regex::new(node["pattern"].as_str().expect("pattern")).expect("valid pattern");
        let max = node["maxLength"].as_u64().expect("maxLength") as usize;
        for id in [
            "relay-denied",
            "a",
            "x9-y",
            "Relay",
            "a--b",
            "-a",
            "a-",
            "a_b",
            "a b",
            "",
        ] {
            let schema_ok = pattern.is_match(id) && id.chars().count() <= max;
            assert_eq!(schema_ok, playbook::check::is_valid_id(id), "{id:?}");
        }
    }
    let documented = root["definitions"]["step"]["properties"]["command"]["description"]
        .as_str()
        .unwrap_or("");
    for p in playbook::PLACEHOLDERS {
        assert!(
            documented.contains(p.name),
            "schema does not list {{{}}}",
            p.name
        );
    }
}

/// A small JSON Schema (draft-07 subset) validator: the keywords this schema uses.
fn validate(root: &Value, node: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let node = resolve(root, node);
    if let Some(alternatives) = node.get("oneOf").and_then(Value::as_array) {
        let fitting = alternatives
            .iter()
            .filter(|alt| {
                let mut e = Vec::new();
                validate(root, alt, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if fitting != 1 {
            errors.push(format!(
                "{at}: {value} fits {fitting} of the oneOf alternatives"
            ));
        }
        return;
    }
    if let Some(allowed) = node.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} not in enum"));
    }
    match (node["type"].as_str(), value) {
        (Some("object"), Value::Object(map)) => {
            for required in node["required"].as_array().into_iter().flatten() {
                if !map.contains_key(required.as_str().unwrap_or_default()) {
                    errors.push(format!("{at}: missing {required}"));
                }
            }
            for (key, child) in map {
                match node["properties"].get(key) {
                    Some(property) => {
                        validate(root, property, child, &format!("{at}.{key}"), errors)
                    }
                    None => errors.push(format!("{at}: unknown {key}")),
                }
            }
        }
        (Some("array"), Value::Array(items)) => {
            let len = items.len() as u64;
            if node["minItems"].as_u64().is_some_and(|m| len < m)
                || node["maxItems"].as_u64().is_some_and(|m| len > m)
            {
                errors.push(format!("{at}: {len} items out of bounds"));
            }
            for (i, item) in items.iter().enumerate() {
                validate(root, &node["items"], item, &format!("{at}[{i}]"), errors);
            }
        }
        (Some("string"), Value::String(s)) => {
            if node["minLength"]
                .as_u64()
                .is_some_and(|m| (s.chars().count() as u64) < m)
            {
                errors.push(format!("{at}: too short"));
            }
            if let Some(pattern) = node["pattern"].as_str()
                && !regex::Regex::new(pattern).is_ok_and(|re| re.is_match(s))
            {
                errors.push(format!("{at}: {s:?} does not match {pattern}"));
            }
        }
        (Some("integer"), Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (Some("boolean"), Value::Bool(_)) => {}
        (expected, got) => errors.push(format!("{at}: expected {expected:?}, got {got}")),
    }
}

#[test]
fn every_embedded_playbook_is_valid_against_the_schema() {
    let root = schema();
    for (id, text) in EMBEDDED_SOURCES {
        let value: Value = serde_yaml::from_str(text).expect("embedded YAML");
        let mut errors = Vec::new();
        validate(&root, &root, &value, id, &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn the_validator_above_can_fail() {
    let root = schema();
    let mut errors = Vec::new();
    let bad = json!({"id": "Bad Id", "title": "", "summary": "s", "steps": [], "extra": 1});
    validate(&root, &root, &bad, "bad", &mut errors);
    assert_eq!(errors.len(), 4, "{errors:#?}");
}
