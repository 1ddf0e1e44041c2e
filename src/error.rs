//! The CLI's one error type. Each variant knows its exit code and renders the exact `ERROR: …`
//! text az prints on stderr; `main` prints it once. Nothing here prints, and no variant may carry
//! a secret in its message (D12): callers build messages from names, codes and server texts only.

use std::fmt;

/// A failure of one `acr` invocation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argparse-level error (bad flag, bad choice, missing required argument): exit 2.
    #[error("{0}")]
    Parse(ParseError),
    /// A validation or usage error raised by a validator or a command (az `CLIError`): exit 1.
    #[error("{0}")]
    Cli(String),
    /// No credential source is configured for the management API (exit 1). Data-plane
    /// commands go on without ARM when they get this one.
    #[error("{0}")]
    NotSignedIn(String),
    /// The registry is not in the subscription's resource listing (exit 1: az reports it
    /// without a 404 of the service). Data-plane commands then guess its login server.
    #[error("{0}")]
    RegistryNotFound(String),
    /// A registry's token server answered 429 (exit 1): the Entra path gives up instead of
    /// falling back to the admin user, as az does.
    #[error("{0}")]
    TooManyRequests(String),
    /// An error response of the management API, rendered like azure-core.
    #[error("{0}")]
    Arm(Box<ArmError>),
    /// An error of a registry's data plane (message already in az's wording).
    #[error("{message}")]
    Registry {
        status: Option<u16>,
        message: String,
    },
    /// `--query` failed while being evaluated: exit 1.
    #[error("Invalid jmespath query supplied for `--query`: {0}")]
    Query(String),
    /// Anything else (network, file system, unexpected response): exit 1.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Failures of the plumbing (HTTP, files and streams, URLs, JSON) have no az text of their own:
/// they are `Other`, with their cause chain kept for the message.
macro_rules! other_from {
    ($($source:ty),* $(,)?) => {
        $(impl From<$source> for Error {
            fn from(e: $source) -> Error {
                Error::Other(e.into())
            }
        })*
    };
}

other_from!(
    reqwest::Error,
    std::io::Error,
    url::ParseError,
    serde_json::Error
);

/// Where az's `--query` errors point users.
pub const QUERY_REFERENCE: &str = "To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'";

impl Error {
    pub fn cli(message: impl Into<String>) -> Error {
        Error::Cli(message.into())
    }

    /// The process exit code. `show_command` is true for `token show`, `scope-map show` and
    /// `repository show`, where az maps every HTTP 404, data-plane ones included, to 3.
    pub fn exit_code(&self, show_command: bool) -> i32 {
        match self {
            Error::Parse(_) => 2,
            Error::Arm(e) if e.status == 404 => 3,
            Error::Registry {
                status: Some(404), ..
            } if show_command => 3,
            _ => 1,
        }
    }

    /// The complete stderr text, each line ending in `\n`.
    pub fn render(&self) -> String {
        match self {
            Error::Parse(p) => p.render(),
            Error::Query(_) => format!("ERROR: {self}\n{QUERY_REFERENCE}\n"),
            Error::Other(e) => format!("ERROR: {}\n", chain(e)),
            other => format!("ERROR: {other}\n"),
        }
    }
}

/// `e: cause: cause` on one line, the way users expect transport failures to read.
fn chain(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// One example of a command's help, as the parse-error recommender shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub command: String,
    pub summary: String,
}

/// What follows the message of an argparse error.
#[derive(Debug, Clone, PartialEq)]
pub enum Recommendation {
    /// Up to three help examples and the reference link (most errors).
    Examples(Vec<Example>),
    /// Only the reference link (unrecognized arguments, unknown commands).
    LinkOnly,
    /// The `--query` documentation line.
    Query,
}

/// An argparse error in az's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub recommendation: Recommendation,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl ParseError {
    pub fn render(&self) -> String {
        let mut out = format!("ERROR: {}\n", self.message);
        match &self.recommendation {
            Recommendation::Query => {
                out.push_str(QUERY_REFERENCE);
                out.push('\n');
            }
            Recommendation::LinkOnly => out.push_str(
                "\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n",
            ),
            Recommendation::Examples(examples) => {
                out.push('\n');
                if !examples.is_empty() {
                    out.push_str("Examples from command's help:\n");
                    for example in examples {
                        out.push_str(&format!("{}\n{}\n\n", example.command, example.summary));
                    }
                }
                out.push_str(
                    "https://aka.ms/cli_ref\nRead more about the command in reference docs\n",
                );
            }
        }
        out
    }
}

/// An ARM error response, parsed leniently: `{"error": {...}}`, a bare `{code, message}`, or a
/// body that is not JSON at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmError {
    pub status: u16,
    pub reason: String,
    pub body: Option<serde_json::Value>,
    pub raw_body: String,
}

impl ArmError {
    pub fn code(&self) -> Option<&str> {
        self.node()
            .and_then(|n| n.get("code"))
            .and_then(|c| c.as_str())
    }

    fn node(&self) -> Option<&serde_json::Value> {
        let body = self.body.as_ref()?;
        match body.get("error") {
            Some(inner) if inner.is_object() => Some(inner),
            _ if body.get("code").is_some() => Some(body),
            _ => None,
        }
    }
}

