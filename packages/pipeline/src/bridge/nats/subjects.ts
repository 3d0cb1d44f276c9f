/** Header naming the stage (decoder) that produced a frame, so one stream can carry several edges. */
export const STAGE_HEADER = 'Linky-Stage'

/** Header of a message that holds several frames (a JSON array of wire frames): their number. */
export const BATCH_HEADER = 'Linky-Batch'

/**
 * Header of a message in the compact wire form (tic-core's `encodeCompactFrames`): its version,
 * `2`. Absent: the JSON wire form (version 1, `toWire`).
 */
export const WIRE_HEADER = 'Linky-Wire'

/** Frames per NATS message, at most: a frame's `meta.seq` on a durable edge is `stream seq × this + index`. */
export const MAX_BATCH_FRAMES = 1024

/** Replaces characters a NATS subject token cannot hold (`.`, `*`, `>`, spaces) with `_`. */
export function subjectToken(value: string): string {
  const token = value.replace(/[^A-Za-z0-9_-]/g, '_')
  return token === '' ? '_' : token
}

/** `linky.<site>.<meter>.frames`: decoded frames (versioned wire JSON) of one meter. */
export function framesSubject(site: string, meter: string): string {
  return `linky.${subjectToken(site)}.${subjectToken(meter)}.frames`
}

/** `linky.<site>.*.frames`: the frames of every meter of a site. */
export function allFramesSubject(site: string): string {
  return `linky.${subjectToken(site)}.*.frames`
}

/**
 * The partition of a meter, 0 to `partitions - 1` (FNV-1a of its id): every frame of a meter goes
 * to the same partition, so one process at a time reads it.
 */
export function partitionOf(meter: string, partitions: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < meter.length; i += 1) h = Math.imul(h ^ meter.charCodeAt(i), 0x01000193)
  return (h >>> 0) % partitions
}

/** `linky.<site>.<meter>.frames.<partition>`: decoded frames of one meter, on a partitioned stream. */
export function partitionedFramesSubject(site: string, meter: string, partition: number): string {
  return `${framesSubject(site, meter)}.${partition}`
}

/** `linky.<site>.*.frames.<partition>`, or every partition (`*`): the frames of a partition. */
export function partitionFilter(site: string, partition: number | '*'): string {
  return `${allFramesSubject(site)}.${partition}`
}

/** The durable consumer of one partition: `<consumer>-p<partition>`. */
export function partitionConsumer(consumer: string, partition: number): string {
  return `${consumer}-p${partition}`
}

/** `linky.<site>.<source>.raw`: raw bytes of a source stage (before a meter id is known). */
export function rawSubject(site: string, source: string): string {
  return `linky.${subjectToken(site)}.${subjectToken(source)}.raw`
}

/** `linky.<site>.<stage>.events`: state changes of a stage (JSON). */
export function eventsSubject(site: string, stage: string): string {
  return `linky.${subjectToken(site)}.${subjectToken(stage)}.events`
}

/** Default JetStream stream name of a site: `LINKY_<SITE>`. */
export function defaultStreamName(site: string): string {
  return `LINKY_${subjectToken(site).toUpperCase()}`
}
