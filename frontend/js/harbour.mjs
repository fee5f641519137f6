// Harbour's only script. Pages are server-rendered and work without it: this
// just enhances GOV.UK Frontend components marked with data-module (service
// navigation menu toggle, exit this page, error summary focus, character
// count, etc.).
//
// Copied by build.mjs to src/harbour/static/harbour/harbour.js, next to
// govuk-frontend.min.js (an ES module in v6). Load it with
//   <script type="module" src="{% static 'harbour/harbour.js' %}"></script>
// after the body's js-enabled/govuk-frontend-supported class snippet.
import { initAll } from './govuk-frontend.min.js'

initAll()
