// `node --import <this file> app.js`: records every module the ESM loader loads (the app's own
// modules, and the entry module of each npm package it imports, CommonJS ones included) by URL,
// one per line, into the file named by LINKY_RECORD_LOADS. Used to check what a command loads.
import { register } from 'node:module'

register(new URL('./record-loads-hooks.mjs', import.meta.url))
