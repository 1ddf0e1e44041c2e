//! Validation of pushed manifests: the four media types ACR serves to docker, skopeo and
//! podman (OCI image manifest and index, Docker schema 2 manifest and manifest list), the
//! agreement of `Content-Type` with the body's `mediaType`, descriptors with valid digests,
//! and the facts ACR's metadata API reports (referenced blobs and manifests, image size,
//! config media type, platforms of an index, `subject` and `artifactType`). Pure: the
//! caller checks that the referenced blobs exist.

use serde_json::{Map, Value};

use crate::emulator::store::blobs::Digest;
use crate::emulator::store::{ManifestFacts, PlatformRef};

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// The largest manifest accepted (the distribution spec asks for at least 4 MiB).
pub const MAX_MANIFEST_BYTES: usize = 4 << 20;

/// What a valid manifest says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// All but the platform (`architecture`, `os`), which an image has in its config blob.
    pub facts: ManifestFacts,
    /// Blobs it needs in the repository (config and distributable layers).
    pub blobs: Vec<String>,
    /// Manifests it needs in the repository (an index's children).
    pub children: Vec<String>,
    pub config: Option<String>,
}

impl Parsed {
    pub fn is_index(&self) -> bool {
        self.facts.media_type == OCI_INDEX || self.facts.media_type == DOCKER_LIST
    }
}

struct Descriptor {
    media_type: String,
    digest: String,
    size: i64,
    platform: Option<(Option<String>, Option<String>)>,
}

fn descriptor(v: &Value, what: &str) -> Result<Descriptor, String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("{what} is not a descriptor"))?;
    let media_type = o
        .get("mediaType")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what} has no mediaType"))?;
    let digest = o
        .get("digest")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what} has no digest"))?;
    if Digest::parse(digest).is_none() {
        return Err(format!("{what} has an invalid digest '{digest}'"));
    }
    let size = o
        .get("size")
        .and_then(Value::as_i64)
        .filter(|s| *s >= 0)
        .ok_or_else(|| format!("{what} has no valid size"))?;
    let platform = o.get("platform").and_then(Value::as_object).map(|p| {
        let s = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
        (s("architecture"), s("os"))
    });
    Ok(Descriptor {
        media_type: media_type.to_string(),
        digest: digest.to_string(),
        size,
        platform,
    })
}

/// Layers whose bytes live elsewhere (Windows foreign layers): not required in the registry.
fn non_distributable(media_type: &str) -> bool {
    media_type.contains("foreign") || media_type.contains("nondistributable")
}

/// The media type named by `Content-Type` (parameters dropped), when it is a manifest type.
fn header_type(content_type: Option<&str>) -> Option<String> {
    let t = content_type?.split(';').next()?.trim().to_ascii_lowercase();
    (!t.is_empty() && t != "application/json" && t != "application/octet-stream").then_some(t)
}

pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Parsed, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("manifest is not valid JSON: {e}"))?;
    let o = v.as_object().ok_or("manifest is not a JSON object")?;
    if o.get("schemaVersion").and_then(Value::as_i64) != Some(2) {
        return Err("unsupported manifest schemaVersion (only 2 is accepted)".into());
    }
    let body_type = o.get("mediaType").and_then(Value::as_str);
    let media_type = match (header_type(content_type), body_type) {
        (Some(h), Some(b)) if h != b => {
            return Err(format!(
                "the Content-Type '{h}' does not match the manifest's mediaType '{b}'"
            ));
        }
        (Some(h), _) => h,
        (None, Some(b)) => b.to_string(),
        (None, None) if o.contains_key("manifests") => OCI_INDEX.to_string(),
        (None, None) => OCI_MANIFEST.to_string(),
    };
    let mut p = Parsed {
        facts: ManifestFacts {
            media_type,
            ..Default::default()
        },
        ..Default::default()
    };
    match p.facts.media_type.as_str() {
        OCI_MANIFEST | DOCKER_MANIFEST => image(o, &mut p)?,
        OCI_INDEX | DOCKER_LIST => index(o, &mut p)?,
        other => return Err(format!("unsupported manifest media type '{other}'")),
    }
    if let Some(s) = o.get("subject") {
        if p.facts.media_type.starts_with("application/vnd.docker.") {
            return Err("Docker manifests cannot have a subject".into());
        }
        p.facts.subject = Some(descriptor(s, "subject")?.digest);
    }
    p.facts.artifact_type = match o.get("artifactType") {
        None => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => return Err("artifactType is not a string".into()),
    };
    p.facts.annotations = match o.get("annotations") {
        None => None,
        Some(Value::Object(a)) => Some(Value::Object(a.clone()).to_string()),
        Some(_) => return Err("annotations is not an object".into()),
    };
    Ok(p)
}

