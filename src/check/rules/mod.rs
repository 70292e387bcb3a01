//! The rule registry: every check the tool makes, with the codes it emits
//! and the scope it works on. Each rule is a small unit in a file of its
//! own family, with its wording beside it (one type per diagnostic).
//!
//! The stages before the rules (reading, parsing, the schema) are listed
//! too, so that the registry accounts for every code; a test ties it to the
//! code registry both ways.

mod catalog;
mod evidence;
mod frameworks;
mod identity;
mod license;
mod links;
mod packages;
pub mod registry;
mod taxonomy;
mod terms;
mod versions;
mod vetting;

use jiff::civil::Date;

use crate::diag::{At, Code, Finding, Message};
use crate::model::{Framework, Frameworks, RawEntry, Settings, Taxonomy};

pub use catalog::Identity;
pub use frameworks::FrameworkContext;
pub use identity::is_reserved_name;
pub use license::osi_check;
pub use links::check_url;
pub use terms::{is_language_tag, unknown_term_message};
pub use versions::parse_requirement;
pub use vetting::due_date;

/// What a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One file, before it is decoded (reading, parsing, characters, schema).
    File,
    /// One entry.
    Entry,
    /// The taxonomy.
    Taxonomy,
    /// One framework file.
    Framework,
    /// All entries together.
    Catalog,
    /// One entry against what its packages' registries say (`verify`).
    Registry,
}

