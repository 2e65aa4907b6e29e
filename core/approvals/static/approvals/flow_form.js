/* Approval flow form: add step rows from the formset's empty form, and show
 * only the approver field that the chosen approver type needs. Loaded as a
 * static file (the CSP forbids inline scripts). */
(function () {
  "use strict";

  var FIELDS = { role: "role", manager: "manager_level", user: "user" };

  function wrapperOf(step, name) {
    var field = step.querySelector("[name$='-" + name + "']");
    return field ? field.closest(".mb-3") : null;
  }

  function sync(step) {
    var type = step.querySelector("select[name$='-assignee_type']");
    if (!type) {
      return;
    }
    Object.keys(FIELDS).forEach(function (key) {
      var wrapper = wrapperOf(step, FIELDS[key]);
      if (wrapper) {
        wrapper.classList.toggle("d-none", type.value !== "" && type.value !== key);
      }
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-assignee_type']")) {
      sync(event.target.closest("[data-step]"));
    }
  });

  document.querySelectorAll("form[data-step-formset]").forEach(function (form) {
    var prefix = form.getAttribute("data-step-formset");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = form.querySelector("template[data-step-template]");
    var list = form.querySelector("[data-step-list]");
    var button = form.querySelector("[data-add-step]");
    form.querySelectorAll("[data-step]").forEach(sync);
    if (!total || !template || !list || !button) {
      return;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      list.appendChild(row);
      total.value = String(index + 1);
      sync(row.querySelector("[data-step]"));
    });
  });
})();