fn image(o: &Map<String, Value>, p: &mut Parsed) -> Result<(), String> {
    let config = descriptor(
        o.get("config").ok_or("the manifest has no config")?,
        "config",
    )?;
    let layers = match o.get("layers") {
        Some(Value::Array(l)) => l
            .iter()
            .enumerate()
            .map(|(i, l)| descriptor(l, &format!("layer {i}")))
            .collect::<Result<Vec<_>, _>>()?,
        None if p.facts.media_type == OCI_MANIFEST => Vec::new(),
        _ => return Err("the manifest has no layers array".into()),
    };
    p.facts.image_size =
        total_size(std::iter::once(config.size).chain(layers.iter().map(|l| l.size)))?;
    p.blobs.push(config.digest.clone());
    p.blobs.extend(
        layers
            .iter()
            .filter(|l| !non_distributable(&l.media_type))
            .map(|l| l.digest.clone()),
    );
    p.config = Some(config.digest);
    p.facts.config_media_type = Some(config.media_type);
    Ok(())
}

fn index(o: &Map<String, Value>, p: &mut Parsed) -> Result<(), String> {
    let Some(Value::Array(items)) = o.get("manifests") else {
        return Err("the index has no manifests array".into());
    };
    for (i, m) in items.iter().enumerate() {
        let d = descriptor(m, &format!("manifest {i}"))?;
        p.facts.image_size = total_size([p.facts.image_size, d.size])?;
        let (architecture, os) = d.platform.unwrap_or((None, None));
        p.facts.references.push(PlatformRef {
            digest: d.digest.clone(),
            architecture,
            os,
        });
        p.children.push(d.digest);
    }
    Ok(())
}

/// The sum of descriptor sizes (each already non-negative), or an error when it does not fit
/// in an `i64`: crafted sizes near `i64::MAX` must be a 400, not a wrapped negative
/// `imageSize` (or a panic in a debug build).
fn total_size(sizes: impl IntoIterator<Item = i64>) -> Result<i64, String> {
    sizes
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or_else(|| "the descriptors' sizes add up to more than 2^63-1 bytes".to_string())
}

/// `architecture` and `os` of an image config blob, when it is one.
pub fn platform_of_config(config: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(v) = serde_json::from_slice::<Value>(config) else {
        return (None, None);
    };
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    (s("architecture"), s("os"))
}

