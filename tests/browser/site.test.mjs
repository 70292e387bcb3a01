// The site that `alliance-catalog site` writes, driven in headless Chromium
// from file://. Run by `cargo test` (tests/cli/site_browser.rs), which
// passes the binary in ALLIANCE_CATALOG_BIN; or by hand:
//
//   ALLIANCE_CATALOG_BIN=target/debug/alliance-catalog node --test tests/browser/
//
// The browser is Debian's /usr/bin/chromium (or $CHROMIUM). When it is
// missing, every test fails: nothing is skipped. SITE_SEED=N repeats the
// random filter combinations of a failed run.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const BIN = process.env.ALLIANCE_CATALOG_BIN;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TODAY = "2026-12-02";
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// Flags that keep Chromium off the network and quiet on these machines.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser;
let work;
let site; // the shipped catalog's site
let hostile; // the hostile-index fixture's site
const requests = []; // every URL any page of any test asked for

/** Runs the binary on `catalog` and returns stdout. */
async function cli(catalog, args) {
  const { stdout } = await run(BIN, ["--catalog", catalog, ...args], {
    cwd: root,
    env: { ...process.env, ALLIANCE_CATALOG_TODAY: TODAY, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Runs `jobs` (functions returning promises) at most `n` at a time. */
async function pool(jobs, n) {
  const results = new Array(jobs.length);
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

const catalog = join(root, "catalog");

/** Every item of the shipped catalog's frameworks, as FRAMEWORK:ITEM. */
function frameworkItems() {
  const dir = join(catalog, "frameworks");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => {
      const text = readFileSync(join(dir, f), "utf8").split(/^other_editions:/m)[0];
      return [...text.matchAll(/^  - id: "?([^"\s]+)"?$/gm)].map((m) => `${f.slice(0, -5)}:${m[1]}`);
    });
}
const hostileCatalog = join(root, "tests/fixtures/hostile-index");
const url = (dir, path, query = "") => pathToFileURL(join(dir, path)).href + query;

/** A new page that logs its requests and fails the test on a script error. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => page.errors.push(e.message));
  return page;
}

async function shownIds(page) {
  return page.$$eval("#tool-list > li[data-tool-id]:not([hidden])", (items) =>
    items.map((li) => li.getAttribute("data-tool-id")),
  );
}

/** Waits until the page is not loading data/tools.js (search and downloads need it). */
async function settled(page) {
  await page.waitForFunction(() => !document.getElementById("results").hasAttribute("aria-busy"));
}

/** Opens `target` and waits until the list is settled. */
async function go(page, target) {
  await page.goto(target);
  await settled(page);
}

/** The page's URL as the page itself sees it (history changes included). */
async function where(page) {
  return page.evaluate(() => location.href);
}

async function count(page) {
  return Number(await page.textContent("#result-count"));
}

before(async () => {
  assert.ok(BIN && existsSync(BIN), `ALLIANCE_CATALOG_BIN must name the built binary (got ${BIN})`);
  assert.ok(
    existsSync(CHROMIUM),
    `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/test does`,
  );
  work = mkdtempSync(join(tmpdir(), "alliance-catalog-site-"));
  site = join(work, "site");
  hostile = join(work, "hostile");
  await cli(catalog, ["site", "--out", site]);
  await cli(hostileCatalog, ["site", "--out", hostile]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  if (browser) await browser.close();
  if (work) rmSync(work, { recursive: true, force: true });
  const foreign = requests.filter((u) => !/^(file|blob|data):/.test(u));
  assert.deepEqual(foreign, [], "requests to other origins");
});

test("the index page with its data, script and styles is under 100,000 bytes gzip, and so is all it may load", () => {
  const gz = (p) => gzipSync(readFileSync(join(site, p)), { level: 9 }).length;
  const page = ["index.html", "assets/site.js", "assets/site.css"].map(gz).reduce((a, b) => a + b, 0);
  const more = gz("data/tools.js");
  console.log(`index page: ${page} bytes gzip; data/tools.js (loaded for search and downloads): ${more} bytes gzip; together ${page + more}`);
  assert.ok(page < 100000, `${page} bytes gzip`);
  assert.ok(page + more < 100000, `${page + more} bytes gzip with data/tools.js`);
  // The page's data holds no release history: only the list item shows the newest release.
  const html = readFileSync(join(site, "index.html"), "utf8");
  const data = JSON.parse(html.split('<script type="application/json" id="catalog-data">')[1].split("</script>")[0]);
  assert.deepEqual(Object.keys(data).sort(), ["csvHeader", "facets", "order", "tools", "values"]);
  assert.equal(data.facets.map((f) => f.key).join(","), "category,risk,lifecycle,modality,interface,language,status,license,framework-item,tag");
  assert.ok(!html.includes("0.10.3.1"), "an older release of garak is not on the index page");
});

// A small seeded generator, so a failing combination can be repeated.
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("filters in the URL show exactly the tools `list --format json` gives (random combinations)", async () => {
  const seed = Number(process.env.SITE_SEED || Date.now() % 1000000);
  console.log(`SITE_SEED=${seed}`);
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const page = await open();
  await go(page, url(site, "index.html"));
  // Every option the page offers (those hidden at 0 included), and values
  // that only the URL can give: language prefixes, licence prefixes, tags,
  // framework items no tool reaches (which have no button).
  const values = await page.$$eval("button.option", (bs) => {
    const out = {};
    for (const b of bs) (out[b.dataset.facet] ||= []).push(b.dataset.value);
    return out;
  });
  const all = JSON.parse(await cli(catalog, ["list", "--format", "json"]));
  values.language.push("pt", "zh", "EN");
  values.license.push("LicenseRef-", "mit");
  values.tag = ["llm-as-judge", "differential-privacy", "agents", "pytorch", "no-such-tag"];
  const unreached = frameworkItems().filter((i) => !values["framework-item"].includes(i));
  assert.ok(values["framework-item"].length >= 20 && unreached.length > 0, "framework items");
  values["framework-item"].push(pick(unreached), pick(unreached));
  assert.ok(all.length > 0 && Object.keys(values).length >= 10, Object.keys(values).join(", "));
  const words = ["guard", "prompt", "Injection", "privacy", "LLM", "model", "fair", "watermark"];
  const sorts = ["id", "name", "status", "license", "released", "reviewed"];
  const combos = [
    { query: "?risk=prompt-injection&language=de&status=provisional", args: ["--risk", "prompt-injection", "--language", "de", "--status", "provisional"] },
    { query: "", args: [] },
    { query: "?framework-item=owasp-llm-2025:LLM01", args: ["--framework-item", "owasp-llm-2025:LLM01"] },
    { query: "?risk=prompt-injection+jailbreak&language=en+de", args: ["--risk", "prompt-injection+jailbreak", "--language", "en+de"] },
    { query: "?language=de&include-unknown", args: ["--language", "de", "--include-unknown"] },
  ];
  for (let i = 0; i < 30; i++) {
    const parts = [];
    const args = [];
    const keys = Object.keys(values);
    const n = 1 + Math.floor(next() * 3);
    for (let k = 0; k < n; k++) {
      const key = pick(keys);
      if (parts.some((p) => p.startsWith(key + "="))) continue;
      let chosen = [...new Set([pick(values[key]), ...(next() < 0.4 ? [pick(values[key])] : [])])];
      // `a+b` asks for both (not for statuses and framework items, which
      // `list` takes one at a time); `+` in a URL query reads as a space.
      if (chosen.length === 2 && !["status", "framework-item"].includes(key) && next() < 0.5) {
        const plus = next() < 0.5 ? "+" : "%2B";
        parts.push(`${key}=${chosen.map(encodeURIComponent).join(plus)}`);
        args.push(`--${key}`, chosen.join("+"));
        continue;
      }
      // Both spellings of `list`: comma-separated, or the name repeated.
      if (next() < 0.5) parts.push(`${key}=${chosen.map(encodeURIComponent).join(",")}`);
      else parts.push(...chosen.map((v) => `${key}=${encodeURIComponent(v)}`));
      args.push(`--${key}`, chosen.join(","));
    }
    if (next() < 0.2) {
      parts.push("include-unknown");
      args.push("--include-unknown");
    }
    if (next() < 0.3) {
      const w = pick(words);
      parts.push(`search=${encodeURIComponent(w)}`);
      args.push("--search", w);
    }
    if (next() < 0.5) {
      const s = pick(sorts);
      parts.push(`sort=${s}`);
      args.push("--sort", s);
    }
    if (next() < 0.3) {
      parts.push("reverse");
      args.push("--reverse");
    }
    combos.push({ query: "?" + parts.join("&"), args });
  }
  const expected = await pool(
    combos.map((c) => async () => JSON.parse(await cli(catalog, ["list", "--format", "json", ...c.args])).map((t) => t.id)),
    4,
  );
  let nonEmpty = 0;
  for (const [i, c] of combos.entries()) {
    await go(page, url(site, "index.html", c.query));
    const ids = await shownIds(page);
    assert.deepEqual(ids, expected[i], `${c.query} vs list ${c.args.join(" ")}`);
    assert.equal(await count(page), expected[i].length, `count of ${c.query}`);
    if (ids.length) nonEmpty++;
  }
  assert.deepEqual(page.errors, []);
  assert.ok(nonEmpty >= 5, `only ${nonEmpty} combinations selected any tool`);
});

test("each option's count is what `list` gives with that option, and options that give nothing are hidden", async () => {
  const page = await open();
  await page.goto(url(site, "index.html", "?category=guardrail&status=provisional"));
  const options = await page.$$eval("button.option", (bs) =>
    bs.map((b) => ({
      facet: b.dataset.facet,
      value: b.dataset.value,
      count: Number(b.querySelector(".count").textContent),
      hidden: b.parentElement.hidden,
    })),
  );
  const others = { category: ["--status", "provisional"], status: ["--category", "guardrail"] };
  const base = ["--category", "guardrail", "--status", "provisional"];
  // Every option of two facets, and a few of the others.
  const checked = options.filter((o, i) => o.facet in others || i % 15 === 0);
  const counts = await pool(
    checked.map((o) => async () => {
      const args = o.facet in others ? [...others[o.facet], `--${o.facet}`, o.value] : [...base, `--${o.facet}`, o.value];
      return JSON.parse(await cli(catalog, ["list", "--format", "json", ...args])).length;
    }),
    4,
  );
  checked.forEach((o, i) => {
    assert.equal(o.count, counts[i], `${o.facet}=${o.value}`);
    assert.equal(o.hidden, counts[i] === 0, `${o.facet}=${o.value} hidden with count ${counts[i]}`);
  });
  assert.ok(options.some((o) => o.hidden) && options.some((o) => !o.hidden));
});

test("clicking an option changes the URL, the count and aria-pressed; Back restores them", async () => {
  const page = await open();
  await page.goto(url(site, "index.html"));
  const total = await count(page);
  const button = page.locator('button.option[data-facet="category"][data-value="guardrail"]');
  const expected = Number(await button.locator(".count").textContent());
  await button.click();
  assert.match((await where(page)), /\?category=guardrail$/);
  assert.equal(await count(page), expected);
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  await page.locator('button.option[data-facet="status"][data-value="provisional"]').click();
  assert.match((await where(page)), /\?category=guardrail&status=provisional$/);
  await page.goBack();
  assert.match((await where(page)), /\?category=guardrail$/);
  assert.equal(await count(page), expected);
  await button.click();
  assert.ok(!(await where(page)).includes("?"), (await where(page)));
  assert.equal(await count(page), total);
  assert.equal(await button.getAttribute("aria-pressed"), "false");
  // A framework item, written as `list --framework-item` writes it.
  await page.locator("details.facet", { hasText: "Framework item" }).locator("summary").click();
  const item = page.locator('button.option[data-facet="framework-item"][data-value="owasp-llm-2025:LLM01"]');
  await item.click();
  assert.match((await where(page)), /\?framework-item=owasp-llm-2025:LLM01$/);
  assert.equal(await item.getAttribute("aria-pressed"), "true");
  const reached = JSON.parse(await cli(catalog, ["list", "--format", "json", "--framework-item", "owasp-llm-2025:LLM01"])).map((t) => t.id);
  assert.deepEqual(await shownIds(page), reached);
  assert.equal(await count(page), reached.length);
  // Include-unknown, as `list --include-unknown`.
  await page.goto(url(site, "index.html", "?language=de"));
  const strict = await count(page);
  await page.click("#unknown");
  assert.match((await where(page)), /\?language=de&include-unknown$/);
  assert.equal(await page.getAttribute("#unknown", "aria-pressed"), "true");
  const lenient = JSON.parse(await cli(catalog, ["list", "--format", "json", "--language", "de", "--include-unknown"])).map((t) => t.id);
  assert.deepEqual(await shownIds(page), lenient);
  assert.ok(lenient.length > strict, `${lenient.length} > ${strict}`);
  assert.deepEqual(page.errors, []);
});

test("keyboard alone reaches and works every kind of control, with visible focus", async () => {
  const page = await open();
  await page.goto(url(site, "index.html"));
  const focused = () =>
    page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      return { id: e.id, cls: e.className, facet: e.dataset.facet || null, value: e.dataset.value || null, outline: style.outlineStyle, width: style.outlineWidth };
    });
  // Tab from the top: the skip link, the header link, then the controls.
  const seen = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const f = await focused();
    seen.push(f.id || f.cls);
    if (f.facet) break;
  }
  const f = await focused();
  assert.ok(f.facet, `no option reached by Tab: ${seen.join(", ")}`);
  assert.ok(seen.includes("search") && seen.includes("sort") && seen.includes("reverse"), seen.join(", "));
  assert.notEqual(f.outline, "none", "focus outline");
  assert.notEqual(f.width, "0px", "focus outline width");
  await page.keyboard.press("Space");
  assert.ok((await where(page)).includes(`${f.facet}=${encodeURIComponent(f.value)}`), (await where(page)));
  const afterSpace = await count(page);
  await page.keyboard.press("Enter");
  assert.ok(!(await where(page)).includes("?"), (await where(page)));
  assert.ok((await count(page)) >= afterSpace);
  // Search by typing, sort by the arrow keys, reverse by Enter.
  await page.focus("#search");
  await page.keyboard.type("guard");
  await settled(page);
  assert.match((await where(page)), /\?search=guard$/);
  const searched = JSON.parse(await cli(catalog, ["list", "--format", "json", "--search", "guard"])).map((t) => t.id);
  assert.deepEqual(await shownIds(page), searched);
  await page.focus("#sort");
  await page.keyboard.press("ArrowDown");
  assert.match((await where(page)), /\?search=guard&sort=name$/);
  await page.focus("#reverse");
  await page.keyboard.press("Enter");
  assert.match((await where(page)), /\?search=guard&sort=name&reverse$/);
  assert.equal(await page.getAttribute("#reverse", "aria-pressed"), "true");
  const sorted = JSON.parse(await cli(catalog, ["list", "--format", "json", "--search", "guard", "--sort", "name", "--reverse"])).map((t) => t.id);
  assert.deepEqual(await shownIds(page), sorted);
  // A facet folded away opens with the keyboard too.
  await page.focus("details.facet:not([open]) summary");
  await page.keyboard.press("Enter");
  assert.ok(await page.evaluate(() => document.activeElement.parentElement.open));
  assert.deepEqual(page.errors, []);
});

test("downloads hold the selection, as `list --format json` and `--format csv` write it", async () => {
  const page = await open({ acceptDownloads: true });
  const query = "?risk=prompt-injection,jailbreak&sort=released";
  const args = ["--risk", "prompt-injection,jailbreak", "--sort", "released"];
  await page.goto(url(site, "index.html", query));
  for (const [id, format] of [["#download-json", "json"], ["#download-csv", "csv"]]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(id)]);
    const path = await download.path();
    const got = readFileSync(path, "utf8");
    const want = await cli(catalog, ["list", "--format", format, ...args]);
    assert.equal(got, want, format);
    assert.equal(download.suggestedFilename(), `tools.${format}`);
  }
});

