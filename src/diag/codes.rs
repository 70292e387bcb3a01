//! The registry of diagnostic codes: the single source of truth for every
//! code's name, default severity and documentation.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Makes `validate` fail (exit 1).
    Error,
    /// Reported, but fails only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Documentation and defaults of one code.
#[derive(Debug)]
pub struct CodeInfo {
    /// The stable kebab-case name, as printed.
    pub name: &'static str,
    /// The severity unless the catalog's settings change it.
    pub severity: Severity,
    /// One line: what the code is about.
    pub summary: &'static str,
    /// What triggers it.
    pub trigger: &'static str,
    /// A small input that triggers it (YAML or a description).
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident => {
        name: $name:literal,
        severity: $sev:ident,
        summary: $summary:literal,
        trigger: $trigger:literal,
        example: $example:literal,
        fix: $fix:literal $(,)?
    } ),* $(,)?) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code's documentation and defaults.
            pub fn info(self) -> &'static CodeInfo {
                match self {
                    $( Code::$variant => &CodeInfo {
                        name: $name,
                        severity: Severity::$sev,
                        summary: $summary,
                        trigger: $trigger,
                        example: $example,
                        fix: $fix,
                    }, )*
                }
            }
        }
    };
}

codes! {
    /// Bytes that are not UTF-8, or a byte order mark.
    Encoding => {
        name: "encoding",
        severity: Error,
        summary: "The file is not plain UTF-8 text.",
        trigger: "Bytes that are not valid UTF-8 (an error, located at the first bad byte), or a UTF-8 byte order mark at the start of the file (a warning).",
        example: "A file saved as Latin-1 with `name: Café` (byte 0xE9).",
        fix: "Save the file as UTF-8 without a byte order mark.",
    },
    /// The file is larger than the catalog's limit.
    FileTooLarge => {
        name: "file-too-large",
        severity: Error,
        summary: "The file is larger than the catalog allows; it was not read.",
        trigger: "A file bigger than `limits.max_file_bytes` of the settings (default 1 MiB). The file is refused before it is read whole.",
        example: "A 100 MB YAML file in `catalog/tools/`.",
        fix: "An entry is a few kilobytes. Remove generated or pasted content; raise the limit in `alliance-catalog.toml` only for a good reason.",
    },
    /// More entry files than the catalog allows.
    TooManyFiles => {
        name: "too-many-files",
        severity: Error,
        summary: "The catalog holds more entry files than its limit; the rest were not read.",
        trigger: "More files under the tools folder than `limits.max_entries` of the settings (default 200,000). Reading stops at the limit, so that a pull request cannot make every check slow.",
        example: "30,000 generated files in `catalog/tools/`.",
        fix: "Remove generated files; raise `limits.max_entries` (up to its ceiling) only when the catalog really is that large.",
    },
    /// The file could not be read.
    Unreadable => {
        name: "unreadable",
        severity: Error,
        summary: "The file could not be read.",
        trigger: "An I/O error while reading a file of the catalog, such as missing permissions or a file removed while the catalog was being read.",
        example: "`chmod 000 catalog/tools/x.yaml`",
        fix: "Make the file readable by the user running alliance-catalog.",
    },
    /// A symbolic link leading outside the catalog.
    UnsafePath => {
        name: "unsafe-path",
        severity: Error,
        summary: "A symbolic link points outside the catalog; it was not followed.",
        trigger: "A file or folder under the catalog that is a symbolic link to a place outside the catalog folder.",
        example: "`ln -s /etc/passwd catalog/tools/evil.yaml`",
        fix: "Replace the link by the file itself.",
    },
    /// Malformed YAML.
    YamlSyntax => {
        name: "yaml-syntax",
        severity: Error,
        summary: "The file is not well-formed YAML.",
        trigger: "Anything the YAML 1.2 parser rejects: bad indentation, an unclosed quote or bracket, a tab used for indentation, a mapping key that is not plain text.",
        example: "name: \"Example Guard",
        fix: "Fix the YAML at the position shown; the message names what the parser expected.",
    },
    /// The same key twice in one mapping.
    DuplicateKey => {
        name: "duplicate-key",
        severity: Error,
        summary: "A key appears twice in the same mapping.",
        trigger: "A mapping with two equal keys. Many YAML readers silently keep the last one; alliance-catalog refuses the file so that no value is lost unseen.",
        example: "license: MIT\nlicense: Apache-2.0",
        fix: "Keep one of the keys.",
    },
    /// Nesting or alias expansion beyond the limits.
    YamlLimit => {
        name: "yaml-limit",
        severity: Error,
        summary: "The YAML is nested too deeply or its aliases expand too far.",
        trigger: "Nesting deeper than `limits.max_depth` (default 64), or anchors and aliases that expand to more than `limits.max_alias_nodes` nodes (default 10000), as in a billion-laughs attack.",
        example: "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n...",
        fix: "Write the entry out plainly; entries need neither deep nesting nor aliases.",
    },
    /// An explicit YAML tag.
    YamlTag => {
        name: "yaml-tag",
        severity: Error,
        summary: "The file uses a YAML tag other than the core schema's.",
        trigger: "A tag such as `!!python/object` or `!custom` on a value. Only the core tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq` and `!!map` are accepted.",
        example: "name: !!python/object:os.system echo",
        fix: "Remove the tag; write the value as plain YAML (quote it to make it a string).",
    },
    /// More than one YAML document.
    MultipleDocuments => {
        name: "multiple-documents",
        severity: Error,
        summary: "The file holds more than one YAML document.",
        trigger: "A second document after a `---` line. Each file holds exactly one entry.",
        example: "id: a\n---\nid: b",
        fix: "Put each entry in a file of its own, named after its id.",
    },
    /// A string with control or bidirectional formatting characters.
    ControlCharacter => {
        name: "control-character",
        severity: Error,
        summary: "A string holds a control, bidirectional or invisible formatting character.",
        trigger: "Any control character (other than line breaks in multi-line fields such as `description` and `notes`), a bidirectional override or isolate (U+202A..U+202E, U+2066..U+2069), or an invisible character (U+200B, U+2060, U+FEFF) inside a value. They can hide text or rewrite what a terminal or a reviewer sees.",
        example: "name: \"Guard\\u202Edrawkcab\"",
        fix: "Remove the character.",
    },
    /// A placeholder left by `alliance-catalog new`.
    Placeholder => {
        name: "placeholder",
        severity: Error,
        summary: "A value is still a placeholder from `alliance-catalog new`.",
        trigger: "A string value starting with `TODO:`, as `alliance-catalog new` writes for every field it could not fill. Schema errors of other values are still reported; the remaining rules (taxonomy ids, licence, versions, dates, links) run once no placeholder is left.",
        example: "name: \"TODO: display name\"",
        fix: "Replace the placeholder with the real value; the comment above the key says what it means.",
    },
    /// A value that breaks the JSON Schema of its file.
    Schema => {
        name: "schema",
        severity: Error,
        summary: "A value does not have the shape the JSON Schema requires.",
        trigger: "A missing required key, a value of the wrong type, a string too short or too long, a list with repeated items, a value not in the allowed set. The schemas are in `schemas/`.",
        example: "summary: short",
        fix: "Follow the message; your editor can check the file while you type when it reads the `yaml-language-server` line at the top.",
    },
    /// A key the schema does not know.
    UnknownKey => {
        name: "unknown-key",
        severity: Error,
        summary: "A key that the entry format does not define.",
        trigger: "Any key not in the schema, so that typos never pass silently.",
        example: "licence: MIT",
        fix: "Correct the spelling (the message suggests the closest key) or remove the key.",
    },
    /// An entry format newer than this build understands.
    UnsupportedSchemaVersion => {
        name: "unsupported-schema-version",
        severity: Error,
        summary: "The entry declares a schema version this alliance-catalog does not know.",
        trigger: "`schema_version` with another major version, or a newer minor version than the one this build supports.",
        example: "schema_version: 1.9.0",
        fix: "Upgrade alliance-catalog, or write the entry in a supported version.",
    },
    /// The id differs from the file name.
    IdMismatch => {
        name: "id-mismatch",
        severity: Error,
        summary: "The `id` differs from the file name.",
        trigger: "`id: foo` in a file that is not named `foo.yaml`.",
        example: "# in llama-guard.yaml\nid: llamaguard",
        fix: "Rename the file or change the id so that they are equal.",
    },
    /// Two entries with one id.
    DuplicateId => {
        name: "duplicate-id",
        severity: Error,
        summary: "Two entries have the same id.",
        trigger: "An id used by two entry files of the catalog, for instance in two sub-folders.",
        example: "tools/a/guard.yaml and tools/b/guard.yaml both say `id: guard`",
        fix: "Give one of them another id, or merge them.",
    },
    /// An id that Windows cannot use as a file name.
    ReservedName => {
        name: "reserved-name",
        severity: Error,
        summary: "The id is a device name that Windows cannot check out as a file.",
        trigger: "An entry id equal to `con`, `prn`, `aux`, `nul`, `com1`…`com9` or `lpt1`…`lpt9` (ignoring case). Windows treats `con.yaml` as the console, so a clone of the catalog fails there.",
        example: "id: con",
        fix: "Choose another id, e.g. `con-scanner`, and rename the file to match.",
    },
    /// The same term twice in one vocabulary of the taxonomy.
    DuplicateTerm => {
        name: "duplicate-term",
        severity: Error,
        summary: "A vocabulary of the taxonomy defines the same term twice.",
        trigger: "Two items with the same `id` in one list of `taxonomy.yaml` (`categories`, `risks`, `lifecycle`, `modalities`, `interfaces` or `platforms`).",
        example: "risks:\n  - id: pii-leakage\n    ...\n  - id: pii-leakage\n    ...",
        fix: "Keep one of the two terms (merge their descriptions and mappings).",
    },
    /// A taxonomy term citing a source the taxonomy does not list.
    UnresolvedSource => {
        name: "unresolved-source",
        severity: Error,
        summary: "A taxonomy term cites a source that is not in `sources`.",
        trigger: "An item of a term's `references` that is not the `id` of an item of the taxonomy's `sources` list.",
        example: "references: [owasp-llm-2052]",
        fix: "Correct the id (the message suggests the closest) or add the source to `sources`.",
    },
    /// A framework file that is not a sound id registry.
    InvalidFramework => {
        name: "invalid-framework",
        severity: Error,
        summary: "A framework file of `frameworks/` is not a sound id registry.",
        trigger: "A framework file whose `id` differs from its file name, that lists an item twice, or whose `parent`, `tactics`, `addresses` or `now` names an item the edition does not have.",
        example: "# frameworks/mitre-atlas.yaml\nitems:\n  - id: AML.M0020\n    title: Generative AI Guardrails\n    addresses: [AML.T9999]",
        fix: "Copy the ids again from the framework's source at the commit the file names; the message suggests the closest id.",
    },
    /// An item of a fully mapped framework with neither mapping nor gap note.
    UnmappedFrameworkItem => {
        name: "unmapped-framework-item",
        severity: Warning,
        summary: "An item of a framework that must be fully mapped has no mapping and no gap note.",
        trigger: "A framework file with `mapped_in_full: true` lists an item that no term of the taxonomy maps to and that carries no `gap` note; or an item with a `gap` note that the taxonomy does map to.",
        example: "# frameworks/owasp-agentic-2026.yaml\nmapped_in_full: true\nitems:\n  - id: ASI07\n    title: Insecure Inter-Agent Communication",
        fix: "Map a risk of the taxonomy to the item, or add `gap:` to the item saying why nothing in the catalog covers it (and remove a gap note once the item is mapped).",
    },
    /// A mapping naming a framework the catalog does not have.
    UnknownFramework => {
        name: "unknown-framework",
        severity: Error,
        summary: "A mapping names a framework that is not in `frameworks/`.",
        trigger: "A `mappings` item of the taxonomy or of an entry whose `framework` is not the id of a framework file of the catalog.",
        example: "mappings:\n  - {framework: owasp-lm-2025, item: LLM01, relation: exact}",
        fix: "Use the id of a framework file (the message lists them and suggests the closest), or add the framework's id registry under `frameworks/`.",
    },
    /// A mapping naming an item that the framework's edition lacks.
    UnknownFrameworkItem => {
        name: "unknown-framework-item",
        severity: Error,
        summary: "A mapping names an item that the framework's edition does not have.",
        trigger: "A `mappings` item whose `item` is not an id of the named framework file: a typo, a title instead of the id, or an id with its own edition written after it (`LLM01:2025`).",
        example: "mappings:\n  - {framework: mitre-atlas, item: AML.T0O51, relation: exact}",
        fix: "Write the id as the framework file lists it; the message suggests the closest id with its title.",
    },
    /// A mapping written with an id of another edition.
    WrongEdition => {
        name: "wrong-edition",
        severity: Error,
        summary: "A mapping uses an id of another edition of the framework, where ids can mean other items.",
        trigger: "A `mappings` item whose `framework` names another edition (`owasp-llm-2023`) or whose `item` is an id of another edition (`LLM06:2023`, or an id only a superseded draft has). OWASP's `LLM06` is Sensitive Information Disclosure in 2023 but Excessive Agency in 2025.",
        example: "mappings:\n  - {framework: owasp-llm-2023, item: LLM06, relation: exact}",
        fix: "Map to the edition the catalog holds; the message names the item of that edition that continues the old one, where one does.",
    },
    /// The same framework item twice in one list of mappings.
    DuplicateMapping => {
        name: "duplicate-mapping",
        severity: Error,
        summary: "The same framework item is mapped twice by one term or entry.",
        trigger: "Two items of one `mappings` list with the same `framework` and `item`, whatever their relations.",
        example: "mappings:\n  - {framework: owasp-llm-2025, item: LLM01, relation: exact}\n  - {framework: owasp-llm-2025, item: LLM01, relation: broad}",
        fix: "Keep one mapping, with the relation that holds.",
    },
    /// A category id not in the taxonomy.
    UnknownCategory => {
        name: "unknown-category",
        severity: Error,
        summary: "A category that the taxonomy does not define.",
        trigger: "An item of `categories` that is not an id of the taxonomy's `categories`.",
        example: "categories: [gardrail]",
        fix: "Use an id from `taxonomy.yaml` (the message suggests the closest) or propose a new category there.",
    },
    /// A risk id not in the taxonomy.
    UnknownRisk => {
        name: "unknown-risk",
        severity: Error,
        summary: "A risk that the taxonomy does not define.",
        trigger: "An item of `risks` that is not an id of the taxonomy's `risks`.",
        example: "risks: [prompt-injections]",
        fix: "Use an id from `taxonomy.yaml` or propose a new risk there.",
    },
    /// A lifecycle stage not in the taxonomy.
    UnknownLifecycle => {
        name: "unknown-lifecycle",
        severity: Error,
        summary: "A lifecycle stage that the taxonomy does not define.",
        trigger: "An item of `lifecycle` that is not an id of the taxonomy's `lifecycle`.",
        example: "lifecycle: [deployment]",
        fix: "Use an id from `taxonomy.yaml`.",
    },
    /// A modality not in the taxonomy.
    UnknownModality => {
        name: "unknown-modality",
        severity: Error,
        summary: "A modality that the taxonomy does not define.",
        trigger: "An item of `modalities` that is not an id of the taxonomy's `modalities`.",
        example: "modalities: [txt]",
        fix: "Use an id from `taxonomy.yaml`.",
    },
    /// An interface not in the taxonomy.
    UnknownInterface => {
        name: "unknown-interface",
        severity: Error,
        summary: "An interface that the taxonomy does not define.",
        trigger: "An item of `interfaces` that is not an id of the taxonomy's `interfaces`.",
        example: "interfaces: [python]",
        fix: "Use an id from `taxonomy.yaml`.",
    },
    /// A platform not in the taxonomy.
    UnknownPlatform => {
        name: "unknown-platform",
        severity: Error,
        summary: "A requirement names a platform that the taxonomy does not define.",
        trigger: "A key of `versions[].requires` that is not an id of the taxonomy's `platforms`.",
        example: "requires:\n  torch: \">=2.4\"",
        fix: "Use the platform's id from `taxonomy.yaml` (`pytorch`, not `torch`).",
    },
    /// A language tag that is not BCP 47.
    InvalidLanguage => {
        name: "invalid-language",
        severity: Error,
        summary: "A language is not a well-formed BCP 47 tag.",
        trigger: "An item of `languages` that is neither `any` nor a BCP 47 language tag such as `en`, `ja`, `no` or `pt-BR`.",
        example: "languages: [english]",
        fix: "Write the tag: `en` for English, `pt-BR` for Brazilian Portuguese.",
    },
    /// A licence that is not an SPDX expression.
    InvalidLicense => {
        name: "invalid-license",
        severity: Error,
        summary: "The licence is not a valid SPDX license expression.",
        trigger: "`license` that the SPDX expression parser refuses: an unknown or deprecated identifier, a `/` instead of `OR`, `NOASSERTION`.",
        example: "license: Apache 2",
        fix: "Write the SPDX identifier (`Apache-2.0`), combine with `AND`/`OR`, and record custom licences as `LicenseRef-<name>`.",
    },
    /// A licence the catalog's policy warns about.
    LicensePolicy => {
        name: "license-policy",
        severity: Warning,
        summary: "The licence is one the catalog's policy asks to flag.",
        trigger: "A licence listed under `policy.flag_licenses` of the settings, or matching one of its prefixes such as `LicenseRef-`.",
        example: "license: LicenseRef-Custom-Model-License  # with flag_licenses = [\"LicenseRef-\"]",
        fix: "Nothing, if the licence is recorded as it is: the warning tells readers to check its terms. Set the code's severity in the settings to change how it is treated.",
    },
    /// Evidence that is not a primary source.
    SecondaryEvidence => {
        name: "secondary-evidence",
        severity: Warning,
        summary: "An evidence link points somewhere other than the tool's own sites, a package registry or a host the catalog allows.",
        trigger: "A `vetting.evidence` URL whose host is none of: the entry's homepage or documentation site (or a subdomain), its repository's owner on the same forge (also `OWNER.github.io` and `raw.githubusercontent.com/OWNER`), an owner named in its `packages`, a maintainer's site, a package registry (PyPI, npm, crates.io, docs.rs), or a host listed in `policy.evidence_hosts` (which also allows its subdomains).",
        example: "evidence:\n  - https://hf-mirror.example/meta-llama/Prompt-Guard-86M",
        fix: "Cite the same fact at its source: the tool's repository, documentation or registry page, its paper (arXiv, DOI) or the standard. If the host is a primary source the rule does not know (a standards body, a publisher), add it to `policy.evidence_hosts` in the settings.",
    },
    /// A version that is not semver.
    InvalidVersion => {
        name: "invalid-version",
        severity: Error,
        summary: "A release version is not a version in its package's rules (PEP 440 or semver), or the schema version is not a semantic version.",
        trigger: "`versions[].version` that is not a PEP 440 version when the entry (schema 2.0.0) names a PyPI package first in `packages` (`0.10.3.1`, `1.0.0.post1` and `2.4.0rc1` are), or otherwise not `MAJOR.MINOR.PATCH` with optional pre-release and build parts; `schema_version` that is not a semantic version.",
        example: "version: v2.1",
        fix: "Write the full version, e.g. `2.1.0`; map other schemes to semver and say how in `notes`.",
    },
    /// A requirement that its platform's rules cannot read.
    InvalidRequirement => {
        name: "invalid-requirement",
        severity: Error,
        summary: "A platform requirement is not valid in its platform's syntax.",
        trigger: "A value of `versions[].requires` that its platform's rules cannot read. Schema 2.0.0: PEP 440 specifiers or a PEP 508 requirement line (its name the platform's package, no URL, no `extra` marker, a valid marker) for PyPI packages and Python; a node-semver range for npm packages and Node.js; a Cargo requirement for crates, Rust and other platforms. Schema 1.x: the `semver` crate's syntax, a bare version such as `2.1` refused as ambiguous, no lists.",
        example: "schema_version: 2.0.0\n...\nrequires:\n  python: \"3.9\"\n  pytorch: \"^2.4\"",
        fix: "Write the requirement as the package metadata does: `>=3.9`, `>=2.4,<3` (PEP 440 has no `^`), `!=1.8,>=1.7.0`, `numpy<2; python_version < \"3.13\"`. In a 1.x entry, run `alliance-catalog migrate` to move to 2.0.0.",
    },
    /// The same version listed twice.
    DuplicateVersion => {
        name: "duplicate-version",
        severity: Error,
        summary: "The same version appears twice in `versions`.",
        trigger: "Two items of `versions` whose versions are equal.",
        example: "versions:\n  - version: 1.0.0\n  - version: 1.0.0",
        fix: "Remove one of them.",
    },
    /// A malformed date.
    InvalidDate => {
        name: "invalid-date",
        severity: Error,
        summary: "A date is not a real calendar date written YYYY-MM-DD.",
        trigger: "`released`, `reviewed` or `next_review` in another shape or naming a day that does not exist.",
        example: "released: 2025-02-30",
        fix: "Write the date as YYYY-MM-DD.",
    },
    /// A date after today.
    FutureDate => {
        name: "future-date",
        severity: Error,
        summary: "A release or review date lies in the future.",
        trigger: "`versions[].released` or `vetting.reviewed` after today (UTC, or `ALLIANCE_CATALOG_TODAY`).",
        example: "released: 2999-01-01",
        fix: "Record only what has happened.",
    },
    /// A review that is due.
    ReviewOverdue => {
        name: "review-overdue",
        severity: Warning,
        summary: "The entry's vetting is due for review.",
        trigger: "`vetting.next_review` has passed, or `vetting.reviewed` is older than `policy.review_max_age_days` (default 365).",
        example: "reviewed: 2023-01-10",
        fix: "Review the entry again and update `vetting.reviewed` and `vetting.next_review`.",
    },
    /// A vetted entry with too few reviewers.
    TooFewReviewers => {
        name: "too-few-reviewers",
        severity: Error,
        summary: "A `vetted` entry names fewer reviewers than the policy requires.",
        trigger: "`vetting.status: vetted` with fewer `reviewers` than `policy.vetted_min_reviewers` (default 2).",
        example: "status: vetted\nreviewers: [alice]",
        fix: "Add the second reviewer, or keep the status `provisional` until the review is done.",
    },
    /// A related id that does not exist.
    UnresolvedRelated => {
        name: "unresolved-related",
        severity: Error,
        summary: "`related` names an entry that does not exist.",
        trigger: "An item of `related` that is not the id of an entry of the catalog, or the entry's own id.",
        example: "related: [no-such-tool]",
        fix: "Correct the id (the message suggests the closest) or remove it.",
    },
    /// A URL that is not https.
    InsecureUrl => {
        name: "insecure-url",
        severity: Error,
        summary: "A link is not an absolute https:// URL.",
        trigger: "`homepage`, `documentation`, `repository`, a maintainer `url` or a `vetting.evidence` item with another scheme (`http:`, `javascript:`, `data:`, `ftp:`) or without a host.",
        example: "homepage: http://example.org",
        fix: "Use the https:// address.",
    },
    /// A URL that cannot be parsed.
    InvalidUrl => {
        name: "invalid-url",
        severity: Error,
        summary: "A link is not a valid URL.",
        trigger: "A URL field that no URL parser accepts: spaces, a missing scheme, an empty host.",
        example: "homepage: example.org/guard",
        fix: "Write the full address, starting with https://.",
    },
    /// An email address that is not valid.
    InvalidEmail => {
        name: "invalid-email",
        severity: Error,
        summary: "A maintainer email is not a valid address.",
        trigger: "`maintainers[].email` that is not an email address.",
        example: "email: someone-at-example.org",
        fix: "Write the address as name@domain.",
    },
    /// A character that Unicode says is not shown.
    InvisibleCharacter => {
        name: "invisible-character",
        severity: Error,
        summary: "A string holds a character that is not shown: text people cannot see but programs and language models read.",
        trigger: "A default-ignorable code point, a format character (Unicode general category Cf) or a character of the tag block U+E0000..U+E007F in a key or value, decided from the Unicode character database (for example U+E0041 TAG LATIN CAPITAL LETTER A, U+2062 INVISIBLE TIMES, U+3164 HANGUL FILLER, U+00AD SOFT HYPHEN, U+200D ZERO WIDTH JOINER); and the line and paragraph separators U+2028, U+2029 in one-line fields. Tag characters can smuggle instructions to a language model past a human reviewer. Characters reported as `control-character` are not reported again. The position is the character itself when the value is written as is, else the value's start.",
        example: "name: \"Guard\\U000E0049\\U000E0047\\U000E004E\"",
        fix: "Remove the character; write emoji without joiners or variation selectors.",
    },
    /// A package URL that is malformed, of an unchecked type, or not canonical.
    InvalidPackage => {
        name: "invalid-package",
        severity: Error,
        summary: "A package is not a canonical Package URL (purl) of a type the catalog checks.",
        trigger: "An item of an entry's `packages` (or a taxonomy platform's `package`) that does not parse as a purl; whose type is not `pypi`, `npm`, `cargo`, `huggingface` or `github`; that breaks its type's rules (a `pypi` or `cargo` namespace, an npm namespace that is not a `%40scope`, a `huggingface` or `github` purl without owner); that names a version, qualifiers or a subpath; or that is not written in canonical form (PyPI names in PEP 503 form: lower case, each run of `-`, `_`, `.` as one `-`; GitHub owner and name in lower case). Also `packages` in an entry that says `schema_version: 1.0.0`: the field came with 1.1.0.",
        example: "packages: [pkg:pypi/Adversarial_Robustness.Toolbox@1.20.1]",
        fix: "Write the form the message suggests, e.g. `pkg:pypi/adversarial-robustness-toolbox`; list versions under `versions`, not in the purl.",
    },
    /// Release advisories in an entry of a schema version before 2.2.0.
    InvalidAdvisory => {
        name: "invalid-advisory",
        severity: Error,
        summary: "A release records `advisories` in an entry whose schema version is older than 2.2.0, which introduced the field.",
        trigger: "`versions[].advisories` in an entry that says `schema_version: 2.0.0` or `2.1.0` (the ids themselves are checked by the schema: `PREFIX-…` as the advisory database writes them, each once).",
        example: "schema_version: 2.1.0\nversions:\n  - version: 0.4.3\n    released: 2026-01-13\n    advisories: [GHSA-95ww-475f-pr4f]",
        fix: "Write `schema_version: 2.2.0`.",
    },
    /// A listed version the registry does not have.
    UnpublishedVersion => {
        name: "unpublished-version",
        severity: Error,
        summary: "A listed version was never published on the package's registry (`verify`).",
        trigger: "`alliance-catalog verify`: an item of `versions` whose version none of the entry's packages has on its registry (PyPI, npm, crates.io). Versions compare as release numbers, so `0.2` and `0.2.0` are equal.",
        example: "versions:\n  - version: 9.9.9   # pkg:pypi/garak has no 9.9.9",
        fix: "Correct the version to the one published, or remove the release.",
    },
    /// A listed version that is yanked or deprecated.
    YankedVersion => {
        name: "yanked-version",
        severity: Warning,
        summary: "A listed version is yanked on its registry (npm: deprecated) (`verify`).",
        trigger: "`alliance-catalog verify`: a listed version whose files are all yanked on PyPI, that is yanked in the crates.io index, or that npm marks `deprecated`.",
        example: "versions:\n  - version: 1.2.0   # yanked on PyPI",
        fix: "List the release that replaced it, and say in `notes` why the yanked one is kept if it is.",
    },
    /// A release date that differs from the registry's.
    ReleaseDateMismatch => {
        name: "release-date-mismatch",
        severity: Warning,
        summary: "`released` is not the UTC day the registry first published the version (`verify`).",
        trigger: "`alliance-catalog verify`: `versions[].released` differs from the UTC date of the version's first upload (PyPI: its earliest file; npm: `time`; crates.io: `pubtime`).",
        example: "released: 2026-10-16   # PyPI's first upload was 2026-10-14",
        fix: "Write the date the message gives.",
    },
    /// A Python requirement that differs from the registry's.
    RequiresPythonDrift => {
        name: "requires-python-drift",
        severity: Warning,
        summary: "The listed Python requirement differs from the release's `Requires-Python` (`verify`).",
        trigger: "`alliance-catalog verify`: PyPI states `Requires-Python` for a listed version, and `versions[].requires.python` is missing or says something else (comparators compare as sets, `3.10` equals `3.10.0`).",
        example: "requires:\n  python: \">=3.9\"   # PyPI says >=3.10",
        fix: "Write the requirement the registry states, in the semver syntax (`>=3.10, <3.14`).",
    },
    /// A licence that differs from the registry's.
    LicenseDrift => {
        name: "license-drift",
        severity: Warning,
        summary: "The entry's licence disagrees with the registry's licence expression or classifiers (`verify`).",
        trigger: "`alliance-catalog verify`: the registry gives a licence (PyPI `license_expression`, a short SPDX `license`, or `License ::` classifiers; npm `license`) that the entry's `license` does not match.",
        example: "license: MIT   # PyPI: license_expression = Apache-2.0",
        fix: "Check the licence file of the release and correct `license` (or tell the project its metadata is wrong).",
    },
    /// An advisory affecting a listed version.
    KnownVulnerability => {
        name: "known-vulnerability",
        severity: Error,
        summary: "The registry reports a security advisory affecting a listed version (`verify`).",
        trigger: "`alliance-catalog verify`: PyPI's `vulnerabilities` (OSV records, not withdrawn) for a version the entry lists, unless the release records one of the advisory's ids in `advisories` (schema 2.2.0). The message names the advisory ids and the versions that fix it.",
        example: "versions:\n  - version: 0.3.1   # PYSEC-2026-1, fixed in 0.3.2",
        fix: "List the fixed release. When there is none, or the release stays listed for a reason, record the advisory in the release's `advisories` and say in `notes` and the vetting notes what it means for users.",
    },
    /// A newer release than the entry lists.
    NewerRelease => {
        name: "newer-release",
        severity: Warning,
        summary: "The registry has a newer release than the newest the entry lists (`verify`).",
        trigger: "`alliance-catalog verify`: the newest release on the registry that is not a pre-release, not yanked and older than `policy.min_release_age_days` (default 7) is newer than every listed version.",
        example: "versions:\n  - version: 0.16.0   # 0.17.1 is on PyPI since 2026-10-16",
        fix: "Review the new release and add it to `versions`.",
    },
    /// A package the registry does not know.
    PackageNotFound => {
        name: "package-not-found",
        severity: Error,
        summary: "The registry does not know a listed package (`verify`).",
        trigger: "`alliance-catalog verify`: the registry answers 404 for an item of `packages`.",
        example: "packages: [pkg:pypi/no-such-tool]",
        fix: "Correct the name (see the project's install instructions) or remove the package.",
    },
}

