import type { TicReading } from './reading.js'
import type { FrameMeta, PipelineFrame } from './stage/index.js'

/** Version of the wire form; bumped on breaking changes. */
export const WIRE_VERSION = 1

/** The versioned JSON form of a {@link PipelineFrame} (NATS payloads, Server-Sent Events). */
export interface WireFrame {
  readonly v: 1
  readonly mode: PipelineFrame['mode']
  readonly short: boolean
  readonly groups: PipelineFrame['groups']
  readonly rejected: PipelineFrame['rejected']
  readonly reading: TicReading
  readonly meta: FrameMeta
}

/** Thrown by {@link fromWire} on a payload that is not a valid wire frame. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError'
}

/** The wire form of a frame (a plain object, ready for JSON.stringify). */
export function toWire(frame: PipelineFrame): WireFrame {
  return {
    v: WIRE_VERSION,
    mode: frame.mode,
    short: frame.short,
    groups: frame.groups,
    rejected: frame.rejected,
    reading: frame.reading,
    meta: frame.meta,
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** Validates a parsed wire payload and returns the frame; throws {@link WireFormatError}. */
export function fromWire(payload: unknown): PipelineFrame {
  if (!isObject(payload)) throw new WireFormatError('wire frame: not an object')
  if (payload.v !== WIRE_VERSION)
    throw new WireFormatError(`wire frame: unsupported version ${String(payload.v)}`)
  if (payload.mode !== 'historique' && payload.mode !== 'standard')
    throw new WireFormatError('wire frame: bad mode')
  if (!Array.isArray(payload.groups) || !Array.isArray(payload.rejected))
    throw new WireFormatError('wire frame: groups/rejected must be arrays')
  for (const g of payload.groups) {
    if (!isObject(g) || typeof g.label !== 'string' || typeof g.value !== 'string')
      throw new WireFormatError('wire frame: bad group')
  }
  const meta = payload.meta
  if (
    !isObject(meta) ||
    typeof meta.seq !== 'number' ||
    typeof meta.receivedAt !== 'number' ||
    typeof meta.source !== 'string'
  ) {
    throw new WireFormatError('wire frame: bad meta')
  }
  if (!isObject(payload.reading) || !isObject(payload.reading.meter))
    throw new WireFormatError('wire frame: bad reading')
  const groups = (payload.groups as Record<string, unknown>[]).map((g) => ({
    label: g.label as string,
    value: g.value as string,
    horodate: typeof g.horodate === 'string' ? g.horodate : undefined,
  }))
  return {
    mode: payload.mode,
    short: payload.short === true,
    groups,
    rejected: payload.rejected as PipelineFrame['rejected'],
    reading: payload.reading as unknown as TicReading,
    meta: { seq: meta.seq, receivedAt: meta.receivedAt, source: meta.source },
  }
}
