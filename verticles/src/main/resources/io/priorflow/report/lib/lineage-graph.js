// priorflow's lineage graph: cytoscape.js with the dagre layered layout, left to right, one box per generation
// (click a generation's box to collapse or expand it), zoom with the wheel, pan by dragging the background, "fit"
// to see it all. Actor edges (labelling, filtering) are hidden unless asked for: every generation uses the same
// actors, and their edges would cross everything. Data: the JSON in #pf-lineage-data, one graph per run.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('pf-lineage-data').textContent);
  var box = document.getElementById('pf-lineage');
  var info = document.getElementById('pf-lineage-info');
  var select = document.getElementById('pf-lineage-run');
  var actors = document.getElementById('pf-lineage-actors');
  var cy = null;
  var layout = { name: 'dagre', rankDir: 'LR', nodeSep: 14, rankSep: 60, edgeSep: 6, padding: 16,
    animate: false, fit: true };
  var style = [
    { selector: 'node', style: { 'shape': 'round-rectangle', 'width': 150, 'height': 38, 'label': 'data(label)',
      'text-wrap': 'wrap', 'text-max-width': 140, 'text-valign': 'center', 'text-halign': 'center',
      'font-size': 10, 'font-family': 'sans-serif', 'border-width': 1, 'border-color': '#718096' } },
    { selector: 'node.model', style: { 'background-color': '#ebf4ff', 'border-width': 4,
      'border-color': 'data(color)', 'height': 44 } },
    { selector: 'node.dataset', style: { 'background-color': '#fffbea' } },
    { selector: 'node.actor', style: { 'background-color': '#f0fff4', 'shape': 'ellipse', 'width': 120 } },
    { selector: 'node.group', style: { 'shape': 'round-rectangle', 'background-color': '#f7fafc',
      'background-opacity': 0.6, 'border-color': '#cbd5e0', 'label': 'data(label)', 'text-valign': 'top',
      'text-halign': 'center', 'font-size': 13, 'font-weight': 'bold', 'padding': 12, 'color': '#2d3748' } },
    { selector: 'node.group.collapsed', style: { 'width': 120, 'height': 60, 'background-color': '#e2e8f0',
      'text-valign': 'center' } },
    { selector: 'node:selected', style: { 'border-color': '#1a202c', 'border-width': 3 } },
    { selector: 'edge', style: { 'width': 1.5, 'curve-style': 'bezier', 'line-color': 'data(color)',
      'target-arrow-color': 'data(color)', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'opacity': 0.85 } },
    { selector: 'edge.dashed', style: { 'line-style': 'dashed' } },
    { selector: 'edge.actor', style: { 'width': 1, 'opacity': 0.35 } },
    { selector: '.hidden', style: { 'display': 'none' } }
  ];

  function elements(g) {
    var out = [];
    g.groups.forEach(function (x) { out.push({ group: 'nodes', data: x, classes: 'group' }); });
    g.nodes.forEach(function (x) { out.push({ group: 'nodes', data: x, classes: x.kind }); });
    g.edges.forEach(function (x) {
      out.push({ group: 'edges', data: x, classes: (x.dashed ? 'dashed' : '') + (x.actor ? ' actor' : '') });
    });
    return out;
  }

  function relayout() {
    cy.elements().not('.hidden').layout(layout).run();
  }

  function showActors() {
    var on = actors.checked;
    cy.edges('.actor').toggleClass('hidden', !on);
    cy.nodes('.actor').toggleClass('hidden', !on);
    relayout();
  }

  function toggle(group) {
    var collapse = !group.hasClass('collapsed');
    group.toggleClass('collapsed', collapse);
    group.children().toggleClass('hidden', collapse);
    relayout();
  }

  function show(i) {
    if (cy) { cy.destroy(); }
    cy = cytoscape({ container: box, elements: elements(data.runs[i]), style: style, layout: { name: 'preset' },
      wheelSensitivity: 0.25, minZoom: 0.05, maxZoom: 3 });
    cy.on('tap', 'node.group', function (e) { toggle(e.target); });
    cy.on('tap', 'node[tip]', function (e) { info.textContent = e.target.data('tip'); });
    cy.on('tap', 'edge', function (e) { info.textContent = e.target.data('tip'); });
    showActors();
    window.pfLineage = cy;
  }

  document.getElementById('pf-lineage-fit').addEventListener('click', function () { cy.fit(undefined, 16); });
  document.getElementById('pf-lineage-collapse').addEventListener('click', function () {
    cy.nodes('.group').forEach(function (g) { if (!g.hasClass('collapsed')) { toggle(g); } });
  });
  document.getElementById('pf-lineage-expand').addEventListener('click', function () {
    cy.nodes('.group').forEach(function (g) { if (g.hasClass('collapsed')) { toggle(g); } });
  });
  actors.addEventListener('change', showActors);
  if (select) { select.addEventListener('change', function () { show(select.selectedIndex); }); }
  show(0);
})();
