//! The registry-name argument (az `validate_registry_name`): strips the cloud's login-server
//! suffix and a domain-name-label hash with a warning, and rejects anything else.

use crate::error::{Error, Result};

pub const BAD_REGISTRY_NAME: &str = "Registry names may contain only alpha numeric characters and must be between 5 and 50 characters";

/// A validated registry name and the warning az prints when it shortened the input.
#[derive(Debug, PartialEq)]
pub struct RegistryName {
    pub name: String,
    pub warning: Option<String>,
}

/// Validates `value` against the current cloud's ACR suffix (`.azurecr.io` in AzureCloud).
/// The name keeps the user's casing: it goes into ARM URLs exactly as typed.
pub fn validate(value: &str, acr_suffix: &str) -> Result<RegistryName> {
    let (trimmed, suffix) = match value.split_once('.') {
        Some((name, rest)) => (name, format!(".{rest}")),
        None => (value, String::new()),
    };
    let dash = trimmed.find('-');
    if suffix.is_empty() && dash.is_some() {
        return Err(Error::cli(BAD_REGISTRY_NAME));
    }
    let mut warning = None;
    let name = if !suffix.is_empty() && suffix.to_lowercase() == acr_suffix {
        let (name, removed) = match dash {
            Some(i) => (&trimmed[..i], format!("{}{suffix}", &trimmed[i..])),
            None => (trimmed, suffix.clone()),
        };
        warning = Some(format!(
            "Registry name is '{name}'. The following suffix '{removed}' is automatically omitted."
        ));
        name
    } else if !suffix.is_empty() {
        return Err(Error::cli(format!(
            "The login server suffix is not valid for the current cloud. Please try again using '{acr_suffix}'."
        )));
    } else {
        trimmed
    };
    let valid = (5..=50).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(Error::cli(BAD_REGISTRY_NAME));
    }
    Ok(RegistryName {
        name: name.to_owned(),
        warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(value: &str) -> String {
        validate(value, ".azurecr.io").unwrap_err().to_string()
    }

    #[test]
    fn az_examples() {
        assert_eq!(err("my_reg"), BAD_REGISTRY_NAME);
        assert_eq!(err("my-reg"), BAD_REGISTRY_NAME);
        assert_eq!(err("abc"), BAD_REGISTRY_NAME);
        assert_eq!(
            err("myregistry.example.com"),
            "The login server suffix is not valid for the current cloud. Please try again using '.azurecr.io'."
        );
        assert_eq!(
            validate("myregistry.azurecr.io", ".azurecr.io").unwrap(),
            RegistryName {
                name: "myregistry".into(),
                warning: Some("Registry name is 'myregistry'. The following suffix '.azurecr.io' is automatically omitted.".into())
            }
        );
        let dnl = validate("MyReg-dnlHash123.AzureCR.io", ".azurecr.io").unwrap();
        assert_eq!(dnl.name, "MyReg");
        assert_eq!(
            dnl.warning.as_deref(),
            Some(
                "Registry name is 'MyReg'. The following suffix '-dnlHash123.AzureCR.io' is automatically omitted."
            )
        );
        assert_eq!(
            validate("MyRegistry", ".azurecr.io").unwrap().name,
            "MyRegistry"
        );
        assert_eq!(
            validate("myregistry.azurecr.cn", ".azurecr.cn")
                .unwrap()
                .name,
            "myregistry"
        );
    }
}
