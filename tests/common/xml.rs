//! A small XML well-formedness checker for tests and the fuzz target
//! (XML 1.0, fifth edition, <https://www.w3.org/TR/xml/>): one root element,
//! balanced and properly nested tags, quoted attribute values without `<`,
//! no attribute twice on an element, only the five predefined entities and
//! character references to legal characters, no characters XML forbids (the
//! C0 controls other than tab, line feed and carriage return, U+FFFE and
//! U+FFFF), comments without `--`, and nothing but white space, comments and
//! processing instructions outside the root.
//!
//! It checks the shape of a document, not its vocabulary: EPUBCheck does
//! that where it runs. It is written here, not taken from a crate, because
//! the rules above fit in one page and a parser crate would be a dependency
//! of the tests only to be asked one yes-or-no question.

#![allow(dead_code)]

/// Checks that `text` is a well-formed XML document; the first problem
/// found, with its byte offset, otherwise.
pub fn check(text: &str) -> Result<(), String> {
    Checker {
        s: text.as_bytes(),
        text,
        at: 0,
    }
    .document()
}

struct Checker<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
}

fn legal_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

fn name_char(c: char) -> bool {
    name_start(c) || c.is_alphanumeric() || matches!(c, '-' | '.' | '\u{B7}')
}

impl<'a> Checker<'a> {
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        let from = self.text.floor_char_boundary(self.at.saturating_sub(30));
        let to = self
            .text
            .ceil_char_boundary((self.at + 30).min(self.s.len()));
        Err(format!(
            "byte {}: {what} (near {:?})",
            self.at,
            &self.text[from..to]
        ))
    }

    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.at += lit.len();
            true
        } else {
            false
        }
    }

    fn space(&mut self) -> bool {
        let start = self.at;
        while self.at < self.s.len() && matches!(self.s[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
        self.at > start
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let text: &'a str = self.text;
        let start = self.at;
        let mut chars = self.rest().char_indices();
        match chars.next() {
            Some((_, c)) if name_start(c) => {}
            _ => return self.fail("a name was expected"),
        }
        let len = chars
            .find(|&(_, c)| !name_char(c))
            .map_or(self.s.len() - start, |(i, _)| i);
        self.at += len;
        Ok(&text[start..self.at])
    }

    /// Skips to just past `end`; fails if it never comes.
    fn until(&mut self, end: &str, what: &str) -> Result<&'a str, String> {
        let text: &'a str = self.text;
        match self.rest().find(end) {
            Some(i) => {
                let body = &text[self.at..self.at + i];
                self.at += i + end.len();
                Ok(body)
            }
            None => self.fail(&format!("unterminated {what}")),
        }
    }

    /// Comments, processing instructions and white space: what may stand
    /// outside the root and between elements.
    fn misc(&mut self) -> Result<bool, String> {
        if self.eat("<!--") {
            let body = self.until("-->", "comment")?;
            if body.contains("--") || body.ends_with('-') {
                return self.fail("`--` inside a comment");
            }
            self.chars(body)?;
            return Ok(true);
        }
        if self.eat("<?") {
            let body = self.until("?>", "processing instruction")?;
            self.chars(body)?;
            return Ok(true);
        }
        Ok(self.space())
    }

    fn chars(&self, text: &str) -> Result<(), String> {
        match text.chars().find(|&c| !legal_char(c)) {
            Some(c) => self.fail(&format!(
                "character U+{:04X} is not allowed in XML",
                c as u32
            )),
            None => Ok(()),
        }
    }

    fn document(&mut self) -> Result<(), String> {
        self.eat("\u{FEFF}");
        while self.misc()? {}
        if self.eat("<!DOCTYPE") {
            // No internal subset in what we write: `[` is refused.
            let body = self.until(">", "DOCTYPE")?;
            if body.contains('[') {
                return self.fail("internal DTD subsets are not expected");
            }
            while self.misc()? {}
        }
        if !self.rest().starts_with('<') {
            return self.fail("the root element was expected");
        }
        self.element()?;
        while self.misc()? {}
        if self.at != self.s.len() {
            return self.fail("content after the root element");
        }
        Ok(())
    }

    /// An element and everything inside it, with an explicit stack so that
    /// deep nesting cannot overflow the checker's own stack.
    fn element(&mut self) -> Result<(), String> {
        let mut open: Vec<String> = Vec::new();
        loop {
            // At a `<` that starts a tag, comment, CDATA section or PI.
            if self.eat("</") {
                let name = self.name()?.to_string();
                self.space();
                if !self.eat(">") {
                    return self.fail("`>` expected to close an end tag");
                }
                match open.pop() {
                    Some(o) if o == name => {}
                    Some(o) => return self.fail(&format!("</{name}> closes <{o}>")),
                    None => return self.fail(&format!("</{name}> closes nothing")),
                }
            } else if self.rest().starts_with("<!--") || self.rest().starts_with("<?") {
                self.misc()?;
            } else if self.eat("<![CDATA[") {
                let body = self.until("]]>", "CDATA section")?;
                self.chars(body)?;
            } else if self.eat("<") {
                let name = self.name()?.to_string();
                let mut seen: Vec<String> = Vec::new();
                loop {
                    let spaced = self.space();
                    if self.eat("/>") {
                        break;
                    }
                    if self.eat(">") {
                        open.push(name.clone());
                        break;
                    }
                    if !spaced {
                        return self.fail("white space expected between attributes");
                    }
                    let attr = self.name()?.to_string();
                    if seen.contains(&attr) {
                        return self.fail(&format!("attribute `{attr}` given twice"));
                    }
                    seen.push(attr);
                    self.space();
                    if !self.eat("=") {
                        return self.fail("`=` expected after an attribute name");
                    }
                    self.space();
                    let quote = match self.s.get(self.at) {
                        Some(b'"') => "\"",
                        Some(b'\'') => "'",
                        _ => return self.fail("attribute value not quoted"),
                    };
                    self.at += 1;
                    let value = self.until(quote, "attribute value")?;
                    if value.contains('<') {
                        return self.fail("`<` in an attribute value");
                    }
                    let value = value.to_string();
                    self.at -= value.len() + 1;
                    self.text_run(&value)?;
                    self.at += value.len() + 1;
                }
            } else {
                return self.fail("a tag was expected");
            }
            if open.is_empty() {
                return Ok(());
            }
            // Character data up to the next `<`.
            let end = self.rest().find('<').map_or(self.s.len(), |i| self.at + i);
            let data = self.text[self.at..end].to_string();
            if data.contains("]]>") {
                return self.fail("`]]>` in character data");
            }
            self.text_run(&data)?;
            self.at = end;
            if self.at == self.s.len() {
                return self.fail(&format!("<{}> is never closed", open[open.len() - 1]));
            }
        }
    }

    /// Checks characters and references in `text`, which starts at `self.at`.
    fn text_run(&mut self, text: &str) -> Result<(), String> {
        let base = self.at;
        self.chars(text)?;
        let mut from = 0;
        while let Some(i) = text[from..].find('&') {
            let amp = from + i;
            self.at = base + amp;
            let Some(semi) = text[amp..].find(';') else {
                return self.fail("`&` without `;`");
            };
            let entity = &text[amp + 1..amp + semi];
            let ok = match entity {
                "lt" | "gt" | "amp" | "quot" | "apos" => true,
                _ => {
                    let code = if let Some(hex) = entity.strip_prefix("#x") {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = entity.strip_prefix('#') {
                        dec.parse::<u32>().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32).is_some_and(legal_char)
                }
            };
            if !ok {
                return self.fail(&format!(
                    "`&{entity};` is not a predefined entity or a legal character reference"
                ));
            }
            from = amp + semi + 1;
        }
        self.at = base;
        Ok(())
    }
}