test("axe-core finds no WCAG 2.1 A or AA violation on the index, a tool page, a category page and a framework page", async () => {
  // axe is injected as an inline script, so this context lifts the pages' CSP.
  const page = await open({ bypassCSP: true });
  const framework = readdirSync(join(site, "framework")).sort()[0];
  const pages = [
    ["index.html", ""],
    ["index.html", "?risk=prompt-injection&status=provisional"],
    ["index.html", "?framework-item=owasp-llm-2025:LLM01&search=prompt"],
    ["tools/garak.html", ""],
    ["category/guardrail.html", ""],
    ["framework/owasp-llm-2025.html", ""],
    ["framework/owasp-llm-2025-llm01.html", ""],
    [`framework/${framework}`, ""],
  ];
  const summary = [];
  for (const [path, query] of pages) {
    await page.goto(url(site, path, query));
    if (path === "index.html") await settled(page);
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    const violations = result.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0].target})`);
    summary.push(`${path}${query}: ${result.violations.length} violations, ${result.passes.length} rules passed`);
    assert.deepEqual(violations, [], `${path}${query}`);
  }
  console.log(summary.join("\n"));
});

test("no page asks another origin for anything", async () => {
  const page = await open({ acceptDownloads: true });
  const mine = [];
  page.on("request", (r) => mine.push(r.url()));
  for (const path of ["index.html", "tools/garak.html", "category/guardrail.html", "risk/prompt-injection.html"]) {
    await page.goto(url(site, path));
  }
  await page.goto(url(site, "index.html"));
  await page.locator('button.option[data-facet="status"][data-value="provisional"]').click();
  await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  await page.fill("#search", "garak");
  await settled(page);
  await page.click('a[href="tools/garak.html"]');
  assert.ok(mine.length >= 10, `${mine.length} requests seen`);
  assert.ok(mine.some((u) => u.endsWith("/data/tools.js")), "data/tools.js loaded");
  assert.deepEqual(mine.filter((u) => !/^(file|blob):/.test(u)), []);
});

test("the hostile catalog runs no script and shows its text escaped", async () => {
  // The CSP is lifted, so that escaping alone must keep the payloads inert.
  const page = await open({ bypassCSP: true });
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.addInitScript(() => {
    window.__injected = false;
    for (const name of ["alert", "confirm", "prompt"]) {
      window[name] = () => {
        window.__injected = true;
      };
    }
  });
  const tools = readdirSync(join(hostile, "tools")).sort();
  assert.ok(tools.length >= 7, tools.join(", "));
  const pages = ["index.html", ...tools.map((t) => `tools/${t}`), "category/guardrail.html", "risk/prompt-injection.html"];
  for (const path of pages) {
    await page.goto(url(hostile, path));
    await page.waitForLoadState("load");
    assert.equal(await page.evaluate(() => window.__injected), false, path);
    const found = await page.evaluate(() => ({
      scripts: [...document.scripts].map((s) => s.getAttribute("src") || s.type),
      handlers: [...document.querySelectorAll("*")].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.tagName} ${a.name}`)),
      images: document.images.length,
      links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")).filter((h) => !/^(https:\/\/|\.\.\/|#main$|[a-z0-9-]+(\/|\.html|\.json|\.csv))/.test(h)),
    }));
    const scripts = path === "index.html" ? ["application/json", "assets/site.js"] : [];
    assert.deepEqual(found.scripts, scripts, path);
    assert.deepEqual(found.handlers, [], path);
    assert.equal(found.images, 0, path);
    assert.deepEqual(found.links, [], path);
    assert.deepEqual(page.errors, [], path);
  }
  await page.goto(url(hostile, "tools/script.html"));
  const text = await page.textContent("main");
  assert.ok(text.includes("<script>alert(document.cookie)</script>"), "the name as text");
  assert.ok(text.includes("<img src=x onerror=alert(1)>"), "the maintainer as text");
  await page.goto(url(hostile, "tools/links.html"));
  assert.ok((await page.textContent("h1")).includes("[click](javascript:alert(1))"));
  await go(page, url(hostile, "index.html", "?search=%3Cscript%3E"));
  assert.equal(await page.evaluate(() => window.__injected), false, "after data/tools.js");
  const want = JSON.parse(await cli(hostileCatalog, ["list", "--format", "json", "--search", "<script>"])).map((t) => t.id);
  assert.ok(want.includes("script"), want.join(", "));
  assert.deepEqual(await shownIds(page), want);
  assert.deepEqual(dialogs, []);
});

