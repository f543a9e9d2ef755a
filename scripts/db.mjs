#!/usr/bin/env node
// `npm run db`: the compiled database CLI (dist/server/db.js), built first when missing or stale.
import { launch } from './launch.mjs';

await launch('db', ['server']);
