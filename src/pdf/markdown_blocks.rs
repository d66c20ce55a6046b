//! Markdown to blocks: the agreement conventions read off pulldown-cmark events.
//!
//! - paragraphs before the first heading are [`Block::Header`] lines;
//! - a paragraph opening with strong text such as `**3\.**` is a numbered
//!   section ([`Block::Paragraph`] with `section`);
//! - each block quote is one [`Block::Signature`] block;
//! - everything else (lists, code, rules, HTML) becomes plain blocks of text.
//!
//! Straight quotes become typographic ones (outside code). Redline marks
//! (`~~deleted~~`, `<ins>inserted</ins>`) become [`Piece::Deco`] markers.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A piece of inline text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Piece {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// A hard line break.
    Break,
    /// The text after this is drawn as the redline change it is (until the next marker).
    Deco(Deco),
}

/// How the text of a redline is drawn: unchanged, deleted or inserted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Deco {
    #[default]
    None,
    Deleted,
    Inserted,
}

/// The inline content of one paragraph.
pub type Inline = Vec<Piece>;

/// A block of the agreement.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A line above the title, set flush right.
    Header(Inline),
    Heading {
        level: u8,
        text: Inline,
    },
    /// A body paragraph; `section` is the literal number of a numbered section ("3.").
    Paragraph {
        text: Inline,
        section: Option<String>,
    },
    /// A signature block: the paragraphs of one block quote.
    Signature(Vec<Inline>),
    /// A list item (or a later paragraph of one, with an empty marker).
    ListItem {
        marker: String,
        depth: usize,
        text: Inline,
    },
    /// Preformatted text, one entry per line.
    Code(Vec<String>),
    /// A thematic break.
    Rule,
}

/// Parse Markdown into blocks.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        b.event(event);
    }
    b.flush();
    let mut blocks = b.blocks;
    // Header lines only exist above a heading; without one they are ordinary paragraphs.
    if !blocks.iter().any(|b| matches!(b, Block::Heading { .. })) {
        for block in &mut blocks {
            if let Block::Header(text) = block {
                let text = std::mem::take(text);
                let section = section_number(&text);
                *block = Block::Paragraph { text, section };
            }
        }
    }
    blocks
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    inline: Inline,
    bold: u32,
    italic: u32,
    heading: Option<u8>,
    seen_heading: bool,
    quote_depth: u32,
    quote: Vec<Inline>,
    /// Next number of each open list (`None` for bullets).
    lists: Vec<Option<u64>>,
    marker: Option<String>,
    code: Option<String>,
    html_block: bool,
    prev: Option<char>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => match self.code.as_mut() {
                Some(code) => code.push_str(&t),
                None => self.push_text(&t, true),
            },
            Event::Code(t) => self.push_text(&t, false),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t, false),
            Event::Html(t) | Event::InlineHtml(t) => self.html(&t),
            Event::SoftBreak => self.push_text(" ", false),
            Event::HardBreak => self.inline.push(Piece::Break),
            Event::Rule => {
                self.flush();
                if self.quote_depth == 0 {
                    self.blocks.push(Block::Rule);
                }
            }
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }, false),
            Event::FootnoteReference(t) => self.push_text(&format!("[{t}]"), false),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level as u8);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html_block = true;
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush();
                self.marker = Some(match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}.");
                        *n = n.saturating_add(1);
                        m
                    }
                    _ => "\u{2022}".to_string(),
                });
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strikethrough => self.inline.push(Piece::Deco(Deco::Deleted)),
            Tag::Strong => self.bold += 1,
            Tag::Paragraph => self.flush(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let text = std::mem::take(&mut self.inline);
                let level = self.heading.take().unwrap_or(1);
                self.prev = None;
                if self.quote_depth > 0 {
                    self.quote.push(text);
                } else if has_text(&text) {
                    self.blocks.push(Block::Heading { level, text });
                    self.seen_heading = true;
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                if self.quote_depth == 0 && !self.quote.is_empty() {
                    self.blocks.push(Block::Signature(std::mem::take(&mut self.quote)));
                }
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let lines: Vec<String> = code.lines().map(str::to_string).collect();
                if self.quote_depth > 0 {
                    for line in lines {
                        self.push_text(&line, false);
                        self.inline.push(Piece::Break);
                    }
                    self.flush();
                } else if !lines.is_empty() {
                    self.blocks.push(Block::Code(lines));
                }
            }
            TagEnd::HtmlBlock => {
                self.html_block = false;
                self.flush();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strikethrough => self.inline.push(Piece::Deco(Deco::None)),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Paragraph | TagEnd::Item => self.flush(),
            _ => {}
        }
    }

    /// Inline HTML: `<br>` breaks the line, other tags are dropped, text is kept.
    fn html(&mut self, html: &str) {
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            self.push_text(&rest[..open], false);
            let after = &rest[open..];
            match after.find('>') {
                Some(close) => {
                    let tag = after[1..close].trim().to_ascii_lowercase();
                    match tag.as_str() {
                        t if t.starts_with("br") => self.inline.push(Piece::Break),
                        "ins" => self.inline.push(Piece::Deco(Deco::Inserted)),
                        "/ins" => self.inline.push(Piece::Deco(Deco::None)),
                        _ => {}
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    self.push_text(after, false);
                    rest = "";
                }
            }
        }
        self.push_text(rest, false);
        if self.html_block && html.ends_with('\n') {
            self.push_text(" ", false);
        }
    }

    fn push_text(&mut self, text: &str, smart: bool) {
        let Some(last) = text.chars().next_back() else {
            return;
        };
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        let same =
            matches!(self.inline.last(), Some(Piece::Text { bold: b, italic: i, .. }) if *b == bold && *i == italic);
        if !same {
            self.inline.push(Piece::Text { text: String::with_capacity(text.len()), bold, italic });
        }
        let Some(Piece::Text { text: out, .. }) = self.inline.last_mut() else {
            return;
        };
        if smart && text.contains(['"', '\'']) {
            curl_quotes(text, &mut self.prev, out);
        } else {
            out.push_str(text);
            self.prev = Some(last);
        }
    }

    /// Ends the current paragraph, filing it where the context says.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.inline);
        self.prev = None;
        if !has_text(&text) {
            return;
        }
        if self.quote_depth > 0 {
            self.quote.push(text);
        } else if !self.lists.is_empty() || self.marker.is_some() {
            self.blocks.push(Block::ListItem {
                marker: self.marker.take().unwrap_or_default(),
                depth: self.lists.len().max(1),
                text,
            });
        } else if !self.seen_heading && self.blocks.iter().all(|b| matches!(b, Block::Header(_))) {
            self.blocks.push(Block::Header(text));
        } else {
            let section = section_number(&text);
            self.blocks.push(Block::Paragraph { text, section });
        }
    }
}

