//! The book's files: the one guarded way to read a file a book names.
//!
//! Every path a book gives — chapters and their includes, images and the
//! cover, print styles, EPUB stylesheets and what they import, fonts,
//! mdBook's `[book] src` — is resolved here into a [`BookPath`], and every
//! such file is read here, so that one set of rules holds for all of them:
//!
//! - lexically, the path stays inside its base (no absolute path, no `..`
//!   above the book's root);
//! - after symbolic links are followed, it is still inside the book's root
//!   (a `fonts/` link to `/etc/shadow` is refused, not embedded);
//! - it names a regular file: a directory, FIFO, socket or device is refused
//!   before it is opened (opening a FIFO blocks until someone writes; a
//!   device may never end);
//! - it is read with a size cap ([`Cap`]), checked on the open file too, so
//!   a file that grows after the check still cannot exhaust memory.
//!
//! Binary files (images, fonts) are kept once read, so the loader, the EPUB
//! writer and the typesetter see the same bytes and no file is read twice.
//! Text files (chapters) are not kept: the loader holds their text.
//!
//! What the backends do with the bytes is theirs; `image.rs` decides what an
//! image is. Writing is `output.rs`'s business.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::image::{ImageProblem, Picture};

/// Why an image file cannot be used: the fence refused it, or it is not
/// an image the book can carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureError {
    Refused(Refusal),
    Problem(ImageProblem),
}

impl PictureError {
    /// The message, given how the book names the image.
    pub fn message(&self, src: &str) -> String {
        match self {
            PictureError::Refused(why) => format!("image {}", why.message(src)),
            PictureError::Problem(p) => p.message(src),
        }
    }
}

/// Size caps by kind of file, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// A chapter with everything it includes, SUMMARY.md, a print style or
    /// an EPUB stylesheet: 16 MiB is some 2.5 million words, thirty novels
    /// in one chapter. The tree of a file takes several times its size, so
    /// the cap bounds memory before anything is parsed.
    Text,
    /// An image: 64 MiB holds a 300 dpi full-page colour scan several times
    /// over; `image.rs` caps the pixel count separately.
    Image,
    /// A font file: the largest CJK families are some 20–30 MiB per file.
    Font,
}

impl Cap {
    /// The cap in bytes.
    pub fn bytes(self) -> u64 {
        match self {
            Cap::Text => 16 * 1024 * 1024,
            Cap::Image => 64 * 1024 * 1024,
            Cap::Font => 48 * 1024 * 1024,
        }
    }
}

/// Why a path or a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Absolute, or climbing above the book's root with `..`.
    Leaves,
    /// Inside lexically, outside once symbolic links are followed.
    LinksOut,
    /// Nothing there.
    Missing,
    /// There, but not a regular file (what it is instead).
    NotAFile(&'static str),
    /// Larger than its cap.
    TooLarge {
        /// The file's size.
        bytes: u64,
        /// The cap it broke.
        cap: u64,
    },
    /// Not UTF-8 (for text): the byte offset and its 1-based line and column.
    NotUtf8 {
        /// Offset of the first bad byte.
        byte: usize,
        /// Its line.
        line: usize,
        /// Its column.
        col: usize,
    },
    /// What the system said when reading it.
    Unreadable(String),
}

impl Refusal {
    /// The refusal in words, about the file as the book names it.
    pub fn message(&self, named: &str) -> String {
        match self {
            Refusal::Leaves => format!("`{named}` leaves the book's directory"),
            Refusal::LinksOut => {
                format!(
                    "`{named}` is a symbolic link (or lies under one) pointing outside the book's directory"
                )
            }
            Refusal::Missing => format!("`{named}` does not exist"),
            Refusal::NotAFile(what) => format!("`{named}` is {what}, not a regular file"),
            Refusal::TooLarge { bytes, cap } => format!(
                "`{named}` is {} MiB; samizdat reads files of this kind of up to {} MiB",
                bytes.div_ceil(1024 * 1024),
                cap / 1024 / 1024
            ),
            Refusal::NotUtf8 { byte, .. } => {
                format!("`{named}` is not valid UTF-8 (byte {byte} of the file)")
            }
            Refusal::Unreadable(e) => format!("`{named}` cannot be read: {e}"),
        }
    }

    /// What to do about it, where there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Refusal::Leaves | Refusal::LinksOut => {
                Some("every file a book uses must be inside the book's directory")
            }
            Refusal::TooLarge { .. } => Some("split it, or make it smaller"),
            Refusal::NotUtf8 { .. } => Some("save the file as UTF-8"),
            _ => None,
        }
    }
}

/// A path checked to name a regular file inside the book, relative to the
/// book's root. Only [`BookFiles`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookPath {
    rel: PathBuf,
}

impl BookPath {
    /// The path relative to the book's root.
    pub fn rel(&self) -> &Path {
        &self.rel
    }
}

