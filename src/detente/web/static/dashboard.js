/* Article page: hovering, focusing or clicking a highlighted evidence span shows its events
   (source, type, target, rule, confidence). The cards are server-rendered and escaped; this
   script only clones them, it never builds HTML from text. */
(function () {
  'use strict';

  function start() {
    var text = document.getElementById('article-text');
    var pop = document.getElementById('popover');
    if (!text || !pop) { return; }
    var pinned = null;

    function idsOf(mark) {
      return (mark.dataset.events || '').split(' ').filter(Boolean);
    }

    function mark(ids, on) {
      ids.forEach(function (id) {
        var card = document.getElementById('ev-' + id);
        if (card) { card.classList.toggle('selected', on); }
      });
    }

    function show(target) {
      var ids = idsOf(target);
      pop.replaceChildren();
      ids.forEach(function (id) {
        var card = document.getElementById('ev-' + id);
        if (!card) { return; }
        var copy = card.cloneNode(true);
        copy.removeAttribute('id');
        copy.classList.remove('selected');
        pop.appendChild(copy);
      });
      var box = target.getBoundingClientRect();
      pop.style.top = (window.scrollY + box.bottom + 6) + 'px';
      pop.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + window.innerWidth - 440)) + 'px';
      pop.hidden = false;
      document.querySelectorAll('mark.ev.active').forEach(function (m) { m.classList.remove('active'); });
      document.querySelectorAll('.event-card.selected').forEach(function (c) { c.classList.remove('selected'); });
      target.classList.add('active');
      mark(ids, true);
    }

    function hide() {
      pop.hidden = true;
      document.querySelectorAll('mark.ev.active').forEach(function (m) { m.classList.remove('active'); });
    }

    text.addEventListener('mouseover', function (e) {
      var m = e.target.closest('mark.ev');
      if (m && !pinned) { show(m); }
    });
    text.addEventListener('mouseout', function (e) {
      var m = e.target.closest('mark.ev');
      if (m && !pinned && !m.contains(e.relatedTarget)) { hide(); }
    });
    text.addEventListener('focusin', function (e) {
      var m = e.target.closest('mark.ev');
      if (m) { show(m); }
    });
    text.addEventListener('click', function (e) {
      var m = e.target.closest('mark.ev');
      if (!m) { return; }
      e.preventDefault();
      pinned = m;
      show(m);
      pop.dataset.pinned = '1';
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { pinned = null; delete pop.dataset.pinned; hide(); }
    });
    document.addEventListener('click', function (e) {
      if (pinned && !e.target.closest('mark.ev') && !pop.contains(e.target)) {
        pinned = null;
        delete pop.dataset.pinned;
        hide();
      }
    });
    document.querySelectorAll('.event-card[data-event]').forEach(function (card) {
      card.addEventListener('mouseenter', function () {
        text.querySelectorAll('mark.ev').forEach(function (m) {
          m.classList.toggle('linked', idsOf(m).indexOf(card.dataset.event) >= 0);
        });
      });
      card.addEventListener('mouseleave', function () {
        text.querySelectorAll('mark.ev.linked').forEach(function (m) { m.classList.remove('linked'); });
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
