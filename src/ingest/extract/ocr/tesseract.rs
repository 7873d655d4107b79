//! Finding Tesseract and reading one page with it.
//!
//! The models are decided before the page is read, from what is known already, and the page is
//! read once with them unless that reading is poor:
//! - the models of the earlier pages of the same document (a scanned book is in one language),
//!   or for its first page the script of the PDF's own text on its other pages;
//! - else the script Tesseract's orientation and script detection (`--psm 0`) sees on a band
//!   across the middle of the page ([`band`](super::band)), with whether the page is rotated:
//!   the installed models of that script's languages (Japanese: `jpn`; Han: `chi_sim` and
//!   `chi_tra`; Cyrillic: `rus`, `ukr` and the collection's others; Latin: `eng` and the
//!   collection's Latin languages), English after them for the Latin names and labels of other
//!   scripts' pages.
//!
//! A poor reading ([`Quality::good`]) tries what the first look can miss: a Japanese or Chinese
//! page set vertically (`jpn_vert`, `chi_*_vert`, one vertical block), a page of several scripts
//! the detection called Latin (a Korean manual full of English: every installed script's first
//! model at once), a Chinese page taken for Japanese or the reverse (told by kana); the most
//! confident reading is kept. Last, lingua names the language of a Latin or Cyrillic reading,
//! and a page whose language has an installed model that was not used is read again with it
//! (German after English: the umlauts come back), that language joining the collection's.
//! `--ocr-languages` forces the models of every page.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::Wanted;
use super::band;
use super::cache::{Cache, Entry, default_dir};
use super::choice::{Choice, Layout, Quality, join_cjk};
use super::models::{self, BY_SCRIPT, VERTICAL};
use crate::digest::hex;
use crate::ingest::extract::Rejection;
use crate::ingest::extract::program::{self, Limits, Ran, RunError, Scratch, last_line};
use crate::ingest::language::main_script;

/// What Tesseract (or pdftoppm) may take on one page before the page fails: 3 minutes, 16 MB
/// of output (its text goes to a file), 2 GB of address space (a 300 dpi page of A3 is 50 MB
/// of pixels).
pub const PAGE_LIMITS: Limits = Limits {
    time: Duration::from_secs(180),
    output: 16 << 20,
    memory: 2 << 30,
};

/// Confidence under which a Chinese page read with one form's model (simplified first) is
/// read with the other's too. Each model alone reads its own form better than both together
/// (real simplified pages: 0.84-0.92 of character pairs right alone, 0.74-0.85 together, and
/// in three quarters of the time), but it reads the other form's pages with some confidence:
/// a traditional page read as simplified has 77 (37% of its characters right), as traditional
/// 89 (97%); simplified pages read as simplified 70-86, as traditional within 3 of that.
const SURE_HAN: f32 = 80.0;
/// Characters under which a poor reading's page is read again as one block of lines: a label
/// or a note of a few lines, which the layout analysis can break into fragments; a full page
/// read poorly is not helped by it.
const SPARSE: usize = 300;

/// Confidence under which a reading with Latin models is not of a Latin page, whatever the
/// script detection says: Latin pages read with them score 74 and over, even scanned badly at
/// 150 dpi; pages of other scripts 37-71.
const NOT_LATIN: f32 = 60.0;

/// How much surer the other form's reading must be to be kept.
const HAN_MARGIN: f32 = 5.0;

/// Names how pages are read, in the cache: a page read by another version of the model choice
/// (or of Tesseract) is read again, once.
const CHOICE_VERSION: u32 = 3;

/// A page's text as Tesseract read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub text: String,
    /// Tesseract's mean confidence in the words read (0-100), weighted by their characters.
    pub confidence: f32,
    /// The models that read it (`["kor", "eng"]`).
    pub models: Vec<String>,
}

/// The choice the earlier pages of one document settled on, for the pages after them.
#[derive(Default)]
pub struct Neighbours(Mutex<Option<Choice>>);

