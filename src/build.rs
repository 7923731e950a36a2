//! Batch builds: every edition of a book from one parse, in parallel, with
//! progress on a terminal and a summary table at the end.
//!
//! The book is parsed once ([`crate::load`]); each edition borrows the same
//! tree on its own thread. Outputs are written atomically, so an edition
//! that fails leaves the previous file of its name untouched.

use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use std::path::Path;

use crate::diag::{Diagnostic, Error, Warnings};
use crate::edition::{Edition, EpubSettings, PageSource, Settings};
use crate::load::Project;
use crate::style::PrintStyle;
use crate::typeset::Page;

/// What a finished edition produced.
#[derive(Debug, Clone)]
pub struct Built {
    /// Pages, for paged formats.
    pub pages: Option<usize>,
    /// Size of the file in bytes.
    pub bytes: usize,
    /// Wall time spent on the edition.
    pub time: Duration,
}

/// The outcome of one edition: what it built (or why not) and its warnings.
#[derive(Debug)]
pub struct Outcome {
    /// The edition.
    pub edition: Edition,
    /// The result.
    pub result: Result<Built, Error>,
    /// Warnings the backend raised.
    pub warnings: Warnings,
}

/// A build step an edition is in, for the progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Not started.
    Waiting,
    /// Laying out (EPUB documents, or typesetting).
    Layout,
    /// Writing the file.
    Writing,
    /// Finished.
    Done,
    /// Failed.
    Failed,
}

impl Stage {
    fn label(self) -> &'static str {
        match self {
            Stage::Waiting => "waiting",
            Stage::Layout => "laying out",
            Stage::Writing => "writing",
            Stage::Done => "done",
            Stage::Failed => "failed",
        }
    }
}

/// Shows each edition's stage: redrawn in place on a terminal, as plain
/// lines otherwise, not at all when quiet.
pub struct Progress {
    mode: Mode,
    state: Mutex<Vec<(String, Stage)>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Live,
    Lines,
    Quiet,
}

impl Progress {
    /// A display for `editions`; `quiet` silences it.
    pub fn new(editions: &[Edition], quiet: bool) -> Self {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Live
        } else {
            Mode::Lines
        };
        let progress = Progress {
            mode,
            state: Mutex::new(
                editions
                    .iter()
                    .map(|e| (e.name.clone(), Stage::Waiting))
                    .collect(),
            ),
        };
        if mode == Mode::Live {
            progress.redraw(true);
        }
        progress
    }

    /// Records that edition `index` reached `stage`.
    pub fn set(&self, index: usize, stage: Stage) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if let Some(entry) = state.get_mut(index) {
            entry.1 = stage;
        }
        let name = state.get(index).map(|e| e.0.clone()).unwrap_or_default();
        drop(state);
        match self.mode {
            Mode::Live => self.redraw(false),
            Mode::Lines if matches!(stage, Stage::Layout | Stage::Writing) => {
                crate::diag::eprint(&format!("{name}: {}\n", stage.label()));
            }
            _ => {}
        }
    }

    fn redraw(&self, first: bool) {
        let Ok(state) = self.state.lock() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        if !first {
            // Move up over the previous drawing.
            let _ = write!(err, "\x1b[{}A", state.len());
        }
        for (name, stage) in state.iter() {
            let name = crate::diag::escape_controls(name);
            let _ = writeln!(err, "\x1b[2K  {name:<16} {}", stage.label());
        }
    }
}

/// What the editions of one build share: the fonts, and the typeset pages
/// of each distinct print style, so that editions set alike (a pamphlet
/// and its booklet) are typeset once.
struct Shared {
    fonts: crate::typeset::Fonts,
    layouts: Vec<(PrintStyle, OnceLock<Layout>)>,
    /// Threads one typesetting may use (the build's `--jobs`).
    jobs: usize,
}

/// One style's typeset pages, or the edition that failed to set them.
type Layout = Result<Arc<Vec<Page>>, String>;

impl Shared {
    fn new(editions: &[Edition], jobs: usize) -> Self {
        let mut layouts: Vec<(PrintStyle, OnceLock<Layout>)> = Vec::new();
        for e in editions {
            let style = match &e.settings {
                Settings::Pdf(pdf) => &pdf.style,
                Settings::Epub(EpubSettings {
                    page_source: Some(source),
                    ..
                }) => &*source.style,
                Settings::Epub(_) => continue,
            };
            if !layouts.iter().any(|(s, _)| s == style) {
                layouts.push((style.clone(), OnceLock::new()));
            }
        }
        Shared {
            fonts: crate::typeset::Fonts::bundled(),
            layouts,
            jobs,
        }
    }

