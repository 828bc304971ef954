// Session limits in the page: the warning before the idle limit and the autosave of PEP sections.
// Settings come from <body>'s data- attributes (no inline script: the CSP allows none).
// Without JavaScript nothing here runs: the server still signs the person out, and keeps what a
// section's form posts after that as their draft.

const body = document.body
const idleSeconds = Number(body.dataset.sessionIdle || 0)
// The server records activity at most once a minute on reading a page: the idle limit runs
// from the last activity it recorded, which this page is told as the seconds left.
const idleLeft = Number(body.dataset.sessionIdleLeft || idleSeconds)
const warningSeconds = Number(body.dataset.sessionWarning || 0)
const keepAliveUrl = body.dataset.sessionKeepAlive
const ACTIVITY_KEY = 'openpep-last-activity' // shared by the person's tabs through localStorage
const BACKGROUND = { 'X-OpenPEP-Background': '1' }

const dialog = document.getElementById('session-timeout')
const timedOutForm = document.getElementById('session-timed-out')

function csrfToken () {
  const field = timedOutForm && timedOutForm.querySelector('[name=csrfmiddlewaretoken]')
  return field ? field.value : ''
}

function post (url, data) {
  return fetch(url, {
    method: 'POST',
    body: data || new FormData(),
    headers: { 'X-CSRFToken': csrfToken(), ...BACKGROUND },
    credentials: 'same-origin'
  })
}

function toSignIn (response) {
  // The server ended the session (and kept a draft if one was being posted).
  return response.json().then(function (answer) {
    window.location.assign(answer.sign_in + '?next=' + encodeURIComponent(window.location.pathname))
  })
}

// ---- autosave of a section's form ----------------------------------------------------------

const autosaveForm = document.querySelector('form[data-autosave-url]')
let autosaveTimer = null
let autosavePending = null
let typedSinceSave = false
let draftKept = false // something typed on this page is kept as a draft

function autosave () {
  clearTimeout(autosaveTimer)
  autosaveTimer = null
  if (!autosaveForm || !typedSinceSave) return Promise.resolve(false)
  typedSinceSave = false
  const data = new FormData(autosaveForm)
  data.set('path', window.location.pathname)
  autosavePending = post(autosaveForm.dataset.autosaveUrl, data).then(function (response) {
    if (response.status === 401) return toSignIn(response).then(() => false)
    if (!response.ok) return false
    return response.json().then(function (answer) {
      const status = autosaveForm.querySelector('[data-autosave-status]')
      if (status) {
        const at = new Date(answer.saved_at)
        status.textContent = 'Draft kept at ' + at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) + ' (not saved yet)'
      }
      draftKept = true
      activity()
      return true
    })
  }).catch(() => false)
  return autosavePending
}

if (autosaveForm) {
  const typed = function () {
    typedSinceSave = true
    clearTimeout(autosaveTimer)
    autosaveTimer = setTimeout(autosave, 2000)
  }
  autosaveForm.addEventListener('input', typed)
  autosaveForm.addEventListener('change', typed)
  autosaveForm.addEventListener('submit', function () { clearTimeout(autosaveTimer) })
}

// ---- the warning before the idle limit -----------------------------------------------------

let lastActivity = Date.now()
let warnTimer = null
let endTimer = null
let countdown = null
let returnFocusTo = null

function remainingSeconds () {
  return Math.max(0, Math.ceil((lastActivity + idleSeconds * 1000 - Date.now()) / 1000))
}

function describe (seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return minutes + (minutes === 1 ? ' minute' : ' minutes')
  }
  return seconds + (seconds === 1 ? ' second' : ' seconds')
}

function schedule () {
  clearTimeout(warnTimer)
  clearTimeout(endTimer)
  const elapsed = Date.now() - lastActivity
  warnTimer = setTimeout(openWarning, Math.max(0, (idleSeconds - warningSeconds) * 1000 - elapsed))
  endTimer = setTimeout(timeOut, Math.max(0, idleSeconds * 1000 - elapsed))
}

function activity (at) {
  lastActivity = at || Date.now()
  try { window.localStorage.setItem(ACTIVITY_KEY, String(lastActivity)) } catch (e) {}
  closeWarning()
  schedule()
}

function openWarning () {
  if (!dialog || dialog.open) return
  returnFocusTo = document.activeElement
  const countdownText = dialog.querySelector('[data-timeout-countdown]')
  const announce = dialog.querySelector('[data-timeout-announce]')
  let announced = null
  const update = function () {
    const left = remainingSeconds()
    countdownText.textContent = describe(left)
    // Screen readers hear the time left when the dialog opens and every 20 seconds, not every second.
    if (announced === null || announced - left >= 20) {
      announced = left
      announce.textContent = 'For your security, we will sign you out in ' + describe(left) + '.'
    }
  }
  update()
  countdown = setInterval(update, 1000)
  dialog.showModal()
  dialog.querySelector('#session-timeout-title').focus()
}

function closeWarning () {
  clearInterval(countdown)
  if (dialog && dialog.open) {
    dialog.close()
    if (returnFocusTo && returnFocusTo.focus) returnFocusTo.focus()
  }
}

function stay () {
  post(keepAliveUrl).then(function (response) {
    if (response.status === 401) return toSignIn(response)
    if (response.ok) activity()
  })
}

function timeOut () {
  clearInterval(countdown)
  // Keep what was typed first, then sign out; the sign-in page brings the person back here.
  Promise.resolve(autosavePending).then(autosave).then(function () {
    timedOutForm.querySelector('[name=kept]').value = draftKept ? '1' : '0'
    timedOutForm.submit()
  })
}

if (idleSeconds && dialog && timedOutForm) {
  dialog.querySelector('[data-timeout-continue]').addEventListener('click', stay)
  // Escape means "stay signed in", as the continue button does.
  dialog.addEventListener('cancel', function (event) {
    event.preventDefault()
    stay()
  })
  // Another tab of the same person was used: this one is not idle either.
  window.addEventListener('storage', function (event) {
    if (event.key === ACTIVITY_KEY && event.newValue) activity(Number(event.newValue))
  })
  activity(Date.now() - (idleSeconds - Math.min(idleLeft, idleSeconds)) * 1000)
}
