// expect: only repositories
import { database } from '../../server/cloud';
export const x = database;
