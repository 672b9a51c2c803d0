// The warning before an idle sign-out (WCAG 2.2.1 Timing Adjustable;
// docs/decisions/0039-session-timeout-warning.md).
//
// The server is the clock that counts: every request renews the session, in
// any tab, so before warning and before signing out the page asks the server
// how long is really left (asking does not renew it). Tabs of the same
// browser also tell each other when they renew it.

const ANNOUNCE_EVERY = 20 // seconds: heard this often, seen every second
const CHANNEL = 'app-session-timeout'

function words (seconds) {
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  const parts = []
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`)
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? '' : 's'}`)
  return parts.join(' ')
}

export class SessionTimeout {
  constructor (dialog) {
    this.dialog = dialog
    this.warningMs = Number(dialog.dataset.warningSeconds) * 1000
    this.statusUrl = dialog.dataset.statusUrl
    this.signedOutUrl = dialog.dataset.signedOutUrl
    this.form = dialog.querySelector('[data-timeout-form]')
    this.stayButton = dialog.querySelector('[data-timeout-stay]')
    this.countdown = dialog.querySelector('[data-timeout-countdown]')
    this.announcement = dialog.querySelector('[data-timeout-announcement]')
    this.timer = null
    this.ticker = null
    this.heard = null
    this.returnFocusTo = null
    this.channel = 'BroadcastChannel' in window ? new BroadcastChannel(CHANNEL) : null
    this.typedIn = null

    // The form the person is filling in, to keep if time runs out.
    document.addEventListener('input', (event) => {
      const form = event.target.form
      if (form && form !== this.form && form.method === 'post') this.typedIn = form
    })

    this.form.addEventListener('submit', (event) => {
      // "Sign out" submits the same form to the sign-out page as usual.
      if (event.submitter !== this.stayButton) return
      event.preventDefault()
      this.stay()
    })
    // Escape means "Stay signed in", never "let it run out unseen".
    this.dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      this.stay()
    })
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.check()
    })
    // A page brought back from the back-forward cache kept its old timers.
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) this.check()
    })
    if (this.channel) {
      this.channel.onmessage = ({ data }) => this.renewed(data.secondsLeft, data.at)
    }

    // This page's own request has just renewed the session.
    this.renewed(Number(dialog.dataset.secondsLeft), Date.now(), { tell: true })
  }

  renewed (secondsLeft, at, { tell = false } = {}) {
    this.expiresAt = at + secondsLeft * 1000
    if (tell && this.channel) this.channel.postMessage({ secondsLeft, at })
    if (this.expiresAt - Date.now() > this.warningMs) this.close()
    this.schedule()
  }

  schedule () {
    clearTimeout(this.timer)
    const left = this.expiresAt - Date.now()
    // Wake when the warning is due, or, while it shows, when time is up.
    const wait = left > this.warningMs ? left - this.warningMs : left
    this.timer = setTimeout(() => this.check(), Math.max(0, wait))
  }

  async check () {
    const secondsLeft = await this.ask(fetch(this.statusUrl, {
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { Accept: 'application/json' }
    }))
    this.act(secondsLeft)
  }

  async stay () {
    const secondsLeft = await this.ask(fetch(this.form.action, {
      method: 'POST',
      body: new FormData(this.form),
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { Accept: 'application/json' }
    }))
    if (secondsLeft === undefined) {
      // Refused (say, a sign-in in another tab changed the form's token):
      // the status says whether the session still stands.
      return this.check()
    }
    this.act(secondsLeft, { tell: true })
  }

  // Seconds left; null when the server says the session has ended;
  // undefined when it could not say (offline, refused, an error).
  async ask (request) {
    try {
      const response = await request
      if (response.status === 401 || response.type === 'opaqueredirect') return null
      if (!response.ok) return undefined
      return (await response.json()).seconds_left
    } catch {
      return undefined
    }
  }

  act (secondsLeft, { tell = false } = {}) {
    if (secondsLeft === null) return this.signOut()
    if (secondsLeft === undefined) {
      // Go by this page's own reckoning until the server answers again.
      if (this.expiresAt <= Date.now()) return this.signOut()
      secondsLeft = (this.expiresAt - Date.now()) / 1000
      tell = false
    }
    if (secondsLeft <= 0) return this.signOut()
    this.renewed(secondsLeft, Date.now(), { tell })
    if (this.expiresAt - Date.now() <= this.warningMs) this.open()
  }

  open () {
    this.tick()
    if (this.dialog.open) return
    this.returnFocusTo = document.activeElement
    this.dialog.showModal()
    this.stayButton.focus()
    this.ticker = setInterval(() => this.tick(), 1000)
  }

  tick () {
    const seconds = Math.max(0, Math.ceil((this.expiresAt - Date.now()) / 1000))
    this.countdown.textContent = words(seconds)
    const step = Math.ceil(seconds / ANNOUNCE_EVERY) * ANNOUNCE_EVERY
    if (step !== this.heard && step > 0) {
      this.heard = step
      this.announcement.textContent = `For your security, we will sign you out in ${words(step)}.`
    }
  }

  close () {
    clearInterval(this.ticker)
    this.ticker = null
    this.heard = null
    if (!this.dialog.open) return
    this.dialog.close()
    const back = this.returnFocusTo
    this.returnFocusTo = null
    if (back && back.isConnected && typeof back.focus === 'function') back.focus()
  }

  signOut () {
    clearTimeout(this.timer)
    clearInterval(this.ticker)
    const here = window.location.pathname + window.location.search
    const form = this.typedIn
    if (form && new URL(form.action).pathname === window.location.pathname) {
      return this.keepTyped(form, here)
    }
    window.location.assign(`${this.signedOutUrl}?next=${encodeURIComponent(here)}`)
  }

  // The server keeps what was typed (never files) for the same person to
  // check and save after signing in; it saves nothing (core/resume.py).
  keepTyped (form, here) {
    const keep = document.createElement('form')
    keep.method = 'post'
    keep.action = this.signedOutUrl
    keep.hidden = true
    const add = (name, value) => {
      const input = document.createElement('input')
      input.type = 'hidden'
      input.name = name
      input.value = value
      keep.append(input)
    }
    for (const [name, value] of new FormData(form)) {
      // Passwords never leave the page this way (the server drops them too).
      if (form.elements.namedItem(name)?.type === 'password') continue
      if (typeof value === 'string' && name !== 'next') add(name, value)
    }
    add('next', here)
    document.body.append(keep)
    keep.submit()
  }
}

const dialog = document.querySelector('[data-module="app-session-timeout"]')
if (dialog && typeof dialog.showModal === 'function') new SessionTimeout(dialog) // eslint-disable-line no-new
