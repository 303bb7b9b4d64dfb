// What the dashboard asks of the browser itself (ui/client.py inserts this with its settings as `KPI`):
// the page's language, Streamlit's own English words in Vietnamese, chart labels dropped where they would
// collide, the slideshow's full screen. Idempotent: a second insertion only updates the settings.
(function () {
  const settings = KPI;
  document.documentElement.lang = settings.lang;
  if (window.kpiClient) {
    window.kpiClient.update(settings);
    return;
  }
  let current = settings;
  const changed = []; // [WeakRef(node), attribute or null, the English original]: undone when English is chosen
  const SKIP = ".js-plotly-plot svg, script, style, code, pre";
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title", "data-tooltip"];

  // --- Streamlit's own words ------------------------------------------------------------------------
  function translated(text) {
    const words = current.words;
    if (!words) return null;
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(words.exact, trimmed)) {
      return text.replace(trimmed, words.exact[trimmed]);
    }
    for (const [pattern, replacement] of words.patterns) {
      const re = new RegExp(pattern);
      if (re.test(trimmed)) return text.replace(trimmed, trimmed.replace(re, replacement));
    }
    return null;
  }

  function translateNode(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (!parent || parent.closest(SKIP)) return;
      const done = translated(node.nodeValue);
      if (done !== null && done !== node.nodeValue) {
        changed.push([new WeakRef(node), null, node.nodeValue]);
        node.nodeValue = done;
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || node.closest(SKIP)) return;
    translateAttributes(node);
    for (const element of node.querySelectorAll("[aria-label], [title], [placeholder], [data-title]")) {
      if (!element.closest(SKIP)) translateAttributes(element);
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translateNode(walker.currentNode);
  }

  function translateAttributes(element) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const done = translated(value);
      if (done !== null && done !== value) {
        changed.push([new WeakRef(element), name, value]);
        element.setAttribute(name, done);
      }
    }
  }

  // --- chart labels that would collide --------------------------------------------------------------
  const HIDDEN = "data-kpi-hidden";
  const spent = { declutter: 0 }; // ms placing labels so far in this page (benchmarks/browser_bench.py reads it)

  function rectOf(element) {
    const r = element.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  }

  function overlaps(a, b, pad) {
    return a.left < b.right - pad && b.left < a.right - pad && a.top < b.bottom - pad && b.top < a.bottom - pad;
  }

  function linePoints(path) {
    // Points along a stroked path, every 3 px, in screen coordinates.
    const matrix = path.getScreenCTM();
    if (!matrix || typeof path.getTotalLength !== "function") return [];
    let length = 0;
    try { length = path.getTotalLength(); } catch (e) { return []; }
    const points = [];
    for (let at = 0; at <= length; at += 3) {
      const p = path.getPointAtLength(at);
      points.push(new DOMPoint(p.x, p.y).matrixTransform(matrix));
    }
    return points;
  }

  function stroked(path) {
    const style = getComputedStyle(path);
    const fill = style.fill;
    const filled = fill && fill !== "none" && !/rgba\(.*,\s*0\)$/.test(fill) && style.fillOpacity !== "0";
    return !filled && style.stroke && style.stroke !== "none" && parseFloat(style.strokeWidth || "0") > 0;
  }

  function obstacles(gd) {
    const lines = [];
    for (const path of gd.querySelectorAll(".shapelayer path, .scatterlayer .js-line")) {
      if (stroked(path)) lines.push(linePoints(path));
    }
    const boxes = [];
    const marks = ".scatterlayer .points path, .barlayer .bars path, .legend, .xtick text, .ytick text";
    for (const mark of gd.querySelectorAll(marks)) {
      const r = rectOf(mark);
      if (r.width > 0 && r.height > 0 && mark.style.visibility !== "hidden") boxes.push(r);
    }
    const plot = gd.querySelector(".nsewdrag"), svg = gd.querySelector(".main-svg");
    const area = plot && svg ? { ...rectOf(svg), bottom: rectOf(plot).bottom } : null;
    return { lines, boxes, area };
  }

  function hits(rect, found) {
    const area = found.area;
    if (area && (rect.bottom > area.bottom + 1 || rect.top < area.top || rect.left < area.left
      || rect.right > area.right)) return true;
    if (found.boxes.some((box) => overlaps(rect, box, 1))) return true;
    return found.lines.some((points) => points.some((p) =>
      p.x > rect.left + 1 && p.x < rect.right - 1 && p.y > rect.top + 1 && p.y < rect.bottom - 1));
  }

  function labels(gd) {
    // Data labels, the latest (rightmost) first: when two collide, the newer figure stays.
    const found = [...gd.querySelectorAll(".scatterlayer .textpoint text, .barlayer text.bartext")];
    return found
      .map((element) => ({ element, rect: rectOf(element) }))
      .filter((label) => label.rect.width > 0)
      .sort((a, b) => b.rect.left - a.rect.left);
  }

  function thinTicks(gd) {
    // Year ticks that would overlap: keep every other one until none do (the last year always stays).
    const ticks = [...gd.querySelectorAll(".xaxislayer-above .xtick text")]
      .map((element) => ({ element, rect: rectOf(element) }))
      .filter((tick) => tick.rect.width > 0)
      .sort((a, b) => b.rect.left - a.rect.left);
    let kept = null;
    for (const tick of ticks) {
      if (kept && tick.rect.right + 4 > kept.rect.left) {
        tick.element.setAttribute(HIDDEN, "");
        tick.element.style.visibility = "hidden";
      } else {
        kept = tick;
      }
    }
  }

  function shifted(rect, dx, dy) {
    return { ...rect, left: rect.left + dx, right: rect.right + dx, top: rect.top + dy, bottom: rect.bottom + dy };
  }

  function pointOf(text) {
    // The middle of the marker a line's label belongs to (same index in its trace), or null.
    const trace = text.closest(".trace");
    if (!trace) return null;
    const index = [...trace.querySelectorAll(".textpoint")].indexOf(text.closest(".textpoint"));
    const marker = trace.querySelectorAll(".points path")[index];
    if (!marker) return null;
    const r = marker.getBoundingClientRect();
    return { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 };
  }

  function place(label, kept, found) {
    // Where the label may stay: as drawn, else around its point (a line's label only), else nowhere.
    const free = (rect) => !kept.some((other) => overlaps(rect, other, 0)) && !hits(rect, found);
    if (free(label.rect)) return [0, 0];
    const point = label.element.closest(".textpoint") && !label.element.getAttribute("transform")
      ? pointOf(label.element) : null;
    if (point === null) return null;
    const { width: w, height: h } = label.rect;
    const x = (label.rect.left + label.rect.right) / 2, y = (label.rect.top + label.rect.bottom) / 2;
    const around = [[0, -h / 2 - 10], [0, h / 2 + 10], [w / 2 + 10, h / 2 + 4], [w / 2 + 10, -h / 2 - 4],
      [-w / 2 - 10, -h / 2 - 4], [-w / 2 - 10, h / 2 + 4]];
    for (const [cx, cy] of around) {
      const dx = point.x + cx - x, dy = point.y + cy - y;
      if (free(shifted(label.rect, dx, dy))) return [dx, dy];
    }
    return null;
  }

  function declutter(gd) {
    const started = performance.now();
    for (const element of gd.querySelectorAll(`[${HIDDEN}]`)) {
      element.removeAttribute(HIDDEN);
      element.style.visibility = "";
      element.style.transform = "";
    }
    thinTicks(gd);
    const found = obstacles(gd);
    const kept = [];
    for (const label of labels(gd)) {
      const inside = label.element.classList.contains("bartext-inside");
      const move = inside ? (kept.some((other) => overlaps(label.rect, other, 0)) ? null : [0, 0])
        : place(label, kept, found);
      if (move === null) {
        label.element.setAttribute(HIDDEN, "");
        label.element.style.visibility = "hidden";
        continue;
      }
      const [dx, dy] = move;
      if (dx !== 0 || dy !== 0) {
        label.element.setAttribute(HIDDEN, "moved");
        label.element.style.transform = `translate(${dx}px, ${dy}px)`;
      }
      kept.push(shifted(label.rect, dx, dy));
    }
    gd.setAttribute("data-kpi-decluttered", String(Date.now()));
    spent.declutter += performance.now() - started;
  }

  // A slide's chart names its lines beside the plot, where a hall screen has room; on a phone that legend
  // took the whole width: there it goes under the plot, as on every page.
  function legendUnder(gd) {
    const legend = gd._fullLayout.legend;
    if (!window.Plotly || !gd.closest(".st-key-slide") || window.innerWidth > 640 || !legend
        || legend.orientation !== "v") return false;
    // Placed (and marked so) only once redrawn: an earlier drawing's afterplot marked the chart placed
    // while its legend still stood beside a 64 px plot (seen under CI's load).
    gd.kpiLegendMoving = true;
    window.Plotly.relayout(gd, { "legend.orientation": "h", "legend.yref": "container", "legend.y": 0,
      "legend.yanchor": "bottom", "legend.x": 0, "legend.xanchor": "left" }).finally(() => {
      gd.kpiLegendMoving = false;
      requestAnimationFrame(() => declutter(gd));
    });
    return true;
  }

  function watchCharts() {
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      if (gd.kpiWatched || typeof gd.on !== "function" || !gd._fullLayout) continue;
      gd.kpiWatched = true;
      gd.on("plotly_afterplot", () => requestAnimationFrame(() => { if (!gd.kpiLegendMoving) declutter(gd); }));
      if (legendUnder(gd)) continue;  // redrawn with its legend under the plot: placed after that drawing
      declutter(gd);
    }
  }

  // --- the slideshow's full screen ------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest(".st-key-present_go button") && !document.fullscreenElement) {
      document.documentElement.requestFullscreen({ navigationUI: "hide" }).catch(() => {});
    } else if (target.closest(".st-key-present_exit button") && document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    }
  }, true);

  // --- one observer for everything the app adds or changes ------------------------------------------
  let scheduled = false;
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "childList") mutation.addedNodes.forEach(translateNode);
      else if (mutation.type === "characterData") translateNode(mutation.target);
      else if (mutation.type === "attributes") {
        if (!mutation.target.closest(SKIP)) translateAttributes(mutation.target);
      }
    }
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(() => { scheduled = false; watchCharts(); });
    }
  });

  // --- the code of charts and tables, loaded while the first page is read ---------------------------
  function preload(names) {
    const index = document.querySelector('script[type="module"][src*="static/js/index"]');
    if (!index || !names || !names.length) return;
    const load = () => names.forEach((name) => import(new URL(name, index.src).href)
      .then(() => { if (name.startsWith("PlotlyChart")) whenIdle(warmPlotly); }).catch(() => {}));
    whenIdle(load);
  }

  function whenIdle(work) {
    if ("requestIdleCallback" in window) requestIdleCallback(work, { timeout: 3000 });
    else setTimeout(work, 1500);
  }

  // The browser compiles Plotly's drawing code the first time it draws: the first chart of a session took
  // two to three times as long as the same chart again (most of a first visit of Chỉ tiêu). So while the
  // first page is read, one small chart of every kind the pages draw is drawn out of sight and thrown away.
  // Loading Plotly's code (above) sets window.Plotly.
  function warmPlotly() {
    const Plotly = window.Plotly;
    if (!Plotly || warmed || document.querySelector('[data-testid="stPlotlyChart"] .main-svg')) return;
    warmed = true;
    const host = document.createElement("div");
    host.setAttribute("aria-hidden", "true");
    host.style.cssText = "position:fixed;left:-10000px;top:0;width:640px;height:360px;visibility:hidden;"
      + "pointer-events:none";
    document.body.appendChild(host);
    const years = [2022, 2023, 2024, 2025];
    const text = (values) => values.map(String);
    const data = [
      { type: "bar", x: years, y: [3, 4, 5, 6], text: text([3, 4, 5, 6]), textposition: ["outside", "inside", "outside", "inside"],
        marker: { color: ["#2A9D8F", "#C0392B", "#999999", "#2A9D8F"], line: { color: "white", width: 0.5 } }, name: "a" },
      { type: "scatter", mode: "lines+markers+text", x: years, y: [2, 3, 4, 5], text: text([2, 3, 4, 5]),
        textposition: ["top center", "bottom center", "top center", "top center"], cliponaxis: false, name: "b",
        marker: { size: 11, color: ["white", "#0072B2", "#0072B2", "white"], line: { color: "#0072B2", width: 2 } },
        hovertext: text(years), hoverinfo: "text" },
      { type: "scatter", mode: "lines", x: [2022, 2025], y: [1, 6], line: { dash: "dot" }, name: "c" },
      { type: "scatter", mode: "markers", x: [2025], y: [6], marker: { symbol: "star", size: 16 }, name: "d" },
      { type: "heatmap", z: [[0.5, 1.5], [2.5, 3.5]], x: ["A1", "A2"], y: ["B1", "B2"], xaxis: "x2", yaxis: "y2",
        showscale: false, xgap: 2, ygap: 2, colorscale: [[0, "#2A9D8F"], [1, "#C0392B"]], hoverinfo: "text",
        hovertext: [["a", "b"], ["c", "d"]] },
      { type: "scatter", mode: "text", x: ["A1", "A2"], y: ["B1", "B2"], text: ["\u2714", "\u2716"], xaxis: "x2",
        yaxis: "y2", textfont: { color: ["white", "black"] }, hoverinfo: "skip", showlegend: false },
      { type: "bar", orientation: "h", y: ["x", "y"], x: [3, 4], text: ["3", "4"], textposition: "auto",
        xaxis: "x3", yaxis: "y3", showlegend: false },
    ];
    const layout = {
      width: 640, height: 360, separators: current.lang === "vi" ? ",." : ".,",
      font: { family: settings.chart.font, size: 14 }, hovermode: "closest", hoverlabel: { font: { family: settings.chart.font } },
      margin: { l: 40, r: 20, t: 30, b: 40 }, showlegend: true,
      legend: { orientation: "h", yref: "container", yanchor: "bottom", y: 0, xanchor: "left", x: 0 },
      xaxis: { domain: [0, 0.45], dtick: 1, tickformat: "d", automargin: true },
      yaxis: { tickformat: ",.0f", automargin: true, rangemode: "tozero" },
      xaxis2: { domain: [0.55, 1], side: "top", type: "category" }, yaxis2: { anchor: "x2", autorange: "reversed", type: "category" },
      xaxis3: { domain: [0.55, 1], anchor: "y3" }, yaxis3: { domain: [0, 0.3], anchor: "x3", type: "category" },
      shapes: [{ type: "line", xref: "x domain", x0: 0, x1: 1, y0: 4, y1: 4, line: { dash: "dash" } },
               { type: "rect", xref: "x domain", x0: 0, x1: 1, y0: 1, y1: 2, fillcolor: "#56B4E9", opacity: 0.2, line: { width: 0 } }],
      annotations: [{ text: "a", x: 0, xref: "paper", y: 1, yref: "paper", showarrow: false }],
      uniformtext: { minsize: 11, mode: "hide" }, dragmode: false,
    };
    // As Streamlit draws a chart (react-plotly calls Plotly.react) and with the pages' own config: the
    // toolbar, the locale and the resize handling are the code paths of a real first drawing too.
    Plotly.react(host, data, layout, { ...settings.chart.config, locale: current.lang === "vi" ? "vi" : "en-US" })
      .then(() => declutter(host))
      .catch(() => {})
      .finally(() => { Plotly.purge(host); host.remove(); });
  }
  let warmed = false;

  window.kpiClient = {
    update(next) {
      if (!next.words) {
        for (const [ref, attribute, original] of changed.splice(0)) {
          const node = ref.deref();
          if (!node) continue;
          if (attribute) node.setAttribute(attribute, original);
          else node.nodeValue = original;
        }
      }
      current = next;
      document.documentElement.lang = next.lang;
      translateNode(document.body);
    },
    declutter,
    spent,
  };
  translateNode(document.body);
  watchCharts();
  preload(settings.preload);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true,
                                    attributes: true, attributeFilter: ATTRIBUTES });
})();
