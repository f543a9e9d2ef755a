#!/usr/bin/env node
// `npm run user`: the compiled user CLI (dist/server/user.js), built first when missing or stale.
import { launch } from './launch.mjs';

await launch('user', ['server']);
