import path from 'node:path';
import { buildFunctions } from '../../scripts/lib/build-functions';

/** Integration tests run the deployable bundles, exactly what `npm run build:functions` produces. */
export default async function setup() {
  const root = path.resolve(import.meta.dirname, '../..');
  await buildFunctions({ root });
}
