// acr-emulator console: the only script. It adds a copy button's behaviour and makes sure a
// password shown once cannot come back from the browser's back/forward cache. Every page
// works without it.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  if (!source) return;
  const say = (text) => { if (status) status.textContent = text; };
  if (!navigator.clipboard) {
    say("Copying is not available here: select the value and copy it.");
    return;
  }
  navigator.clipboard.writeText(source.textContent).then(
    () => say("Copied to the clipboard."),
    () => say("Copying failed: select the value and copy it."),
  );
});

// Leaving the page forgets the value, so back/forward can only show it hidden.
window.addEventListener("pagehide", () => {
  for (const el of document.querySelectorAll("[data-once]")) {
    el.textContent = "(hidden: a password is shown only once)";
  }
});
