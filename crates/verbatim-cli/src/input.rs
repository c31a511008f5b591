//! Input readers: command-line INPUTs in, a stream of documents out.
//!
//! [`Inputs::new`] expands the arguments (walking directories, sorted by path) into sources;
//! [`Inputs::documents`] reads them lazily, one document at a time, so a big JSONL file is
//! never in memory as a whole. Every failure is a [`Skip`] in the stream, in input order,
//! carrying where it happened: reading goes on with the next line or file.
//!
//! | INPUT | documents | id |
//! | --- | --- | --- |
//! | `a.txt` (or any file not ending in `.jsonl`) | one, the whole file | file stem |
//! | `a.jsonl` | one per non-blank line, `{"id": …, "text": …}` | `"id"` |
//! | a directory | its `.txt` and `.jsonl` files, recursively, by path | a `.txt` file's path in the directory, without `.txt` (`2016-01/index`); JSONL as above |
//! | `-` | standard input: JSONL if the first non-blank character is `{`, else one text | `stdin`, or [`Inputs::with_stdin_id`] |
//!
//! A file found in a directory is named by its path there, not its stem: `2016-01/index.txt`
//! and `2016-02/index.txt` are two documents, in one run and across runs.
//!
//! `--input-format` ([`InputFormat`]) overrides the choice for `-` and for files named on the
//! command line (not for files found in directories). Text is kept as read (CRLF line ends
//! included), since output offsets count code points of that text; only a leading byte-order
//! mark is dropped, as editors hide it and it would shift every offset by one.

use serde_json::Value;
use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a document (or a failure) comes from: a file, and for JSONL the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file as named on the command line (or found in a directory); `<stdin>` for `-`.
    pub file: Arc<str>,
    /// 1-based line number, for JSONL lines and for faults located inside a text file.
    pub line: Option<usize>,
}

impl Origin {
    /// A whole file.
    pub fn file(file: Arc<str>) -> Origin {
        Origin { file, line: None }
    }

    /// One line of a file.
    pub fn line(file: Arc<str>, line: usize) -> Origin {
        Origin {
            file,
            line: Some(line),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}

/// One document to extract from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Document id: the file stem (or path in a walked directory), the JSONL `"id"`, or
    /// `stdin`.
    pub id: String,
    /// The full text, exactly as read.
    pub text: String,
    /// Where it was read from.
    pub origin: Origin,
    /// A JSONL line's other fields that the bank reads (title, outlet, url, date, kind, …),
    /// when the inputs were asked for them ([`Inputs::with_metadata`]); `None` otherwise.
    pub meta: Option<Metadata>,
}

/// A JSONL line's fields besides `"id"` and `"text"`.
pub type Metadata = serde_json::Map<String, Value>;

/// A document that could not be read: where, and why. Reported as
/// `verbatim: skipped FILE:LINE: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// Where.
    pub origin: Origin,
    /// Why, in a few words.
    pub reason: String,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

/// What a stream of documents yields: a document, or why one was skipped.
pub type Item = Result<Document, Skip>;

/// How to read an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain UTF-8 text, one document per file.
    Txt,
    /// JSON Lines, one `{"id": …, "text": …}` object per line.
    Jsonl,
}

/// The name standard input has in messages.
pub const STDIN_NAME: &str = "<stdin>";
/// The document id of plain text read from standard input.
pub const STDIN_ID: &str = "stdin";

#[derive(Debug)]
enum Source {
    Text { path: PathBuf, id: String },
    Jsonl(PathBuf),
    Stdin(Option<InputFormat>),
    Failed(Skip),
}

/// The command-line inputs, expanded into the files to read, in order.
#[derive(Debug)]
pub struct Inputs {
    sources: Vec<Source>,
    metadata: bool,
    stdin_id: Option<String>,
    /// Files found in walked directories that are neither `.txt` nor `.jsonl`.
    ignored: Vec<PathBuf>,
}

