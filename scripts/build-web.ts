// Bundles the browser code (widget, dashboard) into dist/web/. Run by scripts/setup.sh.
import { buildWeb } from '../src/server/web-assets.ts';

const built = await buildWeb({ minify: !process.argv.includes('--dev') });
console.log(`parley: built ${built.join(', ') || 'nothing'} into dist/web/`);
