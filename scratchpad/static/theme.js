"use strict";
// The colour mode: light or dark as the reader chose in this browser (kept in
// localStorage, never sent to the server, so every reader gets the same HTML),
// else as the system prefers. Loaded early in <head>, without defer, so the
// page is drawn in its mode from the first paint. Without this script the
// stylesheets follow the system alone (system-dark.css).

(function () {
  const STORAGE_KEY = "scratchpad-theme";
  const CHOICES = ["auto", "light", "dark"];
  const systemPrefersDark = window.matchMedia("(prefers-color-scheme: dark)");

  function storedChoice() {
    try {
      const choice = window.localStorage.getItem(STORAGE_KEY);
      return CHOICES.includes(choice) ? choice : "auto";
    } catch (error) {
      return "auto";  // storage is turned off: follow the system
    }
  }

  function storeChoice(choice) {
    try {
      if (choice === "auto") {
        window.localStorage.removeItem(STORAGE_KEY);
      } else {
        window.localStorage.setItem(STORAGE_KEY, choice);
      }
    } catch (error) {
      // Storage is turned off: the choice lasts as long as the page.
    }
  }

  // Bootstrap's colour modes: data-bs-theme on <html> (its presence also
  // shows the theme picker, see scratchpad.css).
  function applyChoice(choice) {
    const mode = choice === "auto" ? (systemPrefersDark.matches ? "dark" : "light") : choice;
    document.documentElement.setAttribute("data-bs-theme", mode);
  }

  function picker() {
    return document.getElementById("theme-choice");
  }

  applyChoice(storedChoice());

  systemPrefersDark.addEventListener("change", function () {
    applyChoice(storedChoice());
  });

  // A choice made in another tab of the same site.
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY || event.key === null) {
      applyChoice(storedChoice());
      if (picker()) {
        picker().value = storedChoice();
      }
    }
  });

  // Listened for on the document from the start, so that a choice made while
  // the page is still loading is kept too.
  document.addEventListener("change", function (event) {
    if (event.target === picker()) {
      storeChoice(event.target.value);
      applyChoice(event.target.value);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (picker()) {
      picker().value = storedChoice();
    }
  });
}());