impl Inputs {
    /// Expand `args` (files, directories, `-`). Directories are walked now (paths only, sorted);
    /// files are read later, by [`Inputs::documents`]. `forced` applies to `-` and to files named
    /// in `args`. A path that does not exist becomes a [`Skip`] in the stream.
    pub fn new<P: AsRef<Path>>(args: &[P], forced: Option<InputFormat>) -> Inputs {
        let mut sources = Vec::new();
        let mut ignored = Vec::new();
        for arg in args {
            let path = arg.as_ref();
            if path.as_os_str() == "-" {
                sources.push(Source::Stdin(forced));
                continue;
            }
            match fs::metadata(path) {
                Ok(meta) if meta.is_dir() => walk(path, &mut sources, &mut ignored),
                Ok(_) => sources.push(match forced {
                    Some(InputFormat::Jsonl) => Source::Jsonl(path.to_path_buf()),
                    None if has_extension(path, "jsonl") => Source::Jsonl(path.to_path_buf()),
                    Some(InputFormat::Txt) | None => Source::Text {
                        path: path.to_path_buf(),
                        id: file_stem(path),
                    },
                }),
                Err(e) => sources.push(Source::Failed(Skip {
                    origin: Origin::file(display_name(path)),
                    reason: io_reason(&e),
                })),
            }
        }
        Inputs {
            sources,
            ignored,
            metadata: false,
            stdin_id: None,
        }
    }

    /// Give the text read from standard input the id `id` rather than [`STDIN_ID`]; JSONL on
    /// standard input is then refused (its lines carry their own ids). See [`check_stdin_id`].
    pub fn with_stdin_id(mut self, id: Option<String>) -> Inputs {
        self.stdin_id = id;
        self
    }

    /// Keep each JSONL line's metadata fields ([`verbatim_bank::ingest::KNOWN_FIELDS`]) in
    /// [`Document::meta`], and take a numeric `"id"` as its digits, as the bank does.
    pub fn with_metadata(mut self) -> Inputs {
        self.metadata = true;
        self
    }

    /// Leave out the file at `path` (the output file, which may lie in an input directory).
    /// Files are compared by their canonical paths.
    pub fn without(mut self, path: &Path) -> Inputs {
        if let Ok(target) = fs::canonicalize(path) {
            self.sources.retain(|s| match s {
                Source::Text { path: p, .. } | Source::Jsonl(p) => {
                    fs::canonicalize(p).map_or(true, |p| p != target)
                }
                Source::Stdin(_) | Source::Failed(_) => true,
            });
        }
        self
    }

    /// The number of items [`Inputs::documents`] will yield, when known without reading
    /// (no JSONL and no standard input of unknown format).
    pub fn known_total(&self) -> Option<usize> {
        self.sources
            .iter()
            .all(|s| match s {
                Source::Text { .. } | Source::Failed(_) => true,
                Source::Stdin(f) => *f == Some(InputFormat::Txt),
                Source::Jsonl(_) => false,
            })
            .then_some(self.sources.len())
    }

    /// Read the inputs: documents and skips, in input order.
    pub fn documents(self) -> Documents {
        Documents {
            sources: self.sources.into_iter(),
            current: None,
            metadata: self.metadata,
            stdin_id: self.stdin_id,
        }
    }
}

/// Collect the `.txt` and `.jsonl` files under `dir`, sorted by path. Symbolic links to files
/// are followed, links to directories are not (no cycles). Unreadable directories become skips.
fn walk(dir: &Path, out: &mut Vec<Source>, ignored: &mut Vec<PathBuf>) {
    let mut found: Vec<(PathBuf, Source)> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) => {
                let skip = Skip {
                    origin: Origin::file(display_name(&d)),
                    reason: format!("cannot read directory: {}", io_reason(&e)),
                };
                found.push((d, Source::Failed(skip)));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let skip = Skip {
                        origin: Origin::file(display_name(&d)),
                        reason: format!("cannot read directory: {}", io_reason(&e)),
                    };
                    found.push((d.clone(), Source::Failed(skip)));
                    break;
                }
            };
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let is_file = kind.is_file()
                || (kind.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_file()));
            if !is_file {
                continue;
            }
            if has_extension(&path, "txt") {
                let id = walked_id(dir, &path);
                found.push((path.clone(), Source::Text { path, id }));
            } else if has_extension(&path, "jsonl") {
                found.push((path.clone(), Source::Jsonl(path)));
            } else {
                ignored.push(path);
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(found.into_iter().map(|(_, s)| s));
}

