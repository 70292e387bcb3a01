//! From installed packages to platforms: each package is looked up by its
//! ecosystem and name (PEP 503 form for PyPI and conda names) among the
//! taxonomy platforms' packages (`pkg:pypi/torch` is `pytorch`) and
//! runtimes (`cpython` is `python`). A PyPI local version `+cu121` gives
//! CUDA 12.1 when the source states no CUDA itself.
//!
//! Nothing is chosen silently: a platform that one source gives two
//! versions of (a universal lock's per-marker versions) is left out with a
//! note; two sources that disagree are an error unless `--with` names the
//! platform; every source's summary counts the packages that matched no
//! platform.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::{Ecosystem, Format, Note, Origin, Package, Reading};
use crate::model::stack::{StackError, StackVersion};
use crate::model::{Stack, Taxonomy};
use crate::purl::{Purl, pep503};

/// What one source gave, for the summary the command prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The source.
    pub file: Arc<str>,
    /// Its format.
    pub format: Format,
    /// Installed packages read (runtimes such as Python not counted).
    pub packages: usize,
    /// Platforms it gave: (platform, version as written).
    pub matched: Vec<(String, String)>,
    /// Installed packages that matched no platform.
    pub unmatched: usize,
    /// Notes: versions not used, and why.
    pub notes: Vec<Note>,
}

impl Summary {
    /// One line: `freeze.txt (pip freeze / requirements): 67 packages; platforms: numpy 2.4.6; 66 packages matched no platform`.
    pub fn line(&self) -> String {
        let platforms = if self.matched.is_empty() {
            "platforms: none".to_string()
        } else {
            let list: Vec<String> = self
                .matched
                .iter()
                .map(|(p, v)| format!("{p} {v}"))
                .collect();
            format!("platforms: {}", list.join(", "))
        };
        let mut line = format!(
            "{} ({}): {} package{}; {platforms}; {} package{} matched no platform",
            crate::text::shown(&self.file),
            self.format.describe(),
            self.packages,
            if self.packages == 1 { "" } else { "s" },
            self.unmatched,
            if self.unmatched == 1 { "" } else { "s" },
        );
        if !self.notes.is_empty() {
            line.push_str(&format!(
                "; {} note{}",
                self.notes.len(),
                if self.notes.len() == 1 { "" } else { "s" }
            ));
        }
        line
    }
}

/// The lookup from (ecosystem, normal name) to platform id.
struct Index(HashMap<(Ecosystem, String), String>);

fn key(ecosystem: &Ecosystem, name: &str) -> (Ecosystem, String) {
    match ecosystem {
        // conda-forge names packages as PyPI does; the few that differ are
        // renamed by the conda reader.
        Ecosystem::Pypi | Ecosystem::Conda => (Ecosystem::Pypi, pep503(name)),
        Ecosystem::Npm | Ecosystem::Cargo => (ecosystem.clone(), name.to_ascii_lowercase()),
        Ecosystem::Runtime | Ecosystem::Other(_) => (ecosystem.clone(), name.to_string()),
    }
}

impl Index {
    fn new(taxonomy: &Taxonomy) -> Index {
        let mut map = HashMap::new();
        for term in &taxonomy.platforms {
            if let Some(purl) = term.package.as_deref().and_then(|p| Purl::parse(p).ok()) {
                let ecosystem = match purl.ty.as_str() {
                    "pypi" => Ecosystem::Pypi,
                    "npm" => Ecosystem::Npm,
                    "cargo" => Ecosystem::Cargo,
                    other => Ecosystem::Other(other.to_string()),
                };
                map.insert(key(&ecosystem, &purl.registry_name()), term.id.clone());
            }
            if let Some(runtime) = &term.runtime {
                map.insert((Ecosystem::Runtime, runtime.clone()), term.id.clone());
            }
        }
        Index(map)
    }

    fn platform(&self, package: &Package) -> Option<&str> {
        self.0
            .get(&key(&package.ecosystem, &package.name))
            .map(String::as_str)
    }
}

