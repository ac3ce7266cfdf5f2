// expect: only repositories (repository.ts, *-repository.ts) and the shared data helpers of server/ reach the database
import { database } from '../cloud';
export const x = database;
