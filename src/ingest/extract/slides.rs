//! Presentations: PPTX and ODP, each slide's text, then its notes.
//!
//! ZIP packages of XML like DOCX and ODT, read through [`super::zipped`]: ODP shares ODT's rules;
//! a PPTX keeps one XML file per slide and one per slide's notes.

use super::office::{ODT_BODY, corrupt, numbered, ooxml_document, package};
use super::xml::{Rules, walk};
use super::zipped::Zipped;
use super::{Extracted, Rejection};

/// Text of a PPTX slide: DrawingML paragraphs.
const SLIDE: Rules = Rules {
    breaks: &["p"],
    skip: &[],
    spaces: &[],
    line_breaks: &["br"],
    capture: &[],
    separate_siblings: false,
};

pub fn extract_odp(bytes: &[u8]) -> Result<Extracted, Rejection> {
    package(bytes, "ODP", ("content.xml", &ODT_BODY), "meta.xml")
}

pub fn extract_pptx(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let mut zip = Zipped::open(bytes, "PPTX")?;
    let names = zip.names();
    let slides = numbered(&names, "ppt/slides/slide", ".xml");
    if slides.is_empty() {
        return Err(Rejection::Fail("corrupt PPTX: no slides".into()));
    }
    let mut text = String::new();
    for slide in slides {
        let number = &slide["ppt/slides/slide".len()..slide.len() - ".xml".len()];
        let notes = format!("ppt/notesSlides/notesSlide{number}.xml");
        for entry in [slide.clone(), notes] {
            if let Some(xml) = zip.text(&entry)? {
                let walked = walk(&xml, &SLIDE).map_err(|e| corrupt("PPTX", &e))?;
                text.push_str(&walked.text);
                text.push('\n');
            }
        }
    }
    ooxml_document(&mut zip, text)
}