impl Code {
    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The severity unless settings change it.
    pub fn default_severity(self) -> Severity {
        self.info().severity
    }

    /// Looks a code up by its name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether the code can appear on an unchanged file as days pass
    /// (`review-overdue`): what a pull request cannot be asked to fix.
    /// `validate --skip-time-based` leaves these codes out of a run.
    pub fn is_time_based(self) -> bool {
        matches!(self, Code::ReviewOverdue)
    }

    /// The codes [`Code::is_time_based`] selects.
    pub fn time_based() -> impl Iterator<Item = Code> {
        Code::ALL.iter().copied().filter(|c| c.is_time_based())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let info = code.info();
            assert!(seen.insert(info.name), "duplicate code {}", info.name);
            assert!(
                info.name
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{} is not kebab-case",
                info.name
            );
            for text in [info.summary, info.trigger, info.example, info.fix] {
                assert!(!text.trim().is_empty(), "{} lacks documentation", info.name);
            }
            assert_eq!(Code::from_name(info.name), Some(*code));
        }
    }

    #[test]
    fn spec_starting_set_is_registered() {
        for name in [
            "yaml-syntax",
            "duplicate-key",
            "schema",
            "unsupported-schema-version",
            "id-mismatch",
            "duplicate-id",
            "unknown-category",
            "unknown-risk",
            "unknown-platform",
            "invalid-license",
            "invalid-version",
            "invalid-requirement",
            "duplicate-version",
            "future-date",
            "review-overdue",
            "too-few-reviewers",
            "unresolved-related",
            "insecure-url",
            "file-too-large",
            "encoding",
        ] {
            assert!(Code::from_name(name).is_some(), "{name} missing");
        }
        assert_eq!(Code::ReviewOverdue.default_severity(), Severity::Warning);
    }
}
