//! Management responses turned into the values az prints: azure-cli-core's `todict` of the SDK
//! models, i.e. `properties` flattened, every attribute the model knows present (null when
//! absent) in the model's attribute order, unknown server fields dropped, and date-times
//! re-emitted with Python's `isoformat()`.

use serde_json::{Map, Value};

/// Python `datetime.isoformat()` of a service date-time: fractional seconds cut (not rounded)
/// to six digits and dropped when zero, `Z` written `+00:00`, other offsets kept. Strings that
/// are not date-times are returned unchanged.
pub fn isoformat(text: &str) -> String {
    parse_datetime(text).unwrap_or_else(|| text.to_owned())
}

fn parse_datetime(text: &str) -> Option<String> {
    // `YYYY-MM-DDTHH:MM:SS` (`d` a digit, the `T` in either case): all ASCII, so the slices
    // below fall on character boundaries.
    const SHAPE: &[u8; 19] = b"dddd-dd-ddTdd:dd:dd";
    let bytes = text.as_bytes();
    let shaped = bytes.len() >= SHAPE.len()
        && SHAPE.iter().zip(bytes).all(|(&want, &b)| match want {
            b'd' => b.is_ascii_digit(),
            b'T' => b.eq_ignore_ascii_case(&b'T'),
            separator => b == separator,
        });
    if !shaped {
        return None;
    }
    let (date, clock) = (&text[..10], &text[11..19]);
    let mut rest = &text[19..];
    let mut micros = String::new();
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        micros = frac[..len].chars().take(6).collect();
        while micros.len() < 6 {
            micros.push('0');
        }
        rest = &frac[len..];
    }
    let offset = match rest {
        "" => String::new(),
        "Z" | "z" => "+00:00".to_owned(),
        o if o.len() == 6
            && (o.starts_with('+') || o.starts_with('-'))
            && o.as_bytes()[3] == b':' =>
        {
            o.to_owned()
        }
        o if o.len() == 5 && (o.starts_with('+') || o.starts_with('-')) => {
            format!("{}:{}", &o[..3], &o[3..])
        }
        _ => return None,
    };
    let fraction = if micros.is_empty() || micros == "000000" {
        String::new()
    } else {
        format!(".{micros}")
    };
    Some(format!("{date}T{clock}{fraction}{offset}"))
}

fn date(value: Option<&Value>) -> Value {
    match value {
        Some(Value::String(s)) => Value::String(isoformat(s)),
        Some(Value::Null) | None => Value::Null,
        Some(other) => other.clone(),
    }
}

fn field(value: Option<&Value>) -> Value {
    value.cloned().unwrap_or(Value::Null)
}

/// Reads one attribute from the service's field of the same name (`None`: absent).
type Read = fn(Option<&Value>) -> Value;

