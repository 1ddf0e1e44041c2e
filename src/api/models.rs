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
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[10] != b'T' && bytes[10] != b't' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| {
        text.get(range.clone())
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let (date, clock) = (text.get(0..10)?, text.get(11..19)?);
    if digits(0..4).is_none()
        || bytes[4] != b'-'
        || digits(5..7).is_none()
        || bytes[7] != b'-'
        || digits(8..10).is_none()
    {
        return None;
    }
    if digits(11..13).is_none()
        || bytes[13] != b':'
        || digits(14..16).is_none()
        || bytes[16] != b':'
        || digits(17..19).is_none()
    {
        return None;
    }
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

fn system_data(value: Option<&Value>) -> Value {
    match value {
        Some(Value::Object(sd)) => {
            let mut out = Map::new();
            out.insert("createdBy".into(), field(sd.get("createdBy")));
            out.insert("createdByType".into(), field(sd.get("createdByType")));
            out.insert("createdAt".into(), date(sd.get("createdAt")));
            out.insert("lastModifiedBy".into(), field(sd.get("lastModifiedBy")));
            out.insert(
                "lastModifiedByType".into(),
                field(sd.get("lastModifiedByType")),
            );
            out.insert("lastModifiedAt".into(), date(sd.get("lastModifiedAt")));
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

fn list_of(value: Option<&Value>, item: fn(&Value) -> Value) -> Value {
    match value {
        Some(Value::Array(items)) => Value::Array(items.iter().map(item).collect()),
        _ => Value::Null,
    }
}

/// `TokenPassword`: creationTime, expiry, name, value.
pub fn password(p: &Value) -> Value {
    let mut out = Map::new();
    out.insert("creationTime".into(), date(p.get("creationTime")));
    out.insert("expiry".into(), date(p.get("expiry")));
    out.insert("name".into(), field(p.get("name")));
    out.insert("value".into(), field(p.get("value")));
    Value::Object(out)
}

fn certificate(c: &Value) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), field(c.get("name")));
    out.insert("expiry".into(), date(c.get("expiry")));
    out.insert("thumbprint".into(), field(c.get("thumbprint")));
    out.insert(
        "encodedPemCertificate".into(),
        field(c.get("encodedPemCertificate")),
    );
    Value::Object(out)
}

/// The envelope every proxy resource starts with: id, name, type, systemData.
fn envelope(resource: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("id".into(), field(resource.get("id")));
    out.insert("name".into(), field(resource.get("name")));
    out.insert("type".into(), field(resource.get("type")));
    out.insert("systemData".into(), system_data(resource.get("systemData")));
    out
}

/// A token as az prints it.
pub fn token(resource: &Value) -> Value {
    let props = resource.get("properties").cloned().unwrap_or(Value::Null);
    let mut out = envelope(resource);
    out.insert("creationDate".into(), date(props.get("creationDate")));
    out.insert(
        "provisioningState".into(),
        field(props.get("provisioningState")),
    );
    out.insert("scopeMapId".into(), field(props.get("scopeMapId")));
    let credentials = match props.get("credentials") {
        Some(Value::Object(c)) => {
            let mut cred = Map::new();
            cred.insert(
                "certificates".into(),
                list_of(c.get("certificates"), certificate),
            );
            cred.insert("passwords".into(), list_of(c.get("passwords"), password));
            Value::Object(cred)
        }
        _ => Value::Null,
    };
    out.insert("credentials".into(), credentials);
    out.insert("status".into(), field(props.get("status")));
    Value::Object(out)
}

/// A scope map as acr prints it: az's shape plus `scopeMapType` (D3), the service's
/// `properties.type`, which az 2.91 loses to the resource `type`.
pub fn scope_map(resource: &Value) -> Value {
    let props = resource.get("properties").cloned().unwrap_or(Value::Null);
    let mut out = envelope(resource);
    out.insert("description".into(), field(props.get("description")));
    // differs from az (D3): az 2.91.0 drops this attribute.
    out.insert("scopeMapType".into(), field(props.get("type")));
    out.insert("creationDate".into(), date(props.get("creationDate")));
    out.insert(
        "provisioningState".into(),
        field(props.get("provisioningState")),
    );
    out.insert("actions".into(), field(props.get("actions")));
    Value::Object(out)
}

/// A `GenerateCredentialsResult`: username, passwords.
pub fn credentials(result: &Value) -> Value {
    let mut out = Map::new();
    out.insert("username".into(), field(result.get("username")));
    out.insert(
        "passwords".into(),
        list_of(result.get("passwords"), password),
    );
    Value::Object(out)
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
        assert_eq!(
            isoformat("2021-12-30T21:12:32.1234567+00:00"),
            "2021-12-30T21:12:32.123456+00:00"
        );
        assert_eq!(
            isoformat("2021-12-30T21:12:32Z"),
            "2021-12-30T21:12:32+00:00"
        );
        assert_eq!(
            isoformat("2021-12-30T21:12:32.000000Z"),
            "2021-12-30T21:12:32+00:00"
        );
        assert_eq!(
            isoformat("2021-12-30T21:12:32.5+02:00"),
            "2021-12-30T21:12:32.500000+02:00"
        );
        assert_eq!(
            isoformat("2100-12-31T12:59:59.000Z"),
            "2100-12-31T12:59:59+00:00"
        );
        assert_eq!(isoformat("2021-12-30T21:12:32"), "2021-12-30T21:12:32");
        assert_eq!(isoformat("not a date"), "not a date");
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