/// How a registered check runs.
#[derive(Clone, Copy)]
pub enum Run {
    /// A stage of the pipeline before the rules; it runs where it is.
    Stage,
    /// A rule on one entry.
    Entry(fn(&RawEntry, &Context<'_>, &mut Emit<'_>)),
    /// A rule on the taxonomy.
    Taxonomy(fn(&Taxonomy, &mut Emit<'_>)),
    /// A rule on the taxonomy's mappings, against the frameworks.
    Mappings(fn(&Taxonomy, &Frameworks, &mut Emit<'_>)),
    /// A rule on one framework file.
    Framework(fn(&Framework, &FrameworkContext<'_>, &mut Emit<'_>)),
    /// A rule across entries.
    Catalog(fn(&[&Identity], &mut CatalogEmit<'_>)),
    /// A rule on one entry and its registry facts (`verify`).
    Registry(fn(&RawEntry, &registry::Facts<'_>, &mut Emit<'_>)),
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Run::Stage => "Stage",
            Run::Entry(_) => "Entry",
            Run::Taxonomy(_) => "Taxonomy",
            Run::Mappings(_) => "Mappings",
            Run::Framework(_) => "Framework",
            Run::Catalog(_) => "Catalog",
            Run::Registry(_) => "Registry",
        })
    }
}

/// One registered check.
#[derive(Debug)]
pub struct Rule {
    /// A short kebab-case name.
    pub name: &'static str,
    /// What it checks, in one line.
    pub summary: &'static str,
    /// The codes it may emit.
    pub codes: &'static [Code],
    /// What it looks at.
    pub scope: Scope,
    /// JSON pointers of the parts of an entry it reads (entry and catalog
    /// rules): when a value there was refused by the schema, the rule does
    /// not see that value, and the run says a check was skipped.
    pub inputs: &'static [&'static str],
    /// How it runs.
    pub run: Run,
}

/// Every check, in the order they run.
pub static RULES: &[Rule] = &[
    Rule {
        name: "read",
        summary: "Files are regular, readable UTF-8 files within the size and count limits, inside the catalog.",
        codes: &[
            Code::Encoding,
            Code::FileTooLarge,
            Code::TooManyFiles,
            Code::Unreadable,
            Code::UnsafePath,
        ],
        scope: Scope::File,
        inputs: &[],
        run: Run::Stage,
    },
    Rule {
        name: "yaml",
        summary: "The file is one well-formed YAML 1.2 document within the parser's limits.",
        codes: &[
            Code::YamlSyntax,
            Code::DuplicateKey,
            Code::YamlLimit,
            Code::YamlTag,
            Code::MultipleDocuments,
        ],
        scope: Scope::File,
        inputs: &[],
        run: Run::Stage,
    },
    Rule {
        name: "characters",
        summary: "No control, bidirectional or invisible characters in keys and values.",
        codes: &[Code::ControlCharacter, Code::InvisibleCharacter],
        scope: Scope::File,
        inputs: &[],
        run: Run::Stage,
    },
    Rule {
        name: "schema-version",
        summary: "The file is written in a schema version this build knows.",
        codes: &[Code::UnsupportedSchemaVersion, Code::InvalidVersion],
        scope: Scope::File,
        inputs: &[],
        run: Run::Stage,
    },
    Rule {
        name: "placeholders",
        summary: "No `TODO:` placeholder written by `new` is left.",
        codes: &[Code::Placeholder],
        scope: Scope::File,
        inputs: &[],
        run: Run::Stage,
    },
    Rule {
        name: "schema",
        summary: "The document has the shape of the entry or taxonomy schema.",
        codes: &[
            Code::Schema,
            Code::UnknownKey,
            Code::InvalidDate,
            Code::InvalidEmail,
            Code::InvalidUrl,
        ],
        scope: Scope::File,
        inputs: &[],
        run: Run::Stage,
    },
    Rule {
        name: "id",
        summary: "The id equals the file name and is usable as a file name everywhere.",
        codes: &[Code::IdMismatch, Code::ReservedName],
        scope: Scope::Entry,
        inputs: &["/id"],
        run: Run::Entry(identity::check),
    },
    Rule {
        name: "terms",
        summary: "Categories, risks, lifecycle stages, modalities, interfaces and platforms are terms of the taxonomy.",
        codes: &[
            Code::UnknownCategory,
            Code::UnknownRisk,
            Code::UnknownLifecycle,
            Code::UnknownModality,
            Code::UnknownInterface,
            Code::UnknownPlatform,
        ],
        scope: Scope::Entry,
        inputs: &[
            "/categories",
            "/risks",
            "/lifecycle",
            "/modalities",
            "/interfaces",
            "/versions",
        ],
        run: Run::Entry(terms::check),
    },
    Rule {
        name: "languages",
        summary: "Languages are BCP 47 tags, or `any`.",
        codes: &[Code::InvalidLanguage],
        scope: Scope::Entry,
        inputs: &["/languages"],
        run: Run::Entry(terms::languages),
    },
    Rule {
        name: "license",
        summary: "The licence is an SPDX expression; flagged licences are pointed out.",
        codes: &[Code::InvalidLicense, Code::LicensePolicy],
        scope: Scope::Entry,
        inputs: &["/license"],
        run: Run::Entry(license::check),
    },
    Rule {
        name: "packages",
        summary: "Packages are Package URLs of a checked type, in canonical form, without version.",
        codes: &[Code::InvalidPackage],
        scope: Scope::Entry,
        inputs: &["/packages", "/schema_version"],
        run: Run::Entry(packages::check),
    },
    Rule {
        name: "versions",
        summary: "Releases have semantic versions, each once, and requirements in the semver syntax.",
        codes: &[
            Code::InvalidVersion,
            Code::DuplicateVersion,
            Code::InvalidRequirement,
        ],
        scope: Scope::Entry,
        inputs: &["/versions"],
        run: Run::Entry(versions::check),
    },
    Rule {
        name: "advisories",
        summary: "Release advisories come with schema version 2.2.0.",
        codes: &[Code::InvalidAdvisory],
        scope: Scope::Entry,
        inputs: &["/versions", "/schema_version"],
        run: Run::Entry(versions::advisories),
    },
    Rule {
        name: "dates",
        summary: "Release and review dates are not in the future.",
        codes: &[Code::FutureDate],
        scope: Scope::Entry,
        inputs: &["/versions", "/vetting/reviewed"],
        run: Run::Entry(vetting::dates),
    },
    Rule {
        name: "review-due",
        summary: "The review is not older than the policy allows, nor past its `next_review`.",
        codes: &[Code::ReviewOverdue],
        scope: Scope::Entry,
        inputs: &["/vetting/reviewed", "/vetting/next_review"],
        run: Run::Entry(vetting::overdue),
    },
    Rule {
        name: "reviewers",
        summary: "A vetted entry names at least the policy's number of reviewers.",
        codes: &[Code::TooFewReviewers],
        scope: Scope::Entry,
        inputs: &["/vetting/status", "/vetting/reviewers"],
        run: Run::Entry(vetting::reviewers),
    },
    Rule {
        name: "links",
        summary: "Every link is an absolute https:// URL with a host.",
        codes: &[Code::InsecureUrl, Code::InvalidUrl],
        scope: Scope::Entry,
        inputs: &[
            "/homepage",
            "/documentation",
            "/repository",
            "/maintainers",
            "/vetting/evidence",
        ],
        run: Run::Entry(links::check),
    },
    Rule {
        name: "primary-evidence",
        summary: "Evidence links cite primary sources: the tool's own sites, package registries, or hosts the settings allow.",
        codes: &[Code::SecondaryEvidence],
        scope: Scope::Entry,
        inputs: &[
            "/homepage",
            "/documentation",
            "/repository",
            "/maintainers",
            "/packages",
            "/vetting/evidence",
        ],
        run: Run::Entry(evidence::check),
    },
    Rule {
        name: "taxonomy-terms",
        summary: "Each vocabulary defines a term once and cites only listed sources.",
        codes: &[Code::DuplicateTerm, Code::UnresolvedSource],
        scope: Scope::Taxonomy,
        inputs: &[],
        run: Run::Taxonomy(taxonomy::terms),
    },
    Rule {
        name: "taxonomy-links",
        summary: "The taxonomy's sources link with https:// URLs.",
        codes: &[Code::InsecureUrl, Code::InvalidUrl],
        scope: Scope::Taxonomy,
        inputs: &[],
        run: Run::Taxonomy(taxonomy::links),
    },
    Rule {
        name: "taxonomy-packages",
        summary: "Each platform's package is a Package URL of a checked type, in canonical form, without version.",
        codes: &[Code::InvalidPackage],
        scope: Scope::Taxonomy,
        inputs: &[],
        run: Run::Taxonomy(packages::taxonomy),
    },
    Rule {
        name: "taxonomy-mappings",
        summary: "Each mapping of the taxonomy names a framework of the catalog and an item of its edition, once per term.",
        codes: &[
            Code::UnknownFramework,
            Code::UnknownFrameworkItem,
            Code::WrongEdition,
            Code::DuplicateMapping,
        ],
        scope: Scope::Taxonomy,
        inputs: &[],
        run: Run::Mappings(frameworks::taxonomy_mappings),
    },
    Rule {
        name: "framework-registry",
        summary: "A framework file's id equals its file name, lists each item once, and refers only to its own items.",
        codes: &[Code::InvalidFramework],
        scope: Scope::Framework,
        inputs: &[],
        run: Run::Framework(frameworks::registry),
    },
    Rule {
        name: "framework-gaps",
        summary: "Every item of a framework marked `mapped_in_full` is mapped by the taxonomy or carries a gap note.",
        codes: &[Code::UnmappedFrameworkItem],
        scope: Scope::Framework,
        inputs: &[],
        run: Run::Framework(frameworks::gaps),
    },
    Rule {
        name: "entry-mappings",
        summary: "An entry's own mappings name a framework of the catalog and an item of its edition, once, with an https source.",
        codes: &[
            Code::UnknownFramework,
            Code::UnknownFrameworkItem,
            Code::WrongEdition,
            Code::DuplicateMapping,
            Code::InsecureUrl,
            Code::InvalidUrl,
        ],
        scope: Scope::Entry,
        inputs: &["/mappings"],
        run: Run::Entry(frameworks::entry_mappings),
    },
    Rule {
        name: "duplicate-id",
        summary: "No two entries share an id.",
        codes: &[Code::DuplicateId],
        scope: Scope::Catalog,
        inputs: &["/id"],
        run: Run::Catalog(catalog::duplicate_ids),
    },
    Rule {
        name: "related",
        summary: "`related` names other entries of the catalog.",
        codes: &[Code::UnresolvedRelated],
        scope: Scope::Catalog,
        inputs: &["/id", "/related"],
        run: Run::Catalog(catalog::related),
    },
    Rule {
        name: "registry-packages",
        summary: "Each package is known to its registry (verify).",
        codes: &[Code::PackageNotFound],
        scope: Scope::Registry,
        inputs: &["/packages"],
        run: Run::Registry(registry::not_found),
    },
    Rule {
        name: "registry-versions",
        summary: "Each listed version is published, not yanked, and released on the day the registry says (verify).",
        codes: &[
            Code::UnpublishedVersion,
            Code::YankedVersion,
            Code::ReleaseDateMismatch,
        ],
        scope: Scope::Registry,
        inputs: &["/packages", "/versions"],
        run: Run::Registry(registry::versions),
    },
    Rule {
        name: "registry-requires-python",
        summary: "The Python requirement of each release is the registry's `Requires-Python` (verify).",
        codes: &[Code::RequiresPythonDrift],
        scope: Scope::Registry,
        inputs: &["/packages", "/versions"],
        run: Run::Registry(registry::requires_python),
    },
    Rule {
        name: "registry-license",
        summary: "The licence agrees with the registry's licence metadata (verify).",
        codes: &[Code::LicenseDrift],
        scope: Scope::Registry,
        inputs: &["/packages", "/license"],
        run: Run::Registry(registry::license),
    },
    Rule {
        name: "registry-advisories",
        summary: "No listed version has an advisory the registry reports (verify).",
        codes: &[Code::KnownVulnerability],
        scope: Scope::Registry,
        inputs: &["/packages", "/versions"],
        run: Run::Registry(registry::advisories),
    },
    Rule {
        name: "registry-newer",
        summary: "No release older than the minimum age is newer than the newest listed (verify).",
        codes: &[Code::NewerRelease],
        scope: Scope::Registry,
        inputs: &["/packages", "/versions"],
        run: Run::Registry(registry::newer),
    },
];

/// What entry rules need besides the entry.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The taxonomy, when it loaded.
    pub taxonomy: Option<&'a Taxonomy>,
    /// The catalog's frameworks.
    pub frameworks: &'a Frameworks,
    /// The settings.
    pub settings: &'a Settings,
    /// Today's date.
    pub today: Date,
    /// The stem of the entry's file name.
    pub stem: &'a str,
}

/// Where a rule records its findings; it refuses (in debug builds) codes
/// the rule did not declare.
pub struct Emit<'a> {
    rule: &'static Rule,
    out: &'a mut Vec<Finding>,
}

