//! The site in a real browser: runs `tests/browser/site.test.mjs` (node's
//! test runner, Playwright driving Debian's headless Chromium, axe-core)
//! with this build's binary. It needs `node`, `/usr/bin/chromium` and the
//! packages of `tests/browser/package-lock.json`; `.ci/test` installs what
//! is missing. Without them this test fails, saying what to install.

use std::process::Command;

use crate::root;

#[test]
fn the_site_works_in_headless_chromium() {
    let dir = root().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
        "the browser tests' packages are not installed: run `npm ci` in tests/browser (or .ci/test, which also installs Chromium)"
    );
    let out = Command::new("node")
        .current_dir(&dir)
        .args(["--test", "--test-reporter=spec", "site.test.mjs"])
        .env(
            "ALLIANCE_CATALOG_BIN",
            env!("CARGO_BIN_EXE_alliance-catalog"),
        )
        .env_remove("ALLIANCE_CATALOG")
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}); install Node.js 20 or later"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
    // The runner's own tally: every test ran and passed, none skipped.
    let tally = |name: &str| -> Option<u32> {
        stdout
            .lines()
            .find_map(|l| l.trim_start_matches('ℹ').trim().strip_prefix(name))
            .and_then(|n| n.trim().parse().ok())
    };
    let (tests, pass) = (tally("tests "), tally("pass "));
    assert!(tests.is_some_and(|n| n >= 10), "{stdout}");
    assert_eq!(tests, pass, "{stdout}");
    assert_eq!(tally("skipped "), Some(0), "{stdout}");
    assert_eq!(tally("todo "), Some(0), "{stdout}");
}
