import { randomBytes } from 'node:crypto'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { StageContext } from '@linkyrpi/tic-core/stage'
import { subjectToken } from './subjects.js'

const NS_PER_MS = 1_000_000

/** Options of {@link leasePartitions}. */
export interface LeasePartitionsOptions {
  readonly connection: NatsConnection
  readonly site: string
  /** The group sharing the partitions: the durable consumer's name (`<node>-<sink>`). */
  readonly group: string
  /** Number of partitions, 0 to `partitions - 1`. */
  readonly partitions: number
  /**
   * Lease duration, ms: a member that stops renewing loses its partitions (and its membership)
   * this long after its last renewal. Renewals every third of it. The first member to create the
   * lease stream sets it for the site (the stream's `max_age`).
   */
  readonly leaseMs: number
  /** A partition is now this member's: start consuming it. */
  onAcquire(partition: number): void
  /** A lease could not be renewed (another member holds it now): this member must stop. */
  onLost(partition: number): void
  /**
   * This member holds more than its share (members joined): stop consuming the partition and
   * resolve once what was read of it is committed; the lease is then deleted for another member.
   */
  onRelease(partition: number): Promise<void>
}

/** The partitions a member holds. */
export interface PartitionLeases {
  /** This member's id (random, per process). */
  readonly member: string
  /** Partitions held now. */
  owned(): readonly number[]
  /**
   * Stops claiming; keeps renewing until `idle()` is true (the frames read are committed) or
   * `maxWaitMs` passed, then deletes its leases so that other members take them at once.
   */
  release(idle: () => boolean, maxWaitMs: number): Promise<void>
}

/** Stream holding a site's leases: `LINKY_<SITE>_LEASES`, subjects `linky-lease.<site>.>`. */
export function leaseStreamName(site: string): string {
  return `LINKY_${subjectToken(site).toUpperCase()}_LEASES`
}

const isWrongSequence = (error: unknown): boolean =>
  /wrong last sequence/i.test(String((error as { message?: unknown }).message ?? error))

/**
 * Meter affinity for several processes sharing a partitioned stream: each member claims a fair
 * share (⌈partitions ÷ members⌉) of the partitions with leases in a JetStream stream (one
 * message per subject, `max_age` = the lease; a claim is a publish expecting no message on the
 * partition's subject, a renewal one expecting this member's last sequence), so that a partition
 * — and every meter hashed to it — is consumed by one process at a time. A member that dies
 * stops renewing: its partitions are free after `leaseMs` and the others claim them (the
 * frames it had not acknowledged are redelivered after the consumer's `ackWaitMs`). A member
 * above its share (members joined) hands one partition over per round once what it read of it is
 * committed, and does not claim it again unless it stays free for three rounds (it would count
 * that partition's meters' energy from a stale view of them).
 * Only nats-server 2.9 API calls (STREAM.INFO with subjects_filter, expected-sequence publishes).
 */
