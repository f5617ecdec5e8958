// GOV.UK's conditional reveal for the needs of the sign-up and change forms: a need's detail box shows once its
// need is ticked, so a person tabs past three boxes they do not need. Without this script every box shows (and the
// server asks for the tick when a box has text without one). A box with text, or with an error, stays in view
// whatever the tick says: nothing typed is ever hidden.
(function () {
  'use strict';

  document.querySelectorAll('input[type="checkbox"][data-reveals]').forEach(function (box) {
    var conditional = document.getElementById(box.getAttribute('data-reveals'));
    if (!conditional) {
      return;
    }
    var field = conditional.querySelector('textarea, input');
    box.setAttribute('aria-controls', conditional.id);
    function update() {
      var typed = field && field.value.trim() !== '';
      conditional.hidden = !(box.checked || typed || conditional.classList.contains('has-error'));
    }
    box.addEventListener('change', update);
    update();
  });
})();
