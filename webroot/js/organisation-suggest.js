// Type-ahead for an organisation's name (WAI-ARIA combobox with a list box). The field stays an ordinary text field:
// without this script the person picks from the list above it or types the name, and a typed name that an organisation
// already has (in any letter case) is that organisation. With it, typing two letters or more asks the public list for
// names like it ("DHR Halland" finds "DHR Region Halland"); arrow keys move through the suggestions, Enter takes one
// (its exact name goes into the field), Escape closes the list; a polite live region says how many there are.
(function () {
  'use strict';

  document.querySelectorAll('input[data-suggest]').forEach(function (input, n) {
    var source = input.getAttribute('data-suggest');
    var listId = input.id + '-suggestions';
    var list = document.createElement('ul');
    list.id = listId;
    list.className = 'suggestions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', input.getAttribute('data-suggest-label') || '');
    list.hidden = true;
    var status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('aria-live', 'polite');
    input.insertAdjacentElement('afterend', status);
    input.insertAdjacentElement('afterend', list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    input.setAttribute('autocomplete', 'off');

    var active = -1;
    var timer = null;
    var asked = 0;

    function options() {
      return list.querySelectorAll('[role="option"]');
    }

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (all.length === 0) {
        return;
      }
      active = (index + all.length) % all.length;
      all.forEach(function (o, i) {
        o.setAttribute('aria-selected', i === active ? 'true' : 'false');
      });
      input.setAttribute('aria-activedescendant', all[active].id);
      all[active].scrollIntoView({ block: 'nearest' });
    }

    function choose(option) {
      input.value = option.textContent;
      close();
      status.textContent = input.getAttribute('data-suggest-chosen').replace('{0}', option.textContent);
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }

    function show(names) {
      list.textContent = '';
      names.forEach(function (name, i) {
        var li = document.createElement('li');
        li.id = listId + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = name;
        // mousedown, not click: it comes before the field loses focus.
        li.addEventListener('mousedown', function (e) {
          e.preventDefault();
          choose(li);
        });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute('aria-activedescendant');
      if (names.length === 0) {
        close();
        status.textContent = input.getAttribute('data-suggest-none');
        return;
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = input.getAttribute('data-suggest-some').replace('{0}', names.length);
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2) {
        close();
        list.textContent = '';
        return;
      }
      var mine = ++asked;
      fetch(source + '?q=' + encodeURIComponent(q), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { organisations: [] }; })
        .then(function (body) {
          if (mine !== asked) {
            return;  // an answer to an older question
          }
          show((body.organisations || []).slice(0, 8).map(function (o) { return o.name; })
            .filter(function (name) { return name.toLowerCase() !== q.toLowerCase(); }));
        })
        .catch(function () { close(); });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (list.hidden && options().length > 0) {
          list.hidden = false;
          input.setAttribute('aria-expanded', 'true');
        }
        if (!list.hidden) {
          e.preventDefault();
          highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
        }
      } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
        e.preventDefault();  // takes the suggestion; the form is sent with the next Enter
        choose(options()[active]);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', function () {
      setTimeout(close, 100);
    });
  });
})();
