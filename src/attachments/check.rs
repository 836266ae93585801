//! What an uploaded file is, told by its content alone, and the text it
//! holds. A name is believed for nothing: it can only make a file refused,
//! when it claims one accepted type and the content is another.
//!
//! Everything here reads a file that is at most `storage.attachment_max_bytes`
//! long and bounds what it inflates: a ZIP archive whose entries would expand
//! past [`MAX_UNCOMPRESSED`] (or past [`MAX_RATIO`] times their compressed
//! size) is a zip bomb, and a PDF page's content streams are decompressed
//! under the same bound.

use quick_xml::events::Event;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

crate::text_enum! {
    /// The kinds of position paper accepted.
    pub enum Kind {
        Pdf => "pdf",
        Docx => "docx",
        Odt => "odt",
    }
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Odt => "application/vnd.oasis.opendocument.text",
        }
    }

    /// What the file name says the file is, when it names an accepted kind.
    fn claimed_by(file_name: &str) -> Option<Kind> {
        let (_, extension) = file_name.rsplit_once('.')?;
        Kind::parse(&extension.to_ascii_lowercase())
    }
}

/// Why an upload is refused; each is the participant's to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not a PDF, Word (.docx) or OpenDocument (.odt) file")]
    NotAccepted,
    #[error("the name says {claimed} but the content is {actual}")]
    NotWhatItClaims { claimed: Kind, actual: Kind },
    #[error("the PDF is encrypted")]
    Encrypted,
    #[error("the file cannot be read: {0}")]
    Damaged(String),
    #[error("the archive would expand too far (a zip bomb)")]
    ZipBomb,
}

impl Refused {
    pub fn message_key(&self) -> &'static str {
        match self {
            Refused::NotAccepted => "attachment-error-type",
            Refused::NotWhatItClaims { .. } => "attachment-error-claims",
            Refused::Encrypted => "attachment-error-encrypted",
            Refused::Damaged(_) => "attachment-error-damaged",
            Refused::ZipBomb => "attachment-error-bomb",
        }
    }
}

/// Total bytes the entries of an archive may expand to.
pub const MAX_UNCOMPRESSED: u64 = 100 * 1024 * 1024;
/// How many times its compressed size a large entry may expand to: text
/// compresses ten- to twentyfold, a bomb a thousandfold.
pub const MAX_RATIO: u64 = 100;
/// Entries below this size are not held to the ratio (a small, repetitive
/// part may compress very well).
const RATIO_FROM: u64 = 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;
/// The text kept for search, in bytes; the rest of a long paper is left out.
pub const MAX_TEXT_BYTES: usize = 1_000_000;

/// An accepted file: its kind by content, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    pub text: String,
}

/// Tells what the file at `path` is and extracts its text; `file_name` (as
/// the participant's browser sent it) may only make it refused.
pub fn check(path: &Path, file_name: &str) -> Result<Checked, Refused> {
    let mut file = File::open(path).map_err(damaged)?;
    let mut head = [0u8; 5];
    let read = file.read(&mut head).map_err(damaged)?;
    file.rewind().map_err(damaged)?;
    let checked = match &head[..read] {
        b"%PDF-" => pdf(file)?,
        [b'P', b'K', 3, 4, ..] => archive(file)?,
        _ => return Err(Refused::NotAccepted),
    };
    match Kind::claimed_by(file_name) {
        Some(claimed) if claimed != checked.kind => Err(Refused::NotWhatItClaims {
            claimed,
            actual: checked.kind,
        }),
        _ => Ok(checked),
    }
}

fn damaged(e: impl std::fmt::Display) -> Refused {
    Refused::Damaged(e.to_string())
}

fn pdf(mut file: File) -> Result<Checked, Refused> {
    // lopdf parses from memory; the file is at most the upload limit.
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(damaged)?;
    // Refused even when it opens without a password: what is encrypted in
    // it cannot be searched, and a reader's copy may not open at all.
    let declares_encryption = || bytes.windows(8).any(|w| w == b"/Encrypt");
    match lopdf::Document::load_metadata_mem(&bytes) {
        Ok(metadata) if metadata.encrypted => return Err(Refused::Encrypted),
        Ok(_) => {}
        Err(_) if declares_encryption() => return Err(Refused::Encrypted),
        Err(e) => return Err(damaged(e)),
    }
    let document = lopdf::Document::load_mem(&bytes).map_err(damaged)?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    // A page whose text cannot be read (an unusual font encoding) leaves
    // the others searchable.
    let mut text = String::new();
    for chunk in document.extract_text_chunks_with_limit(&pages, MAX_UNCOMPRESSED as usize) {
        match chunk {
            Ok(page) => text.push_str(&page),
            Err(lopdf::Error::Decompress(_)) => return Err(Refused::ZipBomb),
            Err(_) => {}
        }
        if text.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    Ok(Checked {
        kind: Kind::Pdf,
        text: bounded(text),
    })
}

type Archive = zip::ZipArchive<BufReader<File>>;

fn archive(file: File) -> Result<Checked, Refused> {
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(damaged)?;
    if zip.len() > MAX_ENTRIES {
        return Err(Refused::ZipBomb);
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(damaged)?;
        let size = entry.size();
        total = total.saturating_add(size);
        if total > MAX_UNCOMPRESSED
            || (size >= RATIO_FROM && size / entry.compressed_size().max(1) > MAX_RATIO)
        {
            return Err(Refused::ZipBomb);
        }
    }
    // OpenDocument: a first entry `mimetype` naming the type. Office Open
    // XML: `[Content_Types].xml` naming the main part's type.
    let mimetype = entry(&mut zip, "mimetype", 200)?;
    if mimetype.as_deref().map(str::trim) == Some("application/vnd.oasis.opendocument.text") {
        let content = entry(&mut zip, "content.xml", MAX_UNCOMPRESSED)?
            .ok_or_else(|| damaged("content.xml is missing"))?;
        return Ok(Checked {
            kind: Kind::Odt,
            text: text_of(&content, &ODT)?,
        });
    }
    let types = entry(&mut zip, "[Content_Types].xml", 1024 * 1024)?.unwrap_or_default();
    if types.contains(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ) {
        let document = entry(&mut zip, "word/document.xml", MAX_UNCOMPRESSED)?
            .ok_or_else(|| damaged("word/document.xml is missing"))?;
        return Ok(Checked {
            kind: Kind::Docx,
            text: text_of(&document, &DOCX)?,
        });
    }
    Err(Refused::NotAccepted)
}

/// An entry as text, inflated at most to `limit` bytes: the sizes an
/// archive declares can lie.
fn entry(zip: &mut Archive, name: &str, limit: u64) -> Result<Option<String>, Refused> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged(e)),
    };
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(format!("{name}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(Refused::ZipBomb);
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| damaged(format!("{name} is not UTF-8")))
}

