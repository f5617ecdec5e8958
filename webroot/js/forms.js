// Errors as the GOV.UK Design System shows them. Every page works without this script: the error summary has the
// autofocus attribute, and a field an anchor jumps to keeps room above it for its label (scroll-margin in the CSS).
// This script makes the same happen in every browser and puts the question itself in view:
//  - the error summary takes the focus when the page loads, so it is read out first;
//  - a link in the summary moves the focus to its field and scrolls the field's label – or, for a group of radio
//    buttons or checkboxes, the group's legend – into view, so the person sees what is asked.
(function () {
  'use strict';

  var summary = document.querySelector('.error-summary');
  if (!summary) {
    return;
  }
  if (document.activeElement === document.body || document.activeElement === null) {
    summary.focus();
  }

  // What to show above the field: the legend of its group (checkboxes, radio buttons, or a field inside a fieldset
  // whose legend is near), else its own label.
  function question(field) {
    var fieldset = field.closest('fieldset');
    var legend = fieldset && fieldset.querySelector('legend');
    if (legend) {
      var grouped = field.type === 'checkbox' || field.type === 'radio';
      var near = field.getBoundingClientRect().top - legend.getBoundingClientRect().top < window.innerHeight / 2;
      if (grouped || near) {
        return legend;
      }
    }
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    return label || field.closest('.field') || field;
  }

  summary.addEventListener('click', function (e) {
    var link = e.target.closest('a[href^="#"]');
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.getAttribute('href').substring(1)));
    if (!field) {
      return;
    }
    e.preventDefault();
    question(field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
