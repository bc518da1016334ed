#!/usr/bin/env node
// `herald` on the PATH (npm link / npx herald): runs the TypeScript entry with Node's type stripping.
import '../src/main.ts';