    /// The pages of `style`, typeset by the first edition that asks (its
    /// warnings and errors go to that edition; the others only learn that
    /// the shared layout failed).
    fn pages(
        &self,
        project: &Project,
        edition: &str,
        style: &PrintStyle,
        date: i64,
        warnings: &mut Warnings,
    ) -> Result<Arc<Vec<Page>>, Error> {
        let slot = self
            .layouts
            .iter()
            .find(|(s, _)| s == style)
            .map(|(_, slot)| slot);
        let mut own_error = None;
        let mut typeset = || {
            crate::typeset::typeset_with_threads(
                &project.book,
                style,
                &self.fonts,
                &project.files,
                Some(date),
                self.jobs,
                warnings,
            )
            .map(Arc::new)
            .map_err(|e| {
                own_error = Some(e);
                edition.to_string()
            })
        };
        let layout = match slot {
            Some(slot) => slot.get_or_init(typeset).clone(),
            None => typeset(),
        };
        match (layout, own_error) {
            (Ok(pages), _) => Ok(pages),
            (Err(_), Some(e)) => Err(e),
            // Reported by the edition that typeset it.
            (Err(_), None) => Err(Error::Build(Vec::new())),
        }
    }
}

/// Builds `editions` of `project` on up to `jobs` threads.
pub fn build(
    project: &Project,
    editions: &[Edition],
    jobs: usize,
    progress: &Progress,
) -> Vec<Outcome> {
    run(project, editions, jobs, progress, true)
}

/// Everything [`build`] does but writing the outputs: what `samizdat
/// check` reports, so that it finds what a build would (the typesetter's
/// warnings, the PDF validators' errors).
pub fn dry_run(project: &Project, editions: &[Edition], jobs: usize) -> Vec<Outcome> {
    run(
        project,
        editions,
        jobs,
        &Progress::new(editions, true),
        false,
    )
}

