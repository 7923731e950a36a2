//! The command line: clap derive structs and one function per subcommand.
//! The only module that imports clap. Prints diagnostics and progress to
//! stderr; returns the exit status (0 ok, 1 build errors, 2 usage or
//! configuration errors).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::diag::{self, Diagnostic, Error, Severity};
use crate::edition;
use crate::load::{self, Project};
use crate::source::Sources;

/// samizdat: a book compiler. One Markdown book in; EPUB and typeset PDF
/// editions out.
#[derive(Debug, Parser)]
#[command(name = "samizdat", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every edition of one or more books.
    #[command(
        after_help = "Examples:\n  samizdat build book\n  samizdat build book --edition ereader --out dist\n  samizdat build essay.md"
    )]
    Build {
        /// Book directories, mdBook projects or Markdown files (default: `.`).
        paths: Vec<PathBuf>,
        /// Build only this edition (repeatable).
        #[arg(long = "edition", short = 'e', value_name = "NAME")]
        editions: Vec<String>,
        /// Output directory (default: `PATH/out`).
        #[arg(long, short = 'o', value_name = "DIR")]
        out: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Editions built at once (default: the number of cores).
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
        /// Print nothing but errors.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Build only the K-th of N fixed shares of the (book, edition) list.
        #[arg(long, value_name = "K/N", value_parser = crate::build::parse_shard)]
        shard: Option<(usize, usize)>,
    },
    /// Parse and validate a book, report every diagnostic, write nothing.
    #[command(after_help = "Example:\n  samizdat check book")]
    Check {
        /// The book (default: `.`).
        path: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Create a small working book with one EPUB and one PDF edition.
    #[command(after_help = "Example:\n  samizdat init my-book && samizdat build my-book")]
    Init {
        /// The directory to create or fill (no file in it is ever
        /// overwritten: init refuses if one it would write is there).
        dir: PathBuf,
    },
    /// Print the shared tree of a book: a stable dump for goldens and debugging.
    #[command(after_help = "Example:\n  samizdat tree book --spans")]
    Tree {
        /// The book (default: `.`).
        path: Option<PathBuf>,
        /// Show each node's source position.
        #[arg(long)]
        spans: bool,
    },
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build {
            paths,
            editions,
            out,
            deny_warnings,
            jobs,
            quiet,
            shard,
        } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths
            };
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let opts = BuildOpts {
                only: &editions,
                out: out.as_deref(),
                deny_warnings,
                jobs,
                quiet,
                shard,
            };
            // Every book is loaded and its outputs named before any is
            // built, so that two books that would write the same file are
            // refused before anything is written.
            let mut status = 0;
            let mut position = 0;
            let mut ready: Vec<(Project, Vec<edition::Edition>)> = Vec::new();
            for path in &paths {
                match prepare(path, &opts, &mut position) {
                    Ok(Some((project, editions))) => {
                        // Compared resolved: `a/out` may be a link to `b/out`.
                        let clash = editions.iter().find_map(|e| {
                            let key = resolved(&e.output);
                            ready.iter().find_map(|(other, theirs)| {
                                theirs
                                    .iter()
                                    .any(|t| resolved(&t.output) == key)
                                    .then(|| (other.root.clone(), e.output.clone()))
                            })
                        });
                        match clash {
                            Some((other, output)) => {
                                diag::eprint(&format!(
                                    "error: `{}` and `{}` would both write `{}`; neither output is overwritten by the other\n  = help: give the books different titles, or build them into different --out directories\n",
                                    other.display(),
                                    path.display(),
                                    output.display()
                                ));
                                status = 2;
                            }
                            None => ready.push((project, editions)),
                        }
                    }
                    Ok(None) => {}
                    Err(code) => status = status.max(code),
                }
            }
            for (project, editions) in &ready {
                status = status.max(build(project, editions, &opts));
            }
            status
        }
        Command::Check {
            path,
            deny_warnings,
        } => check(&path.unwrap_or_else(|| ".".into()), deny_warnings),
        Command::Init { dir } => init(&dir),
        Command::Tree { path, spans } => {
            let path = path.unwrap_or_else(|| ".".into());
            match load::load(&path) {
                Ok(project) => {
                    print_all(&project.warnings, Some(&project.sources));
                    let sources = spans.then_some(&project.sources);
                    // A closed stdout (`| head`) ends the dump quietly.
                    diag::print(&crate::dump::dump(&project.book, sources));
                    0
                }
                Err(e) => report(&e),
            }
        }
    }
}