test("the content security policy stops an inline script", async () => {
  const page = await open();
  await page.goto(url(site, "index.html"));
  const result = await page.evaluate(
    () =>
      new Promise((done) => {
        window.__inline = false;
        let violated = false;
        document.addEventListener("securitypolicyviolation", () => (violated = true));
        const s = document.createElement("script");
        s.textContent = "window.__inline = true";
        document.body.appendChild(s);
        setTimeout(() => done({ ran: window.__inline, violated }), 100);
      }),
  );
  assert.deepEqual(result, { ran: false, violated: true });
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.ok(!csp.includes("unsafe-inline") && csp.includes("script-src 'self'"), csp);
});

test("without JavaScript every tool is listed and the static pages link up", async () => {
  const page = await open({ javaScriptEnabled: false });
  await page.goto(url(site, "index.html", "?risk=prompt-injection"));
  const all = JSON.parse(await cli(catalog, ["list", "--format", "json"])).map((t) => t.id);
  assert.deepEqual(await shownIds(page), all);
  assert.equal(await page.isVisible("#controls"), false, "the controls need the script");
  assert.equal(await page.isVisible("#downloads"), false, "the downloads need the script");
  await page.click('nav.browse a[href="risk/prompt-injection.html"]');
  const listed = await page.$$eval("li[data-tool-id]", (items) => items.map((li) => li.dataset.toolId));
  const want = JSON.parse(await cli(catalog, ["list", "--format", "json", "--risk", "prompt-injection"])).map((t) => t.id);
  assert.deepEqual(listed, want);
  await page.click(`li[data-tool-id="${want[0]}"] a`);
  assert.equal(await page.getAttribute("article.tool", "data-tool-id"), want[0]);
});
