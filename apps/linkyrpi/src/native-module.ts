import { arch, platform } from 'node:os'

/** Thrown when a native module cannot be loaded: the message names the package and the fix. */
export class NativeModuleError extends Error {
  override readonly name = 'NativeModuleError'
}

/** The explanation for a native package that does not load here. */
export function nativeModuleMessage(pkg: string, purpose: string, cause: unknown): string {
  const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? ''
  return [
    `${purpose} needs the native module '${pkg}', which does not load on this machine (${platform()}-${arch()}, Node ${process.versions.node}, ABI ${process.versions.modules}): ${reason}`,
    `npm found no prebuilt binary of ${pkg} for it and could not compile one. Install a C++ toolchain, then install linkyrpi again so that npm compiles it:`,
    '  sudo apt install build-essential python3        # Debian, Raspberry Pi OS',
    '  sudo npm install -g linkyrpi                     # or the same linkyrpi-<version>.tgz as before',
  ].join('\n')
}

/**
 * Opens an in-memory database with better-sqlite3 (the embedded store's engine), so that a
 * missing or unloadable binary is reported before the pipeline starts.
 */
export async function checkSqlite(): Promise<void> {
  try {
    const { default: Database } = await import('better-sqlite3')
    new Database(':memory:').close()
  } catch (error) {
    throw new NativeModuleError(
      `${nativeModuleMessage('better-sqlite3', 'The embedded SQLite store (a `sqlite` stage)', error)}\nOr run without it: a configuration without a 'sqlite' stage (e.g. PostgreSQL), see docs/pipeline.md.`,
    )
  }
}