export async function leasePartitions(
  options: LeasePartitionsOptions,
  ctx: Pick<StageContext, 'logger'>,
): Promise<PartitionLeases> {
  const { connection: nc, partitions } = options
  const stream = leaseStreamName(options.site)
  const root = `linky-lease.${subjectToken(options.site)}.${subjectToken(options.group)}`
  const member = randomBytes(6).toString('hex')
  const jsm = await jetstreamManager(nc)
  const js = jetstream(nc, { timeout: 5000 })
  let leaseMs = options.leaseMs
  try {
    const info = await jsm.streams.info(stream)
    if (info.config.max_age > 0) leaseMs = info.config.max_age / NS_PER_MS
  } catch {
    await jsm.streams
      .add({
        name: stream,
        subjects: [`linky-lease.${subjectToken(options.site)}.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: leaseMs * NS_PER_MS,
        max_msgs_per_subject: 1,
        num_replicas: 1,
      })
      .catch((error: unknown) => {
        // Another member created it at the same time.
        if (!/already in use|exists/i.test(String(error))) throw error
      })
  }
  /** Stream sequence of this member's latest lease message, by partition. */
  const held = new Map<number, number>()
  /** Ticks each partition has been seen free in a row. */
  const freeFor = new Map<number, number>()
  /** Partitions this member handed over: not claimed again unless left free (stranded). */
  const handedOver = new Set<number>()
  /** Partitions being handed over (still renewed until drained). */
  const releasing = new Set<number>()
  /** Partitions handed over whose frames are committed: their leases are deleted next round. */
  const drained = new Set<number>()
  let memberSeq = 0
  const startedAt = Date.now()
  let claiming = true
  let stopped = false
  const tick = async (): Promise<void> => {
    memberSeq = (await js.publish(`${root}.m.${member}`, new Uint8Array(0))).seq
    // Partitions handed over and drained: their leases go (here, so no renewal races the delete).
    for (const p of [...drained]) {
      const seq = held.get(p)
      held.delete(p)
      releasing.delete(p)
      drained.delete(p)
      if (seq !== undefined) await jsm.streams.deleteMessage(stream, seq).catch(() => false)
    }
    for (const [p, seq] of [...held]) {
      try {
        const ack = await js.publish(`${root}.p.${p}`, new TextEncoder().encode(member), {
          expect: { lastSubjectSequence: seq },
        })
        held.set(p, ack.seq)
      } catch (error) {
        if (!isWrongSequence(error)) throw error
        held.delete(p)
        ctx.logger.error('partition lease lost', { partition: p, member })
        options.onLost(p)
      }
    }
    // Members announce themselves for a lease before claiming, so that processes started
    // together share the partitions instead of the first one taking them all.
    if (!claiming || Date.now() - startedAt < leaseMs) return
    const info = await jsm.streams.info(stream, { subjects_filter: `${root}.>` })
    const subjects = Object.keys(info.state.subjects ?? {})
    const members = subjects.filter((s) => s.startsWith(`${root}.m.`)).length
    const taken = new Set(subjects.filter((s) => s.startsWith(`${root}.p.`)))
    const share = Math.ceil(partitions / Math.max(1, members))
    // More than the share, or above the lower share while a member has less (members joined):
    // hand one partition over per round; its lease is renewed until what was read of it is
    // committed, then deleted.
    const mine = held.size - releasing.size
    const floorShare = Math.floor(partitions / Math.max(1, members))
    const hungry = subjects.filter(
      (s) => s.startsWith(`${root}.h.`) && s !== `${root}.h.${member}`,
    ).length
    // Every partition taken and this member below its share: say so (a `.h.` message, gone after
    // a lease), so that a member above the lower share hands one over.
    if (taken.size >= partitions && mine < Math.max(1, floorShare))
      await js.publish(`${root}.h.${member}`, new Uint8Array(0))
    if (
      taken.size >= partitions &&
      (mine > share || (hungry > 0 && mine > Math.max(1, floorShare)))
    ) {
      const p = Math.max(...[...held.keys()].filter((k) => !releasing.has(k)))
      releasing.add(p)
      handedOver.add(p)
      ctx.logger.info('partition handed over', { partition: p, member, members })
      void options
        .onRelease(p)
        .then(() => drained.add(p))
        .catch((error: unknown) =>
          ctx.logger.warn('partition hand-over failed', { partition: p, error: String(error) }),
        )
      return
    }
    // Start from a member-specific place so that members do not all race for partition 0.
    const start = Number.parseInt(member.slice(0, 8), 16) % partitions
    for (let i = 0; i < partitions; i += 1) {
      const p = (start + i) % partitions
      if (held.has(p)) continue
      if (taken.has(`${root}.p.${p}`)) {
        freeFor.delete(p)
        continue
      }
      const seen = (freeFor.get(p) ?? 0) + 1
      freeFor.set(p, seen)
      // Beyond the fair share, a partition free for two ticks (its member is gone and the
      // membership count is stale) is taken anyway: no partition stays unread.
      if ((held.size - releasing.size >= share || handedOver.has(p)) && seen < 3) continue
      try {
        const ack = await js.publish(`${root}.p.${p}`, new TextEncoder().encode(member), {
          expect: { lastSubjectSequence: 0 },
        })
        held.set(p, ack.seq)
        freeFor.delete(p)
        ctx.logger.info('partition acquired', { partition: p, member, members })
        options.onAcquire(p)
      } catch (error) {
        if (!isWrongSequence(error)) throw error
      }
    }
  }
  let running: Promise<void> = Promise.resolve()
  const timer = setInterval(
    () => {
      running = running
        .then(() => (stopped ? undefined : tick()))
        .catch((error: unknown) => {
          ctx.logger.warn('partition leases: renewal failed, retrying', { error: String(error) })
        })
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  )
  running = tick().catch((error: unknown) => {
    ctx.logger.warn('partition leases: first round failed, retrying', { error: String(error) })
  })
  return {
    member,
    owned: () => [...held.keys()].filter((k) => !releasing.has(k)).sort((a, b) => a - b),
    async release(idle, maxWaitMs) {
      claiming = false
      const deadline = Date.now() + maxWaitMs
      while (!idle() && Date.now() < deadline && !nc.isClosed())
        await new Promise((resolve) => setTimeout(resolve, 50))
      stopped = true
      clearInterval(timer)
      await running
      if (nc.isClosed()) return
      for (const seq of [...held.values(), memberSeq])
        if (seq > 0) await jsm.streams.deleteMessage(stream, seq).catch(() => false)
      held.clear()
    },
  }
}
