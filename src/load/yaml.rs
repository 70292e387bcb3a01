//! YAML 1.2 with a position on every node, and with limits: nesting depth,
//! alias expansion, one document per file, no foreign tags, no duplicate keys.
//!
//! Built on saphyr's event parser; the tree is assembled here so that every
//! limit is checked while parsing, before memory or the stack can grow.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar as CoreScalar;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span as ParserSpan, Tag};

use crate::diag::{Code, Pos, Span};

/// Limits applied while parsing one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlLimits {
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes that aliases may expand to in one file.
    pub max_alias_nodes: usize,
    /// Most bytes that copies made for anchors and aliases may take in one
    /// file: the text of their scalars plus [`NODE_COST`] per node.
    pub max_alias_bytes: usize,
}

impl From<&crate::model::settings::Limits> for YamlLimits {
    fn from(limits: &crate::model::settings::Limits) -> Self {
        YamlLimits {
            max_depth: limits.max_depth,
            max_alias_nodes: limits.max_alias_nodes,
            max_alias_bytes: limits.max_alias_bytes,
        }
    }
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits {
            max_depth: 64,
            max_alias_nodes: 10_000,
            max_alias_bytes: 4 * 1024 * 1024,
        }
    }
}

/// What one node costs in memory besides its text, for the alias budget.
pub const NODE_COST: usize = size_of::<Node>();

/// A YAML node with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is written.
    pub span: Span,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order; keys are unique.
    Map(Vec<(Node, Node)>),
}

/// A scalar as written, with its core-schema resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's text after YAML unescaping.
    pub text: String,
    /// What the YAML 1.2 core schema makes of it.
    pub kind: ScalarKind,
    /// Whether it was written without quotes or block indicators.
    pub plain: bool,
}

/// The core-schema type of a scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarKind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating point number, `.inf` or `.nan`.
    Float(f64),
    /// A string.
    Str,
}

impl ScalarKind {
    /// A short description for messages: "the number 2.1", "the boolean true".
    pub fn describe(self) -> &'static str {
        match self {
            ScalarKind::Null => "nothing (null)",
            ScalarKind::Bool(_) => "a boolean",
            ScalarKind::Int(_) | ScalarKind::Float(_) => "a number",
            ScalarKind::Str => "a string",
        }
    }
}

/// A problem found while parsing, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The diagnostic code.
    pub code: Code,
    /// Where.
    pub span: Span,
    /// What is wrong and what to do.
    pub message: String,
}

/// The result of parsing one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The document, unless parsing failed. An empty file gives a null scalar.
    pub root: Option<Node>,
    /// Problems found; when one of them stopped the parse, `root` is `None`.
    pub findings: Vec<Finding>,
}

impl Node {
    /// The node's mapping entries, if it is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The node's scalar, if it is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    fn get_entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_scalar().is_some_and(|s| s.text == key))
    }

    /// The node at a JSON pointer (`/versions/0/version`), if it exists.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for token in pointer_tokens(pointer) {
            node = node.child(&token)?;
        }
        Some(node)
    }

    /// The key node of the member `key` of the mapping at `pointer`.
    pub fn key_at(&self, pointer: &str, key: &str) -> Option<&Node> {
        self.pointer(pointer)?.get_entry(key).map(|(k, _)| k)
    }

    fn child(&self, token: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(_) => self.get(token),
            Value::Seq(items) => items.get(token.parse::<usize>().ok()?),
            Value::Scalar(_) => None,
        }
    }

    /// The memory a copy of this subtree takes, roughly: the text of its
    /// scalars plus [`NODE_COST`] per node. Iterative, so any depth is fine.
    pub fn cost(&self) -> usize {
        let mut total = 0usize;
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            total = total.saturating_add(NODE_COST);
            match &node.value {
                Value::Scalar(s) => total = total.saturating_add(s.text.len()),
                Value::Seq(items) => stack.extend(items.iter()),
                Value::Map(entries) => {
                    for (k, v) in entries {
                        stack.push(k);
                        stack.push(v);
                    }
                }
            }
        }
        total
    }

    /// The number of nodes in this subtree.
    pub fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }

    /// The value as JSON, for the schema check and typed decoding.
    /// Non-finite numbers become null (the schema reports them by type).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar(s) => match s.kind {
                ScalarKind::Null => J::Null,
                ScalarKind::Bool(b) => J::Bool(b),
                ScalarKind::Int(i) => J::from(i),
                ScalarKind::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
                ScalarKind::Str => J::String(s.text.clone()),
            },
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (key_text(k), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The text of a mapping key.
pub fn key_text(key: &Node) -> String {
    match &key.value {
        Value::Scalar(s) => s.text.clone(),
        _ => String::new(),
    }
}

/// Splits a JSON pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// Escapes one JSON pointer token.
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Mappings with fewer keys are checked for duplicates by a scan.
const LINEAR_KEYS: usize = 16;

/// Core-schema tags accepted on scalars.
const SCALAR_TAGS: &[&str] = &["str", "int", "float", "bool", "null"];

fn pos(m: &Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        column: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
    }
}

