//! Minimal Word files for tests, written part by part so that a test can hold
//! exactly the styles, numbering and revisions it is about (docx-rs cannot
//! write a French style id or a tracked change the way Word does). Shared by the
//! unit tests and, through `#[path]`, by the API tests.
// Each of the two test crates uses only some of these.
#![allow(dead_code)]

use std::io::{Cursor, Write};

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A paragraph of one plain run; `style` "" is the default paragraph style.
pub fn para(style: &str, text: &str) -> String {
    let ppr = if style.is_empty() {
        String::new()
    } else {
        format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")
    };
    format!("<w:p>{ppr}{}</w:p>", run(text, ""))
}

/// A run; `rpr` holds its formatting, e.g. `<w:b/>`.
pub fn run(text: &str, rpr: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    format!("<w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

/// A paragraph of list `num` (see [`NUMBERING`]) at level `ilvl`.
pub fn list_para(num: u32, ilvl: u8, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"{ilvl}\"/>\
         <w:numId w:val=\"{num}\"/></w:numPr></w:pPr>{}</w:p>",
        run(text, "")
    )
}

/// Paragraph styles as (id, built-in name, outline level).
pub fn styles(list: &[(&str, &str, Option<u8>)]) -> String {
    let styles: String = list
        .iter()
        .map(|(id, name, outline)| {
            let ppr = outline.map_or(String::new(), |l| {
                format!("<w:pPr><w:outlineLvl w:val=\"{l}\"/></w:pPr>")
            });
            format!(
                "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{ppr}</w:style>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {W}>\
         <w:docDefaults><w:rPrDefault><w:rPr><w:b w:val=\"0\"/></w:rPr></w:rPrDefault></w:docDefaults>\
         <w:latentStyles><w:lsdException w:name=\"heading 1\" w:uiPriority=\"9\"/></w:latentStyles>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
         {styles}</w:styles>"
    )
}

/// The styles of an English Word: Title, Heading 1 to 3, List Paragraph.
pub fn english_styles() -> String {
    styles(&[
        ("Title", "Title", None),
        ("Heading1", "heading 1", Some(0)),
        ("Heading2", "heading 2", Some(1)),
        ("Heading3", "heading 3", Some(2)),
        ("ListParagraph", "List Paragraph", None),
    ])
}

/// List 1: bullets; 2: "1." with "1." below; 3: "(a)"; 4: "Article 1" on
/// Heading 2.
pub const NUMBERING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:abstractNum w:abstractNumId=\"1\">\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/></w:lvl>\
<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"o\"/></w:lvl>\
</w:abstractNum>\
<w:abstractNum w:abstractNumId=\"2\">\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>\
<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%2.\"/></w:lvl>\
</w:abstractNum>\
<w:abstractNum w:abstractNumId=\"3\">\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"(%1)\"/></w:lvl>\
</w:abstractNum>\
<w:abstractNum w:abstractNumId=\"4\">\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"Article %1\"/>\
<w:pStyle w:val=\"Heading2\"/></w:lvl>\
</w:abstractNum>\
<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>\
<w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\"/></w:num>\
<w:num w:numId=\"3\"><w:abstractNumId w:val=\"3\"/></w:num>\
<w:num w:numId=\"4\"><w:abstractNumId w:val=\"4\"/></w:num>\
</w:numbering>";

/// A .docx holding `body` (the content of `w:body`), as Word would open it.
pub fn docx(body: &str, styles: &str, numbering: Option<&str>) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {W} \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    );
    let rel = |id: &str, kind: &str, target: &str| {
        format!(
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{target}\"/>"
        )
    };
    let mut rels = rel("rId1", "styles", "styles.xml");
    let mut overrides = String::new();
    if numbering.is_some() {
        rels.push_str(&rel("rId2", "numbering", "numbering.xml"));
        overrides.push_str("<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>");
    }
    let content_types = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
         {overrides}</Types>"
    );
    let relationships = |inner: String| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{inner}</Relationships>"
        )
    };
    let package_rels = relationships(rel("rId1", "officeDocument", "word/document.xml"));
    let document_rels = relationships(rels);
    let mut parts = vec![
        ("[Content_Types].xml", content_types.as_str()),
        ("_rels/.rels", package_rels.as_str()),
        ("word/_rels/document.xml.rels", document_rels.as_str()),
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", styles),
    ];
    if let Some(numbering) = numbering {
        parts.push(("word/numbering.xml", numbering));
    }
    zip_of(&parts)
}

/// A ZIP archive of the given files, deflated.
pub fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in files {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
