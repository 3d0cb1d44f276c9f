// A custom LinkyRPi sink: appends one CSV line per reading to a file.
// Use it from a config file with `type: ./csv-sink.mjs` (a path relative to the config file).
import { appendFile, stat } from 'node:fs/promises'
import { bufferTime, concatMap, filter, from } from 'rxjs'

const HEADER = 'received_at,meter,mode,period,power_va,import_wh\n'

/** One CSV line (fields are simple values; text fields are quoted). */
function line(frame) {
  const r = frame.reading
  const quote = (v) => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`)
  return (
    [
      new Date(frame.meta.receivedAt).toISOString(),
      quote(r.meter.id),
      frame.mode,
      quote(r.period.label),
      r.power.apparentVA ?? '',
      r.energy.importWh ?? '',
    ].join(',') + '\n'
  )
}

export default {
  role: 'sink',
  summary: 'appends one CSV line per reading',
  /** Problems with the options, as messages (an empty list when they are fine). */
  validate(options) {
    const problems = []
    if (typeof options.path !== 'string' || options.path === '')
      problems.push('path: a file path is required')
    if (
      options.flushMs !== undefined &&
      !(Number.isInteger(options.flushMs) && options.flushMs > 0)
    )
      problems.push('flushMs: a positive integer (ms)')
    for (const key of Object.keys(options))
      if (key !== 'path' && key !== 'flushMs') problems.push(`${key}: unknown option`)
    return problems
  },
  /** Returns the Sink: frames in, one ack per frame once its line is written, in order. */
  create(options, ctx) {
    const flushMs = options.flushMs ?? 1000
    return (input) =>
      input.pipe(
        // Batch for at most flushMs (or 500 frames): one write per batch.
        bufferTime(flushMs, null, 500),
        filter((batch) => batch.length > 0),
        concatMap(async (batch) => {
          const isNew = await stat(options.path).then(
            () => false,
            () => true,
          )
          await appendFile(options.path, (isNew ? HEADER : '') + batch.map(line).join(''))
          ctx.logger.debug(() => `wrote ${batch.length} lines`)
          return batch
        }),
        concatMap((batch) =>
          from(batch.map((frame) => ({ seq: frame.meta.seq, sink: ctx.stage }))),
        ),
      )
  },
}
