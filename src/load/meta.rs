//! The book's metadata: from `[book]` in book.toml or from a single file's
//! front matter, with the defaults (identifier, file slug) derived.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Error, Result, Warnings};
use crate::doc::{self, Meta};
use crate::frontmatter;

/// Metadata from `[book]`, defaults filled in.
pub(super) fn from_config(config: &Config, config_path: &Path, text: &str) -> Result<Meta> {
    let b = &config.book;
    let Some(title) = b.title.clone().filter(|t| !t.trim().is_empty()) else {
        let line = text
            .lines()
            .position(|l| l.trim() == "[book]")
            .map_or(0, |i| i + 1);
        return Err(Error::config(
            Diagnostic::error("the book has no title")
                .at_path(config_path, line, 0)
                .hint("add `title = \"…\"` to the [book] table"),
        ));
    };
    Ok(Meta {
        identifier: b
            .identifier
            .clone()
            .unwrap_or_else(|| derive_identifier(&title)),
        slug: file_slug(&title),
        title,
        subtitle: b.subtitle.clone(),
        authors: b.authors.clone(),
        language: b.language.clone().unwrap_or_else(|| "en".into()),
        date: b.date.clone(),
        description: b.description.clone(),
        subjects: b.subjects.clone(),
        rights: b.rights.clone(),
        cover: b.cover.clone(),
    })
}

/// The most bytes of a title's slug in a file name. Output files are
/// `SLUG-EDITION.EXT` and are written through `.SLUG-EDITION.EXT.PID.tmp`;
/// file systems refuse names over 255 bytes, and an edition name may take
/// up to 64. A 126-character Cyrillic title (252 bytes) is cut to 60
/// characters.
pub const MAX_SLUG_BYTES: usize = 120;

/// The slug of `title` for file names: `doc::word_slug`'s letters, digits
/// and dashes (no separator, dot or control character can survive it), cut
/// at a character boundary to [`MAX_SLUG_BYTES`], never ending in a dash.
pub fn file_slug(title: &str) -> String {
    let mut slug = doc::word_slug(title);
    if slug.len() > MAX_SLUG_BYTES {
        let mut cut = MAX_SLUG_BYTES;
        while !slug.is_char_boundary(cut) {
            cut -= 1;
        }
        slug.truncate(cut);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// A name-based (version 5) UUID from the title (RFC 4122, section 4.3), so
/// that rebuilds of a book without an identifier keep the same one.
pub fn derive_identifier(title: &str) -> String {
    // The namespace is the URL namespace of RFC 4122, appendix C; the name is
    // a samizdat-specific URL made of the title.
    const NS_URL: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    let mut hash = sha1_smol::Sha1::new();
    hash.update(&NS_URL);
    hash.update(format!("samizdat:book:{}", title.trim()).as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash.digest().bytes()[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// What a single file's front matter gives.
pub(super) struct FrontMatterBook {
    /// The `[book]` it would have.
    pub config: Config,
    pub meta: Meta,
    /// Values kept in part (a date cut to its year).
    pub warnings: Warnings,
    /// Bytes of the file the front matter takes.
    pub len: usize,
    /// `split-level`: the heading level that starts chapters, if set.
    pub split_level: Option<u8>,
}

/// A single file's book from its YAML front matter (pandoc's keys). A
/// missing title, a bad language, an empty author or a bad `split-level`
/// is an error at its line of the front matter.
pub(super) fn from_front_matter(path: &Path, text: &str) -> Result<FrontMatterBook> {
    let fm = frontmatter::split(text).map_err(|(line, msg)| {
        Error::config(Diagnostic::error(format!("front matter: {msg}")).at_path(path, line, 0))
    })?;
    let mut fields = fm.fields;
    let mut take = |k: &str| fields.remove(k);
    let title = take("title").map(|v| v.into_string()).ok_or_else(|| {
        Error::config(
            Diagnostic::error("the book has no title")
                .at_path(path, 1, 1)
                .hint("start the file with front matter: `---`, `title: …`, `---`"),
        )
    })?;
    let mut config = Config::default();
    config.book.title = Some(title.clone());
    let mut meta = Meta {
        identifier: take("identifier")
            .map(|v| v.into_string())
            .unwrap_or_else(|| derive_identifier(&title)),
        slug: file_slug(&title),
        subtitle: take("subtitle").map(|v| v.into_string()),
        authors: take("author").map(|v| v.into_list()).unwrap_or_default(),
        language: take("lang")
            .map(|v| v.into_string())
            .unwrap_or_else(|| "en".into()),
        date: take("date").map(|v| v.into_string()),
        description: take("description")
            .or_else(|| take("abstract"))
            .map(|v| v.into_string()),
        subjects: take("keywords")
            .or_else(|| take("subject"))
            .map(|v| v.into_list())
            .unwrap_or_default(),
        rights: take("rights").map(|v| v.into_string()),
        cover: take("cover-image").map(|v| PathBuf::from(v.into_string())),
        title,
    };
    let split_level = take("split-level").map(|v| v.into_string());
    // The values the EPUB and the typesetter trust, checked at their line
    // of the front matter as book.toml's are at theirs.
    let key_line = |key: &str| {
        text[..fm.len]
            .lines()
            .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
            .map_or(1, |i| i + 1)
    };
    let mut bad = Vec::new();
    if let Err(why) = config::check_language(&meta.language) {
        bad.push(
            Diagnostic::error(format!("front matter `lang`: {why}")).at_path(
                path,
                key_line("lang"),
                1,
            ),
        );
    }
    // Pandoc's metadata takes any text as a date (`1921–1922`, `Spring
    // 1848`); the package needs ISO 8601. Such a date is a warning: the year
    // it starts with is kept, or the book has no date.
    let mut early = Vec::new();
    if let Some(date) = meta.date.clone()
        && let Err(why) = config::check_date(&date)
    {
        let year = date
            .get(..4)
            .filter(|y| config::check_date(y).is_ok())
            .map(str::to_string);
        let kept = match &year {
            Some(y) => format!("the book is dated `{y}`"),
            None => "the book is left undated".to_string(),
        };
        early.push(
            Diagnostic::warning(format!("front matter `date`: {why}; {kept}"))
                .at_path(path, key_line("date"), 1)
                .hint("write an ISO 8601 date, e.g. `date: 1921` or `date: 1921-05-01`"),
        );
        meta.date = year;
    }
    if meta.authors.iter().any(|a| a.trim().is_empty()) {
        bad.push(
            Diagnostic::error("front matter `author`: an author's name is empty").at_path(
                path,
                key_line("author"),
                1,
            ),
        );
    }
    let split_level = match split_level {
        None => None,
        Some(v) => match v.trim().parse::<u8>() {
            Ok(n) if super::split::SPLIT_LEVELS.contains(&n) => Some(n),
            _ => {
                bad.push(
                    Diagnostic::error(format!(
                        "front matter `split-level`: `{}` is not a heading level",
                        config::shown(&v)
                    ))
                    .at_path(path, key_line("split-level"), 1)
                    .hint("write 1 to 6: chapters start at headings of that level (`split-level: 2` for `##`)"),
                );
                None
            }
        },
    };
    if !bad.is_empty() {
        return Err(Error::Config(bad));
    }
    Ok(FrontMatterBook {
        config,
        meta,
        warnings: early,
        len: fm.len,
        split_level,
    })
}
