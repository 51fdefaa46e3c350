/* The map of events: plotly scattergeo over Natural Earth outlines served by this server
   (/static/topojson/world_110m.json), so it draws with no network. Data comes from the page's
   JSON twin (data-src): one point per place and quad class, sized by its events; clicking a
   point opens its evidence. Text goes into the chart only as data, never as markup. */
(function () {
  'use strict';

  var COLOURS = {1: '#1565c0', 2: '#2e7d32', 3: '#ef6c00', 4: '#c62828'};
  var NAMES = {1: 'verbal cooperation', 2: 'material cooperation', 3: 'verbal conflict', 4: 'material conflict'};

  function say(el, text) {
    var note = document.createElement('p');
    note.className = 'muted chart-note';
    note.textContent = text;
    el.replaceChildren(note);
  }

  function plain(text) {
    // plotly renders a few HTML tags in hover labels: keep the words, drop anything tag-like
    return String(text === null || text === undefined ? '' : text).replace(/[<>&]/g, ' ');
  }

  function draw(el, page) {
    var clusters = page.clusters || [];
    el.dataset.points = String(clusters.length);
    if (!clusters.length) {
      say(el, 'No event with a place matches these filters.');
      el.classList.add('drawn', 'empty');
      return Promise.resolve();
    }
    if (typeof Plotly === 'undefined') {
      say(el, 'The chart library is not available on this server; the places are in the JSON twin.');
      return Promise.resolve();
    }
    var traces = [1, 2, 3, 4].map(function (q) {
      var mine = clusters.filter(function (c) { return c.quad_class === q; });
      return {
        type: 'scattergeo', mode: 'markers', name: NAMES[q],
        lat: mine.map(function (c) { return c.lat; }),
        lon: mine.map(function (c) { return c.lon; }),
        customdata: mine.map(function (c) { return c.url; }),
        text: mine.map(function (c) {
          return plain(c.place) + (c.country ? ' (' + plain(c.country) + ')' : '') + ': ' + c.events +
            ' event' + (c.events === 1 ? '' : 's') + (c.latest ? ', latest ' + plain(c.latest) : '');
        }),
        hovertemplate: '%{text}<extra>' + NAMES[q] + '</extra>',
        marker: {color: COLOURS[q], opacity: 0.75, line: {color: '#ffffff', width: 0.5},
                 size: mine.map(function (c) { return Math.min(40, 7 + 4 * Math.sqrt(c.events)); })}
      };
    }).filter(function (t) { return t.lat.length > 0; });
    var layout = {
      height: 520, margin: {l: 0, r: 0, t: 0, b: 0}, showlegend: true, legend: {orientation: 'h', y: 0},
      geo: {scope: 'world', resolution: 110, projection: {type: 'natural earth'}, showcountries: true,
            lonaxis: {range: [-180, 180]}, lataxis: {range: [-58, 85]},
            countrycolor: '#9e9e9e', showland: true, landcolor: '#f3f1ea', showocean: true, oceancolor: '#e8f1f8',
            showlakes: false, coastlinecolor: '#9e9e9e'}
    };
    var config = {displayModeBar: false, responsive: true, topojsonURL: '/static/topojson/'};
    el.replaceChildren();
    return Plotly.newPlot(el, traces, layout, config).then(function () {
      el.on('plotly_click', function (event) {
        var url = event && event.points && event.points[0] && event.points[0].customdata;
        if (typeof url === 'string' && url.charAt(0) === '/') { window.location.assign(url); }
      });
      el.classList.add('drawn');
    });
  }

  function start() {
    document.querySelectorAll('.event-map[data-src]').forEach(function (el) {
      fetch(el.dataset.src, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
        .then(function (response) {
          if (!response.ok) { throw new Error('HTTP ' + response.status); }
          return response.json();
        })
        .then(function (page) { return draw(el, page); })
        .catch(function (err) {
          say(el, 'The map could not be drawn (' + err.message + ').');
          el.classList.add('failed');
        });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
