// Live progress for an evidence import. Without script the page refreshes itself (a <noscript>
// meta refresh); with it, this asks the progress URL once a second, updates the bar and the text,
// and reloads the page when the import needs a choice, is done or has failed.
const box = document.querySelector('[data-import-progress]')
if (box) {
  const bar = box.querySelector('progress')
  const text = box.querySelector('#import-progress-text')
  const status = document.getElementById('import-status')
  const note = box.querySelector('[data-no-script-note]')
  if (note) note.hidden = true
  const first = status ? status.textContent : ''
  const tick = async () => {
    try {
      const response = await fetch(box.dataset.importProgress, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) return
      const data = await response.json()
      bar.value = data.percent
      bar.textContent = data.percent + '%'
      text.textContent = data.text
      if (status) status.textContent = data.label
      if (data.finished || data.status === 'choosing' || (status && data.label !== first && data.status !== 'running' && data.status !== 'scanning' && data.status !== 'queued')) {
        window.location.reload()
        return
      }
    } catch (error) {
      // a dropped request: try again on the next tick
    }
    window.setTimeout(tick, 1000)
  }
  window.setTimeout(tick, 1000)
}
