// Small behaviours for every page, instead of inline event handlers (the
// Content-Security-Policy allows no inline script without the request's nonce).
(function () {
  "use strict";
  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm !== undefined) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    }
  });
  // <input data-select-on-focus>: select the whole value (e.g. a new API token) on click.
  document.addEventListener("click", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-select-on-focus")) {
      input.select();
    }
  });
})();
