/** One sample of a Prometheus exposition. */
export interface PromSample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** A parsed exposition: families by name (type and help) and samples in order. */
export interface PromExposition {
  readonly types: ReadonlyMap<string, string>
  readonly help: ReadonlyMap<string, string>
  readonly samples: readonly PromSample[]
  /** Samples of `name` whose labels include `labels`. */
  find(name: string, labels?: Readonly<Record<string, string>>): PromSample[]
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y

/**
 * Parses the Prometheus text format (0.0.4) strictly: throws on a line that is not a comment or
 * a sample, a sample whose family has no `# TYPE` before it, a bad label list, a value that is
 * not a number, or a series given twice.
 */
export function parsePrometheus(text: string): PromExposition {
  const types = new Map<string, string>()
  const help = new Map<string, string>()
  const samples: PromSample[] = []
  const seen = new Set<string>()
  if (!text.endsWith('\n')) throw new Error('exposition must end with a line feed')
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) {
      const [, name, ...rest] = line.split(' ').slice(1)
      help.set(line.split(' ')[2] as string, [name, ...rest].join(' '))
      continue
    }
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ')
      if (
        type !== 'counter' &&
        type !== 'gauge' &&
        type !== 'histogram' &&
        type !== 'summary' &&
        type !== 'untyped'
      )
        throw new Error(`bad type line: ${line}`)
      if (types.has(name as string)) throw new Error(`TYPE given twice for ${String(name)}`)
      types.set(name as string, type)
      continue
    }
    const m = SAMPLE.exec(line)
    if (m === null) throw new Error(`not a sample: ${line}`)
    const [, name, labelText, valueText] = m as unknown as [
      string,
      string,
      string | undefined,
      string,
    ]
    if (!types.has(name)) throw new Error(`sample before its TYPE: ${line}`)
    const labels: Record<string, string> = {}
    if (labelText !== undefined && labelText !== '') {
      LABEL.lastIndex = 0
      let pos = 0
      while (pos < labelText.length) {
        LABEL.lastIndex = pos
        const l = LABEL.exec(labelText)
        if (l === null) throw new Error(`bad labels: ${line}`)
        labels[l[1] as string] = (l[2] as string)
          .replace(/\\n/g, '\n')
          .replace(/\\"/g, '"')
          .replace(/\\\\/g, '\\')
        pos = LABEL.lastIndex
      }
    }
    const value =
      valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText)
    if (valueText !== 'NaN' && Number.isNaN(value)) throw new Error(`bad value: ${line}`)
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`
    if (seen.has(key)) throw new Error(`series given twice: ${line}`)
    seen.add(key)
    samples.push({ name, labels, value })
  }
  return {
    types,
    help,
    samples,
    find: (name, want = {}) =>
      samples.filter(
        (s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v),
      ),
  }
}