impl fmt::Display for ArmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.node() {
            Some(node) => f.write_str(&odata_text(node)),
            None => {
                // azure-core: "Operation returned an invalid status '<reason>'", then the body.
                let mut text = format!("Operation returned an invalid status '{}'", self.reason);
                if !self.raw_body.is_empty() {
                    text = format!("{text}\nContent: {}", self.raw_body);
                    text = text.chars().take(2048).collect();
                }
                f.write_str(&text)
            }
        }
    }
}

/// azure-core's `ODataV4Format.__str__` (plus the ARM `additionalInfo` lines).
fn odata_text(node: &serde_json::Value) -> String {
    let text = |key: &str| match node.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => "None".to_owned(),
        Some(other) => other.to_string(),
    };
    let (code, message) = (text("code"), text("message"));
    let mut out = format!("({code}) {message}\nCode: {code}\nMessage: {message}");
    if let Some(target) = node
        .get("target")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
    {
        out.push_str(&format!("\nTarget: {target}"));
    }
    if let Some(details) = node
        .get("details")
        .and_then(|d| d.as_array())
        .filter(|d| !d.is_empty())
    {
        // az-compat: azure-core appends the first detail to the same line as the heading.
        out.push_str("\nException Details:");
        for detail in details {
            let lines: Vec<String> = odata_text(detail)
                .lines()
                .map(|l| format!("\t{l}"))
                .collect();
            out.push_str(&lines.join("\n"));
        }
    }
    if let Some(inner) = node.get("innererror").filter(|v| !v.is_null()) {
        out.push_str(&format!("\nInner error: {}", python_json_indent4(inner)));
    }
    out
}

/// `json.dumps(value, indent=4)` for the rare `innererror` object.
fn python_json_indent4(value: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if serde::Serialize::serialize(value, &mut ser).is_err() {
        return value.to_string();
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn arm(status: u16, body: serde_json::Value) -> Error {
        Error::Arm(Box::new(ArmError {
            status,
            reason: "Not Found".into(),
            raw_body: body.to_string(),
            body: Some(body),
        }))
    }

    #[test]
    fn arm_not_found_renders_three_lines_and_exits_3() {
        let e = arm(
            404,
            json!({"error": {"code": "ResourceNotFound", "message": "The resource nosuch could not be found."}}),
        );
        assert_eq!(
            e.render(),
            "ERROR: (ResourceNotFound) The resource nosuch could not be found.\nCode: ResourceNotFound\nMessage: The resource nosuch could not be found.\n"
        );
        assert_eq!(e.exit_code(false), 3);
    }

    #[test]
    fn arm_conflict_exits_1_and_shows_target() {
        let e = arm(
            409,
            json!({"error": {"code": "Conflict", "message": "m", "target": "t"}}),
        );
        assert_eq!(
            e.render(),
            "ERROR: (Conflict) m\nCode: Conflict\nMessage: m\nTarget: t\n"
        );
        assert_eq!(e.exit_code(true), 1);
    }

    #[test]
    fn registry_404_exits_3_only_for_show_commands() {
        let e = Error::Registry {
            status: Some(404),
            message: "Error: x.".into(),
        };
        assert_eq!((e.exit_code(true), e.exit_code(false)), (3, 1));
    }

    #[test]
    fn control_flow_variants_render_like_cli_errors_and_exit_1() {
        for e in [
            Error::NotSignedIn("Please run 'acr account login' to setup account.".into()),
            Error::RegistryNotFound("The resource with name 'x' … could not be found.".into()),
            Error::TooManyRequests("An error occurred: CONNECTIVITY_TOOMANYREQUESTS_ERROR".into()),
        ] {
            let text = e.to_string();
            assert_eq!(e.render(), format!("ERROR: {text}\n"));
            assert_eq!((e.exit_code(false), e.exit_code(true)), (1, 1));
        }
    }

    #[test]
    fn plumbing_failures_are_other_with_their_cause() {
        let e: Error = std::io::Error::other("disk full").into();
        assert!(matches!(e, Error::Other(_)));
        assert_eq!(
            (e.render(), e.exit_code(true)),
            ("ERROR: disk full\n".into(), 1)
        );
        let e: Error = serde_json::from_str::<serde_json::Value>("{")
            .unwrap_err()
            .into();
        assert!(matches!(e, Error::Other(_)));
    }

    #[test]
    fn parse_error_layouts() {
        let link = ParseError {
            message: "unrecognized arguments: extra".into(),
            recommendation: Recommendation::LinkOnly,
        };
        assert_eq!(
            link.render(),
            "ERROR: unrecognized arguments: extra\n\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n"
        );
        let query = ParseError {
            message: "argument --query: invalid jmespath_type value: '[?'".into(),
            recommendation: Recommendation::Query,
        };
        assert_eq!(
            query.render(),
            format!(
                "ERROR: argument --query: invalid jmespath_type value: '[?'\n{QUERY_REFERENCE}\n"
            )
        );
        let ex = ParseError {
            message: "m".into(),
            recommendation: Recommendation::Examples(vec![Example {
                command: "acr x".into(),
                summary: "Do x.".into(),
            }]),
        };
        assert_eq!(
            ex.render(),
            "ERROR: m\n\nExamples from command's help:\nacr x\nDo x.\n\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n"
        );
    }

    #[test]
    fn non_json_arm_body() {
        let e = Error::Arm(Box::new(ArmError {
            status: 502,
            reason: "Bad Gateway".into(),
            body: None,
            raw_body: "<html>".into(),
        }));
        assert_eq!(
            e.render(),
            "ERROR: Operation returned an invalid status 'Bad Gateway'\nContent: <html>\n"
        );
    }
}
