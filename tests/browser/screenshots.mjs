// Writes docs/site-index.png and docs/site-tool.png: the shipped catalog's
// site in headless Chromium. Not a test; run after a change of the pages:
//
//   cargo build && ALLIANCE_CATALOG_BIN=target/debug/alliance-catalog node tests/browser/screenshots.mjs
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = resolve(process.env.ALLIANCE_CATALOG_BIN || join(root, "target/debug/alliance-catalog"));
const work = mkdtempSync(join(tmpdir(), "alliance-catalog-shots-"));
execFileSync(bin, ["--catalog", join(root, "catalog"), "site", "--out", work], {
  env: { ...process.env, ALLIANCE_CATALOG_TODAY: "2026-12-02" },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(pathToFileURL(join(work, "index.html")).href + "?risk=prompt-injection,jailbreak&status=provisional");
await page.screenshot({ path: join(root, "docs/site-index.png") });
await page.goto(pathToFileURL(join(work, "tools/garak.html")).href);
await page.screenshot({ path: join(root, "docs/site-tool.png") });
await browser.close();
rmSync(work, { recursive: true, force: true });
