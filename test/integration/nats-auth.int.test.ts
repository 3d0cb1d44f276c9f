import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect, credsAuthenticator, nkeyAuthenticator, nkeys } from '@nats-io/transport-node'
import { memoryLogger } from '@linkyrpi/pipeline'
import { connectNats } from '@linkyrpi/pipeline/nats'
import { describeWithService, tcpReachable } from '../support/services.js'
import { freePort } from '../support/ports.js'

// The node's NATS connection authenticates with what the config's `nats` section gives: user and
// password, token, an NKey seed file, and mutual TLS (CA, client certificate and key), each
// against our own nats-server process configured to require it.

const hasNatsServer = await new Promise<boolean>((resolve) => {
  const child = spawn('nats-server', ['--version'])
  child.on('error', () => resolve(false))
  child.on('exit', (code) => resolve(code === 0))
})

const defaults = {
  stream: {
    maxAgeMs: 0,
    maxBytes: -1,
    maxMsgs: -1,
    storage: 'memory' as const,
    replicas: 1,
    duplicateWindowMs: 1000,
  },
  consumer: { ackWaitMs: 1000, maxAckPending: 10, batch: 256 },
  publish: { batchFrames: 1, batchMs: 20, timeoutMs: 5000, wire: 'json' as const },
}

/** Starts a nats-server on a free loopback port with extra `args`, added to `servers`; resolves to its port once it listens. */
async function startNatsServer(servers: ChildProcess[], args: readonly string[]): Promise<number> {
  const port = await freePort()
  servers.push(
    spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...args], { stdio: 'ignore' }),
  )
  const deadline = Date.now() + 10_000
  while (!(await tcpReachable('127.0.0.1', port, 200))) {
    if (Date.now() > deadline) throw new Error('nats-server did not start')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return port
}

describeWithService('nats-server binary', hasNatsServer, 'NATS credentials', () => {
  const servers: ChildProcess[] = []
  const start = (args: string[]): Promise<number> => startNatsServer(servers, args)
  let userPort = 0
  let tokenPort = 0
  beforeAll(async () => {
    userPort = await start(['--user', 'pi', '--pass', 's3cret'])
    tokenPort = await start(['--auth', 't0ken'])
  })
  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM')
  })

  it('connects with user and password, and with a token', async () => {
    const logger = memoryLogger()
    const a = await connectNats(
      { servers: [`nats://127.0.0.1:${userPort}`], user: 'pi', pass: 's3cret', ...defaults },
      'test-user',
      logger,
    )
    const b = await connectNats(
      { servers: [`nats://127.0.0.1:${tokenPort}`], token: 't0ken', ...defaults },
      'test-token',
      logger,
    )
    await a.flush()
    await b.flush()
    expect(a.info?.auth_required).toBe(true)
    expect(b.info?.auth_required).toBe(true)
    expect(logger.records.filter((r) => r.message === 'connected to NATS')).toHaveLength(2)
    await a.close()
    await b.close()
  })
})

type KeyPair = ReturnType<typeof nkeys.createUser>

/** A NATS JWT (decentralised auth, v2 claims) signed by `signer`, as `nsc` would issue it. */
function natsJwt(signer: KeyPair, claims: Record<string, unknown>): string {
  const b64 = (x: string | Uint8Array): string => Buffer.from(x).toString('base64url')
  const c: Record<string, unknown> = {
    iat: Math.floor(Date.now() / 1000),
    iss: signer.getPublicKey(),
    ...claims,
  }
  c.jti = createHash('sha256').update(JSON.stringify(c)).digest('base64url')
  const head = `${b64(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }))}.${b64(JSON.stringify(c))}`
  return `${head}.${b64(signer.sign(new TextEncoder().encode(head)))}`
}

/** An operator, an account and a user of it: the server's config lines and the user's `.creds` file text. */
function decentralisedAuth(): { serverConf: string; creds: string; strangerCreds: string } {
  const operator = nkeys.createOperator()
  const account = nkeys.createAccount()
  const unlimited = {
    subs: -1,
    data: -1,
    payload: -1,
    imports: -1,
    exports: -1,
    wildcards: true,
    conn: -1,
    leaf: -1,
  }
  const accountJwt = natsJwt(operator, {
    name: 'linky',
    sub: account.getPublicKey(),
    nats: {
      limits: unlimited,
      default_permissions: { pub: {}, sub: {} },
      type: 'account',
      version: 2,
    },
  })
  const credsOf = (issuer: KeyPair): string => {
    const user = nkeys.createUser()
    const jwt = natsJwt(issuer, {
      name: 'pi',
      sub: user.getPublicKey(),
      nats: { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 },
    })
    return `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`
  }
  return {
    serverConf: `operator: "${natsJwt(operator, { name: 'op', sub: operator.getPublicKey(), nats: { type: 'operator', version: 2 } })}"\nresolver: MEMORY\nresolver_preload: { ${account.getPublicKey()}: "${accountJwt}" }`,
    creds: credsOf(account),
    // Issued by an account the operator never signed.
    strangerCreds: credsOf(nkeys.createAccount()),
  }
}

