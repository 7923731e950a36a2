//! Any bytes as a book's `book.toml`, through config parsing, the loader and
//! edition resolution, and as a print style file. A panic is a finding, and
//! so is an error from `config::parse` that points nowhere (line 0) or a
//! resolved edition whose output would land outside the out directory; the
//! text being refused is not.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use samizdat::diag::{Error, Location};

thread_local! {
    static DIR: std::path::PathBuf = {
        let dir = std::env::temp_dir().join(format!("samizdat-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        std::fs::write(dir.join("c.md"), "# C\n\nText.\n").expect("a chapter");
        dir
    };
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // As a style file: errors or a style, never a panic.
    let _ = samizdat::style::PrintStyle::from_toml(&text, Path::new("style.toml"));
    // As book.toml, parsed alone: every error has a line.
    if let Err(Error::Config(diags)) = samizdat::config::parse(Path::new("book.toml"), &text) {
        for d in &diags {
            match d.location {
                Location::Path { line, .. } if line > 0 => {}
                _ => panic!("a book.toml error without a line: {d:?}"),
            }
        }
    }
    // As the book.toml of a book on disk, through the editions.
    DIR.with(|dir| {
        if std::fs::write(dir.join("book.toml"), text.as_bytes()).is_err() {
            return;
        }
        let Ok(project) = samizdat::load::load(dir) else {
            return;
        };
        let out = dir.join("out");
        if let Ok(editions) = samizdat::edition::resolve(&project, &out) {
            for e in editions {
                assert_eq!(e.output.parent(), Some(out.as_path()), "{:?}", e.output);
                assert!(samizdat::config::EditionName::new(&e.name).is_ok(), "{:?}", e.name);
            }
        }
    });
});
