/* The claims report: renders the inline JSON as cards, a page at a time, with filters.
   Every text from the data is written with textContent, never parsed as HTML. */
"use strict";
(function () {
  var PAGE = 40;            // cards added at a time: 5,000 claims never become 5,000 cards at once
  var MENTIONS_SHOWN = 24;  // mentions shown per card before "show all"
  var STANCE_SIGN = { favor: "\u2714 ", against: "\u2718 ", neutral: "\u25CF " };
  var data = JSON.parse(document.getElementById("claims-data").textContent);
  var claims = data.claims || [];
  var articles = data.articles || {};
  var byId = {};
  var state = { list: [], shown: 0 };

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function num(n) { return Number(n).toLocaleString("en"); }
  function fixed(x) { return x === null || x === undefined ? "n/a" : Number(x).toFixed(3); }
  function plural(n, word) { return num(n) + " " + word + (n === 1 ? "" : "s"); }
  function stanceBadge(stance) {
    var name = stance || "none";
    return el("span", "stance stance-" + name, (STANCE_SIGN[name] || "") + (stance || "no stance"));
  }

  // What filters and orders read, computed once per claim.
  claims.forEach(function (c, i) {
    var speakers = {}, outlets = {}, dates = [], words = [c.id];
    var best = c.mentions[0];
    c.mentions.forEach(function (m) {
      if (m.speaker) speakers[m.speaker] = true;
      outlets[m.outlet] = true;
      if (m.date) dates.push(m.date);
      words.push(m.text, m.speaker || "", m.outlet, m.article);
      if (m.score !== null && (best.score === null || m.score > best.score)) best = m;
    });
    dates.sort();
    c._rank = i;
    c._speakers = speakers;
    c._outlets = outlets;
    c._last = dates.length ? dates[dates.length - 1] : "";
    c._first = dates.length ? dates[0] : "";
    c._text = fold(words.join(" \u0001 "));
    c._lead = best;
    byId[c.id] = c;
  });

  function fillSelect(id, counts) {
    var select = document.getElementById(id);
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); })
      .forEach(function (name) {
        var option = el("option", null, name + " (" + counts[name] + ")");
        option.value = name;
        select.appendChild(option);
      });
  }
  function countKeys(key) {
    var counts = {};
    claims.forEach(function (c) { Object.keys(c[key]).forEach(function (k) { counts[k] = (counts[k] || 0) + 1; }); });
    return counts;
  }

  function matches(c, f) {
    if (f.disputed && !c.disputes) return false;
    if (f.speaker && !c._speakers[f.speaker]) return false;
    if (f.outlet && !c._outlets[f.outlet]) return false;
    for (var i = 0; i < f.words.length; i++) if (c._text.indexOf(f.words[i]) < 0) return false;
    return true;
  }
  var ORDERS = {
    widespread: function (a, b) { return a._rank - b._rank; },
    disputed: function (a, b) { return b.disputes - a.disputes || a._rank - b._rank; },
    recent: function (a, b) { return a._last < b._last ? 1 : a._last > b._last ? -1 : a._rank - b._rank; }
  };
  function currentFilters() {
    return {
      words: fold(document.getElementById("f-text").value).split(/\s+/).filter(Boolean),
      speaker: document.getElementById("f-speaker").value,
      outlet: document.getElementById("f-outlet").value,
      disputed: document.getElementById("f-disputed").checked,
      order: document.getElementById("f-order").value
    };
  }

  function linkDetails(m) {
    var details = el("details", "why");
    details.appendChild(el("summary", null, "why it matched"));
    var dl = el("dl");
    function row(term, value) {
      if (value === null || value === undefined || value === "") return;
      dl.appendChild(el("dt", null, term));
      dl.appendChild(el("dd", null, value));
    }
    row("cosine to the claim", fixed(m.score));
    var link = m.link;
    if (link) {
      if (link.partner) row("closest mention elsewhere", link.partner.article + " \u00b7 sentence " + link.partner.index);
      row("pair score", fixed(link.score) + " (meaning: cosine " + fixed(link.cosine) + ", wording: TF-IDF " + fixed(link.lexical) + ")");
      row("shared words", (link.shared_words || []).join(", "));
      row("shared entities", (link.shared_entities || []).join(", "));
      row("shared figures", (link.shared_figures || []).join(", "));
    } else {
      row("link", "attached as a restatement within its article");
    }
    if (m.cue) row("reporting cue", m.cue + " (" + m.quote + " quote)");
    details.appendChild(dl);
    return details;
  }

  function mentionItem(m) {
    var li = el("li", "mention");
    var who = el("div", "who");
    who.appendChild(m.speaker ? el("span", "speaker", m.speaker) : el("span", "narration", "narration (no speaker)"));
    who.appendChild(stanceBadge(m.stance));
    var art = articles[m.article] || {};
    who.appendChild(el("span", "ref", m.article + " #" + m.index + (art.title ? " \u2014 " + art.title : "")));
    li.appendChild(who);
    li.appendChild(el("p", "text", m.text));
    li.appendChild(linkDetails(m));
    return li;
  }

  function mentionGroups(mentions) {
    var groups = {}, keys = [];
    mentions.forEach(function (m) {
      var key = (m.date || "\uffff") + "\u0001" + m.outlet;  // undated last
      if (!groups[key]) { groups[key] = []; keys.push(key); }
      groups[key].push(m);
    });
    keys.sort();
    return keys.map(function (k) { return groups[k]; });
  }

  function renderMentions(box, mentions, limit) {
    box.textContent = "";
    var shown = mentions.slice(0, limit);
    mentionGroups(shown).forEach(function (ms) {
      var section = el("section", "outlet-group");
      section.appendChild(el("h4", null, ms[0].outlet + " \u00b7 " + (ms[0].date || "no date")));
      var ul = el("ul", "mentions");
      ms.forEach(function (m) { ul.appendChild(mentionItem(m)); });
      section.appendChild(ul);
      box.appendChild(section);
    });
    if (mentions.length > limit) {
      var more = el("button", "all-mentions", "show all " + num(mentions.length) + " mentions");
      more.type = "button";
      more.addEventListener("click", function () { renderMentions(box, mentions, mentions.length); });
      box.appendChild(more);
    }
  }

  function comparisonBlock(c) {
    var cmp = c.comparison;
    var box = el("div", "comparison");
    if (!cmp) return box;
    var stances = el("p", "stances");
    ["favor", "against", "neutral"].forEach(function (s) {
      var n = (cmp.stances[s] || []).length;
      if (!n) return;
      stances.appendChild(stanceBadge(s));
      stances.appendChild(document.createTextNode(plural(n, "holder") + "  "));
    });
    if (stances.childNodes.length) box.appendChild(stances);
    var conflicts = cmp.figure_conflicts || [];
    if (conflicts.length) {
      box.appendChild(el("h4", null, "Figures that differ"));
      var ul = el("ul", "conflicts");
      conflicts.forEach(function (f) {
        var li = el("li");
        li.appendChild(el("span", null, f.slot + ": " + f.text_a + " (" + f.article_a + ")"));
        li.appendChild(el("span", "ne", "\u2260"));
        li.appendChild(el("span", null, f.text_b + " (" + f.article_b + ")"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    var speakers = Object.keys(cmp.speakers || {});
    if (speakers.length) {
      box.appendChild(el("p", "muted", "Speakers: " + speakers.map(function (s) {
        return s + " (" + plural(cmp.speakers[s].length, "article") + ")";
      }).join(", ")));
    }
    return box;
  }

  function card(c) {
    var node = el("article", "card" + (c.disputes ? " disputed" : ""));
    node.setAttribute("data-claim", c.id);
    var head = el("div", "card-head");
    head.appendChild(el("span", "claim-id", c.id));
    var badges = el("div", "badges");
    badges.appendChild(el("span", "badge", plural(c.articles.length, "article")));
    badges.appendChild(el("span", "badge", plural(c.mentions.length, "mention")));
    if (c._first) badges.appendChild(el("span", "badge", c._first === c._last ? c._first : c._first + " \u2192 " + c._last));
    if (c.disputes) badges.appendChild(el("span", "badge alert", "disputed (" + c.disputes + ")"));
    head.appendChild(badges);
    node.appendChild(head);
    node.appendChild(el("h3", "claim-text", c._lead.text));
    node.appendChild(comparisonBlock(c));
    var box = el("div", "mention-list");
    renderMentions(box, c.mentions, MENTIONS_SHOWN);
    node.appendChild(box);
    return node;
  }

  function appendPage() {
    var cards = document.getElementById("cards");
    var fragment = document.createDocumentFragment();
    var end = Math.min(state.shown + PAGE, state.list.length);
    for (var i = state.shown; i < end; i++) fragment.appendChild(card(state.list[i]));
    cards.appendChild(fragment);
    state.shown = end;
    var more = document.getElementById("more");
    more.hidden = state.shown >= state.list.length;
    document.getElementById("status").textContent = state.list.length
      ? "Showing " + num(state.shown) + " of " + plural(state.list.length, "claim") +
        (state.list.length < claims.length ? " (" + num(claims.length) + " in all)" : "")
      : "No claim matches these filters (" + num(claims.length) + " in all).";
  }

  function applyFilters() {
    var f = currentFilters();
    state.list = claims.filter(function (c) { return matches(c, f); }).sort(ORDERS[f.order] || ORDERS.widespread);
    state.shown = 0;
    document.getElementById("cards").textContent = "";
    appendPage();
    renderFacts(f);
  }

  function versionBox(v, first) {
    var box = el("div", "version" + (first ? " first" : ""));
    box.appendChild(el("div", "when", (v.first_date || v.date || "no date") + (first ? " \u00b7 first" : "")));
    var value = v.label || [v.qualifier, v.value, v.unit].filter(function (x) {
      return x !== null && x !== undefined && x !== "";
    }).join(" ");
    if (value) box.appendChild(el("div", "value", value));
    var mentions = v.mentions || [];
    if (!mentions.length && (v.text || v.article)) mentions = [v];
    mentions.forEach(function (m) {
      var who = [m.source || m.outlet || (articles[m.article] || {}).outlet, m.date, m.time, m.speaker || "narration"]
        .filter(Boolean).join(" \u00b7 ");
      var item = el("div", "fact-mention");
      item.appendChild(el("div", "muted", who));
      if (m.stance) item.appendChild(stanceBadge(m.stance));
      if (m.text) item.appendChild(el("p", "text", m.text));
      box.appendChild(item);
    });
    return box;
  }

  function renderFacts(f) {
    var facts = data.facts;
    var section = document.getElementById("facts");
    if (!facts || !facts.length) { section.hidden = true; return; }
    var list = document.getElementById("fact-list");
    list.textContent = "";
    var shown = 0;
    facts.forEach(function (fact) {
      if (f.words.length) {
        var text = fold(JSON.stringify(fact));
        if (f.words.some(function (w) { return text.indexOf(w) < 0; })) return;
      }
      if (shown >= PAGE) return;
      shown++;
      var box = el("div", "fact");
      box.setAttribute("data-fact", fact.id || "");
      var head = el("div", "card-head");
      if (fact.id) head.appendChild(el("span", "claim-id", fact.id));
      head.appendChild(el("h3", null, fact.what || fact.label || "fact"));
      if (fact.kind) head.appendChild(el("span", "badge alert", fact.kind));
      box.appendChild(head);
      var versions = (fact.versions || []).map(function (v, i) { return { v: v, i: i }; });
      versions.sort(function (a, b) {
        var x = String(a.v.first_date || a.v.date || "\uffff"), y = String(b.v.first_date || b.v.date || "\uffff");
        return x < y ? -1 : x > y ? 1 : a.i - b.i;
      });
      var line = el("div", "timeline");
      versions.forEach(function (x) { line.appendChild(versionBox(x.v, x.i === fact.first)); });
      box.appendChild(line);
      var notes = (fact.differences || []).map(function (d) {
        var a = (fact.versions[d.a] || {}).label, b = (fact.versions[d.b] || {}).label;
        return a && b ? a + " / " + b + ": " + d.kind : null;
      }).filter(Boolean);
      if (notes.length) box.appendChild(el("p", "muted", "Differences: " + notes.join("; ")));
      if (fact.claims && fact.claims.length) box.appendChild(el("p", "muted", "Claims: " + fact.claims.join(", ")));
      list.appendChild(box);
    });
    section.hidden = shown === 0;
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(applyFilters, 150); }

  var settings = data.settings || {};
  var threshold = settings.threshold ? " \u00b7 threshold " + settings.threshold.value + " (" + settings.threshold.scale + ", " + settings.threshold.source + ")" : "";
  document.getElementById("summary").textContent = plural(claims.length, "claim") + " in " +
    plural(Object.keys(articles).length, "article") + " (" + plural(data.sentences || 0, "sentence") + ")" +
    (settings.model ? " \u00b7 model " + settings.model : "") + threshold +
    (data.generated ? " \u00b7 newest article " + data.generated : "");
  fillSelect("f-speaker", countKeys("_speakers"));
  fillSelect("f-outlet", countKeys("_outlets"));
  document.getElementById("f-text").addEventListener("input", later);
  ["f-speaker", "f-outlet", "f-disputed", "f-order"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", applyFilters);
  });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); applyFilters(); });
  document.getElementById("more").addEventListener("click", appendPage);
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; }) && state.shown < state.list.length) appendPage();
    }, { rootMargin: "400px" }).observe(document.getElementById("more"));
  }
  applyFilters();
})();