impl Inputs {
    /// What to tell the user of the files the walked directories held that are not read
    /// (neither `.txt` nor `.jsonl`), naming the first few; `None` when there were none.
    pub fn ignored_note(&self) -> Option<String> {
        let mut files = self.ignored.clone();
        files.sort();
        let first = files.first()?;
        let more = files.len() - 1;
        Some(format!(
            "not read: {} (neither .txt nor .jsonl){}",
            display_name(first),
            if more > 0 {
                format!(" and {more} more such file(s)")
            } else {
                String::new()
            }
        ))
    }
}

/// Check `--id` (the id of text on standard input) against the inputs: it names one document,
/// so it needs `-` as the only input, read as text.
pub fn check_stdin_id<P: AsRef<Path>>(
    id: &str,
    inputs: &[P],
    forced: Option<InputFormat>,
) -> Result<(), String> {
    if id.trim().is_empty() {
        return Err("--id is empty: give the document's id".into());
    }
    if inputs.len() != 1 || inputs[0].as_ref().as_os_str() != "-" {
        return Err(
            "--id names the one text document read from standard input: give - as the only \
             input (files are named by their paths)"
                .into(),
        );
    }
    if forced == Some(InputFormat::Jsonl) {
        return Err("--id is for text on standard input; JSONL lines carry their own ids".into());
    }
    Ok(())
}

/// The id of a text file named on the command line: its stem.
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The id of a text file found by walking `root`: its path below `root` with `/` between the
/// parts and without the extension (`2016-01/index`), so that files of the same name in
/// different folders stay different documents.
fn walked_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn display_name(path: &Path) -> Arc<str> {
    path.to_string_lossy().into()
}

/// An I/O error in a few words ("No such file or directory"), without the OS error number.
fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The documents of some [`Inputs`], read lazily in order. `Send`, so a reader thread can own it.
pub struct Documents {
    sources: std::vec::IntoIter<Source>,
    current: Option<JsonlDocuments<Box<dyn BufRead + Send>>>,
    metadata: bool,
    stdin_id: Option<String>,
}

impl Iterator for Documents {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(jsonl) = &mut self.current {
                match jsonl.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            match self.sources.next()? {
                Source::Failed(skip) => return Some(Err(skip)),
                Source::Text { path, id } => return Some(read_text_file(&path, id)),
                Source::Jsonl(path) => {
                    let name = display_name(&path);
                    match fs::File::open(&path) {
                        Ok(f) => {
                            let reader: Box<dyn BufRead + Send> =
                                Box::new(BufReader::with_capacity(1 << 16, f));
                            self.current =
                                Some(JsonlDocuments::new(reader, name).metadata(self.metadata));
                        }
                        Err(e) => {
                            return Some(Err(Skip {
                                origin: Origin::file(name),
                                reason: io_reason(&e),
                            }))
                        }
                    }
                }
                Source::Stdin(forced) => {
                    let name: Arc<str> = STDIN_NAME.into();
                    let stdin = BufReader::with_capacity(1 << 16, io::stdin());
                    let (reader, looks_jsonl) = match sniff(stdin) {
                        Ok(r) => r,
                        Err(e) => {
                            return Some(Err(Skip {
                                origin: Origin::file(name),
                                reason: format!("cannot read: {}", io_reason(&e)),
                            }))
                        }
                    };
                    let jsonl = match forced {
                        Some(f) => f == InputFormat::Jsonl,
                        None => looks_jsonl,
                    };
                    if jsonl && self.stdin_id.is_some() {
                        return Some(Err(Skip {
                            origin: Origin::file(name),
                            reason: "standard input is JSONL, whose lines carry their own ids: \
                                     leave out --id"
                                .into(),
                        }));
                    }
                    if jsonl {
                        let reader: Box<dyn BufRead + Send> = Box::new(reader);
                        self.current =
                            Some(JsonlDocuments::new(reader, name).metadata(self.metadata));
                    } else {
                        let id = self.stdin_id.clone().unwrap_or_else(|| STDIN_ID.into());
                        return Some(read_text(reader, id, name));
                    }
                }
            }
        }
    }
}

