"use strict";
// Progressive enhancements: the pages work without this script.

(function () {
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December"];

  function twoDigits(number) {
    return String(number).padStart(2, "0");
  }

  // The server's format ("Friday, 01 September 2017 at 17:44"), in the reader's time zone.
  function localText(date) {
    return `${DAYS[date.getDay()]}, ${twoDigits(date.getDate())} ${MONTHS[date.getMonth()]} ` +
           `${date.getFullYear()} at ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
  }

  // Each <time> keeps the UTC text in its title (set by the server).
  function showLocalTimes() {
    let changed = false;
    for (const element of document.querySelectorAll("time[datetime]")) {
      const date = new Date(element.getAttribute("datetime"));
      if (!Number.isNaN(date.getTime()) && date.getTimezoneOffset() !== 0) {
        element.textContent = localText(date);
        changed = true;
      }
    }
    const note = document.getElementById("time-zone-note");
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (note && changed) {
      note.textContent = `Times are shown in your time zone (${zone}); point at one to see it in UTC.`;
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
      counter.textContent = over
        ? `${used - limit} characters too many: the limit is ${limit}.`
        : `${used} of ${limit} characters`;
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