/// Prints every diagnostic of an error; returns its exit status.
fn report(err: &Error) -> i32 {
    print_all(&err.diagnostics(), None);
    err.exit_code()
}

/// Prints diagnostics, repeated ones grouped (`diag::render_all`).
fn print_all(diags: &[Diagnostic], sources: Option<&Sources>) {
    if !diags.is_empty() {
        diag::eprint(&diag::render_all(diags, sources));
    }
}

/// Warnings are printed; with `deny`, any of them fails the run.
fn warnings_fail(project: &Project, extra: &[Diagnostic], deny: bool) -> bool {
    let all: Vec<_> = project.warnings.iter().chain(extra).cloned().collect();
    print_all(&all, Some(&project.sources));
    deny && all.iter().any(|d| d.severity == Severity::Warning)
}

fn check(path: &Path, deny_warnings: bool) -> i32 {
    let project = match load::load(path) {
        Ok(p) => p,
        Err(e) => return report(&e),
    };
    let editions = match edition::resolve(&project, &project.root.join("out")) {
        Ok(e) => e,
        Err(e) => return report(&e),
    };
    // Every edition is made in memory, so that check reports what only a
    // backend finds (raw HTML and the images it cites, what print cannot
    // set, the PDF validators' findings): what build would, nothing written.
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut extra = Vec::new();
    let mut status = 0;
    for o in crate::build::dry_run(&project, &editions, jobs) {
        extra.extend(o.warnings);
        if let Err(e) = o.result {
            extra.extend(e.diagnostics());
            status = status.max(e.exit_code());
        }
    }
    if status != 0 {
        print_all(&project.warnings, Some(&project.sources));
        print_all(&extra, Some(&project.sources));
        return status;
    }
    if warnings_fail(&project, &extra, deny_warnings) {
        diag::eprint("error: warnings are denied (--deny-warnings)\n");
        return 1;
    }
    let chapters = project.book.chapters().count();
    diag::eprint(&format!(
        "{}: ok — {} chapters, {} warnings\n",
        path.display(),
        chapters,
        diag::thousands(project.warnings.len() + extra.len())
    ));
    0
}

/// The options of `samizdat build` that apply to every book.
struct BuildOpts<'a> {
    only: &'a [String],
    out: Option<&'a Path>,
    deny_warnings: bool,
    jobs: usize,
    quiet: bool,
    shard: Option<(usize, usize)>,
}

/// Loads one book and resolves the editions to build (`None`: none in
/// this shard); `position` counts (book, edition) pairs across the books of
/// the command, for `--shard`. The error is the exit status.
fn prepare(
    path: &Path,
    opts: &BuildOpts,
    position: &mut usize,
) -> Result<Option<(Project, Vec<edition::Edition>)>, i32> {
    let project = load::load(path).map_err(|e| report(&e))?;
    let out_dir = opts
        .out
        .map_or_else(|| project.root.join("out"), Path::to_path_buf);
    check_out_dir(&project, &out_dir)?;
    let mut editions = edition::resolve(&project, &out_dir).map_err(|e| report(&e))?;
    for name in opts.only {
        if !editions.iter().any(|e| &e.name == name) {
            let known: Vec<_> = editions.iter().map(|e| e.name.as_str()).collect();
            diag::eprint(&format!(
                "error: book `{}` has no edition `{name}` (it has: {})\n",
                path.display(),
                known.join(", ")
            ));
            return Err(2);
        }
    }
    if !opts.only.is_empty() {
        editions.retain(|e| opts.only.contains(&e.name));
    }
    if let Some(shard) = opts.shard {
        let first = *position;
        *position += editions.len();
        let mut i = first;
        editions.retain(|_| {
            i += 1;
            crate::build::in_shard(i - 1, shard)
        });
    }
    if editions.is_empty() {
        return Ok(None);
    }
    Ok(Some((project, editions)))
}

/// `path` made absolute with symlinks resolved as far as it exists, and
/// the rest (not made yet) appended with `.` and `..` applied, so that two
/// spellings of one place compare equal before it exists.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last.as_os_str().to_os_string());
                existing = parent;
            }
            // The root: nothing left to resolve.
            _ => break existing.to_path_buf(),
        }
    };
    let mut out = base;
    for part in rest.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(part),
        }
    }
    out
}

