#!/usr/bin/env node
// The `topdeck` command: runs the built CLI (`npm ci` builds it through the `prepare` script).
import "../dist/tools/cli.js";
