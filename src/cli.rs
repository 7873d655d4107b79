//! What the user typed, as clap parses it; nothing is resolved or validated here beyond syntax.
//! [`crate::settings`] turns this into the settings each stage receives.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "archivist",
    version,
    about = "Full-text search for multilingual archives",
    long_about = "Full-text search for multilingual archives.\n\n\
        `ingest` reads a folder of documents into an index; `search` finds them again, ranked, \
        with highlighted snippets. Text in any language is searchable: accents are folded, \
        Chinese, Japanese and Korean are indexed as character bigrams, and words are also \
        matched by their stem in the document's language.",
    after_help = "Examples:\n  archivist search Maizuru\n  archivist ingest ~/donation-2024 --index ~/archive-index\n  archivist status --json",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Index folder
    #[arg(long, global = true, value_name = "DIR", default_value = "index")]
    pub index: PathBuf,
    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print only results and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print a line for every file processed
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files and folders (only what changed since the last run)
    #[command(
        after_help = "Formats: text and Markdown, HTML, PDF, DOCX, ODT, XLSX, ODS, PPTX, ODP, EPUB, RTF, XML, e-mail (.eml, .mbox, .msg) with attachments, ZIP, tar and gzip members, in any encoding; scans and images by OCR (Tesseract).\nEvery file is added, updated, unchanged, removed, skipped or failed, with the reason; exit status 2 if any failed.\nAn archivist-variants.txt at the top of a folder lists variant names for search.\n\nExamples:\n  archivist ingest\n  archivist ingest letters/ diaries/ --index my-index\n  archivist ingest --verbose notes.txt\n  archivist ingest --report report.json ~/donation-2024"
    )]
    Ingest(IngestArgs),
    /// Search the index
    #[command(
        after_help = "Query syntax:\n  maizuru army          both words (default; --any makes them optional)\n  \"kwantung army\"       the exact phrase; \"soviet prisoners\"~5 within 5 words\n  siberia OR manchuria  either word\n  soviet -german        without a word\n  (a OR b) c            grouping\n  repatriat*            prefix\n  Nomonhan~1, Maizru~   within 1 (or 2) edits; --fuzzy for every word\n  title:war lang:ru     in titles only; only documents with Russian text\n  path:letters/*.pdf    path glob; ext:pdf; year:1945 or year:1945..1956\n  tag:to-check          documents you tagged (archivist tag)\n\nExamples:\n  archivist search Maizuru\n  archivist search '\"Kwantung Army\" -Nomonhan' --limit 5\n  archivist search --json 抑留\n  archivist search --lang ru,uk плен\n  archivist search --any --facets soviet prisoners repatriation\n  archivist search --batch names.txt --all --format csv > hits.csv\n  archivist search -- -excluded-word"
    )]
    Search(SearchArgs),
    /// Cross-reference a list of names: which the archive mentions, where, and how it matched
    #[command(
        after_help = "The list: a .csv (or .tsv) with a column of names and optional columns of aliases (separated by ; or |) and notes, with a header naming them (name, aliases, note) or in that order; any other file is one name a line.\nEach name and its aliases are searched as one query (each a phrase; a one-word form also by its stems and romanization; the variants file's other forms too). Each match says how: exact, variant, romanized, stem, or fuzzy at a distance (--fuzzy).\nExit status: 0 when any name is mentioned, 1 when none is, 2 on error.\n\nExamples:\n  archivist xref suspects.csv\n  archivist xref names.txt --format csv > xref.csv\n  archivist xref suspects.csv --all --fuzzy --format jsonl"
    )]
    Xref(XrefArgs),
    /// The documents most like one (by its distinctive terms), with the terms each shares
    #[command(
        after_help = "The document: an indexed file's path, or a document's id (a container's member, a message of a mailbox: the `id` of search --json).\nExit status: 0 when documents like it were found, 1 when none was, 2 on error.\n\nExamples:\n  archivist similar corpus/001_def77d6c715c9dca.txt\n  archivist similar e1b78b4eebbd0e622cd2 --json"
    )]
    Similar(SimilarArgs),
    /// Show what the index holds
    #[command(
        after_help = "Examples:\n  archivist status\n  archivist status --json --index my-index"
    )]
    Status(StatusArgs),
    /// Tag documents (files by path, or every hit of a query), untag them, list the tags
    #[command(
        after_help = "Tags and notes are kept beside the index (INDEX.annotations.sqlite) and follow a document when it changes (by its path) or moves (by its content). Search them with tag:NAME.\n\nExamples:\n  archivist tag add to-check corpus/letters/1947.txt\n  archivist tag add maizuru --query 'Maizuru year:1946'\n  archivist tag remove to-check corpus/letters/1947.txt\n  archivist tag list\n  archivist search 'tag:maizuru repatriation'"
    )]
    Tag {
        #[command(subcommand)]
        action: TagAction,
    },
    /// Saved searches: print what is new to each since it last ran
    #[command(
        after_help = "Examples:\n  archivist watch add maizuru 'Maizuru OR Nakhodka' --any\n  archivist watch list\n  archivist ingest --watch new-donation/\n  archivist watch\n  archivist watch run maizuru --format csv\n  archivist watch remove maizuru"
    )]
    Watch(WatchArgs),
    /// Write a note on a document, or clear it
    #[command(
        after_help = "Examples:\n  archivist note corpus/letters/1947.txt 'Date on the envelope differs'\n  archivist note corpus/letters/1947.txt --clear"
    )]
    Note(NoteArgs),
    /// Re-hash every indexed file and report which are ok, changed or missing (fixity check)
    #[command(
        after_help = "Exit status: 0 when every file is ok, 1 when any changed, went missing or could not be read, 2 on error.\n\nExamples:\n  archivist verify\n  archivist verify --json > fixity-2026-11.json"
    )]
    Verify(StatusArgs),
    /// Serve a search page and a JSON API over the index, in a browser (read-only)
    #[command(
        after_help = "The page: http://127.0.0.1:7557/ (the address is printed on start). The API: /api/v1/search?q=..., /api/v1/documents/ID, /api/v1/documents/ID/original, /api/v1/status.\nAn address other than loopback needs --token (or --new-token): every request must then carry it.\n\nExamples:\n  archivist serve\n  archivist serve --index my-index --bind 127.0.0.1:8080\n  archivist serve --bind 0.0.0.0:7557 --new-token"
    )]
    Serve(ServeArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  archivist completions bash > ~/.local/share/bash-completion/completions/archivist\n  archivist completions zsh > ~/.zfunc/_archivist\n  archivist completions fish > ~/.config/fish/completions/archivist.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Examples:\n  archivist man > archivist.1 && man ./archivist.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and folders to index (default: corpus)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Skip files larger than this many bytes (suffixes K, M, G allowed)
    // (the defaults of this and --max-read-time are ingest's DEFAULT_MAX_FILE_SIZE and
    // DEFAULT_MAX_READ_TIME, which a test holds them to)
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Follow symbolic links wherever they lead (by default only those that stay inside the
    /// folder being ingested; others are skipped with a line)
    #[arg(long)]
    pub follow_links: bool,
    /// Stop reading a file after this much work on it (e.g. 90s, 5m); it fails, the rest goes on
    #[arg(long, value_name = "TIME", default_value = "2m", value_parser = parse_duration)]
    pub max_read_time: std::time::Duration,
    /// Write every file's outcome (added, skipped, failed, ... with the reason) to FILE as JSON
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Also commit after every N files (by default commits come every 30 s or 256 MB of text)
    #[arg(long, value_name = "N")]
    pub commit_every: Option<usize>,
    /// Do not read scans and images by OCR (they are skipped, with the reason)
    #[arg(long)]
    pub no_ocr: bool,
    /// Then run the saved searches (archivist watch): what this ingest brought for each
    #[arg(long)]
    pub watch: bool,
    /// Tesseract models for every page (e.g. eng,rus), instead of those of each page's script
    #[arg(long, value_name = "MODELS", value_delimiter = ',')]
    pub ocr_languages: Option<Vec<String>>,
    /// Where OCR'd pages are kept, by content (default: ~/.cache/archivist/ocr)
    #[arg(long, value_name = "DIR")]
    pub ocr_cache: Option<PathBuf>,
    /// Read phone numbers written without a country code as this country's (ISO 3166 code:
    /// JP, DE, US); without it, as the country of each document's language
    #[arg(long, value_name = "CODE", value_parser = parse_region)]
    pub phone_region: Option<crate::entities::Region>,
    /// How a date written 07/12/1946 reads: mdy (July 12) or dmy (7 December); without it, mdy
    /// in English documents and dmy in all others
    #[arg(long, value_name = "ORDER", value_parser = parse_order)]
    pub date_order: Option<crate::entities::dates::Order>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several words are joined with spaces
    #[arg(value_name = "QUERY", required_unless_present_any = ["batch", "batch_variants"],
          conflicts_with_all = ["batch", "batch_variants"], num_args = 1..)]
    pub query: Vec<String>,
    /// Run one query per line of FILE (blank lines and `#` comments skipped; of a .csv file,
    /// the first column, a header `query` skipped)
    #[arg(long, value_name = "FILE", conflicts_with = "batch_variants")]
    pub batch: Option<PathBuf>,
    /// Run one query per group of the variant-names file: any of the group's forms
    #[arg(long)]
    pub batch_variants: bool,
    /// Every hit, past --limit, streamed in rank order (with --format csv, jsonl or terminal)
    #[arg(long)]
    pub all: bool,
    /// Output: terminal, json (one object per query), jsonl (one hit per line) or csv (a
    /// header, then one hit per row)
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<Format>,
    /// CSV cells as they are: without it, a cell a spreadsheet would run as a formula (one
    /// starting with = + - @, a tab or a carriage return) gets a leading '
    #[arg(long)]
    pub csv_raw: bool,
    /// Number of results to show
    #[arg(short = 'n', long, default_value_t = crate::search::request::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Number of results to skip
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Only documents with text in one of these languages (ISO 639-1 codes, comma-separated)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// Make every word optional: rank by how many words match and how well (natural-language
    /// queries; function words of the collection's languages, like `the` and `of`, are left out)
    #[arg(long)]
    pub any: bool,
    /// Let every word also match words a few letters off (OCR and typing errors; one edit for
    /// 4-7 letters, two beyond), ranked below exact matches
    #[arg(long)]
    pub fuzzy: bool,
    /// Show up to N passages per hit, from different places in the document
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub snippets: usize,
    /// Count the whole result set by language, year and top-level folder
    #[arg(long)]
    pub facets: bool,
    /// Show how each hit's score came about (fields, terms, stems, variants)
    #[arg(long)]
    pub explain: bool,
    /// `near`: fold documents whose text is nearly the same into one hit, as identical
    /// copies always are
    #[arg(long, value_enum, value_name = "WHAT")]
    pub collapse: Option<Collapse>,
    /// Least estimated similarity (0-1) of two texts that are near copies
    #[arg(long, value_name = "SIMILARITY", default_value_t = crate::near::DEFAULT_THRESHOLD,
          value_parser = similarity)]
    pub near_threshold: f32,
    /// Variant-names file (default: the archivist-variants.txt found by the last ingest)
    #[arg(long, value_name = "FILE")]
    pub variants: Option<PathBuf>,
    /// Print one JSON object instead of text (as --format json)
    #[arg(long)]
    pub json: bool,
}

