/* Weft's own behaviour. The Content-Security-Policy forbids inline scripts
 * and inline event handlers, so pages declare behaviour with data attributes:
 *
 *   <select data-autosubmit>          submit the enclosing form on change
 *   <form data-confirm="Sure?">       ask before submitting (also on buttons)
 */
(function () {
  "use strict";

  function submitForm(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      submitForm(field.form);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // htmx: send the CSRF token with every non-GET request.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var value = cookie ? decodeURIComponent(cookie[1]) : token ? token.value : null;
    if (value && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = value;
    }
  });
})();
