//! Any bytes as the Markdown of a one-file book, through the whole
//! pipeline: load, EPUB (every XML file of it well-formed), typesetting
//! (nothing drawn off its page) and PDF. A panic, a hang or an `Err` from
//! the checks is a finding; the loader refusing the text is not.

#![no_main]

use libfuzzer_sys::fuzz_target;

// The checks the tests use, shared by path so both run the same code.
#[path = "../../tests/common/pipeline.rs"]
mod pipeline;
#[path = "../../tests/common/xml.rs"]
mod xml;

thread_local! {
    static FONTS: samizdat::typeset::Fonts = samizdat::typeset::Fonts::bundled();
    static DIR: std::path::PathBuf = {
        let dir = std::env::temp_dir().join(format!("samizdat-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    };
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    FONTS.with(|fonts| {
        DIR.with(|dir| {
            if let Err(e) = pipeline::run_markdown(dir, &text, fonts) {
                panic!("{e}");
            }
        })
    })
});
