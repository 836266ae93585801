//! Word files (.docx) become the Markdown the importer reads, so that a Word
//! draft gets the same preview, keys and translation matching as a Markdown one,
//! and the organizer can correct the converted text before saving it.
//!
//! The structure comes from paragraph styles resolved through `word/styles.xml`:
//! a style's outline level, else its built-in name (`heading 2`, stored in
//! English whatever Word's language), else its id (`Heading2`, `Titre2`,
//! `berschrift2`…), following `basedOn`. The display name is never used: it is
//! translated. Numbering comes from `word/numbering.xml`, so an auto-numbered
//! heading keeps the "Article 3" that gives its key.
//!
//! Kept: the title, headings, paragraphs, lists, bold and italic; a field keeps
//! its displayed result as plain text, a link its text. Left out, and counted so
//! the preview can say so: tables, images and text boxes, equations, footnotes,
//! comments, the table of contents. Hidden text is left out silently. Tracked
//! changes are refused: which version is meant is the organizer's decision.

use super::import::{self, ImportError, MAX_DRAFT_BYTES};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

mod convert;
mod markdown;
mod numbering;
mod styles;

use convert::*;
use markdown::*;
use numbering::*;
use styles::*;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Compound files: Word 97–2003 documents, and any password-protected Word file.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The uncompressed size allowed per XML part. A 1 MB upload must not expand
/// into gigabytes (a zip bomb); Word's XML runs about ten times the text it
/// holds, and the text may be at most [`MAX_DRAFT_BYTES`].
pub const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("the file is not a Word document (.docx)")]
    NotWord,
    #[error("the file is an old Word document (.doc) or a password-protected one")]
    Legacy,
    #[error("the Word document cannot be read: {0}")]
    Damaged(String),
    #[error("{0} in the Word document takes more than 16 MB once uncompressed")]
    TooLarge(&'static str),
    #[error("the Word document has tracked changes")]
    TrackedChanges,
}

impl DocxError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::NotWord => "import-error-docx-not-word",
            Self::Legacy => "import-error-docx-legacy",
            Self::Damaged(_) => "import-error-docx-damaged",
            Self::TooLarge(_) => "import-error-docx-too-large",
            Self::TrackedChanges => "import-error-docx-tracked-changes",
        }
    }
}

/// What a Word file held that its Markdown does not.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub tables: usize,
    pub images: usize,
    pub equations: usize,
    pub footnotes: usize,
    pub comments: usize,
    pub contents: usize,
}

impl LeftOut {
    /// Each kind left out, as its Fluent message (which takes `$count`) and count.
    pub fn messages(&self) -> Vec<(&'static str, usize)> {
        [
            ("import-docx-left-out-tables", self.tables),
            ("import-docx-left-out-images", self.images),
            ("import-docx-left-out-equations", self.equations),
            ("import-docx-left-out-footnotes", self.footnotes),
            ("import-docx-left-out-comments", self.comments),
            ("import-docx-left-out-contents", self.contents),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

/// An uploaded draft as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub markdown: String,
    pub left_out: LeftOut,
}

/// Reads an uploaded draft, Markdown or Word, told apart by content. The file
/// name only sharpens the message for a file called `.docx` that is not one.
pub fn read_upload(bytes: &[u8], file_name: &str) -> Result<Converted, ImportError> {
    if bytes.len() > MAX_DRAFT_BYTES {
        return Err(ImportError::TooLarge);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(to_markdown(bytes)?);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(DocxError::Legacy.into());
    }
    if file_name.to_ascii_lowercase().ends_with(".docx") {
        return Err(DocxError::NotWord.into());
    }
    Ok(Converted {
        markdown: import::decode(bytes)?.to_string(),
        left_out: LeftOut::default(),
    })
}

pub fn to_markdown(bytes: &[u8]) -> Result<Converted, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Damaged(e.to_string()))?;
    let document = read_part(&mut archive, "word/document.xml")?.ok_or(DocxError::NotWord)?;
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    let numbering = match read_part(&mut archive, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    Converter {
        styles: &styles,
        numbering: &numbering,
        counters: Counters::default(),
        out: Markdown::default(),
        left_out: LeftOut::default(),
    }
    .run(&document)
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &'static str,
) -> Result<Option<String>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Damaged(e.to_string())),
    };
    // Counted while inflating: the size the archive declares can lie.
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DocxError::Damaged(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge(name));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| DocxError::Damaged(format!("{name} is not UTF-8")))
}

fn damaged(e: impl std::fmt::Display) -> DocxError {
    DocxError::Damaged(e.to_string())
}

