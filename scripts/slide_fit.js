/* Slides that fit (issue 15): run once, before Reveal.initialize, by the slideshows scripts/slides.py exports.
 *
 * reveal.js slides do not scroll, and a lesson section (one "slide" cell up to the next) is often taller than the
 * slide. This pages every slide whose content is taller than the slide into a vertical stack of slides that each
 * fit, measured in the browser with the slide's own fonts:
 *   - a cell's blocks (the paragraphs, lists and tables of a text cell, the outputs of a code cell) move, in order,
 *     onto the next page when the page is full; a continued slide repeats its heading with "(continued)";
 *   - one chart or map per slide: a second one starts a new page;
 *   - a table or list taller than a slide is split between rows or items (a table keeps its header row);
 *   - anything else taller than a slide (a map, a chart) is scaled down to fit (a CSS transform in a box).
 * Nothing is removed: the same blocks, in the same order, on more slides. */
(function () {
  "use strict";

  var VISUAL = "iframe, .plotly-graph-div, .folium-map, img, canvas, .aireg-live-only";

  function blocksOf(cell) {
    var md = cell.querySelector(".jp-RenderedMarkdown");
    if (md) return Array.prototype.slice.call(md.children).map(function (b) { return {block: b, cell: cell, box: md}; });
    var out = cell.querySelector(".jp-OutputArea");
    if (out) return Array.prototype.slice.call(out.children).map(function (b) { return {block: b, cell: cell, box: out}; });
    return [{block: cell, cell: null, box: null}];
  }

  function isVisual(el) {
    return el.matches(VISUAL) || !!el.querySelector(VISUAL);
  }

  function layout(section, width) {
    section.style.display = "block";
    section.style.visibility = "hidden";
    section.style.position = "absolute";
    section.style.left = "0";
    section.style.top = "0";
    section.style.width = width + "px";
  }

  function release(section) {
    ["display", "visibility", "position", "left", "top", "width"].forEach(function (p) { section.style.removeProperty(p); });
  }

  function boxSelector(box) {
    return box.classList.contains("jp-RenderedMarkdown") ? ".jp-RenderedMarkdown" : ".jp-OutputArea";
  }

  // An empty copy of a cell (same classes, no id) whose content box receives the blocks placed on one page.
  function shell(cell, box) {
    var copy = cell.cloneNode(true);
    copy.removeAttribute("id");
    var inner = copy.querySelector(boxSelector(box));
    while (inner.firstChild) inner.removeChild(inner.firstChild);
    return {el: copy, box: inner, cell: cell};
  }

  // The part of a splittable block (a table's rows, a list's items) that can be spread over pages, or null: the
  // block itself when it is a table or list, else the table or list inside it that holds most of its text (the
  // block is off the page here, so it has no height to compare).
  function parts(block) {
    var main = block.matches("table, ul, ol") ? block : null;
    if (!main) {
      var total = block.textContent.length;
      Array.prototype.slice.call(block.querySelectorAll("table, ul, ol")).some(function (el) {
        if (el.textContent.length > 0.5 * total) { main = el; return true; }
        return false;
      });
    }
    if (!main) return null;
    var path = [];  // where the table or list sits in the block, to find it again in a copy
    for (var el = main; el !== block; el = el.parentElement) {
      path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
    }
    function find(copy) {
      return path.reduce(function (node, i) { return node.children[i]; }, copy);
    }
    if (main.matches("table")) {
      if (main.tBodies.length !== 1 || main.tBodies[0].rows.length < 2) return null;
      return {holder: function (copy) { return find(copy).tBodies[0]; }, items: Array.prototype.slice.call(main.tBodies[0].rows)};
    }
    if (main.children.length < 2) return null;
    return {holder: find, items: Array.prototype.slice.call(main.children), ordered: main.matches("ol")};
  }

  function paginate(leaf, width, limit) {
    var heading = leaf.querySelector("h1, h2, h3");
    var headingText = heading ? heading.textContent.replace(/\u00b6/g, "").trim() : "";
    var notes = Array.prototype.slice.call(leaf.querySelectorAll(":scope > aside.notes"));
    var cells = Array.prototype.slice.call(leaf.children).filter(function (c) { return notes.indexOf(c) < 0; });
    var blocks = [];
    cells.forEach(function (c) { blocks = blocks.concat(blocksOf(c)); });
    cells.forEach(function (c) { leaf.removeChild(c); });

    var pages = [leaf];
    var page = {el: leaf, shell: null, visuals: 0, count: 0};
    layout(leaf, width);

    function newPage() {
      var el = document.createElement("section");
      el.className = "aireg-continued";
      pages[pages.length - 1].after(el);
      pages.push(el);
      layout(el, width);
      if (headingText) {
        var p = document.createElement("p");
        p.className = "aireg-continued-title";
        p.textContent = headingText + " (continued)";
        el.appendChild(p);
      }
      page = {el: el, shell: null, visuals: 0, count: 0};
    }

    function put(item) {
      if (!item.cell) {
        page.el.appendChild(item.block);
        page.shell = null;
        return;
      }
      if (!page.shell || page.shell.cell !== item.cell) {
        page.shell = shell(item.cell, item.box);
        page.el.appendChild(page.shell.el);
      }
      page.shell.box.appendChild(item.block);
    }

    function take(item) {
      var el = item.block;
      if (el.parentNode) el.parentNode.removeChild(el);
      if (page.shell && !page.shell.box.firstChild) {
        page.el.removeChild(page.shell.el);
        page.shell = null;
      }
    }

    function fits() { return page.el.scrollHeight <= limit; }

    // Put the block on the current page; keep it there if the page still fits, else take it back.
    function tryPut(item, visual) {
      put(item);
      if (fits()) {
        page.count += 1;
        if (visual) page.visuals += 1;
        return true;
      }
      take(item);
      return false;
    }

    function place(item) {
      var visual = isVisual(item.block);
      if (visual && page.visuals > 0) newPage();
      if (tryPut(item, visual)) return;
      if (page.count > 0) {
        newPage();
        if (tryPut(item, visual)) return;
      }
      // Alone on a page and still too tall: split it, or scale it down.
      var split = parts(item.block);
      if (split) {
        spread(item, split);
        return;
      }
      put(item);
      var over = page.el.scrollHeight - limit;
      var own = item.block.getBoundingClientRect().height;
      if (over > 0 && own > 0) shrink(item.block, Math.max(0.3, (own - over) / own), own);
      page.count += 1;
      if (visual) page.visuals += 1;
    }

    // Scale a block down inside a box of its scaled height. A CSS transform leaves the block's own layout (and
    // a chart's width, which plotly re-measures on resize) as it was; zoom would make a chart redraw bigger.
    function shrink(block, k, own) {
      var box = document.createElement("div");
      box.className = "aireg-shrunk";
      box.style.height = Math.ceil(own * k) + "px";
      box.style.overflow = "hidden";
      block.parentNode.insertBefore(box, block);
      box.appendChild(block);
      block.style.transform = "scale(" + k + ")";
      block.style.transformOrigin = "top left";
      block.style.width = (100 / k) + "%";
    }

    // A table or list over several pages: copies of the block, each holding the rows (items) that fit.
    function spread(item, split) {
      var original = item.block;
      split.items.forEach(function (r) { r.parentNode.removeChild(r); });
      var done = 0;
      var copy = null;
      var holder = null;
      function start() {
        copy = original.cloneNode(true);
        copy.removeAttribute("id");
        holder = split.holder(copy);
        if (split.ordered) holder.setAttribute("start", String(done + 1));
        put({block: copy, cell: item.cell, box: item.box});
      }
      start();
      split.items.forEach(function (row) {
        holder.appendChild(row);
        if (fits() || holder.children.length === 1) {
          done += 1;
          return;
        }
        holder.removeChild(row);
        page.count += 1;
        newPage();
        start();
        holder.appendChild(row);
        done += 1;
      });
      page.count += 1;
    }

    blocks.forEach(place);
    notes.forEach(function (n) { leaf.appendChild(n); });
    pages.forEach(release);
    return pages;
  }

  window.aiFitSlides = function (width, height, margin) {
    var limit = height - 2 * (margin === undefined ? 20 : margin);
    var root = document.querySelector(".reveal .slides");
    if (!root) return 0;
    var added = 0;
    Array.prototype.slice.call(root.children).forEach(function (top) {
      if (top.tagName !== "SECTION") return;
      var subs = Array.prototype.slice.call(top.querySelectorAll(":scope > section"));
      var leaves = subs.length ? subs : [top];
      if (subs.length) layout(top, width);  // a stack's slides are laid out only when it is
      leaves.forEach(function (leaf) {
        layout(leaf, width);
        var tall = leaf.scrollHeight > limit;
        var visuals = Array.prototype.slice.call(leaf.querySelectorAll(".jp-OutputArea-child, .jp-Cell")).filter(function (b) {
          return b.matches(".jp-OutputArea-child") && isVisual(b);
        }).length;
        release(leaf);
        if (!tall && visuals < 2) return;
        if (leaf === top) {  // a single slide becomes a vertical stack of its pages
          var stack = document.createElement("section");
          top.parentNode.replaceChild(stack, top);
          stack.appendChild(top);
          layout(stack, width);
          top = stack;
        }
        added += paginate(leaf, width, limit).length - 1;
      });
      release(top);
    });
    return added;
  };
})();
