// Warns – never refuses – when a chosen session's room does not have what the person asks for (a hearing loop, a
// wheelchair place). Each session's radio carries data-warn-NEED="what to say" for each need its room does not meet;
// the warnings go into #room-warnings, a polite live region, so a screen reader hears them as choices change. Without
// this script the room's facts stand beside each session, and the server shows the same warnings when the form comes
// back.
(function () {
  'use strict';

  var region = document.getElementById('room-warnings');
  if (!region) {
    return;
  }
  var form = region.closest('form');
  if (!form) {
    return;
  }

  function update() {
    var texts = [];
    form.querySelectorAll('input[type="radio"]:checked').forEach(function (radio) {
      form.querySelectorAll('input[type="checkbox"][name^="need."]:checked').forEach(function (need) {
        var text = radio.getAttribute('data-warn-' + need.name.substring(5));
        if (text && texts.indexOf(text) < 0) {
          texts.push(text);
        }
      });
    });
    var shown = Array.prototype.map.call(region.querySelectorAll('li'), function (li) { return li.textContent; });
    if (shown.join('\n') === texts.join('\n')) {
      return;  // nothing new to announce
    }
    region.textContent = '';
    if (texts.length === 0) {
      return;
    }
    var box = document.createElement('div');
    box.className = 'notice notice-warning';
    var list = document.createElement('ul');
    list.className = 'plain';
    texts.forEach(function (text) {
      var item = document.createElement('li');
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
    region.appendChild(box);
  }

  form.addEventListener('change', update);
})();
