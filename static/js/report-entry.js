/* Report entry: checks KPI values while they are typed, so mistakes show beside the input
   before anything is sent. The server checks everything again and stays the authority;
   without this script the page works the same, with the server's messages only.
   Messages come translated from the form's data-msg-* attributes. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-report-entry]");
  if (!form) {
    return;
  }
  var msg = form.dataset;
  var summary = document.getElementById("entry-summary");

  function read(input) {
    if (input.tagName === "SELECT") {
      return input.value === "" ? { blank: true } : { value: Number(input.value) };
    }
    if (input.validity && input.validity.badInput) {
      return { bad: true };
    }
    var text = input.value.trim();
    if (text === "") {
      return { blank: true };
    }
    var value = Number(text);
    return isFinite(value) ? { value: value } : { bad: true };
  }

  function show(input, message) {
    var box = document.getElementById(input.id + "-error");
    if (!box) {
      return;
    }
    if (message) {
      box.textContent = message;
      box.hidden = false;
      input.setAttribute("aria-invalid", "true");
    } else if (input.dataset.edited || !box.dataset.server) {
      // A server message stays until its own input is changed.
      box.textContent = "";
      box.hidden = true;
      input.removeAttribute("aria-invalid");
    }
  }

  function checkRow(row) {
    var inputs = {};
    var values = {};
    var errors = {};
    Array.prototype.forEach.call(row.querySelectorAll("[data-field]"), function (input) {
      var name = input.dataset.field;
      inputs[name] = input;
      values[name] = read(input);
      if (values[name].bad) {
        errors[name] = msg.msgNumber;
      } else if (
        input.dataset.whole &&
        !values[name].blank &&
        (values[name].value < 0 || Math.floor(values[name].value) !== values[name].value)
      ) {
        errors[name] = msg.msgWhole;
      }
    });

    if (row.dataset.kind === "ratio") {
      var num = values.numerator;
      var den = values.denominator;
      if (!errors.numerator && !num.blank && num.value < 0) {
        errors.numerator = msg.msgNumeratorNegative;
      }
      if (!errors.denominator && !den.blank && den.value <= 0) {
        errors.denominator = msg.msgDenominator;
      }
      if (!num.blank && den.blank && !num.bad) {
        errors.denominator = errors.denominator || msg.msgDenominatorMissing;
      }
      if (num.blank && !den.blank && !den.bad) {
        errors.numerator = errors.numerator || msg.msgNumeratorMissing;
      }
    }

    if (row.dataset.kind === "sex") {
      var women = values.value_women;
      var men = values.value_men;
      if (!errors.value_women && !errors.value_men) {
        if (women.blank !== men.blank) {
          errors[women.blank ? "value_women" : "value_men"] = msg.msgBoth;
        }
        // A total other than women + men is saved and flagged by the server, not refused.
        // With the total left blank the server fills it: show what it will be.
        inputs.value.placeholder =
          !women.blank && !men.blank ? String(women.value + men.value) : inputs.value.dataset.hint;
      }
    }

    Object.keys(inputs).forEach(function (name) {
      show(inputs[name], errors[name]);
    });
    return Object.keys(errors).length === 0;
  }

  function onEdit(event) {
    var row = event.target.closest("[data-kind]");
    if (!row || !event.target.dataset.field) {
      return;
    }
    event.target.dataset.edited = "1";
    checkRow(row);
    if (summary && !summary.hidden && !form.querySelector("[aria-invalid=true]")) {
      summary.hidden = true;
    }
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-kind=sex] [data-field=value]"), function (input) {
    input.dataset.hint = input.placeholder;
  });
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  // The summary at the top: the message, then a link to each input in error (its KPI, its
  // label and what is wrong), as the server's summary after a refused save.
  function showSummary() {
    summary.textContent = "";
    var intro = document.createElement("p");
    intro.textContent = msg.msgSummary;
    summary.appendChild(intro);
    var list = document.createElement("ul");
    list.className = "error-links";
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid=true]"), function (input) {
      var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
      var label = form.querySelector("label[for='" + input.id + "']");
      var box = document.getElementById(input.id + "-error");
      var link = document.createElement("a");
      link.href = "#" + input.id;
      link.textContent = [
        legend ? legend.firstChild.textContent.trim() : "",
        label ? label.textContent.trim() : "",
      ].filter(Boolean).join(", ") + (box && box.textContent.trim() ? ": " + box.textContent.trim() : "");
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(list);
    summary.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    var rows = form.querySelectorAll("[data-kind]");
    var ok = true;
    Array.prototype.forEach.call(rows, function (row) {
      ok = checkRow(row) && ok;
    });
    if (ok) {
      if (summary) {
        summary.hidden = true;
      }
      return;
    }
    event.preventDefault();
    if (summary) {
      showSummary();
    }
    var first = form.querySelector("[aria-invalid=true]");
    if (first) {
      first.focus();
    }
  });
})();