impl Neighbours {
    fn get(&self) -> Option<Choice> {
        super::lock(&self.0).clone()
    }

    fn set(&self, choice: Choice) {
        *super::lock(&self.0) = Some(choice);
    }
}

/// A page read with one choice, and how well.
struct Read {
    choice: Choice,
    text: String,
    quality: Quality,
}

impl Read {
    fn into_reading(self) -> Reading {
        Reading {
            text: join_cjk(&self.text),
            confidence: self.quality.confidence,
            models: self.choice.models,
        }
    }
}

/// Models a page wanted that are not installed: those of its script are named (and the page
/// read again once they are) only when its reading was poor, since a page the detection took
/// for the wrong script reads well without them; those of its language always.
#[derive(Default)]
struct Missing {
    scripts: Vec<(String, String)>,
    languages: Vec<String>,
}

/// What the script detection said of a page.
struct Look {
    script: Option<String>,
    rotated: bool,
}

pub struct Tesseract {
    /// Installed language models (`tesseract --list-langs`), `osd` aside.
    installed: Vec<String>,
    /// Tesseract's version and [`CHOICE_VERSION`]: who read a cached page.
    reader: String,
    /// Pages already read.
    cache: Cache,
}

impl Tesseract {
    /// Tesseract and its installed models, or why OCR cannot run.
    pub fn find(cache: Option<PathBuf>) -> Result<Tesseract, String> {
        let listed = ask("--list-langs").map_err(|_| {
            "scan: OCR needs tesseract (apt-get install tesseract-ocr tesseract-ocr-…)".to_string()
        })?;
        let installed: Vec<String> = listed
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "osd")
            .map(str::to_string)
            .collect();
        if installed.is_empty() {
            return Err(
                "scan: tesseract has no language model (apt-get install tesseract-ocr-eng)".into(),
            );
        }
        let version = ask("--version")
            .map(|out| out.lines().next().unwrap_or("").trim().to_string())
            .unwrap_or_default();
        Ok(Tesseract {
            installed,
            reader: format!("{version}; choice {CHOICE_VERSION}"),
            cache: Cache::new(cache.or_else(default_dir)),
        })
    }

    fn has(&self, code: &str) -> bool {
        self.installed.iter().any(|l| l == code)
    }

    /// The cache key of a page: the SHA-256 of an image, or of a PDF and the page's number
    /// (so that a cached page of a PDF is not even rasterized), and the models when forced.
    /// Who read it and with what is in the entry ([`Tesseract::cached`]).
    pub fn key(wanted: &Wanted, bytes: &[u8], page: Option<u32>) -> String {
        Tesseract::key_of(wanted, &hex(&Sha256::digest(bytes)), page)
    }

    /// As [`Tesseract::key`], for content whose SHA-256 is `sha256`.
    pub fn key_of(wanted: &Wanted, sha256: &str, page: Option<u32>) -> String {
        let mut key = sha256.to_string();
        if let Some(page) = page {
            key = format!("{key}-p{page}");
        }
        if let Some(forced) = &wanted.forced {
            key = format!("{key}-{}", forced.join("+"));
        }
        key
    }

    /// Has the pages of a document whose text layer is in `script` read first with that
    /// script's models.
    pub fn expect_script(&self, wanted: &Wanted, script: &str, neighbours: &Neighbours) {
        let mut missing = Missing::default();
        let choice = self.for_script(wanted, script, Layout::Page, &mut missing);
        // A script without an installed model is left to each page's own look.
        if missing.scripts.is_empty() {
            neighbours.set(choice);
        }
    }

    /// A page read before under `key`, by this reader, and not wanting a model installed since
    /// (a page of Greek read without `ell` is read again once it is there).
    pub fn cached(&self, key: &str) -> Option<Reading> {
        let entry = self.cache.get(key)?;
        if entry.reader != self.reader || entry.missing.iter().any(|m| self.has(m)) {
            return None;
        }
        Some(entry.reading)
    }

    /// One image's text, read with the models its script and language want, and cached under
    /// `key`. `work` is the folder for Tesseract's output; `neighbours` the choice of the
    /// document's earlier pages.
    pub fn page(
        &self,
        wanted: &Wanted,
        path: &Path,
        (key, neighbours): (&str, &Neighbours),
        work: &Scratch,
    ) -> Result<Reading, Rejection> {
        let mut missing = Missing::default();
        let reading = match &wanted.forced {
            Some(forced) => {
                // `--psm 1`: layout analysis with orientation, so a rotated page reads upright.
                let choice = Choice {
                    models: forced.clone(),
                    layout: Layout::Rotated,
                };
                self.recognize(path, choice, work)?.into_reading()
            }
            None => {
                let (reading, good) =
                    self.read_as_it_wants(wanted, path, neighbours, work, &mut missing)?;
                if !good {
                    for (wanted_for, code) in &missing.scripts {
                        wanted.missing(wanted_for.clone(), code);
                        missing.languages.push(code.clone());
                    }
                }
                reading
            }
        };
        self.cache.put(
            key,
            &Entry {
                reader: self.reader.clone(),
                missing: missing.languages,
                reading: reading.clone(),
            },
        );
        Ok(reading)
    }

    /// Reads a page with the models decided before reading, others only when that reading is
    /// poor, and again in its language when lingua names one whose model was not used. Says
    /// whether the reading kept is good.
    fn read_as_it_wants(
        &self,
        wanted: &Wanted,
        path: &Path,
        neighbours: &Neighbours,
        work: &Scratch,
        missing: &mut Missing,
    ) -> Result<(Reading, bool), Rejection> {
        let mut reads: Vec<Read> = Vec::new();
        if let Some(choice) = neighbours.get() {
            let read = self.recognize(path, choice, work)?;
            if read.quality.good() {
                return self.settle(wanted, path, read, neighbours, work, missing);
            }
            reads.push(read);
        }
        let look = self.look(path, work);
        let layout = if look.rotated {
            Layout::Rotated
        } else {
            Layout::Page
        };
        let script = look.script.as_deref().unwrap_or("Latin");
        let choice = self.for_script(wanted, script, layout, missing);
        if !reads.iter().any(|r| r.choice == choice) {
            reads.push(self.recognize(path, choice, work)?);
        }
        // Other choices while the best reading is poor, two at most.
        for _ in 0..2 {
            let read = &reads[best(&reads)];
            if good(read, &reads) {
                break;
            }
            let next = self.alternatives(wanted, path, read, (script, layout), work, missing);
            let Some(choice) = next
                .into_iter()
                .find(|c| !reads.iter().any(|r| r.choice == *c))
            else {
                break;
            };
            reads.push(self.recognize(path, choice, work)?);
        }
        let read = reads.swap_remove(best(&reads));
        self.settle(wanted, path, read, neighbours, work, missing)
    }

    /// Last checks on the reading kept: a page read with another script's models than its
    /// text's (a Latin page the detection took for Cyrillic, read by the English among them; a
    /// Japanese reading without kana, which is Chinese) is read again with its own; a Latin or
    /// Cyrillic page whose language has a model not used is read again with it. The
    /// document's later pages are then read with the models of this one's script.
    fn settle(
        &self,
        wanted: &Wanted,
        path: &Path,
        mut read: Read,
        neighbours: &Neighbours,
        work: &Scratch,
        missing: &mut Missing,
    ) -> Result<(Reading, bool), Rejection> {
        let layout = read.choice.layout;
        let script = main_script([read.text.as_str()]);
        let own = script.map(|s| self.for_script(wanted, s, layout, missing));
        let fits = script.is_none_or(|s| self.fits(&read.choice, s));
        let base = match &own {
            Some(own) if !fits || read.choice == self.every_script(layout) => own.models.clone(),
            _ => read.choice.models.clone(),
        };
        // A poor reading's language is a guess on garbage.
        let language = match script {
            Some("Latin" | "Cyrillic") if read.quality.good() => {
                self.in_its_language(wanted, &read, &base, missing)
            }
            _ => None,
        };
        // A Chinese page read with one form's model less than surely: the other form's.
        let han = (script == Some("Han")
            && layout != Layout::Vertical
            && read.quality.confidence < SURE_HAN)
            .then(|| {
                ["chi_sim", "chi_tra"]
                    .into_iter()
                    .find(|c| !read.choice.models.iter().any(|m| m == c) && self.has(c))
                    .map(|c| Choice {
                        models: vec![c.to_string(), "eng".into()],
                        layout,
                    })
            })
            .flatten();
        let (other, other_form) = match (language, fits, han) {
            (Some(language), _, _) => (Some(language), false),
            (None, false, _) => (own, false),
            (None, true, Some(han)) => (Some(han), true),
            (None, true, None) => (None, false),
        };
        if let Some(choice) = other.filter(|c| *c != read.choice) {
            let again = self.recognize(path, choice, work)?;
            if other_form {
                // Each form's model reads the other's pages with some confidence: the other
                // form only when it is clearly surer.
                if again.quality.confidence >= read.quality.confidence + HAN_MARGIN {
                    if let Some(form) = ["chi_sim", "chi_tra"]
                        .into_iter()
                        .find(|c| again.choice.models.first().is_some_and(|m| m == c))
                    {
                        wanted.prefer_han(form);
                    }
                    read = again;
                }
            } else if best(&[&read, &again]) == 1 {
                read = again;
            }
        }
        let good = read.quality.good();
        if good {
            // After every script at once, the page's own script's models: as accurate on the
            // pages after it, and faster.
            neighbours.set(if read.choice == self.every_script(layout) {
                let script = main_script([read.text.as_str()]).unwrap_or("Latin");
                self.for_script(wanted, script, layout, missing)
            } else {
                read.choice.clone()
            });
        }
        Ok((read.into_reading(), good))
    }

    /// Whether `choice` holds a model of `script`: for Latin, no model of another script.
    fn fits(&self, choice: &Choice, script: &str) -> bool {
        if *choice == self.every_script(choice.layout) {
            return true;
        }
        let of_script = |code: &str| {
            BY_SCRIPT
                .iter()
                .chain(VERTICAL)
                .find(|(_, codes)| codes.contains(&code))
                .map(|(s, _)| *s)
                .or_else(|| {
                    models::MODELS.iter().find(|m| m.code == code).map(|m| {
                        if m.latin {
                            "Latin"
                        } else if m.cyrillic() {
                            "Cyrillic"
                        } else {
                            ""
                        }
                    })
                })
        };
        if script == "Latin" {
            choice.models.iter().all(|m| of_script(m) == Some("Latin"))
        } else {
            choice.models.iter().any(|m| of_script(m) == Some(script))
        }
    }

    /// The choice to read a Latin or Cyrillic page again with: `base` (its script's models)
    /// and the model of the language lingua names, when that was not used and is installed (the
    /// language joins the collection's, so that later pages are read with it at once; a missing
    /// one is named); `base` alone when the reading was not made with it. `None` when the
    /// reading's own models are what it wants.
    fn in_its_language(
        &self,
        wanted: &Wanted,
        read: &Read,
        base: &[String],
        missing: &mut Missing,
    ) -> Option<Choice> {
        let language = (wanted.hooks.identify)(&read.text)?;
        let model = models::for_language(&language)?;
        let layout = read.choice.layout;
        if base.iter().any(|m| m == model.code) {
            // Its own script's models, which hold the language's.
            return (base != read.choice.models).then(|| Choice {
                models: base.to_vec(),
                layout,
            });
        }
        if !self.has(model.code) {
            wanted.missing(model.name.to_string(), model.code);
            missing.languages.push(model.code.to_string());
            return (base != read.choice.models).then(|| Choice {
                models: base.to_vec(),
                layout,
            });
        }
        wanted.saw(model);
        let mut models = vec![model.code.to_string()];
        models.extend(base.iter().cloned());
        if model.latin && !models.iter().any(|m| m == "eng") && self.has("eng") {
            models.push("eng".into());
        }
        Some(Choice { models, layout })
    }

    /// What else to read a poor reading's page with, most likely first: vertical columns for a
    /// Japanese or Chinese page whose lines run down; the models of the
    /// script the detection sees on the lines the reading doubted most (a Korean manual full
    /// of English, which a look at its middle called Latin; a Japanese page taken for Chinese),
    /// or, when those lines are in the reading's own script, of the language lingua names (a
    /// French page read before the collection had French), or the same models reading the
    /// page as one block of lines (a sparse page the layout analysis broke up); every script's
    /// first model at once when the lines say nothing, or a Latin reading is far too poor for
    /// Latin.
    fn alternatives(
        &self,
        wanted: &Wanted,
        path: &Path,
        read: &Read,
        (detected, layout): (&str, Layout),
        work: &Scratch,
        missing: &mut Missing,
    ) -> Vec<Choice> {
        let mut out = Vec::new();
        let read_as = main_script([read.text.as_str()]).unwrap_or(detected);
        if read.quality.vertical() {
            for script in [read_as, detected] {
                let Some((_, codes)) = VERTICAL.iter().find(|(s, _)| *s == script) else {
                    continue;
                };
                let models: Vec<String> = codes
                    .iter()
                    .filter(|c| self.has(c))
                    .map(|c| c.to_string())
                    .collect();
                if !models.is_empty() {
                    out.push(Choice {
                        models,
                        layout: Layout::Vertical,
                    });
                }
            }
        }
        if !out.is_empty() {
            // Columns found: the script detection can wait for a second round, if ever.
            return out;
        }
        let seen = self.look_at_lines(path, &read.quality.doubtful_lines, work);
        match seen.as_deref() {
            // The right models, the wrong layout: a sparse page's lines as one block.
            Some(script)
                if layout == Layout::Page
                    && read.quality.chars < SPARSE
                    && self.for_script(wanted, script, layout, missing) == read.choice =>
            {
                out.push(Choice {
                    models: read.choice.models.clone(),
                    layout: Layout::Block,
                });
            }
            Some(script) if script != read_as => {
                out.push(self.for_script(wanted, script, layout, missing));
            }
            Some("Latin" | "Cyrillic") => {
                let base = read.choice.models.clone();
                out.extend(self.in_its_language(wanted, read, &base, missing));
            }
            _ => {}
        }
        // Nothing seen, or a Latin reading too poor for any Latin page (a Russian page at 150
        // dpi that the detection calls Latin on its band and its lines alike).
        if seen.is_none() || (read_as == "Latin" && read.quality.confidence < NOT_LATIN) {
            out.push(self.every_script(layout));
        }
        out
    }

    /// The first installed model of each script's, at most four, and English: for a page whose
    /// script neither the detection nor a reading could tell.
    fn every_script(&self, layout: Layout) -> Choice {
        let mut models: Vec<String> = Vec::new();
        for (_, codes) in BY_SCRIPT {
            if let Some(code) = codes.iter().find(|c| self.has(c))
                && models.len() < 4
                && !models.iter().any(|m| m == code)
            {
                models.push(code.to_string());
            }
        }
        if self.has("eng") || models.is_empty() {
            models.push("eng".into());
        }
        Choice { models, layout }
    }

    /// The installed models for a script, English after them (archives' pages in other scripts
    /// carry Latin names, labels and stamps, which the script's models alone misread); for
    /// Latin, English and the collection's Latin languages; for Cyrillic, Russian, Ukrainian
    /// and the collection's Cyrillic languages. A script without an installed model is read
    /// with English, and its package remembered to be named.
    fn for_script(
        &self,
        wanted: &Wanted,
        script: &str,
        layout: Layout,
        missing: &mut Missing,
    ) -> Choice {
        let collection = wanted.collection();
        let mut wished: Vec<&str> = Vec::new();
        if script == "Latin" {
            wished.push("eng");
            wished.extend(collection.iter().filter(|m| m.latin).map(|m| m.code));
        } else if let Some((_, codes)) = BY_SCRIPT.iter().find(|(s, _)| *s == script) {
            if !codes.iter().any(|c| self.has(c)) {
                let wanted_for = format!("{script} script");
                if !missing.scripts.iter().any(|(w, _)| *w == wanted_for) {
                    missing.scripts.push((wanted_for, codes[0].to_string()));
                }
            }
            if script == "Han" {
                // One Chinese model: read together, simplified and traditional take each
                // other's forms (see SURE_HAN).
                let first = wanted.han();
                wished.extend(codes.iter().copied().filter(|c| *c == first));
                wished.extend(
                    codes
                        .iter()
                        .copied()
                        .filter(|c| *c != first)
                        .take(usize::from(!self.has(first))),
                );
            } else {
                wished.extend(codes.iter().copied());
            }
            if script == "Cyrillic" {
                wished.extend(collection.iter().filter(|m| m.cyrillic()).map(|m| m.code));
            }
            wished.push("eng");
        }
        let mut models: Vec<String> = Vec::new();
        for code in wished {
            if self.has(code) && !models.iter().any(|m| m == code) {
                models.push(code.to_string());
            }
        }
        if models.is_empty() {
            let fallback = if self.has("eng") {
                "eng"
            } else {
                &self.installed[0]
            };
            models.push(fallback.to_string());
        }
        Choice { models, layout }
    }

    /// The script Tesseract's detection sees on the middle band of the page (the whole page
    /// when the band cannot be cut), and whether the page is rotated.
    fn look(&self, path: &Path, work: &Scratch) -> Look {
        let band = work.path(&format!("band{}.png", next_number()));
        let seen = if band::middle_band(path, &band).is_some() {
            band.as_path()
        } else {
            path
        };
        let look = detect(seen);
        let _ = std::fs::remove_file(&band);
        look
    }

    /// The script Tesseract's detection sees on `lines` of the page.
    fn look_at_lines(
        &self,
        path: &Path,
        lines: &[super::choice::Rect],
        work: &Scratch,
    ) -> Option<String> {
        let sheet = work.path(&format!("lines{}.png", next_number()));
        band::lines(path, lines, &sheet)?;
        let look = detect(&sheet);
        let _ = std::fs::remove_file(&sheet);
        look.script
    }

    /// The page read with `choice`: its text and what Tesseract's confidences say of it.
    fn recognize(&self, path: &Path, choice: Choice, work: &Scratch) -> Result<Read, Rejection> {
        let base = work.path(&format!("read{}", next_number()));
        let out = run(Command::new("tesseract").arg(path).arg(&base).args([
            "-l",
            &choice.models.join("+"),
            "--psm",
            choice.layout.psm(),
            "txt",
            "tsv",
        ]))?;
        let text = std::fs::read(base.with_extension("txt"));
        let tsv = std::fs::read(base.with_extension("tsv"));
        let _ = std::fs::remove_file(base.with_extension("txt"));
        let _ = std::fs::remove_file(base.with_extension("tsv"));
        match (out.status.success(), text) {
            (true, Ok(text)) => Ok(Read {
                choice,
                text: String::from_utf8_lossy(&text).into_owned(),
                quality: Quality::of_tsv(&String::from_utf8_lossy(&tsv.unwrap_or_default())),
            }),
            _ => Err(Rejection::Fail(format!(
                "not a readable image (tesseract: {})",
                last_line(&out.stderr)
            ))),
        }
    }
}

