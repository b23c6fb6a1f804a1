/* Activity form: when the cluster changes, propose its currency (its last activity's, else its
   country's: the table comes from the page, #cluster-currencies), unless the currency was typed
   by hand. The server proposes the same when the page opens and checks the code on saving;
   without this script the form works the same. */
(function () {
  "use strict";

  var table = document.getElementById("cluster-currencies");
  var cluster = document.getElementById("id_cluster");
  var currency = document.getElementById("id_currency");
  if (!table || !cluster || !currency) {
    return;
  }
  var currencies = JSON.parse(table.textContent);
  var typed = false;

  currency.addEventListener("input", function () {
    typed = true;
  });
  cluster.addEventListener("change", function () {
    var proposed = currencies[cluster.value];
    if (proposed && !typed) {
      currency.value = proposed;
    }
  });
})();