/// A model's attributes in its attribute order, each with how its value is read.
type Attributes = [(&'static str, Read)];

/// The model of `source`: every attribute present, read from the field of its name.
fn model(source: &Value, attributes: &Attributes) -> Map<String, Value> {
    attributes
        .iter()
        .map(|&(name, read)| (name.to_owned(), read(source.get(name))))
        .collect()
}

/// A nested model: null unless the service sent an object.
fn nested(value: Option<&Value>, attributes: &Attributes) -> Value {
    match value {
        Some(object @ Value::Object(_)) => Value::Object(model(object, attributes)),
        _ => Value::Null,
    }
}

fn list_of(value: Option<&Value>, item: fn(&Value) -> Value) -> Value {
    match value {
        Some(Value::Array(items)) => Value::Array(items.iter().map(item).collect()),
        _ => Value::Null,
    }
}

/// The envelope every proxy resource starts with.
const ENVELOPE: &Attributes = &[
    ("id", field),
    ("name", field),
    ("type", field),
    ("systemData", |v| nested(v, SYSTEM_DATA)),
];

const SYSTEM_DATA: &Attributes = &[
    ("createdBy", field),
    ("createdByType", field),
    ("createdAt", date),
    ("lastModifiedBy", field),
    ("lastModifiedByType", field),
    ("lastModifiedAt", date),
];

const PASSWORD: &Attributes = &[
    ("creationTime", date),
    ("expiry", date),
    ("name", field),
    ("value", field),
];

const CERTIFICATE: &Attributes = &[
    ("name", field),
    ("expiry", date),
    ("thumbprint", field),
    ("encodedPemCertificate", field),
];

fn passwords(value: Option<&Value>) -> Value {
    list_of(value, password)
}

/// `TokenPassword`: creationTime, expiry, name, value.
pub fn password(p: &Value) -> Value {
    Value::Object(model(p, PASSWORD))
}

/// A token's properties, after the envelope.
const TOKEN: &Attributes = &[
    ("creationDate", date),
    ("provisioningState", field),
    ("scopeMapId", field),
    ("credentials", |v| nested(v, TOKEN_CREDENTIALS)),
    ("status", field),
];

const TOKEN_CREDENTIALS: &Attributes = &[
    ("certificates", |v| {
        list_of(v, |c| Value::Object(model(c, CERTIFICATE)))
    }),
    ("passwords", passwords),
];

/// A token as az prints it.
pub fn token(resource: &Value) -> Value {
    let props = resource.get("properties").cloned().unwrap_or(Value::Null);
    let mut out = model(resource, ENVELOPE);
    out.extend(model(&props, TOKEN));
    Value::Object(out)
}

/// A scope map as acr prints it: az's shape plus `scopeMapType` (D3), the service's
/// `properties.type`, which az 2.91 loses to the resource `type`.
pub fn scope_map(resource: &Value) -> Value {
    let props = resource.get("properties").cloned().unwrap_or(Value::Null);
    let mut out = model(resource, ENVELOPE);
    out.extend(model(&props, &[("description", field)]));
    // differs from az (D3): az 2.91.0 drops this attribute.
    out.insert("scopeMapType".into(), field(props.get("type")));
    out.extend(model(
        &props,
        &[
            ("creationDate", date),
            ("provisioningState", field),
            ("actions", field),
        ],
    ));
    Value::Object(out)
}

/// A `GenerateCredentialsResult`: username, passwords.
pub fn credentials(result: &Value) -> Value {
    Value::Object(model(
        result,
        &[("username", field), ("passwords", passwords)],
    ))
}

/// The actions of a scope-map resource, in the stored order.
pub fn scope_map_actions(resource: &Value) -> Vec<String> {
    strings(resource.pointer("/properties/actions"), |v| v.as_str())
}

/// The names of a token resource's passwords (`password1`, `password2`), in the service's
/// order.
pub fn password_names(resource: &Value) -> Vec<String> {
    strings(resource.pointer("/properties/credentials/passwords"), |p| {
        p.get("name").and_then(Value::as_str)
    })
}

fn strings(list: Option<&Value>, pick: impl Fn(&Value) -> Option<&str>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|items| items.iter().filter_map(&pick).map(str::to_owned).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_like_python_isoformat() {
        for (text, want) in [
            (
                "2021-12-30T21:12:32.1234567+00:00",
                "2021-12-30T21:12:32.123456+00:00",
            ),
            ("2021-12-30T21:12:32Z", "2021-12-30T21:12:32+00:00"),
            ("2021-12-30T21:12:32.000000Z", "2021-12-30T21:12:32+00:00"),
            (
                "2021-12-30T21:12:32.5+02:00",
                "2021-12-30T21:12:32.500000+02:00",
            ),
            ("2100-12-31T12:59:59.000Z", "2100-12-31T12:59:59+00:00"),
            ("2021-12-30T21:12:32", "2021-12-30T21:12:32"),
            ("not a date", "not a date"),
        ] {
            assert_eq!(isoformat(text), want, "{text}");
        }
    }

    #[test]
    fn token_has_every_attribute_in_model_order() {
        let t = token(&json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r/tokens/t",
            "name": "t", "type": "Microsoft.ContainerRegistry/registries/tokens",
            "properties": {"creationDate": "2026-11-23T19:09:31.3602891+00:00", "provisioningState": "Succeeded",
                           "scopeMapId": "x", "status": "enabled", "objectId": "dropped",
                           "credentials": {"passwords": [{"creationTime": "2026-11-23T19:09:36.1417553+00:00", "name": "password2"}]}}
        }));
        let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "name",
                "type",
                "systemData",
                "creationDate",
                "provisioningState",
                "scopeMapId",
                "credentials",
                "status"
            ]
        );
        assert_eq!(
            t["credentials"],
            json!({"certificates": null, "passwords": [{"creationTime": "2026-11-23T19:09:36.141755+00:00", "expiry": null, "name": "password2", "value": null}]})
        );
        assert_eq!(t["systemData"], Value::Null);
    }

    #[test]
    fn scope_map_keeps_its_type() {
        let m = scope_map(
            &json!({"name": "m", "properties": {"type": "SystemDefined", "actions": []}}),
        );
        assert_eq!(m["scopeMapType"], "SystemDefined");
        assert_eq!(m["description"], Value::Null);
    }
}