impl<'a> Emit<'a> {
    /// An emitter for `rule` writing into `out`.
    pub fn new(rule: &'static Rule, out: &'a mut Vec<Finding>) -> Emit<'a> {
        Emit { rule, out }
    }

    /// Records `message` at the value at `pointer`.
    pub fn value(&mut self, pointer: impl Into<String>, message: &dyn Message) {
        self.at(At::Value(pointer.into()), message);
    }

    /// Records `message` at `at`.
    pub fn at(&mut self, at: At, message: &dyn Message) {
        let code = message.code();
        debug_assert!(
            self.rule.codes.contains(&code),
            "rule `{}` emitted `{}`, which it does not declare",
            self.rule.name,
            code.name()
        );
        self.out.push(Finding::of(at, message));
    }
}

/// Where rules across entries record findings: each in the file of the
/// entry it concerns.
pub struct CatalogEmit<'a> {
    rule: &'static Rule,
    out: &'a mut Vec<(std::sync::Arc<str>, crate::diag::Span, Finding)>,
}

impl<'a> CatalogEmit<'a> {
    /// An emitter for `rule`.
    pub fn new(
        rule: &'static Rule,
        out: &'a mut Vec<(std::sync::Arc<str>, crate::diag::Span, Finding)>,
    ) -> CatalogEmit<'a> {
        CatalogEmit { rule, out }
    }

    /// Records `message` in `file` at `span`.
    pub fn at(
        &mut self,
        file: &std::sync::Arc<str>,
        span: crate::diag::Span,
        message: &dyn Message,
    ) {
        let code = message.code();
        debug_assert!(
            self.rule.codes.contains(&code),
            "rule `{}` emitted `{}`, which it does not declare",
            self.rule.name,
            code.name()
        );
        self.out
            .push((file.clone(), span, Finding::of(At::Span(span), message)));
    }
}

