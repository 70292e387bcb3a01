//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ranked(input, candidates).into_iter().next()
}

/// Candidates close to `input`, best first.
pub fn ranked<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let input_lower = input.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let score = strsim::jaro_winkler(&input_lower, &c.to_lowercase());
            let distance = strsim::levenshtein(&input_lower, &c.to_lowercase());
            let contains = !input_lower.is_empty()
                && input_lower.len() >= 3
                && c.to_lowercase().contains(&input_lower);
            (score >= 0.85 || distance <= 2 || contains).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let ids = ["pytorch", "tensorflow", "python"];
        assert_eq!(closest("pytroch", ids), Some("pytorch"));
        assert_eq!(closest("tensorflwo", ids), Some("tensorflow"));
        assert_eq!(closest("kubernetes", ids), None);
    }

    #[test]
    fn ranks_best_first() {
        let ids = ["llama-guard", "llama-prompt-guard", "garak"];
        let r = ranked("llama-gaurd", ids);
        assert_eq!(r.first(), Some(&"llama-guard"));
        assert!(!r.contains(&"garak"));
    }
}
