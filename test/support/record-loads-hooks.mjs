// Loader hooks of record-loads.mjs (they run on the loader's own thread).
import { appendFileSync } from 'node:fs'

const out = process.env.LINKY_RECORD_LOADS

/** Appends the module's URL to LINKY_RECORD_LOADS, then loads it as usual. */
export async function load(url, context, next) {
  if (out) appendFileSync(out, `${url}\n`)
  return next(url, context)
}
