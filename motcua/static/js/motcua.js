/*
 * motcua.js: the little behaviour the staff and public pages share.
 *
 * The CSP forbids inline scripts and handlers, so every page gets its
 * behaviour from attributes that this file reads:
 *
 *   data-confirm="Question?"  on a button, link or form: ask before going on
 *                             (for htmx elements prefer hx-confirm);
 *   aria-keyshortcuts="K"     on a link, button or field: pressing K outside a
 *                             text field follows, presses or focuses it; "?"
 *                             lists the page's shortcuts;
 *   data-shortcuts-open       on a button: show that list;
 *   <meta name="csrf-token">  sent as X-CSRFToken with every htmx request.
 *
 * Texts come from data-msg-* attributes on <body>, translated by Django.
 */
(function () {
  "use strict";

  var body = document.body;
  document.documentElement.classList.add("js");

  function message(name) {
    return body.getAttribute("data-msg-" + name) || "";
  }

  /* --- confirmation ------------------------------------------------------ */

  // Capture phase: runs before htmx's and the form's own listeners.
  document.addEventListener(
    "click",
    function (event) {
      var element = event.target.closest("[data-confirm]");
      if (!element || element.tagName === "FORM") return;
      if (!window.confirm(element.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.hasAttribute("data-confirm")) return;
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  /* --- keyboard shortcuts ------------------------------------------------ */

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return (
      tag === "INPUT" ||
      tag === "TEXTAREA" ||
      tag === "SELECT" ||
      target.isContentEditable
    );
  }

  function shortcutTargets() {
    return Array.prototype.filter.call(
      document.querySelectorAll("[aria-keyshortcuts]"),
      function (element) {
        return element.offsetParent !== null || element === document.activeElement;
      }
    );
  }

  function describe(element) {
    return (
      element.getAttribute("aria-label") ||
      element.getAttribute("placeholder") ||
      element.textContent.replace(/\s+/g, " ").trim()
    );
  }

  var dialog = null;

  function shortcutsDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "dialog";
    dialog.setAttribute("aria-labelledby", "shortcuts-title");
    var title = document.createElement("h2");
    title.id = "shortcuts-title";
    title.className = "dialog__title";
    title.textContent = message("shortcuts");
    var list = document.createElement("dl");
    list.className = "shortcuts";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn--secondary";
    close.textContent = message("close");
    close.addEventListener("click", function () {
      dialog.close();
    });
    dialog.append(title, list, close);
    body.append(dialog);
    return dialog;
  }

  function openShortcuts() {
    var box = shortcutsDialog();
    var list = box.querySelector(".shortcuts");
    list.replaceChildren();
    shortcutTargets().forEach(function (element) {
      var key = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = element.getAttribute("aria-keyshortcuts");
      key.append(kbd);
      var what = document.createElement("dd");
      what.textContent = describe(element);
      list.append(key, what);
    });
    box.showModal();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts-open]")) openShortcuts();
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.isComposing || isTyping(event.target)) return;
    if (dialog && dialog.open) return;
    if (event.key === "?") {
      event.preventDefault();
      openShortcuts();
      return;
    }
    var target = shortcutTargets().find(function (element) {
      return element.getAttribute("aria-keyshortcuts") === event.key;
    });
    if (!target) return;
    event.preventDefault();
    if (isTyping(target)) {
      target.focus();
      if (target.select) target.select();
    } else {
      target.click();
    }
  });

  /* --- htmx -------------------------------------------------------------- */

  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
  });

  // After a form comes back with errors (status 422), put the cursor on the
  // first field to correct, as a full page load with autofocus would. The
  // swapped target may itself have been replaced (outerHTML), so look in the
  // page once the new content has settled.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.xhr || event.detail.xhr.status !== 422) return;
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  });

  function toast(text) {
    var region = document.getElementById("toasts");
    if (!region || !text) return;
    var item = document.createElement("div");
    item.className = "toast";
    item.textContent = text;
    region.append(item);
    window.setTimeout(function () {
      item.remove();
    }, 8000);
  }

  document.addEventListener("htmx:responseError", function () {
    toast(message("request-error"));
  });
  document.addEventListener("htmx:sendError", function () {
    toast(message("network-error"));
  });
})();
