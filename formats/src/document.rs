//! Free-form documents: PDF, HTML, Markdown, plain text — by content sniffing.
use crate::json::strip_bom;
use crate::{Analysis, DocumentFacts, Rejection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocType {
    Pdf,
    Html,
    Markdown,
    Text,
}

/// Known binary signatures that are never an accepted document.
const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/ODF/JAR file)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x7FELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xFD7zXZ\x00", "an xz archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"\x28\xB5\x2F\xFD", "a zstd archive"),
    (b"Rar!\x1A\x07", "a RAR archive"),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "a legacy Microsoft Office file"),
    (b"\xCA\xFE\xBA\xBE", "a Java class / Mach-O file"),
    (b"\xCF\xFA\xED\xFE", "a Mach-O executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"RIFF", "a RIFF media file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xFF\xFE", "UTF-16 text (only UTF-8 is accepted)"),
    (b"\xFE\xFF", "UTF-16 text (only UTF-8 is accepted)"),
];

pub(crate) fn sniff(bytes: &[u8]) -> Result<DocType, Rejection> {
    if bytes.starts_with(b"%PDF-") {
        return Ok(DocType::Pdf);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Rejection::whole("empty document"));
    }
    for (magic, what) in BINARY_MAGIC {
        if bytes.starts_with(magic) {
            return Err(Rejection::whole(format!(
                "unsupported document: this is {what}; accepted documents are PDF, HTML, Markdown and UTF-8 text"
            )));
        }
    }
    let body = strip_bom(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            return Err(Rejection::whole(format!(
                "unsupported document: binary or non-UTF-8 content (invalid UTF-8 at byte {}); accepted documents are PDF, HTML, Markdown and UTF-8 text",
                e.valid_up_to()
            )))
        }
    };
    let controls =
        text.chars().take(64 * 1024).filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C')).count();
    if controls > 0 {
        return Err(Rejection::whole(format!(
            "unsupported document: binary content ({controls} control characters); accepted documents are PDF, HTML, Markdown and UTF-8 text"
        )));
    }
    if is_html(text) {
        return Ok(DocType::Html);
    }
    if is_markdown(text) {
        return Ok(DocType::Markdown);
    }
    Ok(DocType::Text)
}

fn head_lower(text: &str, n: usize) -> String {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_ascii_lowercase()
}

fn is_html(text: &str) -> bool {
    let head = head_lower(text.trim_start(), 2048);
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    let head = head.strip_prefix("<?xml").map(|_| head.as_str()).unwrap_or(head.as_str());
    head.starts_with('<') && ["<html", "<head", "<body", "<title"].iter().any(|t| head.contains(t))
}

fn is_markdown(text: &str) -> bool {
    let mut score = 0;
    for line in text.lines().take(400) {
        let l = line.trim_start();
        let hashes = l.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && l[hashes..].starts_with(' ') {
            score += 2;
        }
        if l.starts_with("```") || l.starts_with("~~~") {
            score += 2;
        }
        if l.starts_with("|") && l.contains("---") {
            score += 2;
        }
        if (l.starts_with("- ") || l.starts_with("* ") || l.starts_with("+ ")) && l.len() > 2 {
            score += 1;
        }
        if l.contains("](") && l.contains('[') {
            score += 1;
        }
        if l.contains("**") || l.starts_with("> ") {
            score += 1;
        }
        if score >= 2 {
            return true;
        }
    }
    false
}

fn html_title(text: &str) -> Option<String> {
    let lower = head_lower(text, 64 * 1024);
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let t = text.get(open_end..close)?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn md_title(text: &str) -> Option<String> {
    text.lines()
        .take(200)
        .map(str::trim)
        .find(|l| l.starts_with("# "))
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .filter(|t| !t.is_empty())
}

fn pdf_version(bytes: &[u8]) -> Option<String> {
    let rest = bytes.get(5..13)?;
    let v: String = rest.iter().take_while(|b| b.is_ascii_digit() || **b == b'.').map(|b| *b as char).collect();
    (!v.is_empty()).then_some(v)
}

pub(crate) fn analyze(bytes: &[u8]) -> Result<Analysis, Rejection> {
    let t = sniff(bytes)?;
    let text = std::str::from_utf8(strip_bom(bytes)).unwrap_or_default();
    let (format, media, title, pdfv) = match t {
        DocType::Pdf => {
            if !bytes.windows(5).rev().take(2048).any(|w| w == b"%%EOF") {
                return Err(Rejection::whole("truncated PDF: no %%EOF marker near the end of the file"));
            }
            ("pdf", "application/pdf", None, pdf_version(bytes))
        }
        DocType::Html => ("html", "text/html", html_title(text), None),
        DocType::Markdown => ("markdown", "text/markdown", md_title(text), None),
        DocType::Text => ("text", "text/plain", None, None),
    };
    let mut a = Analysis::new(format, media);
    a.document = Some(DocumentFacts { title, pdf_version: pdfv, size_bytes: bytes.len() });
    Ok(a)
}
