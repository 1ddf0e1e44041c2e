//! The request models the management API reads, as named constants: for each swagger
//! definition a handler parses, the members it accepts (`writable`, the swagger's
//! non-`readOnly` properties), the read-only members clients echo back from a GET and the
//! emulator ignores (`read_only`, a subset of the swagger's `readOnly` ones), and any extra
//! members tolerated beyond the swagger (`extra`, each with its reason); plus the enum
//! values the handlers check. Where api-versions differ (only the registry properties do), the
//! model is chosen by version. A unit test compares every constant with the swagger
//! definitions of every api-version served (`tests/data/azure-specs/definitions/`). Data only:
//! parsing lives in `body`, rules in the handlers.

use super::rules::ACR_API_VERSIONS;

/// A member accepted beyond the swagger's definition, and why.
pub struct Extra {
    pub member: &'static str,
    pub reason: &'static str,
}

/// One request model: the name used in error messages (`Could not find member 'x' on object
/// of type 'TokenProperties'`) and the members accepted.
pub struct Model {
    pub name: &'static str,
    pub writable: &'static [&'static str],
    pub read_only: &'static [&'static str],
    pub extra: &'static [Extra],
}

impl Model {
    /// A model that accepts its `writable` members and nothing else.
    const fn new(name: &'static str, writable: &'static [&'static str]) -> Model {
        Model {
            name,
            writable,
            read_only: &[],
            extra: &[],
        }
    }

    /// The read-only members a client may echo back.
    const fn read_only(self, read_only: &'static [&'static str]) -> Model {
        Model { read_only, ..self }
    }

    /// The extras tolerated beyond the swagger.
    const fn extra(self, extra: &'static [Extra]) -> Model {
        Model { extra, ..self }
    }

    /// Members accepted and ignored: read-only ones and extras.
    pub fn ignored(&self) -> impl Iterator<Item = &'static str> + Clone + '_ {
        self.read_only
            .iter()
            .copied()
            .chain(self.extra.iter().map(|e| e.member))
    }
}

/// What every ARM resource envelope carries read-only; clients PUT a GET body back.
const ENVELOPE: &[&str] = &["id", "name", "systemData", "type"];

const ECHOED_ENVELOPE: &str = "not in the update model, but a client that PATCHes back a body it read (read-modify-write) sends the resource's read-only envelope; ignored as on PUT";
const ECHOED_PROPERTY: &str = "read-only in the full model, absent from the update model; a client that PATCHes back a body it read sends it; ignored as on PUT";

const fn echoed(member: &'static str) -> Extra {
    Extra {
        member,
        reason: ECHOED_ENVELOPE,
    }
}

const fn echoed_property(member: &'static str) -> Extra {
    Extra {
        member,
        reason: ECHOED_PROPERTY,
    }
}

const ECHOED_ENVELOPE_EXTRAS: &[Extra] = &[
    echoed("id"),
    echoed("name"),
    echoed("systemData"),
    echoed("type"),
];

pub static TOKEN: Model = Model::new("Token", &["properties"]).read_only(ENVELOPE);

pub static TOKEN_UPDATE: Model =
    Model::new("TokenUpdateParameters", &["properties"]).extra(ECHOED_ENVELOPE_EXTRAS);

pub static TOKEN_PROPERTIES: Model =
    Model::new("TokenProperties", &["credentials", "scopeMapId", "status"])
        .read_only(&["creationDate", "provisioningState"]);

pub static TOKEN_UPDATE_PROPERTIES: Model = Model::new(
    "TokenUpdateProperties",
    &["credentials", "scopeMapId", "status"],
)
.extra(&[
    echoed_property("creationDate"),
    echoed_property("provisioningState"),
]);

pub static TOKEN_CREDENTIALS: Model =
    Model::new("TokenCredentialsProperties", &["certificates", "passwords"]);

pub static TOKEN_PASSWORD: Model =
    Model::new("TokenPassword", &["creationTime", "expiry", "name"]).read_only(&["value"]);

pub static TOKEN_CERTIFICATE: Model = Model::new(
    "TokenCertificate",
    &["encodedPemCertificate", "expiry", "name", "thumbprint"],
);

pub static GENERATE_CREDENTIALS: Model = Model::new(
    "GenerateCredentialsParameters",
    &["expiry", "name", "tokenId"],
);

pub static SCOPE_MAP: Model = Model::new("ScopeMap", &["properties"]).read_only(ENVELOPE);

