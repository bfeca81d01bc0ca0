/* failwise import page: upload with a progress bar, then the summary in place.
 * Without this script the form posts and the whole page comes back with it. */
(function () {
  "use strict";

  var form = document.getElementById("import-form");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var limit = parseInt(form.dataset.maxBytes, 10) || 0;

  function fileError(text) {
    var slot = $("file-error");
    slot.textContent = text;
    slot.hidden = !text;
    if (text) {
      $("file").setAttribute("aria-invalid", "true");
    } else {
      $("file").removeAttribute("aria-invalid");
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = $("file").files[0];
    fileError("");
    if (!file) {
      fileError("Choose a file to import.");
      $("file").focus();
      return;
    }
    if (limit && file.size > limit) {
      fileError("The file is " + (file.size / 1048576).toFixed(1) + " MB; the limit is " +
        Math.round(limit / 1048576) + " MB. Export a shorter date range, or split the file and import each part.");
      $("file").focus();
      return;
    }
    var request = new XMLHttpRequest();
    var bar = $("upload-progress");
    $("import-progress").hidden = false;
    $("progress-label").textContent = "Uploading " + file.name + "…";
    bar.value = 0;
    $("import-button").disabled = true;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    request.upload.addEventListener("load", function () {
      $("progress-label").textContent = "Reading and storing the sets…";
      bar.removeAttribute("value"); // indeterminate while the server imports
    });
    request.addEventListener("load", function () {
      $("import-progress").hidden = true;
      $("import-button").disabled = false;
      var template = document.createElement("template");
      template.innerHTML = request.responseText;
      var error = template.content.getElementById("fragment-error");
      if (error) {
        fileError(error.textContent);
        error.remove();
      }
      var result = $("import-result");
      result.replaceChildren(template.content);
      var summary = $("import-summary");
      if (summary) summary.focus();
      else if (error) $("file").focus();
    });
    request.addEventListener("error", function () {
      $("import-progress").hidden = true;
      $("import-button").disabled = false;
      fileError("The upload did not get through: check the connection and try again.");
    });
    request.open("POST", form.action);
    request.setRequestHeader("X-Fragment", "import-result");
    request.send(new FormData(form));
  });
})();