/// The files of one book, fenced at its root.
#[derive(Debug)]
pub struct BookFiles {
    /// The root as given (for messages and for paths the user sees).
    root: PathBuf,
    /// The root with every symbolic link resolved: the fence.
    real_root: PathBuf,
    /// Where chapter paths are relative to, relative to the root (empty,
    /// or mdBook's `src`).
    content: PathBuf,
    /// Binary files read so far.
    kept: Mutex<HashMap<PathBuf, Arc<[u8]>>>,
    /// Image files judged so far (`image::inspect`), for the loader and
    /// both backends.
    judged: Mutex<HashMap<PathBuf, Result<Picture, ImageProblem>>>,
}

impl BookFiles {
    /// The files under `root`. Fails only when the root itself cannot be
    /// resolved (it does not exist).
    pub fn new(root: &Path) -> std::io::Result<BookFiles> {
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        Ok(BookFiles {
            real_root: root.canonicalize()?,
            root: root.to_path_buf(),
            content: PathBuf::new(),
            kept: Mutex::new(HashMap::new()),
            judged: Mutex::new(HashMap::new()),
        })
    }

    /// Sets the directory chapter paths are relative to (`rel`, relative to
    /// the root), after checking it is a directory inside the book.
    pub fn set_content_dir(&mut self, rel: &Path) -> Result<(), Refusal> {
        let norm = normalize(rel).ok_or(Refusal::Leaves)?;
        let full = self.real_root.join(&norm);
        let real = full.canonicalize().map_err(|e| io_refusal(&e))?;
        if !real.starts_with(&self.real_root) {
            return Err(Refusal::LinksOut);
        }
        if !real.is_dir() {
            return Err(Refusal::NotAFile("not a directory"));
        }
        self.content = norm;
        Ok(())
    }

    /// The root as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The content directory as the user would write it (`book/src`).
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(&self.content)
    }

    /// Where a checked path is, for messages and for tools that need a
    /// path (the root as given, joined with the relative path).
    pub fn full(&self, path: &BookPath) -> PathBuf {
        self.root.join(&path.rel)
    }

    /// Resolves `rel`, relative to the content directory (chapters,
    /// includes, images, the cover).
    pub fn resolve(&self, rel: &Path) -> Result<BookPath, Refusal> {
        self.resolve_at(&self.content.join(rel))
    }

    /// Resolves `rel`, relative to the book's root (styles, stylesheets,
    /// fonts).
    pub fn resolve_root(&self, rel: &Path) -> Result<BookPath, Refusal> {
        self.resolve_at(rel)
    }

    /// A path relative to the root, as a content-relative one (the form the
    /// tree keeps image sources in), if it lies in the content directory.
    pub fn content_relative<'a>(&self, path: &'a BookPath) -> Option<&'a Path> {
        path.rel.strip_prefix(&self.content).ok()
    }

    fn resolve_at(&self, rel: &Path) -> Result<BookPath, Refusal> {
        let norm = normalize(rel).ok_or(Refusal::Leaves)?;
        if norm.as_os_str().is_empty() {
            return Err(Refusal::NotAFile("the book's directory"));
        }
        let full = self.real_root.join(&norm);
        let real = full.canonicalize().map_err(|e| io_refusal(&e))?;
        if !real.starts_with(&self.real_root) {
            return Err(Refusal::LinksOut);
        }
        let meta = std::fs::metadata(&real).map_err(|e| io_refusal(&e))?;
        check_kind(&meta)?;
        Ok(BookPath { rel: norm })
    }

    /// Whether `rel` (content-relative) resolves to a readable file.
    pub fn is_file(&self, rel: &Path) -> bool {
        self.resolve(rel).is_ok()
    }

    /// The bytes of a binary file, read once and kept.
    pub fn read(&self, path: &BookPath, cap: Cap) -> Result<Arc<[u8]>, Refusal> {
        if let Some(data) = self
            .kept
            .lock()
            .ok()
            .and_then(|k| k.get(&path.rel).cloned())
        {
            return Ok(data);
        }
        let data: Arc<[u8]> = self.read_capped(path, cap)?.into();
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(path.rel.clone(), data.clone());
        }
        Ok(data)
    }

    /// An image file, read and judged once (type from its bytes, pixel
    /// size from its header) for the loader, the EPUB writer and the
    /// typesetter alike.
    pub fn picture(&self, path: &BookPath) -> Result<Picture, PictureError> {
        if let Some(judged) = self
            .judged
            .lock()
            .ok()
            .and_then(|j| j.get(&path.rel).cloned())
        {
            return judged.map_err(PictureError::Problem);
        }
        let data = self.read(path, Cap::Image).map_err(PictureError::Refused)?;
        let judged = Picture::new(data);
        if let Ok(mut j) = self.judged.lock() {
            j.insert(path.rel.clone(), judged.clone());
        }
        judged.map_err(PictureError::Problem)
    }

    /// The text of a UTF-8 file (not kept), without a leading byte-order
    /// mark.
    pub fn read_text(&self, path: &BookPath, cap: Cap) -> Result<String, Refusal> {
        let bytes = self.read_capped(path, cap)?;
        text_of(bytes)
    }

    /// The regular files directly in the directory `rel` (root-relative),
    /// sorted by name; `None` when there is no such directory. Entries that
    /// are refused (links out, FIFOs…) come back as errors with their name.
    #[allow(clippy::type_complexity)]
    pub fn list_dir(&self, rel: &Path) -> Option<Vec<(String, Result<BookPath, Refusal>)>> {
        let norm = normalize(rel)?;
        let full = self.real_root.join(&norm);
        let real = full.canonicalize().ok()?;
        if !real.starts_with(&self.real_root) || !real.is_dir() {
            return None;
        }
        let mut names: Vec<String> = std::fs::read_dir(&real)
            .ok()?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        Some(
            names
                .into_iter()
                .filter_map(|name| {
                    let path = norm.join(&name);
                    match self.resolve_at(&path) {
                        // Subdirectories are not files of the listing.
                        Err(Refusal::NotAFile("a directory")) => None,
                        r => Some((name, r)),
                    }
                })
                .collect(),
        )
    }

    fn read_capped(&self, path: &BookPath, cap: Cap) -> Result<Vec<u8>, Refusal> {
        let full = self.real_root.join(&path.rel);
        // Checked again: the file may have been swapped since it was
        // resolved. A FIFO is caught here, before `open` would block.
        let real = full.canonicalize().map_err(|e| io_refusal(&e))?;
        if !real.starts_with(&self.real_root) {
            return Err(Refusal::LinksOut);
        }
        check_kind(&std::fs::metadata(&real).map_err(|e| io_refusal(&e))?)?;
        let file = File::open(&real).map_err(|e| io_refusal(&e))?;
        let meta = file.metadata().map_err(|e| io_refusal(&e))?;
        check_kind(&meta)?;
        let cap = cap.bytes();
        if meta.len() > cap {
            return Err(Refusal::TooLarge {
                bytes: meta.len(),
                cap,
            });
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_refusal(&e))?;
        if bytes.len() as u64 > cap {
            return Err(Refusal::TooLarge {
                bytes: bytes.len() as u64,
                cap,
            });
        }
        Ok(bytes)
    }
}

