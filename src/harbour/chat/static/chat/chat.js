// Live chat, enhanced: new messages appear as they are sent (server-sent events), and the message
// form sends without reloading the page. Without this script the page works by refreshing.
// Nothing is written to the browser's storage; the stream closes when the page is left.
(function () {
  'use strict'
  // The advisers' desk: when the queue changes, show it (the page has nothing typed to lose).
  var desk = document.querySelector('[data-chat-queue]')
  if (desk && window.EventSource) {
    var queue = new EventSource(desk.getAttribute('data-chat-queue'))
    queue.addEventListener('state', function (event) {
      if (String(JSON.parse(event.data).waiting) !== desk.getAttribute('data-waiting')) {
        queue.close()
        window.location.reload()
      }
    })
    window.addEventListener('beforeunload', function () { queue.close() })
  }

  var root = document.querySelector('[data-chat-stream]')
  if (!root || !window.EventSource || !window.fetch || !window.FormData) return

  var list = root.querySelector('[data-chat-messages]')
  var status = root.querySelector('[data-chat-status]')
  var isVisitor = !!document.querySelector('.govuk-exit-this-page')
  var shown = {
    status: root.getAttribute('data-status'),
    consentRequested: root.getAttribute('data-consent-requested') === 'yes',
    consentGiven: root.getAttribute('data-consent-given') === 'yes'
  }

  function toggle (selector, visible) {
    var el = root.querySelector(selector)
    if (el) el.hidden = !visible
  }

  function append (m) {
    if (list.querySelector('[data-id="' + m.id + '"]')) return
    var item = document.createElement('li')
    item.className = 'harbour-chat__message harbour-chat__message--' + m.sender
    item.setAttribute('data-id', String(m.id))
    var head = document.createElement('p')
    head.className = 'govuk-body-s govuk-!-margin-bottom-1'
    var who = document.createElement('strong')
    who.textContent = m.who
    var when = document.createElement('span')
    when.className = 'govuk-hint govuk-!-display-inline'
    when.textContent = ' ' + m.time
    head.appendChild(who)
    head.appendChild(when)
    var body = document.createElement('p')
    body.className = 'govuk-body'
    var lines = m.body.split('\n')
    for (var i = 0; i < lines.length; i++) {
      if (i) body.appendChild(document.createElement('br'))
      body.appendChild(document.createTextNode(lines[i]))
    }
    item.appendChild(head)
    item.appendChild(body)
    list.appendChild(item)
  }

  var source = new EventSource(root.getAttribute('data-chat-stream') + '?after=' + root.getAttribute('data-after'))
  source.addEventListener('message', function (event) {
    append(JSON.parse(event.data))
  })
  source.addEventListener('state', function (event) {
    var state = JSON.parse(event.data)
    if (state.status === 'ended') {
      // Said in place (no reload): a reload could race "Exit this page" back to this page.
      source.close()
      if (status) status.textContent = 'This chat has ended.'
      var live = root.querySelectorAll('[data-chat-form], [data-chat-consent], [data-chat-actions]')
      for (var i = 0; i < live.length; i++) live[i].hidden = true
      shown.status = 'ended'
      return
    }
    if (isVisitor && status) {
      if (state.status === 'waiting') {
        status.textContent = 'You are number ' + state.position + ' in the queue.'
      } else if (state.status === 'active') {
        status.textContent = 'You are talking to an adviser.'
      }
      toggle('[data-chat-consent]', state.status === 'active' && state.consent_requested && !state.consent_given)
    } else {
      toggle('[data-chat-make-referral]', state.consent_given)
    }
    shown.status = state.status
    root.setAttribute('data-status', state.status)
  })
  // Leaving (a link, "Exit this page", Shift three times): stop listening before the next page
  // loads, so the chat's end cannot bring this page back.
  window.addEventListener('beforeunload', function () { source.close() })
  window.addEventListener('pagehide', function () { source.close() })

  var form = root.querySelector('[data-chat-form]')
  if (!form) return
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    var data = new FormData(form)
    fetch(window.location.pathname, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { 'X-Harbour-Chat': '1' }
    }).then(function (response) {
      // Read the (small) answer through, so leaving the page later cuts nothing half-read.
      return response.text().then(function () { return response })
    }).then(function (response) {
      if (response.ok) {
        var text = form.querySelector('textarea')
        if (text) { text.value = ''; text.focus() }
        var select = form.querySelector('select')
        if (select) select.selectedIndex = 0
      } else {
        form.submit() // the server's page shows the error, as without script
      }
    }, function () { form.submit() })
  })
}())