/// A reader after [`sniff`]: the bytes it looked at, then the rest.
pub type Sniffed<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// Peek at the start of `reader`: true when its first non-blank character (after an optional
/// byte-order mark) is `{`. Returns a reader that still yields every byte.
pub fn sniff<R: BufRead>(mut reader: R) -> io::Result<(Sniffed<R>, bool)> {
    let mut prefix = Vec::new();
    let looks_jsonl = loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break false;
        }
        let mut start = 0;
        if prefix.is_empty() && buf.starts_with(b"\xEF\xBB\xBF") {
            start = 3;
        }
        match buf[start..].iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break buf[start + i] == b'{',
            None => {
                let n = buf.len();
                prefix.extend_from_slice(buf);
                reader.consume(n);
            }
        }
    };
    Ok((Cursor::new(prefix).chain(reader), looks_jsonl))
}

fn read_text_file(path: &Path, id: String) -> Item {
    let name = display_name(path);
    match fs::File::open(path) {
        Ok(f) => read_text(f, id, name),
        Err(e) => Err(Skip {
            origin: Origin::file(name),
            reason: io_reason(&e),
        }),
    }
}

fn read_text<R: Read>(reader: R, id: String, file: Arc<str>) -> Item {
    read_text_up_to(reader, id, file, verbatim::text::tokens::MAX_TEXT_BYTES)
}

/// Like [`read_text`], refusing a document over `limit` bytes (the engine reads 4 GiB at most)
/// rather than extracting from the first part of it only.
fn read_text_up_to<R: Read>(reader: R, id: String, file: Arc<str>, limit: usize) -> Item {
    let mut bytes = Vec::new();
    match reader.take(limit as u64 + 1).read_to_end(&mut bytes) {
        Ok(n) if n > limit => Err(Skip {
            origin: Origin::file(file),
            reason: format!(
                "longer than {limit} bytes, the most Verbatim reads as one document; \
                 split it (one article per file, or a .jsonl file of articles)"
            ),
        }),
        Ok(_) => text_document(bytes, id, file),
        Err(e) => Err(Skip {
            origin: Origin::file(file),
            reason: format!("cannot read: {}", io_reason(&e)),
        }),
    }
}

/// A plain-text document from the bytes of a file: refused when binary (NUL bytes, UTF-16) or
/// not UTF-8, with the line of the first offending byte. Empty input is an empty document. A
/// UTF-8 byte-order mark is dropped: offsets count from the first character after it.
pub fn text_document(mut bytes: Vec<u8>, id: String, file: Arc<str>) -> Item {
    // Offsets in messages stay the file's own.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        3
    } else {
        0
    };
    let line_of = |i: usize| 1 + bytes[..i].iter().filter(|&&b| b == b'\n').count();
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        let reason = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            "UTF-16 text; only UTF-8 is supported".to_string()
        } else {
            format!("binary file (NUL byte at offset {})", i + bom)
        };
        return Err(Skip {
            origin: Origin::line(file, line_of(i)),
            reason,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Document {
            id,
            text,
            origin: Origin::file(file),
            meta: None,
        }),
        Err(e) => {
            let i = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..i].iter().filter(|&&b| b == b'\n').count();
            Err(Skip {
                origin: Origin::line(file, line),
                reason: format!(
                    "invalid UTF-8 (byte 0x{:02X} at offset {}); {UTF8_HINT}",
                    bytes[i],
                    i + bom
                ),
            })
        }
    }
}

/// The documents of a JSONL stream, read one line at a time. Blank lines are passed over;
/// every other line is a document or a [`Skip`] naming the line. A read error ends the stream
/// (after one skip for it).
pub struct JsonlDocuments<R> {
    reader: R,
    file: Arc<str>,
    line: usize,
    buf: Vec<u8>,
    failed: bool,
    metadata: bool,
}

impl<R: BufRead> JsonlDocuments<R> {
    /// Read `reader`; `file` names it in [`Origin`]s.
    pub fn new(reader: R, file: Arc<str>) -> JsonlDocuments<R> {
        JsonlDocuments {
            reader,
            file,
            line: 0,
            buf: Vec::new(),
            failed: false,
            metadata: false,
        }
    }

    /// Keep each line's metadata (see [`Inputs::with_metadata`]).
    pub fn metadata(mut self, yes: bool) -> JsonlDocuments<R> {
        self.metadata = yes;
        self
    }
}