fn run(
    project: &Project,
    editions: &[Edition],
    jobs: usize,
    progress: &Progress,
    write: bool,
) -> Vec<Outcome> {
    let shared = Shared::new(editions, jobs);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..editions.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, editions.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(edition) = editions.get(i) else {
                        break;
                    };
                    let outcome =
                        build_one(project, edition, &shared, &|s| progress.set(i, s), write);
                    progress.set(
                        i,
                        if outcome.result.is_ok() {
                            Stage::Done
                        } else {
                            Stage::Failed
                        },
                    );
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(outcome);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

fn build_one(
    project: &Project,
    edition: &Edition,
    shared: &Shared,
    stage: &dyn Fn(Stage),
    write: bool,
) -> Outcome {
    let start = Instant::now();
    let mut warnings = Vec::new();
    let result =
        render(project, edition, shared, stage, &mut warnings).and_then(|(bytes, pages)| {
            if write {
                stage(Stage::Writing);
                crate::output::write_atomic(&edition.output, &bytes)?;
            }
            Ok(Built {
                pages,
                bytes: bytes.len(),
                time: start.elapsed(),
            })
        });
    Outcome {
        edition: edition.clone(),
        result,
        warnings,
    }
}

/// Runs the edition's backend: the file's bytes and its page count.
fn render(
    project: &Project,
    edition: &Edition,
    shared: &Shared,
    stage: &dyn Fn(Stage),
    warnings: &mut Warnings,
) -> Result<(Vec<u8>, Option<usize>), Error> {
    stage(Stage::Layout);
    match &edition.settings {
        Settings::Epub(settings) => {
            let mut opts = epub_options(project, settings, warnings)?;
            if let Some(source) = &settings.page_source {
                let date = crate::edition::build_time(project)?;
                let pages = shared.pages(project, &edition.name, &source.style, date, warnings)?;
                opts.page_list = Some(page_list(project, source, &pages));
            }
            let bytes = crate::epub::write(&project.book, &opts, warnings)?;
            Ok((bytes, None))
        }
        Settings::Pdf(settings) => {
            // FIXME: fonts from the book's own directory (`Fonts::add_dir`).
            let date = crate::edition::build_time(project)?;
            let pages = shared.pages(project, &edition.name, &settings.style, date, warnings)?;
            let mut owned: Option<Vec<Page>> = settings
                .booklet
                .as_ref()
                .map(|b| crate::impose::booklet(&pages, b));
            let mut trim = None;
            if let Some(bleed) = settings.crop_marks {
                let unmarked = owned.take().unwrap_or_else(|| pages.to_vec());
                let (marked, t) = crate::marks::crop_marks(unmarked, bleed);
                owned = Some(marked);
                trim = Some(t);
            }
            let pages: &[Page] = owned.as_deref().unwrap_or(&pages);
            let meta = &project.book.meta;
            let pdf_meta = crate::pdf::PdfMeta {
                title: meta.title.clone(),
                authors: meta.authors.clone(),
                language: meta.language.clone(),
                description: meta.description.clone(),
                keywords: meta.subjects.clone(),
                date: Some(date),
                identifier: meta.identifier.clone(),
                trim,
                tagged: settings.tagged,
                pdf_a: settings.pdf_a,
            };
            let bytes = crate::pdf::write(pages, &shared.fonts, &pdf_meta)?;
            Ok((bytes, Some(pages.len())))
        }
    }
}

/// Where each print page of `pages` starts, for an EPUB page list.
fn page_list(project: &Project, source: &PageSource, pages: &[Page]) -> crate::epub::PageList {
    crate::epub::PageList {
        source: format!(
            "{}, {} edition (PDF)",
            project.book.meta.title, source.edition
        ),
        breaks: pages
            .iter()
            .filter_map(|p| p.first_word.map(|w| (w, p.number.label())))
            .collect(),
    }
}

/// The EPUB writer's settings for `edition`: its stylesheet loaded (the
/// default one unless the edition names a CSS file, read through the book's
/// files with what it imports and uses), the build time. What the
/// stylesheet points at but cannot go in is warned in `warnings`.
pub fn epub_options(
    project: &Project,
    edition: &EpubSettings,
    warnings: &mut Warnings,
) -> Result<crate::epub::EpubOptions, Error> {
    use crate::epub::EpubOptions;
    let (stylesheet, stylesheet_resources) = match &edition.stylesheet {
        Some(rel) => {
            let named = rel.to_string_lossy();
            let refused = |why: crate::files::Refusal| {
                let mut d = Diagnostic::error(format!("style: {}", why.message(&named)));
                if let Some(h) = why.hint() {
                    d = d.hint(h);
                }
                if let Some(p) = &project.config_path {
                    d = d.at_path(p, 0, 0);
                }
                Error::config(d)
            };
            let path = project.files.resolve_root(rel).map_err(refused)?;
            let text = project
                .files
                .read_text(&path, crate::files::Cap::Text)
                .map_err(refused)?;
            crate::epub::css::bundle(&project.files, &path, &text, warnings)
        }
        None => (crate::epub::DEFAULT_STYLESHEET.to_string(), Vec::new()),
    };
    Ok(EpubOptions {
        note_numbering: edition.note_numbering,
        embed_fonts: edition.embed_fonts,
        soft_hyphens: edition.soft_hyphens,
        stylesheet,
        stylesheet_resources,
        fonts: if edition.embed_fonts {
            epub_fonts(project, warnings)
        } else {
            Vec::new()
        },
        modified: crate::edition::iso8601(crate::edition::build_time(project)?),
        files: project.files.clone(),
        page_list: None,
    })
}

/// The fonts an EPUB embeds: the book's own `fonts/` folder when it has
/// one (sorted by name, read through the book's files: a link out of the
/// book, a FIFO or an oversized file is left out with a warning), else the
/// bundled body family.
fn epub_fonts(project: &Project, warnings: &mut Warnings) -> Vec<crate::epub::FontFile> {
    let Some(listed) = project.files.list_dir(Path::new("fonts")) else {
        return crate::typeset::fonts::bundled_body_files()
            .map(|(name, data)| crate::epub::FontFile {
                name: name.to_string(),
                data: data.into(),
            })
            .collect();
    };
    let mut fonts = Vec::new();
    for (name, found) in listed {
        let read = found.and_then(|p| project.files.read(&p, crate::files::Cap::Font));
        match read {
            Ok(data) => fonts.push(crate::epub::FontFile {
                name,
                data: data.to_vec().into(),
            }),
            Err(why) => warnings.push(
                Diagnostic::warning(format!("font {}", why.message(&format!("fonts/{name}"))))
                    .at_path(project.files.root().join("fonts").join(&name), 0, 0)
                    .hint("the font is not embedded"),
            ),
        }
    }
    fonts
}

/// The summary table printed after a build.
pub fn summary(outcomes: &[Outcome]) -> String {
    let mut rows = vec![[
        "edition".to_string(),
        "file".to_string(),
        "pages".to_string(),
        "size".to_string(),
        "time".to_string(),
    ]];
    for o in outcomes {
        // Escaped before the widths are measured, so the columns line up.
        let file =
            crate::diag::escape_controls(&o.edition.output.display().to_string()).into_owned();
        rows.push(match &o.result {
            Ok(b) => [
                o.edition.name.clone(),
                file,
                b.pages.map_or("—".into(), |p| p.to_string()),
                human_size(b.bytes),
                format!("{:.0} ms", b.time.as_secs_f64() * 1000.0),
            ],
            Err(_) => [
                o.edition.name.clone(),
                file,
                "—".into(),
                "failed".into(),
                "—".into(),
            ],
        });
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                // Numbers right-aligned, words left-aligned.
                if c >= 2 {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KiB", (bytes as f64 / 1024.0).ceil())
    }
}

/// Parses `K/N` (1 ≤ K ≤ N).
pub fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not K/N"))?;
    let k: usize = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok((k, n))
}

/// Whether item `index` of the (book, edition) list belongs to shard `K/N`:
/// items are dealt round-robin, so shares differ by one item at most and a
/// given list always splits the same way.
pub fn in_shard(index: usize, (k, n): (usize, usize)) -> bool {
    index % n == k - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_list() {
        let shards: Vec<Vec<usize>> = (1..=3)
            .map(|k| (0..8).filter(|&i| in_shard(i, (k, 3))).collect())
            .collect();
        assert_eq!(shards, [vec![0, 3, 6], vec![1, 4, 7], vec![2, 5]]);
        assert_eq!(parse_shard("2/3"), Ok((2, 3)));
        assert!(parse_shard("0/3").is_err());
        assert!(parse_shard("4/3").is_err());
        assert!(parse_shard("x").is_err());
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(1), "1 KiB");
        assert_eq!(human_size(300_000), "293 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
    }
}
