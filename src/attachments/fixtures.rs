//! The smallest real files of each accepted kind, and files that only
//! pretend to be one, for tests. Shared by the unit tests and, through
//! `#[path]`, by the API tests.
// Each of the two test crates uses only some of these.
#![allow(dead_code)]

use std::io::{Cursor, Write};

/// A one-page PDF showing `text` (plain ASCII, no parentheses) in Helvetica,
/// with a correct cross-reference table; `trailer_extra` goes into the
/// trailer dictionary (e.g. an `/Encrypt` reference).
fn pdf_with(text: &str, extra_objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let content = format!("BT /F1 24 Tf 72 700 Td ({text}) Tj ET");
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    objects.extend(extra_objects.iter().map(|o| o.to_string()));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

pub fn pdf(text: &str) -> Vec<u8> {
    pdf_with(text, &[], "")
}

/// A PDF whose trailer says it is encrypted (RC4, 40 bits).
pub fn encrypted_pdf() -> Vec<u8> {
    pdf_with(
        "Secret",
        &["<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 \
           /O <0000000000000000000000000000000000000000000000000000000000000000> \
           /U <0000000000000000000000000000000000000000000000000000000000000000> >>"],
        "/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ",
    )
}

/// A ZIP archive of the given files, deflated (OpenDocument's `mimetype`
/// first, as the format asks).
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A Word document of one paragraph per line of `text`.
pub fn docx(text: &str) -> Vec<u8> {
    let paragraphs: String = text
        .lines()
        .map(|l| format!("<w:p><w:r><w:t xml:space=\"preserve\">{l}</w:t></w:r></w:p>"))
        .collect();
    docx_of_body(&paragraphs)
}

fn docx_of_body(body: &str) -> Vec<u8> {
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// An OpenDocument text of one paragraph per line of `text`.
pub fn odt(text: &str) -> Vec<u8> {
    let paragraphs: String = text
        .lines()
        .map(|l| format!("<text:p>{l}</text:p>"))
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">\
         <office:body><office:text>{paragraphs}</office:text></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

/// A Word document of a few kilobytes whose text part inflates to 5 MB of
/// blanks: a thousand times its compressed size.
pub fn zip_bomb() -> Vec<u8> {
    docx_of_body(&format!(
        "<w:p><w:r><w:t>Boom</w:t></w:r></w:p>{}",
        " ".repeat(5 * 1024 * 1024)
    ))
}

/// A web page, named as a PDF by whoever sends it.
pub const HTML: &[u8] =
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