pub static SCOPE_MAP_UPDATE: Model =
    Model::new("ScopeMapUpdateParameters", &["properties"]).extra(ECHOED_ENVELOPE_EXTRAS);

pub static SCOPE_MAP_PROPERTIES: Model =
    Model::new("ScopeMapProperties", &["actions", "description"]).read_only(&[
        "creationDate",
        "provisioningState",
        "type",
    ]);

pub static SCOPE_MAP_UPDATE_PROPERTIES: Model = Model::new(
    "ScopeMapPropertiesUpdateParameters",
    &["actions", "description"],
)
.extra(&[
    echoed_property("creationDate"),
    echoed_property("provisioningState"),
    echoed_property("type"),
]);

pub static REGISTRY: Model = Model::new(
    "Registry",
    &["identity", "location", "properties", "sku", "tags"],
)
.read_only(ENVELOPE);

pub static REGISTRY_UPDATE: Model = Model::new(
    "RegistryUpdateParameters",
    &["identity", "properties", "sku", "tags"],
)
.extra(ECHOED_ENVELOPE_EXTRAS);

pub static SKU: Model = Model::new("Sku", &["name"]).read_only(&["tier"]);

pub static REGENERATE_CREDENTIAL: Model = Model::new("RegenerateCredentialParameters", &["name"]);

/// `RegistryProperties` members read-only in every version served.
const REGISTRY_READ_ONLY: &[&str] = &[
    "creationDate",
    "dataEndpointHostNames",
    "loginServer",
    "privateEndpointConnections",
    "provisioningState",
    "status",
];

const REGISTRY_READ_ONLY_2026: &[&str] = &[
    "creationDate",
    "dataEndpointHostNames",
    "loginServer",
    "privateEndpointConnections",
    "provisioningState",
    "regionalEndpointHostNames",
    "status",
];

static REGISTRY_PROPERTIES_2022: Model = Model::new(
    "RegistryProperties",
    &[
        "adminUserEnabled",
        "dataEndpointEnabled",
        "encryption",
        "networkRuleBypassOptions",
        "networkRuleSet",
        "policies",
        "publicNetworkAccess",
        "zoneRedundancy",
    ],
)
.read_only(REGISTRY_READ_ONLY);

static REGISTRY_PROPERTIES_2025: Model = Model::new(
    "RegistryProperties",
    &[
        "adminUserEnabled",
        "anonymousPullEnabled",
        "dataEndpointEnabled",
        "encryption",
        "networkRuleBypassOptions",
        "networkRuleSet",
        "policies",
        "publicNetworkAccess",
        "zoneRedundancy",
    ],
)
.read_only(REGISTRY_READ_ONLY);

static REGISTRY_PROPERTIES_2026: Model = Model::new(
    "RegistryProperties",
    &[
        "adminUserEnabled",
        "anonymousPullEnabled",
        "autoGeneratedDomainNameLabelScope",
        "dataEndpointEnabled",
        "encryption",
        "endpointProtocol",
        "metadataSearch",
        "networkRuleBypassAllowedForTasks",
        "networkRuleBypassOptions",
        "networkRuleSet",
        "policies",
        "publicNetworkAccess",
        "regionalEndpoints",
        "roleAssignmentMode",
        "writableCacheRepos",
        "zoneRedundancy",
    ],
)
.read_only(REGISTRY_READ_ONLY_2026);

/// Every read-only `RegistryProperties` member, tolerated in a PATCH body that echoes a GET.
const ECHOED_REGISTRY: &[Extra] = &[
    echoed_property("creationDate"),
    echoed_property("dataEndpointHostNames"),
    echoed_property("loginServer"),
    echoed_property("privateEndpointConnections"),
    echoed_property("provisioningState"),
    echoed_property("status"),
];

const ECHOED_REGISTRY_2026: &[Extra] = &[
    echoed_property("creationDate"),
    echoed_property("dataEndpointHostNames"),
    echoed_property("loginServer"),
    echoed_property("privateEndpointConnections"),
    echoed_property("provisioningState"),
    echoed_property("regionalEndpointHostNames"),
    echoed_property("status"),
];

static REGISTRY_UPDATE_PROPERTIES_2022: Model = Model::new(
    "RegistryPropertiesUpdateParameters",
    &[
        "adminUserEnabled",
        "dataEndpointEnabled",
        "encryption",
        "networkRuleBypassOptions",
        "networkRuleSet",
        "policies",
        "publicNetworkAccess",
    ],
)
.extra(ECHOED_REGISTRY);

