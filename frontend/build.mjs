// Build Harbour's front-end assets into src/harbour/static/harbour/.
//
//   cd frontend && npm ci && npm run build
//
// No network: everything comes from node_modules and this folder. Output is
// generated and not committed (src/harbour/static/harbour/.gitignore).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const started = performance.now()
const frontendDir = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(frontendDir, '..')
const nodeModules = join(frontendDir, 'node_modules')
const govukDist = join(nodeModules, 'govuk-frontend', 'dist', 'govuk')
const outDir = join(repoRoot, 'src', 'harbour', 'static', 'harbour')

const written = []
async function emit (name, data) {
  const target = join(outDir, name)
  await writeFile(target, data)
  written.push(target)
}
async function copy (source, name) {
  const target = join(outDir, name)
  await copyFile(source, target)
  written.push(target)
}

await mkdir(outDir, { recursive: true })

// 1. CSS. `harbour-image-url` is referenced by $govuk-image-url-function in
// harbour.scss: returning null drops GOV.UK's only image reference (the Royal
// Arms crest in the footer) instead of writing url(.../govuk-crest.svg).
const result = sass.compile(join(frontendDir, 'scss', 'harbour.scss'), {
  style: 'compressed',
  loadPaths: [nodeModules],
  quietDeps: true, // govuk-frontend's own @import/deprecation warnings
  functions: {
    'harbour-image-url($filename)': () => sass.sassNull
  }
})
// Guard: fail the build if GOV.UK branding leaks back in (fonts, crest, crown).
if (/GDS Transport|govuk-crest|govuk-icon|\/assets\/(fonts|images)\//.test(result.css)) {
  throw new Error('harbour.css references GDS Transport or GOV.UK images: branding leaked in')
}
await emit('harbour.css', result.css + '\n')

// 2. GOV.UK Frontend JS (an ES module exporting initAll, createAll and the
// component classes) with its source map: Django's ManifestStaticFilesStorage
// fails collectstatic if a sourceMappingURL points at a missing file.
await copy(join(govukDist, 'govuk-frontend.min.js'), 'govuk-frontend.min.js')
await copy(join(govukDist, 'govuk-frontend.min.js.map'), 'govuk-frontend.min.js.map')

// 3. Our entry module, imports ./govuk-frontend.min.js.
await emit('harbour.js', await readFile(join(frontendDir, 'js', 'harbour.mjs')))

// 4. Our own favicon. GOV.UK's images (crown favicons, crest, opengraph) and
// GDS Transport fonts are deliberately not copied.
await copy(join(frontendDir, 'assets', 'favicon.svg'), 'favicon.svg')

const ms = Math.round(performance.now() - started)
for (const file of written) console.log(`  wrote ${relative(repoRoot, file)}`)
console.log(`harbour-frontend: built ${written.length} files in ${ms} ms`)
