// The straightforward decoder a peer project would write, used as the baseline of the decode
// benchmarks (tic-core/bench/decode.bench.mjs, simulator/bench/decode-reading.bench.mjs): split on
// ETX and CR LF, split fields, verify the checksum, build a label -> value object. No reading.

/** Decodes `buf` naively; returns the counts so that the work cannot be optimised away. */
export function naiveDecode(buf) {
  const text = buf.toString('latin1')
  let frames = 0
  let groups = 0
  let rejected = 0
  for (const rawFrame of text.split('\x03')) {
    const start = rawFrame.indexOf('\x02')
    if (start < 0) continue
    const body = rawFrame.slice(start + 1)
    const values = {}
    for (const line of body.split('\r\n')) {
      const l = line.replace(/^\n/, '').replace(/\r$/, '')
      if (l.length < 4) continue
      const sep = l.includes('\t') ? '\t' : ' '
      const fields = l.split(sep)
      const check = l.charCodeAt(l.length - 1)
      const area = sep === '\t' ? l.slice(0, -1) : l.slice(0, -2)
      let sum = 0
      for (let i = 0; i < area.length; i++) sum += area.charCodeAt(i)
      if ((sum & 0x3f) + 0x20 !== check) {
        rejected++
        continue
      }
      values[fields[0]] = fields.length > 3 && sep === '\t' ? fields[2] : fields[1]
      groups++
    }
    frames++
  }
  return { frames, groups, rejected }
}
