#!/usr/bin/env node
// Runs the built CLI; `npm install` at the repository root builds it (the root `prepare` script).
import '../dist/cli/bin.js';