/// What `--collapse` folds into one hit besides identical copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Collapse {
    /// Documents whose text is nearly the same (`--near-threshold`)
    Near,
}

/// A similarity from 0 to 1.
fn similarity(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!(
            "{text:?} is not a similarity from 0 to 1 (such as 0.5)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// An indexed file, or a document's id
    #[arg(value_name = "PATH|ID")]
    pub document: String,
    /// Number of documents to show
    #[arg(short = 'n', long, default_value_t = crate::search::request::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
    /// Variant-names file (default: the archivist-variants.txt found by the last ingest)
    #[arg(long, value_name = "FILE")]
    pub variants: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct XrefArgs {
    /// The list of names (CSV, TSV, or one name a line)
    #[arg(value_name = "LIST")]
    pub list: PathBuf,
    /// Best matches shown per name
    #[arg(short = 'n', long, default_value_t = crate::xref::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Every match of every name, uncapped
    #[arg(long)]
    pub all: bool,
    /// Let names also match forms a few letters off (OCR and spelling; one edit for 4-7
    /// letters, two beyond), each match giving its distance
    #[arg(long)]
    pub fuzzy: bool,
    /// Only documents with text in one of these languages (ISO 639-1 codes, comma-separated)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// Output: terminal, json (one object), jsonl (one name per line) or csv (a header, then a
    /// row per match, and a row for each name not found)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// CSV cells as they are, formulas and all (see search --csv-raw)
    #[arg(long)]
    pub csv_raw: bool,
    /// Variant-names file (default: the archivist-variants.txt found by the last ingest)
    #[arg(long, value_name = "FILE")]
    pub variants: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TagAction {
    /// Tag documents with TAG
    Add(TagArgs),
    /// Take TAG off documents
    Remove(TagArgs),
    /// Every tag, with how many documents carry it
    List,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// The tag
    pub tag: String,
    /// Indexed files (every document of each: a container's members too)
    #[arg(value_name = "PATH", required_unless_present = "query")]
    pub paths: Vec<PathBuf>,
    /// Every hit of this query instead
    #[arg(long, value_name = "QUERY", conflicts_with = "paths")]
    pub query: Option<String>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub action: Option<WatchAction>,
    /// Output of a run: terminal, json (one object per saved search), jsonl or csv
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// CSV cells as they are, formulas and all (see search --csv-raw)
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Save a search (replacing one of the same name)
    Add(WatchAddArgs),
    /// The saved searches
    List,
    /// Forget a saved search
    Remove { name: String },
    /// Run saved searches (all when none is named): their hits new since they last ran
    Run {
        names: Vec<String>,
        /// Output: terminal, json, jsonl or csv
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<Format>,
    },
}

#[derive(Debug, Args)]
pub struct WatchAddArgs {
    pub name: String,
    /// The query; several words are joined with spaces
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Every word optional (as search --any)
    #[arg(long)]
    pub any: bool,
    /// Words a few letters off match too (as search --fuzzy)
    #[arg(long)]
    pub fuzzy: bool,
    /// Only documents with text in these languages (as search --lang)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub lang: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// An indexed file
    pub path: PathBuf,
    /// The note (replaces the one there)
    #[arg(required_unless_present = "clear", conflicts_with = "clear")]
    pub text: Option<String>,
    /// Remove the note
    #[arg(long)]
    pub clear: bool,
}

/// How `search` prints its hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Terminal,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7557")]
    pub bind: std::net::SocketAddr,
    /// Require this token on every request (needed to listen beyond loopback)
    #[arg(long, value_name = "TOKEN", conflicts_with = "new_token")]
    pub token: Option<String>,
    /// Make up a token, print it, and require it on every request
    #[arg(long)]
    pub new_token: bool,
    /// Also answer requests addressed to this host name (a reverse proxy's); without a token,
    /// only the listening address and loopback names are answered
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

/// Parses `--date-order`.
fn parse_order(text: &str) -> Result<crate::entities::dates::Order, String> {
    use crate::entities::dates::Order;
    match text.trim().to_ascii_lowercase().as_str() {
        "mdy" => Ok(Order::MonthDay),
        "dmy" => Ok(Order::DayMonth),
        _ => Err(format!("`{text}` is not a date order (mdy or dmy)")),
    }
}

/// Parses a country code for `--phone-region`.
fn parse_region(text: &str) -> Result<crate::entities::Region, String> {
    crate::entities::Region::named(text)
        .ok_or_else(|| format!("`{text}` is not a country code (examples: JP, DE, US)"))
}

/// Parses `90` (seconds), `90s`, `5m` or `1h`.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let time = match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => {
            std::time::Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())?
        }
        _ => humantime::parse_duration(text)
            .map_err(|_| format!("`{text}` is not a time (examples: 90, 90s, 5m)"))?,
    };
    if time.is_zero() {
        return Err("a time of zero would stop every reader".into());
    }
    Ok(time)
}

/// Parses `64M`, `2G`, `512K` or a plain number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (examples: 1000000, 64M, 2G)"))?;
    let factor: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("unknown size unit `{unit}` (use K, M or G)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_size_constant_matches_flag_default() {
        // The defaults written here are ingest's own.
        assert_eq!(parse_size("64M"), Ok(crate::ingest::DEFAULT_MAX_FILE_SIZE));
        assert_eq!(
            parse_duration("2m"),
            Ok(crate::ingest::DEFAULT_MAX_READ_TIME)
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
