//! Arbitrary bytes as the settings file: decoding, the TOML reader, every
//! range and path check, and the YAML limits the settings produce.
#![no_main]

use alliance_catalog::load;
use alliance_catalog::model::Settings;
use alliance_catalog::model::settings::{
    CEILING_ALIAS_BYTES, CEILING_ALIAS_NODES, CEILING_DEPTH, CEILING_FILE_BYTES,
    CEILING_REVIEW_DAYS,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() > 64 * 1024 {
        return;
    }
    let Ok((text, _)) = load::decode(data.to_vec()) else {
        return;
    };
    match Settings::from_toml("alliance-catalog.toml", &text) {
        Ok(settings) => {
            // Whatever the file says, the ceilings hold.
            let l = settings.limits;
            assert!(l.max_file_bytes >= 1 && l.max_file_bytes <= CEILING_FILE_BYTES);
            assert!(l.max_depth <= CEILING_DEPTH);
            assert!(l.max_alias_nodes <= CEILING_ALIAS_NODES);
            assert!(l.max_alias_bytes <= CEILING_ALIAS_BYTES);
            let days = settings.policy.review_max_age_days;
            assert!((1..=CEILING_REVIEW_DAYS).contains(&days));
            for path in [
                &settings.paths.tools,
                &settings.paths.taxonomy,
                &settings.paths.index,
            ] {
                assert!(alliance_catalog::model::settings::is_inside(path), "{path:?}");
            }
            assert_ne!(settings.paths.index, settings.paths.taxonomy);
            let _ = alliance_catalog::load::yaml::YamlLimits::from(&settings.limits);
        }
        Err(e) => {
            // Every error is located: file:line:column.
            let shown = e.to_string();
            let mut parts = shown.splitn(4, ':');
            assert_eq!(parts.next(), Some("alliance-catalog.toml"), "{shown}");
            for _ in 0..2 {
                let n = parts.next().unwrap_or_default();
                assert!(n.parse::<usize>().is_ok_and(|n| n >= 1), "{shown}");
            }
        }
    }
});
