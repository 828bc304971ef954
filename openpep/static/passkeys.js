// Passkeys (WebAuthn): the browser's half of adding one and of signing in with one. Each region
// marked data-passkey stays hidden unless this browser can use passkeys; the server does the rest.
const csrfToken = () => document.querySelector('input[name=csrfmiddlewaretoken]').value

async function post (url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrfToken() },
    body: JSON.stringify(body || {})
  })
  const data = await response.json()
  if (!response.ok) throw new Error(data.error || 'Something went wrong. Try again')
  return data
}

const supported = window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON

for (const region of supported ? document.querySelectorAll('[data-passkey]') : []) {
  const button = region.querySelector('button')
  const error = region.querySelector('[data-passkey-error]')
  region.hidden = false
  button.addEventListener('click', async () => {
    button.disabled = true
    error.textContent = ''
    try {
      const options = await post(region.dataset.optionsUrl)
      const credential = region.dataset.passkey === 'register'
        ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
        : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })
      const result = await post(region.dataset.verifyUrl, credential.toJSON())
      window.location.assign(result.redirect)
    } catch (problem) {
      error.textContent = problem.name === 'NotAllowedError' ? 'The passkey was not used. Try again' : problem.message
      button.disabled = false
    }
  })
}