/// Whether a rule reading `inputs` is blind to some of them because a value
/// at one of `refused` (JSON pointers) was taken away.
pub fn is_blind(inputs: &[&str], refused: &[String]) -> bool {
    let within = |inner: &str, outer: &str| {
        inner == outer
            || (inner.starts_with(outer) && inner.as_bytes().get(outer.len()) == Some(&b'/'))
    };
    refused
        .iter()
        .any(|r| inputs.iter().any(|i| within(r, i) || within(i, r)))
}

/// The registered rules of one scope.
pub fn of_scope(scope: Scope) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.scope == scope)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn every_code_is_declared_by_a_rule_and_each_rule_once() {
        let mut owners: HashMap<Code, Vec<&str>> = HashMap::new();
        for rule in RULES {
            for &code in rule.codes {
                owners.entry(code).or_default().push(rule.name);
            }
            let mut codes = rule.codes.to_vec();
            codes.sort();
            codes.dedup();
            assert_eq!(
                codes.len(),
                rule.codes.len(),
                "{} repeats a code",
                rule.name
            );
            assert!(!rule.codes.is_empty(), "{} declares no code", rule.name);
        }
        // Both ways: every registered code has a rule, and (as `Code` is an
        // enum) every declared code is registered.
        for &code in Code::ALL {
            assert!(
                owners.contains_key(&code),
                "no rule declares `{}`",
                code.name()
            );
        }
        assert_eq!(owners.len(), Code::ALL.len());
    }

    #[test]
    fn blindness_follows_pointer_segments() {
        let refused = vec!["/versions/0/version".to_string()];
        assert!(is_blind(&["/versions"], &refused));
        assert!(!is_blind(&["/vetting/reviewed"], &refused));
        assert!(!is_blind(&["/version"], &refused), "segments, not prefixes");
        assert!(is_blind(&["/vetting/evidence"], &["/vetting".to_string()]));
    }

    #[test]
    fn rule_names_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.name), "two rules named {}", rule.name);
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                rule.name
            );
        }
    }

    #[test]
    fn entry_rules_name_real_fields() {
        let fields: Vec<String> = crate::schema::top_level_keys(crate::schema::Kind::Tool);
        for rule in of_scope(Scope::Entry)
            .chain(of_scope(Scope::Catalog))
            .chain(of_scope(Scope::Registry))
        {
            assert!(!rule.inputs.is_empty(), "{} declares no inputs", rule.name);
            for input in rule.inputs {
                let top = input
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or("");
                assert!(
                    fields.iter().any(|f| f == top),
                    "{} reads `{input}`, which the schema does not define",
                    rule.name
                );
            }
        }
    }
}