/// What `tesseract ARG` prints on its standard output.
fn ask(arg: &str) -> std::io::Result<String> {
    let out = Command::new("tesseract")
        .arg(arg)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Tesseract's orientation and script detection on an image: the script it names (in the
/// names of [`BY_SCRIPT`]) and whether the image is rotated. `min_characters_to_try`: a few
/// characters name a script as well as the 50 it would classify by default, at a third of the
/// cost.
fn detect(image: &Path) -> Look {
    let osd = run(Command::new("tesseract").arg(image).arg("stdout").args([
        "--psm",
        "0",
        "-c",
        "min_characters_to_try=10",
    ]));
    let report = osd
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let field = |name: &str| {
        report
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    // The detection's names for scripts whose models are filed under another.
    let script = field("Script:").map(|s| match s.as_str() {
        "Korean" => "Hangul".to_string(),
        "Katakana" | "Hiragana" => "Japanese".to_string(),
        "Fraktur" => "Latin".to_string(),
        _ => s,
    });
    Look {
        script,
        rotated: field("Rotate:").is_some_and(|r| r != "0"),
    }
}

/// A number for a scratch file's name, new on every call.
fn next_number() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Which of `reads` of one page is best (0 when there is none): the most confident, counted
/// down for each that found fewer characters than the most any found (a layout analysis that
/// lost most of the page reads the little it found with confidence).
fn best<R: std::borrow::Borrow<Read>>(reads: &[R]) -> usize {
    let most = reads
        .iter()
        .map(|r| r.borrow().quality.chars)
        .max()
        .unwrap_or(0)
        .max(1);
    let score = |r: &Read| r.quality.confidence * (r.quality.chars as f32 / most as f32).min(1.0);
    reads
        .iter()
        .enumerate()
        .max_by(|a, b| score(a.1.borrow()).total_cmp(&score(b.1.borrow())))
        .map_or(0, |(i, _)| i)
}

/// Whether `read` is good and found most of what the best-filled of `reads` found.
fn good(read: &Read, reads: &[Read]) -> bool {
    let most = reads.iter().map(|r| r.quality.chars).max().unwrap_or(0);
    read.quality.good() && read.quality.chars * 10 >= most * 6
}

/// Runs a program on one page, with one thread, within [`PAGE_LIMITS`].
fn run(command: &mut Command) -> Result<Ran, Rejection> {
    program::run(command.env("OMP_THREAD_LIMIT", "1"), &PAGE_LIMITS).map_err(|e| match e {
        RunError::Missing(e) => Rejection::Skip(format!("scan: cannot run tesseract ({e})")),
        RunError::TimedOut(limit) => Rejection::Fail(format!(
            "OCR of a page took over {} s; not indexed",
            limit.as_secs()
        )),
        RunError::TooMuchOutput(_) => Rejection::Fail("OCR of a page printed without end".into()),
        RunError::Io(e) => Rejection::Fail(format!("OCR failed: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::ocr::{Hooks, Ocr};

    fn tesseract(installed: &[&str]) -> Tesseract {
        Tesseract {
            installed: installed.iter().map(|m| m.to_string()).collect(),
            reader: "tesseract 5; choice 3".into(),
            cache: Cache::new(None),
        }
    }

    fn read(models: &[&str], confidence: f32, chars: usize) -> Read {
        Read {
            choice: Choice {
                models: models.iter().map(|m| m.to_string()).collect(),
                layout: Layout::Page,
            },
            text: String::new(),
            quality: Quality {
                confidence,
                chars,
                ..Quality::default()
            },
        }
    }

    #[test]
    fn a_script_is_read_with_its_installed_models_and_english() {
        let t = tesseract(&[
            "eng", "deu", "rus", "ukr", "jpn", "chi_sim", "chi_tra", "kor",
        ]);
        let ocr = Ocr::new(true, None, None, Hooks::default());
        let Ocr::Wanted(wanted) = &ocr else {
            panic!("wanted")
        };
        ocr.saw_languages(["de", "bg"]);
        let mut missing = Missing::default();
        let mut models = |script: &str| {
            t.for_script(wanted, script, Layout::Page, &mut missing)
                .models
        };
        assert_eq!(models("Latin"), ["eng", "deu"]);
        // Bulgarian is in the collection but its model is not installed.
        assert_eq!(models("Cyrillic"), ["rus", "ukr", "eng"]);
        // One Chinese form at a time; Japanese apart.
        assert_eq!(models("Han"), ["chi_sim", "eng"]);
        assert_eq!(models("Japanese"), ["jpn", "eng"]);
        assert_eq!(models("Hangul"), ["kor", "eng"]);
        // A script without a model is read with English, its package kept to be named.
        assert_eq!(models("Greek"), ["eng"]);
        assert_eq!(
            missing.scripts,
            [("Greek script".to_string(), "ell".to_string())]
        );
        wanted.prefer_han("chi_tra");
        assert_eq!(
            t.for_script(wanted, "Han", Layout::Page, &mut missing)
                .models,
            ["chi_tra", "eng"]
        );
        let only_traditional = tesseract(&["eng", "chi_tra"]);
        wanted.prefer_han("chi_sim");
        assert_eq!(
            only_traditional
                .for_script(wanted, "Han", Layout::Page, &mut missing)
                .models,
            ["chi_tra", "eng"]
        );
    }

    #[test]
    fn whether_models_fit_a_script() {
        let t = tesseract(&["eng", "deu", "rus", "jpn", "chi_sim", "kor"]);
        let choice = |models: &[&str], layout| Choice {
            models: models.iter().map(|m| m.to_string()).collect(),
            layout,
        };
        assert!(t.fits(&choice(&["eng", "deu"], Layout::Page), "Latin"));
        assert!(!t.fits(&choice(&["rus", "eng"], Layout::Page), "Latin"));
        assert!(t.fits(&choice(&["rus", "eng"], Layout::Page), "Cyrillic"));
        assert!(t.fits(&choice(&["jpn", "eng"], Layout::Page), "Japanese"));
        assert!(!t.fits(&choice(&["jpn", "eng"], Layout::Page), "Han"));
        assert!(t.fits(&choice(&["chi_sim_vert"], Layout::Vertical), "Han"));
        // Every script at once fits any.
        assert!(t.fits(&t.every_script(Layout::Page), "Hangul"));
        assert_eq!(
            t.every_script(Layout::Page).models,
            ["rus", "jpn", "chi_sim", "kor", "eng"]
        );
    }

    #[test]
    fn the_best_reading_is_confident_and_found_the_page() {
        // Sure of the little it found (a layout analysis that lost the page) against a
        // reading of all of it.
        let reads = [
            read(&["kor", "eng"], 90.0, 30),
            read(&["kor", "eng"], 80.0, 300),
        ];
        assert_eq!(best(&reads), 1);
        assert!(!good(&reads[0], &reads));
        assert!(good(&reads[1], &reads));
        let reads = [read(&["eng"], 60.0, 1000), read(&["jpn", "eng"], 85.0, 950)];
        assert_eq!(best(&reads), 1);
        assert!(!good(&reads[0], &reads));
    }

    #[test]
    fn a_page_read_by_another_reader_or_wanting_a_model_since_installed_is_read_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut t = tesseract(&["eng"]);
        t.cache = Cache::new(Some(dir.path().to_path_buf()));
        let reading = Reading {
            text: "Maizuru".into(),
            confidence: 90.0,
            models: vec!["eng".into()],
        };
        let entry = |reader: &str, missing: &[&str]| Entry {
            reader: reader.into(),
            missing: missing.iter().map(|m| m.to_string()).collect(),
            reading: reading.clone(),
        };
        t.cache.put("page", &entry("tesseract 5; choice 3", &[]));
        assert_eq!(t.cached("page"), Some(reading.clone()));
        t.cache.put("page", &entry("tesseract 5; choice 2", &[]));
        assert_eq!(t.cached("page"), None);
        t.cache
            .put("page", &entry("tesseract 5; choice 3", &["ell"]));
        assert_eq!(t.cached("page"), Some(reading));
        t.installed.push("ell".into());
        assert_eq!(t.cached("page"), None);
    }
}