describeWithService('nats-server binary', hasNatsServer, 'NATS .creds, NKey and TLS', () => {
  const servers: ChildProcess[] = []
  const dir = mkdtempSync(join(tmpdir(), 'linky-nats-tls-'))
  const file = (name: string): string => join(dir, name)
  // The address and port come from the command line (they override a config file's `listen`).
  const startWithConfig = (name: string, conf: string): Promise<number> => {
    writeFileSync(file(name), `${conf}\n`)
    return startNatsServer(servers, ['-c', file(name)])
  }
  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  })

  it('connects with a .creds file (operator, account, user JWTs); creds from an unknown account are refused', async () => {
    const auth = decentralisedAuth()
    writeFileSync(file('pi.creds'), auth.creds, { mode: 0o600 })
    writeFileSync(file('stranger.creds'), auth.strangerCreds, { mode: 0o600 })
    const port = await startWithConfig('creds.conf', auth.serverConf)
    const logger = memoryLogger()
    const nc = await connectNats(
      { servers: [`nats://127.0.0.1:${port}`], credsFile: file('pi.creds'), ...defaults },
      'test-creds',
      logger,
    )
    await nc.flush()
    expect(nc.info?.auth_required).toBe(true)
    expect(logger.records.some((r) => r.message === 'connected to NATS')).toBe(true)
    await nc.close()
    await expect(
      connect({
        servers: [`nats://127.0.0.1:${port}`],
        maxReconnectAttempts: 0,
        timeout: 3000,
        authenticator: credsAuthenticator(readFileSync(file('stranger.creds'))),
      }),
    ).rejects.toThrow(/Authorization Violation/i)
  })

  it('connects with an NKey seed file, and a wrong seed is refused', async () => {
    const user = nkeys.createUser()
    writeFileSync(file('pi.nk'), `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600 })
    const port = await startWithConfig(
      'nkey.conf',
      `authorization { users: [ { nkey: "${user.getPublicKey()}" } ] }`,
    )
    const logger = memoryLogger()
    const nc = await connectNats(
      { servers: [`nats://127.0.0.1:${port}`], nkeySeedFile: file('pi.nk'), ...defaults },
      'test-nkey',
      logger,
    )
    await nc.flush()
    expect(nc.info?.auth_required).toBe(true)
    expect(nc.info?.nonce).toBeTruthy()
    await nc.close()
    // A seed the server does not know signs its nonce validly, for another public key: rejected.
    await expect(
      connect({
        servers: [`nats://127.0.0.1:${port}`],
        maxReconnectAttempts: 0,
        timeout: 3000,
        authenticator: nkeyAuthenticator(nkeys.createUser().getSeed()),
      }),
    ).rejects.toThrow(/Authorization Violation/i)
  })

  it('connects over mutual TLS with the CA, client certificate and key; without a client certificate it is refused', async () => {
    const ssl = (...args: string[]): void =>
      void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
    ssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=LinkyRPi test CA',
    )
    writeFileSync(
      file('server.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    )
    writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n')
    for (const [name, subject] of [
      ['server', '/CN=localhost'],
      ['client', '/CN=pi'],
    ] as const) {
      ssl(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        subject,
      )
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      )
    }
    const port = await startWithConfig(
      'tls.conf',
      `tls { cert_file: "${file('server.pem')}", key_file: "${file('server.key')}", ca_file: "${file('ca.pem')}", verify: true, timeout: 2 }`,
    )
    const logger = memoryLogger()
    const nc = await connectNats(
      {
        servers: [`tls://127.0.0.1:${port}`],
        tls: {
          caFile: file('ca.pem'),
          certFile: file('client.pem'),
          keyFile: file('client.key'),
          handshakeFirst: false,
        },
        ...defaults,
      },
      'test-tls',
      logger,
    )
    await nc.flush()
    expect(nc.info?.tls_required).toBe(true)
    expect(nc.info?.tls_verify).toBe(true)
    const sub = nc.subscribe('linky.test.tls', { max: 1 })
    nc.publish('linky.test.tls', 'ok')
    for await (const m of sub) expect(m.string()).toBe('ok')
    await nc.close()
    // Trusting the CA but showing no client certificate: the server drops the connection during the
    // TLS handshake and the client never gets connected (nats.js reports it as a timeout).
    await expect(
      connect({
        servers: [`tls://127.0.0.1:${port}`],
        maxReconnectAttempts: 0,
        timeout: 3000,
        tls: { caFile: file('ca.pem') },
      }),
    ).rejects.toThrow(/timeout|TLS|certificate|closed/i)
  })
})