impl<R: BufRead> Iterator for JsonlDocuments<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.failed {
            return None;
        }
        loop {
            self.buf.clear();
            let origin = Origin::line(self.file.clone(), self.line + 1);
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(Skip {
                        origin,
                        reason: format!("cannot read: {}", io_reason(&e)),
                    }));
                }
            }
            let mut line = &self.buf[..];
            if self.line == 1 {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let complete = line.ends_with(b"\n");
            // Large documents: keep the buffer from holding on to a huge allocation.
            let parsed = if self.metadata {
                parse_jsonl_line_with_metadata(line, complete)
            } else {
                parse_jsonl_line(line, complete).map(|(id, text)| (id, text, None))
            };
            let item = parsed
                .map(|(id, text, meta)| Document {
                    id,
                    text,
                    origin: origin.clone(),
                    meta,
                })
                .map_err(|reason| Skip { origin, reason });
            if self.buf.capacity() > 1 << 20 {
                self.buf = Vec::new();
            }
            return Some(item);
        }
    }
}

/// Parse one JSONL line into `(id, text)`: an object with string `"id"` and `"text"`; other
/// fields are ignored. `complete` is false for a last line without a line break, which makes a
/// parse error read "truncated". The error is a reason for a [`Skip`].
pub fn parse_jsonl_line(line: &[u8], complete: bool) -> Result<(String, String), String> {
    let mut object = parse_object(line, complete, &["id", "text"])?;
    let id = string_field(&mut object, "id")?;
    let text = string_field(&mut object, "text")?;
    Ok((id, text))
}

/// Like [`parse_jsonl_line`], keeping the fields the bank reads besides `"id"` and `"text"`;
/// a numeric `"id"` is taken as its digits.
pub fn parse_jsonl_line_with_metadata(
    line: &[u8],
    complete: bool,
) -> Result<(String, String, Option<Metadata>), String> {
    let mut object = parse_object(line, complete, verbatim_bank::ingest::KNOWN_FIELDS)?;
    let id = match object.remove("id") {
        Some(v @ Value::Number(_)) => {
            verbatim_bank::ingest::json_id(&v).map_err(|e| e.to_string())?
        }
        Some(v) => {
            object.insert("id".into(), v);
            string_field(&mut object, "id")?
        }
        None => string_field(&mut object, "id")?,
    };
    let text = string_field(&mut object, "text")?;
    Ok((id, text, Some(object)))
}

/// What to do about text that is not UTF-8 (most often Windows-1252 or Latin-1).
const UTF8_HINT: &str = "convert the file to UTF-8 first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`";

/// A JSONL line's object, with only `fields` parsed into values (`json_fields`: the others
/// are checked and skipped). A line that is not such an object takes the full parse, for its
/// message.
fn parse_object(
    line: &[u8],
    complete: bool,
    fields: &[&str],
) -> Result<serde_json::Map<String, Value>, String> {
    let line = std::str::from_utf8(line).map_err(|e| {
        format!(
            "invalid UTF-8 (byte 0x{:02X} at column {}); {UTF8_HINT}",
            line[e.valid_up_to()],
            e.valid_up_to() + 1
        )
    })?;
    let parsed = match verbatim_bank::ingest::json_fields(line, fields) {
        Ok(object) => Ok(object),
        Err(_) => serde_json::from_str(line),
    };
    parsed.map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Eof if !complete => format!("truncated JSON line ({e})"),
            Category::Eof | Category::Syntax | Category::Io => format!("invalid JSON ({e})"),
            Category::Data => "not a JSON object".to_string(),
        }
    })
}

/// Take the string field `name` out of `object`, or say what is wrong with it.
fn string_field(object: &mut serde_json::Map<String, Value>, name: &str) -> Result<String, String> {
    match object.remove(name) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!(
            "\"{name}\" is {}, not a string",
            json_type_name(&other)
        )),
        None => Err(format!("no \"{name}\" field")),
    }
}

fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "verbatim-input-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
            let p = self.0.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, bytes).unwrap();
            p
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn jsonl(data: &str) -> Vec<Item> {
        JsonlDocuments::new(data.as_bytes(), "f.jsonl".into()).collect()
    }

    fn reason(item: &Item) -> String {
        match item {
            Err(skip) => skip.to_string(),
            Ok(doc) => panic!("expected a skip, got {doc:?}"),
        }
    }

    #[test]
    fn metadata_lines_keep_the_bank_fields_and_whole_numeric_ids() {
        let (id, text, meta) = parse_jsonl_line_with_metadata(
            br#"{"id": 12, "text": "t", "outlet": "bbc", "quotes": [1, 2]}"#,
            true,
        )
        .unwrap();
        assert_eq!((id.as_str(), text.as_str()), ("12", "t"));
        let meta = meta.unwrap();
        assert_eq!(meta.get("outlet"), Some(&Value::String("bbc".into())));
        assert!(
            meta.get("quotes").is_none(),
            "only the fields the bank reads"
        );
        let e = parse_jsonl_line_with_metadata(br#"{"id": 1.5, "text": "t"}"#, true).unwrap_err();
        assert!(e.contains("as a string"), "{e}");
        // Without metadata, as before: the id must be a string.
        assert!(parse_jsonl_line(br#"{"id": 12, "text": "t"}"#, true).is_err());
    }

    #[test]
    fn jsonl_reads_id_and_text_and_ignores_other_fields() {
        let items = jsonl(
            "{\"id\": \"a\", \"text\": \"Zürich “hi”\", \"quotes\": [{\"x\": 1}]}\n\n  \n{\"text\":\"\",\"id\":\"b\"}",
        );
        assert_eq!(items.len(), 2);
        let a = items[0].as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.text.as_str()), ("a", "Zürich “hi”"));
        assert_eq!(a.origin.to_string(), "f.jsonl:1");
        let b = items[1].as_ref().unwrap();
        assert_eq!((b.id.as_str(), b.text.as_str()), ("b", ""));
        assert_eq!(b.origin.line, Some(4));
    }

    #[test]
    fn jsonl_reports_each_bad_line_and_goes_on() {
        let items = jsonl(concat!(
            "{\"id\": \"ok1\", \"text\": \"x\"}\n",
            "{\"id\": \"no-text\"}\n",
            "{\"id\": 7, \"text\": \"x\"}\n",
            "[\"a\", \"b\"]\n",
            "not json\n",
            "{\"id\": \"ok2\", \"text\": \"y\"}\r\n",
            "{\"id\": \"cut\", \"te",
        ));
        assert_eq!(items.len(), 7);
        assert!(items[0].is_ok() && items[5].is_ok());
        assert_eq!(reason(&items[1]), "f.jsonl:2: no \"text\" field");
        assert_eq!(
            reason(&items[2]),
            "f.jsonl:3: \"id\" is a number, not a string"
        );
        assert_eq!(reason(&items[3]), "f.jsonl:4: not a JSON object");
        assert!(reason(&items[4]).starts_with("f.jsonl:5: invalid JSON"));
        assert!(reason(&items[6]).starts_with("f.jsonl:7: truncated JSON line"));
    }

    #[test]
    fn jsonl_other_fields_are_skipped_and_a_repeated_field_reads_as_before() {
        let items = jsonl(concat!(
            "{\"quotes\": [{\"a\": [1, {\"b\": null}]}], \"id\": \"a\", \"text\": \"t\"}\n",
            "{\"id\": \"x\", \"id\": \"y\", \"text\": \"t\"}\n",
            "{\"id\": \"n\", \"text\": null}\n",
            // A full parse refuses these, in fields nobody reads: so does the reader.
            "{\"id\": \"a\", \"text\": \"t\", \"x\": \"\\udc00\"}\n",
            "{\"id\": \"a\", \"text\": \"t\", \"date\": 1e400}\n",
        ));
        let a = items[0].as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.text.as_str()), ("a", "t"));
        // serde_json keeps the last of a repeated key.
        assert_eq!(items[1].as_ref().unwrap().id, "y");
        assert_eq!(
            reason(&items[2]),
            "f.jsonl:3: \"text\" is null, not a string"
        );
        assert!(reason(&items[3]).starts_with("f.jsonl:4: invalid JSON (lone leading surrogate"));
        assert!(reason(&items[4]).starts_with("f.jsonl:5: invalid JSON (number out of range"));
    }

    #[test]
    fn jsonl_line_errors_for_utf8_bom_and_nul() {
        let mut data = b"\xEF\xBB\xBF{\"id\":\"bom\",\"text\":\"t\"}\n".to_vec();
        data.extend_from_slice(b"{\"id\":\"x\",\"text\":\"\xFF\"}\n");
        data.extend_from_slice(b"{\"id\":\"z\",\"text\":\"a\\u0000b\"}\n");
        let items: Vec<Item> = JsonlDocuments::new(&data[..], "f".into()).collect();
        assert_eq!(items[0].as_ref().unwrap().id, "bom");
        assert!(reason(&items[1]).starts_with("f:2: invalid UTF-8 (byte 0xFF at column 19)"));
        // An escaped NUL is text like any other.
        assert_eq!(items[2].as_ref().unwrap().text, "a\0b");
    }

    #[test]
    fn jsonl_stops_after_a_read_error() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        let items: Vec<Item> = JsonlDocuments::new(BufReader::new(Failing), "f".into()).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(reason(&items[0]), "f:1: cannot read: disk on fire");
    }

    #[test]
    fn a_text_over_the_limit_is_refused_not_cut() {
        let name: Arc<str> = "big.txt".into();
        let ok = read_text_up_to(&b"He said no."[..], "big".into(), name.clone(), 11);
        assert_eq!(ok.unwrap().text, "He said no.");
        let over = read_text_up_to(&b"He said no!!"[..], "big".into(), name, 11);
        let why = reason(&over);
        assert!(
            why.contains("big.txt") && why.contains("longer than 11 bytes"),
            "{why}"
        );
    }

    #[test]
    fn text_documents_refuse_binary_and_bad_utf8() {
        let doc = text_document("a\nZürich".into(), "z".into(), "z.txt".into()).unwrap();
        assert_eq!(doc.text, "a\nZürich");
        assert_eq!(
            reason(&text_document(
                b"ab\ncd\0".to_vec(),
                "b".into(),
                "b.bin".into()
            )),
            "b.bin:2: binary file (NUL byte at offset 5)"
        );
        assert_eq!(
            reason(&text_document(
                b"\xFF\xFEa\0".to_vec(),
                "u".into(),
                "u.txt".into()
            )),
            "u.txt:1: UTF-16 text; only UTF-8 is supported"
        );
        assert_eq!(
            reason(&text_document(
                b"ok\nok\nbad \xC3(".to_vec(),
                "x".into(),
                "x.txt".into()
            )),
            format!("x.txt:3: invalid UTF-8 (byte 0xC3 at offset 10); {UTF8_HINT}")
        );
        let empty = text_document(Vec::new(), "e".into(), "e.txt".into()).unwrap();
        assert_eq!(empty.text, "");
    }

    #[test]
    fn sniff_keeps_every_byte() {
        let (mut r, jsonl) = sniff(&b"\n  \t{\"id\":1}"[..]).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert!(jsonl);
        assert_eq!(s, "\n  \t{\"id\":1}");
        assert!(!sniff(&b"  \"Hi,\" he said."[..]).unwrap().1);
        assert!(!sniff(&b""[..]).unwrap().1);
        assert!(sniff(&b"\xEF\xBB\xBF{}"[..]).unwrap().1);
        // Leading blanks longer than the reader's buffer.
        let mut long = vec![b' '; 50_000];
        long.extend_from_slice(b"{}");
        let (mut r, jsonl) = sniff(BufReader::with_capacity(1024, &long[..])).unwrap();
        let mut all = Vec::new();
        r.read_to_end(&mut all).unwrap();
        assert!(jsonl);
        assert_eq!(all, long);
    }

    #[test]
    fn directories_are_walked_in_path_order() {
        let t = TempDir::new();
        t.write("b.txt", b"B");
        t.write("a/z.txt", b"AZ");
        t.write("a/notes.md", b"ignored");
        t.write("a/c.jsonl", b"{\"id\":\"c1\",\"text\":\"C\"}\n");
        t.write("a/deeper/d.TXT", b"D");
        t.write("bin.txt", b"\0\0");
        let items: Vec<Item> = Inputs::new(&[&t.0], None).documents().collect();
        let names: Vec<String> = items
            .iter()
            .map(|i| match i {
                Ok(d) => d.id.clone(),
                Err(s) => format!("skip:{}", Path::new(&*s.origin.file).display()),
            })
            .collect();
        let bin = t.0.join("bin.txt");
        // A walked text file is named by its path in the directory, without `.txt`.
        assert_eq!(
            names,
            [
                "c1",
                "a/deeper/d",
                "a/z",
                "b",
                &format!("skip:{}", bin.display())
            ]
        );
        assert_eq!(Inputs::new(&[&t.0], None).known_total(), None);
    }

    #[test]
    fn files_of_one_name_in_two_folders_are_two_documents() {
        let t = TempDir::new();
        t.write("2016-01/index.txt", b"January.");
        t.write("2016-02/index.txt", b"February.");
        let ids =
            |inputs: Inputs| -> Vec<String> { inputs.documents().map(|i| i.unwrap().id).collect() };
        assert_eq!(
            ids(Inputs::new(&[&t.0], None)),
            ["2016-01/index", "2016-02/index"]
        );
        // Relative to the directory as given, however it is spelt.
        let sub = t.0.join("2016-01").join(".");
        assert_eq!(ids(Inputs::new(&[&sub], None)), ["index"]);
        // A file named on the command line keeps its stem.
        let file = t.0.join("2016-02/index.txt");
        assert_eq!(ids(Inputs::new(&[&file], None)), ["index"]);
    }

    #[test]
    fn stdin_ids_need_one_text_input() {
        assert!(check_stdin_id("a", &["-"], None).is_ok());
        assert!(check_stdin_id("a", &["-"], Some(InputFormat::Txt)).is_ok());
        let e = check_stdin_id("a", &["-"], Some(InputFormat::Jsonl)).unwrap_err();
        assert!(e.contains("JSONL"), "{e}");
        let e = check_stdin_id("a", &["-", "b.txt"], None).unwrap_err();
        assert!(e.contains("only input"), "{e}");
        assert!(check_stdin_id("a", &["b.txt"], None).is_err());
        assert!(check_stdin_id(" ", &["-"], None).is_err());
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_text() {
        let doc = text_document(
            "\u{FEFF}\"Hi,\" he said.".into(),
            "b".into(),
            "b.txt".into(),
        )
        .unwrap();
        assert_eq!(doc.text, "\"Hi,\" he said.");
        // Messages keep the file's own offsets.
        assert_eq!(
            reason(&text_document(
                b"\xEF\xBB\xBFab\xFF".to_vec(),
                "x".into(),
                "x.txt".into()
            )),
            format!("x.txt:1: invalid UTF-8 (byte 0xFF at offset 5); {UTF8_HINT}")
        );
    }

    #[test]
    fn files_stdin_and_missing_paths() {
        let t = TempDir::new();
        let a = t.write("one.txt", b"Hello.");
        let j = t.write("two.data", b"{\"id\":\"j\",\"text\":\"J\"}\n");
        let missing = t.0.join("missing.txt");
        let inputs = Inputs::new(&[a.clone(), missing.clone()], None);
        assert_eq!(inputs.known_total(), Some(2));
        let items: Vec<Item> = inputs.documents().collect();
        assert_eq!(items[0].as_ref().unwrap().id, "one");
        assert_eq!(
            reason(&items[1]),
            format!("{}: No such file or directory", missing.display())
        );
        // The output file is never an input.
        let out = t.write("out.jsonl", b"{\"id\":\"old\",\"quotes\":[]}\n");
        let left: Vec<Item> = Inputs::new(&[&t.0], None)
            .without(&t.0.join(".").join("out.jsonl"))
            .documents()
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].as_ref().unwrap().id, "one");
        fs::remove_file(out).unwrap();
        // A file named on the command line is text unless it ends in .jsonl or is forced.
        let as_text: Vec<Item> = Inputs::new(&[&j], None).documents().collect();
        assert_eq!(as_text[0].as_ref().unwrap().id, "two");
        let forced: Vec<Item> = Inputs::new(&[&j], Some(InputFormat::Jsonl))
            .documents()
            .collect();
        assert_eq!(forced[0].as_ref().unwrap().id, "j");
        assert_eq!(
            Inputs::new(&["-"], None).known_total(),
            None,
            "stdin may be JSONL"
        );
        assert_eq!(
            Inputs::new(&["-"], Some(InputFormat::Txt)).known_total(),
            Some(1)
        );
    }
}