/// The CUDA version a PyPI local version names: `2.5.1+cu121` is 12.1.
pub fn cuda_of_local_version(version: &str) -> Option<String> {
    let local = version.split_once('+')?.1;
    local.split(['.', '-', '_']).find_map(|segment| {
        let digits = segment.strip_prefix("cu")?;
        if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (major, minor) = digits.split_at(digits.len() - 1);
        Some(format!("{}.{minor}", major.trim_start_matches('0')))
    })
}

/// The stack the sources describe, and a summary of each. `chosen` are the
/// platforms `--with` sets, on which sources may disagree.
pub fn resolve(
    readings: Vec<Reading>,
    taxonomy: &Taxonomy,
    chosen: &BTreeSet<String>,
) -> Result<(Stack, Vec<Summary>), StackError> {
    let index = Index::new(taxonomy);
    let mut stack = Stack::default();
    let mut env_origin: BTreeMap<String, Arc<str>> = BTreeMap::new();
    let mut summaries = Vec::new();
    for reading in readings {
        let Reading {
            file,
            format,
            name,
            packages,
            platforms,
            environment,
            mut notes,
        } = reading;
        if stack.name.is_none() {
            stack.name = name;
        }
        let mut candidates: BTreeMap<String, Vec<(String, Origin)>> = BTreeMap::new();
        let mut derived_cuda: Vec<(String, Origin, String)> = Vec::new();
        let mut count = 0;
        let mut unmatched = 0;
        for p in &packages {
            let runtime = p.ecosystem == Ecosystem::Runtime;
            if !runtime {
                count += 1;
            }
            match index.platform(p) {
                Some(platform) => candidates
                    .entry(platform.to_string())
                    .or_default()
                    .push((p.version.clone(), p.origin.clone())),
                None if !runtime => unmatched += 1,
                None => {}
            }
            if p.ecosystem == Ecosystem::Pypi
                && let Some(cuda) = cuda_of_local_version(&p.version)
            {
                derived_cuda.push((cuda, p.origin.clone(), format!("{} {}", p.name, p.version)));
            }
        }
        if let Some(cuda) = index.0.get(&(Ecosystem::Runtime, "cuda".to_string()))
            && !candidates.contains_key(cuda)
        {
            for (version, origin, _) in &derived_cuda {
                candidates
                    .entry(cuda.clone())
                    .or_default()
                    .push((version.clone(), origin.clone()));
            }
        }
        let mut given: BTreeMap<String, StackVersion> = platforms;
        for (platform, versions) in candidates {
            let distinct: BTreeSet<&str> = versions.iter().map(|(v, _)| v.as_str()).collect();
            if distinct.len() > 1 {
                let listed: Vec<String> = versions
                    .iter()
                    .map(|(v, o)| format!("{v} (line {})", o.line))
                    .collect();
                notes.push(versions[0].1.note(format!(
                    "`{platform}` has {} versions here: {}; not used (a lock for several environments); choose one with --with {platform}=VERSION",
                    distinct.len(),
                    listed.join(", ")
                )));
                continue;
            }
            let (text, origin) = &versions[0];
            let version = StackVersion::read(text, Some(origin.short())).map_err(|m| {
                origin.error(format!(
                    "the version of `{platform}` cannot be compared: {m}"
                ))
            })?;
            given.insert(platform, version);
        }
        let mut matched = Vec::new();
        for (platform, version) in given {
            matched.push((platform.clone(), version.text.clone()));
            match stack.platforms.get(&platform) {
                Some(before) if before.text != version.text && !chosen.contains(&platform) => {
                    return Err(StackError {
                        origin: version.origin.clone().unwrap_or_else(|| file.to_string()),
                        message: format!(
                            "`{platform}` is {} here but {} in {}; give one source for it, or choose with --with {platform}=VERSION",
                            version.text,
                            before.text,
                            before.origin.as_deref().unwrap_or("another source")
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    stack.platforms.insert(platform, version);
                }
            }
        }
        for (k, v) in environment {
            match stack.environment.get(&k) {
                Some(before) if *before != v => {
                    return Err(StackError {
                        origin: file.to_string(),
                        message: format!(
                            "the marker `{k}` is `{v}` here but `{before}` in {}; read one environment at a time",
                            env_origin.get(&k).map_or("another source", |f| f)
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    env_origin.insert(k.clone(), file.clone());
                    stack.environment.insert(k, v);
                }
            }
        }
        summaries.push(Summary {
            file,
            format,
            packages: count,
            matched,
            unmatched,
            notes,
        });
    }
    Ok((stack, summaries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy() -> Taxonomy {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/catalog/taxonomy.yaml"
        ))
        .expect("taxonomy");
        let parsed = crate::load::yaml::parse(&text, &Default::default());
        serde_json::from_value(parsed.root.expect("root").to_json()).expect("taxonomy")
    }

    fn pkg(ecosystem: Ecosystem, name: &str, version: &str, line: usize) -> Package {
        Package {
            ecosystem,
            name: name.into(),
            version: version.into(),
            origin: Origin {
                file: Arc::from("f"),
                line,
                column: 1,
            },
            marker: None,
        }
    }

    fn reading(packages: Vec<Package>) -> Reading {
        let mut r = Reading::new(&Arc::from("f"), Format::Requirements);
        r.packages = packages;
        r
    }

    #[test]
    fn names_map_through_the_platforms_packages_after_pep503() {
        let r = reading(vec![
            pkg(Ecosystem::Pypi, "Torch", "2.5.1+cu121", 1),
            pkg(Ecosystem::Pypi, "Scikit_Learn", "1.5.2", 2),
            pkg(Ecosystem::Pypi, "PySpark", "3.5.3", 3),
            pkg(Ecosystem::Pypi, "zope.interface", "7.2", 4),
            pkg(Ecosystem::Runtime, "cpython", "3.11.7", 5),
        ]);
        let (stack, summaries) = resolve(vec![r], &taxonomy(), &BTreeSet::new()).expect("resolves");
        let got: Vec<(&str, &str, Option<&str>)> = stack
            .platforms
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str(), v.origin.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("cuda", "12.1", Some("f:1")),
                ("python", "3.11.7", Some("f:5")),
                ("pytorch", "2.5.1+cu121", Some("f:1")),
                ("scikit-learn", "1.5.2", Some("f:2")),
                ("spark", "3.5.3", Some("f:3")),
            ]
        );
        assert_eq!(summaries[0].packages, 4);
        assert_eq!(summaries[0].unmatched, 1);
        assert!(
            summaries[0]
                .line()
                .contains("1 package matched no platform")
        );
    }

    #[test]
    fn two_versions_of_one_platform_are_noted_not_chosen() {
        let r = reading(vec![
            pkg(Ecosystem::Pypi, "numpy", "2.2.6", 10),
            pkg(Ecosystem::Pypi, "numpy", "2.4.6", 20),
        ]);
        let (stack, summaries) = resolve(vec![r], &taxonomy(), &BTreeSet::new()).expect("resolves");
        assert!(stack.platforms.is_empty());
        assert!(
            summaries[0].notes[0]
                .message
                .contains("2.2.6 (line 10), 2.4.6 (line 20)")
        );
    }

    #[test]
    fn sources_that_disagree_are_an_error_unless_with_chooses() {
        let a = reading(vec![pkg(Ecosystem::Pypi, "numpy", "2.2.6", 1)]);
        let mut b = reading(vec![pkg(Ecosystem::Pypi, "numpy", "2.4.6", 2)]);
        b.file = Arc::from("g");
        let e = resolve(vec![a.clone(), b.clone()], &taxonomy(), &BTreeSet::new())
            .expect_err("conflict");
        assert!(
            e.message.contains("2.4.6 here but 2.2.6 in f:1"),
            "{}",
            e.message
        );
        let chosen = BTreeSet::from(["numpy".to_string()]);
        assert!(resolve(vec![a, b], &taxonomy(), &chosen).is_ok());
    }

    #[test]
    fn cuda_from_local_versions() {
        assert_eq!(
            cuda_of_local_version("2.5.1+cu121").as_deref(),
            Some("12.1")
        );
        assert_eq!(
            cuda_of_local_version("2.1.0+cu118").as_deref(),
            Some("11.8")
        );
        assert_eq!(
            cuda_of_local_version("2.9.0+cu130").as_deref(),
            Some("13.0")
        );
        assert_eq!(cuda_of_local_version("2.5.1+cpu"), None);
        assert_eq!(cuda_of_local_version("2.5.1"), None);
    }
}