/// Which elements of a document's XML hold text, and which end a line.
struct Markup {
    text: &'static [&'static str],
    lines: &'static [&'static str],
    tabs: &'static [&'static str],
    /// Text directly inside any element counts (OpenDocument), or only
    /// inside the `text` elements (Word's `w:t`).
    everywhere: bool,
}

const DOCX: Markup = Markup {
    text: &["t"],
    lines: &["p", "br", "cr"],
    tabs: &["tab"],
    everywhere: false,
};

const ODT: Markup = Markup {
    text: &[],
    lines: &["p", "h", "line-break"],
    tabs: &["tab", "s"],
    everywhere: true,
};

fn text_of(xml: &str, markup: &Markup) -> Result<String, Refused> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = 0usize;
    loop {
        let event = reader.read_event().map_err(damaged)?;
        let taking = markup.everywhere || in_text > 0;
        match event {
            Event::Start(e) if markup.text.contains(&e.local_name().into_inner()) => in_text += 1,
            Event::End(e) => {
                let name = e.local_name().into_inner();
                if markup.text.contains(&name) {
                    in_text = in_text.saturating_sub(1);
                } else if markup.lines.contains(&name) {
                    out.push('\n');
                }
            }
            Event::Empty(e) => {
                let name = e.local_name().into_inner();
                if markup.lines.contains(&name) {
                    out.push('\n');
                } else if markup.tabs.contains(&name) {
                    out.push(if name == "s" { ' ' } else { '\t' });
                }
            }
            Event::Text(t) if taking => out.push_str(&t.xml10_content()),
            Event::CData(t) if taking => out.push_str(&t.into_inner()),
            Event::GeneralRef(r) if taking => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(&r).map(String::from)
                };
                out.push_str(c.as_deref().unwrap_or_default());
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    Ok(bounded(out))
}

/// At most [`MAX_TEXT_BYTES`], cut at a character boundary, without the
/// blank runs that layout leaves.
fn bounded(text: String) -> String {
    let mut text = text.replace('\0', "");
    if text.len() > MAX_TEXT_BYTES {
        let mut cut = MAX_TEXT_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachments::fixtures;

    fn checked(bytes: &[u8], name: &str) -> Result<Checked, Refused> {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), bytes).unwrap();
        check(file.path(), name)
    }

    #[test]
    fn pdf_word_and_opendocument_files_are_told_by_content_and_their_text_read() {
        let pdf = checked(&fixtures::pdf("Platforms should publish audits"), "paper").unwrap();
        assert_eq!(pdf.kind, Kind::Pdf);
        assert!(
            pdf.text.contains("Platforms should publish audits"),
            "{:?}",
            pdf.text
        );
        let docx = checked(&fixtures::docx("First &amp; line\nSecond line"), "a.DOCX").unwrap();
        assert_eq!(
            docx,
            Checked {
                kind: Kind::Docx,
                text: "First & line\nSecond line".into()
            }
        );
        let odt = checked(&fixtures::odt("Une ligne\nUne autre"), "note.txt").unwrap();
        assert_eq!(
            odt,
            Checked {
                kind: Kind::Odt,
                text: "Une ligne\nUne autre".into()
            }
        );
    }

    #[test]
    fn a_file_that_is_not_what_it_claims_is_refused() {
        assert_eq!(
            checked(fixtures::HTML, "paper.pdf"),
            Err(Refused::NotAccepted)
        );
        assert_eq!(
            checked(&fixtures::docx("x"), "paper.pdf"),
            Err(Refused::NotWhatItClaims {
                claimed: Kind::Pdf,
                actual: Kind::Docx
            })
        );
        let other_zip = fixtures::zip_of(&[("readme.txt", b"hello")]);
        assert_eq!(checked(&other_zip, "paper.docx"), Err(Refused::NotAccepted));
        assert!(matches!(
            checked(b"%PDF-1.4 nothing else", "p.pdf"),
            Err(Refused::Damaged(_))
        ));
    }

    #[test]
    fn encrypted_pdfs_and_zip_bombs_are_refused() {
        assert_eq!(
            checked(&fixtures::encrypted_pdf(), "locked.pdf"),
            Err(Refused::Encrypted)
        );
        let bomb = fixtures::zip_bomb();
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        assert_eq!(checked(&bomb, "bomb.docx"), Err(Refused::ZipBomb));
    }
}
