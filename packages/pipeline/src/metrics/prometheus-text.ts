/** A metric family's type in the Prometheus text format (0.0.4). */
export type MetricType = 'counter' | 'gauge'

/** Label names and values of one sample. */
export type Labels = Readonly<Record<string, string | number>>

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/

/** Escapes a label value: backslash, double quote and line feed (text format 0.0.4). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

/**
 * Builds a Prometheus text exposition (format 0.0.4): each family's `# HELP` and `# TYPE` once,
 * then its samples, families in the order they are first declared. Names and label names are
 * checked (a bad one is a programming error: `TypeError`); label values are escaped.
 */
export class PrometheusText {
  private readonly families = new Map<string, { help: string; type: MetricType; lines: string[] }>()

  /** Adds one sample of family `name`; `help` and `type` are kept from the first call. Null values are skipped. */
  add(
    name: string,
    type: MetricType,
    help: string,
    value: number | null | undefined,
    labels: Labels = {},
  ): this {
    if (value === null || value === undefined) return this
    let family = this.families.get(name)
    if (family === undefined) {
      if (!NAME.test(name)) throw new TypeError(`bad metric name '${name}'`)
      family = { help, type, lines: [] }
      this.families.set(name, family)
    }
    const parts: string[] = []
    for (const [k, v] of Object.entries(labels)) {
      if (!LABEL.test(k)) throw new TypeError(`bad label name '${k}'`)
      parts.push(`${k}="${escapeLabel(String(v))}"`)
    }
    family.lines.push(
      `${name}${parts.length > 0 ? `{${parts.join(',')}}` : ''} ${formatValue(value)}`,
    )
    return this
  }

  /** The exposition text, ending with a line feed. */
  toString(): string {
    let out = ''
    for (const [name, f] of this.families) {
      out += `# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`
    }
    return out
  }
}

/** Content type of the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