static REGISTRY_UPDATE_PROPERTIES_2025: Model = Model::new(
    "RegistryPropertiesUpdateParameters",
    &[
        "adminUserEnabled",
        "anonymousPullEnabled",
        "dataEndpointEnabled",
        "encryption",
        "networkRuleBypassOptions",
        "networkRuleSet",
        "policies",
        "publicNetworkAccess",
    ],
)
.extra(ECHOED_REGISTRY);

static REGISTRY_UPDATE_PROPERTIES_2026: Model = Model::new(
    "RegistryPropertiesUpdateParameters",
    &[
        "adminUserEnabled",
        "anonymousPullEnabled",
        "dataEndpointEnabled",
        "encryption",
        "endpointProtocol",
        "metadataSearch",
        "networkRuleBypassAllowedForTasks",
        "networkRuleBypassOptions",
        "networkRuleSet",
        "policies",
        "publicNetworkAccess",
        "regionalEndpoints",
        "roleAssignmentMode",
        "writableCacheRepos",
    ],
)
.extra(ECHOED_REGISTRY_2026);

/// `RegistryProperties` (PUT) of `api_version`.
pub fn registry_properties(api_version: &str) -> &'static Model {
    match api_version {
        "2022-12-01" | "2023-07-01" => &REGISTRY_PROPERTIES_2022,
        "2025-04-01" => &REGISTRY_PROPERTIES_2025,
        _ => &REGISTRY_PROPERTIES_2026,
    }
}

/// `RegistryPropertiesUpdateParameters` (PATCH) of `api_version`.
pub fn registry_update_properties(api_version: &str) -> &'static Model {
    match api_version {
        "2022-12-01" | "2023-07-01" => &REGISTRY_UPDATE_PROPERTIES_2022,
        "2025-04-01" => &REGISTRY_UPDATE_PROPERTIES_2025,
        _ => &REGISTRY_UPDATE_PROPERTIES_2026,
    }
}

/// `TokenStatus`.
pub const TOKEN_STATUS: &[&str] = &["enabled", "disabled"];
/// `TokenPasswordName` (token passwords, generateCredentials' `name`).
pub const TOKEN_PASSWORD_NAME: &[&str] = &["password1", "password2"];
/// `TokenCertificateName`.
pub const TOKEN_CERTIFICATE_NAME: &[&str] = &["certificate1", "certificate2"];
/// `SkuName`.
pub const SKU_NAME: &[&str] = &["Classic", "Basic", "Standard", "Premium"];
/// `PasswordName` (the admin user's passwords).
pub const PASSWORD_NAME: &[&str] = &["password", "password2"];

/// The api-versions the models are defined for (every one the emulator serves).
pub const API_VERSIONS: &[&str] = ACR_API_VERSIONS;

/// Every model read on every api-version: (api-version, model), for the test and the docs.
pub fn all() -> Vec<(&'static str, &'static Model)> {
    let mut out = Vec::new();
    for v in ACR_API_VERSIONS {
        for m in [
            &TOKEN,
            &TOKEN_UPDATE,
            &TOKEN_PROPERTIES,
            &TOKEN_UPDATE_PROPERTIES,
            &TOKEN_CREDENTIALS,
            &TOKEN_PASSWORD,
            &TOKEN_CERTIFICATE,
            &GENERATE_CREDENTIALS,
            &SCOPE_MAP,
            &SCOPE_MAP_UPDATE,
            &SCOPE_MAP_PROPERTIES,
            &SCOPE_MAP_UPDATE_PROPERTIES,
            &REGISTRY,
            &REGISTRY_UPDATE,
            &SKU,
            &REGENERATE_CREDENTIAL,
            registry_properties(v),
            registry_update_properties(v),
        ] {
            out.push((*v, m));
        }
    }
    out
}

/// The enums the handlers check: (model, member, values).
pub const ENUMS: &[(&str, &str, &[&str])] = &[
    ("TokenProperties", "status", TOKEN_STATUS),
    ("TokenUpdateProperties", "status", TOKEN_STATUS),
    ("TokenPassword", "name", TOKEN_PASSWORD_NAME),
    ("TokenCertificate", "name", TOKEN_CERTIFICATE_NAME),
    ("GenerateCredentialsParameters", "name", TOKEN_PASSWORD_NAME),
    ("Sku", "name", SKU_NAME),
    ("RegenerateCredentialParameters", "name", PASSWORD_NAME),
];

#[cfg(test)]
mod tests;
