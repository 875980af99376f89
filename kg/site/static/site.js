// Static-site search: ranks the prebuilt index (search-index.js sets KG_INDEX) in the browser.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var box = document.getElementById("q");
  if (box) { box.value = q; }
  var list = document.getElementById("hits");
  var empty = document.getElementById("empty");
  if (!list || !q || !window.KG_INDEX) { return; }
  var words = q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
  var root = document.querySelector("link[rel=stylesheet]").getAttribute("href").replace(/site\.css$/, "");
  var hits = [];
  window.KG_INDEX.forEach(function (row) {
    var name = row[2].toLowerCase(), other = (row[3] || "").toLowerCase(), score = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (name === w) { score += 100; }
      else if (name.indexOf(w) === 0) { score += 30; }
      else if (name.indexOf(w) >= 0) { score += 10; }
      else if (other.indexOf(w) >= 0) { score += 2; }
      else { return; }
    }
    hits.push([score, row]);
  });
  hits.sort(function (a, b) { return b[0] - a[0] || (a[1][2] < b[1][2] ? -1 : 1); });
  hits.slice(0, 50).forEach(function (hit) {
    var row = hit[1], li = document.createElement("li"), kind = document.createElement("span");
    kind.className = "kind " + row[0].toLowerCase();
    kind.textContent = row[0];
    var a = document.createElement("a");
    a.href = root + row[1] + "/index.html";
    a.textContent = row[2];
    li.appendChild(kind); li.appendChild(document.createTextNode(" ")); li.appendChild(a);
    list.appendChild(li);
  });
  if (empty) { empty.hidden = hits.length > 0; }
}());
