"use strict";
// Progressive enhancements: the pages work without this script.

(function () {
  const language = document.documentElement.lang || "en";
  // As the server writes it (a full date, a short time) in the page's
  // language, but in the reader's time zone.
  const localFormat = new Intl.DateTimeFormat(language, {dateStyle: "full", timeStyle: "short"});
  const plurals = new Intl.PluralRules(language);

  // A text the page gives in a data attribute, its {placeholders} filled in.
  function filledIn(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  // The form of a text the body gives for a number: data-NAME-one, data-NAME-other, ...
  function countedText(name, count) {
    const texts = document.body.dataset;
    const key = name + plurals.select(count).replace(/^./, (first) => first.toUpperCase());
    return texts[key] || texts[name + "Other"];
  }

  // Each <time> keeps the UTC text in its title (set by the server).
  function showLocalTimes() {
    let changed = false;
    for (const element of document.querySelectorAll("time[datetime]")) {
      const date = new Date(element.getAttribute("datetime"));
      if (!Number.isNaN(date.getTime()) && date.getTimezoneOffset() !== 0) {
        element.textContent = localFormat.format(date);
        changed = true;
      }
    }
    const note = document.getElementById("time-zone-note");
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (note && changed && document.body.dataset.localTimes) {
      note.textContent = filledIn(document.body.dataset.localTimes, {zone: zone});
    }
  }

  // What the server counts: characters (not UTF-16 units), a line break as one.
  function submittedLength(text) {
    return Array.from(text.replace(/\r\n|\r/g, "\n")).length;
  }

  function countCharacters(textarea) {
    const counter = document.getElementById(textarea.dataset.counter);
    const limit = Number(textarea.dataset.maxCharacters);
    if (!counter || !limit) {
      return;
    }
    function update() {
      const used = submittedLength(textarea.value);
      const over = used > limit;
      const number = new Intl.NumberFormat(language);
      counter.textContent = over
        ? filledIn(countedText("charactersTooMany", used - limit),
                   {count: number.format(used - limit), limit: number.format(limit)})
        : filledIn(countedText("charactersUsed", used),
                   {count: number.format(used), limit: number.format(limit)});
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("text-body-secondary", !over);
    }
    textarea.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    showLocalTimes();
    document.querySelectorAll("textarea[data-counter]").forEach(countCharacters);
  });
}());