/// Refuses, before anything is written, an output directory that is a file
/// or cannot be made because a file is in its way, the book's own
/// directory, and mdBook's `src` or anything under it (outputs would sit
/// among the chapters). A single Markdown file's directory is not a book's:
/// outputs may go beside the file.
fn check_out_dir(project: &Project, out_dir: &Path) -> Result<(), i32> {
    let refuse = |why: String, hint: String| {
        diag::eprint(&format!(
            "error: the output directory `{}` {why}\n  = help: {hint}\n",
            out_dir.display()
        ));
        Err(2)
    };
    // The deepest part of the path that exists must be a directory.
    let mut existing = Some(out_dir);
    while let Some(p) = existing {
        if let Ok(meta) = std::fs::metadata(p) {
            if !meta.is_dir() {
                let why = if p == out_dir {
                    "is not a directory".to_string()
                } else {
                    format!("cannot be made: `{}` is a file", p.display())
                };
                return refuse(why, "give --out a directory (it is made if missing)".into());
            }
            break;
        }
        existing = p.parent().filter(|p| !p.as_os_str().is_empty());
    }
    let out = resolved(out_dir);
    let root = resolved(&project.root);
    let content = resolved(&project.files.content_dir());
    let own_dir = project.config_path.is_some() && out == root;
    let in_src = content != root && out.starts_with(&content);
    if own_dir || in_src {
        let why = if in_src && out != content {
            "is inside the book's source directory"
        } else {
            "is the book's own source directory"
        };
        return refuse(
            why.to_string(),
            format!(
                "build into a directory of its own, such as `{}`",
                project.root.join("out").display()
            ),
        );
    }
    Ok(())
}

/// Builds the resolved `editions` of one book.
fn build(project: &Project, editions: &[edition::Edition], opts: &BuildOpts) -> i32 {
    if warnings_fail(project, &[], opts.deny_warnings) {
        diag::eprint("error: warnings are denied (--deny-warnings)\n");
        return 1;
    }
    let progress = crate::build::Progress::new(editions, opts.quiet);
    let outcomes = crate::build::build(project, editions, opts.jobs, &progress);
    let mut status = 0;
    for o in &outcomes {
        print_all(&o.warnings, Some(&project.sources));
        if opts.deny_warnings && !o.warnings.is_empty() {
            status = 1;
        }
        if let Err(e) = &o.result {
            // Build errors may point into the sources (a PDF validator's
            // finding at the text it is about).
            print_all(&e.diagnostics(), Some(&project.sources));
            status = status.max(e.exit_code());
        }
    }
    if !opts.quiet {
        diag::eprint(&crate::build::summary(&outcomes));
    }
    status
}

/// The book `samizdat init` writes.
const INIT_FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "My Book"
authors = ["Your Name"]
language = "en"

[contents]
front = ["preface.md"]
chapters = ["chapter-1.md"]

[edition.ereader]
format = "epub"

[edition.pamphlet]
format = "pdf"
"#,
    ),
    (
        "preface.md",
        "# Preface\n\nA word before the book begins.\n",
    ),
    (
        "chapter-1.md",
        "# The First Chapter\n\nWrite prose here. Notes go at the foot of the page in print and\npop up in e-readers.[^first]\n\n> A quotation set off from the text.\n\n[^first]: A footnote, with *emphasis*.\n",
    ),
];

fn init(dir: &Path) -> i32 {
    if dir.exists() && !dir.is_dir() {
        diag::eprint(&format!(
            "error: `{}` is a file, not a directory\n",
            dir.display()
        ));
        return 2;
    }
    // Never overwrite: every file init would write must be new, checked
    // before any is written (a directory with other files is fine).
    let taken: Vec<_> = INIT_FILES
        .iter()
        .filter(|(name, _)| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if !taken.is_empty() {
        let what = if dir.join("book.toml").exists() {
            "already holds a book"
        } else {
            "already has files init would write"
        };
        diag::eprint(&format!(
            "error: `{}` {what} ({}); nothing was written\n  = help: init into a new or empty directory\n",
            dir.display(),
            taken.join(", ")
        ));
        return 2;
    }
    // `write_new` fails rather than replace a file that appeared since.
    for (name, text) in INIT_FILES {
        if let Err(e) = crate::output::write_new(&dir.join(name), text.as_bytes()) {
            return report(&e);
        }
    }
    diag::eprint(&format!(
        "created a book in {0}; build it with `samizdat build {0}`\n",
        dir.display()
    ));
    0
}