fn local_name<'a>(e: &'a BytesStart<'_>) -> &'a str {
    e.local_name().into_inner()
}

/// The `w:val` (or any prefix's `val`) attribute.
fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// An on/off property such as `<w:b/>` or `<w:b w:val="0"/>`.
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off" | "none"))
}

fn number<T: std::str::FromStr>(e: &BytesStart<'_>) -> Option<T> {
    val(e).and_then(|v| v.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::docx_fixture::*;

    fn convert(body: &str) -> String {
        to_markdown(&docx(body, &english_styles(), Some(NUMBERING)))
            .unwrap()
            .markdown
    }

    #[test]
    fn english_heading_styles_give_the_structure_and_the_title() {
        let md = convert(
            &[
                para("Title", "Protocol on platforms"),
                para("", "Preamble text."),
                para("Heading1", "Chapter I General"),
                para("Heading2", "Article 1 Scope"),
                para("", "Parties shall act."),
            ]
            .concat(),
        );
        assert_eq!(
            md,
            "# Protocol on platforms\n\nPreamble text.\n\n# Chapter I General\n\n\
             ## Article 1 Scope\n\nParties shall act.\n"
        );
        let draft = import::parse(&md, 2).unwrap();
        assert_eq!(draft.title, "Protocol on platforms");
        assert_eq!(draft.provisions[0].key, "art-1");
    }

    #[test]
    fn french_and_german_heading_style_ids_are_headings_without_their_english_names() {
        // Word in French writes id "Titre2" with the built-in name; a file
        // written by other tools may carry only the id, or only an outline level.
        let styles = styles(&[
            ("Titre", "Title", None),
            ("Titre2", "heading 2", None),
            ("berschrift3", "Überschrift 3", None),
            ("Article", "Article du protocole", Some(1)),
        ]);
        let body = [
            para("Titre", "Protocole"),
            para("Titre2", "Article premier — Portée"),
            para("berschrift3", "Absatz"),
            para("Article", "Article 2 Données"),
            para("Undefined", "Texte"),
        ]
        .concat();
        let md = to_markdown(&docx(&body, &styles, None)).unwrap().markdown;
        assert_eq!(
            md,
            "# Protocole\n\n## Article premier — Portée\n\n### Absatz\n\n\
             ## Article 2 Données\n\nTexte\n"
        );
    }

    #[test]
    fn a_style_based_on_a_heading_is_a_heading_and_outline_level_nine_is_body_text() {
        let styles = styles(&[
            ("Heading2", "heading 2", None),
            ("ArticleHeading", "Article heading", None),
            ("Plain", "Plain", Some(9)),
        ])
        .replace(
            "<w:name w:val=\"Article heading\"/>",
            "<w:name w:val=\"Article heading\"/><w:basedOn w:val=\"Heading2\"/>",
        );
        let body = [para("ArticleHeading", "Article 4"), para("Plain", "Text")].concat();
        let md = to_markdown(&docx(&body, &styles, None)).unwrap().markdown;
        assert_eq!(md, "## Article 4\n\nText\n");
    }

    #[test]
    fn bold_and_italic_runs_are_kept_and_markup_characters_are_escaped() {
        let body = format!(
            "<w:p>{}{}{}{}</w:p><w:p>{}</w:p>",
            run("Parties ", ""),
            run("shall", "<w:b/>"),
            run(" act ", ""),
            run("promptly", "<w:i/>"),
            run("# 1. *not* <b>markup</b>", ""),
        );
        let md = convert(&body);
        assert_eq!(
            md,
            "Parties **shall** act *promptly*\n\n\\# 1. \\*not\\* \\<b\\>markup\\</b\\>\n"
        );
        let html = crate::markdown::to_html(&md);
        assert!(html.contains("<strong>shall</strong>") && html.contains("<em>promptly</em>"));
        assert!(
            html.contains("# 1. *not* &lt;b&gt;markup&lt;/b&gt;"),
            "{html}"
        );
    }

    #[test]
    fn bullets_and_numbered_lists_become_markdown_lists_and_letters_stay_letters() {
        let body = [
            para("", "Parties shall:"),
            list_para(2, 0, "publish reports;"),
            list_para(2, 1, "in plain words;"),
            list_para(2, 0, "keep records."),
            para("", "Bullets:"),
            list_para(1, 0, "one"),
            list_para(1, 0, "two"),
            list_para(3, 0, "first lettered"),
            list_para(3, 0, "second lettered"),
        ]
        .concat();
        assert_eq!(
            convert(&body),
            "Parties shall:\n\n1. publish reports;\n    1. in plain words;\n2. keep records.\n\n\
             Bullets:\n\n- one\n- two\n\n(a) first lettered\n\n(b) second lettered\n"
        );
    }

    #[test]
    fn auto_numbered_headings_keep_the_number_that_gives_their_key() {
        let styles = styles(&[("Heading2", "heading 2", None)]).replace(
            "<w:name w:val=\"heading 2\"/>",
            "<w:name w:val=\"heading 2\"/><w:pPr><w:numPr><w:numId w:val=\"4\"/></w:numPr></w:pPr>",
        );
        let body = [
            para("Heading2", "Scope"),
            para("", "a"),
            para("Heading2", "Data"),
            para("", "b"),
        ]
        .concat();
        let md = to_markdown(&docx(&body, &styles, Some(NUMBERING)))
            .unwrap()
            .markdown;
        let draft = import::parse(&md, 2).unwrap();
        let keys: Vec<_> = draft.provisions.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["art-1", "art-2"]);
        assert_eq!(draft.provisions[1].heading, "Data");
    }

    #[test]
    fn tables_images_footnotes_comments_and_hidden_text_are_left_out_and_counted() {
        let body = format!(
            "<w:p>{}<w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:commentReference w:id=\"0\"/></w:r>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r>\
             <w:r><w:drawing><wp:inline><a:t>picture text</a:t></wp:inline></w:drawing></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>REF x</w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>\
             <w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            run("See ", ""),
            run("Article 2", ""),
            para("", "cell text"),
        );
        let converted = to_markdown(&docx(&body, &english_styles(), None)).unwrap();
        assert_eq!(converted.markdown, "See Article 2\n");
        assert_eq!(
            converted.left_out,
            LeftOut {
                tables: 1,
                images: 1,
                footnotes: 1,
                comments: 1,
                ..LeftOut::default()
            }
        );
    }

    #[test]
    fn tracked_changes_are_refused() {
        for change in [
            "<w:ins w:id=\"1\" w:author=\"A\"><w:r><w:t>new</w:t></w:r></w:ins>",
            "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>old</w:delText></w:r></w:del>",
            "<w:moveTo w:id=\"1\" w:author=\"A\"><w:r><w:t>moved</w:t></w:r></w:moveTo>",
            "<w:pPr><w:rPr><w:ins w:id=\"1\" w:author=\"A\"/></w:rPr></w:pPr>",
        ] {
            let body = format!("<w:p>{change}</w:p>");
            assert_eq!(
                to_markdown(&docx(&body, &english_styles(), None)),
                Err(DocxError::TrackedChanges),
                "{change}"
            );
        }
    }

    #[test]
    fn a_zip_that_is_not_a_word_document_is_refused() {
        let odt = zip_of(&[("content.xml", "<office:document/>")]);
        assert_eq!(
            read_upload(&odt, "draft.docx"),
            Err(ImportError::Docx(DocxError::NotWord))
        );
        let truncated = &docx(&para("", "x"), &english_styles(), None)[..60];
        assert!(matches!(
            read_upload(truncated, "draft.docx"),
            Err(ImportError::Docx(DocxError::Damaged(_)))
        ));
        assert_eq!(
            read_upload(b"<html><body>hi</body></html>", "draft.docx"),
            Err(ImportError::Docx(DocxError::NotWord))
        );
        assert_eq!(
            read_upload(OLE_MAGIC, "draft.doc"),
            Err(ImportError::Docx(DocxError::Legacy))
        );
        assert_eq!(
            read_upload(b"## Article 1\ntext\n", "draft.md").map(|c| c.markdown),
            Ok("## Article 1\ntext\n".to_string())
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_without_inflating_it_all() {
        let padding = " ".repeat(MAX_PART_BYTES as usize + 1);
        let body = format!("<w:p>{}</w:p>{padding}", run("x", ""));
        let bomb = docx(&body, &english_styles(), None);
        assert!(bomb.len() < MAX_DRAFT_BYTES, "{}", bomb.len());
        assert_eq!(
            read_upload(&bomb, "bomb.docx"),
            Err(ImportError::Docx(DocxError::TooLarge("word/document.xml")))
        );
    }

    #[test]
    fn numbers_are_written_as_word_writes_them() {
        assert_eq!(letters(1), "a");
        assert_eq!(letters(27), "aa");
        assert_eq!(roman(14), "XIV");
        assert_eq!(format_number(3, "lowerRoman"), "iii");
    }
}