fn span(s: &ParserSpan) -> Span {
    let start = pos(&s.start);
    let mut end = pos(&s.end);
    if end <= start {
        end = Pos {
            line: start.line,
            column: start.column + 1,
        };
    }
    Span { start, end }
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        /// Key text -> line, for duplicate detection in large mappings; small
        /// ones are scanned, which allocates nothing.
        seen: Option<HashMap<String, u32>>,
        skip_value: bool,
    },
}

struct Frame {
    kind: FrameKind,
    start: Pos,
    anchor: usize,
}

struct Builder<'a> {
    limits: &'a YamlLimits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_budget: usize,
    /// Bytes left for copies of anchored nodes (kept for later aliases) and
    /// for the copies aliases expand to.
    copy_budget: usize,
    root: Option<Node>,
    findings: Vec<Finding>,
}

/// Parses one YAML document with positions, enforcing `limits`.
pub fn parse(text: &str, limits: &YamlLimits) -> Parsed {
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: limits.max_alias_nodes,
        copy_budget: limits.max_alias_bytes,
        root: None,
        findings: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0usize;
    let mut fatal = false;
    while let Some(next) = parser.next_event() {
        let (event, ev_span) = match next {
            Ok(pair) => pair,
            Err(e) => {
                // The scanner's own nesting guard is a limit, not a syntax error.
                let code = if e.info().contains("recursion limit") {
                    Code::YamlLimit
                } else {
                    Code::YamlSyntax
                };
                builder.fatal(
                    code,
                    Span::point(pos(e.marker())),
                    format!("invalid YAML: {}", e.info()),
                );
                fatal = true;
                break;
            }
        };
        let result = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    builder.fatal(
                        Code::MultipleDocuments,
                        span(&ev_span),
                        "a second YAML document starts here; a file holds exactly one entry, so move it to a file of its own",
                    );
                    Err(())
                } else {
                    Ok(())
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                builder.scalar(value, style, anchor, tag.as_deref(), &ev_span)
            }
            Event::SequenceStart(anchor, tag) => {
                builder.open(FrameKind::Seq(Vec::new()), anchor, tag.as_deref(), &ev_span)
            }
            Event::MappingStart(anchor, tag) => builder.open(
                FrameKind::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    seen: None,
                    skip_value: false,
                },
                anchor,
                tag.as_deref(),
                &ev_span,
            ),
            Event::SequenceEnd | Event::MappingEnd => builder.close(&ev_span),
            Event::Alias(id) => builder.alias(id, &ev_span),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
        };
        if result.is_err() {
            fatal = true;
            break;
        }
    }
    let root = if fatal {
        None
    } else {
        Some(builder.root.take().unwrap_or(Node {
            value: Value::Scalar(Scalar {
                text: String::new(),
                kind: ScalarKind::Null,
                plain: true,
            }),
            span: Span::point(Pos::START),
        }))
    };
    Parsed {
        root,
        findings: builder.findings,
    }
}

