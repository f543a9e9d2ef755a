#!/usr/bin/env node
// `npm start`: the compiled server (dist/server/main.js), built first when missing or stale.
import { launch } from './launch.mjs';

await launch('main', ['client', 'server'], true);
