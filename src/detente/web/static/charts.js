/* Dyad timelines: cooperation against conflict, the Goldstein line and the escalation index.
   Data comes from the page's JSON twin (data-src); nothing here touches article text. */
(function () {
  'use strict';

  var requests = {};

  function load(url) {
    if (!requests[url]) {
      requests[url] = fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
        .then(function (response) {
          if (!response.ok) { throw new Error('HTTP ' + response.status); }
          return response.json();
        });
    }
    return requests[url];
  }

  function column(points, name, sign) {
    return points.map(function (p) {
      var v = p[name];
      return v === null || v === undefined ? null : sign * Number(v);
    });
  }

  function say(el, text) {
    var note = document.createElement('p');
    note.className = 'muted chart-note';
    note.textContent = text;
    el.replaceChildren(note);
  }

  function draw(el, page) {
    var points = (page.report && page.report.series && page.report.series[el.dataset.series]) || [];
    var withEvents = points.filter(function (p) { return p.events > 0; }).length;
    el.dataset.points = String(withEvents);
    el.dataset.periods = String(points.length);
    if (!points.length) {
      say(el, 'No dated real events in this direction.');
      el.classList.add('drawn', 'empty');
      return Promise.resolve();
    }
    if (typeof Plotly === 'undefined') {
      say(el, 'The chart library is not available on this server; the numbers are in the JSON twin.');
      return Promise.resolve();
    }
    var x = points.map(function (p) { return p.period; });
    var freq = (page.report && page.report.freq) || page.freq || 'W';
    // Periods are days, weeks or months: ticks fall on whole periods (never "12:00") and read as dates.
    var step = Math.max(1, Math.ceil(points.length / 8));
    var format = freq === 'M' ? '%b %Y' : '%d %b %Y';
    var xaxis = {type: 'date', tickformat: format, hoverformat: format, tick0: x[0], tickangle: 0,
                 dtick: freq === 'M' ? 'M' + step : (freq === 'W' ? 7 : 1) * step * 86400000};
    var traces = [
      {type: 'bar', name: 'cooperation', x: x, y: column(points, 'cooperation', 1),
       marker: {color: '#2e7d32'}, hovertemplate: '%{x}<br>cooperation %{y:.1f}<extra></extra>'},
      {type: 'bar', name: 'conflict', x: x, y: column(points, 'conflict', -1),
       marker: {color: '#c62828'}, hovertemplate: '%{x}<br>conflict %{y:.1f}<extra></extra>'},
      {type: 'scatter', mode: 'lines+markers', name: 'Goldstein sum', x: x, y: column(points, 'goldstein_sum', 1),
       line: {color: '#37474f', width: 1.5}, marker: {size: 4}},
      {type: 'scatter', mode: 'lines+markers', name: 'escalation index', x: x,
       y: column(points, 'escalation_index', 1), yaxis: 'y2', connectgaps: false,
       line: {color: '#ef6c00', dash: 'dash', width: 1.5}, marker: {size: 4}}
    ];
    var layout = {
      barmode: 'relative', height: 320, margin: {l: 56, r: 56, t: 8, b: 40},
      legend: {orientation: 'h', y: -0.18}, hovermode: 'x unified', xaxis: xaxis,
      yaxis: {title: {text: 'Goldstein × confidence'}, zeroline: true, tickformat: '~r'},
      // The index reads in usual swings: whole or half numbers, never "1.651".
      yaxis2: {title: {text: 'escalation index'}, overlaying: 'y', side: 'right', showgrid: false, zeroline: false,
               tickformat: '.1~f', nticks: 6},
      // The threshold (index 2) sits behind the bars, not across them.
      shapes: [{type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y2', y0: 2, y1: 2, layer: 'below',
                line: {color: '#ef6c00', width: 1, dash: 'dot'}}]
    };
    el.replaceChildren();
    return Plotly.newPlot(el, traces, layout, {displayModeBar: false, responsive: true}).then(function () {
      el.classList.add('drawn');
    });
  }

  function start() {
    document.querySelectorAll('.dyad-chart[data-src]').forEach(function (el) {
      load(el.dataset.src).then(function (page) { return draw(el, page); }).catch(function (err) {
        say(el, 'The chart could not be drawn (' + err.message + ').');
        el.classList.add('failed');
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