impl Builder<'_> {
    fn fatal(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.findings.push(Finding {
            code,
            span,
            message: message.into(),
        });
    }

    fn check_tag(&mut self, tag: Option<&Tag>, allowed: &[&str], at: Span) {
        let Some(tag) = tag else { return };
        if tag.is_yaml_core_schema() && allowed.contains(&tag.suffix.as_str()) {
            return;
        }
        self.findings.push(Finding {
            code: Code::YamlTag,
            span: at,
            message: format!(
                "the YAML tag `{}` is not allowed in catalog files; remove it and write the value as plain YAML",
                printable_tag(tag)
            ),
        });
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        ev_span: &ParserSpan,
    ) -> Result<(), ()> {
        let at = span(ev_span);
        self.check_tag(tag, SCALAR_TAGS, at);
        let core_tag = tag
            .filter(|t| t.is_yaml_core_schema() && SCALAR_TAGS.contains(&t.suffix.as_str()))
            .cloned()
            .map(Cow::Owned);
        let text = value.into_owned();
        let resolved = CoreScalar::parse_from_cow_and_metadata(
            Cow::Borrowed(text.as_str()),
            style,
            core_tag.as_ref(),
        );
        let kind = match resolved {
            Some(CoreScalar::Null) => ScalarKind::Null,
            Some(CoreScalar::Boolean(b)) => ScalarKind::Bool(b),
            Some(CoreScalar::Integer(i)) => ScalarKind::Int(i),
            Some(CoreScalar::FloatingPoint(f)) => ScalarKind::Float(f.into_inner()),
            Some(CoreScalar::String(_)) => ScalarKind::Str,
            None => {
                self.findings.push(Finding {
                    code: Code::YamlTag,
                    span: at,
                    message: format!(
                        "`{}` cannot be read with its tag; remove the tag",
                        text.escape_debug()
                    ),
                });
                ScalarKind::Str
            }
        };
        let node = Node {
            value: Value::Scalar(Scalar {
                text,
                kind,
                plain: style == ScalarStyle::Plain,
            }),
            span: at,
        };
        if anchor > 0 {
            self.keep_anchor(anchor, &node, at)?;
        }
        self.push(node);
        Ok(())
    }

    /// Keeps a copy of an anchored node for the aliases that may follow,
    /// within the copy budget.
    fn keep_anchor(&mut self, anchor: usize, node: &Node, at: Span) -> Result<(), ()> {
        self.charge_copy(node.cost(), at)?;
        self.anchors.insert(anchor, node.clone());
        Ok(())
    }

    /// Takes `bytes` from the copy budget, or stops the parse when it is spent.
    fn charge_copy(&mut self, bytes: usize, at: Span) -> Result<(), ()> {
        if bytes > self.copy_budget {
            let limit = self.limits.max_alias_bytes;
            self.fatal(
                Code::YamlLimit,
                at,
                format!(
                    "anchors and aliases in this file expand to more than {limit} bytes (`limits.max_alias_bytes`); write the values out instead of using anchors and aliases"
                ),
            );
            return Err(());
        }
        self.copy_budget -= bytes;
        Ok(())
    }

    fn open(
        &mut self,
        kind: FrameKind,
        anchor: usize,
        tag: Option<&Tag>,
        ev_span: &ParserSpan,
    ) -> Result<(), ()> {
        let at = span(ev_span);
        let allowed: &[&str] = match kind {
            FrameKind::Seq(_) => &["seq"],
            FrameKind::Map { .. } => &["map"],
        };
        self.check_tag(tag, allowed, at);
        if self.stack.len() >= self.limits.max_depth {
            self.fatal(
                Code::YamlLimit,
                at,
                format!(
                    "nesting deeper than {} levels; entries need no deep nesting, so write the value out plainly",
                    self.limits.max_depth
                ),
            );
            return Err(());
        }
        self.stack.push(Frame {
            kind,
            start: at.start,
            anchor,
        });
        Ok(())
    }

    fn close(&mut self, ev_span: &ParserSpan) -> Result<(), ()> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let end = span(ev_span).end;
        let value = match frame.kind {
            FrameKind::Seq(items) => Value::Seq(items),
            FrameKind::Map { entries, .. } => Value::Map(entries),
        };
        let node = Node {
            value,
            span: Span {
                start: frame.start,
                end: end.max(frame.start),
            },
        };
        if frame.anchor > 0 {
            self.keep_anchor(frame.anchor, &node, node.span)?;
        }
        self.push(node);
        Ok(())
    }

    fn alias(&mut self, id: usize, ev_span: &ParserSpan) -> Result<(), ()> {
        let at = span(ev_span);
        let Some((count, bytes)) = self.anchors.get(&id).map(|t| (t.count(), t.cost())) else {
            self.fatal(
                Code::YamlSyntax,
                at,
                "this alias refers to no anchor defined before it",
            );
            return Err(());
        };
        if count > self.alias_budget {
            let limit = self.limits.max_alias_nodes;
            self.fatal(
                Code::YamlLimit,
                at,
                format!(
                    "aliases in this file expand to more than {limit} nodes (a billion-laughs pattern); write the values out instead of using anchors and aliases"
                ),
            );
            return Err(());
        }
        self.charge_copy(bytes, at)?;
        self.alias_budget -= count;
        let Some(mut node) = self.anchors.get(&id).cloned() else {
            return Err(());
        };
        node.span = at;
        self.push(node);
        Ok(())
    }

    fn push(&mut self, node: Node) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map {
                entries,
                pending_key,
                seen,
                skip_value,
            } => match pending_key.take() {
                Some(key) => {
                    if !std::mem::take(skip_value) {
                        entries.push((key, node));
                    }
                }
                None => {
                    let text = match &node.value {
                        Value::Scalar(s) => s.text.as_str(),
                        _ => {
                            self.findings.push(Finding {
                                code: Code::YamlSyntax,
                                span: node.span,
                                message:
                                    "a mapping key must be plain text, not a list or a mapping"
                                        .into(),
                            });
                            *skip_value = true;
                            *pending_key = Some(node);
                            return;
                        }
                    };
                    if seen.is_none() && entries.len() >= LINEAR_KEYS {
                        *seen = Some(
                            entries
                                .iter()
                                .map(|(k, _)| (key_text(k), k.span.start.line))
                                .collect(),
                        );
                    }
                    let first = match seen {
                        Some(index) => index.get(text).copied(),
                        None => entries
                            .iter()
                            .find(|(k, _)| matches!(&k.value, Value::Scalar(s) if s.text == text))
                            .map(|(k, _)| k.span.start.line),
                    };
                    if let Some(first_line) = first {
                        self.findings.push(Finding {
                            code: Code::DuplicateKey,
                            span: node.span,
                            message: format!(
                                "the key `{}` appears twice in this mapping (first on line {first_line}); keep one of them",
                                text.escape_debug()
                            ),
                        });
                        *skip_value = true;
                    } else if let Some(index) = seen {
                        index.insert(text.to_string(), node.span.start.line);
                    }
                    *pending_key = Some(node);
                }
            },
        }
    }
}

