import type { EmulatorModule, EmulatorOptions, StateStore } from '../context';
import { registerDatabaseActions } from './actions';
import { registerBrowseRoutes } from './browse';
import { DatabaseEngine } from './engine';
import { loadSchema } from './schema';
import { stateStoreOn, storeFor } from './store';
import { registerTransferRoutes } from './transfer';

export { DatabaseEngine } from './engine';

/**
 * The cloud database of the local cloud: `database.*` actions on POST /admin, backed by one
 * sqlite file (`<dataDir>/cloud.sqlite`, or memory when ephemeral), plus export/import routes.
 */
export const databaseModule: EmulatorModule = {
  name: 'database',
  setup(ctx) {
    // The same handle openStateStore opened for this emulator (keyed by its options object).
    const store = storeFor(ctx.options);
    const engine = new DatabaseEngine(store, ctx.clock, loadSchema(ctx.options.projectRoot));
    engine.ensureSchemaCollections();
    registerDatabaseActions(ctx, engine);
    registerTransferRoutes(ctx, engine);
    registerBrowseRoutes(ctx, engine);
    ctx.clock.onChange(() => engine.sweep());
    ctx.onReset(() => engine.reset());
    ctx.onClose(() => store.close());
  },
};

/** Small JSON state of the other modules (personas, outbox, grants, payments), in the same sqlite file. */
export function openStateStore(options: EmulatorOptions): StateStore {
  return stateStoreOn(storeFor(options));
}
