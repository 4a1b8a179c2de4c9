// Signing in and out: the credential is checked with `GET /v1/me` and kept for this tab only.

import { ApiError, call, credential, forget, remember } from "./api.js";

const $ = (id) => document.getElementById(id);

/**
 * Wire the page's sign-in form (#sign-in), the signed-in bar (#who) and the page's own
 * content (`content`). `allow` lists the roles the page is for; `onSignedIn(me)` runs after
 * a good sign-in (or a restored one), `onSignedOut()` after signing out.
 * Returns `expire(message)`, to call when the API stops accepting the credential.
 */
export function setupSession({ allow, content, onSignedIn, onSignedOut, refusal }) {
  const form = $("sign-in-form");
  const input = $("credential");
  const error = $("sign-in-error");
  const button = form.querySelector("button[type=submit]");

  function signedOut(message = "") {
    forget();
    $("who").hidden = true;
    content.hidden = true;
    $("sign-in").hidden = false;
    error.textContent = message;
    onSignedOut();
  }

  async function enter(key, restoring) {
    button.disabled = true;
    error.textContent = "";
    try {
      const me = await call("/v1/me", { key });
      if (!allow.includes(me.role)) {
        signedOut(refusal(me));
        return;
      }
      remember(key);
      input.value = "";
      $("who-name").textContent = `${me.shopper_id || me.subject} (${me.role})`;
      $("who").hidden = false;
      $("sign-in").hidden = true;
      content.hidden = false;
      onSignedIn(me, restoring);
    } catch (err) {
      const message = err instanceof ApiError ? err.message : `Cannot reach the API: ${err}`;
      signedOut(message);
      if (!restoring) input.focus();
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      error.textContent = "Enter your API key or token.";
      input.focus();
      return;
    }
    enter(key, false);
  });

  $("sign-out").addEventListener("click", () => {
    signedOut();
    input.focus();
  });

  const saved = credential();
  if (saved) enter(saved, true);
  else signedOut();

  return (message) => {
    signedOut(message);
    input.focus();
  };
}