fn printable_tag(tag: &Tag) -> String {
    let handle = if tag.is_yaml_core_schema() {
        "!!"
    } else {
        tag.handle.as_str()
    };
    format!("{handle}{}", tag.suffix)
        .chars()
        .flat_map(char::escape_debug)
        .take(80)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        let parsed = parse(text, &YamlLimits::default());
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        parsed.root.expect("root")
    }

    fn codes(text: &str) -> Vec<Code> {
        parse(text, &YamlLimits::default())
            .findings
            .iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn yaml_1_2_core_semantics() {
        let root = parse_ok("a: no\nb: 2.10\nc: 0755\nd: 2025-01-02\ne: \"2.10\"\nf: ~\n");
        let kind = |k: &str| root.get(k).and_then(Node::as_scalar).map(|s| s.kind);
        assert_eq!(kind("a"), Some(ScalarKind::Str));
        assert_eq!(kind("b"), Some(ScalarKind::Float(2.1)));
        assert_eq!(kind("c"), Some(ScalarKind::Int(755)));
        assert_eq!(kind("d"), Some(ScalarKind::Str));
        assert_eq!(kind("e"), Some(ScalarKind::Str));
        assert_eq!(kind("f"), Some(ScalarKind::Null));
        assert_eq!(
            root.get("b")
                .and_then(Node::as_scalar)
                .map(|s| s.text.as_str()),
            Some("2.10")
        );
    }

    #[test]
    fn positions_of_nodes_and_keys() {
        let root = parse_ok("id: x\nversions:\n  - version: 1.0.0\n    released: 2025-01-01\n");
        let v = root.pointer("/versions/0/released").expect("node");
        assert_eq!(
            v.span.start,
            Pos {
                line: 4,
                column: 15
            }
        );
        let k = root.key_at("/versions/0", "released").expect("key");
        assert_eq!(k.span.start, Pos { line: 4, column: 5 });
        assert!(root.pointer("/versions/1").is_none());
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second() {
        let parsed = parse("a: 1\nb: 2\na: 3\n", &YamlLimits::default());
        assert_eq!(parsed.findings.len(), 1);
        assert_eq!(parsed.findings[0].code, Code::DuplicateKey);
        assert_eq!(parsed.findings[0].span.start, Pos { line: 3, column: 1 });
        let root = parsed.root.expect("root kept");
        assert_eq!(
            root.get("a")
                .and_then(Node::as_scalar)
                .map(|s| s.text.as_str()),
            Some("1")
        );
    }

    #[test]
    fn duplicate_keys_in_large_mappings() {
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: again\nk39: again\n");
        let parsed = parse(&text, &YamlLimits::default());
        let lines: Vec<u32> = parsed.findings.iter().map(|f| f.span.start.line).collect();
        assert_eq!(lines, [41, 42]);
        assert!(parsed.findings.iter().all(|f| f.code == Code::DuplicateKey));
        assert!(
            parsed.findings[0].message.contains("first on line 4"),
            "{}",
            parsed.findings[0].message
        );
    }

    #[test]
    fn depth_limit_stops_the_parse() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(codes(&deep), vec![Code::YamlLimit]);
        let mut block = String::new();
        for i in 0..80 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        assert_eq!(codes(&block), vec![Code::YamlLimit]);
        assert_eq!(codes(&"- ".repeat(5000)), vec![Code::YamlLimit]);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 10].join(", ");
            bomb.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
        }
        assert_eq!(codes(&bomb), vec![Code::YamlLimit]);
        let small = parse_ok("a: &x [1, 2]\nb: *x\n");
        assert_eq!(small.get("b").map(Node::count), Some(3));
    }

    #[test]
    fn tags_documents_and_syntax() {
        assert_eq!(
            codes("a: !!python/object:os.system x\n"),
            vec![Code::YamlTag]
        );
        assert_eq!(codes("a: !!str 2.10\n"), Vec::<Code>::new());
        assert_eq!(codes("a: 1\n---\nb: 2\n"), vec![Code::MultipleDocuments]);
        assert_eq!(codes("a: \"unclosed\n"), vec![Code::YamlSyntax]);
        assert_eq!(codes("? [a]\n: 1\n"), vec![Code::YamlSyntax]);
    }

    #[test]
    fn empty_file_is_null() {
        let root = parse_ok("");
        assert_eq!(root.as_scalar().map(|s| s.kind), Some(ScalarKind::Null));
    }

    #[test]
    fn pointer_tokens_unescape() {
        let t: Vec<String> = pointer_tokens("/a~1b/c~0d/0").collect();
        assert_eq!(t, vec!["a/b", "c~d", "0"]);
        assert_eq!(escape_token("a/b~"), "a~1b~0");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn lines(text: &str) -> u32 {
        u32::try_from(crate::source::split_lines(text).count()).unwrap_or(u32::MAX)
    }

    proptest! {
        /// Any text parses without panicking, and every finding points
        /// inside the text it came from.
        #[test]
        fn findings_are_located_inside_the_file(text in "[ -~\n\t\u{e9}\u{202e}]{0,300}") {
            let parsed = parse(&text, &YamlLimits::default());
            for f in &parsed.findings {
                prop_assert!(f.span.start.line >= 1 && f.span.start.line <= lines(&text) + 1, "{f:?}");
                prop_assert!(f.span.start.column >= 1);
            }
        }

        /// YAML-looking fragments: positions of every node lie inside the text.
        #[test]
        fn node_spans_are_inside_the_file(
            keys in proptest::collection::vec("[a-z]{1,6}", 1..6),
            values in proptest::collection::vec("[a-z0-9 .:-]{0,12}", 1..6),
        ) {
            let mut text = String::new();
            for (k, v) in keys.iter().zip(values.iter()) {
                text.push_str(&format!("{k}: {v:?}\n"));
            }
            let parsed = parse(&text, &YamlLimits::default());
            if let Some(root) = parsed.root {
                let mut stack = vec![&root];
                while let Some(node) = stack.pop() {
                    prop_assert!(node.span.start.line <= lines(&text) + 1);
                    match &node.value {
                        Value::Seq(items) => stack.extend(items.iter()),
                        Value::Map(entries) => {
                            for (k, v) in entries {
                                stack.push(k);
                                stack.push(v);
                            }
                        }
                        Value::Scalar(_) => {}
                    }
                }
            }
        }
    }
}
