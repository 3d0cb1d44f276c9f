import type { ConfigIssue } from '../errors.js'
import type { StageRole } from '../stage-definition.js'

/** The part of a stage the graph checks look at. */
export interface GraphStage {
  readonly node: string
  readonly from: string | undefined
  /** Undefined when the type could not be resolved (already reported). */
  readonly role: StageRole | undefined
}

const READS: Record<StageRole, StageRole | undefined> = {
  source: undefined,
  decoder: 'source',
  sink: 'decoder',
}

/**
 * Checks the stage graph and appends every problem to `issues`: each `from` names a stage; a
 * source reads nothing; a decoder reads a source and a sink reads a decoder (so every chain
 * starts at a source); no cycles; an edge between two nodes needs a `nats` section.
 */
export function checkGraph(
  stages: Readonly<Record<string, GraphStage>>,
  hasNats: boolean,
  issues: ConfigIssue[],
): void {
  for (const [id, stage] of Object.entries(stages)) {
    const at = `stages.${id}.from`
    if (stage.from === undefined) {
      if (stage.role !== undefined && stage.role !== 'source') {
        issues.push({
          path: at,
          message: `a ${stage.role} must read from a ${READS[stage.role] ?? 'stage'}: every chain starts at a source`,
        })
      }
      continue
    }
    const upstream = stages[stage.from]
    if (upstream === undefined) {
      issues.push({ path: at, message: `no stage named '${stage.from}'` })
      continue
    }
    if (stage.role === 'source') {
      issues.push({ path: at, message: 'a source reads from no other stage' })
    } else if (
      stage.role !== undefined &&
      upstream.role !== undefined &&
      upstream.role !== READS[stage.role]
    ) {
      issues.push({
        path: at,
        message: `a ${stage.role} reads from a ${READS[stage.role] ?? '?'}, but '${stage.from}' is a ${upstream.role}`,
      })
    }
    if (upstream.node !== stage.node && !hasNats) {
      issues.push({
        path: at,
        message: `'${id}' runs on node '${stage.node}' and '${stage.from}' on node '${upstream.node}': an edge between nodes needs a 'nats' section`,
      })
    }
  }
  // Cycles: follow `from` links; each stage has at most one, so a walk that revisits a stage loops.
  const reported = new Set<string>()
  for (const start of Object.keys(stages)) {
    const seen: string[] = []
    let current: string | undefined = start
    while (current !== undefined && stages[current] !== undefined) {
      const index = seen.indexOf(current)
      if (index >= 0) {
        const loop = seen.slice(index)
        const key = [...loop].sort().join(',')
        if (!reported.has(key)) {
          reported.add(key)
          issues.push({
            path: `stages.${loop[0] ?? start}.from`,
            message: `cycle: ${[...loop, loop[0]].join(' → ')}`,
          })
        }
        break
      }
      seen.push(current)
      current = stages[current]?.from
    }
  }
}
