//! JSON parsing with positioned errors, and format classification.
use serde_json::Value;

use crate::{ArtifactKind, Rejection};

/// What a parsed JSON document looks like.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Looks {
    /// CycloneDX BOM; `vex` when it carries vulnerabilities[].analysis and no/few components.
    CycloneDx,
    /// SPDX 2.x JSON (`spdxVersion`) or SPDX 3 JSON-LD (`@context` https://spdx.org/rdf/3…).
    Spdx,
    OpenVex,
    Csaf {
        category: String,
    },
    Unknown,
}

pub(crate) struct Sniffed {
    pub looks: Looks,
    pub cdx_vex: bool,
}

impl Sniffed {
    pub fn kind(&self) -> ArtifactKind {
        match &self.looks {
            Looks::CycloneDx if self.cdx_vex => ArtifactKind::Vex,
            Looks::CycloneDx => ArtifactKind::Sbom,
            Looks::Spdx => ArtifactKind::Sbom,
            Looks::OpenVex => ArtifactKind::Vex,
            Looks::Csaf { category } if category == "csaf_vex" => ArtifactKind::Vex,
            Looks::Csaf { .. } => ArtifactKind::Advisory,
            Looks::Unknown => ArtifactKind::Document,
        }
    }
    pub fn describe(&self) -> String {
        if self.cdx_vex {
            "a CycloneDX VEX document".to_string()
        } else {
            self.looks.describe()
        }
    }
}

impl Looks {
    pub fn describe(&self) -> String {
        match self {
            Looks::CycloneDx => "a CycloneDX BOM".to_string(),
            Looks::Spdx => "an SPDX SBOM".to_string(),
            Looks::OpenVex => "an OpenVEX document".to_string(),
            Looks::Csaf { category } if category == "csaf_vex" => "a CSAF VEX document (csaf_vex)".to_string(),
            Looks::Csaf { category } => format!("a CSAF advisory ({category})"),
            Looks::Unknown => "an unrecognised JSON document".to_string(),
        }
    }
    pub fn kind(&self) -> ArtifactKind {
        Sniffed { looks: self.clone(), cdx_vex: false }.kind()
    }
}

/// Strip a UTF-8 byte order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes)
}

fn first_non_ws(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Parse JSON, rejecting with the line/column of the first syntax error.
pub(crate) fn parse(bytes: &[u8], kind: ArtifactKind) -> Result<Value, Rejection> {
    let bytes = strip_bom(bytes);
    if first_non_ws(bytes).is_none() {
        return Err(Rejection::whole(format!("empty upload: expected a JSON {kind} document")));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Rejection::whole("not a JSON object: the document must be a JSON object ({…})")),
        Err(e) => {
            let hint = match first_non_ws(bytes) {
                Some(b'<') => " (this looks like XML; only the JSON encoding is accepted)",
                _ if bytes.starts_with(b"%PDF-") => " (this is a PDF; upload it as kind document)",
                _ => "",
            };
            let what = if e.is_eof() { "truncated JSON" } else { "not valid JSON" };
            let msg = format!("{what}{hint}: {e} (line {}, column {})", e.line(), e.column());
            Err(Rejection::whole(msg))
        }
    }
}

pub(crate) fn classify(v: &Value) -> Looks {
    let Some(obj) = v.as_object() else { return Looks::Unknown };
    if let Some(cat) = v.pointer("/document/csaf_version").and(v.pointer("/document/category")) {
        return Looks::Csaf { category: cat.as_str().unwrap_or_default().to_string() };
    }
    if v.pointer("/document/csaf_version").is_some() {
        return Looks::Csaf { category: String::new() };
    }
    if let Some(ctx) = obj.get("@context").and_then(Value::as_str) {
        if ctx.contains("openvex") {
            return Looks::OpenVex;
        }
    }
    if is_spdx(v) {
        return Looks::Spdx;
    }
    let schema_cdx = obj.get("$schema").and_then(Value::as_str).is_some_and(|s| s.contains("cyclonedx"));
    if obj.contains_key("bomFormat")
        || schema_cdx
        || (obj.contains_key("specVersion") && obj.contains_key("components"))
    {
        return Looks::CycloneDx;
    }
    Looks::Unknown
}

/// SPDX 2.x JSON has `spdxVersion`; SPDX 3 JSON-LD names an spdx.org/rdf/3 context.
pub(crate) fn is_spdx(v: &Value) -> bool {
    if v.get("spdxVersion").is_some() {
        return true;
    }
    let spdx3 = |c: &Value| c.as_str().is_some_and(|s| s.contains("spdx.org/rdf/3"));
    match v.get("@context") {
        Some(c @ Value::String(_)) => spdx3(c),
        Some(Value::Array(list)) => list.iter().any(spdx3),
        _ => false,
    }
}

/// Whether a CycloneDX BOM is "mostly VEX": it has vulnerabilities with analysis and
/// no more components than analysed vulnerabilities.
pub(crate) fn cdx_is_vex(v: &Value) -> bool {
    let analysed = v
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|x| x.get("analysis").is_some()).count())
        .unwrap_or(0);
    let comps = v.get("components").and_then(Value::as_array).map(Vec::len).unwrap_or(0);
    analysed > 0 && comps <= analysed
}

/// Cheap check whether bytes are a recognised structured security document (JSON).
pub(crate) fn sniff_structured(bytes: &[u8]) -> Option<Sniffed> {
    let bytes = strip_bom(bytes);
    if first_non_ws(bytes) != Some(b'{') {
        return None;
    }
    let v: Value = serde_json::from_slice(bytes).ok()?;
    let looks = classify(&v);
    if looks == Looks::Unknown {
        return None;
    }
    let cdx_vex = looks == Looks::CycloneDx && cdx_is_vex(&v);
    Some(Sniffed { looks, cdx_vex })
}

// ---- small Value helpers used by the format modules ----

pub(crate) fn s(v: &Value, ptr: &str) -> Option<String> {
    v.pointer(ptr).and_then(Value::as_str).map(str::to_string)
}

pub(crate) fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

pub(crate) fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// Escape one JSON pointer token.
pub(crate) fn ptr_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}