/// Text from bytes: UTF-8, a leading byte-order mark dropped.
pub fn text_of(mut bytes: Vec<u8>) -> Result<String, Refusal> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]);
        let line = prefix.matches('\n').count() + 1;
        let col = prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Refusal::NotUtf8 {
            byte: good,
            line,
            col,
        }
    })
}

/// Refuses anything but a regular file.
fn check_kind(meta: &std::fs::Metadata) -> Result<(), Refusal> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(Refusal::NotAFile("a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Err(Refusal::NotAFile("a named pipe (FIFO)"));
        }
        if kind.is_socket() {
            return Err(Refusal::NotAFile("a socket"));
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Err(Refusal::NotAFile("a device"));
        }
    }
    Err(Refusal::NotAFile("not a regular file"))
}

fn io_refusal(e: &std::io::Error) -> Refusal {
    match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        // A path through a regular file (`ch.md/x`).
        std::io::ErrorKind::NotADirectory => Refusal::Missing,
        _ => Refusal::Unreadable(e.to_string()),
    }
}

// Path helpers: how a name written in the book becomes a relative path.
// Every module that turns a link, an image source or a stylesheet's `url()`
// into a file takes them from here.

/// Lexically normalises a relative path (`a/../b/./c` → `b/c`); `None` when
/// it climbs out of its root.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The file part of a URL written in the book (`img/a%20b.png?v=2#x` →
/// `img/a b.png`): the query and fragment cut off, `%` escapes decoded.
pub fn url_path(url: &str) -> PathBuf {
    PathBuf::from(percent_decode(url.split(['#', '?']).next().unwrap_or("")))
}

