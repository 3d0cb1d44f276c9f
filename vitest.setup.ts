// tsyringe refuses to load without a Reflect polyfill (see toolchain.md §3).
import 'reflect-metadata'
