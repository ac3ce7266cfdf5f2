// expect: only repositories (repository.ts, *-repository.ts) use the raw data helpers
import { findById } from '../documents';
export const x = findById;