/// Decodes `%20`-style escapes in a Markdown link destination.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_refuses_escapes() {
        assert_eq!(normalize(Path::new("a/../b/./c")), Some("b/c".into()));
        assert_eq!(normalize(Path::new("../x")), None);
        assert_eq!(normalize(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn url_path_cuts_query_and_fragment_and_decodes() {
        assert_eq!(
            url_path("img/a%20b.png?v=2#x"),
            PathBuf::from("img/a b.png")
        );
        assert_eq!(url_path("#top"), PathBuf::from(""));
        assert_eq!(percent_decode("100%"), "100%");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("samizdat-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("book/sub")).unwrap();
        std::fs::write(dir.join("book/a.md"), "\u{feff}# A\n").unwrap();
        std::fs::write(dir.join("book/sub/b.png"), b"\x89PNG").unwrap();
        std::fs::write(dir.join("secret"), "outside").unwrap();
        dir
    }

    #[test]
    fn paths_inside_resolve_and_text_loses_its_bom() {
        let dir = scratch("inside");
        let files = BookFiles::new(&dir.join("book")).unwrap();
        let p = files.resolve(Path::new("./sub/../a.md")).unwrap();
        assert_eq!(p.rel(), Path::new("a.md"));
        assert_eq!(files.read_text(&p, Cap::Text).unwrap(), "# A\n");
        let img = files.resolve(Path::new("sub/b.png")).unwrap();
        let first = files.read(&img, Cap::Image).unwrap();
        std::fs::write(dir.join("book/sub/b.png"), b"changed").unwrap();
        assert_eq!(&*files.read(&img, Cap::Image).unwrap(), b"\x89PNG", "kept");
        std::fs::remove_dir_all(&dir).unwrap();
        drop(first);
    }

    #[test]
    fn climbing_absolute_and_missing_paths_are_refused() {
        let dir = scratch("climb");
        let files = BookFiles::new(&dir.join("book")).unwrap();
        assert_eq!(files.resolve(Path::new("../secret")), Err(Refusal::Leaves));
        assert_eq!(
            files.resolve(Path::new("sub/../../secret")),
            Err(Refusal::Leaves)
        );
        let abs = dir.join("secret");
        assert_eq!(files.resolve(&abs), Err(Refusal::Leaves));
        assert_eq!(files.resolve(Path::new("nope.md")), Err(Refusal::Missing));
        assert_eq!(files.resolve(Path::new("a.md/x")), Err(Refusal::Missing));
        assert_eq!(
            files.resolve(Path::new("sub")),
            Err(Refusal::NotAFile("a directory"))
        );
        assert_eq!(
            files.resolve(Path::new("")),
            Err(Refusal::NotAFile("the book's directory"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_out_fifos_and_devices_are_refused() {
        let dir = scratch("links");
        let book = dir.join("book");
        std::os::unix::fs::symlink(dir.join("secret"), book.join("fonts.otf")).unwrap();
        std::os::unix::fs::symlink(&dir, book.join("up")).unwrap();
        std::os::unix::fs::symlink("a.md", book.join("alias.md")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", book.join("zero.md")).unwrap();
        let fifo = book.join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let files = BookFiles::new(&book).unwrap();
        assert_eq!(
            files.resolve(Path::new("fonts.otf")),
            Err(Refusal::LinksOut)
        );
        assert_eq!(
            files.resolve(Path::new("up/secret")),
            Err(Refusal::LinksOut)
        );
        assert_eq!(files.resolve(Path::new("zero.md")), Err(Refusal::LinksOut));
        assert!(
            files.resolve(Path::new("alias.md")).is_ok(),
            "a link inside is fine"
        );
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(
                files.resolve(Path::new("pipe.md")),
                Err(Refusal::NotAFile("a named pipe (FIFO)"))
            );
        }
        let listed = files.list_dir(Path::new("")).unwrap();
        let names: Vec<_> = listed
            .iter()
            .map(|(n, r)| (n.as_str(), r.is_ok()))
            .collect();
        assert!(names.contains(&("fonts.otf", false)), "{names:?}");
        assert!(names.contains(&("a.md", true)), "{names:?}");
        assert!(!names.iter().any(|(n, _)| *n == "sub"), "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_over_their_cap_are_refused_unread() {
        let dir = scratch("cap");
        let book = dir.join("book");
        let f = std::fs::File::create(book.join("big.md")).unwrap();
        f.set_len(Cap::Text.bytes() + 1).unwrap();
        let files = BookFiles::new(&book).unwrap();
        let p = files.resolve(Path::new("big.md")).unwrap();
        assert!(matches!(
            files.read_text(&p, Cap::Text),
            Err(Refusal::TooLarge { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn content_dir_must_be_a_directory_inside() {
        let dir = scratch("content");
        let mut files = BookFiles::new(&dir.join("book")).unwrap();
        assert_eq!(files.set_content_dir(Path::new("..")), Err(Refusal::Leaves));
        assert_eq!(
            files.set_content_dir(Path::new("missing")),
            Err(Refusal::Missing)
        );
        files.set_content_dir(Path::new("sub")).unwrap();
        assert!(files.is_file(Path::new("b.png")));
        assert_eq!(
            files.resolve(Path::new("../a.md")).unwrap().rel(),
            Path::new("a.md")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        assert_eq!(
            text_of(b"ok\nab\xff".to_vec()),
            Err(Refusal::NotUtf8 {
                byte: 5,
                line: 2,
                col: 3
            })
        );
    }
}