fn has_text(inline: &Inline) -> bool {
    inline.iter().any(|p| match p {
        Piece::Text { text, .. } => text.chars().any(|c| !c.is_whitespace()),
        Piece::Break | Piece::Deco(_) => false,
    })
}

/// The number of a numbered section: leading strong text like `3.` or `4.2`.
pub fn section_number(inline: &Inline) -> Option<String> {
    let Some(Piece::Text { text, bold: true, .. }) = inline.iter().find(|p| !matches!(p, Piece::Deco(_))) else {
        return None;
    };
    let number = text.trim();
    let digits = number.trim_end_matches(['.', ')']);
    let ok = !digits.is_empty()
        && digits.len() <= 12
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    ok.then(|| number.to_string())
}

/// Appends `text` to `out` with straight quotes made typographic: opening after a space,
/// an opening bracket or a dash (or at the start), closing (and apostrophe) elsewhere;
/// `prev` is the character before, and is left at the last one appended.
fn curl_quotes(text: &str, prev: &mut Option<char>, out: &mut String) {
    for ch in text.chars() {
        let opening = || prev.is_none_or(|p| p.is_whitespace() || "([{\u{2014}\u{2013}-/".contains(p));
        let ch = match ch {
            '"' if opening() => '\u{201C}',
            '"' => '\u{201D}',
            '\'' if opening() => '\u{2018}',
            '\'' => '\u{2019}',
            c => c,
        };
        out.push(ch);
        *prev = Some(ch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(inline: &Inline) -> String {
        inline
            .iter()
            .map(|p| match p {
                Piece::Text { text, .. } => text.as_str(),
                Piece::Break => "\n",
                Piece::Deco(_) => "",
            })
            .collect()
    }

    #[test]
    fn exhibit_conventions() {
        let md = "EXHIBIT 1.4\n\n# Title\n\nSome \"quoted\" Client's text.\n\n\
                  **3\\.** The fees \\_\\_\\_ payable.\n\n> **ACME, INC.**\n>\n> By: /s/ JO\\\n> Jo, CEO\n";
        let blocks = parse(md);
        assert!(matches!(&blocks[0], Block::Header(t) if plain(t) == "EXHIBIT 1.4"));
        assert!(matches!(&blocks[1], Block::Heading { level: 1, .. }));
        assert!(
            matches!(&blocks[2], Block::Paragraph { text, section: None } if plain(text) == "Some \u{201C}quoted\u{201D} Client\u{2019}s text.")
        );
        assert!(
            matches!(&blocks[3], Block::Paragraph { text, section: Some(n) } if n == "3." && plain(text) == "3. The fees ___ payable.")
        );
        match &blocks[4] {
            Block::Signature(paras) => {
                assert_eq!(paras.len(), 2);
                assert_eq!(plain(&paras[1]), "By: /s/ JO\nJo, CEO");
            }
            other => panic!("expected a signature block, got {other:?}"),
        }
    }

    #[test]
    fn no_heading_means_no_header_lines() {
        let blocks = parse("one\n\ntwo");
        assert!(blocks.iter().all(|b| matches!(b, Block::Paragraph { .. })));
    }

    #[test]
    fn lists_code_and_html_become_text() {
        let md = "# T\n\n1. first\n2. second\n   - inner\n\n```\ncode  line\n```\n\n<div>hi<br>there</div>\n\n---\n";
        let blocks = parse(md);
        let markers: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::ListItem { marker, .. } => Some(marker.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(markers, ["1.", "2.", "\u{2022}"]);
        assert!(blocks.contains(&Block::Code(vec!["code  line".into()])));
        assert!(blocks.contains(&Block::Rule));
    }
}
