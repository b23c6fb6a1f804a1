/* The site menu on a phone: folded behind the "Menu" button, opened and closed by it (its
   aria-expanded says which). On a wide screen the button stays hidden by the stylesheet and
   the menu shows in full; without this script the menu is always open. */
(function () {
  "use strict";

  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  button.hidden = false;
  header.classList.add("menu-folds");

  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-menu-open", open);
  });
})();
