#!/usr/bin/env node
// `npm run virtual-plant`: the compiled virtual plant (dist/server/virtualPlant.js), built first when
// missing or stale. It installs its own SIGTERM/SIGINT handlers (clean deaths on exit).
import { launch } from './launch.mjs';

await launch('virtualPlant', ['server'], true);
