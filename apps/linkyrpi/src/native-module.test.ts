import { describe, expect, it } from 'vitest'
import { nativeModuleMessage } from './native-module.js'

describe('nativeModuleMessage', () => {
  it('names the package, the machine, the cause and the commands that fix it', () => {
    const m = nativeModuleMessage(
      'better-sqlite3',
      'The embedded SQLite store',
      new Error("Cannot find package 'better-sqlite3' imported from x\nstack"),
    )
    expect(m).toContain(
      `The embedded SQLite store needs the native module 'better-sqlite3', which does not load on this machine (${process.platform}-${process.arch}, Node ${process.versions.node}, ABI ${process.versions.modules}): Cannot find package 'better-sqlite3' imported from x\n`,
    )
    expect(m).not.toContain('stack')
    expect(m).toContain('sudo apt install build-essential python3')
    expect(m).toContain('sudo npm install -g linkyrpi')
  })
})
