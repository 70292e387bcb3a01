// Live filtering of the index page of `alliance-catalog site`.
//
// The filter state lives in the URL query, with the names and value syntax
// of `alliance-catalog list`: `?risk=prompt-injection,jailbreak&language=de`
// (values of one filter comma-separated or repeated, any of them may match;
// different filters must all match), `search=TEXT`, `sort=KEY`, `reverse`.
// The page works without this script: it then lists every tool.
(function () {
  "use strict";

  var dataElement = document.getElementById("catalog-data");
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent);
  var FACETS = data.facets; // [{key, match, field}], in page order
  var tools = data.tools; // [{summary, more, description}], by id

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

  // Whether `tool` passes `state`: every facet with chosen values must match
  // one of them, and the search text must appear. `skip` leaves one facet
  // out (to count that facet's options).
  function passes(tool, state, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i];
      var wanted = state.values[f.key];
      if (f.key === skip || wanted.length === 0) continue;
      var have = tool.values[f.key];
      var match = MATCH[f.match];
      if (!wanted.some(function (w) { return match(w, have); })) return false;
    }
    return state.search === null || mentions(tool, state.search);
  }

  // Case-insensitive text in id, name, summary or description, or in a tag.
  function mentions(tool, text) {
    var needle = text.toLowerCase();
    return tool.hay.some(function (h) { return h.indexOf(needle) >= 0; }) ||
      tool.values.tag.some(function (t) { return t.indexOf(needle) >= 0; });
  }

  // Each tool's values of each facet: from its listing row's `field`, or
  // from `more` for facets the row lacks.
  tools.forEach(function (t) {
    var s = t.summary;
    t.values = {};
    FACETS.forEach(function (f) {
      var v = f.field ? s[f.field] : t.more[f.key];
      t.values[f.key] = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
    });
    t.hay = [s.id, s.name, s.summary, t.description || ""].map(function (h) {
      return h.toLowerCase();
    });
  });

  // Strings in code point order, as Rust compares them.
  function compareText(a, b) {
    if (/[\uD800-\uDFFF]/.test(a + b)) {
      a = Array.from(a, function (c) { return c.codePointAt(0); });
      b = Array.from(b, function (c) { return c.codePointAt(0); });
      for (var i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      }
      return a.length - b.length;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // Rust's order of options: none before some.
  function compareOptional(a, b) {
    if (a === null || b === null) return (a === null ? 0 : 1) - (b === null ? 0 : 1);
    return compareText(a, b);
  }
  var STATUS_ORDER = { vetted: 0, provisional: 1, deprecated: 2 };
  // `list --sort KEY`: the primary order, ties by id.
  var SORTS = {
    id: function () { return 0; },
    name: function (a, b) { return compareText(a.name.toLowerCase(), b.name.toLowerCase()); },
    status: function (a, b) { return STATUS_ORDER[a.status] - STATUS_ORDER[b.status]; },
    license: function (a, b) { return compareText(a.license, b.license); },
    released: function (a, b) { return compareOptional(b.released, a.released); },
    reviewed: function (a, b) { return compareText(a.reviewed, b.reviewed); },
  };

  function compare(a, b, state) {
    var s = a.summary, t = b.summary;
    var order = SORTS[state.sort](s, t) || compareText(s.id, t.id);
    return state.reverse ? -order : order;
  }

  // The state a URL query says.
  function readState(query) {
    var params = new URLSearchParams(query);
    var state = { values: {}, search: params.get("search"), sort: "id", reverse: false };
    FACETS.forEach(function (f) {
      var values = [];
      params.getAll(f.key).forEach(function (v) {
        v.split(",").forEach(function (part) {
          if (part !== "" && values.indexOf(part) < 0) values.push(part);
        });
      });
      state.values[f.key] = values;
    });
    var sort = params.get("sort");
    if (sort && Object.prototype.hasOwnProperty.call(SORTS, sort)) state.sort = sort;
    var reverse = params.get("reverse");
    state.reverse = reverse !== null && reverse !== "false" && reverse !== "0";
    return state;
  }

  // The URL query of a state, in the order of `list`'s options.
  function writeQuery(state) {
    var parts = [];
    FACETS.forEach(function (f) {
      var values = state.values[f.key];
      if (values.length) parts.push(f.key + "=" + values.map(encodeURIComponent).join(","));
    });
    if (state.search !== null && state.search !== "") {
      parts.push("search=" + encodeURIComponent(state.search));
    }
    if (state.sort !== "id") parts.push("sort=" + state.sort);
    if (state.reverse) parts.push("reverse");
    return parts.length ? "?" + parts.join("&") : "";
  }

  var list = document.getElementById("tool-list");
  var items = {};
  Array.prototype.forEach.call(list.querySelectorAll("li[data-tool-id]"), function (li) {
    items[li.getAttribute("data-tool-id")] = li;
  });
  var count = document.getElementById("result-count");
  var search = document.getElementById("search");
  var sort = document.getElementById("sort");
  var reverse = document.getElementById("reverse");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.option"));
  var facetOf = {};
  FACETS.forEach(function (f) { facetOf[f.key] = f; });

  var state = readState(location.search);
  var selected = [];

  function render() {
    selected = tools.filter(function (t) { return passes(t, state, null); });
    selected.sort(function (a, b) { return compare(a, b, state); });
    var shown = {};
    selected.forEach(function (t) {
      shown[t.summary.id] = true;
      var li = items[t.summary.id];
      li.hidden = false;
      list.appendChild(li);
    });
    tools.forEach(function (t) {
      if (!shown[t.summary.id]) items[t.summary.id].hidden = true;
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
      var n = base[key].filter(function (t) { return MATCH[f.match](value, t.values[key]); }).length;
      var on = state.values[key].indexOf(value) >= 0;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.querySelector(".count").textContent = String(n);
      b.parentNode.hidden = n === 0 && !on;
      if (on) b.closest("details").open = true;
    });
    if (search.value !== (state.search || "")) search.value = state.search || "";
    sort.value = state.sort;
    reverse.setAttribute("aria-pressed", state.reverse ? "true" : "false");
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
      var at = values.indexOf(value);
      if (at >= 0) values.splice(at, 1);
      else values.push(value);
      update(false);
    });
  });
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
  document.getElementById("clear").addEventListener("click", function () {
    state = readState("");
    update(false);
  });
  window.addEventListener("popstate", function () {
    state = readState(location.search);
    render();
  });

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
    var rows = selected.map(function (t) { return t.summary; });
    download("tools.json", "application/json", JSON.stringify(rows, null, 2) + "\n");
  });
  document.getElementById("download-csv").addEventListener("click", function () {
    var text = data.csvHeader + selected.map(function (t) { return csvRow(t.summary); }).join("");
    download("tools.csv", "text/csv", text);
  });

  document.getElementById("controls").hidden = false;
  document.getElementById("downloads").hidden = false;
  render();
})();
