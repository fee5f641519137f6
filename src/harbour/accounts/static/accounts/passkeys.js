// Passkeys: the browser's WebAuthn ceremonies for adding a passkey and for signing in with one.
// Buttons marked data-passkey="register" or data-passkey="sign-in" start them; the page works
// without this script (it says passkeys need it, and codes still work).

function csrfToken() {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body || {}),
  });
  let data = {};
  try {
    data = await response.json();
  } catch (error) {
    data = { error: "Something went wrong. Try again." };
  }
  return { ok: response.ok, data };
}

function showError(message) {
  const box = document.getElementById("passkey-error");
  if (!box) return;
  box.querySelector("[data-passkey-message]").textContent = message;
  box.hidden = false;
  box.focus();
}

async function register(button) {
  const begin = await post(button.dataset.begin);
  if (!begin.ok) return showError(begin.data.error || "Try again.");
  let credential;
  try {
    const options = PublicKeyCredential.parseCreationOptionsFromJSON(begin.data);
    credential = await navigator.credentials.create({ publicKey: options });
  } catch (error) {
    return showError("No passkey was added. Try again, or use another device.");
  }
  const done = await post(button.dataset.complete, credential.toJSON());
  if (!done.ok) return showError(done.data.error || "Try again.");
  window.location.assign(done.data.redirect);
}

async function signIn(button) {
  const begin = await post(button.dataset.begin);
  if (!begin.ok) {
    if (begin.data.redirect) return window.location.assign(begin.data.redirect);
    return showError(begin.data.error || "Try again.");
  }
  let assertion;
  try {
    const options = PublicKeyCredential.parseRequestOptionsFromJSON(begin.data);
    assertion = await navigator.credentials.get({ publicKey: options });
  } catch (error) {
    return showError("Your passkey was not used. Try again, or enter a code.");
  }
  const done = await post(button.dataset.complete, assertion.toJSON());
  if (done.data.redirect) return window.location.assign(done.data.redirect);
  showError(done.data.error || "Try again.");
}

for (const section of document.querySelectorAll("[data-passkey-needs-script]")) {
  section.hidden = !window.PublicKeyCredential;
}
for (const note of document.querySelectorAll("[data-passkey-no-script]")) {
  note.hidden = Boolean(window.PublicKeyCredential);
}
for (const button of document.querySelectorAll("button[data-passkey]")) {
  button.addEventListener("click", (event) => {
    event.preventDefault();
    button.disabled = true;
    const run = button.dataset.passkey === "register" ? register : signIn;
    run(button).finally(() => {
      button.disabled = false;
    });
  });
}
