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
  // File pickers (forms macro): show the chosen file names next to "Pilih berkas".
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") {
      return;
    }
    var shown = document.querySelector('[data-file-name-for="' + input.id + '"]');
    if (shown) {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      shown.textContent = names.length ? names.join(", ") : "Belum ada berkas dipilih";
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
