// Live filtering of the index page of `alliance-catalog site`.
//
// The filter state lives in the URL query, with the names and value syntax
// of `alliance-catalog list`: `?risk=prompt-injection,jailbreak&language=de`
// (values of one filter comma-separated or repeated, any of them may match;
// `a+b` asks for both; different filters must all match),
// `framework-item=owasp-llm-2025:LLM01`, `include-unknown`, `search=TEXT`,
// `sort=KEY`, `reverse`. The page works without this script: it then lists
// every tool.
//
// The page's data (#catalog-data) holds, per facet, the table of its values
// and, per tool in the page's order, the indexes of its values; and, per
// sort order, the tools in that order as `list` sorts them. The rest of
// each tool's row (description, URLs, dates; name and summary are read
// from its list item), which only search and downloads need, is in
// data/tools.js, loaded when first needed.
(function () {
  "use strict";

  var dataElement = document.getElementById("catalog-data");
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent);
  var FACETS = data.facets; // [{key, match, unknown}], in page order
  var list = document.getElementById("tool-list");
  var results = document.getElementById("results");
  var status = document.getElementById("result-status");

  function text(li, selector) {
    var e = li.querySelector(selector);
    return e ? e.textContent : "";
  }

  // The tools, in the page's (id) order: the list item, the id, name and
  // summary it shows, and the values of each facet.
  var tools = Array.prototype.map.call(list.querySelectorAll("li[data-tool-id]"), function (li, i) {
    var t = {
      at: i, li: li, id: li.getAttribute("data-tool-id"), values: {}, more: null, hay: null,
      name: text(li, ".tool-name"), summary: text(li, ".tool-summary"),
    };
    FACETS.forEach(function (f, k) {
      t.values[f.key] = data.tools[i][k].map(function (j) { return data.values[k][j]; });
    });
    return t;
  });

  // Each sort order's rank of each tool (`id` is the page's order).
  var RANK = { id: tools.map(function (t) { return t.at; }) };
  Object.keys(data.order).forEach(function (key) {
    var rank = [];
    data.order[key].forEach(function (at, position) { rank[at] = position; });
    RANK[key] = rank;
  });

  // How one chosen value meets a tool's values of its facet, as `list` compares them.
  var MATCH = {
    exact: function (wanted, have) {
      return have.indexOf(wanted) >= 0;
    },
    // BCP 47: `pt` matches `pt-BR` (and the reverse); `any` matches every language.
    language: function (wanted, have) {
      var w = wanted.toLowerCase();
      return have.some(function (tag) {
        var l = tag.toLowerCase();
        return l === "any" || l === w || l.startsWith(w + "-") || w.startsWith(l + "-");
      });
    },
    // An SPDX identifier in the expression; `LicenseRef-` matches every custom licence.
    license: function (wanted, have) {
      var w = wanted.toLowerCase();
      return have.some(function (expression) {
        return expression.split(/[\s()]+/).some(function (t) {
          if (t === "" || t === "AND" || t === "OR" || t === "WITH") return false;
          t = t.replace(/\++$/, "").toLowerCase();
          return t === w || (w.endsWith("-") && t.startsWith(w));
        });
      });
    },
  };

  // Whether one chosen value (its `+` parts all) meets `have`, or `have`
  // is empty and unknowns are let in.
  function meets(f, choice, have, state) {
    if (state.unknown && f.unknown && have.length === 0) return true;
    var match = MATCH[f.match];
    return choice.parts.every(function (p) { return match(p, have); });
  }

  // Whether `tool` passes `state`: every facet with chosen values must meet
  // one of them, and the search text must appear. `skip` leaves one facet
  // out (to count that facet's options).
  function passes(tool, state, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i];
      var wanted = state.values[f.key];
      if (f.key === skip || wanted.length === 0) continue;
      var have = tool.values[f.key];
      if (!wanted.some(function (c) { return meets(f, c, have, state); })) return false;
    }
    return !searching(state) || mentions(tool, state.search);
  }

  function searching(state) {
    return state.search !== null && state.search !== "";
  }

  // Case-insensitive text in id, name, summary or description, or in a tag.
  function mentions(tool, text) {
    var needle = text.toLowerCase();
    return tool.hay.some(function (h) { return h.indexOf(needle) >= 0; }) ||
      tool.values.tag.some(function (t) { return t.indexOf(needle) >= 0; });
  }

  // data/tools.js, loaded once, when search or a download first needs it.
  var waiting = null;
  window.allianceCatalogMore = function (rows) {
    tools.forEach(function (t, i) {
      var m = rows[i];
      t.more = m;
      if (m[0] !== null) t.name = m[0];
      if (m[1] !== null) t.summary = m[1];
      t.hay = [t.id, t.name, t.summary, m[2] || ""].map(function (h) { return h.toLowerCase(); });
    });
    var then = waiting || [];
    waiting = null;
    results.removeAttribute("aria-busy");
    then.forEach(function (f) { f(); });
  };
  function withMore(then) {
    if (tools.length === 0 || tools[0].more) return then();
    if (waiting) return waiting.push(then);
    waiting = [then];
    results.setAttribute("aria-busy", "true");
    var script = document.createElement("script");
    script.src = "data/tools.js";
    script.onerror = function () {
      waiting = null;
      results.removeAttribute("aria-busy");
      status.textContent = "The search and download data (data/tools.js) could not be loaded.";
    };
    document.body.appendChild(script);
  }

  // `list --sort KEY`, ties by id, from the orders the page's data gives.
  function compare(a, b, state) {
    var rank = RANK[state.sort];
    var order = rank[a.at] - rank[b.at];
    return state.reverse ? -order : order;
  }

  // One chosen value as written (`a+b`, or `a b` when the `+` came through
  // the URL as a space), with its parts.
  function choice(text) {
    var parts = text.split(/[+ ]/).filter(function (p) { return p !== ""; });
    return { text: parts.join("+"), parts: parts };
  }

  function flag(params, name) {
    var v = params.get(name);
    return v !== null && v !== "false" && v !== "0";
  }

  // The state a URL query says.
  function readState(query) {
    var params = new URLSearchParams(query);
    var state = { values: {}, search: params.get("search"), sort: "id", reverse: false, unknown: false };
    FACETS.forEach(function (f) {
      var values = [];
      params.getAll(f.key).forEach(function (v) {
        v.split(",").forEach(function (part) {
          var c = choice(part);
          if (c.parts.length && !values.some(function (o) { return o.text === c.text; })) values.push(c);
        });
      });
      state.values[f.key] = values;
    });
    var sort = params.get("sort");
    if (sort && Object.prototype.hasOwnProperty.call(RANK, sort)) state.sort = sort;
    state.reverse = flag(params, "reverse");
    state.unknown = flag(params, "include-unknown");
    return state;
  }

  // The URL query of a state, in the order of `list`'s options.
  function writeQuery(state) {
    var parts = [];
    FACETS.forEach(function (f) {
      var values = state.values[f.key];
      if (values.length) {
        parts.push(f.key + "=" + values.map(function (c) {
          return c.parts.map(encodeURIComponent).join("+");
        }).join(",").replace(/%3A/g, ":"));
      }
    });
    if (state.unknown) parts.push("include-unknown");
    if (searching(state)) parts.push("search=" + encodeURIComponent(state.search));
    if (state.sort !== "id") parts.push("sort=" + state.sort);
    if (state.reverse) parts.push("reverse");
    return parts.length ? "?" + parts.join("&") : "";
  }

  var count = document.getElementById("result-count");
  var search = document.getElementById("search");
  var sort = document.getElementById("sort");
  var reverse = document.getElementById("reverse");
  var unknown = document.getElementById("unknown");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.option"));
  var facetOf = {};
  FACETS.forEach(function (f) { facetOf[f.key] = f; });

  var state = readState(location.search);
  var selected = [];

  function chosen(key, value) {
    return state.values[key].some(function (c) { return c.text === value; });
  }

  function render() {
    if (searching(state) && tools.length && !tools[0].more) return withMore(render);
    selected = tools.filter(function (t) { return passes(t, state, null); });
    selected.sort(function (a, b) { return compare(a, b, state); });
    var shown = {};
    selected.forEach(function (t) {
      shown[t.at] = true;
      t.li.hidden = false;
      list.appendChild(t.li);
    });
    tools.forEach(function (t) {
      if (!shown[t.at]) t.li.hidden = true;
    });
    count.textContent = String(selected.length);

    // Each option counts the tools it would select with the other facets as they are.
    var base = {};
    FACETS.forEach(function (f) {
      base[f.key] = tools.filter(function (t) { return passes(t, state, f.key); });
    });
    buttons.forEach(function (b) {
      var key = b.getAttribute("data-facet"), value = b.getAttribute("data-value");
      var f = facetOf[key];
      var c = choice(value);
      var n = base[key].filter(function (t) { return meets(f, c, t.values[key], state); }).length;
      var on = chosen(key, value);
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.querySelector(".count").textContent = String(n);
      b.parentNode.hidden = n === 0 && !on;
      if (on) b.closest("details").open = true;
    });
    if (search.value !== (state.search || "")) search.value = state.search || "";
    sort.value = state.sort;
    reverse.setAttribute("aria-pressed", state.reverse ? "true" : "false");
    unknown.setAttribute("aria-pressed", state.unknown ? "true" : "false");
  }

  function update(replace) {
    var url = location.pathname + writeQuery(state) + location.hash;
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    render();
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var values = state.values[b.getAttribute("data-facet")];
      var value = b.getAttribute("data-value");
      var at = values.findIndex(function (c) { return c.text === value; });
      if (at >= 0) values.splice(at, 1);
      else values.push(choice(value));
      update(false);
    });
  });
  // Focusing the search field fetches what search reads, before the first key.
  search.addEventListener("focus", function () { withMore(function () {}); });
  search.addEventListener("input", function () {
    state.search = search.value === "" ? null : search.value;
    update(true);
  });
  sort.addEventListener("change", function () {
    state.sort = sort.value;
    update(false);
  });
  reverse.addEventListener("click", function () {
    state.reverse = !state.reverse;
    update(false);
  });
  unknown.addEventListener("click", function () {
    state.unknown = !state.unknown;
    update(false);
  });
  document.getElementById("clear").addEventListener("click", function () {
    state = readState("");
    update(false);
  });
  window.addEventListener("popstate", function () {
    state = readState(location.search);
    render();
  });

  // A tool's row of `list --format json`: the facet values from the page's
  // data, the rest from data/tools.js.
  function row(t) {
    var v = t.values, m = t.more;
    return {
      id: t.id, name: t.name, summary: t.summary,
      categories: v.category, risks: v.risk, modalities: v.modality,
      interfaces: v.interface, languages: v.language,
      license: v.license[0], license_osi_approved: m[3], status: v.status[0],
      latest_version: m[4], released: m[5], reviewed: m[6],
      repository: m[7], homepage: m[8],
    };
  }

  // A field as `render::csv` writes it: a leading =, +, -, @, tab or CR is
  // defused with a quote mark, and a field holding a comma, a double quote
  // or a line break is quoted with its quotes doubled (the csv crate's
  // "necessary" style).
  function csvField(value) {
    var s = value == null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  // A tool's row of `list --format csv`, from its row of `list --format json`.
  function csvRow(s) {
    return [
      s.id, s.name, s.summary,
      s.categories.join(";"), s.risks.join(";"), s.modalities.join(";"),
      s.interfaces.join(";"), s.languages.join(";"),
      s.license, s.status, s.latest_version, s.released, s.reviewed,
      s.repository, s.homepage
    ].map(csvField).join(",") + "\n";
  }

  // Downloads of the selection, in the shapes of `list --format json` and `--format csv`.
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }
  document.getElementById("download-json").addEventListener("click", function () {
    withMore(function () {
      var rows = selected.map(row);
      download("tools.json", "application/json", JSON.stringify(rows, null, 2) + "\n");
    });
  });
  document.getElementById("download-csv").addEventListener("click", function () {
    withMore(function () {
      var text = data.csvHeader + selected.map(function (t) { return csvRow(row(t)); }).join("");
      download("tools.csv", "text/csv", text);
    });
  });

  document.getElementById("controls").hidden = false;
  document.getElementById("downloads").hidden = false;
  render();
})();
