//! Atomic outputs, tested by killing: a build killed with SIGKILL while it
//! writes leaves the previous good file byte for byte, and nothing that
//! could be taken for an output. See `src/output.rs`.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// The output's temporaries in `out`: `.NAME.PID.tmp`.
fn temporaries(out: &Path, name: &str) -> Vec<String> {
    std::fs::read_dir(out)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|f| f.starts_with(&format!(".{name}.")) && f.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// Kills `samizdat build` of each edition of a 50-times sample book as soon
/// as its temporary file appears, and checks that the old file is intact.
/// A build that wins the race (renames before the kill lands) must have
/// left a whole new file; the test tries again with that one as the old
/// file until a kill lands mid-write. No timing is asserted.
#[test]
fn killed_build_leaves_the_old_output_intact() {
    if !tool("python3") {
        return;
    }
    let dir = scratch("atomic");
    let big = dir.join("big");
    let out = dir.join("out");
    run(
        "python3",
        &[
            root().join("scripts/scale-book.py").to_str().unwrap(),
            root().join("book").to_str().unwrap(),
            big.to_str().unwrap(),
            "50",
        ],
    );
    for (edition, name) in [
        ("ereader", "thermidor-and-the-party-ereader.epub"),
        ("pamphlet", "thermidor-and-the-party-pamphlet.pdf"),
    ] {
        // A good old file: the sample book's edition of the same name.
        let made = samizdat(&[
            "build",
            "-q",
            "book",
            "-e",
            edition,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(made.status.success(), "{}", stderr(&made));
        let target = out.join(name);
        let mut old = std::fs::read(&target).unwrap();
        let mut caught = false;
        for attempt in 1..=20 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_samizdat"))
                .args(["build", "-q", "-e", edition, "--out"])
                .arg(&out)
                .arg(&big)
                .env("SOURCE_DATE_EPOCH", "1700000000")
                .spawn()
                .expect("samizdat starts");
            let ours = format!(".{name}.{}.tmp", child.id());
            let mut seen = false;
            let finished = loop {
                if temporaries(&out, name).contains(&ours) {
                    seen = true;
                    let _ = child.kill();
                    let _ = child.wait();
                    break false;
                }
                if let Some(status) = child.try_wait().unwrap() {
                    assert!(status.success(), "{edition}: the build failed");
                    break true;
                }
                std::thread::yield_now();
            };
            let now = std::fs::read(&target).unwrap();
            if now == old {
                // Killed before the rename (or, rarely, the same bytes).
                caught |= seen && !finished;
            } else {
                // The build renamed its file before the kill landed: it
                // must be whole. Try again with it as the old file.
                if name.ends_with(".epub") {
                    pipeline::check_epub(&now).unwrap();
                } else {
                    assert!(now.starts_with(b"%PDF-"));
                    let tail = &now[now.len().saturating_sub(32)..];
                    assert!(
                        tail.windows(5).any(|w| w == b"%%EOF"),
                        "{name} is cut short"
                    );
                }
                old = now;
            }
            if caught {
                eprintln!(
                    "{edition}: killed mid-write on attempt {attempt}; left: {:?}",
                    temporaries(&out, name)
                );
                break;
            }
        }
        assert!(
            caught,
            "{edition}: no kill landed while the file was written"
        );
        // What is left beside the output: only hidden temporaries, which no
        // one takes for a book.
        for f in std::fs::read_dir(&out).unwrap().flatten() {
            let f = f.file_name().to_string_lossy().into_owned();
            assert!(
                f.ends_with(".epub") && !f.starts_with('.')
                    || f.ends_with(".pdf") && !f.starts_with('.')
                    || f.starts_with('.') && f.ends_with(".tmp"),
                "{f} is left in the output directory"
            );
        }
    }
    // The next build replaces the file and sweeps the dead builds'
    // temporaries away (where /proc tells which processes run).
    let rebuilt = samizdat(&[
        "build",
        "-q",
        "book",
        "-e",
        "ereader",
        "-e",
        "pamphlet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    if Path::new("/proc/self").exists() {
        for name in [
            "thermidor-and-the-party-ereader.epub",
            "thermidor-and-the-party-pamphlet.pdf",
        ] {
            assert_eq!(temporaries(&out, name), Vec::<String>::new());
        }
    }
}