/// Config media types that describe a container image (their blob has `architecture`/`os`).
pub fn is_image_config(media_type: &str) -> bool {
    matches!(
        media_type,
        "application/vnd.oci.image.config.v1+json"
            | "application/vnd.docker.container.image.v1+json"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    fn oci_image() -> Value {
        json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": d('c'), "size": 7},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d('a'), "size": 100},
                       {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "digest": d('f'), "size": 5}]})
    }

    #[test]
    fn image_manifests_list_their_blobs() {
        let p = parse(Some(OCI_MANIFEST), oci_image().to_string().as_bytes()).unwrap();
        assert_eq!(p.facts.media_type, OCI_MANIFEST);
        assert_eq!(p.blobs, vec![d('c'), d('a')]);
        assert_eq!(p.facts.image_size, 112);
        assert_eq!(
            p.facts.config_media_type.as_deref(),
            Some("application/vnd.oci.image.config.v1+json")
        );
        assert!(!p.is_index());
        // Without a Content-Type (or a generic one) the body's mediaType decides.
        assert_eq!(
            parse(Some("application/json"), oci_image().to_string().as_bytes())
                .unwrap()
                .facts
                .media_type,
            OCI_MANIFEST
        );
        let mut no_type = oci_image();
        no_type.as_object_mut().unwrap().remove("mediaType");
        assert_eq!(
            parse(None, no_type.to_string().as_bytes())
                .unwrap()
                .facts
                .media_type,
            OCI_MANIFEST
        );
        assert_eq!(
            parse(Some(DOCKER_MANIFEST), no_type.to_string().as_bytes())
                .unwrap()
                .facts
                .media_type,
            DOCKER_MANIFEST
        );
    }

    #[test]
    fn indexes_list_children_and_platforms() {
        let idx = json!({"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": [
            {"mediaType": DOCKER_MANIFEST, "digest": d('1'), "size": 10, "platform": {"architecture": "amd64", "os": "linux"}},
            {"mediaType": DOCKER_MANIFEST, "digest": d('2'), "size": 20}]});
        let p = parse(Some(DOCKER_LIST), idx.to_string().as_bytes()).unwrap();
        assert!(p.is_index());
        assert_eq!(p.children, vec![d('1'), d('2')]);
        assert_eq!(
            p.facts.references[0],
            PlatformRef {
                digest: d('1'),
                architecture: Some("amd64".into()),
                os: Some("linux".into())
            }
        );
        assert_eq!(p.facts.image_size, 30);
    }

    #[test]
    fn referrers_facts() {
        let mut m = oci_image();
        m["subject"] = json!({"mediaType": OCI_MANIFEST, "digest": d('9'), "size": 1});
        m["artifactType"] = json!("application/vnd.example.sbom");
        m["annotations"] = json!({"k": "v"});
        let p = parse(Some(OCI_MANIFEST), m.to_string().as_bytes()).unwrap();
        assert_eq!(p.facts.subject, Some(d('9')));
        assert_eq!(
            p.facts.artifact_type.as_deref(),
            Some("application/vnd.example.sbom")
        );
        assert_eq!(p.facts.annotations.as_deref(), Some("{\"k\":\"v\"}"));
    }

    #[test]
    fn rejects_what_is_not_a_valid_manifest() {
        let bad: Vec<(Option<&str>, Value)> = vec![
            (Some(OCI_MANIFEST), json!([1])),
            (Some(OCI_MANIFEST), json!({"schemaVersion": 1})),
            (Some(DOCKER_MANIFEST), oci_image()),
            (
                Some("application/vnd.docker.distribution.manifest.v1+prettyjws"),
                json!({"schemaVersion": 2}),
            ),
            (
                Some(OCI_MANIFEST),
                json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST}),
            ),
            (
                Some(OCI_MANIFEST),
                json!({"schemaVersion": 2, "config": {"mediaType": "x", "digest": "sha256:nope", "size": 1}}),
            ),
            (
                Some(OCI_MANIFEST),
                json!({"schemaVersion": 2, "config": {"mediaType": "x", "digest": d('a'), "size": -1}}),
            ),
            (
                Some(OCI_INDEX),
                json!({"schemaVersion": 2, "manifests": {}}),
            ),
            (
                Some(DOCKER_MANIFEST),
                json!({"schemaVersion": 2, "mediaType": DOCKER_MANIFEST,
                "config": {"mediaType": "x", "digest": d('a'), "size": 1}, "layers": [],
                "subject": {"mediaType": "x", "digest": d('b'), "size": 1}}),
            ),
        ];
        for (ct, body) in bad {
            assert!(parse(ct, body.to_string().as_bytes()).is_err(), "{body}");
        }
        assert!(parse(Some(OCI_MANIFEST), b"not json").is_err());
    }

    /// Finding 5: `i64::MAX` plus one byte wrapped to a negative imageSize (a panic in debug).
    #[test]
    fn sizes_that_overflow_are_rejected() {
        let image = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "x", "digest": d('a'), "size": i64::MAX},
            "layers": [{"mediaType": "y", "digest": d('b'), "size": 1}]});
        let err = parse(Some(OCI_MANIFEST), image.to_string().as_bytes()).unwrap_err();
        assert!(err.contains("sizes"), "{err}");
        let index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": d('1'), "size": i64::MAX},
            {"mediaType": OCI_MANIFEST, "digest": d('2'), "size": 1}]});
        assert!(parse(Some(OCI_INDEX), index.to_string().as_bytes()).is_err());
        let fits = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "x", "digest": d('a'), "size": i64::MAX - 1},
            "layers": [{"mediaType": "y", "digest": d('b'), "size": 1}]});
        assert_eq!(
            parse(Some(OCI_MANIFEST), fits.to_string().as_bytes())
                .unwrap()
                .facts
                .image_size,
            i64::MAX
        );
    }

    #[test]
    fn config_platform() {
        assert_eq!(
            platform_of_config(br#"{"architecture":"arm64","os":"linux"}"#),
            (Some("arm64".into()), Some("linux".into()))
        );
        assert_eq!(platform_of_config(b"\x00"), (None, None));
        assert!(is_image_config(
            "application/vnd.docker.container.image.v1+json"
        ));
        assert!(!is_image_config("application/vnd.oci.empty.v1+json"));
    }
}
